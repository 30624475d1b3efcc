"""Fixtures shared by the tests: an app built fresh for each test, its test
clients, and a real server process for the tests that need the network."""
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
# Its checks are plain asserts: pytest shows the values of a failed one.
pytest.register_assert_rewrite("tests.lesson_extras")

from server import create_app  # noqa: E402
from tests.debian_packages import installed, require  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402
from tests.socket_clients import ChatClient, RawTab  # noqa: E402

TEST_CONFIG = {
    "SESSION_SECRET": "test secret",
    "ASYNC_MODE": "threading",
    "BCRYPT_ROUNDS": 4,  # the lowest bcrypt allows: keeps the tests fast
    # Every change announced on its own, so a test can expect each one.
    "BROADCAST_WINDOW": 0,
}


# The course check's table of lessons (tests/test_course.py), printed at the end of the run.
COURSE_TABLE = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(COURSE_TABLE, None)
    if lines:
        terminalreporter.section("the course check")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items):
    """Marks every test that starts the real server, or PostgreSQL, `live`, for the tiers in pyproject.toml."""
    for item in items:
        if "start_server" in item.fixturenames or "postgres_server" in item.fixturenames:
            item.add_marker(pytest.mark.live)


@pytest.fixture
def app(tmp_path):
    return create_app(TEST_CONFIG, instance_path=str(tmp_path))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def socketio(app):
    return app.extensions["socketio"]


class AuthActions:
    """Registers, logs in and logs out through the real forms."""

    def __init__(self, client):
        self._client = client

    def register(self, username="learner", password="correct horse"):
        return self._client.post("/register", data={"username": username, "password": password})

    def login(self, username="learner", password="correct horse"):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.get("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


class Member:
    """A user registered in a browser (Flask test client) of their own,
    who can open chat tabs: Socket.IO test clients sharing that session."""

    def __init__(self, app, username):
        self._app = app
        self.browser = app.test_client()
        self.auth = AuthActions(self.browser)
        self.auth.register(username, "secret")

    def open_chat(self):
        """A new chat tab, once everyone has been told it joined."""
        tab = self._app.extensions["socketio"].test_client(self._app, flask_test_client=self.browser)
        assert self._app.extensions["presence"].wait_until_sent(timeout=5), "the join was never announced"
        return tab


@pytest.fixture
def member(app):
    """member("ada"): registers ada in a browser of her own."""
    return lambda username="learner": Member(app, username)


@pytest.fixture
def start_server(tmp_path):
    """Starts `python server.py` with extra environment variables; stops it after the test."""
    servers = []

    def start(**environment):
        servers.append(ServerProcess(tmp_path, **environment))
        return servers[-1]

    yield start
    RawTab.close_all()
    for server in servers:
        server.stop()
    ChatClient.close_all()


@pytest.fixture
def live_server(start_server, request):
    """`python server.py` as a child process on a free port, under gevent. A
    test marked @pytest.mark.usefixtures("async_mode") runs under each ASYNC_MODE;
    one marked @pytest.mark.server_environment(NAME="value") gets those variables too."""
    marker = request.node.get_closest_marker("server_environment")
    environment = dict(marker.kwargs) if marker else {}
    if "async_mode" in request.fixturenames:
        environment["ASYNC_MODE"] = request.getfixturevalue("async_mode")
    return start_server(**environment)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of the tests' own (tests/postgres_server.py), one for the whole run."""
    server = PostgresServer()
    yield server
    server.remove()


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database on the tests' PostgreSQL server."""
    return postgres_server.new_database()


@pytest.fixture(params=["gevent", "eventlet"])
def async_mode(request):
    """Each ASYNC_MODE the server must work under: gevent, the default, and eventlet."""
    return request.param


@pytest.fixture(scope="session")
def shared_redis(tmp_path_factory):
    """One redis-server for the whole run, started on first use."""
    require(installed("redis-server"), "redis-server", "the tests of several server processes")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_server(shared_redis):
    """The run's redis-server, emptied for this test (and started again if a test stopped it)."""
    if shared_redis.stopped:
        shared_redis.start()
    shared_redis.flush()
    return shared_redis
