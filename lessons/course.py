"""The course as data: its 22 lessons, and the project's files as each lesson leaves them (the states 0 to 22).

State 0 is the boilerplate a learner starts lesson 1 from; state N is the
solution of lesson N, and the starting point of lesson N + 1. A state is
course/given/ (the files learners never edit), the given files kept at the
project root (ROOT_GIVEN_FILES), and the lesson's folder
course/NN-dashed-name/, whose files win over given ones of the same path.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from lessons.files import read_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COURSE_DIR = PROJECT_ROOT / "course"
HINTS_FILE = PROJECT_ROOT / "freeCodeCamp" / "hints.json"
GIVEN_FOLDER = "given"
BOILERPLATE_FOLDER = "00-boilerplate"
# Given files kept once, at the project root, so that nobody copies them by hand.
ROOT_GIVEN_FILES = (
    "fcctesting.py",
    "public/style.css",
    "public/socket.io.min.js",  # the Socket.IO browser client (socket.io-client 4.8.1), with its licence
    "public/socket.io-client.LICENSE",
    "views/layout.html",
    "views/profile.html",
)
LESSON_PAGES = "https://www.freecodecamp.org/learn/quality-assurance/advanced-node-and-express/"


class CourseError(Exception):
    """The course folder lacks something a command needs; the message says what."""


@dataclass(frozen=True)
class Lesson:
    """One lesson of freeCodeCamp/hints.json."""

    number: int
    title: str
    dashed_name: str

    @property
    def folder(self):
        """Its folder under course/, holding the learner's files as the lesson leaves them."""
        return f"{self.number:02d}-{self.dashed_name}"

    @property
    def page(self):
        """The lesson on freeCodeCamp."""
        return LESSON_PAGES + self.dashed_name


def load_lessons(hints_file=HINTS_FILE):
    """The lessons of freeCodeCamp/hints.json, in order."""
    hints = json.loads(Path(hints_file).read_text(encoding="utf-8"))
    return tuple(Lesson(hint["order"], hint["title"], hint["dashedName"]) for hint in sorted(hints, key=lambda h: h["order"]))


LESSONS = load_lessons()
LAST_LESSON = len(LESSONS)
STATES = range(LAST_LESSON + 1)


def lesson(number):
    """Lesson `number`, from 1 to 22."""
    return LESSONS[number - 1]


def folder_name(n):
    """The folder of state n under course/: 00-boilerplate, then each lesson's."""
    return BOILERPLATE_FOLDER if n == 0 else lesson(n).folder


def describe_state(n):
    """State n in words, e.g. 'the end of lesson 4'."""
    return "the boilerplate (the start of lesson 1)" if n == 0 else f"the end of lesson {n}"


def state(n, course_dir=COURSE_DIR, root=PROJECT_ROOT):
    """Every file of the project in state n, as {relative posix path: bytes}."""
    course_dir, root = Path(course_dir), Path(root)
    folder = course_dir / folder_name(n)
    if not folder.is_dir():
        raise CourseError(missing_folder_message(folder, n, course_dir))
    files = given_files(course_dir, root)
    files.update(read_folder(folder))
    return files


def given_files(course_dir=COURSE_DIR, root=PROJECT_ROOT):
    """The files of every state that learners never edit: course/given/ and ROOT_GIVEN_FILES."""
    given = Path(course_dir) / GIVEN_FOLDER
    if not given.is_dir():
        raise CourseError(f"{given} does not exist: it holds the files every lesson shares (views/, public/style.css ...)")
    files = read_folder(given)
    for name in ROOT_GIVEN_FILES:
        try:
            files[name] = (Path(root) / name).read_bytes()
        except FileNotFoundError:
            raise CourseError(f"{Path(root) / name} does not exist: every lesson needs it") from None
    return files


def missing_folder_message(folder, n, course_dir):
    """Says which folder is missing, and names folders of the course that may be it, misspelt."""
    message = f"{folder} does not exist: the course has no files for {describe_state(n)} yet"
    expected = {GIVEN_FOLDER} | {folder_name(k) for k in STATES}
    strays = sorted(path.name for path in Path(course_dir).glob("*") if path.is_dir() and path.name not in expected)
    if strays:
        message += f" (course folders that belong to no lesson: {', '.join(strays)}; is one of them misnamed?)"
    return message


def missing_states(course_dir=COURSE_DIR):
    """The states whose folder the course does not have (yet)."""
    return [n for n in STATES if not (Path(course_dir) / folder_name(n)).is_dir()]


def all_states(course_dir=COURSE_DIR, root=PROJECT_ROOT):
    """{n: state(n)} for every state whose folder exists."""
    missing = set(missing_states(course_dir))
    return {n: state(n, course_dir, root) for n in STATES if n not in missing}


def course_paths(states):
    """Every path that some state has: the files the course owns in a folder it is written into."""
    return set().union(*states.values())


def versions(states):
    """{path: every content it has in some state}: the contents the course can always give back."""
    known = {}
    for files in states.values():
        for path, content in files.items():
            known.setdefault(path, set()).add(content)
    return known
