"""How the checker reads freeCodeCamp's checks (freeCodeCamp/hints.json):
every check understood or reported as not checkable, with the reason."""
import json

import pytest

from checker.hints import HINTS_FILE, NODE_ONLY, load_hints, read_hint


def assertions_by_id():
    return {assertion.id: assertion for hint in load_hints() for assertion in hint.assertions}


def is_checkable(assertion):
    return (assertion.pattern or assertion.json_property) is not None and assertion.request is not None


def test_all_22_lessons_and_every_hint_are_read():
    lessons = json.loads(HINTS_FILE.read_text(encoding="utf-8"))
    hints = load_hints()
    assert [lesson["order"] for lesson in lessons] == list(range(1, 23))
    assert len(hints) == sum(len(lesson["hints"]) for lesson in lessons)


def test_every_assertion_is_checkable_or_says_why_not():
    for hint in load_hints():
        assert hint.assertions, f"lesson {hint.lesson}, hint {hint.number} has no result line"
        for assertion in hint.assertions:
            assert is_checkable(assertion) != bool(assertion.cannot_check), f"{assertion.id} is neither checkable nor explained"


def test_only_checks_reading_node_files_cannot_be_checked():
    cannot = {a.id: a.request.path for a in assertions_by_id().values() if a.cannot_check}
    assert cannot, "the checks of Express's app object should be reported as not checkable"
    assert set(cannot.values()) == set(NODE_ONLY), f"unexpected checks not checkable: {cannot}"


@pytest.mark.parametrize(
    ("assertion_id", "method", "path", "from_origin_root"),
    [
        ("18.1.1", "GET", "/_api/server.js", True),
        ("7.2.1", "POST", "/login", True),
        ("14.1.1", "GET", "/_api/routes.js", False),
        ("11.4.1", "GET", "/logout", False),
    ],
)
def test_request_is_read_from_the_code(assertion_id, method, path, from_origin_root):
    request = assertions_by_id()[assertion_id].request
    assert (request.method, request.path, request.from_origin_root) == (method, path, from_origin_root)


def test_lesson_14_removes_whitespace_and_stops_unless_ok():
    assertion = assertions_by_id()["14.1.1"]
    assert assertion.replace == ("\\s", "g", "")
    assert assertion.request.must_be == "ok"


def test_login_check_registers_first_and_matches_the_new_username():
    assertion = assertions_by_id()["11.3.2"]
    assert [(step.method, step.path) for step in assertion.request.chain()] == [("POST", "/register"), ("POST", "/login")]
    assert all(step.sends_credentials_form and step.must_be == "200" for step in assertion.request.chain())
    assert assertion.pattern == ("username", "g")


def test_xhr_and_ajax_checks_are_not_awaited_but_fetch_checks_are():
    by_id = assertions_by_id()
    assert not by_id["11.2.1"].request.awaited
    assert not by_id["11.5.1"].request.awaited and by_id["11.5.1"].request.with_credentials
    assert by_id["18.1.1"].request.awaited


def test_package_json_checks_look_up_each_dependency():
    read = {
        assertion.id: assertion.json_property
        for assertion in assertions_by_id().values()
        if assertion.request and assertion.request.path == "/_api/package.json"
    }
    assert read == {
        "1.1.1": ("dependencies", "pug"),
        "3.1.1": ("dependencies", "passport"),
        "3.1.2": ("dependencies", "express-session"),
        "4.3.1": ("dependencies", "mongodb"),
        "6.1.1": ("dependencies", "passport-local"),
        "12.1.1": ("dependencies", "bcrypt"),  # `await res.json()` without a semicolon
        "15.1.1": ("dependencies", "passport-github"),
        "17.1.1": ("dependencies", "socket.io"),
        "20.1.1": ("dependencies", "passport.socketio"),
        "20.2.1": ("dependencies", "cookie-parser"),
    }


PACKAGE_JSON = "const url = new URL('/_api/package.json', code); const res = await fetch(url);"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (PACKAGE_JSON + "const text = await res.text(); assert.property(text.dependencies, 'pug');", "cannot tell what"),
        (PACKAGE_JSON + "const json = await res.json(); assert.property(json, 'dependencies');", "cannot tell what"),
        (PACKAGE_JSON + "const json = await res.json(); assert.property(window.json, 'pug');", "cannot tell what"),
        (PACKAGE_JSON + "const json = await res.json(); assert.property(json.dependencies, name);", "cannot work out the property"),
        (PACKAGE_JSON + "const json = await res.json(); assert.property(json.dependencies);", "cannot work out the property"),
        (PACKAGE_JSON + "const json = await res.json(); assert.isObject(json.dependencies);", "only assert.match"),
    ],
)
def test_property_checks_it_does_not_understand_are_reported(code, reason):
    (assertion,) = read_hint(99, 1, "A made-up check.", code).assertions
    assert reason in assertion.cannot_check and assertion.json_property is None, assertion


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("const res = await axios.get(code); assert.match(res.data, /x/);", "form the checker does not know"),
        ("const url = new URL('/x', code); const res = await fetch(url, { mode: 'cors' });", "fetch options"),
        ("const res = await fetch(somewhere); const data = await res.text(); assert.match(data, /x/);", "cannot work out"),
        ("assert.match(window.data, /x/);", "cannot tell what"),
        ("const res = await fetch(code + '/x'); const data = await res.text(); assert.match(data, new RegExp(data));", "cannot work out the pattern"),
        ("const res = await fetch(code + '/x'); const data = await res.text(); assert.isTrue(data.length > 0);", "only assert.match"),
        ("const url = new URL('/x', code); assert.match(data, /x/", "cannot read"),
        ("const x = 'unterminated", "cannot read"),
        ("const xhttp = new XMLHttpRequest(); xhttp.open", "cannot read"),
        ("function", "cannot read"),
        ("const url = new URL(", "cannot read"),
        ("return true;", "no assertion"),
    ],
)
def test_code_it_does_not_understand_is_reported_not_guessed(code, reason):
    hint = read_hint(99, 1, "A made-up check.", code)
    assert hint.assertions, "every check gets at least one result line"
    for assertion in hint.assertions:
        assert reason in assertion.cannot_check, f"{assertion.id}: {assertion.cannot_check!r}"


def test_no_cut_short_check_makes_the_reader_crash():
    for lesson in json.loads(HINTS_FILE.read_text(encoding="utf-8")):
        for number, hint in enumerate(lesson["hints"], start=1):
            for end in range(0, len(hint["code"]), 11):
                read = read_hint(lesson["order"], number, hint["text"], hint["code"][:end])
                for assertion in read.assertions:
                    assert is_checkable(assertion) or assertion.cannot_check, f"lesson {lesson['order']} cut at {end}: {assertion}"
