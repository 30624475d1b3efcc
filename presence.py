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
"""
import threading

NAMESPACE = "/"
# Seconds before a round whose sending failed is sent again.
RETRY_SECONDS = 1


class Presence:
    """Express: let currentUsers = 0;  (one per app, starting at 0)

    The Node lesson adds and subtracts one. Here each connected socket is
    remembered with its user's name, so the count is always the number of
    sockets really connected (a socket that leaves twice, or one that was
    never let in, changes nothing), and the leaving announcement knows whose
    socket it was even when its session has already ended.
    """

    def __init__(self, socketio, window):
        self._socketio = socketio
        self._window = window  # seconds between updates during a burst; 0 sends every change
        self._lock = threading.Lock()
        self._usernames = {}  # Socket.IO sid -> the name shown in the chat
        self._changes = []  # (username, connected, count after the change), not sent yet
        self._changed = socketio.server.eio.create_event()
        self._all_sent = socketio.server.eio.create_event()
        self._all_sent.set()
        self._sender = None

    @property
    def value(self):
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
        """How many sockets of one browser session are connected: those in its room."""
        return sum(1 for _ in self._socketio.server.manager.get_participants(NAMESPACE, session_id))

    def close_session(self, session_id):
        """Disconnects every socket a browser session opened, so a tab that
        is logged out cannot keep chatting. Each one leaves through
        user_disconnected, as a closed tab does.

        Socket.IO 4 in Node would say io.in(room).disconnectSockets().
        """
        server = self._socketio.server
        for sid, _ in server.manager.get_participants(NAMESPACE, session_id):
            server.disconnect(sid, namespace=NAMESPACE)

    def wait_until_sent(self, timeout=None):
        """Waits until every change recorded so far has been sent; False if
        `timeout` seconds pass first."""
        return self._all_sent.wait(timeout)

    def _record(self, username, connected):
        # Under the lock: note the change and wake the sender, send nothing.
        self._changes.append((username, connected, len(self._usernames)))
        self._all_sent.clear()
        self._changed.set()
        if self._sender is None:
            self._sender = self._socketio.start_background_task(self._send_forever)

    def _send_forever(self):
        """The sender: waits for changes and broadcasts them, outside the lock."""
        while True:
            self._changed.wait()
            self._changed.clear()
            with self._lock:
                changes, self._changes = self._changes, []
            sent = self._broadcast(changes)
            with self._lock:
                if not sent:
                    # Sent again next round (a tab may see a line twice), so every tab ends with the right count.
                    self._changes[:0] = changes
                    self._changed.set()
                elif not self._changes:
                    self._all_sent.set()
            # Changes that come meanwhile wait for the next round: one round per window.
            self._socketio.sleep(self._window if sent else RETRY_SECONDS)

    def _broadcast(self, changes):
        """Sends a round of changes; False if sending failed."""
        try:
            if self._window == 0:
                # The lesson's literal behaviour: two messages for every change.
                for username, connected, count in changes:
                    self._emit(count, {"username": username, "currentUsers": count, "connected": connected})
            elif changes:
                self._emit(changes[-1][2], summary(changes))
        except Exception:  # the sender must outlive any one failed send
            self._socketio.server.logger.exception("Sending the user count failed; trying again")
            return False
        return True

    def _emit(self, count, announcement):
        self._socketio.emit("user count", count)
        self._socketio.emit("user", announcement)


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
