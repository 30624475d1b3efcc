"""`python -m bench --processes 1,2,4`: the storm (step 1) and the K gone
(step 3) against several server processes sharing one Redis behind nginx,
as `python -m cluster` runs them, with each process's CPU seconds."""
import contextlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .login import register
from .measure import connect_storm, mass_disconnect
from .server_process import CHEAP_BCRYPT_ROUNDS, PROJECT_ROOT, STARTUP_TIMEOUT, UNLIMITED, stop, wait_for_port
from .usage import server_cpu_seconds

# Logged-in sessions the clients take turns with: nginx sends each session
# to one process (it hashes the session cookie), so many spread the clients.
SESSIONS = 64
OPEN = re.compile(r"Open http://127\.0\.0\.1:(\d+)")
CHILD = re.compile(r"^  (.+?) +pid (\d+)$", re.MULTILINE)


@contextlib.asynccontextmanager
async def started_cluster(processes):
    """`python -m cluster --servers <processes>` for the duration of an `async
    with`: yields (nginx's port, {child's name: pid}); stops it whatever happens."""
    with tempfile.TemporaryDirectory(prefix="chat-bench-cluster-") as folder:
        log_path = Path(folder) / "cluster.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "cluster", "--servers", str(processes), "--port", "0"],
                cwd=PROJECT_ROOT,
                # The servers inherit the limits no person reaches lifted, as on one server.
                env={**os.environ, **UNLIMITED, "BCRYPT_ROUNDS": str(CHEAP_BCRYPT_ROUNDS)},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            # nginx's port, printed once Redis, the servers and nginx have all started.
            port = await wait_for_port(process, log_path, OPEN, "python -m cluster", timeout=STARTUP_TIMEOUT * 2)
            children = {name: int(pid) for name, pid in CHILD.findall(log_path.read_text())}
            yield port, children
        finally:
            # It stops its children, nginx and the servers at once, then Redis:
            # SIGKILL (which would leave them running) only if that takes long.
            stop(process, timeout=30)


async def measure_cluster_rung(setup_for, processes, n):
    """The storm and K gone for N clients on a cluster of `processes` started for them,
    with the CPU seconds each child spent on the storm."""
    async with started_cluster(processes) as (port, children):
        cookies = [register("127.0.0.1", port) for _ in range(SESSIONS)]
        setup = setup_for(port, cookies)
        clients = []
        result = {"n": n, "processes": processes}
        try:
            before = cpu_seconds(children)
            result["storm"] = await connect_storm(setup, clients, n, 0)
            result["cpu_s"] = {name: round(spent - before[name], 2) for name, spent in cpu_seconds(children).items()}
            if result["storm"]["status"] == "ok":
                result["disconnect"] = await mass_disconnect(setup, clients, 0)
        finally:
            for client in clients:
                client.abort()
    return result


def cpu_seconds(children):
    """{child's name: CPU seconds it and its own children (nginx's workers) have used so far}."""
    return {name: sum(server_cpu_seconds(each) for each in with_descendants(pid)) for name, pid in children.items()}


def with_descendants(pid):
    """`pid` and the processes it started, and theirs (/proc/PID/task/TID/children)."""
    found = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            for child in children.read().split():
                found += with_descendants(int(child))
    return found
