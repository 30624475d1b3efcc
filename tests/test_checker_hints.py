"""freeCodeCamp's checks as the checker reads them: freeCodeCamp/checks.json is
what `python -m checker.extract` writes from freeCodeCamp/hints.json, every
assertion is checkable or says why not, and code the extractor does not know
stops it, naming the hint."""
import json

import pytest

from checker.checks import CHECKS_FILE, HINTS_FILE, load_checks
from checker.extract import NODE_ONLY, UnknownShape, extract, table_text


def checks_by_id():
    return {check.id: check for check in load_checks()}


def test_the_table_is_what_the_extractor_writes_from_the_hints():
    assert CHECKS_FILE.read_text(encoding="utf-8") == table_text(), (
        "freeCodeCamp/checks.json is out of date: run `python -m checker.extract` and review the difference"
    )


def test_all_22_lessons_and_every_hint_are_read():
    lessons = json.loads(HINTS_FILE.read_text(encoding="utf-8"))
    hints = sorted({(check.lesson, check.hint) for check in load_checks()})
    assert [lesson["order"] for lesson in lessons] == list(range(1, 23))
    assert hints == [(lesson["order"], number) for lesson in lessons for number in range(1, len(lesson["hints"]) + 1)]
    assert len(hints) == 57


def test_every_assertion_is_checkable_or_says_why_not():
    for check in load_checks():
        assert bool(check.match or check.property) != bool(check.cannot_check), f"{check.id} is neither checkable nor explained"


def test_only_checks_reading_the_express_app_cannot_be_checked():
    cannot = {c.id: (c.requests[-1], c.cannot_check) for c in checks_by_id().values() if c.cannot_check}
    assert sorted(cannot) == ["1.2.1", "1.3.1", "14.1.2", "14.1.3", "14.2.2", "14.2.3"]
    assert all(reason == NODE_ONLY[request.split("}")[1]] for request, reason in cannot.values())


@pytest.mark.parametrize(
    ("check_id", "sent"),
    [
        ("18.1.1", "GET {origin}/_api/server.js"),  # new URL("/_api/server.js", code)
        ("7.2.1", "POST {origin}/login"),
        ("14.1.1", "GET {code}/_api/routes.js"),  # code + '/_api/routes.js'
        ("11.4.1", "GET {code}/logout"),
    ],
)
def test_request_is_read_from_the_code(check_id, sent):
    assert checks_by_id()[check_id].requests == [sent]


def test_lesson_14_removes_whitespace_and_stops_unless_ok():
    check = checks_by_id()["14.1.1"]
    assert check.replace == ["\\s", "g"]
    assert check.needs == "2xx"


def test_login_check_registers_first_and_matches_the_new_username():
    check = checks_by_id()["11.3.2"]
    assert check.requests == [
        "POST {code}/register username={user}&password={user}",
        "POST {code}/login username={user}&password={user}",
    ]
    assert check.needs == "200"
    assert check.match == ["{user}", "g"]


def test_the_two_xhr_and_two_ajax_checks_are_not_awaited_and_the_others_are():
    not_awaited = {c.id for c in checks_by_id().values() if not c.awaited}
    assert not_awaited == {"11.2.1", "11.3.1", "11.3.2", "11.4.1", "11.5.1"}
    assert {c.id for c in checks_by_id().values() if c.with_credentials} == {"11.4.1", "11.5.1"}


def test_package_json_checks_look_up_each_dependency():
    read = {c.id: tuple(c.property) for c in checks_by_id().values() if c.requests[-1].endswith("/_api/package.json")}
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


FETCH = 'const url = new URL("/x", code);\nconst res = await fetch(url);\nconst data = await res.text();\n'
XHR = """const url = code;
const user = `freeCodeCampTester${Date.now()}`;
const xhttp = new XMLHttpRequest();
xhttp.onreadystatechange = function () {
  if (this.readyState == 4 && this.status == 200) {
    SUCCESS;
  } else {
    throw new Error(`${this.status} ${this.statusText}`);
  }
};
xhttp.open('POST', url + '/register', true);
xhttp.send(BODY);
function test(xhttpRes) {
  const data = xhttpRes.responseText;
  assert.match(data, /Profile/gi, '');
}
"""


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (FETCH + "assert.match(data, /x/, '');", None),
        (XHR.replace("SUCCESS", "test(this)").replace("BODY", "`username=${user}&password=${user}`"), None),
        ("const res = await axios.get(code); assert.match(res.data, /x/, '');", "an assertion before any request"),
        (FETCH.replace("fetch(url)", "fetch(url, { mode: 'cors' })") + "assert.match(data, /x/, '');", "recognised"),
        (FETCH + "const res2 = await fetch(somewhere); assert.match(data, /x/, '');", "recognised"),
        (FETCH + "assert.match(data, new RegExp(data), '');", "an assertion this script does not know"),
        (FETCH + "assert.isTrue(data.length > 0);", "an assertion this script does not know"),
        (FETCH + "assert.match(window.data, /x/, '');", "an assertion this script does not know"),
        (FETCH + "assert.equal(data, 'x');", "an assertion this script does not know"),
        (FETCH, "no assertion"),
        (XHR.replace("SUCCESS", "test(this)").replace("BODY", "'username=a'"), "an XMLHttpRequest whose address, body or callbacks"),
        (XHR.replace("SUCCESS", "done(this)").replace("BODY", "`username=${user}&password=${user}`"), "an XMLHttpRequest whose address, body or callbacks"),
    ],
)
def test_code_the_extractor_does_not_know_stops_it_naming_the_hint(code, reason):
    lessons = [{"order": 99, "hints": [{"text": "A made-up check.", "code": code}]}]
    if reason is None:  # the shapes it knows, for comparison
        assert len(extract(lessons)) == 1
        return
    with pytest.raises(UnknownShape) as refusal:
        extract(lessons)
    assert str(refusal.value).startswith("lesson 99, hint 1 ('A made-up check.'): ") and reason in str(refusal.value)
