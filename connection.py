"""The users store: the Python counterpart of connection.js.

The Node original connects to MongoDB and hands the `users` collection to the
routes. Here the users live in SQLite, a file under `instance/` created on
first start, so the app runs with no database server. Routes and auth talk
only to `UsersStore`, so another database can replace it without touching
them.

People who register here and people who sign in with GitHub are kept in two
tables: a GitHub user is known by their GitHub id, so a local user and a
GitHub user who happen to share a name are two different accounts.
"""
import sqlite3
import unicodedata
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from flask_login import UserMixin

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        username_key TEXT
    )
    """,
    # Two usernames with one key are one name (see username_key): this index
    # refuses the second, however close together the two registrations come.
    "CREATE UNIQUE INDEX IF NOT EXISTS users_username_key ON users (username_key)",
    # What the Node original keeps of a GitHub profile, one row per GitHub id.
    """
    CREATE TABLE IF NOT EXISTS github_users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        github_id INTEGER NOT NULL UNIQUE,
        username TEXT NOT NULL,
        name TEXT,
        avatar_url TEXT,
        email TEXT,
        created_on TEXT NOT NULL,
        last_login TEXT NOT NULL,
        login_count INTEGER NOT NULL
    )
    """,
)

# One literal statement for each way a local user is looked up.
FIND_USER_BY = {
    "username": "SELECT id, username, password_hash FROM users WHERE username = ?",
    "id": "SELECT id, username, password_hash FROM users WHERE id = ?",
}

# Session ids of GitHub users start with this, so they never collide with the
# ids of local users, which are plain numbers.
GITHUB_ID_PREFIX = "github:"


def username_key(username):
    """What a username is compared by, so that names a reader cannot tell
    apart are one name: "Ada", "ada" and full-width "Ａｄａ" all give "ada".

    NFKC turns compatibility forms (full-width, superscript, ligatures) into
    plain ones, casefold() ignores letter case, and NFKC again tidies what
    casefold() produced. The name shown stays as it was typed.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


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
    """Express: myDataBase, the `users` collection."""

    def __init__(self, path):
        self._path = path
        with self._connect() as db:
            add_username_keys(db)
            for statement in SCHEMA:
                db.execute(statement)

    @contextmanager
    def _connect(self):
        """One short connection per call, so any thread or greenlet may call."""
        with closing(sqlite3.connect(self._path, timeout=10)) as db:
            db.row_factory = sqlite3.Row
            with db:  # commits on success, rolls back on error
                yield db

    def _find_one(self, column, value):
        with self._connect() as db:
            row = db.execute(FIND_USER_BY[column], (value,)).fetchone()
        return User(**row) if row else None

    def find_by_username(self, username):
        """Express: myDataBase.findOne({ username: username })"""
        return self._find_one("username", username)

    def find_by_id(self, user_id):
        """Express: myDataBase.findOne({ _id: new ObjectID(id) })

        `user_id` is what `get_id` gave the session: "7" for a local user,
        "github:7" for a GitHub user.
        """
        if user_id.startswith(GITHUB_ID_PREFIX):
            return self._find_github_user(user_id.removeprefix(GITHUB_ID_PREFIX))
        return self._find_one("id", user_id)

    def _find_github_user(self, row_id):
        with self._connect() as db:
            row = db.execute("SELECT * FROM github_users WHERE id = ?", (row_id,)).fetchone()
        return GitHubUser(**row) if row else None

    def insert(self, username, password_hash):
        """Express: myDataBase.insertOne({ username, password: hash })

        Raises UsernameTaken when the name, or one with the same
        username_key, exists: the UNIQUE constraints decide, so two
        registrations racing for one name cannot both win.
        """
        try:
            with self._connect() as db:
                cursor = db.execute(
                    "INSERT INTO users (username, password_hash, username_key) VALUES (?, ?, ?)",
                    (username, password_hash, username_key(username)),
                )
        except sqlite3.IntegrityError as error:
            raise UsernameTaken(username) from error
        return User(cursor.lastrowid, username, password_hash)

    def upsert_github_user(self, profile):
        """Express: myDataBase.findOneAndUpdate({ id: profile.id }, { $setOnInsert: { ... created_on: new Date() }, $set: { last_login: new Date() }, $inc: { login_count: 1 } }, { upsert: true, new: true })

        Creates the GitHub user on their first sign-in; every later one sets
        `last_login` and counts the login, and (unlike the original, which
        keeps the first profile it saw) also takes their current name, avatar
        and e-mail. It is one statement, so it happens entirely or not at all.
        Returns the GitHubUser as stored.
        """
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        with self._connect() as db:
            row = db.execute(
                """
                INSERT INTO github_users
                    (github_id, username, name, avatar_url, email, created_on, last_login, login_count)
                VALUES (:github_id, :username, :name, :avatar_url, :email, :now, :now, 1)
                ON CONFLICT (github_id) DO UPDATE SET
                    username = excluded.username,
                    name = excluded.name,
                    avatar_url = excluded.avatar_url,
                    email = excluded.email,
                    last_login = excluded.last_login,
                    login_count = login_count + 1
                RETURNING *
                """,
                {**asdict(profile), "now": now},
            ).fetchone()
        return GitHubUser(**row)


def add_username_keys(db):
    """Gives a users table made before username keys its username_key column,
    and a key to each of its users, oldest first.

    Such a table may hold names that now share a key ("Ada" and "ada"): the
    oldest gets the key, the others none, and all of them still log in with
    the name they registered.
    """
    columns = [row["name"] for row in db.execute("PRAGMA table_info(users)")]
    if not columns or "username_key" in columns:
        return  # no table yet, or one made with the column
    db.execute("ALTER TABLE users ADD COLUMN username_key TEXT")
    db.execute("CREATE UNIQUE INDEX users_username_key ON users (username_key)")
    for row in db.execute("SELECT id, username FROM users ORDER BY id").fetchall():
        with suppress(sqlite3.IntegrityError):  # an older user has this key
            db.execute("UPDATE users SET username_key = ? WHERE id = ?", (username_key(row["username"]), row["id"]))
