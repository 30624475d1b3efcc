"""The chat room of lessons 20-22 as people use it, in Chromium."""
import pytest
from playwright.sync_api import expect

from server import TAB_CLOSED
from tests.browser import HTML_PAYLOAD, in_chat, payload_ran


def send(person, text):
    """Types `text` into the message box and presses Send."""
    person.page.locator("#m").fill(text)
    person.page.get_by_role("button", name="Send").click()


def messages(person):
    """The lines of a person's #messages, to assert on."""
    return expect(person.page.locator("#messages li"), f"{person.name}'s chat room showed the wrong lines")


def test_two_people_chat_and_see_each_other_come_and_go(new_person):
    ada, grace = new_person("ada"), new_person("grace")
    in_chat(ada, grace)

    send(ada, "  Hello, Grace!  ")
    send(grace, "Hi Ada")

    expected = ["grace has joined the chat.", "ada: Hello, Grace!", "grace: Hi Ada"]
    messages(ada).to_have_text(["ada has joined the chat.", *expected])
    messages(grace).to_have_text(expected)
    expect(ada.page.locator("#m"), "the message box was not emptied after sending").to_have_value("")
    grace.page.close()
    messages(ada).to_have_text(["ada has joined the chat.", *expected, "grace has left the chat."])
    expect(ada.page.locator("#num-users")).to_have_text("1 user online")
    assert ada.problems == [], "the chat page logged errors or had requests fail"


def test_the_chat_works_with_nothing_but_the_app_to_reach(new_person, live_server):
    """As on a network that blocks CDNs, or has no internet: serve_offline
    refuses every request that would leave 127.0.0.1."""
    ada = new_person("ada")
    elsewhere = []  # what the page asked of anyone but the app

    def note_where_it_goes(request):
        if not request.url.startswith(live_server.url + "/"):
            elsewhere.append(request.url)

    ada.page.on("request", note_where_it_goes)
    in_chat(ada)

    send(ada, "Anyone there?")

    expect(ada.page.locator("#num-users")).to_have_text("1 user online")
    messages(ada).to_have_text(["ada has joined the chat.", "ada: Anyone there?"])
    assert elsewhere == [], "the chat page needs files from outside the app"
    assert ada.problems == [], "the chat page logged errors or had requests fail"


def test_html_in_a_name_and_a_message_is_shown_as_text_and_runs_nothing(new_person):
    ada, mallory = new_person("ada"), new_person(HTML_PAYLOAD)
    in_chat(ada, mallory)

    send(mallory, HTML_PAYLOAD)

    messages(ada).to_have_text(
        [
            "ada has joined the chat.",
            f"{HTML_PAYLOAD} has joined the chat.",
            f"{HTML_PAYLOAD}: {HTML_PAYLOAD}",
        ]
    )
    messages(mallory).to_have_text([f"{HTML_PAYLOAD} has joined the chat.", f"{HTML_PAYLOAD}: {HTML_PAYLOAD}"])
    for person in (ada, mallory):
        expect(person.page.locator("#messages img"), f"HTML became an <img> in {person.name}'s page").to_have_count(0)
        assert not payload_ran(person.page), f"the onerror script ran in {person.name}'s chat room"


def test_a_refused_message_is_explained_to_its_sender_only(new_person):
    ada, grace = new_person("ada"), new_person("grace")
    in_chat(ada, grace)

    send(grace, "   ")
    expect(grace.page.locator("#messages li.error")).to_have_text("Please type a message first.")
    send(grace, "now with words")

    messages(ada).to_have_text(["ada has joined the chat.", "grace has joined the chat.", "grace: now with words"])


@pytest.mark.server_environment(CHAT_TABS_PER_SESSION="2")
def test_one_tab_more_than_a_session_may_open_closes_the_oldest_which_says_why(new_person):
    ada, grace = new_person("ada"), new_person("grace")
    in_chat(ada, grace)
    ada.page.context.new_page().goto("/chat")  # her second tab: the most she may open
    expect(grace.page.locator("#num-users")).to_have_text("3 users online")
    third = ada.page.context.new_page()

    third.goto("/chat")

    expect(ada.page.locator("#messages li.error")).to_have_text(TAB_CLOSED.format(most=2))
    expect(third.locator("#num-users")).to_have_text("3 users online")
    third.locator("#m").fill("from the third tab")
    third.get_by_role("button", name="Send").click()
    messages(grace).to_contain_text(["ada: from the third tab"])
    expect(grace.page.locator("#num-users"), "a closed tab was still counted").to_have_text("3 users online")


def test_logging_out_in_another_tab_ends_the_chat_in_this_one(new_person):
    ada, grace = new_person("ada"), new_person("grace")
    in_chat(ada, grace)
    other_tab = ada.page.context.new_page()  # same browser, same session

    other_tab.goto("/logout")

    expect(ada.page.locator("#messages li.error")).to_have_text("You have left the chat. Log in again to rejoin.")
    expect(grace.page.locator("#num-users")).to_have_text("1 user online")
    messages(grace).to_contain_text(["ada has left the chat."])


@pytest.mark.server_environment(CHAT_BURST="50")  # grace sends 41 messages as fast as she can
def test_the_newest_message_stays_in_view_unless_the_reader_scrolled_up(new_person):
    ada, grace = new_person("ada"), new_person("grace")
    in_chat(ada, grace)
    lines = ada.page.locator("#messages li")

    for number in range(1, 41):
        send(grace, f"message {number}")
    expect(lines.last, "the newest message was not shown").to_have_text("grace: message 40")
    expect(lines.last, "the newest message was scrolled out of view").to_be_in_viewport()
    expect(lines.first, "the room never scrolled: 40 messages should not all fit").not_to_be_in_viewport()

    lines.first.scroll_into_view_if_needed()  # ada scrolls up to read
    send(grace, "message 41")
    expect(lines.last).to_have_text("grace: message 41")
    expect(lines.first, "a new message pulled the reader away from what they were reading").to_be_in_viewport()
