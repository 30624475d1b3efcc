"""The checker against the real server (`python server.py`): the lessons that
LESSONS.md records as passing pass, from the command line."""
import re
import subprocess
import sys

from checker.lessons_md import tables_in
from tests.conftest import PROJECT_ROOT

COMMAND_TIMEOUT = 120
# Lessons that must always pass: the Socket.IO lessons, whose checks read this
# project's code and the /_api/package.json that fcctesting.py writes.
ALWAYS_PASSING = {17, 18, 19, 20, 21, 22}


def lessons_recorded_as_passing():
    """The lessons whose every check LESSONS.md records as PASS."""
    text = (PROJECT_ROOT / "LESSONS.md").read_text(encoding="utf-8")
    return sorted(
        lesson
        for lesson, table in tables_in(text).items()
        if set(re.findall(r"^\| [\d.]+ \| .*? \| (PASS|FAIL|CANNOT CHECK) \|", table, re.MULTILINE)) == {"PASS"}
    )


def test_socket_io_lessons_are_recorded_as_passing():
    assert set(lessons_recorded_as_passing()) >= ALWAYS_PASSING


def test_lessons_recorded_as_passing_pass_from_the_command_line(live_server):
    lessons = lessons_recorded_as_passing()
    arguments = [argument for lesson in lessons for argument in ("--lesson", str(lesson))]
    finished = subprocess.run(
        [sys.executable, "-m", "checker", live_server.url, *arguments],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert f"Lessons freeCodeCamp will accept: {', '.join(map(str, lessons))}." in finished.stdout
    assert " FAIL " not in finished.stdout and "CANNOT CHECK" not in finished.stdout


def test_whole_run_fails_and_says_which_lessons_pass(live_server):
    finished = subprocess.run(
        [sys.executable, "-m", "checker", live_server.url],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )
    assert finished.returncode == 1, "lessons 3 to 12 read server.js as it was before lesson 13, so some checks fail"
    assert f"Lessons freeCodeCamp will accept: {', '.join(map(str, lessons_recorded_as_passing()))}." in finished.stdout
