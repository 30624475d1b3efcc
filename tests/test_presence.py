"""The user count of lessons 18 and 19, through Flask-SocketIO's test client.
Since lesson 20 only logged-in users may connect, so every socket here
belongs to a registered member."""
import sys
import threading

import pytest

from server import create_app
from tests.conftest import TEST_CONFIG, Member
from user_count import UserCount


def user_counts(socket):
    """The values of every 'user count' event this socket has received."""
    return [event["args"][0] for event in socket.get_received() if event["name"] == "user count"]


def test_first_connection_sees_one_user(member):
    first = member("ada").open_chat()
    assert user_counts(first) == [1]


def test_second_tab_sees_two_users_and_first_tab_is_told(member):
    ada = member("ada")
    first = ada.open_chat()
    first.get_received()
    second = ada.open_chat()
    assert user_counts(first) == [2], "the first tab was not told about the second"
    assert user_counts(second) == [2]


def test_disconnect_tells_everyone_the_lower_count(member):
    first = member("ada").open_chat()
    second = member("bob").open_chat()
    first.get_received()
    second.disconnect()
    assert user_counts(first) == [1]


def test_each_app_has_its_own_count(tmp_path):
    one = create_app(TEST_CONFIG, instance_path=str(tmp_path / "one"))
    other = create_app(TEST_CONFIG, instance_path=str(tmp_path / "other"))
    Member(one, "ada").open_chat()
    socket = Member(other, "bob").open_chat()
    assert user_counts(socket) == [1], "a second app counted the first app's users"


class RecordingSocketIO:
    """Stands in for Flask-SocketIO: records what would be broadcast."""

    def __init__(self):
        self.emitted = []

    def emit(self, event, value):
        self.emitted.append((event, value))


def test_a_socket_that_leaves_twice_is_subtracted_once():
    socketio = RecordingSocketIO()
    count = UserCount(socketio)
    count.user_connected("sid-1", "ada")
    count.user_disconnected("sid-1")
    count.user_disconnected("sid-1")
    assert count.value == 0
    assert [value for event, value in socketio.emitted if event == "user count"] == [1, 0]


def test_a_socket_never_counted_changes_nothing_when_it_leaves():
    socketio = RecordingSocketIO()
    count = UserCount(socketio)
    count.user_disconnected("never-connected")
    assert count.value == 0
    assert socketio.emitted == [], "a refused socket's disconnect was announced"


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
            count.user_connected(object(), "ada")  # a new socket id each time

    threads = [threading.Thread(target=connect_many) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count.value == 10_000
    counts = [value for event, value in socketio.emitted if event == "user count"]
    assert counts == list(range(1, 10_001)), "counts went out of order"
