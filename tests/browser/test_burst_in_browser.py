"""Bursts in the chat room, in Chromium: when many tabs come and go at once,
the page shows one line for them and the right count."""
import pytest
from playwright.sync_api import expect

from tests.browser import in_chat
from tests.browser.test_user_count_in_browser import user_count
from tests.socket_clients import RawTab


@pytest.fixture
def live_server(start_server):
    """The server with a window long enough that a burst surely falls in one."""
    return start_server(BROADCAST_WINDOW="2")


def test_a_burst_of_arrivals_and_departures_is_one_line_each(new_person, live_server):
    ada = new_person("ada")
    in_chat(ada)
    session = next(cookie for cookie in ada.page.context.cookies() if cookie["name"] == "session")
    cookie = {"Cookie": f"session={session['value']}"}
    first = RawTab(live_server.url, cookie)
    user_count(ada).to_have_text("2 users online")
    others = [RawTab(live_server.url, cookie) for _ in range(4)]  # within the window after the first
    user_count(ada).to_have_text("6 users online")
    for tab in [first, *others]:
        tab.ws.close()
    user_count(ada).to_have_text("1 user online")

    expect(ada.page.locator("#messages li").filter(has_text="4 users joined.")).to_have_count(1)
    # The five departures, in one line or two ("ada has left the chat." then "4 users left.").
    ada.page.wait_for_function(f"({DEPARTURES_SHOWN})() === 5")


# How many departures the chat's lines tell of, in the page.
DEPARTURES_SHOWN = """() => [...document.querySelectorAll('#messages li')].reduce((sum, line) => {
  const many = line.textContent.match(/^(\\d+) users? left\\.$|, (\\d+) left\\.$/);
  if (many) return sum + Number(many[1] || many[2]);
  return sum + (line.textContent.endsWith(' has left the chat.') ? 1 : 0);
}, 0)"""
