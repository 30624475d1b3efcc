"""A minute of chaos on the real server: 200 tabs join, leave, fall asleep
and get killed at random. Afterwards the count is exact for everyone, and a
newcomer is let in at once. SOAK_SECONDS shortens it while developing."""
import os
import random
import time
from collections import Counter

import pytest

from tests.socket_clients import LiveMember, RawTab

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", 60))
TABS = 200

pytestmark = [pytest.mark.soak, pytest.mark.timeout(SOAK_SECONDS + 120)]


@pytest.mark.server_environment(CHAT_TABS_PER_SESSION=str(10 * TABS))  # all the crowd's, asleep ones too
def test_count_is_exact_after_a_minute_of_tabs_coming_and_going(live_server):
    chance = random.Random(19)  # lesson 19: the same chaos on every run
    member = LiveMember(live_server.url, "crowd")
    watcher = LiveMember(live_server.url, "watcher").open_chat()
    awake = [RawTab(live_server.url, member.headers) for _ in range(TABS)]
    asleep = []
    done = Counter()
    deadline = time.monotonic() + SOAK_SECONDS
    while time.monotonic() < deadline:
        # As many come as go, around TABS open at a time: the fewer open, the likelier a join.
        joining = chance.random() < 1 - len(awake) / (2 * TABS)
        action = "join" if joining else chance.choice(["leave", "sleep", "kill"])
        done[action] += 1
        if action == "join":
            awake.append(RawTab(live_server.url, member.headers))
            continue
        tab = awake.pop(chance.randrange(len(awake)))
        if action == "leave":
            tab.leave()
        elif action == "sleep":
            tab.fall_asleep()
            asleep.append(tab)
        else:
            tab.kill()

    assert min(done[action] for action in ("join", "leave", "sleep", "kill")) >= 10, f"too little chaos: {done}"
    print(f"soak: {dict(done)}; {len(awake)} tabs open at the end")
    for tab in asleep:
        tab.wait_until_closed()  # dropped by the heartbeat, and its connection ended
    expected = len(awake) + 1  # the watcher too
    watcher.wait_for_count(expected)
    newcomer = LiveMember(live_server.url, "newcomer").open_chat()
    newcomer.wait_for_count(expected + 1)
    newcomer.send("the last word")
    for tab in awake:
        counts = tab.counts_until("chat message")
        assert counts and counts[-1] == expected + 1, f"a tab's last count was {counts[-1:]}, not {expected + 1}"
