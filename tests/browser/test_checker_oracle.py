"""A real browser as the checker's oracle: every one of freeCodeCamp's checks
(freeCodeCamp/hints.json), its JavaScript unchanged, runs in Chromium from a
page on freeCodeCamp's origin, as freeCodeCamp's test frame runs it
(static/freecodecamp_runner.js says how), against the app served by `python
server.py` on 127.0.0.1. For every state of the app (tests/broken_states.py),
the checker (`python -m checker`) must pass exactly the checks the browser
passes.

The page is https://www.freecodecamp.org, answered by Playwright from
static/, so no request leaves the machine; its requests to the app reach
127.0.0.1 for real, with the CORS and Local Network Access rules of a real
browser. Chai's `assert` is chai 4.5.0's own browser build and `$` is jQuery
3.8.0, both vendored in static/ (see VENDORED) so that the checks run against
the same assertions freeCodeCamp uses, not a copy of their rules.
"""
import hashlib
import json
from pathlib import Path

import pytest

from checker.checks import HINTS_FILE, PASS, check_url, load_checks
from tests.broken_states import BROKEN_STATES, SOLUTIONS, FinishedApp

STATIC = Path(__file__).resolve().parent / "static"
APP = "http://127.0.0.1:"  # the app under test: its requests go over the network
FREECODECAMP = "https://www.freecodecamp.org"
# Where the learner's page is; its scripts are answered from static/.
FREECODECAMP_PAGE = f"{FREECODECAMP}/learn/quality-assurance/advanced-node-and-express/"
# The vendored scripts, as `npm pack chai@4.5.0` and `npm pack jquery@3.8.0`
# published them (chai.js; dist/jquery.min.js), each with its licence beside it.
VENDORED = {
    "chai.js": "bdc229d660afad0313fc10d6afb5a339956a18c4c6e819d3eb5d8b94f314c202",
    "chai.LICENSE": "b181da80336ff9dd1043fc8be1a764d7382363433319aa872e4d2cb5ce2a3066",
    "jquery.min.js": "42c9beb67d11f78edb63796d0d9bfb074d0fc1a20b47ad72fcb7fb0f3dc6a6fe",
    "jquery.LICENSE": "d4db9ebe6f29f5168eac45ad713f055623ac5d0dcd5ba92da23d650ae012020d",
}
CHECK_TIMEOUT_MS = 10_000  # a check that neither passes nor fails by then fails
STATES = (FinishedApp(), *SOLUTIONS, *BROKEN_STATES)


def hint_codes():
    """{"18.2": the JavaScript of lesson 18's second check}, as hints.json has it."""
    return {
        f"{lesson['order']}.{number}": hint["code"]
        for lesson in json.loads(HINTS_FILE.read_text(encoding="utf-8"))
        for number, hint in enumerate(lesson["hints"], start=1)
    }


def serve_freecodecamp(route):
    """Answers for www.freecodecamp.org: the test frame's page and its scripts
    from static/. A request anywhere else but the app is refused, as on a
    machine without internet."""
    url = route.request.url.split("?")[0]
    if not url.startswith(FREECODECAMP + "/"):
        route.abort()
    elif url == FREECODECAMP_PAGE:
        route.fulfill(path=STATIC / "freecodecamp.html")
    elif url.startswith(FREECODECAMP_PAGE) and (STATIC / url.removeprefix(FREECODECAMP_PAGE)).is_file():
        route.fulfill(path=STATIC / url.removeprefix(FREECODECAMP_PAGE))
    else:
        route.fulfill(status=404)


@pytest.fixture
def freecodecamp_page(browser, open_window):
    """A window at freeCodeCamp's page, ready to run checks."""
    context = browser.new_context()
    # Local Network Access: in recent Chrome and Chromium, a public site's page
    # may fetch 127.0.0.1 only with the person's permission. A learner
    # checking an app on their own machine is asked, when the first check
    # runs, whether www.freecodecamp.org may access apps and services on this
    # device; this is the learner who clicked Allow. Without it, every check
    # that awaits an answer fails with "TypeError: Failed to fetch".
    context.grant_permissions(["local-network-access"], origin=FREECODECAMP)
    context.route(lambda url: not url.startswith(APP), serve_freecodecamp)
    page = open_window("freecodecamp.org", context).page
    page.goto(FREECODECAMP_PAGE)
    loaded = page.evaluate("[typeof window.runCheck, typeof chai, typeof $]")
    assert loaded == ["function", "object", "function"], f"the page did not load its scripts from static/: {loaded}"
    return page


def browser_verdicts(page, url, codes):
    """{hint id: (passed, error message)}, each check run in the page in turn, as freeCodeCamp runs them."""
    verdicts = {}
    for hint_id, code in codes.items():
        result = page.evaluate(
            "([url, code, timeout]) => window.runCheck(url, code, timeout)", [url, code, CHECK_TIMEOUT_MS]
        )
        verdicts[hint_id] = (result["pass"], result["message"])
    return verdicts


def checker_verdicts(url, checks):
    """{hint id: (passed, why not)}: a check passes when none of its assertions is
    FAIL or CANNOT CHECK (freeCodeCamp shows the checks a Python app cannot pass as failed)."""
    verdicts = {f"{check.lesson}.{check.hint}": (True, "") for check in checks}
    for result in check_url(url, checks):
        hint_id = f"{result.check.lesson}.{result.check.hint}"
        if result.status != PASS and verdicts[hint_id][0]:
            verdicts[hint_id] = (False, f"{result.check.id} {result.status}: {result.reason}")
    return verdicts


def shown(verdict):
    passed, why = verdict
    return "pass" if passed else f"fail ({why})"


def test_vendored_chai_and_jquery_are_the_published_files():
    changed = [
        name for name, digest in VENDORED.items() if hashlib.sha256((STATIC / name).read_bytes()).hexdigest() != digest
    ]
    assert not changed, f"{changed} in tests/browser/static/ differ from what npm published"


def test_checker_and_browser_agree_on_every_check_in_every_state(freecodecamp_page, tmp_path, capsys):
    checks = load_checks()
    codes = hint_codes()
    assert sorted(codes) == sorted({f"{check.lesson}.{check.hint}" for check in checks})
    compared = 0
    disagreements = []
    not_broken = []
    for index, state in enumerate(STATES):
        folder = tmp_path / f"state-{index}"
        folder.mkdir()
        server = state.serve(folder, tmp_path / f"instance-{index}")
        try:
            in_browser = browser_verdicts(freecodecamp_page, server.url, codes)
            by_checker = checker_verdicts(server.url, checks)
        finally:
            server.stop()
        compared += len(codes)
        for hint_id in codes:
            if in_browser[hint_id][0] != by_checker[hint_id][0]:
                disagreements.append(
                    f"{state.name}, check {hint_id}: the checker says {shown(by_checker[hint_id])}, "
                    f"the browser says {shown(in_browser[hint_id])}"
                )
        passing_what_must_fail = sorted(hint_id for hint_id in state.must_fail if in_browser[hint_id][0])
        if passing_what_must_fail:
            not_broken.append(f"{state.name}: the browser passes {passing_what_must_fail}")

    summary = (
        f"{len(codes)} checks × {len(STATES)} states: checker and browser agree on "
        f"{compared - len(disagreements)} of {compared}"
    )
    with capsys.disabled():
        print(f"\n{summary}")
    assert not disagreements, summary + ":\n" + "\n".join(disagreements)
    assert not not_broken, "a broken state passes in the browser the checks it was broken to fail:\n" + "\n".join(
        not_broken
    )
