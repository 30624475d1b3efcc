"""The users store: the Python counterpart of connection.js.

The Node original connects to MongoDB and hands the `users` collection to the
routes. Here the users live in SQLite, a file under `instance/` created on
first start, so the app runs with no database server; or, with DATABASE_URL,
on a PostgreSQL server that several app processes share (databases.py has
both). Routes and auth talk only to `UsersStore`, which speaks the same SQL
to either.

People who register here and people who sign in with GitHub are kept in two
tables: a GitHub user is known by their GitHub id, so a local user and a
GitHub user who happen to share a name are two different accounts.
"""
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from flask_login import UserMixin

from databases import DatabaseUnavailable, Duplicate
from usernames import username_key

# One literal statement for each way a local user is looked up.
FIND_USER_BY = {
    "username": "SELECT id, username, password_hash FROM users WHERE username = ?",
    "id": "SELECT id, username, password_hash FROM users WHERE id = ?",
}

# Session ids of GitHub users start with this, so they never collide with the
# ids of local users, which are plain numbers.
GITHUB_ID_PREFIX = "github:"


class UsernameTaken(Exception):
    """Raised when a username is already registered."""


@dataclass(frozen=True)
class User(UserMixin):
    id: int
    username: str
    password_hash: str

    def get_id(self):
        return str(self.id)

    @property
    def display_name(self):
        """The name the chat shows."""
        return self.username


@dataclass(frozen=True)
class GitHubProfile:
    """What GitHub says about someone who signed in (Express: the `profile` of the GitHub strategy)."""

    github_id: int
    username: str  # the GitHub login, e.g. "octocat"
    name: str | None
    avatar_url: str | None
    email: str | None  # their public e-mail, when they show one


@dataclass(frozen=True)
class GitHubUser(UserMixin):
    """Someone who signed in with GitHub."""

    id: int
    github_id: int
    username: str
    name: str | None
    avatar_url: str | None
    email: str | None
    created_on: str
    last_login: str
    login_count: int

    def get_id(self):
        return f"{GITHUB_ID_PREFIX}{self.id}"

    @property
    def display_name(self):
        """The name the chat shows, marked so that a GitHub user can never pass
        for the local user of the same name (local names cannot contain "(GitHub)")."""
        return f"{self.username} (GitHub)"


class UsersStore:
    """Express: myDataBase, the `users` collection.

    `database` is a databases.SQLite or databases.PostgreSQL. Flask-Login
    finds the logged-in user by id for every page and every Socket.IO event,
    so the store keeps the `keep` users asked for last, and answers from
    memory for FRESH_FOR seconds after it found each: a chat message costs
    the database nothing. While the database cannot be reached, logging in
    and registering raise DatabaseUnavailable, but those it keeps stay
    logged in and go on chatting.
    """

    # Seconds a user found in the database is taken from memory. Users never
    # change in place, but for the profile a GitHub user brings at each
    # sign-in: another process shows the new one within this time.
    FRESH_FOR = 60

    def __init__(self, database, keep=10_000):
        self._database = database
        self._kept = RecentUsers(keep)

    def _find_one(self, column, value):
        row = self._database.fetch_one(FIND_USER_BY[column], (value,))
        return User(**row) if row else None

    def find_by_username(self, username):
        """Express: myDataBase.findOne({ username: username })"""
        return self._find_one("username", username)

    def find_by_id(self, user_id):
        """Express: myDataBase.findOne({ _id: new ObjectID(id) })

        `user_id` is what `get_id` gave the session: "7" for a local user,
        "github:7" for a GitHub user. While the database cannot be reached,
        the user as last found, if this process still keeps them.
        """
        kept, found_at = self._kept.get(user_id)
        if kept and time.monotonic() - found_at < self.FRESH_FOR:
            return kept
        try:
            user = self._find_by_id(user_id)
        except DatabaseUnavailable:
            if kept is None:
                raise
            user = kept  # and not asked for again for FRESH_FOR seconds: one wait for the database, not one per message
        if user:
            self._kept.add(user_id, user)
        return user

    def _find_by_id(self, user_id):
        is_github_user = user_id.startswith(GITHUB_ID_PREFIX)
        row_id = table_id(user_id.removeprefix(GITHUB_ID_PREFIX))
        if row_id is None:
            return None
        if is_github_user:
            row = self._database.fetch_one("SELECT * FROM github_users WHERE id = ?", (row_id,))
            return GitHubUser(**row) if row else None
        return self._find_one("id", row_id)

    def insert(self, username, password_hash):
        """Express: myDataBase.insertOne({ username, password: hash })

        Raises UsernameTaken when the name, or one with the same
        username_key, exists: the UNIQUE constraints decide, so two
        registrations racing for one name cannot both win.
        """
        try:
            row = self._database.fetch_one(
                "INSERT INTO users (username, password_hash, username_key) VALUES (?, ?, ?) RETURNING id",
                (username, password_hash, username_key(username)),
            )
        except Duplicate as error:
            raise UsernameTaken(username) from error
        user = User(row["id"], username, password_hash)
        self._kept.add(user.get_id(), user)
        return user

    def upsert_github_user(self, profile):
        """Express: myDataBase.findOneAndUpdate({ id: profile.id }, { $setOnInsert: { ... created_on: new Date() }, $set: { last_login: new Date() }, $inc: { login_count: 1 } }, { upsert: true, new: true })

        Creates the GitHub user on their first sign-in; every later one sets
        `last_login` and counts the login, and (unlike the original, which
        keeps the first profile it saw) also takes their current name, avatar
        and e-mail. It is one statement, so it happens entirely or not at all.
        Returns the GitHubUser as stored.
        """
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        row = self._database.fetch_one(
            """
            INSERT INTO github_users
                (github_id, username, name, avatar_url, email, created_on, last_login, login_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT (github_id) DO UPDATE SET
                username = excluded.username,
                name = excluded.name,
                avatar_url = excluded.avatar_url,
                email = excluded.email,
                last_login = excluded.last_login,
                login_count = github_users.login_count + 1
            RETURNING *
            """,
            (*asdict(profile).values(), now, now),
        )
        user = GitHubUser(**row)
        self._kept.add(user.get_id(), user)  # this process shows their new profile at once
        return user


class RecentUsers:
    """The `size` users asked for last, by session id, with when each was found.
    (cachelib's SimpleCache, which keeps the sessions, would sort all of them
    to make room for one.)"""

    def __init__(self, size):
        self._size = size
        self._users = OrderedDict()  # user id -> (user, time.monotonic() when found), the least asked for first
        self._lock = threading.Lock()

    def add(self, user_id, user):
        with self._lock:
            self._users.pop(user_id, None)
            self._users[user_id] = (user, time.monotonic())
            while len(self._users) > self._size:
                self._users.popitem(last=False)

    def get(self, user_id):
        """(user, when it was found), or (None, None). The user asked for is kept longest."""
        with self._lock:
            if user_id not in self._users:
                return None, None
            self._users.move_to_end(user_id)
            return self._users[user_id]


def table_id(text):
    """The row id `text` names, or None when it names none: both engines
    take any whole number from 1 to 2**63 - 1."""
    if text.isascii() and text.isdigit() and len(text) < 20 and 0 < int(text) < 2**63:
        return int(text)
    return None
