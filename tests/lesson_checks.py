"""freeCodeCamp's source checks, read from freeCodeCamp/hints.json and turned
into Python regular expressions, so the tests can apply them as freeCodeCamp's
runner does."""
import json
import re
from pathlib import Path

HINTS = Path(__file__).resolve().parent.parent / "freeCodeCamp" / "hints.json"

# `new URL("/_api/server.js", code)`: the path a check fetches.
FETCHED_PATH = re.compile(r'new URL\("([^"]+)"')
# `assert.match(data, /pattern/flags`: a JavaScript regular expression literal.
MATCHED_LITERAL = re.compile(r"assert\.match\(\s*data,\s*/((?:\\.|\[(?:\\.|[^\]\\])*\]|[^/\\\n])+)/([a-z]*)")


def js_regex(source, flags):
    """The Python equivalent of the JavaScript literal /source/flags."""
    python_flags = (re.DOTALL if "s" in flags else 0) | (re.IGNORECASE if "i" in flags else 0)
    source = source.replace("[^]", r"[\s\S]")
    source = re.sub(r"\(\?<(\w+)>", r"(?P<\1>", source)
    source = re.sub(r"\\k<(\w+)>", r"(?P=\1)", source)
    return re.compile(source, python_flags)


def source_checks(lesson):
    """[(path, regex)] for every `assert.match` on a fetched file in a lesson."""
    hints = next(entry for entry in json.loads(HINTS.read_text()) if entry["order"] == lesson)["hints"]
    checks = []
    for hint in hints:
        path = FETCHED_PATH.search(hint["code"])
        for source, flags in MATCHED_LITERAL.findall(hint["code"]):
            checks.append((path.group(1), js_regex(source, flags)))
    return checks
