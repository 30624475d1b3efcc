"""Runs `python server.py` as a child process, as a learner would, for the
tests that talk to the real server over the network."""
import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 30
STOP_TIMEOUT = 10
SERVER_COMMAND = (sys.executable, "server.py")

# What the server prints once it listens: server.py prints the first (under
# gevent or eventlet), Werkzeug (ASYNC_MODE=threading, and the course's lessons) the second.
LISTENING = r"Listening on port (\d+)|Running on http://127\.0\.0\.1:(\d+)"
WERKZEUG_LISTENING = r"Running on http://127\.0\.0\.1:(\d+)"

# Short heartbeats, so that a client that vanishes is dropped within seconds.
PING_INTERVAL = 1
PING_TIMEOUT = 2


def server_environment(instance_path, **environment):
    """The test server's environment: `environment` adds or (with None)
    removes variables from the defaults of the tests."""
    env = {
        **os.environ,
        "PORT": "0",  # the server picks a free port and prints it
        "INSTANCE_PATH": str(instance_path),
        "SESSION_SECRET": "live test secret",
        "BCRYPT_ROUNDS": "4",
        "SOCKETIO_PING_INTERVAL": str(PING_INTERVAL),
        "SOCKETIO_PING_TIMEOUT": str(PING_TIMEOUT),
        **environment,
    }
    return {name: value for name, value in env.items() if value is not None}


class ServerProcess:
    def __init__(self, instance_path, command=SERVER_COMMAND, cwd=PROJECT_ROOT, listening=LISTENING, **environment):
        """`command` starts the server (it may be a shell running several commands)
        in the folder `cwd`, and has started once it prints a line matching
        `listening`; `environment` as for server_environment."""
        self.output = []
        self._output_grew = threading.Condition()
        self._lines = queue.Queue()
        self._process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=server_environment(instance_path, **environment),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so stop() ends a shell's children too
        )
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        self.port = self._wait_for_port(listening)
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        """The process id of `command` (the server itself, unless it is a shell)."""
        return self._process.pid

    def _read_output(self):
        with self._process.stdout:
            for line in self._process.stdout:
                with self._output_grew:
                    self.output.append(line)
                    self._output_grew.notify_all()
                self._lines.put(line)
        self._lines.put(None)

    def _wait_for_port(self, listening):
        while True:
            try:
                line = self._lines.get(timeout=STARTUP_TIMEOUT)
            except queue.Empty:
                raise RuntimeError(f"server printed no port in {STARTUP_TIMEOUT}s: {self.output}") from None
            if line is None:
                raise RuntimeError(f"server exited before listening: {''.join(self.output)}")
            match = re.search(listening, line)
            if match:
                return int(next(port for port in match.groups() if port))

    def wait_for_output(self, text, timeout=STARTUP_TIMEOUT, times=1):
        """Waits until the server has printed `text` (`times` times); fails if it has not within `timeout` seconds."""
        with self._output_grew:
            printed = self._output_grew.wait_for(lambda: "".join(self.output).count(text) >= times, timeout)
        assert printed, f"the server did not print {text!r} {times} times within {timeout}s: {''.join(self.output)}"

    def stop(self):
        stop_process_group(self._process)
        self._reader.join(timeout=10)

    def stop_with(self, number):
        """Sends the signal `number` as a terminal sends Ctrl+C (signal.SIGINT),
        to the server's whole process group, and returns its exit status once
        it has ended and everything it printed is in `output`."""
        signal_process_group(self._process, number)
        try:
            status = self._process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server was still running {STOP_TIMEOUT}s after signal {number}") from None
        self._reader.join(timeout=10)
        return status


def stop_process_group(process):
    """Ends a process started with start_new_session=True, and every process of
    its group: SIGTERM, then SIGKILL if they have not ended STOP_TIMEOUT seconds later."""
    signal_process_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        signal_process_group(process, signal.SIGKILL)
        process.wait()


def signal_process_group(process, number):
    """Sends the signal `number` to every process of `process`'s group."""
    with contextlib.suppress(ProcessLookupError):  # every process of the group has already ended
        os.killpg(process.pid, number)
