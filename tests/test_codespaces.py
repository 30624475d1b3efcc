"""Run on GitHub Codespaces: .devcontainer/devcontainer.json gives the
codespace a Python the project supports, installs the requirements once, and
forwards the server's port, opening it in a preview."""
import json
import re

import pytest

from config import DEFAULTS
from tests.conftest import PROJECT_ROOT

DEVCONTAINER_JSON = PROJECT_ROOT / ".devcontainer" / "devcontainer.json"
OLDEST_PYTHON = (3, 10)  # the README's "Python 3.10 or newer"


@pytest.fixture(scope="module")
def devcontainer():
    # devcontainer.json may hold comments; this one is kept strict JSON, so any JSON reader can check it.
    try:
        return json.loads(DEVCONTAINER_JSON.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        pytest.fail(f"{DEVCONTAINER_JSON.name} is not strict JSON (no comments, no trailing commas): {error}")


def test_the_image_has_a_python_the_project_supports(devcontainer):
    version = re.fullmatch(r"mcr\.microsoft\.com/devcontainers/python:(\d+)\.(\d+)", devcontainer["image"])
    assert version, f"{devcontainer['image']!r} should be a Python dev container image with its version"
    assert tuple(map(int, version.groups())) >= OLDEST_PYTHON


def test_creating_the_codespace_installs_what_the_app_and_the_tests_need(devcontainer):
    assert re.fullmatch(r"pip install (--user )?-r requirements-dev\.txt", devcontainer["postCreateCommand"])


def test_the_servers_default_port_is_forwarded_and_opens_in_a_preview(devcontainer):
    port = DEFAULTS["PORT"]
    assert port in devcontainer["forwardPorts"], f"`python server.py` listens on {port}"
    attributes = devcontainer["portsAttributes"][str(port)]
    assert attributes["label"], "the Ports tab should say what the port is"
    assert attributes["onAutoForward"] == "openPreview"
