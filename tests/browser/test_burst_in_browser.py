"""Bursts in the chat room, in Chromium: when many tabs come and go at once,
the page shows one line for them and the right count."""
import re

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
    cookie = {"Cookie": f"session={ada.page.context.cookies()[0]['value']}"}
    first = RawTab(live_server.url, cookie)
    user_count(ada).to_have_text("2 users online")
    others = [RawTab(live_server.url, cookie) for _ in range(4)]
    user_count(ada).to_have_text("6 users online")
    for tab in [first, *others]:
        tab.ws.close()
    user_count(ada).to_have_text("1 user online")

    lines = ada.page.locator("#messages li")
    expect(lines.filter(has_text="4 users joined.")).to_have_count(1)
    expect(lines.filter(has_text="left.")).not_to_have_count(0)
    left_lines = lines.filter(has_text="left.").all_text_contents()
    assert sum(departures(line) for line in left_lines) == 5, f"departures shown: {left_lines}"


def departures(line):
    """How many people a line of the chat says left: "ada has left the chat." is one."""
    if "has left the chat." in line:
        return 1
    return int(re.search(r"(\d+) users? left\.", line).group(1))
