"""The measurements made at one rung of the ladder: N clients connected to one server."""
import asyncio
import dataclasses
import math
import time

from .protocol import CONNECT_ERRORS, Client
from .usage import CpuMeter, server_rss_kb
from .watch import Switchboard


class Deadline:
    """A moment `seconds` from now; left() says how many seconds remain until it."""

    def __init__(self, seconds):
        self.at = time.monotonic() + seconds

    def left(self):
        """Seconds until the deadline, 0 once it has passed."""
        return max(0.0, self.at - time.monotonic())


@dataclasses.dataclass
class Setup:
    """Everything a measurement needs to know about the server and the run."""

    ws_url: str
    cookie: str
    deflate: bool
    concurrency: int  # WebSocket handshakes in flight at once during the storm
    step_timeout: float
    settle: float  # seconds of quiet before each timed change, and after the disconnects
    repeats: int  # joins (and leaves) timed per rung
    disconnect_fraction: float
    run_deadline: Deadline
    server_pid: int | None
    switchboard: Switchboard = dataclasses.field(default_factory=Switchboard)
    # Several processes behind nginx: the session cookies new clients take in turn, instead of `cookie`.
    cookies: list = dataclasses.field(default_factory=list)
    made: int = 0

    def new_client(self):
        """A client of this server, not yet connected, reporting to the switchboard."""
        self.made += 1
        cookie = self.cookies[self.made % len(self.cookies)] if self.cookies else self.cookie
        return Client(self.ws_url, cookie, self.deflate, self.switchboard.changed)

    def step_deadline(self):
        """When the current step must end: after step_timeout, and never past the run's end."""
        return Deadline(min(self.step_timeout, self.run_deadline.left()))

    def rss_kb(self):
        """The server's resident memory in KB, or None when its pid is unknown."""
        return server_rss_kb(self.server_pid) if self.server_pid else None


async def measure_rung(setup, n, base, progress):
    """Steps 1 to 5 for N clients; `base` is how many other clients the server already counts."""
    clients = []
    rss_before = setup.rss_kb()
    result = {"n": n, "base": base}
    try:
        result["storm"] = await connect_storm(setup, clients, n, base)
        progress(f"storm: {result['storm']['status']}, converged after {result['storm']['converged_s']} s")
        if result["storm"]["status"] != "ok":
            return result
        await asyncio.sleep(setup.settle)
        result["memory"] = memory_per_connection(rss_before, setup.rss_kb(), n)
        result["join"], result["leave"] = await join_and_leave(setup, clients, base)
        progress(f"join p50 {result['join']['p50_ms']} ms, leave p50 {result['leave']['p50_ms']} ms")
        result["disconnect"] = await mass_disconnect(setup, clients, base)
        progress(f"{result['disconnect']['k']} disconnects: {result['disconnect']['status']}")
    finally:
        result["dropped_by_server"] = sum(client.dropped for client in clients)
        for client in clients:
            client.abort()
    return result


async def connect_storm(setup, clients, n, base):
    """Step 1: opens N clients as fast as the server takes them, and times
    how long until every one of them shows the count N."""
    deadline = setup.step_deadline()
    clients.extend(setup.new_client() for _ in range(n))
    watch = setup.switchboard.start(clients, base + n)
    cpu = CpuMeter(setup.server_pid)
    gate = asyncio.Semaphore(setup.concurrency)

    async def open_one(client):
        async with gate:
            await client.open(deadline.left())

    watch.restart_clock()
    opening = [asyncio.create_task(open_one(client)) for client in clients]
    try:
        _, still_opening = await asyncio.wait(opening, timeout=deadline.left())
    finally:
        for task in opening:
            task.cancel()  # nothing to cancel once the handshakes are done
    if still_opening:
        connected = sum(client.connected for client in clients)
        return {"status": "timeout", "converged_s": None, "connected_s": None, "connected": connected,
                "counts_shown": watch.counts_shown(), **cpu.spent()}
    connected_s = round(time.perf_counter() - watch.started, 3)
    errors = describe_errors(task.exception() for task in opening)
    if errors:
        return {"status": "failed", "converged_s": None, "connected_s": connected_s, "errors": errors, **cpu.spent()}
    converged = await watch.wait(deadline.left())
    return {
        "status": "ok" if converged else "timeout",
        "converged_s": round(watch.converged_after, 3) if converged else None,
        "connected_s": connected_s,
        "counts_shown": None if converged else watch.counts_shown(),
        **cpu.spent(),
    }


def describe_errors(exceptions):
    """{"TimeoutError: ...": how many, ...} for the connections that failed (None: did not fail)."""
    errors = {}
    for error in exceptions:
        if error is not None:
            text = f"{type(error).__name__}: {error}"[:200]
            errors[text] = errors.get(text, 0) + 1
    return errors


def memory_per_connection(rss_before, rss_at_n, n):
    """Step 4: how much the server's resident memory grew per connected client."""
    if rss_before is None or rss_at_n is None:
        return {"rss_before_kb": None, "rss_at_n_kb": None, "kb_per_connection": None}
    per_connection = round((rss_at_n - rss_before) / n, 1)
    return {"rss_before_kb": rss_before, "rss_at_n_kb": rss_at_n, "kb_per_connection": per_connection}


async def join_and_leave(setup, clients, base):
    """Step 2: one more client joins, then leaves, `repeats` times; each time,
    how long until each of the N clients shows the new count."""
    deadline = setup.step_deadline()
    n = len(clients)
    cpu = CpuMeter(setup.server_pid)
    joins, leaves = [], []
    for _ in range(setup.repeats):
        await asyncio.sleep(setup.settle)
        extra = setup.new_client()
        joins.append(setup.switchboard.start(clients, base + n + 1))
        try:
            await asyncio.wait_for(extra.open(deadline.left()), deadline.left())
        except CONNECT_ERRORS:  # counted as a join that never arrived
            extra.abort()
            break
        if not await joins[-1].wait(deadline.left()):
            extra.abort()
            break
        await asyncio.sleep(setup.settle)
        leaves.append(setup.switchboard.start(clients, base + n))
        extra.start_closing()
        if not await leaves[-1].wait(deadline.left()):
            break
    spent = cpu.spent()
    return latencies(joins, setup.repeats, spent), latencies(leaves, setup.repeats, spent)


def latencies(watches, repeats, spent):
    """p50, p99 and max of every client's latency over all `watches`, in ms."""
    samples = sorted(seconds for watch in watches for seconds in watch.first_seen.values())
    complete = len(watches) == repeats and all(watch.converged_after is not None for watch in watches)
    return {
        "status": "ok" if complete else "timeout",
        "samples": len(samples),
        "p50_ms": percentile_ms(samples, 0.50),
        "p99_ms": percentile_ms(samples, 0.99),
        "max_ms": percentile_ms(samples, 1.0),
        **spent,
    }


def percentile_ms(sorted_seconds, fraction, decimals=1):
    """The nearest-rank percentile of `sorted_seconds`, in milliseconds (None without samples)."""
    if not sorted_seconds:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_seconds)))
    return round(sorted_seconds[rank - 1] * 1000, decimals)


async def mass_disconnect(setup, clients, base):
    """Step 3: K clients close at once; how long until all the others show
    N-K, and whether that is exactly what every one of them shows in the end."""
    deadline = setup.step_deadline()
    n = len(clients)
    k = min(n - 1, max(1, round(n * setup.disconnect_fraction)))
    leaving, staying = clients[n - k:], clients[:n - k]
    await asyncio.sleep(setup.settle)
    watch = setup.switchboard.start(staying, base + n - k)
    cpu = CpuMeter(setup.server_pid)
    for client in leaving:
        client.start_closing()
    converged = await watch.wait(deadline.left())
    await asyncio.sleep(setup.settle)  # a late, wrong count would show up here
    exact = watch.exact()
    spent = cpu.spent()
    return {
        "k": k,
        "status": "ok" if converged else "timeout",
        "converged_s": round(watch.converged_after, 3) if converged else None,
        "exact": exact,
        "counts_shown": None if exact else watch.counts_shown(),
        **spent,
    }


async def count_others(setup):
    """How many clients the server counts besides the bench's: one probe
    connects, waits until the count it is shown stays put, and leaves."""
    deadline = setup.step_deadline()
    probe = setup.new_client()
    try:
        await probe.open(deadline.left())
        last = None
        while deadline.left() > 0 and (probe.count is None or probe.count != last):
            last = probe.count
            await asyncio.sleep(max(setup.settle, 0.2))
        if probe.count is None:
            raise RuntimeError("the probe client was never sent a user count")
        return probe.count - 1
    finally:
        probe.start_closing()
