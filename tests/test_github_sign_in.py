"""Sign in with GitHub (lessons 14-16), from end to end: the real server
(`python server.py`) talks to a stand-in for GitHub over HTTP, and a
`requests` session plays the browser, following every redirect."""
import html
import socket
import sqlite3
from contextlib import closing

import pytest
import requests

from checker.checks import FAIL, PASS, check_url, load_checks
from server import create_app
from tests.conftest import TEST_CONFIG
from tests.github_stand_in import GitHubStandIn
from tests.server_process import ServerProcess

# Short, so the "GitHub is slow" test is quick; the stand-in waits far longer.
GITHUB_TIMEOUT = 1
# Longer than anything the app should take, so a hanging app fails the test.
BROWSER_TIMEOUT = 10


@pytest.fixture(scope="module")
def github():
    stand_in = GitHubStandIn()
    yield stand_in
    stand_in.stop()


@pytest.fixture(autouse=True)
def well_behaved_github(github):
    github.reset()


@pytest.fixture(scope="module")
def app_instance(tmp_path_factory):
    """The app server's instance folder, where its users database lives."""
    return tmp_path_factory.mktemp("github-instance")


@pytest.fixture(scope="module")
def app_server(github, app_instance):
    server = ServerProcess(
        app_instance,
        **github.environment(),
        GITHUB_TIMEOUT=str(GITHUB_TIMEOUT),
        # This module signs in dozens of times a minute, from one address.
        GITHUB_SIGN_IN_LIMIT_PER_ADDRESS="1000 per minute",
    )
    yield server
    server.stop()


def sign_in_with_github(server, browser=None):
    """Clicks "Login with Github!" and follows the redirects to wherever they end."""
    browser = browser or requests.Session()
    return browser.get(f"{server.url}/auth/github", timeout=BROWSER_TIMEOUT)


def github_users(instance):
    with closing(sqlite3.connect(instance / "users.sqlite3")) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM github_users ORDER BY id")]


def github_user(instance, github_id):
    rows = [row for row in github_users(instance) if row["github_id"] == github_id]
    assert len(rows) == 1, f"expected one row for GitHub id {github_id}, found {rows}"
    return rows[0]


def test_sign_in_with_github_lands_on_chat(app_server):
    response = sign_in_with_github(app_server)
    assert response.url == f"{app_server.url}/chat", f"the sign-in ended on {response.url}"
    assert 'id="num-users"' in response.text, "the chat page was not shown"


def test_sign_in_with_github_stores_the_profile(app_server, app_instance, github):
    github.profile.update(id=1001, login="monalisa", name="Mona Lisa", email="mona@example.com")
    sign_in_with_github(app_server)
    user = github_user(app_instance, 1001)
    assert user["username"] == "monalisa"
    assert user["name"] == "Mona Lisa"
    assert user["avatar_url"] == github.profile["avatar_url"]
    assert user["email"] == "mona@example.com"
    assert user["login_count"] == 1
    assert user["created_on"] == user["last_login"]


def test_second_sign_in_updates_last_login_and_count(app_server, app_instance, github):
    github.profile.update(id=1002, login="hubot")
    sign_in_with_github(app_server)
    first = github_user(app_instance, 1002)
    sign_in_with_github(app_server)
    second = github_user(app_instance, 1002)
    assert second["login_count"] == 2, "the second sign-in was not counted"
    assert second["last_login"] > first["last_login"], "last_login did not move on"
    assert second["created_on"] == first["created_on"], "the account was made anew"
    assert second["id"] == first["id"]


def test_callback_url_is_built_from_the_request(app_server, github):
    sign_in_with_github(app_server)
    assert github.redirect_uris == [f"{app_server.url}/auth/github/callback"]


def test_each_sign_in_has_a_fresh_state(app_server):
    browser = requests.Session()
    states = []
    for _ in range(2):
        response = browser.get(f"{app_server.url}/auth/github", allow_redirects=False, timeout=BROWSER_TIMEOUT)
        states.append(requests.utils.urlparse(response.headers["Location"]).query)
    assert states[0] != states[1], "two sign-ins sent GitHub the same state"


def test_callback_link_works_only_once(app_server):
    browser = requests.Session()
    redirects = sign_in_with_github(app_server, browser).history
    callback = next(step.url for step in redirects if "/auth/github/callback?" in step.url)
    browser.get(f"{app_server.url}/logout", timeout=BROWSER_TIMEOUT)
    replayed = browser.get(callback, timeout=BROWSER_TIMEOUT)
    assert replayed.url == f"{app_server.url}/", "a used callback link signed someone in again"
    assert "not for a sign-in started from this browser" in replayed.text


# Each way GitHub's side can go wrong, and what the learner reads on the home page.
FAILURES = {
    "user denies consent": ("authorize_answer", "deny", "Sign-in with GitHub was cancelled"),
    "forged state": ("authorize_answer", "forge_state", "not for a sign-in started from this browser"),
    "missing state": ("authorize_answer", "drop_state", "not for a sign-in started from this browser"),
    "code rejected": ("token_answer", "reject_code", "GitHub did not accept the sign-in"),
    "token endpoint slow": ("token_answer", "slow", "GitHub did not answer in time"),
    "token endpoint error page": ("token_answer", "server_error", "GitHub's answer could not be used"),
    "user endpoint bad JSON": ("user_answer", "bad_json", "GitHub's answer could not be used"),
}


def misbehave(github, failure):
    endpoint, answer, message = FAILURES[failure]
    setattr(github, endpoint, answer)
    return message


@pytest.mark.parametrize("failure", FAILURES)
def test_failed_sign_in_ends_on_home_page_with_message(app_server, github, failure):
    message = misbehave(github, failure)
    response = sign_in_with_github(app_server)
    assert response.url == f"{app_server.url}/", f"the failed sign-in ended on {response.url}"
    assert response.status_code == 200
    assert message in html.unescape(response.text), f"the home page did not say: {message}"


@pytest.mark.parametrize("failure", FAILURES)
def test_failed_sign_in_stores_nobody_and_signs_nobody_in(app_server, app_instance, github, failure):
    misbehave(github, failure)
    before = github_users(app_instance)
    browser = requests.Session()
    sign_in_with_github(app_server, browser)
    assert github_users(app_instance) == before, "the failed sign-in stored or changed a user"
    chat = browser.get(f"{app_server.url}/chat", allow_redirects=False, timeout=BROWSER_TIMEOUT)
    assert chat.status_code == 302, "the failed sign-in let the browser into the chat"


def test_wrong_client_secret_is_explained(github, tmp_path):
    """In-process this time: Flask's test client, with the stand-in reached over HTTP."""
    app = create_app({**TEST_CONFIG, **github.environment(), "GITHUB_CLIENT_SECRET": "typo"}, str(tmp_path))
    browser = app.test_client()
    to_github = browser.get("/auth/github").headers["Location"]
    back_from_github = requests.get(to_github, allow_redirects=False, timeout=BROWSER_TIMEOUT).headers["Location"]
    response = browser.get(back_from_github, follow_redirects=True)
    page = html.unescape(response.text)
    assert "GitHub did not accept this server's GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET" in page


@pytest.fixture
def refusing_port():
    """A local port that refuses connections: bound, and kept from listening."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        yield unused.getsockname()[1]


def test_unreachable_github_ends_on_home_page_with_message(github, start_server, tmp_path, refusing_port):
    nowhere = f"http://127.0.0.1:{refusing_port}/login/oauth/access_token"
    server = start_server(**{**github.environment(), "GITHUB_TOKEN_URL": nowhere})
    response = sign_in_with_github(server)
    assert response.url == f"{server.url}/"
    assert "This server could not reach GitHub" in response.text
    assert github_users(tmp_path) == [], "a user was stored although GitHub was never reached"


@pytest.mark.parametrize("lesson", [14, 15, 16])
def test_freecodecamp_social_auth_checks_pass(app_server, lesson):
    """freeCodeCamp's own checks of lessons 14-16, run by the checker. The ones
    that read Express's route stack come out as CANNOT CHECK: no Python
    project can pass them."""
    results = check_url(app_server.url, [check for check in load_checks() if check.lesson == lesson])
    failed = [f"{result.check.text}: {result.reason}" for result in results if result.status == FAIL]
    assert not failed, f"freeCodeCamp would refuse lesson {lesson}: {failed}"
    assert any(result.status == PASS for result in results), f"no check of lesson {lesson} ran"
