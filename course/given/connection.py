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

Each document is stored as JSON, with a whole number as its `_id`.
"""
import json
import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path

INSTANCE = Path(__file__).resolve().parent / "instance"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # database, collection and field names


class DuplicateKeyError(Exception):
    """Raised by insert_one when another user already has this username."""


def connect():
    """Express: async function main(callback) { ... await client.connect(); await callback(client); }"""
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
        return Database(self.folder / f"{_checked(name)}.sqlite3")


class Database:
    def __init__(self, path):
        self.path = path

    def collection(self, name):
        """Express: db.collection(name), here a table of JSON documents."""
        return Collection(self.path, _checked(name))


class Collection:
    """find_one, insert_one and find_one_and_update, as MongoDB's collections have them."""

    def __init__(self, path, name):
        self.path = path
        self.name = name
        with self._connection() as database:
            database.execute(f"CREATE TABLE IF NOT EXISTS {name} (_id INTEGER PRIMARY KEY, document TEXT NOT NULL)")
            # Two people cannot register the same username (GitHub users are
            # told apart by their GitHub id instead).
            database.execute(
                f"CREATE UNIQUE INDEX IF NOT EXISTS {name}_username ON {name} "
                "(json_extract(document, '$.username')) WHERE json_extract(document, '$.provider') IS NULL"
            )

    def find_one(self, query):
        """The first document whose fields equal the query's, or None."""
        with self._connection() as database:
            return self._find(database, query)

    def insert_one(self, document):
        """Stores a new document and returns it, with its new `_id`."""
        try:
            with self._connection() as database:
                cursor = database.execute(f"INSERT INTO {self.name} (document) VALUES (?)", (json.dumps(document),))
        except sqlite3.IntegrityError:
            raise DuplicateKeyError(f"{document.get('username')!r} is already registered") from None
        return {**document, "_id": cursor.lastrowid}

    def find_one_and_update(self, query, update, upsert=False):
        """Applies `update` ($setOnInsert, $set, $inc) to the first document
        matching `query` (or, with upsert, to a new one) and returns it as updated."""
        with self._connection() as database:
            database.execute("BEGIN IMMEDIATE")  # nobody else changes it in between
            found = self._find(database, query)
            if found is None and not upsert:
                return None
            document = found or {**query, **update.get("$setOnInsert", {})}
            document.update(update.get("$set", {}))
            for field, step in update.get("$inc", {}).items():
                document[field] = document.get(field, 0) + step
            body = json.dumps({key: value for key, value in document.items() if key != "_id"})
            if found is None:
                document["_id"] = database.execute(f"INSERT INTO {self.name} (document) VALUES (?)", (body,)).lastrowid
            else:
                database.execute(f"UPDATE {self.name} SET document = ? WHERE _id = ?", (body, found["_id"]))
            return document

    def _find(self, database, query):
        fields = [("_id" if field == "_id" else f"json_extract(document, '$.{_checked(field)}')") for field in query]
        where = " AND ".join(f"{field} = ?" for field in fields) or "1"
        row = database.execute(f"SELECT _id, document FROM {self.name} WHERE {where} LIMIT 1", tuple(query.values())).fetchone()
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


def _checked(name):
    """A name that is safe to put into SQL: letters, digits and underscores."""
    if not NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid name: use letters, digits and underscores")
    return name
