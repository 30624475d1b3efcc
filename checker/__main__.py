"""python -m checker URL [--lesson N ...]

Runs freeCodeCamp's checks for the "Advanced Node and Express" lessons against
the address you are about to submit, the way freeCodeCamp's page runs them,
and says for each whether it passes, fails (and why), or cannot be checked
for a Python project. Exits with 1 when a check fails.
"""
import argparse
import sys

from checker.hints import lesson_titles, load_hints
from checker.run import FAIL, PASS, BadAddress, check_url, submitted_address


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m checker",
        description="Run freeCodeCamp's checks for Advanced Node and Express against your app's address.",
    )
    parser.add_argument("url", help="the address you submit to freeCodeCamp, e.g. https://my-app.example.replit.app")
    parser.add_argument(
        "--lesson", type=int, action="append", choices=range(1, 23), metavar="N",
        help="check only lesson N (1 to 22); repeat for several lessons",
    )
    arguments = parser.parse_args(argv)
    try:
        code, warnings = submitted_address(arguments.url)
    except BadAddress as error:
        parser.error(str(error))
    hints = [hint for hint in load_hints() if not arguments.lesson or hint.lesson in arguments.lesson]
    print(f"freeCodeCamp's checks against {code}, sent as from https://www.freecodecamp.org, without cookies.")
    for warning in warnings:
        print(f"WARNING: {warning}")
    results = check_url(code, hints)
    print_report(results)
    return 1 if any(result.status == FAIL for result in results) else 0


def print_report(results):
    """One line per check, grouped by lesson, then a summary."""
    titles = lesson_titles()
    lessons = sorted({result.hint.lesson for result in results})
    for lesson in lessons:
        in_lesson = [result for result in results if result.hint.lesson == lesson]
        print(f"\nLesson {lesson}: {titles[lesson]} ({lesson_verdict(in_lesson)})")
        for result in in_lesson:
            print(f"  {result.status:<12} {result.assertion.id:<7} {result.hint.text} — {result.reason}")
    counts = {status: sum(result.status == status for result in results) for status in (PASS, FAIL)}
    cannot = len(results) - counts[PASS] - counts[FAIL]
    print(
        f"\n{counts[PASS]} passed, {counts[FAIL]} failed, {cannot} cannot be checked for a Python project "
        "(freeCodeCamp shows those as failed)."
    )
    passing = [lesson for lesson in lessons if all(r.status == PASS for r in results if r.hint.lesson == lesson)]
    print("Lessons freeCodeCamp will accept: " + (", ".join(map(str, passing)) or "none") + ".")


def lesson_verdict(results):
    if all(result.status == PASS for result in results):
        return "freeCodeCamp will accept it"
    return "freeCodeCamp will not accept it"


if __name__ == "__main__":
    sys.exit(main())
