"""The checker's behaviour checks (checker/behaviour.py), run against real servers.

For every lesson, its solution (state n of the course, served as
tests/test_course.py serves it) WORKS, or is NOT CHECKED where the check says
so; and its starting point (state n - 1) DOES NOT WORK, so that each check
really tests its step, except the lessons in SAME_AS_STARTING_POINT. The
finished app at the root WORKS for every lesson but 15 and 16 (GitHub).

Each state is served once, for both lessons it is checked for: as one's
solution and the next one's starting point.
"""
import pytest

from checker.behaviour import DOES_NOT_WORK, NOT_CHECKED, WORKS, check_behaviour
from lessons import course
from tests.lesson_app import LessonApp
from tests.server_process import ServerProcess

pytestmark = pytest.mark.live

# Seconds to wait for a Socket.IO event: a starting point that never sends one costs this.
EVENT_TIMEOUT = 3
# Lessons whose step cannot be seen from outside in their own solution, which
# registers nobody yet (the checks use a fresh user from lesson 11 on).
NOT_CHECKED_IN_SOLUTION = {3, 4, 6, 9, 16}
# Lessons whose step changes nothing a visitor sees: their check is that the
# app still works, which it did before the step too.
SAME_AS_STARTING_POINT = {
    12: "hashing passwords: registering and logging in work the same before and after",
    13: "moving the code into modules: the app works the same before and after",
}
CASES = sorted(
    [(n, n, NOT_CHECKED if n in NOT_CHECKED_IN_SOLUTION else WORKS) for n in range(1, course.LAST_LESSON + 1)]
    + [
        (n, n - 1, NOT_CHECKED if n in NOT_CHECKED_IN_SOLUTION else WORKS if n in SAME_AS_STARTING_POINT else DOES_NOT_WORK)
        for n in range(1, course.LAST_LESSON + 1)
    ],
    key=lambda case: (case[1], case[0]),
)


@pytest.fixture(scope="module")
def serve_state(tmp_path_factory):
    """serve_state(n): state n of the course, running; the one before it is stopped, so one runs at a time."""
    running = {}

    def serve(n):
        if n not in running:
            for app in running.values():
                app.server.stop()
            running.clear()
            folder = tmp_path_factory.mktemp(f"state-{n}")
            running[n] = LessonApp(n, folder, folder / "unused-instance")
        return running[n]

    yield serve
    for app in running.values():
        app.server.stop()


def case_id(case):
    lesson, state, expected = case
    return f"lesson{lesson}-{'solution' if state == lesson else 'starting-point'}"


@pytest.mark.parametrize(("lesson", "state", "expected"), CASES, ids=map(case_id, CASES))
def test_lesson_check_on_course_state(serve_state, lesson, state, expected):
    app = serve_state(state)
    status, reason = check_behaviour(app.url, lesson, event_timeout=EVENT_TIMEOUT)
    print(f"lesson {lesson} on state {state}: {status}: {reason}")
    assert status == expected, (
        f"lesson {lesson}'s check on state {state} says {status} ({reason}), not {expected}.\n"
        f"The server printed:\n{''.join(app.server.output)}"
    )
    assert "Traceback" not in "".join(app.server.output), "".join(app.server.output)


@pytest.fixture(scope="module")
def finished_app(tmp_path_factory):
    """The finished app at the root (`python server.py`), without GitHub set up."""
    server = ServerProcess(tmp_path_factory.mktemp("finished"), GITHUB_CLIENT_ID=None, GITHUB_CLIENT_SECRET=None)
    yield server
    server.stop()


@pytest.mark.parametrize("lesson", [n for n in range(1, course.LAST_LESSON + 1) if n not in (15, 16)])
def test_the_finished_app_works(finished_app, lesson):
    status, reason = check_behaviour(finished_app.url, lesson, event_timeout=EVENT_TIMEOUT)
    assert status == WORKS, f"lesson {lesson} on the finished app: {status}: {reason}"


def test_the_finished_app_without_github_says_so_for_lesson_15(finished_app):
    status, reason = check_behaviour(finished_app.url, 15)
    assert (status, "GITHUB_CLIENT_ID" in reason) == (DOES_NOT_WORK, True), reason
    assert check_behaviour(finished_app.url, 16)[0] == NOT_CHECKED
