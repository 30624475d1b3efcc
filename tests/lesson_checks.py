"""freeCodeCamp's source checks for one lesson, as the checker reads them from
freeCodeCamp/hints.json, with their patterns translated as JavaScript means them."""
from checker.checks import load_checks
from checker.js_regex import compile_js_regex


def source_checks(lesson):
    """[(path, regex)] for every `assert.match` of a lesson on a file the app serves."""
    return [
        (path, compile_js_regex(*check.match))
        for check in load_checks()
        if check.lesson == lesson and check.match
        and (path := check.requests[-1].split(" ")[1].partition("}")[2]).startswith(("/_api/", "/public/"))
    ]
