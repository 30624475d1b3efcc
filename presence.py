"""Who is in the chat: the lesson's `currentUsers`, each session's room, and
every message that tells the clients who came and went.

The Socket.IO handlers in server.py only say that a socket came or went;
this module is the one place that keeps the count and sends it. Two rules
keep it from ever stopping:

- Nothing is sent while the lock is held. Sending to a client whose
  heartbeat has lapsed makes python-engineio close that socket on the spot,
  which runs the disconnect handler in the same greenlet: had the lock been
  held, it would wait for itself forever.
- One sender, a background task of its own, sends the news. A change is
  recorded under the lock and the sender is woken. The first change after
  a quiet spell goes out at once; during a burst (a thousand tabs
  reconnecting after a restart) the sender sends at most one update per
  BROADCAST_WINDOW seconds, with the latest count and one line for everyone
  who came and went meanwhile. So a storm of N connections costs O(N)
  messages instead of O(N²), and the last count every client receives is the
  number of sockets really connected.

With REDIS_URL several processes serve the chat, and each one's count is
only its share (RedisTally below): each process keeps its share in Redis
under a key that expires unless refreshed, and tells the others on a Redis
channel who came and went. Every process's sender then reads the sum over
the live processes and sends it to its own clients only, so a client gets
one message per round whichever process the change happened on. The sender
also wakes every COUNT_HEARTBEAT seconds to refresh this process's key and
re-read the sum: when a process dies, its key expires and each survivor
sends its clients the corrected count once.
"""
import json
import threading
import uuid

import redis

# Seconds before a round whose sending failed is sent again, and before listening to a lost Redis again.
from redis_connection import RETRY_SECONDS

NAMESPACE = "/"
# Redis names: a key per process (its share of the count), the set of
# processes that have one, and the channel their news goes over.
SHARE_KEY = "presence:count:"
PROCESSES_KEY = "presence:processes"
CHANNEL = "presence"
# What a tab is told as its session's sockets are closed (logging out, or in as someone else).
LOGGED_OUT = "You have left the chat. Log in again to rejoin."


class Presence:
    """Express: let currentUsers = 0;  (one per app, starting at 0)

    The Node lesson adds and subtracts one. Here each connected socket is
    remembered with its user's name, so the count is always the number of
    sockets really connected (a socket that leaves twice, or one that was
    never let in, changes nothing), and the leaving announcement knows whose
    socket it was even when its session has already ended.
    """

    def __init__(self, socketio, window, tally=None):
        self._socketio = socketio
        self._window = window  # seconds between updates during a burst; 0 sends every change
        # With REDIS_URL, a RedisTally: the count is the sum over every process,
        # and each process tells its own clients. Without it, this process's count is the count.
        self._tally = tally
        self._local_only = {"ignore_queue": True} if tally else {}
        self._lock = threading.Lock()
        self._usernames = {}  # Socket.IO sid -> the name shown in the chat
        # (username, connected, count after the change), not sent yet; the
        # count is None for a change on another process.
        self._changes = []
        self._changed = socketio.server.eio.create_event()
        self._all_sent = socketio.server.eio.create_event()
        self._all_sent.set()
        self._sender = None
        self._sent_count = None  # the last count this process's clients were sent

    @property
    def value(self):
        """The number of sockets connected to this process (with REDIS_URL, its share of the count)."""
        return len(self._usernames)

    def user_connected(self, sid, username, session_id):
        """Counts a socket that has just been let in, and puts it in its session's room.

        Express: ++currentUsers; io.emit('user count', currentUsers); io.emit('user', { username, currentUsers, connected: true });
        """
        self._socketio.server.enter_room(sid, session_id, namespace=NAMESPACE)
        with self._lock:
            self._usernames[sid] = username
            self._record(username, connected=True)

    def user_disconnected(self, sid):
        """Stops counting a socket that has gone, however it went.

        Express: --currentUsers; io.emit('user count', currentUsers); io.emit('user', { username, currentUsers, connected: false });
        """
        with self._lock:
            username = self._usernames.pop(sid, None)
            if username is not None:
                self._record(username, connected=False)

    def sockets_in_session(self, session_id):
        """The sockets of one browser session that are connected to this
        process (those in its room), the oldest first."""
        return [sid for sid, _ in self._socketio.server.manager.get_participants(NAMESPACE, session_id)]

    def close_session(self, session_id):
        """Disconnects every socket a browser session opened, on every process,
        so a tab that is logged out cannot keep chatting. Each one leaves through
        user_disconnected, as a closed tab does.

        Socket.IO 4 in Node would say io.in(room).disconnectSockets().
        """
        self._close_local_session(session_id)
        if self._tally:
            self._tally.close_session(session_id)

    def stop_counting(self):
        """As the process stops: with REDIS_URL, takes its share out of the
        count at once, so that the other processes' tabs need not wait for it
        to expire (after COUNT_TTL seconds, as a killed process's does)."""
        if self._tally:
            try:
                self._tally.withdraw()
            except redis.RedisError as error:
                self._socketio.server.logger.error("Could not take this process out of the count (%s)", error)

    def wait_until_sent(self, timeout=None):
        """Waits until every change recorded so far has been sent; False if
        `timeout` seconds pass first."""
        return self._all_sent.wait(timeout)

    def _close_local_session(self, session_id):
        server = self._socketio.server
        for sid, _ in server.manager.get_participants(NAMESPACE, session_id):
            # Said first, so that the page can show why its chat ended.
            server.emit("chat error", {"message": LOGGED_OUT}, to=sid, namespace=NAMESPACE, ignore_queue=True)
            server.disconnect(sid, namespace=NAMESPACE)

    def _record(self, username, connected):
        # Under the lock: note the change and wake the sender, send nothing.
        self._changes.append((username, connected, len(self._usernames)))
        self._wake_sender()

    def _wake_sender(self):
        # Under the lock.
        self._all_sent.clear()
        self._changed.set()
        if self._sender is None:
            self._sender = self._socketio.start_background_task(self._send_forever)
            if self._tally:
                self._socketio.start_background_task(self._listen_forever)

    def _send_forever(self):
        """The sender: waits for changes and broadcasts them, outside the lock.
        With REDIS_URL it also wakes every heartbeat, to keep this process's
        share alive in Redis and to send a count that changed elsewhere."""
        heartbeat = self._tally.heartbeat if self._tally else None
        while True:
            self._changed.wait(heartbeat)
            self._changed.clear()
            with self._lock:
                changes, self._changes = self._changes, []
                share = len(self._usernames)
            sent = self._broadcast(changes, share)
            with self._lock:
                if not sent:
                    # Sent again next round (a tab may see a line twice), so every tab ends with the right count.
                    self._changes[:0] = changes
                    self._changed.set()
                elif not self._changes:
                    self._all_sent.set()
            # Changes that come meanwhile wait for the next round: one round per window.
            self._socketio.sleep(self._window if sent else min(RETRY_SECONDS, heartbeat or RETRY_SECONDS))

    def _broadcast(self, changes, share):
        """Sends a round of changes, or with REDIS_URL a count changed
        elsewhere; False if sending failed."""
        try:
            this_round = self._this_round(changes, share)
            if this_round is not None:
                self._send(*this_round)
        except redis.RedisError as error:
            self._socketio.server.logger.error("The user count cannot reach Redis (%s); trying again", error)
            return False
        except Exception:  # the sender must outlive any one failed send
            self._socketio.server.logger.exception("Sending the user count failed; trying again")
            return False
        return True

    def _this_round(self, changes, share):
        """The count to send and the changes to announce with it, each as
        (username, connected, count then); None when there is nothing to send.
        With REDIS_URL the count is the sum over every process, and a round
        may have no changes: the count changed elsewhere, or not at all."""
        if not self._tally:
            return (changes[-1][2], changes) if changes else None
        count = self._tally.update(share, [(name, came) for name, came, mine in changes if mine is not None])
        if count is None:
            return None  # the process is stopping
        return count, [(name, came, count) for name, came, _ in changes]

    def _send(self, count, changes):
        """Sends this process's clients the round's changes with the count, or the count alone if it changed."""
        if not changes:
            if count != self._sent_count:
                # A process died, or Redis forgot a share: only the number changed.
                self._socketio.emit("user count", count, **self._local_only)
        elif self._window == 0:
            # The lesson's literal behaviour: two messages for every change.
            for username, connected, count_then in changes:
                self._emit(count_then, {"username": username, "currentUsers": count_then, "connected": connected})
        else:
            self._emit(count, summary(changes))
        self._sent_count = count

    def _emit(self, count, announcement):
        self._socketio.emit("user count", count, **self._local_only)
        self._socketio.emit("user", announcement, **self._local_only)

    def _listen_forever(self):
        """With REDIS_URL: hands on the other processes' news, until the process ends."""
        for news in self._tally.news(self._socketio.sleep, self._socketio.server.logger):
            if "close" in news:
                self._close_local_session(news["close"])
            else:
                with self._lock:
                    self._changes.extend((name, came, None) for name, came in news["changes"])
                    self._wake_sender()


class RedisTally:
    """The user count over several processes, in the Redis at REDIS_URL.

    Each process stores its share under a key of its own that expires
    `ttl` seconds after it was last written; the sender writes it at every
    round and at least every `heartbeat` seconds. The count is the sum of the
    keys that have not expired. Writing the share and publishing the news
    come before reading the sum, and every process re-reads the sum when
    news comes, so the last count each process sends is exact.
    """

    def __init__(self, client, ttl, heartbeat):
        self._redis = client
        self._ttl_ms = round(ttl * 1000)
        self.heartbeat = heartbeat
        self._process = uuid.uuid4().hex  # this process's name in Redis
        self._withdrawn = False

    def update(self, share, changes):
        """Stores this process's `share`, tells the others about `changes`
        (username, connected), and returns the sum over the live processes
        (None once the process has withdrawn)."""
        if self._withdrawn:
            return None  # the process is stopping: nothing more to count or send
        key = SHARE_KEY + self._process
        with self._redis.pipeline() as pipe:
            pipe.set(key, share, px=self._ttl_ms, get=True)
            pipe.sadd(PROCESSES_KEY, self._process)
            pipe.smembers(PROCESSES_KEY)
            previous, _, processes = pipe.execute()
        if changes or previous is None:
            # A share that was missing (a new process, or a Redis that lost
            # its data) changes the sum too: the others re-read it.
            self._publish({"changes": changes})
        processes = sorted(processes)
        shares = self._redis.mget([SHARE_KEY + name.decode() for name in processes])
        expired = [name for name, value in zip(processes, shares, strict=True) if value is None]
        if expired:
            self._redis.srem(PROCESSES_KEY, *expired)
        return sum(int(value) for value in shares if value is not None)

    def withdraw(self):
        """Takes this process's share out, for good, and has the others re-read the sum."""
        self._withdrawn = True
        with self._redis.pipeline() as pipe:
            pipe.delete(SHARE_KEY + self._process)
            pipe.srem(PROCESSES_KEY, self._process)
            pipe.execute()
        self._publish({"changes": []})

    def close_session(self, session_id):
        """Asks the other processes to disconnect the sockets of a session."""
        self._publish({"close": session_id})

    def news(self, sleep, logger):
        """Yields what the other processes publish, forever: {"changes": [...]}
        or {"close": session_id}. Whenever it (re)subscribes it first yields
        news of no change, since the sum may have changed while nobody listened."""
        while True:
            try:
                with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    pubsub.subscribe(CHANNEL)
                    yield {"changes": []}
                    while True:
                        message = pubsub.get_message(timeout=self.heartbeat)
                        if message is not None:
                            news = json.loads(message["data"])
                            if news.pop("process") != self._process:
                                yield news
            except redis.RedisError as error:
                logger.error("The user count lost Redis (%s); listening again in %s s", error, RETRY_SECONDS)
                sleep(RETRY_SECONDS)

    def _publish(self, news):
        self._redis.publish(CHANNEL, json.dumps({"process": self._process, **news}))


def summary(changes):
    """The one 'user' announcement for a round of changes.

    One change is announced as the lesson has it. Several get two more keys,
    `joined` and `left`, which client.js shows as one line ("12 users
    joined, 3 left."); `username` and `connected` are those of the latest
    change, so the lesson's own client still shows something true.
    """
    username, connected, count = changes[-1]
    announcement = {"username": username, "currentUsers": count, "connected": connected}
    if len(changes) > 1:
        joined = sum(1 for _, came, _ in changes if came)
        announcement.update(joined=joined, left=len(changes) - joined)
    return announcement
