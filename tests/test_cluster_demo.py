"""`python -m cluster`: Redis, three servers and nginx (with the sample
configuration, cluster/nginx.conf) serve the chat as one app, long polling
included, and Ctrl+C stops every one of them."""
import os
import re
import signal
import sys

import pytest

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
    # Long polling is a series of requests: each must reach the process that
    # holds the connection, which nginx's sticky upstream sees to.
    ada_tab = LiveMember(demo.url, "ada").open_chat(transport="polling")
    bob_tab = LiveMember(demo.url, "bob").open_chat(transport="polling")
    carol_tab = LiveMember(demo.url, "carol").open_chat()
    for tab in (ada_tab, bob_tab, carol_tab):
        tab.wait_for_count(3)
    ada_tab.send("hello, everyone")
    for tab in (ada_tab, bob_tab, carol_tab):
        assert tab.next("chat message") == {"username": "ada", "message": "hello, everyone"}
    children = [int(pid) for pid in re.findall(r"pid (\d+)", "".join(demo.output))]
    assert len(children) == 5, demo.output  # redis-server, three servers, nginx

    assert demo.stop_with(signal.SIGINT) == 0
    assert demo.output[-1] == "Stopped.\n"
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
