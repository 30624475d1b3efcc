"""The Redis (or Valkey) server that several processes of the app share,
when REDIS_URL names one (README, "Running several servers").

Through it Flask-SocketIO relays every emit to every process's clients,
Flask-Session keeps the sessions and presence.py adds up the user count.
Without REDIS_URL nothing here is used.
"""
import re
from urllib.parse import urlsplit

import redis
import socketio

from config import ConfigurationError

# Seconds to wait for Redis to accept a connection, and then to answer a
# command, before giving up: a Redis that vanished fails the one request, or
# the one round of the count, instead of holding it forever.
CONNECT_TIMEOUT = 5
COMMAND_TIMEOUT = 5
# Seconds between attempts of the chat relay to listen to Redis again, while it is away.
RETRY_SECONDS = 1


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
    """What SocketIO(message_queue=url) would make, but with MessageQueue below."""
    return MessageQueue(redis_address(url), channel="flask-socketio")


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
