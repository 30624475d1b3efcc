"""Sign in with GitHub, the parts that need no GitHub: what the app says when
it is not configured, where it sends the browser, the callback URL behind a
proxy, and reading GitHub's profile. Through Flask's test client."""
from urllib.parse import parse_qs, urlsplit

import pytest

from auth import github_profile
from server import create_app
from tests.conftest import TEST_CONFIG

GITHUB_CONFIG = {
    **TEST_CONFIG,
    "GITHUB_CLIENT_ID": "test-client-id",
    "GITHUB_CLIENT_SECRET": "test-client-secret",
    "GITHUB_AUTHORIZE_URL": "https://github.example/login/oauth/authorize",
}
NOT_CONFIGURED = {**TEST_CONFIG, "GITHUB_CLIENT_ID": "", "GITHUB_CLIENT_SECRET": ""}


def client_for(tmp_path, config):
    return create_app(config, instance_path=str(tmp_path)).test_client()


def authorize_query(response):
    """The query string /auth/github sent the browser to GitHub with."""
    assert response.status_code == 302, "/auth/github did not redirect to GitHub"
    return {name: values[0] for name, values in parse_qs(urlsplit(response.headers["Location"]).query).items()}


@pytest.mark.parametrize("path", ["/auth/github", "/auth/github/callback"])
def test_unconfigured_github_explains_how_to_configure_it(tmp_path, path):
    response = client_for(tmp_path, NOT_CONFIGURED).get(path)
    assert response.status_code == 501
    page = response.get_data(as_text=True)
    assert "Sign-in with GitHub is not configured on this server" in page
    assert "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET" in page
    assert 'id="pug-success-message"' in page, "the explanation should be on the home page"


@pytest.mark.parametrize("missing", ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"])
def test_github_needs_both_id_and_secret(tmp_path, missing):
    response = client_for(tmp_path, {**GITHUB_CONFIG, missing: ""}).get("/auth/github")
    assert response.status_code == 501


def test_home_page_link_says_github_is_not_configured(tmp_path):
    page = client_for(tmp_path, NOT_CONFIGURED).get("/").get_data(as_text=True)
    assert "not configured on this server: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET" in page


def test_home_page_link_is_plain_when_github_is_configured(tmp_path):
    page = client_for(tmp_path, GITHUB_CONFIG).get("/").get_data(as_text=True)
    assert 'href="/auth/github" id="github-login">Login with Github!</a>' in page


def test_github_link_sends_browser_to_github_with_client_id_and_state(tmp_path):
    response = client_for(tmp_path, GITHUB_CONFIG).get("/auth/github")
    assert response.headers["Location"].startswith(GITHUB_CONFIG["GITHUB_AUTHORIZE_URL"] + "?")
    query = authorize_query(response)
    assert query["client_id"] == "test-client-id"
    assert query["response_type"] == "code"
    assert len(query["state"]) >= 20, "the state should be a long random token"
    assert "test-client-secret" not in response.headers["Location"]


def test_callback_url_follows_the_address_the_app_is_reached_at(tmp_path):
    response = client_for(tmp_path, GITHUB_CONFIG).get("/auth/github", base_url="http://127.0.0.1:8123")
    assert authorize_query(response)["redirect_uri"] == "http://127.0.0.1:8123/auth/github/callback"


def test_callback_url_is_https_behind_a_trusted_proxy(tmp_path):
    client = client_for(tmp_path, {**GITHUB_CONFIG, "PROXY_COUNT": 1})
    response = client.get(
        "/auth/github",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "my-repl.replit.dev", "X-Forwarded-For": "1.2.3.4"},
    )
    assert authorize_query(response)["redirect_uri"] == "https://my-repl.replit.dev/auth/github/callback"


def test_forwarded_headers_are_ignored_without_proxy_count(tmp_path):
    response = client_for(tmp_path, GITHUB_CONFIG).get(
        "/auth/github", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    )
    assert authorize_query(response)["redirect_uri"] == "http://localhost/auth/github/callback"


def test_github_profile_reads_githubs_user():
    profile = github_profile(
        {"id": 1, "login": "octocat", "name": "The Octocat", "avatar_url": "https://a/1", "email": None, "extra": 1}
    )
    assert (profile.github_id, profile.username, profile.name) == (1, "octocat", "The Octocat")
    assert profile.avatar_url == "https://a/1"
    assert profile.email is None, "a user without a public e-mail has none"


@pytest.mark.parametrize(
    "user",
    [
        [],
        "octocat",
        {"login": "octocat"},
        {"id": "1", "login": "octocat"},
        {"id": True, "login": "octocat"},
        {"id": 1, "login": ""},
        {"id": 1, "login": 42},
    ],
)
def test_github_profile_refuses_what_is_not_a_user(user):
    with pytest.raises(ValueError):
        github_profile(user)


def test_unregistered_callback_url_is_named_in_the_message(tmp_path):
    client = client_for(tmp_path, GITHUB_CONFIG)
    response = client.get("/auth/github/callback?error=redirect_uri_mismatch&state=x", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/"
    assert "Register http://localhost/auth/github/callback there" in page


def test_callback_error_description_is_not_shown(tmp_path):
    """Anyone can send a learner a callback link: its text must not reach the page."""
    client = client_for(tmp_path, GITHUB_CONFIG)
    response = client.get(
        "/auth/github/callback?error=access_denied&error_description=Call+0800+to+unlock", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Sign-in with GitHub was cancelled" in page
    assert "0800" not in page
