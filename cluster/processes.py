"""Starting the demo's child processes (Redis, the servers, nginx), each
with its output in a log file, and always stopping them."""
import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time

READY_TIMEOUT = 30  # seconds a child may take to say it is ready
STOP_TIMEOUT = 10  # seconds a child may take to stop before it is killed


class Child:
    """A process started in a process group of its own (so that Ctrl+C in the
    terminal reaches the demo only, which then stops each child in turn),
    copying what it prints into `log`."""

    def __init__(self, name, command, log, ready=None, **options):
        """Returns once the process prints a line matching `ready` (a regex;
        `self.ready` is its match), or at once without one; RuntimeError,
        with the end of its log, if it exits or says nothing in READY_TIMEOUT seconds."""
        self.name, self.log = name, log
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            **options,
        )
        self.pid = self._process.pid
        self._lines = queue.Queue()  # lines for _wait_for, until the child is ready
        self._waiting = ready is not None
        threading.Thread(target=self._copy_output, daemon=True).start()
        self.ready = self._wait_for(ready) if ready else None

    def _copy_output(self):
        with self._process.stdout, open(self.log, "w", encoding="utf-8") as log:
            for line in self._process.stdout:
                log.write(line)
                log.flush()
                if self._waiting:
                    self._lines.put(line)
        self._lines.put(None)

    def _wait_for(self, pattern):
        while True:
            try:
                line = self._lines.get(timeout=READY_TIMEOUT)
            except queue.Empty:
                raise RuntimeError(f"{self.name} was not ready after {READY_TIMEOUT} s; see {self.log}") from None
            if line is None:
                raise RuntimeError(f"{self.name} stopped at once:\n{self.log.read_text(encoding='utf-8')[-2000:]}")
            match = re.search(pattern, line)
            if match:
                self._waiting = False  # from now on only the log file has its lines
                return match

    @property
    def running(self):
        return self._process.poll() is None

    def signal(self, number):
        """Sends signal `number` to its process group."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.pid, number)

    def wait(self, timeout):
        """Whether it has ended within `timeout` seconds."""
        try:
            self._process.wait(timeout=max(timeout, 0))
        except subprocess.TimeoutExpired:
            return False
        return True


def stop_together(children):
    """SIGTERM to every child at once, then SIGKILL to any still running STOP_TIMEOUT seconds later."""
    for child in children:
        child.signal(signal.SIGTERM)
    give_up = time.monotonic() + STOP_TIMEOUT
    for child in children:
        if not child.wait(give_up - time.monotonic()):
            child.signal(signal.SIGKILL)
            child.wait(STOP_TIMEOUT)


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
