"""Sign in with GitHub (lessons 14-16) in Chromium, against the stand-in for
GitHub (tests/github_stand_in.py) on 127.0.0.1."""
import pytest
from playwright.sync_api import expect

from tests.github_stand_in import GitHubStandIn


@pytest.fixture
def github():
    stand_in = GitHubStandIn()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def live_server(start_server, github):
    """The app server, with sign-in with GitHub pointed at the stand-in."""
    return start_server(**github.environment())


def test_sign_in_with_github_lands_in_the_chat_room(new_person):
    octocat = new_person("octocat")

    octocat.page.goto("/")
    octocat.page.get_by_role("link", name="Login with Github!").click()

    expect(octocat.page, "signing in with GitHub did not end in the chat room").to_have_url("/chat")
    expect(octocat.page.locator("#num-users")).to_have_text("1 user online")
    expect(octocat.page.locator("#messages li")).to_have_text(["octocat (GitHub) has joined the chat."])
    assert octocat.problems == [], "signing in with GitHub logged errors or had requests fail"


def test_refused_consent_ends_on_the_home_page_saying_so(new_person, github):
    octocat = new_person("octocat")
    github.authorize_answer = "deny"

    octocat.page.goto("/")
    octocat.page.get_by_role("link", name="Login with Github!").click()

    expect(octocat.page, "a refused sign-in did not end on the home page").to_have_url("/")
    expect(octocat.page.locator("#form-error")).to_contain_text("Sign-in with GitHub was cancelled")
