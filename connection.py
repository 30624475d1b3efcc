"""The users store: the Python counterpart of connection.js.

The Node original connects to MongoDB and hands the `users` collection to the
routes. Here the users live in SQLite, a file under `instance/` created on
first start, so the app runs with no database server. Routes and auth talk
only to `UsersStore`, so another database can replace it without touching
them.
"""
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass

from flask_login import UserMixin

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""


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
        """The name the chat shows for this user."""
        return self.username


class UsersStore:
    """Express: myDataBase, the `users` collection."""

    def __init__(self, path):
        self._path = path
        with self._connect() as db:
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self):
        """One short connection per call, so any thread or greenlet may call."""
        with closing(sqlite3.connect(self._path, timeout=10)) as db:
            db.row_factory = sqlite3.Row
            with db:  # commits on success, rolls back on error
                yield db

    def _find_one(self, column, value):
        with self._connect() as db:
            row = db.execute(
                f"SELECT id, username, password_hash FROM users WHERE {column} = ?",
                (value,),
            ).fetchone()
        return User(**row) if row else None

    def find_by_username(self, username):
        """Express: myDataBase.findOne({ username: username })"""
        return self._find_one("username", username)

    def find_by_id(self, user_id):
        """Express: myDataBase.findOne({ _id: new ObjectID(id) })"""
        return self._find_one("id", user_id)

    def insert(self, username, password_hash):
        """Express: myDataBase.insertOne({ username, password: hash })

        Raises UsernameTaken when the name exists: the UNIQUE constraint
        decides, so two registrations racing for one name cannot both win.
        """
        try:
            with self._connect() as db:
                cursor = db.execute(
                    "INSERT INTO users (username, password_hash) VALUES (?, ?)",
                    (username, password_hash),
                )
        except sqlite3.IntegrityError as error:
            raise UsernameTaken(username) from error
        return User(cursor.lastrowid, username, password_hash)
