"""Login, registration and GitHub sign-in are throttled (throttle.py): per
client address, and logins per username, answered with 429, a page
that says when to try again and a Retry-After header; and a login takes the
same work whether or not the username exists. Through Flask's test client,
which runs the whole app, ProxyFix included; and once against `python server.py`."""
import threading
import time

import bcrypt
import pytest
import requests
from limits import parse_many

import auth
import config
from server import create_app
from tests.conftest import TEST_CONFIG
from tests.github_stand_in import CLIENT_ID, CLIENT_SECRET


def client_for(tmp_path, **settings):
    return create_app({**TEST_CONFIG, **settings}, instance_path=str(tmp_path)).test_client()


def post(client, path, username="ada", password="lovelace", address="127.0.0.1", **headers):
    return client.post(
        path,
        data={"username": username, "password": password},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def assert_throttled(response):
    """A 429 with the home page, saying when to try again, as Retry-After does."""
    assert response.status_code == 429, f"expected 429, got {response.status_code}"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 61, "the limits of these tests are per minute (rounded up to whole seconds)"
    page = response.get_data(as_text=True)
    assert "Please try again in" in page, page
    assert 'action="/login"' in page, "the 429 page should be the home page, with its forms"


def test_login_posts_from_one_address_are_throttled(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    for _ in range(3):
        assert post(client, "/login", password="wrong", username="nobody").status_code == 401
    assert_throttled(post(client, "/login", username="nobody", password="wrong"))


def test_registrations_and_logins_share_the_address_limit(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    post(client, "/register", username="ada")
    client.get("/logout")
    post(client, "/register", username="grace")
    client.get("/logout")
    assert post(client, "/login", username="ada").status_code == 302
    client.get("/logout")
    assert_throttled(post(client, "/register", username="alan"))


def test_other_addresses_are_not_throttled(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_ADDRESS="2 per minute")
    for _ in range(3):
        post(client, "/login", username="nobody", password="wrong", address="10.0.0.1")
    assert post(client, "/login", username="nobody", password="wrong", address="10.0.0.2").status_code == 401


def test_forged_x_forwarded_for_does_not_escape_the_limit_without_a_trusted_proxy(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_ADDRESS="3 per minute", PROXY_COUNT=0)
    for number in range(3):
        post(client, "/login", username="nobody", password="wrong", **{"X-Forwarded-For": f"10.0.0.{number}"})
    assert_throttled(post(client, "/login", username="nobody", password="wrong", **{"X-Forwarded-For": "10.0.0.99"}))


def test_behind_a_trusted_proxy_each_visitor_has_a_limit_of_their_own(tmp_path):
    """On Replit (PROXY_COUNT=1) every request comes from the proxy: the
    visitor's address is the last one it added to X-Forwarded-For."""
    client = client_for(tmp_path, LOGIN_LIMIT_PER_ADDRESS="2 per minute", PROXY_COUNT=1)
    for _ in range(2):
        post(client, "/login", username="nobody", password="wrong", **{"X-Forwarded-For": "10.0.0.1"})
    forged_first_hop = {"X-Forwarded-For": "10.0.0.7, 10.0.0.1"}  # only the proxy's own entry counts
    assert_throttled(post(client, "/login", username="nobody", password="wrong", **forged_first_hop))
    assert post(client, "/login", username="nobody", password="wrong", **{"X-Forwarded-For": "10.0.0.2"}).status_code == 401


def test_logins_are_throttled_per_username_from_any_address(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_USERNAME="3 per minute")
    post(client, "/register", username="ada", password="lovelace")
    client.get("/logout")
    for number in range(3):
        assert post(client, "/login", username="ada", password="wrong", address=f"10.0.0.{number}").status_code == 401
    # The right password too, from yet another address, and the name in other letter case.
    response = post(client, "/login", username="ADA", password="lovelace", address="10.0.0.99")
    assert_throttled(response)
    assert "this username" in response.get_data(as_text=True)
    assert post(client, "/login", username="grace", password="wrong", address="10.0.0.99").status_code == 401


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(tmp_path):
    """Anyone may post ada's name with wrong passwords: with the default limits, from one address
    they only lock themselves out, and ada logs in from hers."""
    client = client_for(tmp_path)
    post(client, "/register", username="ada", password="lovelace", address="10.0.0.1")
    client.get("/logout")
    for _ in range(5):
        assert post(client, "/login", username="ada", password="wrong", address="10.0.0.66").status_code == 401
    for _ in range(40):  # more than LOGIN_LIMIT_PER_USERNAME: refused tries use up no one else's
        assert_throttled(post(client, "/login", username="ada", password="wrong", address="10.0.0.66"))
    assert post(client, "/login", username="ada", password="lovelace", address="10.0.0.1").status_code == 302


def test_one_address_gets_fewer_tries_at_a_username_than_all_addresses_together(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_USERNAME_FROM_ADDRESS="2 per minute", LOGIN_LIMIT_PER_USERNAME="3 per minute")
    for _ in range(2):
        assert post(client, "/login", username="nobody", password="wrong", address="10.0.0.1").status_code == 401
    assert_throttled(post(client, "/login", username="Nobody", password="wrong", address="10.0.0.1"))
    assert post(client, "/login", username="somebody", password="wrong", address="10.0.0.1").status_code == 401
    assert post(client, "/login", username="nobody", password="wrong", address="10.0.0.2").status_code == 401
    assert_throttled(post(client, "/login", username="nobody", password="wrong", address="10.0.0.3"))


def test_no_more_than_the_limit_gets_through_across_the_end_of_a_window(tmp_path, monkeypatch):
    """A fixed window would let 3 posts through at the end of one minute and 3 more at the start of the next."""
    clock = [1_000_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    client = client_for(tmp_path, LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    statuses = []
    for seconds in [0, 59.5, 0.1, 1.0, 0.1, 0.1, 0.1]:  # the last five within 1.4 s
        clock[0] += seconds
        statuses.append(post(client, "/login", username="nobody", password="wrong").status_code)
    assert statuses[1:].count(401) <= 3, statuses


def test_the_default_address_limit_has_a_daily_cap():
    """Each login or registration writes a logged-in session file; a day's cap keeps one address
    from filling the file store (whose pruning past 10,000 files logs real users out)."""
    per_day = [limit for limit in parse_many(config.DEFAULTS["LOGIN_LIMIT_PER_ADDRESS"]) if limit.GRANULARITY.name == "day"]
    assert per_day and per_day[0].amount <= 1000, config.DEFAULTS["LOGIN_LIMIT_PER_ADDRESS"]


def test_unknown_usernames_are_throttled_like_known_ones(tmp_path):
    client = client_for(tmp_path, LOGIN_LIMIT_PER_USERNAME="2 per minute")
    for number in range(2):
        post(client, "/login", username="nobody", password="wrong", address=f"10.0.0.{number}")
    assert_throttled(post(client, "/login", username="nobody", password="wrong", address="10.0.0.9"))


GITHUB = {
    "GITHUB_CLIENT_ID": CLIENT_ID,
    "GITHUB_CLIENT_SECRET": CLIENT_SECRET,
    # Never reached: these tests stop at the app's own redirects.
    "GITHUB_AUTHORIZE_URL": "http://127.0.0.1:9/login/oauth/authorize",
    "GITHUB_TOKEN_URL": "http://127.0.0.1:9/login/oauth/access_token",
    "GITHUB_API_BASE_URL": "http://127.0.0.1:9/",
}


@pytest.mark.parametrize("path", ["/auth/github", "/auth/github/callback?code=forged&state=forged"])
def test_github_sign_in_is_throttled_per_address(tmp_path, path):
    client = client_for(tmp_path, **GITHUB, GITHUB_SIGN_IN_LIMIT_PER_ADDRESS="3 per minute")
    for _ in range(3):
        assert client.get(path).status_code == 302
    assert_throttled(client.get(path))


def test_default_limits_let_the_freecodecamp_checks_run_again_and_again(tmp_path):
    """Lesson 7 posts an empty login; lesson 11 registers a new user three times and logs in twice
    (freeCodeCamp/checks.json), all from the learner's browser: five runs within a minute pass.
    (tests/test_checker_behaviour.py runs all of `python -m checker`'s checks on one server.)"""
    client = client_for(tmp_path)
    for run in range(5):
        assert client.post("/login").status_code == 400
        for check in range(3):
            name = f"fcc{run}x{check}"
            assert post(client, "/register", username=name, password=name).status_code == 302
            client.get("/logout")
            if check:
                assert post(client, "/login", username=name, password=name).status_code == 302
                client.get("/logout")


@pytest.mark.parametrize("username", ["ada", "nobody"])
def test_a_login_checks_a_bcrypt_hash_of_the_configured_cost_whether_or_not_the_user_exists(
    tmp_path, monkeypatch, username
):
    """So that how long a login takes does not tell whether a username exists."""
    client = client_for(tmp_path, BCRYPT_ROUNDS=5)
    post(client, "/register", username="ada", password="lovelace")
    client.get("/logout")
    checked = []
    real_checkpw = bcrypt.checkpw

    def checkpw(password, hashed):
        checked.append(hashed)
        return real_checkpw(password, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", checkpw)
    assert post(client, "/login", username=username, password="wrong").status_code == 401
    assert len(checked) == 1, f"{len(checked)} bcrypt checks for {username!r}"
    assert checked[0].startswith(b"$2b$05$"), checked[0]


@pytest.mark.parametrize(
    "name, value",
    [
        ("LOGIN_LIMIT_PER_ADDRESS", "often"),
        ("LOGIN_LIMIT_PER_USERNAME", "5 per fortnight"),
        ("LOGIN_LIMIT_PER_USERNAME_FROM_ADDRESS", "five"),
        ("GITHUB_SIGN_IN_LIMIT_PER_ADDRESS", "10/minute/hour"),
    ],
)
def test_a_limit_that_cannot_be_read_stops_the_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigurationError, match=name):
        config.setting(name)


@pytest.mark.usefixtures("async_mode")
def test_the_real_server_throttles_whatever_x_forwarded_for_says(start_server, async_mode):
    """`python server.py` under gevent and eventlet, over real HTTP, PROXY_COUNT unset."""
    server = start_server(ASYNC_MODE=async_mode, LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    answers = [
        requests.post(
            f"{server.url}/login",
            data={"username": "nobody", "password": "wrong"},
            headers={"X-Forwarded-For": f"10.0.0.{number}"},
            timeout=10,
        )
        for number in range(4)
    ]
    assert [answer.status_code for answer in answers] == [401, 401, 401, 429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 61
    assert "Too many attempts to log in or register from your address. Please try again in" in answers[-1].text


def test_attempts_at_once_on_one_username_get_no_more_than_the_limit(start_server):
    """Eight guesses at ada's password sent at once, from eight addresses (behind a
    trusted proxy), while each takes bcrypt a while: the limit holds for them too."""
    server = start_server(PROXY_COUNT="1", BCRYPT_ROUNDS="10", LOGIN_LIMIT_PER_USERNAME="3 per minute")
    requests.post(f"{server.url}/register", data={"username": "ada", "password": "lovelace"}, timeout=10)
    start = threading.Barrier(8)
    statuses = []

    def guess(number):
        start.wait()
        answer = requests.post(
            f"{server.url}/login",
            data={"username": "ada", "password": f"guess {number}"},
            headers={"X-Forwarded-For": f"10.0.0.{number}"},
            timeout=30,
        )
        statuses.append(answer.status_code)

    guesses = [threading.Thread(target=guess, args=(number,)) for number in range(8)]
    for thread in guesses:
        thread.start()
    for thread in guesses:
        thread.join()
    assert sorted(statuses) == [401] * 3 + [429] * 5
