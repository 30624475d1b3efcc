"""freeCodeCamp's source checks for one lesson, as the checker reads them from
freeCodeCamp/hints.json, with their patterns translated as JavaScript means them."""
from checker.hints import load_hints
from checker.js_regex import compile_js_regex


def source_checks(lesson):
    """[(path, regex)] for every `assert.match` of a lesson on a file the app serves."""
    return [
        (assertion.request.path, compile_js_regex(*assertion.pattern))
        for hint in load_hints()
        if hint.lesson == lesson
        for assertion in hint.assertions
        if assertion.pattern and not assertion.cannot_check
        and assertion.request.path.startswith(("/_api/", "/public/"))
    ]
