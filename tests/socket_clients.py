"""Real Socket.IO clients (python-socketio) for the tests that talk to the
live server: users registered through the real forms, and clients that queue
every event the server sends them."""
import contextlib
import json
import queue
import socket
import threading

import requests
import socketio
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

EVENT_TIMEOUT = 15
HTTP_TIMEOUT = 10

# Everything the server sends a chat client, plus the client's own
# disconnect, and why the server refused to connect it.
EVENTS = ("user count", "user", "chat message", "chat error", "disconnect", "connect_error")


class Refused(Exception):
    """The server refused the connection; the message is the server's reason."""


class LiveMember:
    """A user registered on the live server through the real form, and the
    session cookie their browser would hold. (Each request opens and closes
    its own connection, so none is left open when the server stops.)"""

    def __init__(self, url, username, password="secret"):
        self.url = url
        response = requests.post(
            url + "/register",
            data={"username": username, "password": password},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        assert response.headers.get("Location") == "/profile", f"registering {username!r} failed: {response.status_code}"
        self.cookies = {"session": response.cookies["session"]}

    @property
    def headers(self):
        """The Cookie header a browser of this user sends with the Socket.IO handshake."""
        return {"Cookie": f"session={self.cookies['session']}"}

    def open_chat(self, transport="websocket", reconnection=False):
        """A chat tab of this user: a Socket.IO client carrying the session cookie."""
        return ChatClient(self.url, transport, self.headers, self.cookies, reconnection)

    def log_out(self):
        requests.get(self.url + "/logout", cookies=self.cookies, allow_redirects=False, timeout=HTTP_TIMEOUT)


class ChatClient:
    """A chat tab: a real Socket.IO client that queues, by name, every event
    the server sends it. Raises Refused when the server turns it away."""

    opened = []  # every client that connected, for close_all()

    def __init__(self, url, transport="websocket", headers=None, cookies=None, reconnection=False):
        """`headers` go with the handshake; `cookies` with every request, as a
        browser sends them (nginx's sticky sessions need them on every poll).
        With `reconnection`, a client whose connection broke connects again
        by itself, as a page's io() does."""
        self.seen = []  # (event, data) in the order received, for failure messages
        self._queues = {event: queue.Queue() for event in EVENTS}
        self._ended = threading.Event()
        self._http = requests.Session()
        self._http.cookies.update(cookies or {})
        self.client = socketio.Client(reconnection=reconnection, http_session=self._http)
        for event in EVENTS:
            self.client.on(event, self._recorder(event))
        try:
            self.client.connect(url, transports=[transport], headers=headers or {}, wait_timeout=EVENT_TIMEOUT)
        except socketio.exceptions.ConnectionError as error:
            self._close_leftovers()
            reasons = [data["message"] for event, data in self.seen if event == "connect_error" and isinstance(data, dict)]
            raise Refused(reasons[0] if reasons else str(error)) from error
        ChatClient.opened.append(self)

    @classmethod
    def close_all(cls):
        """Once the server has stopped: lets every client notice, then closes
        what it left open."""
        while cls.opened:
            client = cls.opened.pop()
            client._ended.wait(EVENT_TIMEOUT)
            client.client.shutdown()  # stops a client that reconnects by itself from trying again
            client._close_leftovers()

    def _recorder(self, event):
        def record(data=None, *_):
            if event == "disconnect":
                self._ended.set()
            self.seen.append((event, data))
            self._queues[event].put(data)

        return record

    def next(self, event, timeout=EVENT_TIMEOUT):
        """The data of the next `event` this client receives."""
        try:
            return self._queues[event].get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no {event!r} within {timeout}s; seen so far: {self.seen}") from None

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
        """Leaves the chat, as closing the tab does."""
        self.client.disconnect()
        self._close_leftovers()

    def _close_leftovers(self):
        # When the server ends a connection, python-engineio leaves its HTTP
        # session (polling) or its WebSocket open, to be found by the garbage
        # collector (a ResourceWarning, so an error here); close them now.
        self._http.close()
        if self.client.eio.ws is not None:
            self.client.eio.ws.shutdown()


class RawTab:
    """A logged-in chat tab that speaks raw Engine.IO frames over a WebSocket,
    so a test can make it misbehave: send frames no browser sends, emit the
    events the Socket.IO protocol reserves, or fall asleep (stop answering
    pings with its TCP connection left open, as a sleeping laptop does)."""

    opened = []  # every tab, for close_all()

    def __init__(self, url, headers, join=True):
        """Opens the WebSocket and, unless `join` is False (an anonymous
        connection that never joins the chat), sends Socket.IO's CONNECT."""
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.awake = True
        self._frames = queue.Queue()
        # close_timeout=None: the connection ends only when the server ends it.
        connection = connect(ws_url, additional_headers=headers, open_timeout=EVENT_TIMEOUT, close_timeout=None)
        self.ws = connection.__enter__()  # close_all() closes it
        RawTab.opened.append(self)
        threading.Thread(target=self._read_frames, daemon=True).start()
        assert self.receive().startswith("0"), "no Engine.IO OPEN packet"
        if not join:
            return
        self.send("40")  # Socket.IO CONNECT to the namespace "/"
        answer = self.next_socketio_packet()
        while answer.startswith("2"):  # an event broadcast before the answer to CONNECT
            answer = self.next_socketio_packet()
        if not answer.startswith("0"):
            raise Refused(answer)

    @classmethod
    def close_all(cls):
        """Ends every tab's connection at once, whether or not the server still answers."""
        while cls.opened:
            tab = cls.opened.pop()
            tab.kill()
            tab.ws.close()

    def _read_frames(self):
        # Queues every frame but the pings it answers while awake; None when the connection ends.
        try:
            for frame in self.ws:
                if frame == "2" and self.awake:
                    self.ws.send("3")
                else:
                    self._frames.put(frame)
        except ConnectionClosed:
            pass
        self._frames.put(None)

    def fall_asleep(self):
        """Stops answering pings; the connection stays open."""
        self.awake = False

    def leave(self):
        """Leaves as the page's socket.disconnect() does: a Socket.IO DISCONNECT, then the connection ends."""
        self.send("41")
        self.kill()

    def kill(self):
        """Ends the TCP connection without a word, as a killed browser's system does."""
        with contextlib.suppress(OSError):  # already ended
            self.ws.socket.shutdown(socket.SHUT_RDWR)

    def wait_for_count(self, expected):
        """Reads 'user count' events until `expected` arrives; fails after EVENT_TIMEOUT without one."""
        while self.next_event("user count") != expected:
            pass

    def counts_until(self, event):
        """Every 'user count' received before the next `event`."""
        counts = []
        while True:
            name, data = self.next_any_event()
            if name == event:
                return counts
            if name == "user count":
                counts.append(data)

    def send(self, frame):
        self.ws.send(frame)

    def send_until_closed(self, frame, times):
        """Sends `frame` `times` times, or until the server closes the connection;
        how many were sent."""
        for sent in range(times):
            try:
                self.ws.send(frame)
            except ConnectionClosed:
                return sent
        return times

    def receive(self):
        """The next frame from the server; None once the server has closed the connection."""
        try:
            return self._frames.get(timeout=EVENT_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"the server sent nothing within {EVENT_TIMEOUT}s") from None

    def next_socketio_packet(self):
        """The next frame that is a Socket.IO packet ("4..."), skipping Engine.IO's own."""
        frame = self.receive()
        while frame is not None and not frame.startswith("4"):
            frame = self.receive()
        if frame is None:
            raise AssertionError("the server closed the connection")
        return frame[1:]

    def next_event(self, event):
        """The data of the next Socket.IO `event` (the frame `42["event", data]`), skipping others."""
        while True:
            name, data = self.next_any_event()
            if name == event:
                return data

    def next_any_event(self):
        """The name and data of the next Socket.IO event."""
        packet = self.next_socketio_packet()
        while not packet.startswith("2"):
            packet = self.next_socketio_packet()
        name, *data = json.loads(packet[1:])
        return name, data[0] if data else None

    def wait_until_closed(self):
        """Reads frames until the server closes the connection; fails if it does not."""
        while self.receive() is not None:
            pass


class RawWebSocket:
    """A WebSocket to the chat's Engine.IO endpoint over a plain socket, that
    writes its own frames: any size, fragmented, with any header bits set,
    and a length it never sends. A WebSocket library would refuse to."""

    TEXT, BINARY, CONTINUATION = 0x1, 0x2, 0x0
    COMPRESSED = 0x40  # RSV1: permessage-deflate's "this message is compressed"

    def __init__(self, url, headers=None):
        host, port = url.removeprefix("http://").split(":")
        self._connection = socket.create_connection((host, int(port)), timeout=EVENT_TIMEOUT)
        request = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {host}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        self._connection.sendall(("\r\n".join(request) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self._connection.recv(4096)
        self.handshake, _, self.received = answer.partition(b"\r\n\r\n")
        assert self.handshake.startswith(b"HTTP/1.1 101"), self.handshake

    def send_frame(self, opcode, payload=b"", fin=True, flags=0, length=None):
        """Sends one frame, masked with zeros, announcing `length` bytes
        (len(payload) unless given); True once the server has closed the connection."""
        length = len(payload) if length is None else length
        header = bytes([(0x80 if fin else 0) | flags | opcode])
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + length.to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + length.to_bytes(8, "big")
        return self.send_bytes(header + bytes(4) + payload)

    def send_bytes(self, data):
        """Sends raw bytes; True once the server has closed the connection."""
        try:
            self._connection.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            return True
        return False

    def wait_until_closed(self):
        """Reads until the server ends the connection; fails if it has not within EVENT_TIMEOUT."""
        try:
            while True:
                data = self._connection.recv(65536)
                if not data:
                    return
                self.received += data
        except ConnectionResetError:
            return
        except TimeoutError:
            raise AssertionError(f"the server left the connection open for {EVENT_TIMEOUT}s") from None

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self._connection.close()


class SleepingLaptop(RawWebSocket):
    """A chat tab on a laptop that went to sleep: its TCP connection stays
    open and its system still acknowledges what arrives, but nothing reads or
    answers, not even the WebSocket's closing handshake. A plain socket: a
    WebSocket library would answer that handshake by itself."""

    def __init__(self, url, headers):
        super().__init__(url, headers)
        self.send_frame(self.TEXT, b"40")  # Socket.IO CONNECT, then sleep

    def close(self):
        self._connection.close()

    def wake_up(self):
        """Reads everything the server sent meanwhile; fails unless the server has ended the connection."""
        with self._connection:
            self.wait_until_closed()
