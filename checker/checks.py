"""freeCodeCamp's checks, from the reviewed table freeCodeCamp/checks.json
(which extract.py writes), run against an address as freeCodeCamp's page runs
them: `check_url` gives each a Result, PASS, FAIL or CANNOT CHECK, and why.
"""
import json
import time
from collections import namedtuple
from pathlib import Path

from checker.browser import RequestFailed, origin_root, send
from checker.js_regex import compile_js_regex

FREECODECAMP = Path(__file__).resolve().parent.parent / "freeCodeCamp"
HINTS_FILE, CHECKS_FILE = FREECODECAMP / "hints.json", FREECODECAMP / "checks.json"
PASS, FAIL, CANNOT_CHECK = "PASS", "FAIL", "CANNOT CHECK"
NOT_AWAITED = "freeCodeCamp does not wait for this request, so the check passes whatever the answer. What the request itself got: "
COOKIES_NOT_KEPT = "; the cookies the answers set are not kept, since a cross-site request without withCredentials neither stores nor sends cookies, so the app sees a visitor who is not logged in"

# One entry of the table: freeCodeCamp/README.md says what each field means.
Check = namedtuple("Check", "id lesson hint text requests needs awaited with_credentials match replace property cannot_check", defaults=("", True, False, (), (), (), ""))
Result = namedtuple("Result", "check status reason")


def load_checks():
    return [Check(**entry) for entry in json.loads(CHECKS_FILE.read_text(encoding="utf-8"))]


def lesson_titles():
    return {lesson["order"]: lesson["title"] for lesson in json.loads(HINTS_FILE.read_text(encoding="utf-8"))}


def check_url(code, checks):
    """A Result for every check, in order. The checks of one hint share its answers and its new user."""
    started = int(time.time() * 1000)  # freeCodeCamp's `freeCodeCampTester${Date.now()}`
    hints, results = {}, []
    for check in checks:
        if (check.lesson, check.hint) not in hints:
            hints[check.lesson, check.hint] = _Hint(code, f"freeCodeCampTester{started + len(hints)}")
        results.append(Result(check, *hints[check.lesson, check.hint].run(check)))
    return results


def _meets(needs, status):  # needs: "" (any status), "200" or "2xx"
    return needs in ("", str(status), f"{str(status)[0]}xx")


class _Hint:
    """One hint's requests, each sent once, with its address and new user filled in."""

    def __init__(self, code, user):
        self.code, self.user, self.answers = code, user, {}

    def run(self, check):
        """(status, reason) of one check."""
        if check.cannot_check:
            return CANNOT_CHECK, f"{check.cannot_check}; freeCodeCamp shows this check as failed"
        holds, reason = self.assertion(check)
        if not check.awaited:
            return PASS, NOT_AWAITED + reason
        return PASS if holds else FAIL, reason

    def assertion(self, check):
        """(whether the assertion holds, what the answer was and why it holds or not)."""
        answer = self.answer(check)
        if isinstance(answer, RequestFailed):
            return False, f"no answer: {answer}"
        got = self.describe(answer)
        if not _meets(check.needs, answer.status):
            return False, f"{got}: the check stops because the answer is not a {check.needs}"
        if check.property:
            return _has_property(*check.property, answer.text, got)
        source, flags = check.match
        shown, text = "the new username" if source == "{user}" else f"`/{source}/{flags}`", answer.text
        if check.replace:  # data.replace(/source/flags, ''): with g, every match; else the first
            text = compile_js_regex(*check.replace).sub("", text, count=0 if "g" in check.replace[1] else 1)
            shown += " (with `/{}/{}` removed first)".format(*check.replace)
        if compile_js_regex(self.fill(source), flags).search(text):
            return True, f"{got}: {shown} matches"
        hops = [hop for request in check.requests for hop in self.answers[request].hops]
        cookies = not check.with_credentials and any(hop.sets_cookie for hop in hops)
        return False, f"{got}: {shown} does not match" + (COOKIES_NOT_KEPT if cookies else "")

    def answer(self, check):
        """The Answer to the check's last request, or RequestFailed for why there is none."""
        for request in check.requests:  # "METHOD URL [BODY]"
            if request not in self.answers:
                try:
                    self.answers[request] = send(*self.fill(request).split(" ", 2), with_credentials=check.with_credentials)
                except RequestFailed as failure:
                    self.answers[request] = failure
            answer = self.answers[request]
            if request is check.requests[-1] or isinstance(answer, RequestFailed):
                return answer
            if not _meets(check.needs, answer.status):
                method, url = self.fill(check.requests[-1]).split(" ")[:2]
                return RequestFailed(f"`{method} {self.path(url)}` is never sent, because {self.describe(answer)} and the check goes on only after a {check.needs}")

    def fill(self, text):
        return text.replace("{code}", self.code).replace("{origin}", origin_root(self.code)).replace("{user}", self.user)

    def describe(self, answer):
        """`POST /register` → 302 → `GET /profile` → 200, with paths for the app's own addresses."""
        return " → ".join(f"`{hop.method} {self.path(hop.url)}` → {hop.status}" for hop in answer.hops)

    def path(self, url):
        return (url.removeprefix(origin_root(self.code)) or "/") if origin_root(url) == origin_root(self.code) else url


def _has_property(member, name, text, got):
    """assert.property(packJson.dependencies, 'pug'), where packJson is `await res.json()`."""
    try:
        document = json.loads(text)
    except ValueError:
        return False, f"{got}: the answer is not JSON, so `res.json()` fails"
    value = document.get(member) if isinstance(document, dict) else None
    if not isinstance(value, dict):
        return False, f"{got}: the JSON has no `{member}` object"
    if name not in value:
        return False, f"{got}: {member} does not list {json.dumps(name)}"
    return True, f"{got}: {member} lists {json.dumps(name)} ({value[name]})"
