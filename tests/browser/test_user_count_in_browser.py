"""Handle a Disconnect: the live user count on the chat page, in Chromium."""
import pytest
from playwright.sync_api import expect

from tests.browser import in_chat


def user_count(person):
    """The count a person sees in the chat room, to assert on."""
    return expect(person.page.locator("#num-users"), f"{person.name}'s chat room showed the wrong count")


@pytest.mark.usefixtures("async_mode")
def test_two_people_see_two_then_one_when_one_leaves(new_person):
    ada, grace = new_person("ada"), new_person("grace")

    in_chat(ada, grace)
    user_count(ada).to_have_text("2 users online")
    user_count(grace).to_have_text("2 users online")
    grace.page.close()

    user_count(ada).to_have_text("1 user online")


def test_count_stays_right_after_ten_reloads(new_person):
    ada, grace = new_person("ada"), new_person("grace")
    in_chat(ada, grace)

    for _ in range(10):
        grace.page.reload()
        user_count(grace).to_have_text("2 users online")

    user_count(ada).to_have_text("2 users online")


@pytest.mark.parametrize("hidden", ["user", "user count"])
def test_either_event_alone_keeps_the_count_right(new_person, hidden):
    """Lesson 19's 'user count' and lesson 21's 'user' each carry the count,
    and the page shows it from whichever arrives: so each listener in
    client.js is proven by the other event being kept from the page."""
    ada, grace = new_person("ada"), new_person("grace")
    ada.hide_event(hidden)

    in_chat(ada, grace)
    user_count(ada).to_have_text("2 users online")
    grace.page.close()
    user_count(ada).to_have_text("1 user online")

    # The server sent its messages for both joins before the count ada sees
    # last, so they have surely been kept from her page; its message for the
    # leave may still be on its way.
    assert len(ada.hidden) >= 2, f"expected ada's page to miss {hidden!r} at least twice, it missed {ada.hidden}"

