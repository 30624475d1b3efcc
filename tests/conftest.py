"""Fixtures shared by the tests: an app built fresh for each test, its test
clients, and a real server process for the tests that need the network."""
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from server import create_app  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

TEST_CONFIG = {
    "SESSION_SECRET": "test secret",
    "ASYNC_MODE": "threading",
    "BCRYPT_ROUNDS": 4,  # the lowest bcrypt allows: keeps the tests fast
}


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


@pytest.fixture
def start_server(tmp_path):
    """Starts `python server.py` with extra environment variables; stops it after the test."""
    servers = []

    def start(**environment):
        servers.append(ServerProcess(tmp_path, **environment))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(start_server):
    """`python server.py` as a child process on a free port."""
    return start_server()
