"""Throttling with Flask-Limiter: how often one address may post the login
and registration forms or sign in with GitHub, and how often a username may
be tried from one address, and from all together. routes.py puts the limits on its views;
config.py has their defaults, and .env.example says why.

bcrypt makes each login cost the server about a quarter of a second of CPU,
on purpose: without limits, four clients guessing passwords would use all
of it, and nobody else could log in.
"""
import math
import time

from flask import request
from flask_limiter import Limiter
from limits.errors import ConfigurationError as StorageUnusable

from config import ConfigurationError, shown
from redis_connection import COMMAND_TIMEOUT, CONNECT_TIMEOUT
from usernames import username_key

TOO_MANY_FROM_ADDRESS = "Too many attempts to log in or register from your address."
TOO_MANY_FOR_USERNAME = "Too many attempts to log in as this username."
TOO_MANY_FOR_USERNAME_FROM_ADDRESS = "Too many attempts to log in as this username from your address."
TOO_MANY_GITHUB_SIGN_INS = "Too many sign-ins with GitHub from your address."


def register(app, shared_redis=None):
    """The Limiter of `app`, counting in RATELIMIT_STORAGE_URI, or else in
    `shared_redis` (REDIS_URL's) when there is one, or else in memory;
    ConfigurationError when that storage cannot be used."""
    uri, options = app.config["RATELIMIT_STORAGE_URI"], {}
    if not uri and shared_redis is not None:
        # limits opens a client of its own: it shares REDIS_URL's connections and timeouts.
        uri, options = "redis://", {"connection_pool": shared_redis.connection_pool}
    elif uri.startswith(("redis", "valkey")):
        options = {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": COMMAND_TIMEOUT}
    try:
        limiter = Limiter(client_address, app=app, storage_uri=uri or "memory://", storage_options=options)
        reachable = limiter.storage.check()
    except StorageUnusable as error:
        raise ConfigurationError(f"{shown('RATELIMIT_STORAGE_URI', uri)} cannot be used: {error}") from None
    if not reachable:
        raise ConfigurationError(f"{shown('RATELIMIT_STORAGE_URI', uri)} cannot be reached.")
    return limiter


def client_address():
    """The visitor's address: the connection's, or behind PROXY_COUNT trusted
    proxies the one they vouch for in X-Forwarded-For (ProxyFix in server.py
    has put it in remote_addr). Any other X-Forwarded-For is the visitor's
    own word, and ignored."""
    return request.remote_addr or "unknown"


def submitted_username():
    """The username of the posted form, as usernames are compared (so "Ada"
    and "ADA" count as one), whether or not anyone has it."""
    return "username:" + username_key(request.form.get("username", "").strip())


def submitted_username_from_address():
    """The posted username and the client's address: one guesser's tries at one name."""
    return submitted_username() + " from:" + client_address()


def seconds_to_wait(limiter):
    """Whole seconds until the limit this request broke lets the client try again."""
    limit = limiter.current_limit
    return max(1, math.ceil(limit.reset_at - time.time())) if limit else 60
