"""LESSONS.md says only what is true: every file and name it points to exists
(its tables are checked by the course check, tests/test_course.py)."""
import ast
import re

import pytest

from checker.hints import lesson_titles
from checker.lessons_md import LESSONS_MD, tables_in
from tests.conftest import PROJECT_ROOT

TEXT = LESSONS_MD.read_text(encoding="utf-8")
# `file:name`, e.g. `routes.py:login`, `views/index.html:pug-variable`, `requirements.txt:bcrypt`.
REFERENCE = re.compile(r"`([\w./-]+\.(?:py|html|js|txt)):([^`]+)`")
# `file` alone, for files of this project (the Node originals such as `routes.js` have no folder).
FILE = re.compile(r"`((?:[\w-]+/)+[\w.-]+\.\w+|[\w-]+\.(?:py|html|md|txt))`")


def test_every_lesson_has_a_section_in_order_with_its_check_table():
    headings = [(int(number), title) for number, title in re.findall(r"^## (\d+)\. (.+)$", TEXT, re.MULTILINE)]
    assert headings == sorted(lesson_titles().items()), "one section per lesson, in order, with freeCodeCamp's title"
    assert sorted(tables_in(TEXT)) == list(range(1, 23)), "every lesson needs its table of checks"


def definitions(path):
    """Every function, class and variable a Python file defines, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def is_in(path, name):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return name in definitions(path)
    if path.suffix == ".txt":
        return re.search(rf"^{re.escape(name)}[<>=~! \[]", text, re.MULTILINE | re.IGNORECASE) is not None
    if path.suffix == ".html":
        return f'id="{name}"' in text
    return name in text


@pytest.mark.parametrize(("filename", "name"), sorted(set(REFERENCE.findall(TEXT))))
def test_every_named_piece_of_code_exists(filename, name):
    path = PROJECT_ROOT / filename
    assert path.is_file(), f"LESSONS.md points to {filename}, which does not exist"
    assert is_in(path, name), f"LESSONS.md says {filename} has {name!r}, and it does not"


@pytest.mark.parametrize("filename", sorted(set(FILE.findall(TEXT))))
def test_every_named_file_exists(filename):
    assert (PROJECT_ROOT / filename).is_file(), f"LESSONS.md names {filename}, which does not exist"
