"""`python -m cluster`: Redis, three servers and nginx (with the sample
configuration, cluster/nginx.conf) serve the chat as one app, long polling
included, and Ctrl+C stops every one of them."""
import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest
import redis

from tests.debian_packages import installed, require
from tests.server_process import ServerProcess
from tests.socket_clients import ChatClient, LiveMember

pytestmark = pytest.mark.live


@pytest.fixture
def demo(tmp_path):
    require(installed("redis-server") and installed("nginx"), "redis-server and nginx", "the tests of python -m cluster")
    demo = ServerProcess(
        tmp_path,
        command=(sys.executable, "-m", "cluster", "--servers", "3", "--port", "0"),
        listening=r"Open http://127\.0\.0\.1:(\d+)",
    )
    yield demo
    demo.stop()
    ChatClient.close_all()


def test_the_demo_serves_one_chat_from_three_servers_and_stops_them_all(demo):
    children = dict(re.findall(r"  (\S+(?: \d)?) +pid (\d+)", "".join(demo.output)))
    assert len(children) == 5, demo.output  # redis-server, three servers, nginx
    with demo_redis(int(children["redis-server"])) as redis:
        # nginx sends each browser (session cookie) to one server: newcomers
        # join until every server has tabs. Long polling is a series of
        # requests, each of which must reach the process that holds the
        # connection: the first two tabs use it.
        tabs = []
        while servers_with_tabs(redis) < 3:
            assert len(tabs) < MOST_NEWCOMERS, "nginx sent every newcomer to the same servers"
            transport = "polling" if len(tabs) < 2 else "websocket"
            tabs.append(LiveMember(demo.url, f"user{len(tabs)}").open_chat(transport=transport))
        for tab in tabs:
            tab.wait_for_count(len(tabs))
        while redis.pubsub_numsub("flask-socketio")[0][1] < 3:  # every server relays the chat
            time.sleep(0.05)
    tabs[0].send("hello, everyone")
    for tab in tabs:
        assert tab.next("chat message") == {"username": "user0", "message": "hello, everyone"}

    assert demo.stop_with(signal.SIGINT) == 0
    assert demo.output[-1] == "Stopped.\n"
    for pid in children.values():
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


# Newcomers to let in before giving up on nginx spreading them over three
# servers: with each sent to a server at random, all three are reached
# within 30 with odds of 1 in 60,000.
MOST_NEWCOMERS = 30


def demo_redis(pid):
    """A client of the demo's redis-server, whose process title names its address ("redis-server 127.0.0.1:6379")."""
    port = re.search(r"127\.0\.0\.1:(\d+)", Path(f"/proc/{pid}/cmdline").read_text()).group(1)
    return redis.Redis(port=int(port))


def servers_with_tabs(redis):
    """How many servers have tabs open, by their shares of the count (presence.py)."""
    shares = [redis.get(key) for key in redis.keys("presence:count:*")]
    return sum(1 for share in shares if share is not None and int(share) > 0)
