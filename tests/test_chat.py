"""The chat of lessons 20-22 through Flask-SocketIO's test client: who may
connect, the join and leave announcements, chat messages, and what logging
out does to open sockets."""
from pathlib import Path

import pytest

from config import DEFAULTS
from presence import Presence

MESSAGE_MAX_LENGTH = DEFAULTS["CHAT_MESSAGE_MAX_LENGTH"]

CLIENT_JS = Path(__file__).resolve().parent.parent / "public" / "client.js"


def received(socket, event):
    """The data of every `event` this socket received since the last look,
    once every change in who is connected has been announced."""
    assert socket.app.extensions["presence"].wait_until_sent(5), "a change in who is connected was never announced"
    return [message["args"][0] for message in socket.get_received() if message["name"] == event]


def test_anonymous_socket_is_refused(app, socketio):
    anonymous = socketio.test_client(app)
    assert not anonymous.is_connected(), "a visitor who is not logged in joined the chat"


def test_refused_socket_is_never_counted(app, socketio, member):
    ada = member("ada").open_chat()
    ada.get_received()
    socketio.test_client(app)
    assert ada.get_received() == [], "a refused connection was announced to the chat"
    assert received(member("bob").open_chat(), "user count") == [2]


def test_forged_session_cookie_is_refused(app, socketio, client):
    client.set_cookie("session", "forged-session-id")
    assert not socketio.test_client(app, flask_test_client=client).is_connected()


def test_joining_is_announced_with_name_count_and_connected(member):
    ada = member("ada").open_chat()
    member("bob").open_chat()
    assert received(ada, "user")[-1] == {"username": "bob", "currentUsers": 2, "connected": True}


def test_leaving_is_announced_with_name_count_and_connected(member):
    ada = member("ada").open_chat()
    bob = member("bob").open_chat()
    ada.get_received()
    bob.disconnect()
    assert received(ada, "user") == [{"username": "bob", "currentUsers": 1, "connected": False}]


def test_chat_shows_the_display_name(monkeypatch, member):
    monkeypatch.setattr("connection.User.display_name", property(lambda user: f"{user.username} (GitHub)"))
    ada = member("ada").open_chat()
    ada.emit("chat message", "hi")
    events = ada.get_received()
    shown = [event["args"][0]["username"] for event in events if event["name"] in ("user", "chat message")]
    assert shown == ["ada (GitHub)", "ada (GitHub)"], "the join or the message did not use the display name"


def test_message_reaches_everyone_with_the_sender_name(member):
    ada = member("ada").open_chat()
    bob = member("bob").open_chat()
    ada.get_received()
    bob.get_received()
    ada.emit("chat message", "Hello, Bob!")
    expected = [{"username": "ada", "message": "Hello, Bob!"}]
    assert received(bob, "chat message") == expected, "Bob did not see Ada's message"
    assert received(ada, "chat message") == expected, "Ada did not see her own message"


def test_message_is_sent_without_surrounding_spaces(member):
    ada = member("ada").open_chat()
    ada.emit("chat message", "  hi there \n")
    assert received(ada, "chat message") == [{"username": "ada", "message": "hi there"}]


def test_message_of_the_longest_allowed_length_is_sent(member):
    ada = member("ada").open_chat()
    ada.emit("chat message", "é" * MESSAGE_MAX_LENGTH)
    assert received(ada, "chat message")[0]["message"] == "é" * MESSAGE_MAX_LENGTH


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("", "Please type a message first."),
        (" \t\n ", "Please type a message first."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), f"at most {MESSAGE_MAX_LENGTH} characters"),
        (None, "must be text"),
        (42, "must be text"),
        (True, "must be text"),
        ({"message": "hi"}, "must be text"),
        (["hi"], "must be text"),
        (b"hi", "must be text"),
    ],
)
def test_bad_message_gets_an_error_to_the_sender_only(member, payload, problem):
    ada = member("ada").open_chat()
    bob = member("bob").open_chat()
    ada.get_received()
    bob.get_received()
    ada.emit("chat message", payload)
    assert [problem in error["message"] for error in received(ada, "chat error")] == [True]
    assert bob.get_received() == [], "a refused message reached another user"


def test_chat_message_without_data_gets_an_error(member):
    ada = member("ada").open_chat()
    ada.get_received()
    ada.emit("chat message")
    assert received(ada, "chat error") == [{"message": "A chat message must be text."}]


def test_socket_whose_session_ended_cannot_chat(app, member):
    ada = member("ada").open_chat()
    bob = member("bob").open_chat()
    bob.get_received()
    app.config["SESSION_CACHELIB"].clear()  # every session expires at once
    ada.emit("chat message", "still here?")
    assert not ada.is_connected(), "a socket kept chatting after its session ended"
    assert received(bob, "chat message") == [], "a message from an ended session was sent"


def test_logout_closes_every_tab_of_that_session(member):
    ada = member("ada")
    first, second = ada.open_chat(), ada.open_chat()
    ada.auth.logout()
    assert not first.is_connected() and not second.is_connected(), "a logged-out tab stayed in the chat"


def test_logout_leaves_other_users_connected_and_told(member):
    ada, bob = member("ada"), member("bob")
    ada.open_chat()
    ada.open_chat()
    bob_tab = bob.open_chat()
    bob_tab.get_received()
    ada.auth.logout()
    assert bob_tab.is_connected(), "Bob was thrown out when Ada logged out"
    assert [(user["username"], user["currentUsers"], user["connected"]) for user in received(bob_tab, "user")] == [
        ("ada", 2, False),
        ("ada", 1, False),
    ]


def test_logout_keeps_the_same_user_logged_in_elsewhere(app, socketio, member, client, auth):
    home_tab = member("ada").open_chat()
    auth.login("ada", "secret")  # Ada in a second browser
    socketio.test_client(app, flask_test_client=client)
    auth.logout()
    assert home_tab.is_connected(), "logging out in one browser closed Ada's chat in another"


def test_logging_in_as_someone_else_closes_the_old_chat(member):
    ada = member("ada")
    member("bob").auth.logout()
    ada_tab = ada.open_chat()
    ada.auth.login("bob", "secret")  # in another tab, without logging out
    assert not ada_tab.is_connected(), "Ada's old chat tab stayed open under Bob's login"


@pytest.fixture
def failing_event(socketio):
    """An extra event whose handler fails, like a bug in a future handler."""

    @socketio.on("fail")
    def fail():
        raise RuntimeError("a bug")


def test_failing_handler_tells_only_its_sender_and_is_logged(member, failing_event, caplog):
    ada = member("ada").open_chat()
    bob = member("bob").open_chat()
    ada.get_received()
    bob.get_received()
    ada.emit("fail")
    assert [error["message"] for error in received(ada, "chat error")] == [
        "Something went wrong on the server. Please try again."
    ]
    assert bob.get_received() == [], "another user heard about someone else's failure"
    assert "'fail' handler failed" in caplog.text
    assert "RuntimeError: a bug" in caplog.text


def test_chat_goes_on_after_a_failing_handler(member, failing_event):
    ada = member("ada").open_chat()
    ada.emit("fail")
    ada.emit("chat message", "still working")
    assert received(ada, "chat message") == [{"username": "ada", "message": "still working"}]


def test_connection_whose_handler_fails_is_refused_and_not_counted(monkeypatch, member):
    ada = member("ada").open_chat()
    ada.get_received()

    def broken(self, sid, username, session_id):
        raise RuntimeError("the count is unavailable")

    monkeypatch.setattr(Presence, "user_connected", broken)
    bob = member("bob").open_chat()
    assert not bob.is_connected(), "a connection whose handler failed was let in"
    assert ada.get_received() == []


def test_client_never_writes_html():
    script = CLIENT_JS.read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", ".html("):
        assert sink not in code, f"client.js uses {sink}: a username or message could run as HTML"
