"""The chat on the real server (`python server.py`): users registered through
the real forms, each with real Socket.IO clients carrying their session
cookie, as two people in two browsers would be."""
import pytest

from config import DEFAULTS
from server import NOT_LOGGED_IN
from tests.socket_clients import ChatClient, LiveMember, Refused

MESSAGE_MAX_LENGTH = DEFAULTS["CHAT_MESSAGE_MAX_LENGTH"]


def joined(username, currentUsers):
    return {"username": username, "currentUsers": currentUsers, "connected": True}


def left(username, currentUsers):
    return {"username": username, "currentUsers": currentUsers, "connected": False}


@pytest.fixture
def ada(live_server):
    return LiveMember(live_server.url, "ada")


@pytest.fixture
def bob(live_server):
    return LiveMember(live_server.url, "bob")


def test_two_users_see_each_other_join_and_leave(ada, bob):
    ada_tab = ada.open_chat("websocket")
    assert ada_tab.next("user") == joined("ada", 1)
    bob_tab = bob.open_chat("polling")
    assert bob_tab.next("user") == joined("bob", 2)
    assert ada_tab.next("user") == joined("bob", 2), "Ada was not told Bob joined"
    ada_tab.disconnect()
    assert bob_tab.next("user") == left("ada", 1), "Bob was not told Ada left"
    ada_tab = ada.open_chat("websocket")
    assert ada_tab.next("user") == joined("ada", 2)
    assert bob_tab.next("user") == joined("ada", 2), "Bob was not told Ada came back"
    bob_tab.disconnect()
    assert ada_tab.next("user") == left("bob", 1), "Ada was not told Bob left"
    ada_tab.disconnect()


@pytest.mark.usefixtures("async_mode")
def test_message_reaches_both_users_with_the_sender_name(ada, bob):
    ada_tab, bob_tab = ada.open_chat("websocket"), bob.open_chat("polling")
    ada_tab.send("Hello, <b>Bob</b>!")
    expected = {"username": "ada", "message": "Hello, <b>Bob</b>!"}
    assert bob_tab.next("chat message") == expected, "Bob did not get Ada's message"
    assert ada_tab.next("chat message") == expected, "Ada did not see her own message"


def test_anonymous_client_is_refused_and_the_count_is_unchanged(live_server, ada, bob):
    ada_tab = ada.open_chat()
    assert ada_tab.next_count() == 1
    with pytest.raises(Refused, match=NOT_LOGGED_IN):
        ChatClient(live_server.url)
    bob.open_chat()
    assert ada_tab.next_count() == 2, "the refused client was counted"


def test_forged_session_cookie_is_refused(live_server):
    with pytest.raises(Refused, match=NOT_LOGGED_IN):
        ChatClient(live_server.url, headers={"Cookie": "session=forged-session-id"})


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("   ", "Please type a message first."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), f"at most {MESSAGE_MAX_LENGTH} characters"),
        (None, "must be text"),
        (7, "must be text"),
        ({"message": "hi"}, "must be text"),
        (["hi"], "must be text"),
        (b"\x00\xff binary", "must be text"),
    ],
)
def test_invalid_message_gets_an_error_and_reaches_nobody(ada, bob, payload, problem):
    ada_tab, bob_tab = ada.open_chat(), bob.open_chat()
    ada_tab.send(payload)
    assert problem in ada_tab.next("chat error")["message"]
    # The error came back, so the bad message has been dealt with: the next
    # message anyone sees must be the one sent after it.
    ada_tab.send("after the bad one")
    assert bob_tab.next("chat message")["message"] == "after the bad one", "the bad message reached Bob"
    assert ada_tab.next("chat message")["message"] == "after the bad one", "the bad message came back to Ada"


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_oversized_packet_drops_only_its_sender(ada, bob, transport):
    ada_tab, bob_tab = ada.open_chat(transport), bob.open_chat()
    assert bob_tab.next("user") == joined("bob", 2)
    ada_tab.send("x" * DEFAULTS["SOCKETIO_MAX_PACKET_BYTES"] * 2)
    ada_tab.next("disconnect")
    assert bob_tab.next("user") == left("ada", 1), "the oversized sender was not dropped"
    bob_tab.send("still here")
    assert bob_tab.next("chat message")["message"] == "still here", "the chat broke for everyone else"


def test_logout_closes_that_users_tabs_and_no_one_elses(ada, bob):
    # Each tab waits for its own arrival to be announced, so no two arrivals share one line.
    ada_first = ada.open_chat("websocket")
    assert ada_first.next("user") == joined("ada", 1)
    ada_second = ada.open_chat("polling")
    assert ada_second.next("user") == joined("ada", 2)
    bob_tab = bob.open_chat()
    assert bob_tab.next("user") == joined("bob", 3)
    ada.log_out()
    ada_first.next("disconnect")
    ada_second.next("disconnect")
    # Both tabs close at once: Bob hears of them in one line or in two.
    news = [bob_tab.next("user")]
    if news[0]["currentUsers"] == 2:
        news.append(bob_tab.next("user"))
    assert news in ([left("ada", 2), left("ada", 1)], [{**left("ada", 1), "joined": 0, "left": 2}])
    bob_tab.send("Ada has gone")
    assert bob_tab.next("chat message") == {"username": "bob", "message": "Ada has gone"}, "Bob's chat broke"


def test_logged_out_cookie_cannot_reconnect(live_server, ada):
    cookie = ada.headers
    ada.log_out()
    with pytest.raises(Refused, match=NOT_LOGGED_IN):
        ChatClient(live_server.url, headers=cookie)
