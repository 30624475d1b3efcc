"""freeCodeCamp's checks, read from the reviewed table freeCodeCamp/checks.json.

Each lesson has hints (a sentence and the JavaScript that tests it); each
hint makes requests and asserts things about the answers. extract.py wrote
the table from freeCodeCamp/hints.json, one entry per assertion; this module
turns the entries into Hint, Assertion and Request objects for run.py.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

FREECODECAMP = Path(__file__).resolve().parent.parent / "freeCodeCamp"
HINTS_FILE = FREECODECAMP / "hints.json"
CHECKS_FILE = FREECODECAMP / "checks.json"
NEW_URL = "new URL(path, code)"  # the path replaces any path the submitted address has
CODE_PLUS_PATH = "code + path"  # the path is added to the submitted address
NODE_ONLY = {
    "/_api/app": (
        "it reads /_api/app, the settings of the Express app object (`app.settings`); "
        "a Flask app has no such object, so this project does not serve it"
    ),
    "/_api/app-stack": (
        "it reads /_api/app-stack, Express's list of route handlers (`app._router.stack`); "
        "Flask keeps its routes differently, so this project does not serve it"
    ),
}


@dataclass(frozen=True)
class Request:
    """One request a check makes, as freeCodeCamp's page makes it."""

    method: str
    path: str
    join: str  # NEW_URL or CODE_PLUS_PATH
    body: str | None  # "username=<new user>&password=<new user>" or None
    with_credentials: bool
    awaited: bool  # does the check wait for the answer?
    must_be: str | None  # "res.ok" or "this.status == 200": the check stops otherwise
    after: "Request | None"  # a request that must succeed first

    def chain(self):
        """This request and those it waits for, first first."""
        return [*(self.after.chain() if self.after else []), self]


@dataclass(eq=False)
class Assertion:
    """One `assert.*` call of a check."""

    id: str  # lesson.hint.assertion, e.g. "18.2.1"
    request: Request
    pattern: tuple | None = None  # (source, flags), or ("username", flags) for new RegExp(user, flags)
    replace: tuple | None = None  # (source, flags, replacement) applied to the text first
    json_property: tuple | None = None  # ("dependencies", "pug"): assert.property(packJson.dependencies, 'pug')
    cannot_check: str = ""  # why it cannot be checked; empty when it can


@dataclass(eq=False)
class Hint:
    """One of freeCodeCamp's checks: a sentence and the assertions that test it."""

    lesson: int
    number: int
    text: str
    assertions: list = field(default_factory=list)


def load_hints(path=CHECKS_FILE):
    """Every hint of the 22 lessons, in order, with its assertions."""
    hints = {}
    for entry in json.loads(Path(path).read_text(encoding="utf-8")):
        key = (entry["lesson"], entry["hint"])
        hint = hints.setdefault(key, Hint(entry["lesson"], entry["hint"], entry["text"]))
        hint.assertions.append(assertion(entry))
    return list(hints.values())


def assertion(entry):
    """An Assertion from one entry of the table."""
    match, replace, json_property = entry.get("match"), entry.get("replace"), entry.get("property")
    return Assertion(
        entry["id"],
        request(entry["request"]),
        pattern=(match.get("source", "username"), match["flags"]) if match else None,
        replace=(replace["source"], replace["flags"], replace["with"]) if replace else None,
        json_property=(json_property["of"], json_property["name"]) if json_property else None,
        cannot_check=entry.get("cannot check", ""),
    )


def request(fields):
    return Request(**{**fields, "after": request(fields["after"]) if fields["after"] else None})


def lesson_titles(path=HINTS_FILE):
    return {lesson["order"]: lesson["title"] for lesson in json.loads(Path(path).read_text(encoding="utf-8"))}
