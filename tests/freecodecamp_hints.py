"""freeCodeCamp's checks (freeCodeCamp/hints.json), read so that tests can
run the ones that apply to a Python project.

Each check is JavaScript that fetches a file from the learner's app and
matches regular expressions against it. The ones this module finds are the
`assert.match(data, /.../flags, ...)` calls on a file fetched from
`/_api/<name>.js`; the rest (package.json's dependencies, Express's route
stack from /_api/app-stack) describe a Node project and cannot pass here.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

HINTS = Path(__file__).resolve().parent.parent / "freeCodeCamp" / "hints.json"

FETCHED_FILE = re.compile(r"""['"](/_api/[\w.]+\.js)['"]""")
REGEX_ASSERTION = re.compile(
    r"assert\.match\(\s*(?P<subject>data(?:\.replace\(/\\s/g, ''\))?)\s*,\s*/(?P<pattern>.+?)/(?P<flags>[gimsuy]*)\s*,"
    r"\s*(?P<quote>['\"])(?P<message>.*?)(?P=quote)",
    re.DOTALL,
)


@dataclass(frozen=True)
class RegexCheck:
    lesson: str
    path: str  # e.g. "/_api/routes.js"
    pattern: re.Pattern
    without_whitespace: bool  # the check strips all whitespace first
    message: str  # what freeCodeCamp tells the learner when it fails

    def passes(self, text):
        if self.without_whitespace:
            text = re.sub(r"\s", "", text)
        return self.pattern.search(text) is not None


def regex_checks(lesson_orders):
    """The regex checks of the lessons numbered `lesson_orders` (1-22)."""
    checks = []
    for lesson in json.loads(HINTS.read_text(encoding="utf-8")):
        if lesson["order"] not in lesson_orders:
            continue
        for hint in lesson["hints"]:
            fetched = FETCHED_FILE.search(hint["code"])
            if fetched is None:
                continue
            for match in REGEX_ASSERTION.finditer(hint["code"]):
                checks.append(
                    RegexCheck(
                        lesson=lesson["title"],
                        path=fetched.group(1),
                        pattern=python_regex(match["pattern"], match["flags"]),
                        without_whitespace=match["subject"] != "data",
                        message=match["message"],
                    )
                )
    return checks


def python_regex(pattern, flags):
    """A JavaScript regex literal's body and flags, as a Python regex."""
    pattern = pattern.replace("[^]", r"[\s\S]")  # JavaScript's "any character at all"
    pattern = re.sub(r"\(\?<(\w+)>", r"(?P<\1>", pattern)  # named group
    pattern = re.sub(r"\\k<(\w+)>", r"(?P=\1)", pattern)  # back-reference to it
    options = (re.IGNORECASE if "i" in flags else 0) | (re.DOTALL if "s" in flags else 0)
    return re.compile(pattern, options)
