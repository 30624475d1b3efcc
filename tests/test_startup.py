"""`python server.py` starts on the settings it is given, and refuses to
start on settings it cannot use, saying why in one line a learner can act
on, never with a traceback."""
import shutil
import subprocess
import sys

import pytest

from tests.lesson_app import free_port
from tests.server_process import PROJECT_ROOT, SERVER_COMMAND, STARTUP_TIMEOUT, server_environment
from tests.socket_clients import LiveMember

# `python server.py` as a debugger (VS Code's, Replit's) runs it: with a trace
# function set, and the script's folder (the first argument) on sys.path.
UNDER_A_DEBUGGER = (
    "import runpy, sys; sys.settrace(lambda *event: None); sys.path.insert(0, sys.argv[1]); "
    "runpy.run_path(sys.argv[1] + '/server.py', run_name='__main__')"
)


def start_and_fail(tmp_path, command=SERVER_COMMAND, cwd=PROJECT_ROOT, **environment):
    """Runs the server, which must exit at once; returns what it printed."""
    finished = subprocess.run(
        command,
        cwd=cwd,
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


def test_limits_that_cannot_work_together_stop_the_start_with_one_line(tmp_path):
    message = start_and_fail(tmp_path, SOCKETIO_MAX_PACKET_BYTES="1024")
    assert message == (
        "Cannot start: CHAT_MESSAGE_MAX_LENGTH=1000 cannot be used: it must be at most 82 with "
        "SOCKETIO_MAX_PACKET_BYTES=1024, or a message that long may not fit in one packet, and its sender's "
        "connection would be closed. See .env.example.\n"
    )


def test_unreachable_database_stops_the_start_with_one_line(tmp_path):
    """Nothing listens on the port: the app would only refuse every login, so it does not start."""
    port = free_port()
    message = start_and_fail(tmp_path, DATABASE_URL=f"postgresql://ada:hunter2@127.0.0.1:{port}/chat")
    assert message.startswith(
        f'Cannot start: the users database at DATABASE_URL cannot be reached: connection failed: connection to server at "127.0.0.1", port {port} failed: Connection refused'
    )
    assert message.count("\n") == 1
    assert "hunter2" not in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mysql://ada:hunter2@localhost/chat", "it must be a PostgreSQL URL, such as postgresql://"),
        ("postgresql://ada:hunter2%zz@localhost/chat", "libpq cannot read it"),
        ("postgresql://ada:hunter2@localhost/chat?hunter3=1", "libpq cannot read it"),
    ],
)
def test_unusable_database_url_is_refused_without_showing_it(tmp_path, value, expected):
    message = start_and_fail(tmp_path, DATABASE_URL=value)
    assert message.startswith("Cannot start: DATABASE_URL ")
    assert expected in message
    assert message.count("\n") == 1
    assert "hunter" not in message, "the password (or anything else in the URL) was shown"


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


@pytest.fixture
def project(tmp_path):
    """A copy of the app in a folder of its own, to give it a .env and see where it writes."""
    copy = tmp_path / "project"
    copy.mkdir()
    for path in [*PROJECT_ROOT.glob("*.py"), PROJECT_ROOT / "requirements.txt"]:
        shutil.copy(path, copy)
    for folder in ("views", "public"):
        shutil.copytree(PROJECT_ROOT / folder, copy / folder)
    return copy


@pytest.fixture
def elsewhere(tmp_path):
    """The folder the server is started from: not the project's."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(("instance_path", "folder"), [(None, "instance"), ("data", "data")])
def test_data_is_kept_in_the_project_folder_whatever_folder_it_starts_from(
    start_server, project, elsewhere, instance_path, folder
):
    """`cd / && python /path/to/server.py` keeps the users database under the
    project's instance/ (or INSTANCE_PATH, read from the project folder)."""
    start_server(command=(sys.executable, str(project / "server.py")), cwd=elsewhere, INSTANCE_PATH=instance_path)
    assert (project / folder / "users.sqlite3").is_file(), f"no users database in {folder}/ of the project"
    assert (project / folder / "sessions").is_dir(), f"no session files in {folder}/ of the project"
    assert list(elsewhere.iterdir()) == [], "the server wrote into the folder it was started from"


@pytest.mark.parametrize("command", ["python server.py", "under a debugger"])
def test_env_file_is_read_from_the_project_folder(tmp_path, project, elsewhere, command):
    """Each .env names an ASYNC_MODE that cannot be used, so the server's
    one-line refusal says which .env it read."""
    (project / ".env").write_text("ASYNC_MODE=from-the-project\n")
    (elsewhere / ".env").write_text("ASYNC_MODE=from-the-current-folder\n")
    arguments = [str(project / "server.py")] if command == "python server.py" else ["-c", UNDER_A_DEBUGGER, str(project)]

    message = start_and_fail(tmp_path, command=(sys.executable, *arguments), cwd=elsewhere, ASYNC_MODE=None)
    assert message.startswith("Cannot start: ASYNC_MODE='from-the-project' cannot be used")
