"""Starts `python server.py` for the bench, on a free port, and always stops it."""
import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 30  # seconds
CHEAP_BCRYPT_ROUNDS = 4  # bcrypt's least: the bench's own sign-ups should cost the server next to nothing
LISTENING = re.compile(r"Listening on port (\d+)")
# Lines of the server's log that tell of a failure (access-log lines never match).
TROUBLE = re.compile(r"Traceback|Error|Exception|failed with|WARNING|CRITICAL")


class StartedServer:
    """A server process of the project, started with the bench's settings."""

    def __init__(self, process, port, log_path):
        self.process = process
        self.pid = process.pid
        self.port = port
        self.log_path = log_path

    def trouble(self, limit=5):
        """How many log lines tell of a failure, and the first few different ones."""
        seen = []
        count = 0
        with open(self.log_path, errors="replace") as log:
            for line in log:
                if TROUBLE.search(line):
                    count += 1
                    if line.strip() not in seen and len(seen) < limit:
                        seen.append(line.strip())
        return {"lines": count, "examples": seen}


# The ladder signs thousands of clients up from one address, opens every client
# on one session, and the echo sends each chat message as soon as the last came
# back: limits no person reaches, lifted.
# The flood step (flood.py) puts the defaults back.
UNLIMITED = {
    "CHAT_TABS_PER_SESSION": "1000000",
    "CHAT_BURST": "1000000",
    "LOGIN_LIMIT_PER_ADDRESS": "1000000 per minute",
}


def server_environment(instance_path, broadcast_window, bcrypt_rounds, limits=None):
    """The server's environment: the bench's, plus a free port, a fresh users
    database, `bcrypt_rounds` per password hash, `limits` (UNLIMITED unless
    given; {} leaves the server's defaults) and, unless None, BROADCAST_WINDOW."""
    env = {
        **os.environ,
        "PORT": "0",  # the server picks a free port and prints it
        "INSTANCE_PATH": str(instance_path),
        "SESSION_SECRET": "bench",
        "BCRYPT_ROUNDS": str(bcrypt_rounds),
        **(UNLIMITED if limits is None else limits),
    }
    env.pop("BROADCAST_WINDOW", None)  # None: the server's own default
    if broadcast_window is not None:
        env["BROADCAST_WINDOW"] = broadcast_window
    return env


@contextlib.asynccontextmanager
async def started_server(broadcast_window, bcrypt_rounds=CHEAP_BCRYPT_ROUNDS, limits=None):
    """Runs the server for the duration of an `async with`; stops it whatever happens."""
    with tempfile.TemporaryDirectory(prefix="chat-bench-") as instance_path:
        log_path = Path(instance_path) / "server.log"
        process = launch(instance_path, broadcast_window, bcrypt_rounds, limits, log_path)
        try:
            port = await wait_for_port(process, log_path)
            yield StartedServer(process, port, log_path)
        finally:
            stop(process)


def launch(instance_path, broadcast_window, bcrypt_rounds, limits, log_path):
    """Starts `python server.py` in the project's folder, its output going to `log_path`."""
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [sys.executable, "server.py"],
            cwd=PROJECT_ROOT,
            env=server_environment(instance_path, broadcast_window, bcrypt_rounds, limits),
            stdin=subprocess.DEVNULL,
            stdout=log,  # a file, not a pipe: a pipe nobody reads would block the server
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() ends all of it
        )


async def wait_for_port(process, log_path, printed=LISTENING, name="the server", timeout=STARTUP_TIMEOUT):
    """The port `process` writes to `log_path` in a line matching `printed`
    (its first group), once it has; RuntimeError, naming it `name`, if it never does."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while loop.time() < give_up:
        match = printed.search(log_path.read_text(errors="replace"))
        if match:
            return int(match.group(1))
        if process.poll() is not None:
            break
        await asyncio.sleep(0.05)
    raise RuntimeError(f"{name} did not start; its output:\n{log_path.read_text(errors='replace')[-2000:]}")


def stop(process, timeout=5):
    """Ends the server's process group: politely, then by force after `timeout` seconds."""
    signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
        process.wait(timeout=5)


def signal_group(process, number):
    """Sends signal `number` to every process of the server's group."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, number)
