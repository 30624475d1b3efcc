"""The course, checked: for every lesson, its solution (course/NN-*/, with the
given files) starts with `python server.py` in a folder of its own, passes
every one of the lesson's freeCodeCamp checks that a Python project can pass,
run as freeCodeCamp runs them, and does what the lesson builds: the
checker's behaviour check of the lesson (checker/behaviour.py) says it WORKS,
or NOT CHECKED where nothing of it shows from outside yet, and the extra
checks of tests/lesson_extras.py, which look inside the lesson's folder, pass.
Its starting point, the solution of the lesson before, fails that lesson's
freeCodeCamp checks and behaviour check, so both really test the step.

Each lesson's table of check results in LESSONS.md, and its row in
README.md's table of the lessons freeCodeCamp accepts, must be what the
checker says about its solution; `UPDATE_LESSONS_MD=1 python -m pytest -m
course` rewrites them. At the end the run prints one row per lesson, and saves that
table to test-artifacts/course-check.md.
"""
import os
import subprocess
import sys

import pytest

from checker.behaviour import DOES_NOT_WORK, NOT_CHECKED, WORKS, check_behaviour
from checker.checks import FAIL, PASS, check_url, lesson_titles, load_checks
from fcctesting import listed_packages
from lessons import course
from tests.conftest import COURSE_TABLE
from tests.doc_tables import (
    LESSONS_MD,
    README_MD,
    REGENERATE,
    accepted_rows_in,
    express_only,
    tables_in,
    with_accepted,
    with_tables,
)
from tests.lesson_app import LessonApp
from tests.lesson_extras import extra
from tests.server_process import PROJECT_ROOT
from tests.socket_clients import ChatClient, RawTab

pytestmark = [pytest.mark.live, pytest.mark.course]

CHECKS = load_checks()
TITLES = lesson_titles()
ARTIFACT = PROJECT_ROOT / "test-artifacts" / "course-check.md"
ROWS = {}
LESSONS_TEXT = LESSONS_MD.read_text(encoding="utf-8")
README_TEXT = README_MD.read_text(encoding="utf-8")
UPDATE_LESSONS_MD = bool(os.environ.get("UPDATE_LESSONS_MD"))
CHECKED = []  # every lesson's results on its solution, to rewrite LESSONS.md's tables and README.md's rows from
# Seconds to wait for a Socket.IO event: a starting point that never sends one costs this.
EVENT_TIMEOUT = 3
# Lessons whose step cannot be seen from outside in their own solution, which
# registers nobody yet (the behaviour checks use a fresh user from lesson 11 on);
# tests/lesson_extras.py checks them inside the lesson's folder.
NOT_CHECKED_IN_SOLUTION = {3, 4, 6, 9, 16}
# Lessons whose step changes nothing a visitor sees: their behaviour check is
# that the app still works, which it did before the step too.
SAME_AS_STARTING_POINT = {
    12: "hashing passwords: registering and logging in work the same before and after",
    13: "moving the code into modules: the app works the same before and after",
}
@pytest.fixture
def serve_state(tmp_path):
    """serve_state(n): state n of the course, running; stopped after the test."""
    apps = []

    def serve(n):
        folder = tmp_path / f"state-{n}"
        folder.mkdir()
        apps.append(LessonApp(n, folder, tmp_path / "unused-instance"))
        return apps[-1]

    yield serve
    RawTab.close_all()
    for app in apps:
        app.server.stop()
    ChatClient.close_all()


@pytest.fixture(scope="module", autouse=True)
def course_table(request):
    """Prints and saves the table of every lesson checked, once they all ran
    (and with UPDATE_LESSONS_MD, rewrites LESSONS.md's tables and README.md's rows)."""
    yield
    if UPDATE_LESSONS_MD and CHECKED:
        LESSONS_MD.write_text(with_tables(LESSONS_MD.read_text(encoding="utf-8"), CHECKED), encoding="utf-8")
        README_MD.write_text(with_accepted(README_MD.read_text(encoding="utf-8"), CHECKED), encoding="utf-8")
    if not ROWS:
        return
    lines = [
        "| lesson | freeCodeCamp's checks on the solution | freeCodeCamp accepts it | starting point fails it | what it builds works |",
        "| --- | --- | --- | --- | --- |",
        *(ROWS[n] for n in sorted(ROWS)),
    ]
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text("\n".join(lines) + "\n")
    request.config.stash[COURSE_TABLE] = lines


def checks_of(lesson, url):
    return check_url(url, [check for check in CHECKS if check.lesson == lesson])


def behaviour_of(lesson, app):
    """(status, reason) of the checker's behaviour check of the lesson on `app`, which must not fail while checked."""
    status, reason = check_behaviour(app.url, lesson, event_timeout=EVENT_TIMEOUT)
    printed = "".join(app.server.output)
    assert "Traceback" not in printed, f"{app.folder.name} failed while lesson {lesson} was checked:\n{printed}"
    return status, reason


@pytest.mark.parametrize("n", range(1, course.LAST_LESSON + 1))
def test_lesson_solution(serve_state, n):
    starting_point = serve_state(n - 1)
    before = checks_of(n, starting_point.url)
    works_before = behaviour_of(n, starting_point)
    starting_point.server.stop()
    solution = serve_state(n)
    after = checks_of(n, solution.url)

    failed = [f"{r.check.id} {r.status}: {r.reason}" for r in after if r.status != PASS and not express_only(r)]
    assert not failed, f"the solution of lesson {n} fails freeCodeCamp's checks:\n" + "\n".join(failed)
    assert any(r.status == FAIL for r in before), f"lesson {n}'s checks already pass on its starting point"
    expected = NOT_CHECKED if n in NOT_CHECKED_IN_SOLUTION else WORKS if n in SAME_AS_STARTING_POINT else DOES_NOT_WORK
    assert works_before[0] == expected, f"lesson {n}'s behaviour check on its starting point: {works_before}, not {expected}"
    try:
        extra(solution, n)  # first, while only its own sockets are open: it counts them
    except AssertionError as failure:
        raise AssertionError(f"{failure}\nThe server printed:\n{''.join(solution.server.output)}") from None
    works = behaviour_of(n, solution)
    assert works[0] == (NOT_CHECKED if n in NOT_CHECKED_IN_SOLUTION else WORKS), f"lesson {n}'s solution: {works}"
    if UPDATE_LESSONS_MD:
        CHECKED.extend(after)
    else:
        recorded = tables_in(LESSONS_TEXT).get(n)
        assert recorded == tables_in(with_tables(LESSONS_TEXT, after))[n], f"LESSONS.md's table of lesson {n} is out of date: {REGENERATE}"
        recorded = accepted_rows_in(README_TEXT).get(n)
        assert recorded == accepted_rows_in(with_accepted(README_TEXT, after))[n], f"README.md's row of lesson {n} is out of date: {REGENERATE}"

    passed = sum(r.status == PASS for r in after)
    unpassable = [r.check.id for r in after if express_only(r)]
    ROWS[n] = (
        f"| {n}. {TITLES[n]} | {passed} of {len(after)} pass"
        + (f" ({', '.join(unpassable)} read Express's app object)" if unpassable else "")
        + f" | {'no' if unpassable else 'yes'} | yes ({sum(r.status == FAIL for r in before)} fail)"
        + f" | {'yes' if works[0] == WORKS else 'yes, seen inside its folder'} |"
    )


def test_every_lesson_needs_only_what_the_app_installs():
    """Installing the project (requirements.txt at the root) installs every lesson's requirements too."""
    installed = listed_packages((PROJECT_ROOT / "requirements.txt").read_text())
    for n in course.STATES:
        needed = listed_packages(course.state(n)["requirements.txt"].decode())
        assert needed.keys() <= installed.keys(), f"state {n} needs {sorted(needed.keys() - installed.keys())}, which requirements.txt does not install"


def test_lesson_states_are_clean_python():
    """Learners read the solutions: they keep to the project's ruff rules."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "course"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout

