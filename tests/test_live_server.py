"""The real server (`python server.py`) over the network: real Socket.IO
clients, and freeCodeCamp's checks fetched the way freeCodeCamp fetches them."""
import signal
import socket
import subprocess
import sys

import pytest
import requests

from tests.server_process import PING_INTERVAL, PING_TIMEOUT, PROJECT_ROOT
from tests.socket_clients import HTTP_TIMEOUT, LiveMember

FREECODECAMP = {"Origin": "https://www.freecodecamp.org"}

# A logged-in client in its own process, so the test can kill or freeze it.
CLIENT_PROCESS = """
import socketio, sys
client = socketio.Client(reconnection=False)
client.connect(sys.argv[1], transports=["websocket"], headers={"Cookie": sys.argv[2]})
print("connected", flush=True)
client.wait()
"""

# The warning `import eventlet` gives (eventlet 0.41 and later): its message,
# of the category eventlet.EventletDeprecationWarning, a subclass of Warning
# (not of DeprecationWarning), which Python prints wherever eventlet is imported.
EVENTLET_DEPRECATION = (
    "\n"
    "Eventlet is deprecated. It is currently being maintained in bugfix mode, and\n"
    "we strongly recommend against using it for new projects.\n"
    "\n"
    "If you are already using Eventlet, we recommend migrating to a different\n"
    "framework.  For more detail see\n"
    "https://eventlet.readthedocs.io/en/latest/asyncio/migration.html\n"
)


def eventlet_deprecation_as_printed():
    """EVENTLET_DEPRECATION as Python prints a warning: the file and line that
    raised it (server.py's `import eventlet`), the message, that line of code."""
    server_py = PROJECT_ROOT / "server.py"
    lines = server_py.read_text().splitlines()
    number = next(n for n, line in enumerate(lines, start=1) if line.strip() == "import eventlet")
    return f"{server_py}:{number}: EventletDeprecationWarning: {EVENTLET_DEPRECATION}\n  import eventlet\n"


def test_prints_only_where_it_listens_as_it_starts(start_server, async_mode):
    """All a learner sees before the server listens; under eventlet, eventlet's
    deprecation warning too, and no other warning."""
    server = start_server(ASYNC_MODE=async_mode)
    listening = f"Listening on port {server.port}\n"
    # Up to that line, the server's output is complete: it was read before the port was known.
    startup = "".join(server.output[: server.output.index(listening) + 1])
    expected = {"gevent": listening, "eventlet": eventlet_deprecation_as_printed() + listening}
    assert startup == expected[async_mode], "a learner would see more than where the app listens"


@pytest.mark.usefixtures("async_mode")
@pytest.mark.parametrize(("first_transport", "second_transport"), [("websocket", "polling"), ("polling", "websocket")])
def test_two_tabs_each_see_one_two_one(live_server, first_transport, second_transport):
    ada = LiveMember(live_server.url, "ada")
    first = ada.open_chat(first_transport)
    assert first.next_count() == 1
    second = ada.open_chat(second_transport)
    assert second.next_count() == 2
    assert first.next_count() == 2, "the first tab was not told about the second"
    second.disconnect()
    assert first.next_count() == 1, "the first tab was not told the second left"
    first.disconnect()


@pytest.fixture
def client_process(live_server):
    cookie = LiveMember(live_server.url, "tab in a process").headers["Cookie"]
    process = subprocess.Popen(
        [sys.executable, "-c", CLIENT_PROCESS, live_server.url, cookie], stdout=subprocess.PIPE, text=True
    )
    with process.stdout:
        yield process
        process.kill()
        process.wait()


@pytest.mark.usefixtures("async_mode")
def test_killed_client_is_dropped_from_the_count(live_server, client_process):
    watcher = LiveMember(live_server.url, "watcher").open_chat()
    watcher.wait_for_count(1)
    assert client_process.stdout.readline().strip() == "connected"
    watcher.wait_for_count(2)
    client_process.kill()
    watcher.wait_for_count(1)


def test_frozen_client_is_dropped_within_the_ping_timeout(live_server, client_process):
    watcher = LiveMember(live_server.url, "watcher").open_chat()
    watcher.wait_for_count(1)
    assert client_process.stdout.readline().strip() == "connected"
    watcher.wait_for_count(2)
    # Stopped, the process keeps its connection open but stops answering pings.
    client_process.send_signal(signal.SIGSTOP)
    assert PING_INTERVAL + PING_TIMEOUT < 15, "the wait below must outlast the heartbeat"
    watcher.wait_for_count(1)


# A browser's WebSocket handshake, offering compression as browsers do.
WEBSOCKET_HANDSHAKE = (
    "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    "\r\n"
)


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet", "threading"])
def test_websockets_are_not_compressed(start_server, async_mode):
    """Compression would cost 100-200 KB of server memory per open chat tab."""
    server = start_server(ASYNC_MODE=async_mode)
    with socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT) as connection:
        connection.sendall(WEBSOCKET_HANDSHAKE.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            received = connection.recv(4096)
            assert received, f"the server closed the connection after {response!r}"
            response += received
    head = response.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 101"), head
    assert "sec-websocket-extensions" not in head, head


@pytest.mark.parametrize("path", ["/profile", "/logout"])
def test_freecodecamp_follows_redirects_to_the_home_page(live_server, path):
    response = requests.get(live_server.url + path, headers=FREECODECAMP, timeout=HTTP_TIMEOUT)
    assert response.history, f"{path} should redirect a visitor"
    for hop in [*response.history, response]:
        assert hop.headers.get("Access-Control-Allow-Origin") == FREECODECAMP["Origin"], f"no CORS on {hop.url}"
    assert response.url == live_server.url + "/"
    assert "Home page" in response.text


def test_register_profile_logout_profile(live_server):
    browser = requests.Session()
    account = {"username": "ada", "password": "lovelace"}
    profile = browser.post(live_server.url + "/register", data=account, timeout=HTTP_TIMEOUT)
    assert profile.url == live_server.url + "/profile"
    assert "Welcome, ada!" in profile.text
    home = browser.get(live_server.url + "/logout", timeout=HTTP_TIMEOUT)
    assert home.url == live_server.url + "/"
    again = browser.get(live_server.url + "/profile", timeout=HTTP_TIMEOUT)
    assert again.url == live_server.url + "/", "the profile should send a logged-out visitor home"
    assert "Home page" in again.text


def test_starts_on_port_3000_with_no_configuration(start_server):
    server = start_server(PORT=None, SESSION_SECRET=None)
    assert server.port == 3000
    assert "Home page" in requests.get("http://127.0.0.1:3000/", timeout=HTTP_TIMEOUT).text
    assert any("SESSION_SECRET is not set" in line for line in server.output)


def test_threading_mode_counts_users_too(start_server):
    server = start_server(ASYNC_MODE="threading")
    first = LiveMember(server.url, "ada").open_chat("websocket")
    assert first.next_count() == 1
    second = LiveMember(server.url, "bob").open_chat("polling")
    assert first.next_count() == 2
    second.disconnect()
    assert first.next_count() == 1
    first.disconnect()


@pytest.mark.usefixtures("async_mode")
def test_tabs_that_come_and_go_leave_nothing_in_the_log(live_server):
    """A WebSocket that ends leaves its connection with nothing more to serve:
    the frames a client sends as it closes are never read as a new HTTP request."""
    ada = LiveMember(live_server.url, "ada")
    for _ in range(10):
        tab = ada.open_chat("websocket")
        tab.wait_for_count(1)
        tab.disconnect()
    live_server.stop()
    printed = "".join(live_server.output)
    assert "Traceback" not in printed and "Invalid HTTP method" not in printed, printed
