"""The Redis (or Valkey) server that several processes of the app share,
when REDIS_URL names one (README, "Running several servers").

Through it Flask-SocketIO relays every emit to every process's clients,
Flask-Session keeps the sessions and presence.py adds up the user count.
Without REDIS_URL nothing here is used.

While Redis is away no session can be read, so no one can be recognised:
answer_while_away() below makes each page say so in one line (a 503), and
server.py tells a chat tab the same, instead of a crash and a traceback.
"""
import re
from urllib.parse import urlsplit

import redis
import socketio
from flask import Response, current_app, session
from flask.sessions import NullSession

from config import ConfigurationError

# Seconds to wait for Redis to accept a connection, and then to answer a
# command, before giving up: a Redis that vanished fails the one request, or
# the one round of the count, instead of holding it forever.
CONNECT_TIMEOUT = 5
COMMAND_TIMEOUT = 5
# Seconds a connection of the chat relay may stay idle before it is checked with a PING.
HEALTH_CHECK_SECONDS = 30
# Seconds between attempts to reach Redis again while it is away: the chat
# relay's (MessageQueue below) and the user count's (presence.py).
RETRY_SECONDS = 1

# The errors of a Redis that is away (stopped, restarting, or silent past the
# timeouts above), as opposed to a mistake in a command.
AWAY = (redis.ConnectionError, redis.TimeoutError)
# What a visitor is told while Redis is away, and the line logged each time.
SESSIONS_UNREACHABLE = (
    "The server cannot reach its session store just now, so it cannot tell who you are: please try again in a minute."
)
LOGGED_AWAY = "Redis (REDIS_URL), which keeps the sessions, cannot be reached: %s"
RETRY_AFTER_SECONDS = 60


def redis_address(url):
    """REDIS_URL as the `redis` package and python-socketio read it: Valkey
    speaks Redis's protocol, so valkey:// is redis:// (valkeys:// is rediss://)."""
    return re.sub(r"^valkey", "redis", url)


def connect(url, max_connections):
    """A client of the Redis at `url`, once it has answered; ConfigurationError,
    in one line and without the password, when it cannot be reached.

    It opens at most `max_connections` connections (REDIS_MAX_CONNECTIONS).
    Under gevent or eventlet every request waits for Redis in a green thread
    of its own, and a burst (every tab reconnecting after a restart) may want
    more at once: the others wait, up to COMMAND_TIMEOUT, for one to be free,
    rather than fail at once as redis-py's default pool does past 100.
    """
    pool = redis.BlockingConnectionPool.from_url(
        redis_address(url),
        max_connections=max_connections,
        timeout=COMMAND_TIMEOUT,
        socket_connect_timeout=CONNECT_TIMEOUT,
        socket_timeout=COMMAND_TIMEOUT,
        socket_keepalive=True,
    )
    client = redis.Redis(connection_pool=pool)
    try:
        client.ping()
    except redis.RedisError as error:
        raise ConfigurationError(f"REDIS_URL={without_password(url)!r} cannot be reached: {error}") from None
    return client


def without_password(url):
    """`url` with its password, if any, replaced by ***, fit to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def message_queue(url):
    """What SocketIO(message_queue=url) would make, but with MessageQueue
    below, and connecting as connect() does: within CONNECT_TIMEOUT, with
    keepalive, and a PING before using a connection idle for HEALTH_CHECK_SECONDS.

    Not COMMAND_TIMEOUT: before redis-py 8.1 a read timeout also ended the
    relay's listening each time the chat was quiet that long. (redis-py 8 has
    a 5 s one by default, which 8.1's listening ignores.)
    """
    options = {
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_keepalive": True,
        "health_check_interval": HEALTH_CHECK_SECONDS,
    }
    return MessageQueue(redis_address(url), channel="flask-socketio", redis_options=options)


class MessageQueue(socketio.RedisManager):
    """Flask-SocketIO's message queue (python-socketio's RedisManager), which
    relays every emit to every process, but tries to listen to a Redis that
    went away every RETRY_SECONDS, as the count does (presence.py).

    python-socketio's own listener doubles its wait after each failed attempt,
    up to 60 s: after a 15-second outage the chat stayed split between the
    processes for 16 s more. It has no setting for that wait, so this
    replaces its listening loop (a private method of python-socketio 5).
    """

    def _redis_listen_with_retries(self):
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                yield from self.pubsub.listen()
            except Exception as error:  # as python-socketio's loop: whatever broke, listen again
                self._get_logger().error("The chat relay lost Redis (%s); listening again in %s s", error, RETRY_SECONDS)
                self.server.sleep(RETRY_SECONDS)


def answer_while_away(app):
    """Makes every page of `app` a 503 in one line of plain text, with one
    line in the log, while Redis is away; they work again once it is back.

    Flask opens the session before any error handler can answer, so a session
    that cannot be read is opened as a SessionAway instead, which raises
    Redis's error where the error handlers (below, and server.py's for
    Socket.IO) answer it. The login limits (throttle.py) count in Redis too.
    """
    app.session_interface = OpensWhileAway(app.session_interface)

    @app.before_request
    def read_the_session():
        # On every request, the public files' too: Flask-Login's after_request hook
        # reads every session, and an error raised there is past the error handlers.
        session.get("_user_id")

    def redis_away(error):
        current_app.logger.warning(LOGGED_AWAY, error)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return Response(SESSIONS_UNREACHABLE, status=503, mimetype="text/plain", headers=headers)

    for error in AWAY:
        app.register_error_handler(error, redis_away)


class OpensWhileAway:
    """Flask-Session's session interface, but a session that cannot be read
    because Redis is away opens as a SessionAway rather than failing there."""

    def __init__(self, interface):
        self._interface = interface

    def __getattr__(self, name):
        return getattr(self._interface, name)

    def open_session(self, app, request):
        try:
            return self._interface.open_session(app, request)
        except AWAY as error:
            return SessionAway(error)


class SessionAway(NullSession):
    """The session of a request that came while Redis was away: empty and
    never saved (a Flask NullSession), but the first read of it raises Redis's
    error, in the page or Socket.IO handler that asked. Only the first: the
    page's 503 still goes through Flask-Login's hook, which reads it again."""

    def __init__(self, error):
        super().__init__()
        self._error = error

    def _raise_the_first_time(self):
        error, self._error = self._error, None
        if error is not None:
            raise error

    def get(self, key, default=None):
        self._raise_the_first_time()
        return super().get(key, default)

    def __getitem__(self, key):
        self._raise_the_first_time()
        return super().__getitem__(key)

    def __contains__(self, key):
        self._raise_the_first_time()
        return super().__contains__(key)

    def __len__(self):
        self._raise_the_first_time()
        return super().__len__()
