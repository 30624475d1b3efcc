"""WebSocket messages are limited before they are buffered: a message bigger
than a Socket.IO packet may be (SOCKETIO_MAX_PACKET_BYTES), in one frame or
in many, a compressed frame, and a binary packet announcing more
attachments, or more bytes of them, than a packet may hold, each close their
sender's connection as soon as the server can tell, with one log line and no
traceback. Memory never grows with what such a client sends."""
import contextlib
import json
import socket
import zlib

import pytest
from websockets.exceptions import ConnectionClosed

from tests.socket_clients import EVENT_TIMEOUT, LiveMember, RawTab, RawWebSocket

# Every test here runs under each ASYNC_MODE (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("async_mode")

PACKET_LIMIT = 64 * 1024  # the default SOCKETIO_MAX_PACKET_BYTES
CHUNK = b"4" + b"a" * (32 * 1024 - 1)  # a message ("4...") sent 32 KB at a time


@pytest.fixture
def live_server(start_server, async_mode):
    """The server, with a heartbeat slow enough never to be what closes a connection here."""
    return start_server(ASYNC_MODE=async_mode, SOCKETIO_PING_INTERVAL="60", SOCKETIO_PING_TIMEOUT="60")


@pytest.fixture
def ada(live_server):
    return LiveMember(live_server.url, "ada")


TOO_BIG = f"Closed a WebSocket that sent a message of more than {PACKET_LIMIT} bytes.\n"


def assert_closed_without_traceback(server, ws, log_line=None):
    ws.wait_until_closed()
    if log_line:
        server.wait_for_output(log_line)
    assert "Traceback" not in "".join(server.output)


def test_a_frame_announcing_a_gigabyte_is_refused_before_it_has_arrived(live_server):
    with RawWebSocket(live_server.url) as ws:
        closed = ws.send_frame(RawWebSocket.TEXT, CHUNK, length=1 << 30)
        sent = len(CHUNK)
        while not closed and sent < 4 * 1024 * 1024:  # the server would wait for the rest of the gigabyte
            closed = ws.send_bytes(b"a" * len(CHUNK))
            sent += len(CHUNK)
        assert_closed_without_traceback(live_server, ws, TOO_BIG)


def test_a_message_in_many_small_frames_is_refused_once_it_outgrows_a_packet(live_server):
    with RawWebSocket(live_server.url) as ws:
        closed = ws.send_frame(RawWebSocket.TEXT, CHUNK, fin=False)
        sent = len(CHUNK)
        while not closed and sent < 4 * 1024 * 1024:  # each frame is under the limit; the message is not
            closed = ws.send_frame(RawWebSocket.CONTINUATION, b"a" * len(CHUNK), fin=False)
            sent += len(CHUNK)
        assert_closed_without_traceback(live_server, ws, TOO_BIG)


def test_a_compressed_frame_is_refused_since_compression_was_never_agreed(live_server):
    deflate = zlib.compressobj(wbits=-15)
    bomb = deflate.compress(b"4" + b"a" * (64 * 1024 * 1024)) + deflate.flush(zlib.Z_SYNC_FLUSH)
    with RawWebSocket(live_server.url, {"Sec-WebSocket-Extensions": "permessage-deflate"}) as ws:
        assert b"permessage-deflate" not in ws.handshake.lower()
        ws.send_frame(RawWebSocket.TEXT, bomb[:-4], flags=RawWebSocket.COMPRESSED)  # 64 MB inflated, 64 KB sent
        assert_closed_without_traceback(live_server, ws)


def binary_event(attachments):
    """A Socket.IO BINARY_EVENT 'chat message' announcing `attachments` attachments, as an Engine.IO message."""
    return f"45{attachments}-" + json.dumps(["chat message", {"_placeholder": True, "num": 0}])


def send_attachments(tab, how_many, size):
    """Sends binary messages until `how_many` are sent or the server has closed the connection."""
    with contextlib.suppress(ConnectionClosed):
        for _ in range(how_many):
            tab.ws.send(b"x" * size)


def test_a_binary_packet_announcing_ten_billion_attachments_closes_the_connection(live_server, ada):
    tab = RawTab(live_server.url, ada.headers)
    tab.send(binary_event(9_999_999_999))
    send_attachments(tab, 100, 1024)  # memory would grow with every one the server kept
    tab.wait_until_closed()
    live_server.wait_for_output("Closed a Socket.IO connection that announced more than 10 binary attachments.\n")
    assert "Traceback" not in "".join(live_server.output)


def test_a_client_sending_as_fast_as_it_can_is_cut_off_while_it_sends(live_server, ada):
    # Were everything it sends read before any of it is handled, it would all be in memory at once.
    tab = RawTab(live_server.url, ada.headers)
    tab.send(binary_event(9_999_999_999))
    with pytest.raises(ConnectionClosed):
        for _ in range(1000):  # 60 MB
            tab.ws.send(b"x" * 60 * 1024)


def test_attachments_bigger_together_than_a_packet_close_the_connection(live_server, ada):
    tab = RawTab(live_server.url, ada.headers)
    tab.send(binary_event(3))
    send_attachments(tab, 3, PACKET_LIMIT // 2)  # each is under the limit; the three are not
    tab.wait_until_closed()
    live_server.wait_for_output(f"Closed a Socket.IO connection that sent more than {PACKET_LIMIT} bytes of binary attachments.\n")
    assert "Traceback" not in "".join(live_server.output)


def test_a_small_binary_packet_is_answered_as_a_message_that_is_not_text(live_server, ada):
    tab = RawTab(live_server.url, ada.headers)
    tab.send(binary_event(1))
    tab.ws.send(b"x" * 1024)
    assert tab.next_event("chat error") == {"message": "A chat message must be text."}
    tab.send('42["chat message","still open"]')
    assert tab.next_event("chat message")["message"] == "still open"


def test_a_websocket_of_the_2010_drafts_is_refused(live_server):
    # Its messages end with a byte that may never come: eventlet would take it and keep what arrives until then.
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=EVENT_TIMEOUT) as connection:
        connection.sendall(
            b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\n"
            b"Connection: Upgrade\r\nOrigin: http://x\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
            b"Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U"
        )
        assert connection.recv(4096).startswith(b"HTTP/1.1 400 ")
    assert "Traceback" not in "".join(live_server.output)
