"""The chat's token bucket (chat_rate.py), on a clock the test moves: a burst,
then a steady rate, a flood told apart from a fast typist, and one bucket for
all of a browser session's sockets, old and new."""
from chat_rate import DISCONNECT, REFUSE, SEND, ChatRateLimit


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def limit(clock, burst=10, per_second=2, flood_refusals=20):
    rate = ChatRateLimit(burst, per_second, flood_refusals, clock=clock)
    rate.socket_connected("ada", "ada's session")
    return rate


def test_a_burst_then_one_message_per_half_second_at_two_a_second():
    clock = Clock()
    rate = limit(clock)
    assert [rate.take("ada") for _ in range(11)] == [SEND] * 10 + [REFUSE]
    clock.now += 0.25
    assert rate.take("ada") == REFUSE, "half a token is not a message"
    clock.now += 0.25
    assert rate.take("ada") == SEND
    assert rate.take("ada") == REFUSE
    clock.now += 60  # a long pause refills the bucket to the burst, no more
    assert [rate.take("ada") for _ in range(11)] == [SEND] * 10 + [REFUSE]


def test_only_refusals_in_a_row_make_a_flood():
    clock = Clock()
    rate = limit(clock, burst=1, flood_refusals=3)
    assert [rate.take("ada") for _ in range(3)] == [SEND, REFUSE, REFUSE]
    clock.now += 0.5  # one message sent in between starts the count again
    assert [rate.take("ada") for _ in range(4)] == [SEND, REFUSE, REFUSE, DISCONNECT]
    assert rate.take("ada") is None, "a socket disconnected for flooding sends nothing more"


def test_sessions_have_buckets_of_their_own_and_send_only_while_connected():
    clock = Clock()
    rate = limit(clock, burst=1)
    rate.socket_connected("bob", "bob's session")
    assert [rate.take("ada"), rate.take("ada"), rate.take("bob")] == [SEND, REFUSE, SEND]
    rate.socket_disconnected("ada")
    assert rate.take("ada") is None
    assert rate.take("never connected") is None


def test_the_tabs_of_a_session_share_its_bucket_even_one_opened_after_the_others_left():
    clock = Clock()
    rate = limit(clock, burst=2, per_second=1)
    rate.socket_connected("ada's second tab", "ada's session")
    assert [rate.take("ada"), rate.take("ada's second tab")] == [SEND, SEND]
    assert rate.take("ada's second tab") == REFUSE
    rate.socket_disconnected("ada")
    rate.socket_disconnected("ada's second tab")
    rate.socket_connected("ada, reconnected", "ada's session")
    assert rate.take("ada, reconnected") == REFUSE, "a new socket got a full bucket"
    clock.now += 1
    assert [rate.take("ada, reconnected"), rate.take("ada, reconnected")] == [SEND, REFUSE]


def test_a_bucket_is_forgotten_once_it_would_be_full_again():
    clock = Clock()
    rate = limit(clock, burst=10, per_second=2)  # empty to full in 5 s
    rate.take("ada")
    rate.socket_disconnected("ada")
    for number in range(40):
        rate.socket_connected(number, f"session {number}")
        rate.take(number)
        rate.socket_disconnected(number)
        clock.now += 0.25
    # Every session has left; only those that sent in the last 5 s are remembered.
    assert rate.buckets_kept == 5 / 0.25
    clock.now += 5
    rate.socket_connected("bob", "bob's session")
    rate.take("bob")
    assert rate.buckets_kept == 1
