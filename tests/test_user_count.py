"""The user count of lessons 18 and 19, through Flask-SocketIO's test client."""
import sys
import threading

import pytest

from server import create_app
from tests.conftest import TEST_CONFIG
from user_count import UserCount


def user_counts(socket):
    """The values of every 'user count' event this socket has received."""
    return [event["args"][0] for event in socket.get_received() if event["name"] == "user count"]


def test_first_connection_sees_one_user(socketio, app):
    first = socketio.test_client(app)
    assert user_counts(first) == [1]


def test_second_tab_sees_two_users_and_first_tab_is_told(socketio, app):
    first = socketio.test_client(app)
    first.get_received()
    second = socketio.test_client(app)
    assert user_counts(first) == [2], "the first tab was not told about the second"
    assert user_counts(second) == [2]


def test_disconnect_tells_everyone_the_lower_count(socketio, app):
    first = socketio.test_client(app)
    second = socketio.test_client(app)
    first.get_received()
    second.disconnect()
    assert user_counts(first) == [1]


def test_each_app_has_its_own_count(tmp_path):
    one = create_app(TEST_CONFIG, instance_path=str(tmp_path / "one"))
    other = create_app(TEST_CONFIG, instance_path=str(tmp_path / "other"))
    one.extensions["socketio"].test_client(one)
    socket = other.extensions["socketio"].test_client(other)
    assert user_counts(socket) == [1], "a second app counted the first app's users"


class RecordingSocketIO:
    """Stands in for Flask-SocketIO: records what would be broadcast."""

    def __init__(self):
        self.emitted = []

    def emit(self, event, value):
        self.emitted.append((event, value))


def test_count_never_goes_below_zero():
    socketio = RecordingSocketIO()
    count = UserCount(socketio)
    count.user_disconnected()
    assert count.value == 0
    assert socketio.emitted == [("user count", 0)]


@pytest.fixture
def frequent_thread_switches():
    """Switch threads as often as possible, so that a race shows up."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_concurrent_connects_are_all_counted(frequent_thread_switches):
    socketio = RecordingSocketIO()
    count = UserCount(socketio)
    start = threading.Barrier(50)

    def connect_many():
        start.wait()
        for _ in range(200):
            count.user_connected()

    threads = [threading.Thread(target=connect_many) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count.value == 10_000
    assert [value for _, value in socketio.emitted] == list(range(1, 10_001)), "counts went out of order"
