"""One unfriendly client hurts no one else, on the real server: a session
that floods the chat is slowed down, then disconnected, however often it
reconnects; one session has only a few sockets, a new one closing its oldest;
and a connection that sends packets Socket.IO cannot read is closed with one
line in the log, never a traceback (issue 14, items 2, 3, 6)."""
import json
import socket

import pytest
import requests
import socketio

from server import FLOODING, TAB_CLOSED, TOO_FAST
from tests.socket_clients import HTTP_TIMEOUT, LiveMember, RawTab

# Every test here runs under each ASYNC_MODE (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("async_mode")

# The server's one line for a connection it closed over a packet it could not read.
GARBAGE_LINE = "sent a packet the server cannot read"


@pytest.fixture
def server(start_server, async_mode):
    # A heartbeat far longer than any test waits, so only what a test sends
    # gets a connection closed; a chat rate so slow that no message sent
    # after the burst can be let through however slowly the machine runs.
    return start_server(
        ASYNC_MODE=async_mode, SOCKETIO_PING_INTERVAL="60", SOCKETIO_PING_TIMEOUT="60", CHAT_MESSAGES_PER_SECOND="0.01"
    )


@pytest.fixture
def watcher(server):
    """A well-behaved tab of another user, open before the trouble starts."""
    tab = LiveMember(server.url, "watcher").open_chat()
    tab.wait_for_count(1)
    return tab


def printed(server):
    """Everything the server has printed so far."""
    return "".join(server.output)


def test_a_burst_goes_through_and_the_next_message_is_refused_to_its_sender_only(server, watcher):
    ada = RawTab(server.url, LiveMember(server.url, "ada").headers)
    for number in range(10):  # the burst, CHAT_BURST's default
        ada.send(f'42["chat message","burst {number}"]')
        assert watcher.next("chat message")["message"] == f"burst {number}"
    ada.send('42["chat message","one too many"]')
    assert ada.next_event("chat error") == {"message": TOO_FAST}
    watcher.send("after the refused one")
    assert watcher.next("chat message")["message"] == "after the refused one", "the refused message reached others"


def replies(tab, sent):
    """What the server answered to the `sent` chat messages a tab has just sent
    ('chat message' for one let through, the 'chat error' message for one refused),
    up to the first that closed the connection."""
    answers = []
    while len(answers) < sent:
        frame = tab.receive()
        if frame is None:
            break
        if frame.startswith('42["chat message"'):
            answers.append("sent")
        elif frame.startswith('42["chat error"'):
            answers.append(json.loads(frame[2:])[1]["message"])
    return answers


def test_reconnecting_gives_a_session_no_fresh_burst(server, watcher):
    ada = LiveMember(server.url, "ada")
    answers = []
    for connection in range(5):  # a new socket each time, as a script reconnecting in a loop would
        tab = RawTab(server.url, ada.headers)
        sent = tab.send_until_closed(f'42["chat message","from socket {connection}"]', 10)
        answers += replies(tab, sent)
        tab.kill()
    watcher.send("the end")
    received = []
    while (message := watcher.next("chat message")["message"]) != "the end":
        received.append(message)
    # The burst (10) and, at 0.01 a second, nothing more: the session's bucket outlived its sockets.
    assert received == ["from socket 0"] * 10, received
    assert answers[:10] == ["sent"] * 10
    # Its refusals add up across sockets too: the 20th refusal in a row (its 30th message) is a flood.
    assert answers[10:30] == [TOO_FAST] * 19 + [FLOODING], answers


def test_a_tab_that_keeps_flooding_is_disconnected_and_the_chat_goes_on(server, watcher):
    ada = RawTab(server.url, LiveMember(server.url, "ada").headers)
    watcher.wait_for_count(2)
    ada.send_until_closed('42["chat message","flood"]', 1000)
    errors = []
    while (frame := ada.receive()) is not None:
        if frame.startswith('42["chat error"'):
            errors.append(json.loads(frame[2:])[1]["message"])
    # CHAT_FLOOD_REFUSALS (20) refusals in a row, the last of them saying why the tab was closed.
    assert errors == [TOO_FAST] * 19 + [FLOODING]
    watcher.wait_for_count(1)
    for _ in range(10):  # the burst
        assert watcher.next("chat message")["message"] == "flood"
    bob = LiveMember(server.url, "bob").open_chat()
    bob.send("still here")
    assert watcher.next("chat message")["message"] == "still here", "more than the burst reached others"


def test_a_flood_of_events_the_server_does_not_know_is_a_flood_too(server, watcher):
    ada = RawTab(server.url, LiveMember(server.url, "ada").headers)
    ada.send_until_closed('42["no such event"]', 1000)
    errors = []
    while (frame := ada.receive()) is not None:
        if frame.startswith('42["chat error"'):
            errors.append(json.loads(frame[2:])[1]["message"])
    assert errors == ["This server has no 'no such event' event."] * 10 + [TOO_FAST] * 19 + [FLOODING]
    watcher.wait_for_count(1)


def test_a_sessions_eleventh_socket_closes_its_oldest_which_is_told_why(server, watcher):
    ada = LiveMember(server.url, "ada")
    tabs = [RawTab(server.url, ada.headers) for _ in range(10)]
    watcher.wait_for_count(11)
    for tab in tabs:
        # A laptop that changed networks: its old sockets still count until their heartbeat lapses.
        tab.fall_asleep()
    newest = ada.open_chat()  # let in: nobody is locked out by sockets that only seem open
    assert tabs[0].next_event("chat error") == {"message": TAB_CLOSED.format(most=10)}
    tabs[0].wait_until_closed()
    newer = RawTab(server.url, ada.headers)
    assert tabs[1].next_event("chat error") == {"message": TAB_CLOSED.format(most=10)}
    tabs[1].wait_until_closed()
    newest.send("from the newest tab")
    assert watcher.next("chat message")["message"] == "from the newest tab"
    newer.send('42["chat message","from the newer tab"]')
    assert watcher.next("chat message")["message"] == "from the newer tab"
    LiveMember(server.url, "bob").open_chat()  # another session has tabs of its own
    watcher.wait_for_count(12)  # the watcher, ada's ten (the closed ones were not counted on), bob


def test_a_polling_tab_closed_for_a_newer_one_is_told_why_and_stays_closed(start_server, async_mode):
    # Over long polling the tab reads its last packets ('chat error', DISCONNECT, CLOSE)
    # with its next poll. Had the server thrown them away, the tab would see only a
    # broken connection and reconnect by itself, as a page's io() does, closing
    # the next-oldest tab, and so on.
    server = start_server(ASYNC_MODE=async_mode, CHAT_TABS_PER_SESSION="2")
    ada = LiveMember(server.url, "ada")
    tabs = [ada.open_chat("polling", reconnection=True) for _ in range(2)]
    for _ in range(4):  # a new tab each time, the oldest making room
        tabs.append(ada.open_chat("polling", reconnection=True))
        oldest = tabs.pop(0)
        assert oldest.next("chat error") == {"message": TAB_CLOSED.format(most=2)}
        assert oldest.next("disconnect") == socketio.Client.reason.SERVER_DISCONNECT, oldest.seen
    tabs[-1].send("still here")
    for tab in tabs:
        assert tab.next("chat message")["message"] == "still here"
        assert [event for event, _ in tab.seen if event in ("chat error", "disconnect")] == [], tab.seen


GARBAGE = {
    "not json": "42[",
    "no event name": "42[]",
    "an object": "42{}",
    "object as name": "42[{}]",
    "list as name": "42[[]]",
    "no packet type": "4",
    "unknown type": "47",
    "letter as type": "4x",
    "connect error": "44{}",
    "stray attachment": "45",
}
# A binary event announcing one attachment, then the attachment, which its placeholder misnames.
BAD_PLACEHOLDER = ['451-["chat message",{"_placeholder":true,"num":5}]', b"\x01"]


def test_garbage_from_a_logged_in_tab_closes_it_with_one_line_in_the_log(server, watcher):
    ada = LiveMember(server.url, "ada")
    for frames in [[frame] for frame in GARBAGE.values()] + [BAD_PLACEHOLDER]:
        tab = RawTab(server.url, ada.headers)
        watcher.wait_for_count(2)
        for frame in frames:
            tab.send(frame)
        tab.wait_until_closed()
        watcher.wait_for_count(1)
    watcher.send("still here")
    assert watcher.next("chat message")["message"] == "still here"
    server.stop()
    assert "Traceback" not in printed(server), printed(server)
    assert printed(server).count(GARBAGE_LINE) == len(GARBAGE) + 1, printed(server)


def test_a_thousand_broken_packets_before_login_close_the_connection_after_the_first(server, watcher):
    anonymous = RawTab(server.url, {}, join=False)
    sent = anonymous.send_until_closed("42[", 1000)
    anonymous.wait_until_closed()
    watcher.send("still here")
    assert watcher.next("chat message")["message"] == "still here"
    server.stop()
    assert "Traceback" not in printed(server), printed(server)
    assert printed(server).count(GARBAGE_LINE) == 1, f"{sent} packets sent: {printed(server)}"


def polling_url(server, sid=None):
    return f"{server.url}/socket.io/?EIO=4&transport=polling" + (f"&sid={sid}" if sid else "")


def open_polling(server, headers):
    """Opens a long-polling Engine.IO connection; its session id."""
    answer = requests.get(polling_url(server), headers=headers, timeout=HTTP_TIMEOUT)
    return json.loads(answer.text[1:])["sid"]


def test_a_post_to_a_polling_connection_just_closed_is_a_400_not_a_traceback(server):
    headers = LiveMember(server.url, "ada").headers
    sid = open_polling(server, headers)
    close = requests.post(polling_url(server, sid), data="1", headers=headers, timeout=HTTP_TIMEOUT)
    assert close.status_code == 200
    late = requests.post(polling_url(server, sid), data="40", headers=headers, timeout=HTTP_TIMEOUT)
    assert late.status_code == 400
    server.stop()
    assert "Traceback" not in printed(server), printed(server)


@pytest.mark.parametrize("body", ["x", "42[", b"\xff\xfe"], ids=["not a packet", "not json", "not utf-8"])
def test_a_polling_post_of_garbage_closes_the_connection_with_one_line(server, body):
    headers = LiveMember(server.url, "ada").headers
    sid = open_polling(server, headers)
    requests.post(polling_url(server, sid), data=body, headers=headers, timeout=HTTP_TIMEOUT)
    poll = requests.get(polling_url(server, sid), headers=headers, timeout=HTTP_TIMEOUT)
    assert poll.status_code == 400 or poll.text.endswith("1"), f"still open: {poll.status_code} {poll.text!r}"
    server.stop()
    assert "Traceback" not in printed(server), printed(server)
    assert printed(server).count(GARBAGE_LINE) == 1, printed(server)


@pytest.mark.parametrize("async_mode", ["threading", "gevent", "eventlet"])
@pytest.mark.parametrize("length", ["abc", "-5"])
def test_a_polling_post_whose_content_length_is_no_length_is_a_400(server, length):
    headers = LiveMember(server.url, "ada").headers
    sid = open_polling(server, headers)
    with socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT) as connection:
        request = [
            f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1",
            f"Host: 127.0.0.1:{server.port}",
            f"Content-Length: {length}",
            "Connection: close",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        connection.sendall(("\r\n".join(request) + "\r\n\r\n40").encode())
        answer = connection.makefile("rb").readline()
    assert answer.split()[1] == b"400", answer
    server.stop()
    assert "Traceback" not in printed(server), printed(server)


def test_a_flooding_tab_on_long_polling_is_disconnected_too(server, watcher):
    ada = LiveMember(server.url, "ada").open_chat("polling")
    watcher.wait_for_count(2)
    # One message per POST, each sent once the last is answered: a POST of
    # more than 16 packets is closed as garbage (python-engineio's limit).
    for number in range(10):  # the burst
        ada.send(f"flood {number}")
        assert ada.next("chat message")["message"] == f"flood {number}"
    for _ in range(19):  # CHAT_FLOOD_REFUSALS refused, but the last
        ada.send("too fast")
        assert ada.next("chat error") == {"message": TOO_FAST}
    ada.send("one more")
    # Told why by its next poll, then disconnected by the server, as over a WebSocket.
    assert ada.next("chat error") == {"message": FLOODING}
    assert ada.next("disconnect") == socketio.Client.reason.SERVER_DISCONNECT, ada.seen
    watcher.wait_for_count(1)
    server.stop()
    assert "Traceback" not in printed(server), printed(server)
