"""Slow clients time out: a connection that takes longer than REQUEST_TIMEOUT
to send a whole HTTP request, however steadily it trickles, is closed, and so
is an Engine.IO connection that has not joined Socket.IO (its CONNECT)
within SOCKETIO_CONNECT_TIMEOUT. Neither touches long polls, which wait with
nothing to send, nor the open WebSockets of logged-in tabs."""
import socket
import threading
import time

import pytest
import requests

from tests.socket_clients import EVENT_TIMEOUT, HTTP_TIMEOUT, LiveMember, RawTab

TIMEOUT = 1  # seconds, both settings, for these tests
TRICKLE_EVERY = 0.2  # seconds between the bytes of a slow client: well within any per-read timeout


@pytest.fixture
def server(start_server, async_mode):
    return start_server(ASYNC_MODE=async_mode, REQUEST_TIMEOUT=str(TIMEOUT), SOCKETIO_CONNECT_TIMEOUT=str(TIMEOUT))


def trickle(server, start, then):
    """Sends `start`, then the bytes of `then` one at a time, TRICKLE_EVERY
    seconds apart; returns how many seconds passed before the server closed
    the connection, failing if it had not within EVENT_TIMEOUT."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=EVENT_TIMEOUT) as connection:
        closed = threading.Event()

        def read_until_closed():
            try:
                while connection.recv(4096):
                    pass
            except TimeoutError:
                return  # open all along
            except OSError:  # reset
                pass
            closed.set()

        started = time.monotonic()
        connection.sendall(start)
        threading.Thread(target=read_until_closed, daemon=True).start()
        for byte in then:
            # The pace of a slow client, not a wait for the server.
            if closed.wait(TRICKLE_EVERY) or time.monotonic() - started > EVENT_TIMEOUT:
                break
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                break
        assert closed.wait(EVENT_TIMEOUT), f"the server left the connection open for {EVENT_TIMEOUT}s"
        return time.monotonic() - started


ENDLESS_HEADERS = b"X-Slow: " + b"a" * 1000  # longer than EVENT_TIMEOUT at this pace


def test_headers_sent_a_byte_at_a_time_time_out(server):
    host = server.url.removeprefix("http://")
    seconds = trickle(server, f"GET / HTTP/1.1\r\nHost: {host}\r\n".encode(), ENDLESS_HEADERS)
    assert seconds < TIMEOUT + 2
    server.wait_for_output(f"Closed a connection that had not sent its whole request within {TIMEOUT} s.\n")
    assert "Traceback" not in "".join(server.output)


@pytest.mark.parametrize("upgrade", ["", "Connection: Upgrade\r\nUpgrade: websocket\r\n"], ids=["plain", "asking-for-a-websocket"])
def test_a_body_sent_a_byte_at_a_time_times_out(server, upgrade):
    # Asking for a WebSocket in the headers changes nothing: only a request without a body can be one.
    host = server.url.removeprefix("http://")
    headers = f"POST /login HTTP/1.1\r\nHost: {host}\r\n{upgrade}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    seconds = trickle(server, headers.encode(), b"username=" + b"a" * 991)
    assert seconds < TIMEOUT + 2
    server.wait_for_output(f"Closed a connection that had not sent its whole request within {TIMEOUT} s.\n")
    assert "Traceback" not in "".join(server.output)


def test_a_body_bigger_than_any_the_app_accepts_is_refused_unread(server):
    # The server reads each body before the app runs, but not one the app refuses by its length alone.
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=EVENT_TIMEOUT) as connection:
        connection.sendall(f"POST /login HTTP/1.1\r\nHost: {host}\r\nContent-Length: {1 << 30}\r\n\r\n".encode())
        connection.sendall(b"a" * 65 * 1024)
        assert connection.recv(4096).startswith(b"HTTP/1.1 413 ")
    assert "Traceback" not in "".join(server.output)


def test_a_websocket_that_never_joins_socketio_is_closed(server):
    watcher = LiveMember(server.url, "watcher").open_chat()
    watcher.wait_for_count(1)
    tab = RawTab(server.url, {}, join=False)  # it answers every ping: only its silence gives it away
    tab.wait_until_closed()
    server.wait_for_output(f"Closed an Engine.IO connection that had not joined Socket.IO within {TIMEOUT} s.\n")
    # The watcher has been connected for longer than the timeout: still there.
    newcomer = LiveMember(server.url, "newcomer").open_chat()
    newcomer.send("still here")
    assert watcher.next("chat message")["message"] == "still here"


def test_a_connection_whose_socket_left_is_closed_unless_it_joins_again(server):
    ada, bob = LiveMember(server.url, "ada"), LiveMember(server.url, "bob")
    leaving, rejoining, logged_out = RawTab(server.url, ada.headers), RawTab(server.url, ada.headers), RawTab(server.url, bob.headers)
    time.sleep(TIMEOUT + 1)  # joined for longer than the timeout: what is being tested, not a wait for an event
    # Each goes on answering pings with its Engine.IO connection open.
    rejoining.send("41")  # leaves Socket.IO...
    rejoining.send("40")  # ...and joins again at once
    while not rejoining.next_socketio_packet().startswith("0"):  # the answer to its CONNECT
        pass
    leaving.send("41")  # leaves, as a page's socket.disconnect() does, and stays
    bob.log_out()  # the server makes bob's socket leave (presence.py)
    leaving.wait_until_closed()
    logged_out.wait_until_closed()
    # The tab that joined again is still in the chat: its time ran out before the leaving tab's did.
    rejoining.send('42["chat message","still here"]')
    assert rejoining.next_event("chat message")["message"] == "still here"
    server.stop()
    assert "".join(server.output).count(f"had not joined Socket.IO within {TIMEOUT} s.") == 2, server.output


def test_a_polling_connection_that_never_joins_socketio_is_closed(server):
    http = requests.Session()
    with http:
        opened = http.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=HTTP_TIMEOUT)
        sid = opened.text.split('"sid":"')[1].split('"')[0]
        started = time.monotonic()
        while time.monotonic() - started < EVENT_TIMEOUT:  # polls as a client does, answering pings
            poll = http.get(f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}", timeout=HTTP_TIMEOUT)
            if poll.status_code != 200 or "1" in poll.text.split("\x1e"):  # refused, or the CLOSE packet
                break
            if "2" in poll.text.split("\x1e"):
                http.post(f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}", data="3", timeout=HTTP_TIMEOUT)
        else:
            raise AssertionError(f"the server kept the connection open for {EVENT_TIMEOUT}s")


def test_long_polls_and_idle_websockets_outlast_the_timeouts(start_server, async_mode):
    # Each long poll waits SOCKETIO_PING_INTERVAL seconds for something to
    # send: longer than REQUEST_TIMEOUT, which is about the client's request only.
    server = start_server(
        ASYNC_MODE=async_mode, REQUEST_TIMEOUT=str(TIMEOUT), SOCKETIO_CONNECT_TIMEOUT=str(TIMEOUT), SOCKETIO_PING_INTERVAL="3"
    )
    polling = LiveMember(server.url, "polling").open_chat("polling")
    websocket = LiveMember(server.url, "websocket").open_chat()
    websocket.wait_for_count(2)
    time.sleep(3 * TIMEOUT + 3)  # idle, as a tab nobody types in: what is being tested, not a wait for an event
    polling.send("still here")
    assert websocket.next("chat message")["message"] == "still here"
    assert polling.next("chat message")["message"] == "still here"
    websocket.send("me too")
    assert polling.next("chat message")["message"] == "me too"
    assert ("disconnect", None) not in polling.seen + websocket.seen
