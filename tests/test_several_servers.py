"""Several `python server.py` processes sharing one Redis (REDIS_URL), with
real Socket.IO clients split across them: one count, one chat, sessions and
logouts that work on every process, and what happens when a process or
Redis goes away."""
import contextlib
import itertools
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from redis_connection import SESSIONS_UNREACHABLE
from tests.server_process import PROJECT_ROOT, SERVER_COMMAND, STARTUP_TIMEOUT, server_environment
from tests.socket_clients import HTTP_TIMEOUT, LiveMember, Refused
from tests.test_live_server import eventlet_deprecation_as_printed

# Short, so that the failure tests end quickly: a killed process's share
# expires within COUNT_TTL seconds, and the survivors notice within one heartbeat.
COUNT_TTL = 2
COUNT_HEARTBEAT = 0.5
# More requests at once than redis-py lets one pool open connections (100).
BURST = 200


@pytest.fixture
def start_servers(start_server, redis_server):
    """start_servers(2): that many servers sharing the test's Redis."""

    def start(number, **environment):
        settings = {
            "REDIS_URL": redis_server.url,
            "COUNT_TTL": str(COUNT_TTL),
            "COUNT_HEARTBEAT": str(COUNT_HEARTBEAT),
            **environment,
        }
        return [start_server(**settings) for _ in range(number)]

    return start


def member_on(server, member):
    """The same browser session as `member`, talking to `server` instead."""
    on_other = LiveMember.__new__(LiveMember)
    on_other.url, on_other.cookies = server.url, member.cookies
    return on_other


def wait_for_listeners(redis_server, channel, number):
    """Returns once `number` servers listen on the Redis `channel`: a server
    starts listening (python-socketio's relay on "flask-socketio", the count's
    news on "presence") in the background once its first tab connects, and
    what is published before it listens never reaches it."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while redis_server.subscribers(channel) < number:
        assert time.monotonic() < deadline, f"{number} servers did not listen on {channel!r}"
        time.sleep(0.05)  # polling: Redis tells no one when a client subscribes


@pytest.mark.usefixtures("async_mode")
def test_the_count_is_the_sum_over_every_server(start_servers, async_mode):
    first, second = start_servers(2, ASYNC_MODE=async_mode)
    ada = LiveMember(first.url, "ada")
    bob = LiveMember(second.url, "bob")
    ada_tab = ada.open_chat()
    ada_tab.wait_for_count(1)
    bob_tab = bob.open_chat()
    bob_tab.wait_for_count(2)
    ada_tab.wait_for_count(2)
    second_ada_tab = member_on(second, ada).open_chat()
    for tab in (ada_tab, bob_tab, second_ada_tab):
        tab.wait_for_count(3)
    bob_tab.disconnect()
    ada_tab.wait_for_count(2)
    second_ada_tab.wait_for_count(2)


def test_a_burst_on_both_servers_ends_with_the_exact_count_on_every_tab(start_servers):
    servers = start_servers(2)
    members = [LiveMember(server.url, f"user{number}") for number, server in enumerate(servers * 10)]
    with ThreadPoolExecutor(len(members)) as pool:
        tabs = list(pool.map(lambda member: member.open_chat(), members))
    for tab in tabs:
        tab.wait_for_count(len(tabs))
    with ThreadPoolExecutor(len(members)) as pool:
        list(pool.map(lambda tab: tab.disconnect(), tabs[:5] + tabs[-5:]))
    for tab in tabs[5:-5]:
        tab.wait_for_count(len(tabs) - 10)


@pytest.mark.usefixtures("async_mode")
def test_a_chat_message_reaches_the_tabs_of_every_server(start_servers, redis_server, async_mode):
    first, second = start_servers(2, ASYNC_MODE=async_mode)
    ada_tab = LiveMember(first.url, "ada").open_chat()
    bob_tab = LiveMember(second.url, "bob").open_chat()
    wait_for_listeners(redis_server, "flask-socketio", 2)
    ada_tab.send("hello from the first server")
    expected = {"username": "ada", "message": "hello from the first server"}
    assert bob_tab.next("chat message") == expected
    assert ada_tab.next("chat message") == expected


def test_a_session_works_on_every_server(start_servers, redis_server, tmp_path):
    (first,) = start_servers(1)
    # Valkey speaks Redis's protocol: valkey:// is read as redis://.
    (second,) = start_servers(1, REDIS_URL=redis_server.url.replace("redis://", "valkey://"))
    ada = LiveMember(first.url, "ada")  # registered, and so logged in, on the first
    # The servers share one instance folder (for the SQLite users), but not its session files.
    assert not (tmp_path / "sessions").exists(), "sessions were written to files, not to Redis"
    with redis_server.client() as client:
        assert client.keys("session:*"), "no session in Redis"
    profile = requests.get(second.url + "/profile", cookies=ada.cookies, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert profile.status_code == 200, "the second server did not know the first one's session"
    assert "ada" in profile.text
    member_on(second, ada).open_chat().wait_for_count(1)


def test_many_requests_at_once_each_get_their_session(start_servers):
    """Under gevent every request waits for Redis in a greenlet of its own:
    a burst (every tab reconnecting after a restart) asks Redis for many
    sessions at once. Each waits its turn for a connection to Redis."""
    (server,) = start_servers(1)
    ada = LiveMember(server.url, "ada")
    request = f"GET /profile HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: session={ada.cookies['session']}\r\n\r\n"
    connections = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(BURST)]
    try:
        for connection in connections:  # all sent before any answer is read
            connection.sendall(request.encode())
        answers = [connection.makefile("rb").readline() for connection in connections]
    finally:
        for connection in connections:
            connection.close()
    assert answers == [b"HTTP/1.1 200 OK\r\n"] * BURST, {answer: answers.count(answer) for answer in answers}


def test_logging_out_closes_the_tabs_on_every_server(start_servers, redis_server):
    first, second = start_servers(2)
    ada = LiveMember(first.url, "ada")
    bob_tab = LiveMember(first.url, "bob").open_chat()
    ada_on_second = member_on(second, ada).open_chat()
    ada_on_first = ada.open_chat()
    bob_tab.wait_for_count(3)
    wait_for_listeners(redis_server, "presence", 2)  # the news of the logout goes there
    ada.log_out()  # through the first server
    ada_on_second.next("disconnect")
    ada_on_first.next("disconnect")
    bob_tab.wait_for_count(1)


@pytest.mark.usefixtures("async_mode")
def test_a_killed_server_stops_being_counted_within_the_ttl(start_servers, async_mode):
    doomed, survivor = start_servers(2, ASYNC_MODE=async_mode)
    ada = LiveMember(doomed.url, "ada")
    ada.open_chat()
    ada.open_chat()
    bob_tab = LiveMember(survivor.url, "bob").open_chat()
    bob_tab.wait_for_count(3)
    seen_before = len(bob_tab.seen)
    killed_at = time.monotonic()
    doomed.stop_with(signal.SIGKILL)
    # The one change bob's tab sees: the killed server's two tabs are gone.
    assert bob_tab.next_count() == 1
    took = time.monotonic() - killed_at
    print(f"count corrected {took:.2f} s after the kill (COUNT_TTL={COUNT_TTL}, COUNT_HEARTBEAT={COUNT_HEARTBEAT})")
    assert took <= COUNT_TTL + 1, f"the survivor's tab saw the right count only after {took:.2f} s"
    bob_tab.send("still here")
    assert bob_tab.next("chat message") == {"username": "bob", "message": "still here"}
    # Everything sent before the echo has arrived: one count since the kill, and no storm.
    since = [data for event, data in bob_tab.seen[seen_before:] if event == "user count"]
    assert since == [1], f"not one correction since the kill: {bob_tab.seen}"


@pytest.mark.usefixtures("async_mode")
def test_a_stopped_server_stops_being_counted_at_once(start_servers, async_mode):
    """A server stopped with SIGTERM or Ctrl+C (a restart, a deployment) takes
    its share out of Redis as it goes, without waiting for it to expire."""
    stopping, staying = start_servers(2, COUNT_TTL="60", ASYNC_MODE=async_mode)
    LiveMember(stopping.url, "ada").open_chat()
    bob_tab = LiveMember(staying.url, "bob").open_chat()
    bob_tab.wait_for_count(2)
    assert stopping.stop_with(signal.SIGTERM) == 0
    assert bob_tab.next_count() == 1  # within EVENT_TIMEOUT, far less than COUNT_TTL


@pytest.mark.usefixtures("async_mode")
def test_a_restarted_redis_brings_back_the_chat_and_the_count(start_servers, redis_server, async_mode):
    first, second = start_servers(2, ASYNC_MODE=async_mode)
    ada_tab = LiveMember(first.url, "ada").open_chat()
    bob_tab = LiveMember(second.url, "bob").open_chat()
    ada_tab.wait_for_count(2)
    redis_server.stop()
    redis_server.start()  # empty: every share of the count, and every session, is gone
    restarted_at = time.monotonic()
    # Each server's share is back within a heartbeat, and the count with it.
    with redis_server.client() as client:
        while len(client.keys("presence:count:*")) < 2:
            assert time.monotonic() - restarted_at < COUNT_HEARTBEAT + 1, "a server did not publish its share again"
            time.sleep(0.05)
    # Both listen again (python-socketio's queue, and the count's news) ...
    for channel in ("flask-socketio", "presence"):
        wait_for_listeners(redis_server, channel, 2)
    # ... so a change on one server reaches the other's tabs, with the exact count.
    carol = LiveMember(second.url, "carol")  # a new session: Redis forgot the old ones
    carol_tab = carol.open_chat()
    ada_tab.wait_for_count(3)
    bob_tab.wait_for_count(3)
    carol_tab.send("after the restart")
    assert ada_tab.next("chat message") == {"username": "carol", "message": "after the restart"}


# The one line a server logs for each page or chat event it cannot serve while Redis is away.
SESSIONS_AWAY_LOGGED = "Redis (REDIS_URL), which keeps the sessions, cannot be reached"


@pytest.mark.usefixtures("async_mode")
def test_while_redis_is_away_pages_and_chat_say_so_then_work_again(start_servers, redis_server, async_mode):
    """While Redis is away no session can be read: pages answer 503 in one
    line of plain text, a chat tab is told why, each logs one line and no
    traceback; once Redis is back everything works, without a restart."""
    (server,) = start_servers(1, ASYNC_MODE=async_mode)
    ada = LiveMember(server.url, "ada")
    ada_tab = ada.open_chat()
    ada_tab.wait_for_count(1)
    redis_server.stop()
    logged_before = len(server.output)
    profile = requests.get(server.url + "/profile", cookies=ada.cookies, allow_redirects=False, timeout=HTTP_TIMEOUT)
    # Without a session cookie, the login limit's count, in Redis too, is what fails.
    login = requests.post(server.url + "/login", data={"username": "ada", "password": "secret"}, timeout=HTTP_TIMEOUT)
    for page in (profile, login):
        assert (page.status_code, page.text) == (503, SESSIONS_UNREACHABLE)
        assert page.headers["Content-Type"].startswith("text/plain")
        assert int(page.headers["Retry-After"]) > 0
    ada_tab.send("anyone there?")
    assert ada_tab.next("chat error") == {"message": SESSIONS_UNREACHABLE}
    with pytest.raises(Refused, match=re.escape(SESSIONS_UNREACHABLE)):
        ada.open_chat()
    server.wait_for_output(SESSIONS_AWAY_LOGGED, times=4)
    logged = "".join(server.output[logged_before:])
    assert logged.count(SESSIONS_AWAY_LOGGED) == 4, logged
    assert "Traceback" not in logged, logged
    assert " failed with " not in logged, logged  # gevent's words for a greenlet that died of an error
    redis_server.start()  # empty: ada's session is gone, so a newcomer checks that all works again
    carol = LiveMember(server.url, "carol")
    again = requests.get(server.url + "/profile", cookies=carol.cookies, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert again.status_code == 200
    carol_tab = carol.open_chat()
    carol_tab.send("back again")
    assert carol_tab.next("chat message") == {"username": "carol", "message": "back again"}


# What the chat relay's listener logs each time it finds Redis away
# (redis_connection.MessageQueue's words, or python-socketio's own).
LISTENER_LOST_REDIS = re.compile("The chat relay lost Redis|Cannot receive from redis")
# Redis comes back just after the listener's fifth failed attempt: one that
# doubled its wait each time (1, 2, 4, 8 s) would next try 16 s later.
ATTEMPTS = 5
# Seconds within which the chat must cross servers again once Redis is back:
# generous, for a loaded machine.
RELAY_RECOVERY = 5


@pytest.mark.usefixtures("async_mode")
def test_the_chat_crosses_servers_again_soon_after_a_long_redis_outage(start_servers, redis_server, async_mode):
    """python-socketio's own listener, left alone, waits longer and longer
    between attempts (up to 60 s) while Redis is away; the chat must not stay
    split that long once Redis is back."""
    first, second = start_servers(2, ASYNC_MODE=async_mode)
    LiveMember(first.url, "ada").open_chat()
    LiveMember(second.url, "bob").open_chat().wait_for_count(2)  # both servers now listen
    redis_server.stop()
    deadline = time.monotonic() + 60
    while len(LISTENER_LOST_REDIS.findall("".join(second.output))) < ATTEMPTS:
        assert time.monotonic() < deadline, f"the listener did not try {ATTEMPTS} times in 60 s: {second.output}"
        time.sleep(0.05)  # polling the server's output
    redis_server.start()  # empty: the sessions are gone, so two newcomers chat
    restarted_at = time.monotonic()
    carol_tab = LiveMember(first.url, "carol").open_chat()
    dave_tab = LiveMember(second.url, "dave").open_chat()
    # Messages sent while a server does not listen are lost: carol sends until dave gets one.
    for attempt in itertools.count():
        carol_tab.send(f"anyone? ({attempt})")
        with contextlib.suppress(AssertionError):
            dave_tab.next("chat message", timeout=0.2)
            break
        took = time.monotonic() - restarted_at
        assert took < RELAY_RECOVERY, f"the chat was still split {took:.1f} s after Redis came back"
    print(f"the chat crossed servers again {time.monotonic() - restarted_at:.2f} s after Redis came back")


@pytest.mark.usefixtures("async_mode")
def test_an_unreachable_redis_stops_the_start_with_one_line(tmp_path, async_mode):
    closed_port = 1  # nothing listens there
    finished = subprocess.run(
        SERVER_COMMAND,
        cwd=PROJECT_ROOT,
        env=server_environment(
            tmp_path, REDIS_URL=f"redis://user:hunter2@127.0.0.1:{closed_port}/0", ASYNC_MODE=async_mode
        ),
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )
    assert finished.returncode == 1
    assert finished.stdout == ""
    # Under eventlet, the warning every start prints (tests/test_live_server.py) comes first.
    warning = eventlet_deprecation_as_printed() if async_mode == "eventlet" else ""
    assert finished.stderr.startswith(warning), finished.stderr
    error = finished.stderr.removeprefix(warning)
    assert "Traceback" not in error
    assert error.startswith(f"Cannot start: REDIS_URL='redis://user:***@127.0.0.1:{closed_port}/0' cannot be reached: ")
    assert error.count("\n") == 1, error
    assert "hunter2" not in error


def test_the_login_limit_of_an_address_is_counted_over_every_server(start_servers):
    """With REDIS_URL and no RATELIMIT_STORAGE_URI, the servers count in the one Redis."""
    first, second = start_servers(2, LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    statuses = [
        requests.post(f"{server.url}/login", data={"username": "nobody", "password": "wrong"}, timeout=HTTP_TIMEOUT).status_code
        for server in (first, second, first, second)
    ]
    assert statuses == [401, 401, 401, 429]


def test_a_visitors_session_is_short_lived_in_redis_and_read_by_every_server(start_servers, redis_server):
    """A sign-in with GitHub keeps its state in a visitor's session: it lasts VISITOR_SESSION_LIFETIME
    seconds, not a logged-in user's lifetime, and the callback may land on another server."""
    github = {"GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret", "GITHUB_TOKEN_URL": "http://127.0.0.1:9/token"}
    first, second = start_servers(2, VISITOR_SESSION_LIFETIME="120", **github)
    visitor = requests.Session()
    to_github = visitor.get(first.url + "/auth/github", allow_redirects=False, timeout=HTTP_TIMEOUT)
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(to_github.headers["Location"]).query)["state"][0]
    with redis_server.client() as client:
        lifetimes = [client.ttl(key) for key in client.keys("*session:*")]
    assert lifetimes and all(0 < seconds <= 120 for seconds in lifetimes), lifetimes
    back = visitor.get(f"{second.url}/auth/github/callback?code=x&state={state}", timeout=HTTP_TIMEOUT)
    assert "This server could not reach GitHub" in back.text, "the second server did not find the state"
    ada = LiveMember(first.url, "ada")
    with redis_server.client() as client:
        lifetimes = [client.ttl(key) for key in client.keys("*session:*")]
    assert max(lifetimes) > 120, f"ada's session ({ada.cookies}) should last a logged-in user's lifetime: {lifetimes}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("foo://x", "cannot be used: it must be a storage such as memory:// or redis://localhost:6379. See .env.example."),
        ("redis://ada:hunter2@127.0.0.1:1", "cannot be reached"),
    ],
)
def test_an_unusable_ratelimit_storage_stops_the_start_with_one_line(tmp_path, value, expected):
    finished = subprocess.run(
        SERVER_COMMAND,
        cwd=PROJECT_ROOT,
        env=server_environment(tmp_path, RATELIMIT_STORAGE_URI=value),
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )
    assert (finished.returncode, finished.stdout) == (1, "")
    assert finished.stderr.startswith("Cannot start: RATELIMIT_STORAGE_URI (its value is not shown: it may hold a password) "), finished.stderr
    assert expected in finished.stderr
    assert finished.stderr.count("\n") == 1, finished.stderr
    assert "hunter2" not in finished.stderr
