"""LESSONS.md's tables of check results: each lesson's checks, as the checker
runs them against that lesson's solution.

The course check (tests/test_course.py) serves every solution, and fails
when a lesson's table in LESSONS.md, between its `<!-- checks of lesson N -->`
and `<!-- end of checks -->` lines, differs from what the checker says about
it. To rewrite the tables after changing a lesson:

    UPDATE_LESSONS_MD=1 python -m pytest -m course
"""
import re
from pathlib import Path

LESSONS_MD = Path(__file__).resolve().parent.parent / "LESSONS.md"
TABLE = re.compile(r"(<!-- checks of lesson (\d+) -->\n).*?(<!-- end of checks -->)", re.DOTALL)
REGENERATE = "UPDATE_LESSONS_MD=1 python -m pytest -m course"


def table(results):
    """A Markdown table: one row per check."""
    rows = ["| check | freeCodeCamp's hint | result | why |", "| --- | --- | --- | --- |"]
    for result in results:
        rows.append(f"| {result.assertion.id} | {_cell(result.hint.text)} | {result.status} | {_cell(result.reason)} |")
    return "\n".join(rows) + "\n"


def with_tables(text, results):
    """LESSONS.md's text with the table of every lesson in results rewritten from them."""

    def rewrite(block):
        in_lesson = [r for r in results if r.hint.lesson == int(block.group(2))]
        return block.group(1) + table(in_lesson) + block.group(3) if in_lesson else block.group(0)

    return TABLE.sub(rewrite, text)


def tables_in(text):
    """{lesson: its table} as LESSONS.md has them."""
    return {int(block.group(2)): block.group(0) for block in TABLE.finditer(text)}


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")
