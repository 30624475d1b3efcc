"""Configuration: defaults in one place, overridden by the environment.

The Node original reads `process.env` wherever it needs a value; here every
variable the app understands is read and checked in this one module, and
`.env.example` documents each of them: what it does, and why its default.

server.py imports this module before gevent or eventlet patches the standard
library, so it imports nothing that opens sockets or starts threads.
"""
import hashlib
import math
import os
import secrets
from pathlib import Path

# The project folder, where .env and instance/ are, whatever folder the server is started from.
PROJECT_ROOT = Path(__file__).resolve().parent

DEFAULTS = {
    "PORT": 3000,  # as in the Node original
    "ASYNC_MODE": "gevent",
    "BCRYPT_ROUNDS": 12,
    "SOCKETIO_PING_INTERVAL": 25,
    "SOCKETIO_PING_TIMEOUT": 20,
    # Seconds between user counts during a burst of joins and leaves (presence.py); 0: one per change.
    "BROADCAST_WINDOW": 0.1,
    # How fast one browser session may chat, and when a flooding tab is disconnected (chat_rate.py).
    "CHAT_BURST": 10,
    "CHAT_MESSAGES_PER_SECOND": 2,
    "CHAT_FLOOD_REFUSALS": 20,
    # Sockets one browser session may have in the chat at once: its tabs.
    "CHAT_TABS_PER_SESSION": 10,
    # Bytes of the largest form post (a username and a password).
    "MAX_CONTENT_LENGTH": 16 * 1024,
    # Characters in a username, and in a chat message (without the spaces around it).
    "USERNAME_MAX_LENGTH": 64,
    "CHAT_MESSAGE_MAX_LENGTH": 1000,
    # Bytes of the largest Socket.IO packet, and binary attachments of one (transport.py).
    "SOCKETIO_MAX_PACKET_BYTES": 64 * 1024,
    "SOCKETIO_MAX_ATTACHMENTS": 10,
    # Seconds to send a whole HTTP request, and for a new Socket.IO connection to join (transport.py).
    "REQUEST_TIMEOUT": 10,
    "SOCKETIO_CONNECT_TIMEOUT": 10,
    "SESSION_TYPE": "cachelib",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # The session cookie's attributes for a frame of another site (session_cookie.py).
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_CROSS_SITE": "partitioned",
    # Sign in with GitHub: off until both are set (see the README).
    "GITHUB_CLIENT_ID": "",
    "GITHUB_CLIENT_SECRET": "",
    # GitHub's endpoints; the tests point them at a stand-in for GitHub.
    "GITHUB_AUTHORIZE_URL": "https://github.com/login/oauth/authorize",
    "GITHUB_TOKEN_URL": "https://github.com/login/oauth/access_token",
    "GITHUB_API_BASE_URL": "https://api.github.com/",
    # Seconds to wait for an answer from GitHub before giving up.
    "GITHUB_TIMEOUT": 10,
    # Who may show the app in a frame besides the app itself: Replit's workspace (security_headers.py).
    "FRAME_ANCESTORS": "'self' https://replit.com https://*.replit.com https://*.replit.dev",
    # Proxies in front of the app trusted for the visitor's scheme, host and address; 0: none.
    "PROXY_COUNT": 0,
    # Posts to /login and /register together, per address (throttle.py, in Flask-Limiter's notation).
    "LOGIN_LIMIT_PER_ADDRESS": "60 per minute;1000 per day",
    # Logins per username from one address.
    "LOGIN_LIMIT_PER_USERNAME_FROM_ADDRESS": "5 per minute",
    # Logins per username from all addresses together.
    "LOGIN_LIMIT_PER_USERNAME": "30 per minute",
    # Requests to /auth/github and its callback together, per address.
    "GITHUB_SIGN_IN_LIMIT_PER_ADDRESS": "20 per minute",
    # Where the limits' counts are kept; empty: memory, or REDIS_URL's Redis (throttle.py).
    "RATELIMIT_STORAGE_URI": "",
    # How the limits' counts are kept.
    "RATELIMIT_STRATEGY": "sliding-window-counter",
    # Sessions of visitors not logged in: how many at most, for how many seconds (session_store.py).
    "VISITOR_SESSIONS_MAX": 5000,
    "VISITOR_SESSION_LIFETIME": 600,
    # The users on a PostgreSQL server (databases.py); empty: SQLite under instance/.
    "DATABASE_URL": "",
    # Users who stay logged in while the users database cannot be reached (connection.py).
    "USERS_KEPT_IN_MEMORY": 10_000,
    # The Redis that several processes share (redis_connection.py); empty: one process.
    "REDIS_URL": "",
    # With REDIS_URL: seconds each process's share of the count lives, and between refreshes (presence.py).
    "COUNT_TTL": 5,
    "COUNT_HEARTBEAT": 1,
    # Connections to Redis one process opens at most (redis_connection.py).
    "REDIS_MAX_CONNECTIONS": 50,
}


# Not a setting: bcrypt reads at most 72 bytes of a password, so longer ones
# are refused (auth.py) instead of being silently cut short.
PASSWORD_MAX_BYTES = 72

# The most bytes one character, as the server counts them (len() of a str: code
# points), can take as sent: JSON may write one beyond U+FFFF, 4 bytes in UTF-8,
# as two \uXXXX escapes (json.dumps does, in python-socketio's client), and a
# form writes each of its 4 bytes as %XX. (Spaces around a chat message or a
# username are not counted: a client that pads one with them can still go over.)
MOST_BYTES_PER_CHARACTER = 12
# A chat message's Socket.IO packet, a WebSocket message or a polling request's
# body, is 42["chat message","..."]: 21 bytes besides the message, and up to 10
# digits more from a client that asks for an acknowledgement (client.js does not).
CHAT_PACKET_BYTES_BESIDES_MESSAGE = len('42["chat message",""]') + 10
# A login form as a browser posts it, username=...&password=..., the password's
# PASSWORD_MAX_BYTES bytes each written %XX.
FORM_BYTES_BESIDES_USERNAME = len("username=&password=") + 3 * PASSWORD_MAX_BYTES


class ConfigurationError(ValueError):
    """An environment variable the app cannot use; str() says which, and what it should be."""


def choice(*options):
    """Reads a setting that must be one of `options`."""

    def read(value):
        if value not in options:
            raise ValueError("one of " + ", ".join(options))
        return value

    return read


def true_or_false(value):
    """Reads a setting that must be true or false."""
    if value not in ("true", "false"):
        raise ValueError("true or false")
    return value == "true"


def number(kind, minimum, maximum=math.inf):
    """Reads a setting that must be a number of `kind` (int or float) from
    `minimum` up to `maximum`."""
    expected = f"{'a whole number' if kind is int else 'a number'} from {minimum}"
    expected += f" to {maximum}" if maximum < math.inf else " up"

    def read(value):
        try:
            result = kind(value)
        except ValueError:
            raise ValueError(expected) from None
        if not minimum <= result <= maximum:  # also refuses nan
            raise ValueError(expected)
        return result

    return read


def frame_ancestors(value):
    """Reads the sources of CSP's frame-ancestors, separated by spaces."""
    if any(character in value for character in ";,\r\n"):
        raise ValueError("sources such as 'self' https://replit.com, separated by spaces")
    return " ".join(value.split())


def rate_limit(value):
    """Reads a rate limit such as "20 per minute", or several separated by ";"."""
    # Imported here: limits imports asyncio and ssl, which gevent must patch
    # first, and server.py reads ASYNC_MODE from this module before patching.
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ValueError('a rate limit such as "20 per minute" or "20/minute;100/hour"') from None
    return value


def ratelimit_storage(value):
    """Reads the address of a storage the `limits` package can keep counts in."""
    from limits.storage import SCHEMES  # imported here for the reason given in rate_limit()

    if value.split("://")[0] not in SCHEMES or value.startswith("async+"):
        raise ValueError("a storage such as memory:// or redis://localhost:6379")
    return value


def postgresql_url(value):
    """Reads the address of a PostgreSQL server, as libpq writes it."""
    if not value.startswith(("postgresql://", "postgres://")) or not value.isprintable() or " " in value:
        raise ValueError("a PostgreSQL URL, such as postgresql://user:password@localhost:5432/chat")
    return value


# Valkey speaks Redis's protocol: the one `redis` package serves both.
REDIS_SCHEMES = ("redis://", "rediss://", "valkey://", "valkeys://")


def redis_url(value):
    """Reads the address of a Redis or Valkey server."""
    if not value.startswith(REDIS_SCHEMES):
        raise ValueError("an address starting with " + ", ".join(REDIS_SCHEMES))
    return value


# Environment variable -> how to read it. Missing variables keep the default.
FROM_ENVIRONMENT = {
    "PORT": number(int, 0, 65535),  # 0: any free port (the tests use it)
    "SESSION_SECRET": str,
    "ASYNC_MODE": choice("gevent", "eventlet", "threading"),
    "BCRYPT_ROUNDS": number(int, 4, 31),  # what bcrypt accepts
    "SOCKETIO_PING_INTERVAL": number(float, 0.1),
    "SOCKETIO_PING_TIMEOUT": number(float, 0.1),
    "BROADCAST_WINDOW": number(float, 0, 10),
    "CHAT_BURST": number(int, 1),
    "CHAT_MESSAGES_PER_SECOND": number(float, 0.001),
    "CHAT_FLOOD_REFUSALS": number(int, 1),
    "CHAT_TABS_PER_SESSION": number(int, 1),
    "CHAT_MESSAGE_MAX_LENGTH": number(int, 1, 100_000),
    # freeCodeCamp's checks register freeCodeCampTester<milliseconds>: 31 characters.
    "USERNAME_MAX_LENGTH": number(int, 31, 1000),
    "MAX_CONTENT_LENGTH": number(int, 1024, 1024 * 1024),  # the server reads a whole form before the app does
    "SOCKETIO_MAX_PACKET_BYTES": number(int, 1024),
    "SOCKETIO_MAX_ATTACHMENTS": number(int, 0),
    "REQUEST_TIMEOUT": number(float, 0.1),
    "SOCKETIO_CONNECT_TIMEOUT": number(float, 0.1),
    "GITHUB_CLIENT_ID": str,
    "GITHUB_CLIENT_SECRET": str,
    "GITHUB_AUTHORIZE_URL": str,
    "GITHUB_TOKEN_URL": str,
    "GITHUB_API_BASE_URL": str,
    "GITHUB_TIMEOUT": number(float, 0.1),
    "PROXY_COUNT": number(int, 0, 10),
    "FRAME_ANCESTORS": frame_ancestors,
    "SESSION_COOKIE_SECURE": true_or_false,
    "SESSION_COOKIE_CROSS_SITE": choice("partitioned", "unpartitioned", "off"),
    "LOGIN_LIMIT_PER_ADDRESS": rate_limit,
    "LOGIN_LIMIT_PER_USERNAME_FROM_ADDRESS": rate_limit,
    "LOGIN_LIMIT_PER_USERNAME": rate_limit,
    "GITHUB_SIGN_IN_LIMIT_PER_ADDRESS": rate_limit,
    "RATELIMIT_STORAGE_URI": ratelimit_storage,
    "RATELIMIT_STRATEGY": choice("sliding-window-counter", "moving-window", "fixed-window"),
    "VISITOR_SESSIONS_MAX": number(int, 1),
    "VISITOR_SESSION_LIFETIME": number(int, 60),
    "DATABASE_URL": postgresql_url,
    "USERS_KEPT_IN_MEMORY": number(int, 0, 1_000_000),
    "REDIS_URL": redis_url,
    "COUNT_TTL": number(float, 0.5, 3600),
    "COUNT_HEARTBEAT": number(float, 0.1, 600),
    "REDIS_MAX_CONNECTIONS": number(int, 2, 10_000),
}

# Settings whose values may hold a password: an error names them without their value.
NOT_SHOWN = {"DATABASE_URL", "RATELIMIT_STORAGE_URI"}


def load_config(app, test_config=None):
    """Fill app.config from DEFAULTS, then the environment, then test_config."""
    app.config.from_mapping(DEFAULTS)
    for name in FROM_ENVIRONMENT:
        app.config[name] = setting(name)
    app.config.from_mapping(test_config or {})
    _use_session_secret(app)
    refuse_what_cannot_work_together(app.config)
    app.config.setdefault("USERS_DATABASE", os.path.join(app.instance_path, "users.sqlite3"))


def refuse_what_cannot_work_together(config):
    """ConfigurationError, in one line, for settings each usable alone but not together."""
    if config["REDIS_URL"] and config["COUNT_HEARTBEAT"] >= config["COUNT_TTL"]:
        raise ConfigurationError(
            f"COUNT_HEARTBEAT={config['COUNT_HEARTBEAT']} cannot be used: it must be less than "
            f"COUNT_TTL={config['COUNT_TTL']}, or every process's share of the count expires. See .env.example."
        )
    _refuse_longer_than_fits(
        config, "CHAT_MESSAGE_MAX_LENGTH", "SOCKETIO_MAX_PACKET_BYTES", CHAT_PACKET_BYTES_BESIDES_MESSAGE,
        "a message that long may not fit in one packet, and its sender's connection would be closed",
    )
    _refuse_longer_than_fits(
        config, "USERNAME_MAX_LENGTH", "MAX_CONTENT_LENGTH", FORM_BYTES_BESIDES_USERNAME,
        "a login form with a name that long may be refused as too large",
    )


def longest_that_fits(total_bytes, bytes_besides):
    """The most characters that fit in `total_bytes` beside `bytes_besides`, however they are written."""
    return (total_bytes - bytes_besides) // MOST_BYTES_PER_CHARACTER


def _refuse_longer_than_fits(config, length, limit, bytes_besides, otherwise):
    """Refuses a `length` setting whose text would not fit in `limit`'s bytes beside `bytes_besides`."""
    most = longest_that_fits(config[limit], bytes_besides)
    if config[length] > most:
        raise ConfigurationError(
            f"{length}={config[length]} cannot be used: it must be at most {most} with "
            f"{limit}={config[limit]}, or {otherwise}. See .env.example."
        )


def instance_folder():
    """The folder of the users database and the session files: INSTANCE_PATH,
    relative to the project folder, or the project's instance/ when it is unset or empty."""
    return str(PROJECT_ROOT / (os.environ.get("INSTANCE_PATH") or "instance"))


def async_mode():
    """Which server and event loop run the app: gevent, unless ASYNC_MODE names another.

    server.py asks once, first thing, to patch the standard library for it
    before anything else imports it; load_config reads the same setting.
    """
    return setting("ASYNC_MODE")


def setting(name):
    """The environment variable `name`, read as FROM_ENVIRONMENT says, or its
    default (None if it has none) when it is unset or empty, as lines of
    .env.example may be; ConfigurationError, naming it, when it cannot be used."""
    value = os.environ.get(name)
    if not value:
        return DEFAULTS.get(name)
    try:
        return FROM_ENVIRONMENT[name](value)
    except ValueError as expected:
        raise ConfigurationError(f"{shown(name, value)} cannot be used: it must be {expected}. See .env.example.") from None


def shown(name, value):
    """Setting `name` as an error shows it: with its value, unless that may hold a password."""
    return f"{name} (its value is not shown: it may hold a password)" if name in NOT_SHOWN else f"{name}={value!r}"


def _use_session_secret(app):
    """Express: session({ secret: process.env.SESSION_SECRET, ... })

    The session id in the cookie is already a long random token, so the
    secret does here what rotating it does in express-session: sessions are
    stored under a prefix derived from it, and a new secret ends them all.
    """
    secret = app.config.get("SESSION_SECRET")
    if not secret:
        secret = secrets.token_hex(32)
        app.logger.warning(
            "SESSION_SECRET is not set: using a random secret for this run, so "
            "everyone is logged out when the server restarts. Set SESSION_SECRET "
            "in .env (see .env.example) to keep sessions across restarts."
        )
    app.config["SECRET_KEY"] = secret
    fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:16]
    app.config["SESSION_KEY_PREFIX"] = f"session:{fingerprint}:"
