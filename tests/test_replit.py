"""Run on Replit: `.replit` installs the requirements and starts the server,
on the port it exposes, in the workspace and as a Reserved VM."""
import os
import sys
import urllib.request

from config import DEFAULTS
from tests.conftest import PROJECT_ROOT
from tests.server_process import ServerProcess

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (requirements-dev.txt)
    import tomli as tomllib

REPLIT = tomllib.loads((PROJECT_ROOT / ".replit").read_text(encoding="utf-8"))
HTTP_TIMEOUT = 10


def test_run_installs_the_requirements_and_starts_the_server():
    assert REPLIT["run"] == "pip install -r requirements.txt && python server.py"


def test_published_app_is_one_always_on_process_running_the_same_command():
    deployment = REPLIT["deployment"]
    assert deployment["deploymentTarget"] == "gce", "a Reserved VM keeps the one process the user count lives in"
    assert deployment["run"] == ["sh", "-c", REPLIT["run"]]


def test_the_workspace_trusts_replits_proxy():
    # Behind Replit's HTTPS proxy: the session cookie and the login forms need it (README, "Run on Replit").
    assert REPLIT["env"] == {"PROXY_COUNT": "1"}


def test_the_servers_default_port_is_the_exposed_one():
    # test_live_server proves the server really listens on DEFAULTS["PORT"] without PORT set.
    assert REPLIT["ports"] == [{"localPort": DEFAULTS["PORT"], "externalPort": 80}]


def test_run_command_installs_and_serves_the_home_page(tmp_path):
    # `pip` and `python` in the command are those of the Python running the tests.
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
    server = ServerProcess(tmp_path, command=["sh", "-c", REPLIT["run"]], PATH=path)
    try:
        with urllib.request.urlopen(server.url + "/", timeout=HTTP_TIMEOUT) as home:
            page = home.read().decode()
    finally:
        server.stop()
    assert "Home page" in page
    assert any("Requirement already satisfied" in line for line in server.output), "the run command should install first"
