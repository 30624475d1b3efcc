"""LESSONS.md says only what is true: every file and name it points to exists
(its tables are checked by the course check, tests/test_course.py).

A lesson's section describes that lesson's solution, so what it names is
looked for there (`lessons.course.state(n)`); the other sections describe the
project root, the finished app. Files that no lesson has, such as README.md or
presence.py, are looked for at the project root wherever they are named.
"""
import ast
import functools
import re
from pathlib import PurePosixPath

import pytest

from checker.checks import lesson_titles
from lessons import course
from tests.conftest import PROJECT_ROOT
from tests.doc_tables import LESSONS_MD, tables_in

TEXT = LESSONS_MD.read_text(encoding="utf-8")
# `file:name`, e.g. `routes.py:login`, `views/index.html:pug-variable`, `requirements.txt:bcrypt`.
REFERENCE = re.compile(r"`([\w./-]+\.(?:py|html|js|txt)):([^`]+)`")
# `file` alone, for files of this project (the Node originals such as `routes.js` have no folder).
FILE = re.compile(r"`((?:[\w-]+/)+[\w.-]+\.\w+|[\w-]+\.(?:py|html|md|txt))`")
SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
LESSON_HEADING = re.compile(r"(\d+)\. ")
ROOT = "the project root"
# Made by the app as it runs (the database, the sessions), so in no lesson's files.
RUNTIME_FOLDER = "instance"


def sections(text):
    """(where, body) for each `## ` section: where is a lesson's number, or ROOT."""
    headings = list(SECTION.finditer(text))
    for heading, following in zip(headings, headings[1:] + [None], strict=True):
        lesson = LESSON_HEADING.match(heading.group(1))
        body = text[heading.end():following.start() if following else len(text)]
        yield (int(lesson.group(1)) if lesson else ROOT), body


def references(pattern):
    """Every distinct (where, match) of `pattern` in LESSONS.md, with where as in sections(), as test parameters.
    Paths under RUNTIME_FOLDER are left out: no lesson has them until the app runs."""
    found = {(ROOT, match) for match in pattern.findall(TEXT[:SECTION.search(TEXT).start()])}
    for where, body in sections(TEXT):
        found.update((where, match) for match in pattern.findall(body))
    return [
        pytest.param(where, match, id=param_id(where, match))
        for where, match in sorted(found, key=str)
        if PurePosixPath(match[0] if isinstance(match, tuple) else match).parts[0] != RUNTIME_FOLDER
    ]


def param_id(where, match):
    """E.g. "lesson 4: server.py:deserialize_user" or "root: README.md"."""
    place = "root" if where == ROOT else f"lesson {where}"
    return f"{place}: {':'.join(match) if isinstance(match, tuple) else match}"


@functools.cache
def course_files():
    """Every path some state of the course has: a lesson's section names these as its solution has them."""
    return course.course_paths(course.all_states())


def read(where, filename):
    """The text of `filename` as `where` has it (a lesson's solution, or the project root), or None."""
    if where != ROOT and filename in course_files():
        content = course.state(where).get(filename)
        return None if content is None else content.decode("utf-8")
    path = PROJECT_ROOT / filename
    return path.read_text(encoding="utf-8") if path.is_file() else None


def in_words(where):
    return where if where == ROOT else f"the solution of lesson {where}"


def test_every_lesson_has_a_section_in_order_with_its_check_table():
    headings = [(int(number), title) for number, title in re.findall(r"^## (\d+)\. (.+)$", TEXT, re.MULTILINE)]
    assert headings == sorted(lesson_titles().items()), "one section per lesson, in order, with freeCodeCamp's title"
    assert sorted(tables_in(TEXT)) == list(range(1, 23)), "every lesson needs its table of checks"


def definitions(source):
    """Every function, class and variable a Python file defines, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def is_in(filename, text, name):
    suffix = PurePosixPath(filename).suffix
    if suffix == ".py":
        return name in definitions(text)
    if suffix == ".txt":
        return re.search(rf"^{re.escape(name)}[<>=~! \[]", text, re.MULTILINE | re.IGNORECASE) is not None
    if suffix == ".html":
        return f'id="{name}"' in text
    return name in text


@pytest.mark.parametrize(("where", "reference"), references(REFERENCE))
def test_every_named_piece_of_code_exists(where, reference):
    filename, name = reference
    text = read(where, filename)
    assert text is not None, f"LESSONS.md points to {filename}, which {in_words(where)} does not have"
    assert is_in(filename, text, name), f"LESSONS.md says {filename} has {name!r} in {in_words(where)}, and it does not"


@pytest.mark.parametrize(("where", "filename"), references(FILE))
def test_every_named_file_exists(where, filename):
    assert read(where, filename) is not None, f"LESSONS.md names {filename}, which {in_words(where)} does not have"
