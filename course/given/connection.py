"""Given: you do not need to edit this file (Express: connection.js).

Node's connection.js connects to MongoDB and hands the client to a callback.
Here the database is SQLite, which comes with Python: a file under
`instance/`, created on first use, so there is no database server to run.

`connect()` returns a client shaped like MongoDB's, so the lessons' calls
read the same in Python:

    client = connect()
    my_database = client.db("database").collection("users")
    my_database.find_one({"username": "ada"})         # Express: findOne({ username: 'ada' })
    my_database.insert_one({"username": "ada", ...})  # Express: insertOne({ ... })

Each user is stored as a JSON document, with a whole number as its `_id`.
"""
import json
import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path

INSTANCE = Path(__file__).resolve().parent / "instance"
DATABASE_NAME = re.compile(r"\w+")  # it names a file under instance/

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS users (_id INTEGER PRIMARY KEY, document TEXT NOT NULL)",
    # Two people cannot register the same username. (Users who sign in with
    # GitHub have no password here: they are found by their GitHub id.)
    """
    CREATE UNIQUE INDEX IF NOT EXISTS users_username ON users (json_extract(document, '$.username'))
    WHERE json_extract(document, '$.provider') IS NULL
    """,
)
# find_one's queries, one for each field the lessons look users up by.
FIND_BY = {
    "_id": "SELECT _id, document FROM users WHERE _id = ?",
    "username": """
        SELECT _id, document FROM users
        WHERE json_extract(document, '$.username') = ? AND json_extract(document, '$.provider') IS NULL
    """,
    "id": "SELECT _id, document FROM users WHERE json_extract(document, '$.id') = ?",
}


class DuplicateKeyError(Exception):
    """Raised by insert_one when someone has already registered this username."""


def connect():
    """Opens the database folder, instance/, next to this file.

    Express: async function main(callback) { ... await client.connect(); await callback(client); }
    """
    try:
        INSTANCE.mkdir(exist_ok=True)
    except OSError as error:
        raise ConnectionError(f"Unable to connect to database: {error}") from None
    return Client(INSTANCE)


class Client:
    """Express: const client = new MongoClient(URI);"""

    def __init__(self, folder):
        self.folder = folder

    def db(self, name):
        """Express: client.db(name), here the file instance/NAME.sqlite3."""
        if not DATABASE_NAME.fullmatch(name):
            raise ValueError(f"{name!r} cannot name a database: use letters, digits and underscores")
        return Database(self.folder / f"{name}.sqlite3")


class Database:
    def __init__(self, path):
        self.path = path

    def collection(self, name):
        """Express: db.collection('users'), the only collection the lessons use."""
        if name != "users":
            raise ValueError(f"this database keeps users only, not {name!r}")
        return Users(self.path)


class Users:
    """The users: find_one, insert_one and find_one_and_update, as MongoDB's collections have them."""

    def __init__(self, path):
        self.path = path
        with self._connection() as database:
            for statement in SCHEMA:
                database.execute(statement)

    def find_one(self, query):
        """The user whose one field (`_id`, `username` or GitHub's `id`) has this value, or None."""
        with self._connection() as database:
            return self._find(database, query)

    def insert_one(self, document):
        """Stores a new user and returns it, with its new `_id`."""
        try:
            with self._connection() as database:
                cursor = database.execute("INSERT INTO users (document) VALUES (?)", (json.dumps(document),))
        except sqlite3.IntegrityError:
            raise DuplicateKeyError(f"{document.get('username')!r} is already registered") from None
        return {**document, "_id": cursor.lastrowid}

    def find_one_and_update(self, query, update, upsert=False):
        """Applies `update` ($setOnInsert, $set, $inc) to the user `query` finds
        (or, with upsert, to a new one) and returns the user as updated."""
        with self._connection() as database:
            database.execute("BEGIN IMMEDIATE")  # nobody else changes it in between
            found = self._find(database, query)
            if found is None and not upsert:
                return None
            document = found or {**query, **update.get("$setOnInsert", {})}
            document.update(update.get("$set", {}))
            for field, step in update.get("$inc", {}).items():
                document[field] = document.get(field, 0) + step
            body = json.dumps({field: value for field, value in document.items() if field != "_id"})
            if found is None:
                document["_id"] = database.execute("INSERT INTO users (document) VALUES (?)", (body,)).lastrowid
            else:
                database.execute("UPDATE users SET document = ? WHERE _id = ?", (body, found["_id"]))
            return document

    def _find(self, database, query):
        if len(query) != 1 or next(iter(query)) not in FIND_BY:
            raise ValueError(f"users are found by one of {', '.join(FIND_BY)}, not by {query!r}")
        [(field, value)] = query.items()
        row = database.execute(FIND_BY[field], (value,)).fetchone()
        return None if row is None else {"_id": row[0], **json.loads(row[1])}

    @contextmanager
    def _connection(self):
        """A connection of its own for each call, so that threads never share
        one. An open transaction is committed if the call succeeds, and rolled
        back (by closing) if it fails."""
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            yield connection
            if connection.in_transaction:
                connection.execute("COMMIT")
        finally:
            connection.close()
