"""python -m checker URL [--lesson N ...] [--freecodecamp-only]

Runs freeCodeCamp's checks for the "Advanced Node and Express" lessons against
the address you are about to submit, the way freeCodeCamp's page runs them,
and says for each whether it passes, fails (and why), or cannot be checked
for a Python project. Then, for each lesson, it uses the app as a visitor
does (behaviour.py) and says whether the step really works. Exits with 1 when
a check fails or a step does not work.
"""
import argparse
import sys

from checker.behaviour import DOES_NOT_WORK, WORKS, check_behaviour
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
    parser.add_argument(
        "--freecodecamp-only", action="store_true",
        help="run only freeCodeCamp's checks, not the checks of what each step does (which register users of their own)",
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
    lessons = sorted({hint.lesson for hint in hints})
    behaviour = {}
    if not arguments.freecodecamp_only:
        print("Using the app as a visitor does, to see whether each step really works...")
        behaviour = {lesson: check_behaviour(code, lesson) for lesson in lessons}
    print_report(results, behaviour)
    failed = any(result.status == FAIL for result in results)
    return 1 if failed or any(status == DOES_NOT_WORK for status, _ in behaviour.values()) else 0


def print_report(results, behaviour):
    """One line per check, grouped by lesson, each lesson with whether its step works, then a summary."""
    titles = lesson_titles()
    lessons = sorted({result.hint.lesson for result in results})
    accepted = []
    for lesson in lessons:
        in_lesson = [result for result in results if result.hint.lesson == lesson]
        if all(result.status == PASS for result in in_lesson):
            accepted.append(lesson)
        verdict = "freeCodeCamp will accept it" if lesson in accepted else "freeCodeCamp will not accept it"
        print(f"\nLesson {lesson}: {titles[lesson]} ({verdict})")
        for result in in_lesson:
            print(f"  {result.status:<12} {result.assertion.id:<7} {result.hint.text} — {result.reason}")
        if lesson in behaviour:
            status, reason = behaviour[lesson]
            print(f"  The step itself: {status} — {reason}")
    counts = {status: sum(result.status == status for result in results) for status in (PASS, FAIL)}
    cannot = len(results) - counts[PASS] - counts[FAIL]
    print(
        f"\n{counts[PASS]} passed, {counts[FAIL]} failed, {cannot} cannot be checked for a Python project "
        "(freeCodeCamp shows those as failed)."
    )
    print("Lessons freeCodeCamp will accept: " + (", ".join(map(str, accepted)) or "none") + ".")
    if behaviour:
        working = [lesson for lesson, (status, _) in sorted(behaviour.items()) if status == WORKS]
        print("Lessons whose step works: " + (", ".join(map(str, working)) or "none") + ".")


if __name__ == "__main__":
    sys.exit(main())
