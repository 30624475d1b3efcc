"""The two databases the users store runs on: SQLite, a file under
`instance/` that needs no database server (the default), and PostgreSQL, a
server that several app processes can share (DATABASE_URL).

connection.py writes its SQL once, with SQLite's `?` for each parameter; the
two classes here differ only where the engines do: how to connect, the
column types of the tables, and what an error means.
"""
import sqlite3
from contextlib import closing, contextmanager, suppress

# psycopg decides when it is imported whether to wait for the database the
# way gevent can share: server.py imports this module after gevent's patching.
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from config import ConfigurationError
from usernames import username_key


def users_database(config):
    """Express: myDB(async client => { ... }) -- the database the users are in:
    PostgreSQL at DATABASE_URL when it is set, SQLite under instance/ otherwise.

    Raises ConfigurationError when DATABASE_URL cannot be used, and
    DatabaseUnavailable when its server cannot be reached: the app does
    not start without its users.
    """
    if not config["DATABASE_URL"]:
        return SQLite(config["USERS_DATABASE"])
    return PostgreSQL(config["DATABASE_URL"])


class Duplicate(Exception):
    """A row was refused because a UNIQUE column already holds its value."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached just now; str() says why, in one line."""


class SQLite:
    """Users in a file, one short connection per call, so any thread or greenlet may call."""

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
        # Two usernames with one key are one name (usernames.username_key):
        # this index refuses the second, however close together the two
        # registrations come.
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

    def __init__(self, path):
        """Opens the database at `path`, creating its tables (and giving an older users table its username keys)."""
        self._path = path
        with self._connect() as db:
            add_username_keys(db)
            for statement in self.SCHEMA:
                db.execute(statement)

    @contextmanager
    def _connect(self):
        with closing(sqlite3.connect(self._path, timeout=10)) as db:
            db.row_factory = sqlite3.Row
            with db:  # commits on success, rolls back on error
                yield db

    def fetch_one(self, sql, parameters):
        """Runs one statement in a transaction of its own; its first row, as a dict, or None."""
        try:
            with self._connect() as db:
                row = db.execute(sql, parameters).fetchone()
        except sqlite3.IntegrityError as error:
            raise Duplicate(str(error)) from error
        return dict(row) if row else None


class PostgreSQL:
    """Users on a PostgreSQL server, one short connection per call, like SQLite.

    A connection costs the server a process of its own for a few milliseconds;
    a pool (psycopg_pool) would save that where logins come by the hundred.
    """

    SCHEMA = (
        # Several app processes may start at once: the lock makes them create
        # the tables one after the other (two CREATE TABLE IF NOT EXISTS of one
        # table at the same moment can fail). It is released at COMMIT.
        "SELECT pg_advisory_xact_lock(15)",
        """
        CREATE TABLE IF NOT EXISTS users (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_on TIMESTAMPTZ NOT NULL DEFAULT now(),
            -- Two usernames with one key are one name (usernames.username_key):
            -- UNIQUE refuses the second, however close together they come.
            username_key TEXT NOT NULL UNIQUE
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS github_users (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            github_id BIGINT NOT NULL UNIQUE,
            username TEXT NOT NULL,
            name TEXT,
            avatar_url TEXT,
            email TEXT,
            -- Text, as in SQLite: the app writes them, in ISO 8601.
            created_on TEXT NOT NULL,
            last_login TEXT NOT NULL,
            login_count INTEGER NOT NULL
        )
        """,
    )

    # Seconds to wait for the server to answer a connection, unless
    # DATABASE_URL says otherwise (?connect_timeout=N); psycopg's own is 130.
    CONNECT_TIMEOUT = 5

    def __init__(self, url):
        """Connects to the server at `url` (DATABASE_URL) and creates the tables."""
        try:
            options = conninfo_to_dict(url)
        except psycopg.ProgrammingError:
            # libpq's message would show the part it could not read: maybe the password.
            raise ConfigurationError(
                "DATABASE_URL cannot be used: libpq cannot read it (in a user name or password, "
                "write @ : / % and spaces as %40 %3A %2F %25 %20). See .env.example."
            ) from None
        options.setdefault("connect_timeout", self.CONNECT_TIMEOUT)
        self._conninfo = make_conninfo(**options)
        try:
            with self._connect() as db:
                for statement in self.SCHEMA:
                    db.execute(statement)
        except psycopg.Error as error:  # the server answered, but refused: the user may not create tables
            raise ConfigurationError(f"DATABASE_URL cannot be used: {one_line(error)}") from None

    @contextmanager
    def _connect(self):
        try:
            # Commits on success, rolls back on error, and closes.
            with psycopg.connect(self._conninfo, row_factory=dict_row) as db:
                yield db
        except psycopg.OperationalError as error:  # refused, timed out, dropped, shut down...
            raise DatabaseUnavailable(one_line(error)) from error

    def fetch_one(self, sql, parameters):
        """Runs one statement in a transaction of its own; its first row, as a dict, or None."""
        # psycopg marks each parameter %s where SQLite has ?; the store's SQL
        # has no other ? (nor any %).
        try:
            with self._connect() as db:
                return db.execute(sql.replace("?", "%s"), parameters).fetchone()
        except psycopg.errors.UniqueViolation as error:
            raise Duplicate(one_line(error)) from error


def one_line(error):
    """An error message of libpq's, which may span lines, on one line."""
    return " ".join(str(error).split())


def add_username_keys(db):
    """Gives a users table made before username keys its username_key column,
    and a key to each of its users, oldest first. (PostgreSQL came later: its
    tables always had the column.)

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
