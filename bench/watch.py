"""Waiting for a user count to reach every client, and timing how long it took."""
import asyncio
import collections
import time


class Watch:
    """Follows a group of clients until every one of them shows `target`.

    It notes, for each client, how long after the start it first showed the
    target (its latency), and when they all showed it at once (convergence).
    """

    def __init__(self, clients, target):
        self.target = target
        self.started = time.perf_counter()
        self.members = set(clients)
        self.first_seen = {}  # client -> seconds from the start until it first showed the target
        self.converged_after = None  # seconds from the start until every member showed it
        self._done = asyncio.Event()
        self._at_target = 0
        for client in self.members:
            if client.count == target:
                self._reach(client)

    def restart_clock(self):
        """Counts from now: call it just before the action being timed."""
        self.started = time.perf_counter()

    def changed(self, client, old, new):
        """Called by a client whose count went from `old` to `new`."""
        if client not in self.members:
            return
        if old == self.target:
            self._at_target -= 1
        if new == self.target:
            self._reach(client)

    def _reach(self, client):
        """One more member shows the target; when it is the last one, the watch is done."""
        self._at_target += 1
        elapsed = time.perf_counter() - self.started
        self.first_seen.setdefault(client, elapsed)
        if self._at_target == len(self.members) and self.converged_after is None:
            self.converged_after = elapsed
            self._done.set()

    async def wait(self, timeout):
        """True once every member has shown the target, False after `timeout` seconds."""
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def exact(self):
        """Whether every member shows exactly the target right now."""
        return all(client.count == self.target for client in self.members)

    def counts_shown(self, most=5):
        """How many members show each count right now, the `most` common counts
        only, e.g. {1800: 1795, 1801: 5}; None stands for no count received yet."""
        shown = collections.Counter(client.count for client in self.members)
        return dict(shown.most_common(most))


class Switchboard:
    """Passes every client's count changes to the watch in force, if any."""

    def __init__(self):
        self.watch = None

    def start(self, clients, target):
        """A new Watch over `clients` for `target`, now in force."""
        self.watch = Watch(clients, target)
        return self.watch

    def changed(self, client, old, new):
        if self.watch is not None:
            self.watch.changed(client, old, new)
