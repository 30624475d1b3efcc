"""Ctrl+C (SIGINT) in a terminal, and SIGTERM from `kill` or a host, stop
`python server.py` at once under every ASYNC_MODE: one last line,
`Stopped.`, exit status 0, no traceback, and every open chat tab sees its
connection end (a browser's then reconnects, to the next server)."""
import signal

import pytest

from tests.socket_clients import LiveMember

# Long heartbeats: a server that waited for its chat tabs to leave (a long
# poll lasts a heartbeat) would still be running when stop_with gives up.
SLOW_HEARTBEAT = {"SOCKETIO_PING_INTERVAL": "60", "SOCKETIO_PING_TIMEOUT": "60"}
# Several tabs, so that some long poll is surely waiting when the signal comes.
TABS = 6


@pytest.mark.parametrize("transport", ["websocket", "polling"])
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("mode", ["gevent", "eventlet", "threading"])
def test_signal_stops_the_server_with_one_line(start_server, mode, number, transport):
    server = start_server(ASYNC_MODE=mode, **SLOW_HEARTBEAT)
    tabs = [LiveMember(server.url, f"tab {n}").open_chat(transport) for n in range(TABS)]
    for tab in tabs:
        tab.wait_for_count(TABS)

    status = server.stop_with(number)
    printed = "".join(server.output)
    assert "Traceback" not in printed, printed
    assert server.output[-1] == "Stopped.\n", f"the server's last line was {server.output[-1]!r}"
    assert status == 0
    for tab in tabs:
        tab.next("disconnect")  # fails unless the tab saw its connection end
