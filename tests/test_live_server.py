"""The real server (`python server.py`) over the network: real Socket.IO
clients, and freeCodeCamp's checks fetched the way freeCodeCamp fetches them."""
import signal
import subprocess
import sys

import pytest
import requests

from tests.lesson_checks import source_checks
from tests.server_process import PING_INTERVAL, PING_TIMEOUT
from tests.socket_clients import CountingClient

FREECODECAMP = {"Origin": "https://www.freecodecamp.org"}
HTTP_TIMEOUT = 10

# A client in its own process, so the test can kill or freeze it.
CLIENT_PROCESS = """
import socketio, sys
client = socketio.Client(reconnection=False)
client.connect(sys.argv[1], transports=["websocket"])
print("connected", flush=True)
client.wait()
"""


@pytest.mark.parametrize(("first_transport", "second_transport"), [("websocket", "polling"), ("polling", "websocket")])
def test_two_tabs_each_see_one_two_one(live_server, first_transport, second_transport):
    first = CountingClient(live_server.url, first_transport)
    assert first.next_count() == 1
    second = CountingClient(live_server.url, second_transport)
    assert second.next_count() == 2
    assert first.next_count() == 2, "the first tab was not told about the second"
    second.disconnect()
    assert first.next_count() == 1, "the first tab was not told the second left"
    first.disconnect()


@pytest.fixture
def client_process(live_server):
    process = subprocess.Popen(
        [sys.executable, "-c", CLIENT_PROCESS, live_server.url], stdout=subprocess.PIPE, text=True
    )
    with process.stdout:
        yield process
        process.kill()
        process.wait()


def test_killed_client_is_dropped_from_the_count(live_server, client_process):
    watcher = CountingClient(live_server.url, "websocket")
    watcher.wait_for_count(1)
    assert client_process.stdout.readline().strip() == "connected"
    watcher.wait_for_count(2)
    client_process.kill()
    watcher.wait_for_count(1)


def test_frozen_client_is_dropped_within_the_ping_timeout(live_server, client_process):
    watcher = CountingClient(live_server.url, "websocket")
    watcher.wait_for_count(1)
    assert client_process.stdout.readline().strip() == "connected"
    watcher.wait_for_count(2)
    # Stopped, the process keeps its connection open but stops answering pings.
    client_process.send_signal(signal.SIGSTOP)
    assert PING_INTERVAL + PING_TIMEOUT < 15, "the wait below must outlast the heartbeat"
    watcher.wait_for_count(1)


@pytest.mark.parametrize("lesson", [18, 19])
def test_freecodecamp_source_checks_pass(live_server, lesson):
    checks = source_checks(lesson)
    assert checks, f"no source checks found for lesson {lesson}"
    for path, pattern in checks:
        response = requests.get(live_server.url + path, headers=FREECODECAMP, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200
        assert response.headers.get("Access-Control-Allow-Origin") == FREECODECAMP["Origin"], f"{path} lacks CORS"
        assert pattern.search(response.text), f"lesson {lesson}: {path} does not match {pattern.pattern}"


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
    first = CountingClient(server.url, "websocket")
    assert first.next_count() == 1
    second = CountingClient(server.url, "polling")
    assert first.next_count() == 2
    second.disconnect()
    assert first.next_count() == 1
    first.disconnect()
