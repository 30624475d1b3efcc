"""The checker against deployments that freeCodeCamp would fail: it must say
which check fails and why, in words a learner can act on."""
import json
import socket
import subprocess
import sys

import pytest

from checker.browser import submitted_address
from checker.checks import CANNOT_CHECK, FAIL, PASS, check_url, load_checks
from tests.conftest import PROJECT_ROOT
from tests.stand_in_app import StandInApp

SERVER_SOURCE = (PROJECT_ROOT / "server.py").read_text(encoding="utf-8")
CLIENT_SOURCE = (PROJECT_ROOT / "public" / "client.js").read_text(encoding="utf-8")
HOME_PAGE = '<meta name="description" content="Home page">'
COMMAND_TIMEOUT = 60


@pytest.fixture
def stand_in():
    """A stand-in app that passes lessons 18 and 19 until a test breaks it."""
    app = StandInApp()
    app.serve("/_api/server.js", SERVER_SOURCE)
    app.serve("/public/client.js", CLIENT_SOURCE)
    app.serve("/", HOME_PAGE)
    yield app
    app.stop()


def results(url, *lessons):
    """{check id: Result} of the checker run against url for these lessons."""
    checks = [check for check in load_checks() if check.lesson in lessons]
    return {result.check.id: result for result in check_url(url, checks)}


def test_stand_in_passes_lessons_18_and_19_before_it_is_broken(stand_in):
    statuses = {result.status for result in results(stand_in.url, 18, 19).values()}
    assert statuses == {PASS}


def test_client_without_the_listener_fails_with_the_pattern_it_lacks(stand_in):
    stand_in.serve("/public/client.js", CLIENT_SOURCE.replace("socket.on('user count'", "socket.on('users'"))
    result = results(stand_in.url, 18)["18.3.1"]
    assert result.status == FAIL
    assert "`GET /public/client.js` → 200" in result.reason
    assert "user count" in result.reason and "does not match" in result.reason


def test_redirect_without_cors_header_is_named_as_the_failing_hop(stand_in):
    stand_in.redirect("/profile", "/", headers={})
    result = results(stand_in.url, 8)["8.2.1"]
    assert result.status == FAIL
    assert f"GET {stand_in.url}/profile" in result.reason, "the learner should see which answer lacks the header"
    assert "302" in result.reason and "no Access-Control-Allow-Origin header" in result.reason


def test_missing_cors_header_after_a_redirect_names_the_second_hop(stand_in):
    stand_in.redirect("/profile", "/")
    stand_in.serve("/", HOME_PAGE, headers={})
    result = results(stand_in.url, 8)["8.2.1"]
    assert result.status == FAIL
    assert f"GET {stand_in.url}/ (hop 2 of the redirects)" in result.reason


def test_redirect_to_another_origin_explains_origin_null(stand_in):
    other = StandInApp()
    try:
        other.serve("/_api/server.js", SERVER_SOURCE)
        stand_in.redirect("/_api/server.js", other.url + "/_api/server.js")
        result = results(stand_in.url, 18)["18.1.1"]
    finally:
        other.stop()
    assert result.status == FAIL
    assert "Origin: null" in result.reason
    assert f"Submit the address the redirect leads to ({other.url})" in result.reason


def test_wildcard_cors_header_is_enough_for_fetch(stand_in):
    stand_in.serve("/_api/server.js", SERVER_SOURCE, headers={"Access-Control-Allow-Origin": "*"})
    assert results(stand_in.url, 18)["18.1.1"].status == PASS


def test_wildcard_cors_header_is_refused_for_a_request_with_credentials(stand_in):
    stand_in.redirect("/logout", "/", headers={"Access-Control-Allow-Origin": "*"})
    result = results(stand_in.url, 11)["11.4.1"]
    assert result.status == PASS, "freeCodeCamp does not wait for this request"
    assert "does not wait" in result.reason
    assert "'*', which browsers refuse for a request made withCredentials" in result.reason


def test_sub_path_address_is_warned_about_and_lesson_14_looks_under_it(stand_in):
    stand_in.serve("/_api/routes.js", "passport.authenticate('github')")
    code, warnings = submitted_address(stand_in.url + "/app/")
    assert code == stand_in.url + "/app"
    assert any(f"Submit the root address: {stand_in.url}" in warning for warning in warnings)
    by_id = results(code, 14, 18)
    assert by_id["18.1.1"].status == PASS, "new URL('/_api/server.js', code) drops the path"
    assert by_id["14.1.1"].status == FAIL
    assert "`GET /app/_api/routes.js` → 404" in by_id["14.1.1"].reason


def test_unreachable_server_is_explained():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    result = results(url, 18)["18.1.1"]
    assert result.status == FAIL
    assert "connection refused" in result.reason and "is the server running" in result.reason


def test_http_address_on_the_internet_is_refused_as_mixed_content():
    code, warnings = submitted_address("http://my-app.example.invalid/")
    assert [warning for warning in warnings if "mixed content" in warning and "Submit the https:// address" in warning]
    result = results(code, 18)["18.1.1"]  # refused before any request is sent
    assert result.status == FAIL
    assert "mixed content" in result.reason


@pytest.mark.parametrize("address", ["http://localhost:3000", "http://127.0.0.1:3000/", "https://localhost:3443"])
def test_address_on_this_machine_is_warned_about_the_browsers_permission(address):
    code, warnings = submitted_address(address)
    assert len(warnings) == 1, warnings
    assert "Local Network Access" in warnings[0] and "allow it when asked" in warnings[0]


def test_https_root_address_gets_no_warning():
    assert submitted_address("https://my-app.example.com/") == ("https://my-app.example.com", [])


@pytest.mark.parametrize("address", ["my-app.example.com", "ftp://example.com/", "https://"])
def test_address_that_is_not_a_web_address_is_refused(address):
    with pytest.raises(ValueError, match="starting with https://"):
        submitted_address(address)


def test_node_only_checks_are_reported_not_failed(stand_in):
    result = results(stand_in.url, 1)["1.2.1"]
    assert result.status == CANNOT_CHECK
    assert "a Flask app has no such object" in result.reason and "freeCodeCamp shows this check as failed" in result.reason


def test_package_json_check_passes_when_dependencies_list_the_package(stand_in):
    stand_in.serve("/_api/package.json", json.dumps({"dependencies": {"passport": "Flask-Login>=0.6.3 (Python)"}}))
    by_id = results(stand_in.url, 3)
    assert by_id["3.1.1"].status == PASS
    assert by_id["3.1.1"].reason == '`GET /_api/package.json` → 200: dependencies lists "passport" (Flask-Login>=0.6.3 (Python))'
    assert by_id["3.1.2"].status == FAIL, "the same answer lacks express-session"
    assert by_id["3.1.2"].reason == '`GET /_api/package.json` → 200: dependencies does not list "express-session"'


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "`GET /_api/package.json` → 404: the answer is not JSON"),
        ("socket.io", "the answer is not JSON"),
        ("{}", "the JSON has no `dependencies` object"),
        ('["dependencies"]', "the JSON has no `dependencies` object"),
        ('{"dependencies": null}', "the JSON has no `dependencies` object"),
        ('{"dependencies": ["socket.io"]}', "the JSON has no `dependencies` object"),
        ('{"dependencies": "socket.io"}', "the JSON has no `dependencies` object"),
        ('{"dependencies": {"Socket.io": "4"}, "devDependencies": {"socket.io": "4"}}', 'dependencies does not list "socket.io"'),
    ],
)
def test_package_json_check_fails_as_chai_would(stand_in, body, reason):
    if body is not None:
        stand_in.serve("/_api/package.json", body)
    result = results(stand_in.url, 17)["17.1.1"]
    assert result.status == FAIL
    assert reason in result.reason


def run_command(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "checker", *arguments],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )


def test_command_prints_one_line_per_check_and_exits_1_on_failure(stand_in):
    stand_in.serve("/public/client.js", "let socket = io();")
    finished = run_command(stand_in.url, "--lesson", "18")
    assert finished.returncode == 1, finished.stdout + finished.stderr
    lines = finished.stdout.splitlines()
    assert any(line.split()[:2] == ["PASS", "18.1.1"] for line in lines)
    assert any(line.split()[:2] == ["FAIL", "18.3.1"] for line in lines)
    assert "2 passed, 1 failed, 0 cannot be checked" in finished.stdout
    assert "Lessons freeCodeCamp will accept: none." in finished.stdout


def test_command_refuses_a_bad_address_with_a_message():
    finished = run_command("my-app.example.com")
    assert finished.returncode == 2
    assert "starting with https://" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_command_refuses_a_lesson_that_does_not_exist():
    finished = run_command("http://127.0.0.1:9", "--lesson", "23")
    assert finished.returncode == 2
    assert "invalid choice" in finished.stderr
