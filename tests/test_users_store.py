"""The users store: local users and GitHub users side by side, on SQLite
and on PostgreSQL (a server the tests start, tests/postgres_server.py)."""
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from connection import GitHubProfile, GitHubUser, User, UsernameTaken, UsersStore
from databases import PostgreSQL, SQLite

OCTOCAT = GitHubProfile(
    github_id=583231,
    username="octocat",
    name="The Octocat",
    avatar_url="https://avatars.githubusercontent.com/u/583231",
    email=None,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.live)])
def database(request, tmp_path):
    """Each engine the users can be in: SQLite, a file, and PostgreSQL, in a new database."""
    if request.param == "sqlite":
        return SQLite(str(tmp_path / "users.sqlite3"))
    return PostgreSQL(request.getfixturevalue("postgres_url"))


@pytest.fixture
def users(database):
    return UsersStore(database)


def test_first_github_sign_in_creates_the_user(users):
    user = users.upsert_github_user(OCTOCAT)
    assert isinstance(user, GitHubUser)
    assert (user.github_id, user.username, user.name) == (583231, "octocat", "The Octocat")
    assert user.login_count == 1
    assert user.created_on == user.last_login


def test_next_github_sign_in_counts_and_refreshes_the_profile(users):
    first = users.upsert_github_user(OCTOCAT)
    again = users.upsert_github_user(
        GitHubProfile(583231, "octocat", "Mona", OCTOCAT.avatar_url, "mona@example.com")
    )
    assert again.id == first.id
    assert again.login_count == 2
    assert again.last_login > first.last_login
    assert again.created_on == first.created_on
    assert (again.name, again.email) == ("Mona", "mona@example.com")


def test_github_user_is_found_again_by_session_id(users):
    user = users.upsert_github_user(OCTOCAT)
    assert users.find_by_id(user.get_id()) == user


def test_local_and_github_user_with_one_name_are_two_accounts(users):
    local = users.insert("octocat", "hash")
    github = users.upsert_github_user(OCTOCAT)
    assert local.get_id() != github.get_id()
    assert users.find_by_id(local.get_id()) == local
    assert users.find_by_id(github.get_id()) == github
    assert users.find_by_username("octocat") == local, "a GitHub user must never log in with a local password"


def test_github_user_does_not_take_a_local_name(users):
    users.upsert_github_user(OCTOCAT)
    assert isinstance(users.insert("octocat", "hash"), User)


def test_chat_tells_github_users_from_local_users(users):
    local = users.insert("octocat", "hash")
    github = users.upsert_github_user(OCTOCAT)
    assert local.display_name == "octocat"
    assert github.display_name == "octocat (GitHub)"


@pytest.mark.parametrize("user_id", ["github:999", "github:", "github:abc", "999", "abc"])
def test_unknown_session_id_finds_nobody(users, user_id):
    users.upsert_github_user(OCTOCAT)
    assert users.find_by_id(user_id) is None


@pytest.mark.parametrize("look_alike", ["Ａｄａ", "ada", "ADA", "ＡＤＡ"])
def test_names_that_differ_only_in_width_or_case_are_one_name(users, look_alike):
    users.insert("Ada", "hash")
    with pytest.raises(UsernameTaken):
        users.insert(look_alike, "hash")
    assert users.find_by_username(look_alike) is None


def test_registrations_racing_for_look_alike_names_let_one_in(users):
    names = ["Ada", "ada", "ADA", "Ａｄａ", "ａｄａ", "ＡＤＡ", "aDa", "adA"]
    all_at_once = threading.Barrier(len(names))

    def register(name):
        all_at_once.wait()
        try:
            users.insert(name, "hash")
        except UsernameTaken:
            return "taken"
        return "registered"

    with ThreadPoolExecutor(len(names)) as pool:
        outcomes = list(pool.map(register, names))
    assert sorted(outcomes) == ["registered"] + ["taken"] * (len(names) - 1)


def test_servers_starting_at_once_on_a_new_database_all_start(postgres_url):
    """Each server creates the tables when it starts: several at once must not trip over each other."""
    all_at_once = threading.Barrier(4)

    def start(_):
        all_at_once.wait()
        return PostgreSQL(postgres_url)

    with ThreadPoolExecutor(4) as pool:
        opened = list(pool.map(start, range(4)))
    assert UsersStore(opened[0]).insert("ada", "hash").username == "ada"


# The users table as the code before username keys made it.
TABLE_WITHOUT_USERNAME_KEYS = """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    )
"""


@pytest.fixture
def database_without_username_keys(tmp_path):
    """A users database made before usernames were compared by key, holding
    "Ada" and "ada", which it let both in, and "bob"."""
    path = str(tmp_path / "old.sqlite3")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(TABLE_WITHOUT_USERNAME_KEYS)
        db.executemany(
            "INSERT INTO users (username, password_hash) VALUES (?, ?)",
            [("Ada", "hash 1"), ("ada", "hash 2"), ("bob", "hash 3")],
        )
    return path


def test_database_made_before_username_keys_still_works(database_without_username_keys):
    users = UsersStore(SQLite(database_without_username_keys))

    assert users.find_by_username("Ada").password_hash == "hash 1"
    assert users.find_by_username("ada").password_hash == "hash 2", "both old accounts must still log in"
    with pytest.raises(UsernameTaken):
        users.insert("ＢＯＢ", "hash")
    with pytest.raises(UsernameTaken):
        users.insert("ADA", "hash")
    assert users.insert("carol", "hash").username == "carol"
    assert UsersStore(SQLite(database_without_username_keys)).find_by_username("carol") is not None, "opening it again failed"


def forget_everyone(path):
    """Empties the users table behind the store's back."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DELETE FROM users")


def test_a_user_found_lately_is_found_again_without_asking_the_database(tmp_path, monkeypatch):
    """Flask-Login finds the user for every page and every chat message: the
    store answers from memory for FRESH_FOR seconds, then asks again."""
    path = str(tmp_path / "users.sqlite3")
    users = UsersStore(SQLite(path))
    ada = users.find_by_id(users.insert("ada", "hash").get_id())
    forget_everyone(path)

    assert users.find_by_id(ada.get_id()) == ada
    monkeypatch.setattr(UsersStore, "FRESH_FOR", 0)
    assert users.find_by_id(ada.get_id()) is None


def test_the_store_keeps_only_the_users_it_found_last(tmp_path):
    path = str(tmp_path / "users.sqlite3")
    users = UsersStore(SQLite(path), keep=2)
    ids = [users.insert(name, "hash").get_id() for name in ("ada", "bob", "cy")]
    for user_id in [ids[0], ids[1], ids[0], ids[2]]:  # ada, bob, ada again, cy: bob was found longest ago
        users.find_by_id(user_id)
    forget_everyone(path)

    assert [getattr(users.find_by_id(user_id), "username", None) for user_id in ids] == ["ada", None, "cy"]
