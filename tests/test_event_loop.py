"""Nothing slow runs on the event loop: while passwords are being hashed,
the chat goes on for everyone else (the real server, under gevent and eventlet)."""
import threading

import requests

from tests.socket_clients import HTTP_TIMEOUT, LiveMember

# Nearly a second a hash here: long enough that a blocked event loop
# would answer hardly any message while the sign-ups are under way.
SLOW_ROUNDS = "14"


def sign_up(url, username, answers):
    response = requests.post(url + "/register", data={"username": username, "password": "secret"}, timeout=HTTP_TIMEOUT)
    answers.append(response.url.removeprefix(url))


def test_chat_answers_while_passwords_are_hashed(start_server, async_mode):
    # One tab sends as fast as it is answered: no chat rate limit gets in the way.
    server = start_server(ASYNC_MODE=async_mode, BCRYPT_ROUNDS=SLOW_ROUNDS, CHAT_BURST="100000")
    tab = LiveMember(server.url, "ada").open_chat()
    answers = []
    sign_ups = [threading.Thread(target=sign_up, args=(server.url, f"newcomer {n}", answers)) for n in range(2)]
    for sign_up_thread in sign_ups:
        sign_up_thread.start()
    echoes = 0
    while any(thread.is_alive() for thread in sign_ups):
        tab.send("are you there?")
        tab.next("chat message")
        echoes += 1
    # Seen here: 700 to 1,200 answered with hashing in threads, 14 to 73 with
    # hashing on the event loop (the chat answers only before and after each hash).
    assert answers == ["/profile", "/profile"], "the sign-ups did not succeed"
    assert echoes >= 300, f"only {echoes} chat messages were answered while 2 people signed up"
