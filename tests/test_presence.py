"""The user count of lessons 18 and 19 and the announcements of lesson 21
(presence.py): through Flask-SocketIO's test client, and through a stand-in
for Flask-SocketIO that shows what is broadcast and when. Since lesson 20
only logged-in users may connect, so every socket here belongs to a member."""
import logging
import threading
import time

import pytest

from presence import Presence, summary
from server import create_app
from tests.conftest import TEST_CONFIG, Member

SENT = 5  # seconds to wait for the sender: far more than it ever needs


def user_counts(socket):
    """The values of every 'user count' event this socket has received."""
    assert socket.app.extensions["presence"].wait_until_sent(SENT), "a change was never announced"
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
    """Stands in for Flask-SocketIO: records what would be broadcast, and
    runs the sender in a thread, as ASYNC_MODE=threading does."""

    def __init__(self):
        self.emitted = []
        self.server = self
        self.eio = self
        self.create_event = threading.Event
        self.sleep = time.sleep
        self.logger = logging.getLogger("socketio stand-in")

    def start_background_task(self, target):
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        return thread

    def enter_room(self, sid, room, namespace):
        pass

    def emit(self, event, value):
        self.emitted.append((event, value))

    def counts(self):
        return [value for event, value in self.emitted if event == "user count"]

    def announcements(self):
        return [value for event, value in self.emitted if event == "user"]


@pytest.fixture
def socketio():
    return RecordingSocketIO()


def presence_of(socketio, window=0):
    return Presence(socketio, window)


def test_a_socket_that_leaves_twice_is_subtracted_once(socketio):
    count = presence_of(socketio)
    count.user_connected("sid-1", "ada", "session-1")
    count.user_disconnected("sid-1")
    count.user_disconnected("sid-1")
    assert count.wait_until_sent(SENT)
    assert count.value == 0
    assert socketio.counts() == [1, 0]


def test_a_socket_never_counted_changes_nothing_when_it_leaves(socketio):
    count = presence_of(socketio)
    count.user_disconnected("never-connected")
    assert count.wait_until_sent(SENT)
    assert count.value == 0
    assert socketio.emitted == [], "a refused socket's disconnect was announced"


def test_window_zero_sends_every_change_in_order(socketio):
    count = presence_of(socketio, window=0)
    start = threading.Barrier(20)

    def connect_many():
        start.wait()
        for _ in range(100):
            count.user_connected(object(), "ada", "session")  # a new socket id each time

    threads = [threading.Thread(target=connect_many) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count.wait_until_sent(SENT)
    assert socketio.counts() == list(range(1, 2001)), "counts were lost or went out of order"


def test_a_burst_is_sent_as_one_count_and_one_line(socketio):
    # A window far longer than the burst takes, so the burst surely falls in one.
    count = presence_of(socketio, window=2)
    count.user_connected("first", "ada", "session")
    assert count.wait_until_sent(SENT)
    for number in range(12):
        count.user_connected(number, "bob", "session")
    for number in range(3):
        count.user_disconnected(number)
    assert count.wait_until_sent(SENT)
    assert socketio.counts() == [1, 10], "the first change should go at once, then one count for the burst"
    assert socketio.announcements() == [
        {"username": "ada", "currentUsers": 1, "connected": True},
        {"username": "bob", "currentUsers": 10, "connected": False, "joined": 12, "left": 3},
    ]


def test_a_disconnect_while_sending_does_not_stop_the_count(socketio):
    """python-engineio closes a socket whose heartbeat has lapsed from inside
    the send to it, and its disconnect handler runs then and there."""
    count = presence_of(socketio)
    count.user_connected("asleep", "ada", "session")
    count.user_connected("awake", "bob", "session")
    assert count.wait_until_sent(SENT)
    sending = socketio.emit

    def emit_and_find_a_lapsed_socket(event, value):
        socketio.emit = sending
        count.user_disconnected("asleep")
        sending(event, value)

    socketio.emit = emit_and_find_a_lapsed_socket
    count.user_connected("newcomer", "carol", "session")
    assert count.wait_until_sent(SENT), "the sender never finished: it waited for itself"
    assert count.value == 2
    assert socketio.counts()[-1] == 2, "the last count sent is not the real one"


def test_the_sender_survives_a_failed_send(socketio, caplog):
    count = presence_of(socketio)
    sending = socketio.emit

    def fail_once(event, value):
        socketio.emit = sending
        raise OSError("the network hiccuped")

    socketio.emit = fail_once
    count.user_connected("sid-1", "ada", "session")
    assert count.wait_until_sent(SENT), "the failed round was never sent again"
    assert socketio.counts() == [1], "the failed round was not sent again"
    count.user_connected("sid-2", "bob", "session")
    assert count.wait_until_sent(SENT)
    assert socketio.counts()[-1] == 2
    assert "Sending the user count failed" in caplog.text


def test_one_change_is_announced_as_the_lesson_has_it():
    assert summary([("ada", True, 3)]) == {"username": "ada", "currentUsers": 3, "connected": True}


def test_several_changes_are_announced_as_one_with_how_many_came_and_went():
    changes = [("ada", True, 1), ("bob", True, 2), ("ada", False, 1)]
    assert summary(changes) == {"username": "ada", "currentUsers": 1, "connected": False, "joined": 2, "left": 1}
