"""The lesson's `currentUsers`: who is connected, and telling every client
when that changes.

This is the one place that knows how the count is kept and how it is sent.
The Socket.IO handlers in server.py only say that a socket came or went, so
keeping the count across several server processes, or sending fewer
messages when thousands of clients reconnect at once, changes this module
and not the handlers a learner reads.
"""
import threading


class UserCount:
    """Express: let currentUsers = 0;  (one per app, starting at 0)

    The Node lesson adds and subtracts one. Here each connected socket is
    remembered with its user's name instead, so the count is always the
    number of sockets really connected (a socket that leaves twice, or one
    that was never let in, changes nothing), and the leaving announcement
    knows whose socket it was even when its session has already ended.
    """

    def __init__(self, socketio):
        self._socketio = socketio
        self._usernames = {}  # Socket.IO sid -> the name shown in the chat
        self._lock = threading.Lock()

    @property
    def value(self):
        return len(self._usernames)

    def user_connected(self, sid, username):
        """Express: ++currentUsers; io.emit('user count', currentUsers); io.emit('user', { username, currentUsers, connected: true });"""
        with self._lock:
            self._usernames[sid] = username
            self._announce(username, connected=True)

    def user_disconnected(self, sid):
        """Express: --currentUsers; io.emit('user count', currentUsers); io.emit('user', { username, currentUsers, connected: false });"""
        with self._lock:
            username = self._usernames.pop(sid, None)
            if username is not None:
                self._announce(username, connected=False)

    def _announce(self, username, connected):
        # Called under the lock, so the counts go out in the order they were
        # reached and the last one every client sees is right.
        self._socketio.emit("user count", self.value)
        self._socketio.emit("user", {"username": username, "currentUsers": self.value, "connected": connected})
