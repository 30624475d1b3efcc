"""The lesson's `currentUsers`: how many sockets are connected, and telling
every client when that number changes.

This is the one place that knows how the count is kept and how it is sent.
The Socket.IO handlers in server.py only say that a user came or went, so
keeping the count across several server processes, or sending fewer
messages when thousands of clients reconnect at once, changes this module
and not the handlers a learner reads.
"""
import threading


class UserCount:
    """Express: let currentUsers = 0;  (one per app, starting at 0)"""

    def __init__(self, socketio):
        self._socketio = socketio
        self._value = 0
        self._lock = threading.Lock()

    @property
    def value(self):
        return self._value

    def user_connected(self):
        """Express: ++currentUsers; io.emit('user count', currentUsers);"""
        self._change_by(+1)

    def user_disconnected(self):
        """Express: --currentUsers; io.emit('user count', currentUsers);"""
        self._change_by(-1)

    def _change_by(self, step):
        # The emit happens under the lock too, so the counts go out in the
        # order they were reached and the last one every client sees is right.
        with self._lock:
            self._value = max(0, self._value + step)
            self._socketio.emit("user count", self._value)
