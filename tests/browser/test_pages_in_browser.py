"""The pages of lessons 1-13 as a person uses them, in Chromium."""
from playwright.sync_api import expect

from tests.browser import HTML_PAYLOAD, payload_ran


def test_register_shows_welcome_then_logout_goes_home(new_person):
    ada = new_person("ada")

    ada.register()
    expect(ada.page.locator("#welcome"), "the profile page did not greet ada").to_have_text("Welcome, ada!")
    ada.page.get_by_role("link", name="Logout").click()

    expect(ada.page, "Logout did not lead back to the home page").to_have_url("/")
    expect(ada.page.locator("#pug-variable"), "the home page did not ask to log in").to_have_text("Please log in")


def test_username_with_html_is_shown_as_text_and_runs_nothing(new_person):
    mallory = new_person(HTML_PAYLOAD)

    mallory.register()  # waits for the page's load event: a planted <img> would have run onerror by then

    welcome = mallory.page.locator("#welcome")
    expect(welcome, "the username was not shown as typed").to_have_text(f"Welcome, {HTML_PAYLOAD}!")
    expect(mallory.page.locator("img"), "the username became an <img> in the page").to_have_count(0)
    assert not payload_ran(mallory.page), "the username's onerror script ran in the profile page"


def test_pages_load_without_errors_or_failed_requests(new_person):
    ada = new_person("ada")

    ada.register()  # the home page, then the profile page
    ada.page.goto("/chat")
    expect(ada.page.locator("#num-users"), "the chat page never showed the count").to_have_text("1 user online")

    assert ada.problems == [], "the pages logged errors or had requests fail"
