"""Configuration: defaults in one place, overridden by the environment.

The Node original reads `process.env` wherever it needs a value; here every
variable the app understands is read in this one module, and `.env.example`
documents each of them.
"""
import hashlib
import os
import secrets

from cachelib import FileSystemCache

# The Socket.IO browser client, version 4 (the one python-socketio 5 speaks),
# pinned with the hash the browser checks before running it.
SOCKETIO_CLIENT_URL = "https://cdn.socket.io/4.8.1/socket.io.min.js"
SOCKETIO_CLIENT_INTEGRITY = (
    "sha384-mkQ3/7FUtcGyoppY6bz/PORYoGqOl7/aSUMn2ymDOJcapfS6PHqxhRTMh1RR0Q6+"
)

DEFAULTS = {
    "ASYNC_MODE": "gevent",
    "BCRYPT_ROUNDS": 12,
    "SOCKETIO_CLIENT_URL": SOCKETIO_CLIENT_URL,
    "SOCKETIO_CLIENT_INTEGRITY": SOCKETIO_CLIENT_INTEGRITY,
    "SOCKETIO_PING_INTERVAL": 25,
    "SOCKETIO_PING_TIMEOUT": 20,
    # Form posts are a username and a password: anything bigger is refused.
    "MAX_CONTENT_LENGTH": 16 * 1024,
    "SESSION_TYPE": "cachelib",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Sign in with GitHub: off until both are set (see the README).
    "GITHUB_CLIENT_ID": "",
    "GITHUB_CLIENT_SECRET": "",
    # GitHub's endpoints; the tests point them at a stand-in for GitHub.
    "GITHUB_AUTHORIZE_URL": "https://github.com/login/oauth/authorize",
    "GITHUB_TOKEN_URL": "https://github.com/login/oauth/access_token",
    "GITHUB_API_BASE_URL": "https://api.github.com/",
    # Seconds to wait for an answer from GitHub before giving up.
    "GITHUB_TIMEOUT": 10,
    # How many proxies in front of the app to trust for the visitor's scheme
    # and host (Replit has one); 0 trusts none.
    "PROXY_COUNT": 0,
}

# Environment variable -> how to read it. Missing variables keep the default.
FROM_ENVIRONMENT = {
    "SESSION_SECRET": str,
    "ASYNC_MODE": str,
    "BCRYPT_ROUNDS": int,
    "SOCKETIO_CLIENT_URL": str,
    "SOCKETIO_CLIENT_INTEGRITY": str,
    "SOCKETIO_PING_INTERVAL": float,
    "SOCKETIO_PING_TIMEOUT": float,
    "GITHUB_CLIENT_ID": str,
    "GITHUB_CLIENT_SECRET": str,
    "GITHUB_AUTHORIZE_URL": str,
    "GITHUB_TOKEN_URL": str,
    "GITHUB_API_BASE_URL": str,
    "GITHUB_TIMEOUT": float,
    "PROXY_COUNT": int,
}


def load_config(app, test_config=None):
    """Fill app.config from DEFAULTS, then the environment, then test_config."""
    app.config.from_mapping(DEFAULTS)
    for name, read in FROM_ENVIRONMENT.items():
        if os.environ.get(name):
            app.config[name] = read(os.environ[name])
    app.config.from_mapping(test_config or {})
    _use_session_secret(app)
    app.config.setdefault("USERS_DATABASE", os.path.join(app.instance_path, "users.sqlite3"))
    app.config.setdefault(
        "SESSION_CACHELIB",
        FileSystemCache(os.path.join(app.instance_path, "sessions"), threshold=10_000),
    )


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
