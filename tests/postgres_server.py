"""A PostgreSQL server of the tests' own: a new cluster (initdb) in a
temporary folder, served on a free port of 127.0.0.1 until stop().

It needs only the binaries of Debian's `postgresql` package, which puts
them in /usr/lib/postgresql/<version>/bin, off PATH; no system service is
used. PostgreSQL refuses to run as root, so when the tests run as root (as
in CI) the server runs as the `postgres` user that package creates, or as
`nobody`.
"""
import contextlib
import glob
import os
import pwd
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import psycopg

from tests.debian_packages import require
from tests.lesson_app import free_port

STARTUP_TIMEOUT = 30
STOP_TIMEOUT = 10
READY = "database system is ready to accept connections"


def postgres_program(name):
    """The path of PostgreSQL's program `name` (initdb, postgres): on PATH,
    or else in the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda folder: int(Path(folder).parent.name))
    if not versions or not os.path.exists(f"{versions[-1]}/{name}"):
        return None
    return f"{versions[-1]}/{name}"


def unprivileged_user():
    """Who the server runs as: the tests' own user, or, for root, `postgres` or `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("PostgreSQL cannot run as root, and this machine has neither a postgres nor a nobody user")


class PostgresServer:
    def __init__(self):
        installed = postgres_program("initdb") and postgres_program("postgres")
        require(installed, "postgresql", "the tests of the users on PostgreSQL")
        user = unprivileged_user()
        # Popen's arguments that run a program as `user`.
        self._as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
        self.folder = tempfile.mkdtemp(prefix="chat-postgres-")
        if user:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        initdb = subprocess.run(
            # trust: whoever reaches 127.0.0.1 on this port is let in, with no password.
            [postgres_program("initdb"), "-D", f"{self.folder}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]
            + ["--no-sync"],  # a test cluster need not survive a power cut
            **self._as_user,
            capture_output=True,
            text=True,
        )
        if initdb.returncode != 0:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {initdb.stdout}{initdb.stderr}")
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._databases = 0
        self.start()

    def start(self):
        """Starts the server (again, after stop()) on its port, and waits until it takes connections."""
        self.output = []
        self._lines = queue.Queue()
        self._process = subprocess.Popen(
            [postgres_program("postgres"), "-D", f"{self.folder}/data", "-p", str(self.port)]
            + ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]
            + ["-c", "fsync=off", "-c", "full_page_writes=off"],  # fast, and unsafe only on a power cut
            **self._as_user,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read_log, daemon=True).start()
        self._wait_until_ready()

    def _read_log(self):
        """Reads the server's log as it comes (else the server would wait once the pipe is full)."""
        with self._process.stderr:
            for line in self._process.stderr:
                self.output.append(line)
                self._lines.put(line)
        self._lines.put(None)

    def _wait_until_ready(self):
        while True:
            try:
                line = self._lines.get(timeout=STARTUP_TIMEOUT)
            except queue.Empty:
                self.remove()
                raise RuntimeError(f"PostgreSQL was not ready in {STARTUP_TIMEOUT}s: {''.join(self.output)}") from None
            if line is None:
                self.remove()
                raise RuntimeError(f"PostgreSQL exited before it was ready: {''.join(self.output)}")
            if READY in line:
                return

    def new_database(self):
        """The URL of a new, empty database of this server."""
        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(self.url, autocommit=True) as db:  # CREATE DATABASE cannot run in a transaction
            db.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def freeze(self):
        """Freezes the server, as a hung machine or a cut network would: the
        kernel still accepts connections, but no answer comes."""
        self._process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self._process.send_signal(signal.SIGCONT)

    def stop(self):
        """Stops the server: a fast shutdown, which ends every open connection."""
        self.thaw()  # a frozen server would not stop
        with contextlib.suppress(ProcessLookupError):
            self._process.send_signal(signal.SIGINT)
        try:
            self._process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def remove(self):
        """Stops the server and removes its folder, data and all."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
