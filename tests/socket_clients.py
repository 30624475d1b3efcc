"""Real Socket.IO clients (python-socketio) that record the 'user count'
events they receive, for the tests that talk to the live server."""
import queue

import socketio

EVENT_TIMEOUT = 15


class CountingClient:
    def __init__(self, url, transport, headers=None):
        self.seen = []
        self._counts = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("user count", self._counts.put)
        self.client.connect(url, transports=[transport], headers=headers or {}, wait_timeout=EVENT_TIMEOUT)

    def next_count(self):
        """The next 'user count' this client receives."""
        try:
            value = self._counts.get(timeout=EVENT_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no 'user count' within {EVENT_TIMEOUT}s; seen so far: {self.seen}") from None
        self.seen.append(value)
        return value

    def wait_for_count(self, expected):
        """Read counts until `expected` arrives; fail after EVENT_TIMEOUT."""
        while self.next_count() != expected:
            pass

    def disconnect(self):
        self.client.disconnect()
