"""Sessions of visitors who have not logged in (session_store.py) never
become files in instance/sessions: the OAuth state of a GitHub sign-in and
the message of a failed one are kept in a small store of their own, capped
and quickly forgotten, so that however many anonymous requests arrive, the
files of logged-in users stay few and their writes quick."""
import hashlib
import os
import time

import cachelib.simple
import pytest

from server import create_app
from tests.conftest import TEST_CONFIG
from tests.test_login_throttling import GITHUB


@pytest.fixture
def app(tmp_path):
    return create_app({**TEST_CONFIG, **GITHUB, "VISITOR_SESSIONS_MAX": 5}, instance_path=str(tmp_path))


# cachelib's file of the number of files, named like the others by the SHA-256 of its key.
COUNT_FILE = hashlib.sha256(b"__wz_cache_count").hexdigest()


def session_files(app):
    return [name for name in os.listdir(os.path.join(app.instance_path, "sessions")) if name != COUNT_FILE]


def visitors(app):
    return app.session_interface.cache.visitors


def test_starting_a_github_sign_in_writes_no_session_file(app):
    for _ in range(20):
        response = app.test_client().get("/auth/github")
        assert response.status_code == 302
        assert "state=" in response.headers["Location"]
    assert session_files(app) == []


def test_a_forged_callback_writes_no_session_file(app):
    for _ in range(20):
        response = app.test_client().get("/auth/github/callback?code=forged&state=forged")
        assert response.headers["Location"] == "/"
    assert session_files(app) == []


def test_the_failure_message_of_a_forged_callback_is_still_shown(app):
    browser = app.test_client()
    browser.get("/auth/github/callback?code=forged&state=forged")
    assert "not for a sign-in started from this browser" in browser.get("/").get_data(as_text=True)


def test_the_visitor_store_is_capped(app):
    for _ in range(20):
        app.test_client().get("/auth/github")
    # cachelib drops the oldest before it adds a session, so one more than the cap at most.
    assert len(visitors(app)._cache) <= 5 + 1


def test_a_visitor_session_is_forgotten_after_its_lifetime(app, monkeypatch):
    browser = app.test_client()
    browser.get("/auth/github")
    lifetime = app.config["VISITOR_SESSION_LIFETIME"]
    (store_id,) = visitors(app)._cache
    now = time.time()
    monkeypatch.setattr(cachelib.simple, "time", lambda: now + lifetime - 5)
    assert visitors(app).has(store_id)
    monkeypatch.setattr(cachelib.simple, "time", lambda: now + lifetime + 5)
    assert not visitors(app).has(store_id)


def test_logged_in_sessions_are_files_and_leave_the_visitor_store(app):
    browser = app.test_client()
    browser.get("/auth/github")  # a visitor's session first, as on the way to a login
    browser.post("/register", data={"username": "ada", "password": "lovelace"})
    assert len(session_files(app)) == 1
    assert len(visitors(app)._cache) == 0
    assert "Welcome, ada!" in browser.get("/profile").get_data(as_text=True)
    browser.get("/logout")
    assert session_files(app) == []


def test_many_visitors_leave_logged_in_users_alone(app):
    """The oldest sessions are dropped when a store is full: visitors can only fill their own."""
    browser = app.test_client()
    browser.post("/register", data={"username": "ada", "password": "lovelace"})
    for _ in range(50):
        app.test_client().get("/auth/github")
    assert "Welcome, ada!" in browser.get("/profile").get_data(as_text=True)
    assert len(session_files(app)) == 1


def session_reads(redis_server):
    """The reads of a key (GET or MGET) Redis has answered since its statistics were last reset."""
    with redis_server.client() as client:
        stats = client.info("commandstats")
    return sum(stats.get(f"cmdstat_{command}", {}).get("calls", 0) for command in ("get", "mget"))


@pytest.mark.live
def test_with_redis_a_session_is_read_in_one_round_trip_from_the_store_that_holds_it(tmp_path, redis_server):
    """Every logged-in request and socket event reads its session: with REDIS_URL, from
    both stores at once; a session that moved from one store to the other is read as it is now."""
    app = create_app({**TEST_CONFIG, "REDIS_URL": redis_server.url}, instance_path=str(tmp_path))
    browser = app.test_client()
    browser.post("/register", data={"username": "ada", "password": "lovelace"})
    with redis_server.client() as client:
        client.config_resetstat()
    assert "Welcome, ada!" in browser.get("/profile").get_data(as_text=True)
    assert session_reads(redis_server) == 1
    browser.get("/logout")
    assert browser.get("/profile").headers["Location"] == "/", "the logged-out session was read as logged in"
    browser.post("/login", data={"username": "ada", "password": "lovelace"})
    assert "Welcome, ada!" in browser.get("/profile").get_data(as_text=True), "the logged-in session was read as a visitor's"
    # Should a write fail to delete the session from the store it left, a logout's visitor session still wins.
    sessions = app.config["SESSION_CACHELIB"]
    sessions.users.set("moved", {"_user_id": "1"})
    sessions.visitors.set("moved", {"logged": "out"})
    assert sessions.get("moved") == {"logged": "out"}
