"""Debian's redis-server (apt-get install redis-server) for the tests of
several server processes: started by the tests on a free port, with its files
in a temporary folder, never as a system service, and keeping nothing on disk."""
import queue
import subprocess
import threading

import redis

from tests.lesson_app import free_port
from tests.server_process import STARTUP_TIMEOUT, stop_process_group

REDIS_SERVER = "redis-server"
READY = "Ready to accept connections"


class RedisServer:
    def __init__(self, folder):
        self._folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process = None
        self.start()

    def start(self):
        """Starts (or starts again, on the same port) an empty Redis, and waits until it is ready."""
        command = [
            REDIS_SERVER,
            *("--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self._folder)),
            *("--save", "", "--appendonly", "no", "--logfile", ""),
        ]
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        lines = queue.Queue()
        threading.Thread(target=self._read_output, args=(self._process, lines), daemon=True).start()
        output = []
        while READY not in (output[-1] if output else ""):
            try:
                line = lines.get(timeout=STARTUP_TIMEOUT)
            except queue.Empty:
                raise RuntimeError(f"redis-server was not ready in {STARTUP_TIMEOUT}s: {output}") from None
            if line is None:
                raise RuntimeError(f"redis-server exited: {''.join(output)}")
            output.append(line)

    @staticmethod
    def _read_output(process, lines):
        with process.stdout:
            for line in process.stdout:
                lines.put(line)
        lines.put(None)

    def stop(self):
        """Stops it; what it held is gone (it saves nothing)."""
        stop_process_group(self._process)

    @property
    def stopped(self):
        return self._process.poll() is not None

    def client(self):
        return redis.Redis.from_url(self.url)

    def flush(self):
        """Forgets every key, so that each test starts from an empty Redis."""
        with self.client() as client:
            client.flushall()

    def subscribers(self, channel):
        """How many clients listen on `channel`."""
        with self.client() as client:
            return dict(client.pubsub_numsub(channel))[channel.encode()]
