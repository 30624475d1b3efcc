"""How fast one browser session may chat: a token bucket that its tabs share.

The Node lesson has no limit, and neither has Socket.IO: every message is
broadcast to every tab at once, so one tab sending a thousand messages a
second made every other tab wait seconds for its own. Here each browser
session may send a burst of CHAT_BURST messages, then
CHAT_MESSAGES_PER_SECOND; what it sends faster is refused, to the sender
alone, and a socket sending when the session's last CHAT_FLOOD_REFUSALS
messages were all refused is not a person typing: it is disconnected.

The bucket belongs to the session, not to the socket: a script that closed
its socket and opened a new one would otherwise get a full bucket each time
(one session got 1,284 messages a second through that way). So the bucket
outlives the session's sockets, until it would be full again, after
CHAT_BURST / CHAT_MESSAGES_PER_SECOND seconds at most: a full bucket and no
bucket are the same. (With several processes, cluster/nginx.conf sends all
of a session's requests to one of them, so that process's bucket is the
session's.)

No limit on how often a session may open a socket: what a reconnecting
loop costs everyone else is the "joined" and "left" news, which presence.py
already sends at most once per BROADCAST_WINDOW however many come, and a
refused socket never tries again, so refusing could lock a person's tab out.

Written by hand rather than with the `limits` package (Flask-Limiter's): a
token bucket is what the chat wants (a burst, then a steady rate), and
`limits` offers windows instead; its memory storage also wakes a timer 100
times a second to expire keys while anyone chats, where here the buckets
that have had time to fill up are dropped as messages come, oldest first.
"""
import time
from collections import OrderedDict
from dataclasses import dataclass

# What take() answers.
SEND = "send"
REFUSE = "refuse"  # too fast: tell the sender, send nothing
DISCONNECT = "disconnect"  # too fast, and still sending: a flood


@dataclass(slots=True)
class Bucket:
    tokens: float  # messages the session may send now, up to the burst
    filled_at: float  # when `tokens` was last topped up
    refused: int = 0  # messages refused since the last one sent


class ChatRateLimit:
    def __init__(self, burst, per_second, flood_refusals, clock=time.monotonic):
        self._burst = burst
        self._per_second = per_second
        self._flood_refusals = flood_refusals
        self._clock = clock
        self._sessions = {}  # Socket.IO sid -> its browser session's id, for connected sockets only
        # Session id -> Bucket, least recently used first: every bucket is full
        # `_full_after` seconds after its last use, and then forgotten.
        self._buckets = OrderedDict()
        self._full_after = burst / per_second

    @property
    def buckets_kept(self):
        return len(self._buckets)

    def socket_connected(self, sid, session_id):
        """A new socket sends from its session's bucket."""
        self._sessions[sid] = session_id

    def socket_disconnected(self, sid):
        self._sessions.pop(sid, None)

    def take(self, sid):
        """SEND, REFUSE or DISCONNECT for a chat message `sid` sends now, or
        None when the socket is no longer connected: its messages still on
        their way are dropped."""
        session_id = self._sessions.get(sid)
        if session_id is None:
            return None
        now = self._clock()
        self._forget_full_buckets(now)
        bucket = self._buckets.pop(session_id, None) or Bucket(tokens=self._burst, filled_at=now)
        self._buckets[session_id] = bucket  # now the most recently used
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

    def _forget_full_buckets(self, now):
        # The least recently used first: once one is not yet full, none after it is.
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if now - oldest.filled_at < self._full_after:
                break
            self._buckets.popitem(last=False)
