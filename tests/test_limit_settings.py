"""The limits on what a visitor types, each changed through its setting on
the real server: the server refuses past the new limit, with its sentence,
and the page's input stops the typing there (issue 14: every limit has a setting)."""
import pytest
import requests
import socketio

from config import CHAT_PACKET_BYTES_BESIDES_MESSAGE, longest_that_fits
from tests.socket_clients import HTTP_TIMEOUT, LiveMember


@pytest.mark.server_environment(CHAT_MESSAGE_MAX_LENGTH="10")
def test_chat_message_max_length_is_the_longest_message_sent_and_typed(live_server):
    ada = LiveMember(live_server.url, "ada")
    page = requests.get(live_server.url + "/chat", cookies=ada.cookies, timeout=HTTP_TIMEOUT).text
    assert '<input id="m" name="m" maxlength="10"' in page
    tab = ada.open_chat()
    tab.send("x" * 11)
    assert tab.next("chat error") == {"message": "Chat messages can be at most 10 characters long."}
    tab.send("x" * 10)
    assert tab.next("chat message")["message"] == "x" * 10


@pytest.mark.server_environment(USERNAME_MAX_LENGTH="40")
def test_username_max_length_is_the_longest_name_registered_and_typed(live_server):
    page = requests.get(live_server.url + "/", timeout=HTTP_TIMEOUT).text
    assert page.count('autocomplete="username" required maxlength="40"') == 2, "the login and register forms"
    form = {"username": "a" * 41, "password": "secret"}
    refused = requests.post(live_server.url + "/register", data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert refused.status_code == 400
    assert "Usernames can be at most 40 characters long." in refused.text
    LiveMember(live_server.url, "a" * 40)  # registers, or fails


@pytest.mark.server_environment(MAX_CONTENT_LENGTH="1024")
def test_max_content_length_is_the_largest_form_read(live_server):
    def register(password):
        form = {"username": "ada", "password": password}
        return requests.post(live_server.url + "/register", data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)

    read = register("x" * 1002)  # a form of 1024 bytes, the most: read, and its password refused
    assert read.status_code == 400
    assert "Passwords can be at most 72 bytes long" in read.text
    too_large = register("x" * 1003)  # 1025 bytes
    assert too_large.status_code == 413
    assert "That form was too large to accept." in too_large.text


# The longest chat message config.py lets 1024-byte packets have.
PACKET_BYTES = 1024
LONGEST = longest_that_fits(PACKET_BYTES, CHAT_PACKET_BYTES_BESIDES_MESSAGE)


@pytest.mark.parametrize("transport", ["websocket", "polling"])
@pytest.mark.server_environment(SOCKETIO_MAX_PACKET_BYTES=str(PACKET_BYTES), CHAT_MESSAGE_MAX_LENGTH=str(LONGEST))
def test_the_longest_chat_message_the_packet_limit_allows_fits_in_a_packet_however_written(live_server, transport):
    # python-socketio's client writes JSON as json.dumps does, a character beyond
    # U+FFFF as two \uXXXX escapes: 12 bytes for what the server counts as one.
    message = "\N{GRINNING FACE}" * LONGEST
    packet = socketio.packet.Packet(socketio.packet.EVENT, ["chat message", message]).encode()
    assert len("4" + packet) == len('42["chat message",""]') + 12 * LONGEST, "each character should take the most bytes"
    tab = LiveMember(live_server.url, "ada").open_chat(transport)
    tab.send(message)
    assert tab.next("chat message")["message"] == message, "the message's own packet was too large for the server"
