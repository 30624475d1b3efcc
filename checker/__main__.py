"""python -m checker URL [--lesson N ...] [--freecodecamp-only]

Says, per lesson, whether freeCodeCamp will accept the app at URL (each check
passes, fails and why, or cannot be checked for a Python project), and whether
the step really works (behaviour.py). Exits with 1 when anything fails.
"""
import argparse
import sys

from checker.behaviour import DOES_NOT_WORK, WORKS, check_behaviour, log_out_regulars
from checker.browser import submitted_address
from checker.checks import FAIL, PASS, check_url, lesson_titles, load_checks


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checker", description=__doc__.split("\n\n")[1])
    parser.add_argument("url", help="the address you submit to freeCodeCamp, e.g. https://my-app.example.replit.app")
    parser.add_argument("--lesson", type=int, action="append", choices=range(1, 23), metavar="N", help="only lesson N (1 to 22); repeatable")
    parser.add_argument("--freecodecamp-only", action="store_true", help="only freeCodeCamp's checks: register no users")
    arguments = parser.parse_args(argv)
    try:
        code, warnings = submitted_address(arguments.url)
    except ValueError as error:
        parser.error(str(error))
    lessons = sorted(set(arguments.lesson or range(1, 23)))
    print(f"freeCodeCamp's checks against {code}, sent as from https://www.freecodecamp.org, without cookies.")
    print("".join(f"WARNING: {warning}\n" for warning in warnings), end="")
    results = check_url(code, [check for check in load_checks() if check.lesson in lessons])
    behaviour = {}
    if not arguments.freecodecamp_only:
        print("Using the app as a visitor does, to see whether each step really works...")
        regulars = []  # the users the checks share (visitor.py: Visit.regular)
        behaviour = {lesson: check_behaviour(code, lesson, regulars=regulars) for lesson in lessons}
        log_out_regulars(code, regulars)
    accepted = [lesson for lesson in lessons if all(r.status == PASS for r in results if r.check.lesson == lesson)]
    for lesson in lessons:
        print(f"\nLesson {lesson}: {lesson_titles()[lesson]} (freeCodeCamp will {'' if lesson in accepted else 'not '}accept it)")
        print("".join(f"  {r.status:<12} {r.check.id:<7} {r.check.text} — {r.reason}\n" for r in results if r.check.lesson == lesson), end="")
        if any(r.status == FAIL for r in results if r.check.lesson == lesson):
            print(f'  What to write, and the Express line each check looks for: LESSONS.md, "{lesson}. {lesson_titles()[lesson]}".')
        if lesson in behaviour:
            print("  The step itself: {} — {}".format(*behaviour[lesson]))
    passed, failed = (sum(r.status == status for r in results) for status in (PASS, FAIL))
    print(f"\n{passed} passed, {failed} failed, {len(results) - passed - failed} cannot be checked for a Python project (freeCodeCamp shows those as failed).")
    print("Lessons freeCodeCamp will accept: " + (", ".join(map(str, accepted)) or "none") + ".")
    if behaviour:
        print("Lessons whose step works: " + (", ".join(str(n) for n, (status, _) in behaviour.items() if status == WORKS) or "none") + ".")
    return 1 if failed or any(status == DOES_NOT_WORK for status, _ in behaviour.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
