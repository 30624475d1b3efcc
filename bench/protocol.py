"""One chat tab, reduced to what the bench needs: a WebSocket that speaks
Engine.IO 4 / Socket.IO 5 by hand and keeps the user count it was last sent.

The frames, as text (Engine.IO type digit, then Socket.IO type digit):
    server: 0{"sid":...,"pingInterval":...}   Engine.IO OPEN
    client: 40                                Socket.IO CONNECT to namespace /
    server: 40{"sid":...}  or  44{...}        connected, or refused
    server: 42["user count",N]                an event
    server: 42["user",{...,"currentUsers":N}] an event
    server: 2    client: 3                    Engine.IO ping and pong

The WebSocket is websockets' Sans-I/O protocol driven by a plain asyncio
Protocol: every frame is handled as soon as the bytes arrive, with no task
switch per message, so the bench spends far less CPU than the server.
"""
import asyncio

from websockets.client import ClientProtocol
from websockets.exceptions import WebSocketException
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.uri import parse_uri

USER_COUNT = b'42["user count",'
USER = b'42["user",'
CURRENT_USERS = b'"currentUsers":'
CLOSE_TIMEOUT = 2  # seconds a server has to end the TCP connection after answering a close frame


class Refused(Exception):
    """The server answered the Socket.IO CONNECT with 44 (not logged in, or an error)."""


# What Client.open() raises when a connection cannot be made.
CONNECT_ERRORS = (OSError, TimeoutError, WebSocketException, Refused)


def browser_like_extensions(deflate):
    """What the client offers: `permessage-deflate; client_max_window_bits`, as browsers do, or nothing."""
    return [ClientPerMessageDeflateFactory(compress_settings={"memLevel": 5})] if deflate else None


class Client(asyncio.Protocol):
    """A WebSocket client whose `count` is the user count it last received."""

    def __init__(self, url, cookie, deflate, on_count):
        """`on_count(client, old, new)` is called whenever `count` changes."""
        self.url = url
        self.cookie = cookie
        self.deflate = deflate
        self.on_count = on_count
        self.count = None
        self.connected = False  # the server accepted the Socket.IO connection
        self.dropped = False  # the server or the network closed it, not the bench
        self._closing = False
        self._transport = None
        self._websocket = None
        self._connected = asyncio.get_running_loop().create_future()
        # A failure counts as seen even when open() has stopped waiting for it.
        self._connected.add_done_callback(lambda future: future.cancelled() or future.exception())

    async def open(self, timeout):
        """Connects and waits until the server accepts the Socket.IO connection."""
        uri = parse_uri(self.url)
        self._websocket = ClientProtocol(uri, extensions=browser_like_extensions(self.deflate))
        request = self._websocket.connect()
        request.headers["Cookie"] = f"session={self.cookie}"
        self._websocket.send_request(request)
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.create_connection(lambda: self, uri.host, uri.port), timeout)
        await asyncio.wait_for(asyncio.shield(self._connected), timeout)

    def connection_made(self, transport):
        """The TCP connection is open: the HTTP upgrade request goes first."""
        self._transport = transport
        self._send_pending()

    def data_received(self, data):
        """Hands the bytes to the WebSocket protocol and handles the frames they complete."""
        self._websocket.receive_data(data)
        for event in self._websocket.events_received():
            if isinstance(event, Frame):
                if event.opcode is Opcode.TEXT:
                    self._receive(event.data)
            elif self._websocket.handshake_exc is not None:  # the HTTP answer to the upgrade
                self._failed(self._websocket.handshake_exc)
        self._send_pending()

    def _receive(self, message):
        """Handles one text frame (bytes), the frequent ones first."""
        if message.startswith(USER_COUNT):
            self._set_count(int(message[len(USER_COUNT):-1]))
        elif message.startswith(USER):
            # No user name can hold `"currentUsers":`: JSON escapes the quotes in it.
            start = message.rindex(CURRENT_USERS) + len(CURRENT_USERS)
            self._set_count(int(message[start:].split(b",", 1)[0].split(b"}", 1)[0]))
        elif message == b"2":
            self._websocket.send_text(b"3")
        elif message.startswith(b"0"):
            self._websocket.send_text(b"40")
        elif message.startswith(b"40") and not self._connected.done():
            self.connected = True
            self._connected.set_result(None)
        elif message.startswith(b"44"):
            self._failed(Refused(message.decode()))
        elif message.startswith(b"41"):  # the server ended the Socket.IO connection
            self._transport.abort()  # and, as Socket.IO's own client, this one does not come back

    def _set_count(self, count):
        """Remembers the latest count and reports a change."""
        if count != self.count:
            old, self.count = self.count, count
            self.on_count(self, old, count)

    def _send_pending(self):
        """Writes what the WebSocket protocol has to send (b'' means: close the TCP connection)."""
        for data in self._websocket.data_to_send():
            if self._transport.is_closing():
                return
            if data:
                self._transport.write(data)
            else:
                self._transport.close()

    def _failed(self, error):
        """The connection cannot be used: open() raises `error`."""
        if not self._connected.done():
            self._connected.set_exception(error)
        self.abort()

    def eof_received(self):
        """The server closed its side of the TCP connection."""
        self._websocket.receive_eof()
        self._send_pending()

    def connection_lost(self, error):
        """The TCP connection is gone, whoever ended it."""
        self.dropped = not self._closing
        if not self._connected.done():
            self._connected.set_exception(error or ConnectionError("closed before Socket.IO connected"))

    def start_closing(self):
        """Closes the WebSocket as a closing tab does (a close frame), without waiting for it.

        The server answers the close frame and ends the TCP connection; one
        that leaves it open has it dropped after CLOSE_TIMEOUT seconds.
        """
        if not self.connected or self._transport.is_closing():
            self.abort()
            return
        self._closing = True
        self._websocket.send_close()
        self._send_pending()
        asyncio.get_running_loop().call_later(CLOSE_TIMEOUT, self.abort)

    def abort(self):
        """Drops the connection at once, with no goodbye (the end of a measurement)."""
        self._closing = True
        if self._transport is not None:
            self._transport.abort()
