"""Configuration: defaults in one place, overridden by the environment.

The Node original reads `process.env` wherever it needs a value; here every
variable the app understands is read in this one module, and `.env.example`
documents each of them.

server.py imports this module before gevent or eventlet patches the standard
library, so it imports nothing that opens sockets or starts threads.
"""
import hashlib
import math
import os
import secrets
from pathlib import Path

from cachelib import FileSystemCache

# The project folder, where .env and instance/ are, whatever folder the server is started from.
PROJECT_ROOT = Path(__file__).resolve().parent

DEFAULTS = {
    "PORT": 3000,  # as in the Node original
    "ASYNC_MODE": "gevent",
    "BCRYPT_ROUNDS": 12,
    "SOCKETIO_PING_INTERVAL": 25,
    "SOCKETIO_PING_TIMEOUT": 20,
    # During a burst of joins and leaves, at most one user count per this many
    # seconds (presence.py); 0 sends one for every change, as the lesson does.
    "BROADCAST_WINDOW": 0.1,
    # Form posts are a username and a password: anything bigger is refused.
    "MAX_CONTENT_LENGTH": 16 * 1024,
    # A Socket.IO packet far bigger than any chat message closes its sender's
    # connection before it has all arrived (Socket.IO's own limit is 1 MB);
    # so do more binary attachments than a chat message could need (it needs none).
    "SOCKETIO_MAX_PACKET_BYTES": 64 * 1024,
    "SOCKETIO_MAX_ATTACHMENTS": 10,
    # Seconds a client has to send a whole HTTP request, headers and body,
    # and a new Socket.IO connection to join the chat (transport.py).
    "REQUEST_TIMEOUT": 10,
    "SOCKETIO_CONNECT_TIMEOUT": 10,
    "SESSION_TYPE": "cachelib",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # The session cookie of a request that came over HTTPS (or of every
    # request, with SESSION_COOKIE_SECURE) can be used in another site's
    # frame, such as Replit's preview pane (session_cookie.py).
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
    # Who may show the app in a frame, besides the app itself: Replit's
    # workspace, whose Preview pane frames it (security_headers.py).
    "FRAME_ANCESTORS": "'self' https://replit.com https://*.replit.com https://*.replit.dev",
    # How many proxies in front of the app to trust for the visitor's scheme
    # and host (Replit has one); 0 trusts none.
    "PROXY_COUNT": 0,
}


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


# Environment variable -> how to read it. Missing variables keep the default.
FROM_ENVIRONMENT = {
    "PORT": number(int, 0, 65535),  # 0: any free port (the tests use it)
    "SESSION_SECRET": str,
    "ASYNC_MODE": choice("gevent", "eventlet", "threading"),
    "BCRYPT_ROUNDS": number(int, 4, 31),  # what bcrypt accepts
    "SOCKETIO_PING_INTERVAL": number(float, 0.1),
    "SOCKETIO_PING_TIMEOUT": number(float, 0.1),
    "BROADCAST_WINDOW": number(float, 0, 10),
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
}


def load_config(app, test_config=None):
    """Fill app.config from DEFAULTS, then the environment, then test_config."""
    app.config.from_mapping(DEFAULTS)
    for name in FROM_ENVIRONMENT:
        app.config[name] = setting(name)
    app.config.from_mapping(test_config or {})
    _use_session_secret(app)
    app.config.setdefault("USERS_DATABASE", os.path.join(app.instance_path, "users.sqlite3"))
    app.config.setdefault(
        "SESSION_CACHELIB",
        FileSystemCache(os.path.join(app.instance_path, "sessions"), threshold=10_000),
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
        raise ConfigurationError(f"{name}={value!r} cannot be used: it must be {expected}. See .env.example.") from None


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
