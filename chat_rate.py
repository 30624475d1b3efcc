"""How fast one chat tab may send: a token bucket for each connected socket.

The Node lesson has no limit, and neither has Socket.IO: every message is
broadcast to every tab at once, so one tab sending a thousand messages a
second made every other tab wait seconds for its own. Here each socket may
send a burst of CHAT_BURST messages, then CHAT_MESSAGES_PER_SECOND; what it
sends faster is refused, to it alone, and a socket whose last
CHAT_FLOOD_REFUSALS messages were all refused is not a person typing: it is
disconnected.

Written by hand rather than with the `limits` package (Flask-Limiter's): a
token bucket is what the chat wants (a burst, then a steady rate), and
`limits` offers windows instead; its memory storage also wakes a timer 100
times a second to expire keys while anyone chats, where a bucket here is
three numbers that go when their socket goes.
"""
import time
from dataclasses import dataclass

# What take() answers.
SEND = "send"
REFUSE = "refuse"  # too fast: tell the sender, send nothing
DISCONNECT = "disconnect"  # too fast, and still sending: a flood


@dataclass(slots=True)
class Bucket:
    tokens: float  # messages the socket may send now, up to the burst
    filled_at: float  # when `tokens` was last topped up
    refused: int = 0  # messages refused since the last one sent


class ChatRateLimit:
    def __init__(self, burst, per_second, flood_refusals, clock=time.monotonic):
        self._burst = burst
        self._per_second = per_second
        self._flood_refusals = flood_refusals
        self._clock = clock
        self._buckets = {}  # Socket.IO sid -> Bucket, for connected sockets only

    def socket_connected(self, sid):
        """A new socket starts with a full bucket."""
        self._buckets[sid] = Bucket(tokens=self._burst, filled_at=self._clock())

    def socket_disconnected(self, sid):
        self._buckets.pop(sid, None)

    def take(self, sid):
        """SEND, REFUSE or DISCONNECT for a chat message `sid` sends now, or
        None when the socket is no longer connected: its messages still on
        their way are dropped."""
        bucket = self._buckets.get(sid)
        if bucket is None:
            return None
        now = self._clock()
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.filled_at) * self._per_second)
        bucket.filled_at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.refused = 0
            return SEND
        bucket.refused += 1
        if bucket.refused >= self._flood_refusals:
            self.socket_disconnected(sid)
            return DISCONNECT
        return REFUSE
