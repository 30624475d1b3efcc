"""Runs `python server.py` as a child process, as a learner would, for the
tests that talk to the real server over the network."""
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 30

# Short heartbeats, so that a client that vanishes is dropped within seconds.
PING_INTERVAL = 1
PING_TIMEOUT = 2


class ServerProcess:
    def __init__(self, instance_path, **environment):
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
        self.output = []
        self._lines = queue.Queue()
        self._process = subprocess.Popen(
            [sys.executable, "server.py"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read_output, daemon=True).start()
        self.port = self._wait_for_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def _read_output(self):
        with self._process.stdout:  # closed once the server has exited
            for line in self._process.stdout:
                self.output.append(line)
                self._lines.put(line)
        self._lines.put(None)

    def _wait_for_port(self):
        while True:
            try:
                line = self._lines.get(timeout=STARTUP_TIMEOUT)
            except queue.Empty:
                raise RuntimeError(f"server printed no port in {STARTUP_TIMEOUT}s: {self.output}") from None
            if line is None:
                raise RuntimeError(f"server exited before listening: {''.join(self.output)}")
            match = re.search(r"Listening on port (\d+)", line)
            if match:
                return int(match.group(1))

    def stop(self):
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
