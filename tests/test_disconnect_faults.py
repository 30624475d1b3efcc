"""Handle a Disconnect under real faults, on the real server: tabs that stop
answering (a laptop put to sleep), browsers killed with their tabs, frames no
browser sends, and clients that emit the events Socket.IO keeps for itself.
After each, the count is exact and the chat still works for everyone else.

The server runs with a one-second heartbeat (tests/server_process.py), so a
silent tab is dropped within seconds."""
import subprocess
import sys
from contextlib import closing

import pytest

from tests.socket_clients import LiveMember, RawTab, SleepingLaptop

# Every test here runs under each ASYNC_MODE (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("async_mode")

# Logged-in polling tabs in a process of their own, so the test can kill them all at once.
POLLING_TABS_PROCESS = """
import socketio, sys
url, cookie, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
tabs = [socketio.Client(reconnection=False) for _ in range(count)]
for tab in tabs:
    tab.connect(url, transports=["polling"], headers={"Cookie": cookie}, wait_timeout=15)
print("connected", flush=True)
tabs[0].wait()
"""


@pytest.fixture
def ada(live_server):
    return LiveMember(live_server.url, "ada")


@pytest.fixture
def watcher(live_server):
    """A well-behaved tab of another user, open before the trouble starts."""
    tab = LiveMember(live_server.url, "watcher").open_chat()
    tab.wait_for_count(1)
    return tab


def assert_chat_still_works(server, watcher, expected_count):
    """A new tab connects and is counted, and a message reaches everyone."""
    newcomer = LiveMember(server.url, "newcomer").open_chat()
    newcomer.wait_for_count(expected_count + 1)
    watcher.wait_for_count(expected_count + 1)
    newcomer.send("still here")
    assert watcher.next("chat message")["message"] == "still here", "the chat stopped for everyone"


@pytest.mark.parametrize("how_many", [2, 10])
def test_tabs_that_stop_answering_together_are_dropped(live_server, watcher, ada, how_many):
    # A laptop goes to sleep with chat tabs open: their connections stay open
    # and they all stop answering pings at the same moment.
    tabs = [RawTab(live_server.url, ada.headers) for _ in range(how_many)]
    watcher.wait_for_count(how_many + 1)
    for tab in tabs:
        tab.fall_asleep()
    watcher.wait_for_count(1)
    for tab in tabs:
        tab.wait_until_closed()  # the server ended their connections too, not only their sockets
    assert_chat_still_works(live_server, watcher, 1)


def test_laptop_asleep_is_disconnected_completely(live_server, watcher, ada):
    with closing(SleepingLaptop(live_server.url, ada.headers)) as laptop:
        watcher.wait_for_count(2)
        watcher.wait_for_count(1)  # dropped when its heartbeat lapsed
        laptop.wake_up()  # and its connection ended, though it never answered the WebSocket's goodbye


@pytest.mark.server_environment(CHAT_TABS_PER_SESSION="50")
def test_polling_tabs_killed_together_are_all_dropped(live_server, watcher, ada):
    process = subprocess.Popen(
        [sys.executable, "-c", POLLING_TABS_PROCESS, live_server.url, ada.headers["Cookie"], "50"],
        stdout=subprocess.PIPE,
        text=True,
    )
    with process.stdout:
        assert process.stdout.readline().strip() == "connected"
        watcher.wait_for_count(51)
        process.kill()
        process.wait()
    watcher.wait_for_count(1)
    assert_chat_still_works(live_server, watcher, 1)


@pytest.mark.parametrize("frame", ["", "x", "é", "{}"], ids=["empty", "letter", "non-ascii", "json"])
def test_malformed_engineio_frame_drops_its_sender_at_once(start_server, async_mode, frame):
    # A heartbeat far longer than the test waits, so only the frame itself can get the tab dropped.
    server = start_server(ASYNC_MODE=async_mode, SOCKETIO_PING_INTERVAL="60", SOCKETIO_PING_TIMEOUT="60")
    watcher = LiveMember(server.url, "watcher").open_chat()
    watcher.wait_for_count(1)
    tab = RawTab(server.url, LiveMember(server.url, "ada").headers)
    watcher.wait_for_count(2)
    tab.send(frame)
    tab.wait_until_closed()
    watcher.wait_for_count(1)
    assert_chat_still_works(server, watcher, 1)


RESERVED_EVENTS = ["connect", "disconnect", "connect_error", "disconnecting", "newListener", "removeListener"]


@pytest.mark.parametrize("event", RESERVED_EVENTS)
def test_client_sent_reserved_event_is_refused_and_no_one_else_notices(live_server, watcher, ada, event):
    tab = RawTab(live_server.url, ada.headers)
    watcher.wait_for_count(2)
    for _ in range(3):
        tab.send(f'42["{event}"]')
        assert "reserved" in tab.next_event("chat error")["message"]
    tab.send('42["chat message","seen by all"]')
    assert watcher.next("chat message") == {"username": "ada", "message": "seen by all"}
    assert_chat_still_works(live_server, watcher, 2)
    seen = [data for name, data in watcher.seen if name == "user"]
    assert all(news["connected"] for news in seen), f"someone was announced as gone: {seen}"
