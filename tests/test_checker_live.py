"""The checker against the finished app (`python server.py`), from the command
line: the lessons whose code the finished app keeps where freeCodeCamp
looks pass. (Every lesson's own solution is checked by tests/test_course.py.)"""
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

COMMAND_TIMEOUT = 120
# Lessons that must always pass: the Socket.IO lessons, whose checks read this
# project's code and the /_api/package.json that fcctesting.py writes.
ALWAYS_PASSING = {17, 18, 19, 20, 21, 22}
# Every lesson the finished app passes. Lessons 3 to 12 read server.js as it
# was before lesson 13 moved their code into routes.js and auth.js; lessons
# 1 and 14 read the Express app object, which no Python project has.
FINISHED_APP_PASSES = [2, 13, 15, 16, *sorted(ALWAYS_PASSING)]


def test_the_finished_app_passes_the_socket_io_lessons_from_the_command_line(live_server):
    lessons = sorted(ALWAYS_PASSING)
    arguments = [argument for lesson in lessons for argument in ("--lesson", str(lesson))]
    finished = subprocess.run(
        [sys.executable, "-m", "checker", live_server.url, *arguments],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert f"Lessons freeCodeCamp will accept: {', '.join(map(str, lessons))}." in finished.stdout
    assert " FAIL " not in finished.stdout and "CANNOT CHECK" not in finished.stdout
    # Beside freeCodeCamp's verdict, each lesson says whether its step really works.
    assert finished.stdout.count("The step itself: WORKS") == len(lessons), finished.stdout
    assert f"Lessons whose step works: {', '.join(map(str, lessons))}." in finished.stdout


def test_freecodecamp_only_leaves_the_app_unused(live_server):
    finished = subprocess.run(
        [sys.executable, "-m", "checker", live_server.url, "--lesson", "19", "--freecodecamp-only"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "The step itself" not in finished.stdout and "Lessons whose step works" not in finished.stdout
    assert "POST /register" not in "".join(live_server.output), "the checker registered a user"


def test_whole_run_fails_and_says_which_lessons_pass(live_server):
    finished = subprocess.run(
        [sys.executable, "-m", "checker", live_server.url],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )
    assert finished.returncode == 1, "lessons 3 to 12 read server.js as it was before lesson 13, so some checks fail"
    assert f"Lessons freeCodeCamp will accept: {', '.join(map(str, FINISHED_APP_PASSES))}." in finished.stdout
    # A lesson with a failing check points to where the guide says what to write; one without, not.
    assert 'LESSONS.md, "3. Set up Passport".' in finished.stdout, finished.stdout
    assert 'LESSONS.md, "19. Handle a Disconnect".' not in finished.stdout
