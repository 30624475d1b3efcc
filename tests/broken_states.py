"""States of the app to run freeCodeCamp's checks against: the finished app,
the course's lesson solutions, and solutions broken on purpose, the way a
learner's project can be (a step left out, CORS turned off, an event renamed).

A course state is edited, then written into a folder of its own and served
by `python server.py` there (tests/lesson_app.py), as the course check serves
the solutions.
"""
import re
from dataclasses import dataclass, field

from lessons import course
from tests.lesson_app import LessonApp
from tests.server_process import ServerProcess


@dataclass(frozen=True)
class Edit:
    """Replaces what `pattern` (a regular expression) matches in `path` with
    `replacement`; it must match at least once, so an edit never silently does nothing."""

    path: str
    pattern: str
    replacement: str = ""

    def apply(self, files):
        text = files[self.path].decode("utf-8")
        edited, count = re.subn(self.pattern, self.replacement, text)
        if not count:
            raise AssertionError(f"{self.path} no longer contains {self.pattern!r}: the broken state cannot be built")
        files[self.path] = edited.encode("utf-8")


@dataclass(frozen=True)
class FinishedApp:
    """The project itself, served from its folder as tests/conftest.py's start_server does."""

    name: str = "the finished app"
    must_fail: frozenset = frozenset()

    def serve(self, folder, instance_path):
        return ServerProcess(instance_path)


@dataclass(frozen=True)
class CourseState:
    """Course state `lesson` (the solution of that lesson), with `edits` made to it."""

    name: str
    lesson: int
    edits: tuple = ()
    must_fail: frozenset = field(default_factory=frozenset)  # hints the edits make fail: "19.1"

    def serve(self, folder, instance_path):
        files = dict(course.state(self.lesson))
        for edit in self.edits:
            edit.apply(files)
        return LessonApp(self.lesson, folder, instance_path, files).server


# Lesson 19's step: the server's disconnect handler, with its Express quote.
NO_DISCONNECT_HANDLER = Edit("server.py", r'(?s)@socketio\.on\("disconnect"\).*?(?=@socketio\.on\()')
# fcctesting.py sends no Access-Control-Allow-Origin: freeCodeCamp's page cannot read any answer.
NO_CORS = Edit("fcctesting.py", r'response\.headers\["Access-Control-Allow-Origin"\] = origin', "pass  # CORS off")


def renamed(event, new_name):
    """The event renamed in the server and the page, whichever quotes each line uses."""
    pattern = rf"""(['"]){re.escape(event)}\1"""
    return (Edit("server.py", pattern, rf"\g<1>{new_name}\1"), Edit("public/client.js", pattern, rf"\g<1>{new_name}\1"))


SOLUTIONS = tuple(CourseState(f"lesson {n}'s solution", n) for n in (5, 13, 19, 22))
BROKEN_STATES = (
    CourseState(
        "lesson 22's solution without lesson 19's disconnect handler",
        22,
        (NO_DISCONNECT_HANDLER,),
        frozenset({"19.1"}),
    ),
    CourseState("lesson 22's solution with CORS off", 22, (NO_CORS,), frozenset({"2.1", "17.5", "22.1", "22.2"})),
    CourseState(
        "lesson 19's solution with 'user count' renamed 'usercount'",
        19,
        renamed("user count", "usercount"),
        frozenset({"18.2", "18.3", "19.2"}),
    ),
)
