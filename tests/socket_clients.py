"""Real Socket.IO clients (python-socketio) for the tests that talk to the
live server: users registered through the real forms, and clients that queue
every event the server sends them."""
import queue

import requests
import socketio

EVENT_TIMEOUT = 15
HTTP_TIMEOUT = 10

# Everything the server sends a chat client, plus the client's own disconnect.
EVENTS = ("user count", "user", "chat message", "chat error", "disconnect")


class LiveMember:
    """A user registered on the live server, and the HTTP session (a
    `requests` session standing in for their browser) that holds their cookie."""

    def __init__(self, url, username, password="secret"):
        self.url = url
        self.browser = requests.Session()
        response = self.browser.post(
            url + "/register", data={"username": username, "password": password}, timeout=HTTP_TIMEOUT
        )
        assert response.url == url + "/profile", f"registering {username!r} failed with {response.status_code}"

    @property
    def headers(self):
        """The Cookie header a browser of this user sends with the Socket.IO handshake."""
        return {"Cookie": f"session={self.browser.cookies['session']}"}

    def open_chat(self, transport="websocket"):
        """A chat tab of this user: a Socket.IO client carrying the session cookie."""
        return ChatClient(self.url, transport, self.headers)

    def log_out(self):
        self.browser.get(self.url + "/logout", timeout=HTTP_TIMEOUT)


class ChatClient:
    def __init__(self, url, transport="websocket", headers=None):
        self.seen = []  # (event, data) in the order received, for failure messages
        self._queues = {event: queue.Queue() for event in EVENTS}
        self.client = socketio.Client(reconnection=False)
        for event in EVENTS:
            self.client.on(event, self._recorder(event))
        self.client.connect(url, transports=[transport], headers=headers or {}, wait_timeout=EVENT_TIMEOUT)

    def _recorder(self, event):
        def record(data=None, *_):
            self.seen.append((event, data))
            self._queues[event].put(data)

        return record

    def next(self, event):
        """The data of the next `event` this client receives."""
        try:
            return self._queues[event].get(timeout=EVENT_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no {event!r} within {EVENT_TIMEOUT}s; seen so far: {self.seen}") from None

    def next_count(self):
        """The next 'user count' this client receives."""
        return self.next("user count")

    def wait_for_count(self, expected):
        """Read counts until `expected` arrives; fail after EVENT_TIMEOUT."""
        while self.next_count() != expected:
            pass

    def send(self, message):
        """Express lesson (client): socket.emit('chat message', messageToSend);"""
        self.client.emit("chat message", message)

    def disconnect(self):
        self.client.disconnect()
