"""Running freeCodeCamp's checks against a URL, as freeCodeCamp's page runs them.

`check_url` sends each check's requests (see browser.py), applies its
assertions (see hints.py and js_regex.py) and returns one Result per
assertion: PASS, FAIL or CANNOT CHECK, each with its reason in plain words.
An `assert.match` is a regular expression searched in a response's text; an
`assert.property` is a property looked up in a JSON response, as chai does.
"""
import json
import time
import urllib.parse
from dataclasses import dataclass

from checker.browser import RequestFailed, is_on_this_machine, origin_root, send
from checker.hints import NEW_URL
from checker.js_regex import UnsupportedPattern, compile_js_regex, js_replace

PASS = "PASS"
FAIL = "FAIL"
CANNOT_CHECK = "CANNOT CHECK"
COOKIES_NOT_KEPT = (
    "; the cookies the answers set are not kept, since a cross-site request without "
    "withCredentials neither stores nor sends cookies, so the app sees a visitor who is not logged in"
)


class BadAddress(ValueError):
    """A URL freeCodeCamp's form would not accept; the message says why."""


@dataclass(frozen=True)
class Result:
    hint: object
    assertion: object
    status: str
    reason: str


def submitted_address(url):
    """(the URL as freeCodeCamp's form turns it into `code`, warnings about it).

    Like freeCodeCamp's form (normalize-url), this drops the #fragment and a
    trailing slash, lower-cases the host and drops a default port.
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadAddress(f"{url!r} is not a web address: write it in full, starting with https://")
    path = parts.path.rstrip("/")
    code = origin_root(url.strip()) + path + (f"?{parts.query}" if parts.query else "")
    warnings = []
    if path or parts.query:
        warnings.append(
            f"{code} has a path after the host. Most checks ignore it: freeCodeCamp builds their "
            f"addresses with new URL('/_api/server.js', code), which gives {origin_root(code)}/_api/server.js, "
            "while lessons 11 and 14 add to the full address instead. Submit the root address: "
            f"{origin_root(code)}"
        )
    if is_on_this_machine(code):
        warnings.append(
            f"{code} is on your own machine: freeCodeCamp's page may fetch it only with your browser's permission. "
            "Chromium (Chrome, Edge) asks before a page on freecodecamp.org may reach an address on your computer "
            "or local network (Local Network Access): allow it when asked, or every check fails. This checker "
            "cannot ask for you. An https:// address on the internet needs no permission."
        )
    elif parts.scheme == "http":
        warnings.append(
            f"{code} is http://: freeCodeCamp's page is https, and browsers block its requests to http:// "
            "addresses (mixed content), except those on your own machine. Submit the https:// address of your app."
        )
    return code, warnings


def check_url(code, hints):
    """A Result for every assertion of the given hints, in order."""
    results = []
    started = int(time.time() * 1000)  # freeCodeCamp's `freeCodeCampTester${Date.now()}`
    for index, hint in enumerate(hints):
        answers = _Answers(code, f"freeCodeCampTester{started + index}")  # a new name for each check
        results.extend(Result(hint, assertion, *_check(assertion, answers)) for assertion in hint.assertions)
    return results


class _Answers:
    """The answers to one hint's requests, each request sent once, as the hint's code does."""

    def __init__(self, code, username):
        self.code = code
        self.username = username
        self._answers = {}

    def url(self, request):
        if request.join == NEW_URL:
            return urllib.parse.urljoin(self.code, request.path)  # new URL(path, code)
        return self.code + request.path  # code + path

    def get(self, request):
        """The Answer, or RequestFailed, of a request and of those it waits for."""
        for step in request.chain():
            if step not in self._answers:
                self._answers[step] = self._send(step)
            answer = self._answers[step]
            if isinstance(answer, RequestFailed) or step is request:
                return answer
            if step.must_be == "this.status == 200" and answer.status != 200:
                return RequestFailed(
                    f"`{request.method} {request.path}` is never sent, because {self.describe(answer)} "
                    "and the check goes on only after a 200"
                )
        raise AssertionError("a request's chain ends with the request itself")

    def _send(self, request):
        body = request.body.replace("<new user>", self.username) if request.body else None
        try:
            return send(self.url(request), request.method, body, request.with_credentials)
        except RequestFailed as failure:
            return failure

    def describe(self, answer):
        """`POST /register` → 302 → `GET /profile` → 302 → `GET /` → 200, with paths for this site's addresses."""
        return " → ".join(f"`{hop.method} {self._address(hop.url)}` → {hop.status}" for hop in answer.hops)

    def _address(self, url):
        if origin_root(url) != origin_root(self.code):
            return url
        parts = urllib.parse.urlsplit(url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _check(assertion, answers):
    """(status, reason) of one assertion."""
    request = assertion.request
    if assertion.cannot_check:  # only checks of Express's own objects (hints.NODE_ONLY)
        return CANNOT_CHECK, f"{assertion.cannot_check}; freeCodeCamp shows this check as failed"
    if assertion.json_property:
        return _check_property(assertion.json_property, answers.get(request), answers)
    source, flags = assertion.pattern
    shown = "the new username" if source == "username" else f"`/{source}/{flags}`"
    try:
        pattern = compile_js_regex(answers.username if source == "username" else source, flags)  # new RegExp(user, 'g')
    except UnsupportedPattern as error:
        return CANNOT_CHECK, str(error)
    answer = answers.get(request)
    if not request.awaited:
        return PASS, _not_awaited(answer, request, pattern, shown, answers)
    if isinstance(answer, RequestFailed):
        return FAIL, f"no answer: {answer}"
    if request.must_be == "res.ok" and not 200 <= answer.status < 300:  # fetch's res.ok
        return FAIL, f"{answers.describe(answer)}: the check stops because the answer is not a success (2xx)"
    text = answer.text
    if assertion.replace:
        replace_source, replace_flags, replacement = assertion.replace
        text = js_replace(text, replace_source, replacement, replace_flags)
        shown += f" (with `/{replace_source}/{replace_flags}` removed first)"
    if pattern.search(text):
        return PASS, f"{answers.describe(answer)}: {shown} matches"
    return FAIL, f"{answers.describe(answer)}: {shown} does not match"


def _check_property(json_property, answer, answers):
    """assert.property(packJson.dependencies, 'pug'), packJson being `await res.json()`."""
    member, name = json_property
    if isinstance(answer, RequestFailed):
        return FAIL, f"no answer: {answer}"
    try:
        document = json.loads(answer.text)
    except ValueError:
        return FAIL, f"{answers.describe(answer)}: the answer is not JSON, so `res.json()` fails"
    value = document.get(member) if isinstance(document, dict) else None
    if not isinstance(value, dict):
        return FAIL, f"{answers.describe(answer)}: the JSON has no `{member}` object"
    if name not in value:
        return FAIL, f"{answers.describe(answer)}: {member} does not list {json.dumps(name)}"
    return PASS, f"{answers.describe(answer)}: {member} lists {json.dumps(name)} ({value[name]})"


def _not_awaited(answer, request, pattern, shown, answers):
    """freeCodeCamp's XMLHttpRequest and $.ajax checks pass whatever the answer; this says what it was."""
    if isinstance(answer, RequestFailed):
        got = f"no answer: {answer}"
    elif request.must_be == "this.status == 200" and answer.status != 200:
        got = f"{answers.describe(answer)}, and the check's assertions run only after a 200"
    else:
        matches = "matches" if pattern.search(answer.text) else "does not match"
        got = f"{answers.describe(answer)}, where {shown} {matches}"
        if not request.with_credentials and any(hop.sets_cookie for step in request.chain() for hop in answers.get(step).hops):
            got += COOKIES_NOT_KEPT
    return "freeCodeCamp does not wait for this request, so the check passes whatever the answer. What the request itself got: " + got
