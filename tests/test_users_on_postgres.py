"""`python server.py` with its users on PostgreSQL (DATABASE_URL, a server
the tests start: tests/postgres_server.py), and what it does while that
server cannot be reached."""
import contextlib
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

from routes import DATABASE_UNAVAILABLE
from tests.github_stand_in import GitHubStandIn
from tests.postgres_server import PostgresServer
from tests.socket_clients import HTTP_TIMEOUT, LiveMember, Refused


def post_form(server, path, username, password="secret"):
    return requests.post(
        server.url + path,
        data={"username": username, "password": password},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )


@pytest.mark.usefixtures("async_mode")
def test_servers_sharing_one_database_share_their_users(start_server, postgres_url, async_mode, tmp_path):
    """Two servers on one database, each with an instance folder of its own:
    who registers on one logs in on the other, and a look-alike name is
    refused there, as on SQLite."""
    first, second = (
        start_server(DATABASE_URL=postgres_url, ASYNC_MODE=async_mode, INSTANCE_PATH=str(tmp_path / name))
        for name in ("first", "second")
    )

    ada = LiveMember(first.url, "Ada")
    assert post_form(second, "/login", "Ada").headers.get("Location") == "/profile"
    assert post_form(second, "/register", "ａｄａ").status_code == 409
    tab = ada.open_chat()
    assert tab.next_count() == 1


@pytest.fixture
def stoppable_postgres():
    """A PostgreSQL server of this test's own, which it may stop and start again."""
    server = PostgresServer()
    yield server
    server.remove()


@pytest.mark.usefixtures("async_mode")
def test_postgresql_down_refuses_logins_with_503_while_the_chat_goes_on(start_server, stoppable_postgres, async_mode):
    server = start_server(DATABASE_URL=stoppable_postgres.new_database(), ASYNC_MODE=async_mode)
    ada, bob = LiveMember(server.url, "ada"), LiveMember(server.url, "bob")
    ada_tab, bob_tab = ada.open_chat(), bob.open_chat()
    ada_tab.wait_for_count(2)

    stoppable_postgres.stop()

    for path, username in [("/login", "bob"), ("/register", "carol")]:
        response = post_form(server, path, username)
        assert response.status_code == 503, f"{path}: {response.status_code}"
        assert response.text == DATABASE_UNAVAILABLE
    ada_tab.send("Is the database down?")
    assert bob_tab.next("chat message") == {"username": "ada", "message": "Is the database down?"}
    again = ada.open_chat()  # a tab opened (or reloaded) by someone already logged in
    assert again.next_count() == 3
    chat_page = requests.get(server.url + "/chat", cookies=ada.cookies, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert chat_page.status_code == 200

    stoppable_postgres.start()

    assert post_form(server, "/login", "bob").headers.get("Location") == "/profile", "logins never came back"
    assert "Traceback" not in "".join(server.output)


# Long enough that a chat waiting for PostgreSQL to answer would miss the
# tests' EVENT_TIMEOUT (15 s).
SLOW_CONNECT = 30


@pytest.mark.usefixtures("async_mode")
def test_postgresql_frozen_holds_up_neither_the_chat_nor_other_requests(start_server, stoppable_postgres, async_mode):
    """A frozen PostgreSQL answers nothing, so a login waits for its connection
    (connect_timeout): meanwhile those already in chat on, without waiting for
    the database, and the server answers other requests (psycopg waits the
    way the server's event loop can share, under eventlet too)."""
    url = f"{stoppable_postgres.new_database()}?connect_timeout={SLOW_CONNECT}"
    server = start_server(DATABASE_URL=url, ASYNC_MODE=async_mode)
    LiveMember(server.url, "bob")
    ada = LiveMember(server.url, "ada")
    ada_tab = ada.open_chat()
    assert ada_tab.next_count() == 1

    stoppable_postgres.freeze()
    with ThreadPoolExecutor(1) as login:
        waiting = login.submit(post_form, server, "/login", "bob")
        wait_for_a_connection(server, stoppable_postgres.port)  # the login now waits for PostgreSQL
        ada_tab.send("Anyone there?")
        assert ada_tab.next("chat message") == {"username": "ada", "message": "Anyone there?"}
        home = requests.get(server.url + "/", timeout=HTTP_TIMEOUT)
        assert home.status_code == 200
        assert not waiting.done(), "the login did not wait for the database: this test shows nothing"
        stoppable_postgres.thaw()
        assert waiting.result(timeout=HTTP_TIMEOUT).headers.get("Location") == "/profile"


def wait_for_a_connection(server, port):
    """Returns once the server process holds a TCP connection to `port` on
    127.0.0.1 (a frozen PostgreSQL's kernel still accepts it, so the login
    has reached its connect and waits there for an answer)."""
    deadline = time.monotonic() + HTTP_TIMEOUT
    while not connections_to(server.pid, port):
        assert time.monotonic() < deadline, "the login never connected to PostgreSQL"
        time.sleep(0.01)  # polling: Linux tells no one when a process connects


def connections_to(pid, port):
    """The established TCP connections the process `pid` holds to 127.0.0.1:`port`
    (Linux: its sockets' inodes in /proc/<pid>/fd, their addresses in /proc/net/tcp)."""
    sockets = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            sockets.update(re.findall(r"socket:\[(\d+)\]", os.readlink(fd)))
    established = "01"
    remote = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return [f for f in map(str.split, lines) if f[2] == remote and f[3] == established and f[9] in sockets]


@pytest.mark.usefixtures("async_mode")
def test_a_slow_query_holds_up_nothing_else(start_server, postgres_url, async_mode):
    """A login whose query waits (here for a lock the test holds on the users
    table) holds up neither the chat nor other requests: psycopg waits the
    way the server's event loop can share, under eventlet too."""
    server = start_server(DATABASE_URL=postgres_url, ASYNC_MODE=async_mode)
    ada = LiveMember(server.url, "ada")
    ada_tab = ada.open_chat()
    assert ada_tab.next_count() == 1

    with psycopg.connect(postgres_url) as db, ThreadPoolExecutor(1) as login:
        db.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")  # until this transaction ends
        waiting = login.submit(post_form, server, "/login", "ada")
        wait_for_a_query_waiting_for_a_lock(postgres_url)
        ada_tab.send("Anyone there?")
        assert ada_tab.next("chat message") == {"username": "ada", "message": "Anyone there?"}
        assert requests.get(server.url + "/", timeout=HTTP_TIMEOUT).status_code == 200
        assert not waiting.done(), "the login did not wait for the lock"
        db.rollback()
        assert waiting.result(timeout=HTTP_TIMEOUT).headers.get("Location") == "/profile"


def wait_for_a_query_waiting_for_a_lock(url):
    """Returns once a query of the database at `url` waits for a lock (PostgreSQL's pg_locks)."""
    deadline = time.monotonic() + HTTP_TIMEOUT
    with psycopg.connect(url, autocommit=True) as db:
        while not db.execute("SELECT 1 FROM pg_locks WHERE NOT granted").fetchone():
            assert time.monotonic() < deadline, "no query waited for the lock"
            time.sleep(0.01)  # polling, without keeping PostgreSQL busy


def test_postgresql_down_a_member_this_server_does_not_keep_gets_the_503_page(start_server, stoppable_postgres):
    """Someone logged in whom this server has not kept (it keeps no one here;
    behind a load balancer, another process may have logged them in)."""
    server = start_server(DATABASE_URL=stoppable_postgres.new_database(), USERS_KEPT_IN_MEMORY="0")
    ada = LiveMember(server.url, "ada")

    stoppable_postgres.stop()

    for path in ("/profile", "/chat"):
        page = requests.get(server.url + path, cookies=ada.cookies, allow_redirects=False, timeout=HTTP_TIMEOUT)
        assert page.status_code == 503, f"{path}: {page.status_code}"
        assert page.text == DATABASE_UNAVAILABLE
    with pytest.raises(Refused) as refused:
        ada.open_chat()
    assert str(refused.value) == DATABASE_UNAVAILABLE
    assert "Traceback" not in "".join(server.output)


@pytest.fixture
def github():
    stand_in = GitHubStandIn()
    yield stand_in
    stand_in.stop()


def test_github_users_are_kept_on_postgresql_and_refused_with_503_while_it_is_down(
    start_server, stoppable_postgres, github
):
    url = stoppable_postgres.new_database()
    server = start_server(DATABASE_URL=url, **github.environment())

    for _ in range(2):
        signed_in = requests.get(server.url + "/auth/github", timeout=HTTP_TIMEOUT)
        assert signed_in.url == server.url + "/chat"
    with psycopg.connect(url) as db:
        stored = db.execute("SELECT github_id, username, login_count FROM github_users").fetchall()
    assert stored == [(583231, "octocat", 2)]

    stoppable_postgres.stop()
    refused = requests.get(server.url + "/auth/github", timeout=HTTP_TIMEOUT)
    assert (refused.status_code, refused.text) == (503, DATABASE_UNAVAILABLE)
