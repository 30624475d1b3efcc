"""Where sessions are kept: logged-in users' in files (instance/sessions),
everyone else's in a small store in memory that forgets them quickly.

Flask-Session stores no empty session, but a visitor who starts signing in
with GitHub has one (Authlib keeps the OAuth state in it), and so has one
who comes back from a failed sign-in (the flashed reason). In files, each
of those would stay for the session's whole lifetime, and past the file
store's threshold cachelib reads every file on every write to find the
oldest: anyone could make every logged-in user's page slow by asking for
/auth/github ten thousand times. Kept apart, visitors can only fill their
own store, which is capped, short-lived and cheap to prune.

server.py keeps them as in_files below says, or with REDIS_URL both in
Redis (in_redis below), visitors' for their short lifetime there too.
"""
import os

from cachelib import BaseCache, FileSystemCache, RedisCache, SimpleCache

# The key Flask-Login keeps the logged-in user's id under: a session with it is a user's.
USER_ID_KEY = "_user_id"


class VisitorsApart(BaseCache):
    """A cachelib cache for Flask-Session (SESSION_CACHELIB) that writes the
    sessions of logged-in users to `users` and all others to `visitors`,
    where they last at most `visitor_lifetime` seconds.

    A session moves from one to the other when someone logs in or out, so
    each write also deletes the session from the other store: a session
    that no longer has a user must not be read back from the users' store.
    """

    def __init__(self, users, visitors, visitor_lifetime):
        super().__init__()
        self.users = users
        self.visitors = visitors
        self.visitor_lifetime = visitor_lifetime

    def get(self, key):
        found = self.visitors.get(key)
        return found if found is not None else self.users.get(key)

    def set(self, key, value, timeout=None):
        if USER_ID_KEY in value:
            self.visitors.delete(key)
            return self.users.set(key, value, timeout)
        self.users.delete(key)
        return self.visitors.set(key, value, min(timeout or self.visitor_lifetime, self.visitor_lifetime))

    def delete(self, key):
        deleted_visitor = self.visitors.delete(key)
        deleted_user = self.users.delete(key)
        return deleted_visitor or deleted_user

    def clear(self):
        cleared_visitors = self.visitors.clear()
        cleared_users = self.users.clear()
        return cleared_visitors and cleared_users


def in_files(instance_path, config):
    """Without REDIS_URL: logged-in users' sessions in files under
    instance/sessions, visitors' in this process's memory, at most
    VISITOR_SESSIONS_MAX of them, for VISITOR_SESSION_LIFETIME seconds."""
    return VisitorsApart(
        users=FileSystemCache(os.path.join(instance_path, "sessions"), threshold=10_000),
        visitors=SimpleCache(threshold=config["VISITOR_SESSIONS_MAX"]),
        visitor_lifetime=config["VISITOR_SESSION_LIFETIME"],
    )


def in_redis(client, visitor_lifetime):
    """With REDIS_URL: every session in the Redis of `client`, where every
    process finds it (a GitHub callback may reach another process than the
    sign-in that started it), visitors' kept VisitorsApart all the same, so
    that they last `visitor_lifetime` seconds, not a logged-in user's month."""
    return VisitorsApartInRedis(client, visitor_lifetime)


class VisitorsApartInRedis(VisitorsApart):
    """VisitorsApart with both stores in one Redis, where a session is read
    from both in one round trip: every logged-in request and socket event reads one."""

    # Visitors' keys have a prefix of their own, users' none (Flask-Session's is in `key`).
    VISITORS_PREFIX = "visitor:"

    def __init__(self, client, visitor_lifetime):
        super().__init__(RedisCache(client), RedisCache(client, key_prefix=self.VISITORS_PREFIX), visitor_lifetime)
        self._client = client

    def get(self, key):
        # One MGET, read as VisitorsApart.get reads the two stores one after the other.
        visitor, user = self._client.mget(self.VISITORS_PREFIX + key, key)
        found = self.visitors.serializer.loads(visitor)
        return found if found is not None else self.users.serializer.loads(user)
