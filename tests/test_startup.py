"""`python server.py` starts on the settings it is given, and refuses to
start on settings it cannot use, saying why in one line a learner can act
on, never with a traceback."""
import subprocess

import pytest

from tests.server_process import PROJECT_ROOT, SERVER_COMMAND, STARTUP_TIMEOUT, server_environment
from tests.socket_clients import LiveMember


def start_and_fail(tmp_path, **environment):
    """Runs the server, which must exit at once; returns what it printed."""
    finished = subprocess.run(
        SERVER_COMMAND,
        cwd=PROJECT_ROOT,
        env=server_environment(tmp_path, **environment),
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )
    assert finished.returncode == 1, f"expected the server to refuse to start: {finished}"
    assert finished.stdout == ""
    assert "Traceback" not in finished.stderr
    return finished.stderr


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PORT", "http", "a whole number from 0 to 65535"),
        ("ASYNC_MODE", "asyncio", "one of gevent, eventlet, threading"),
        ("PROXY_COUNT", "-1", "a whole number from 0 to 10"),
        ("SOCKETIO_PING_TIMEOUT", "0", "a number from 0.1 up"),
    ],
)
def test_unusable_setting_is_named_with_what_it_should_be(tmp_path, variable, value, expected):
    message = start_and_fail(tmp_path, **{variable: value})
    assert message == f"Cannot start: {variable}={value!r} cannot be used: it must be {expected}. See .env.example.\n"


def test_port_in_use_says_so(tmp_path, start_server):
    running = start_server()
    message = start_and_fail(tmp_path, PORT=str(running.port))
    assert message == (
        f"Port {running.port} is in use: is the app already running? Stop it, or choose another port with PORT.\n"
    )


def test_eventlet_without_eventlet_says_how_to_install_it(tmp_path):
    not_installed = tmp_path / "not-installed"
    (not_installed / "eventlet").mkdir(parents=True)
    (not_installed / "eventlet" / "__init__.py").write_text('raise ImportError("No module named eventlet")\n')

    message = start_and_fail(tmp_path, ASYNC_MODE="eventlet", PYTHONPATH=str(not_installed))
    assert "pip install eventlet" in message


def test_empty_async_mode_serves_the_chat_with_gevent(start_server):
    """`ASYNC_MODE=`, left empty as .env.example leaves other lines, means the
    default: gevent, with the standard library patched for it. (Unpatched,
    gevent's server answers nothing: registering times out.)"""
    server = start_server(ASYNC_MODE="")
    tab = LiveMember(server.url, "ada").open_chat()
    assert tab.next_count() == 1
