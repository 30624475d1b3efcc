"""Writes LESSONS.md's and README.md's tables of check results, for the course check.

LESSONS.md has each lesson's checks, as the checker runs them against that
lesson's solution; README.md has which lessons freeCodeCamp accepts from
their solutions, and why not. This is documentation tooling, not part of
the checker a learner runs.

The course check (tests/test_course.py) serves every solution, and fails
when a lesson's table in LESSONS.md, between its `<!-- checks of lesson N -->`
and `<!-- end of checks -->` lines, or its row in README.md, between
`<!-- lessons accepted -->` and `<!-- end of lessons accepted -->`, differs
from what the checker says about it. To rewrite them after changing a lesson:

    UPDATE_LESSONS_MD=1 python -m pytest -m course
"""
import re
from pathlib import Path

from checker.checks import PASS, lesson_titles

LESSONS_MD = Path(__file__).resolve().parent.parent / "LESSONS.md"
README_MD = LESSONS_MD.with_name("README.md")
TABLE = re.compile(r"(<!-- checks of lesson (\d+) -->\n).*?(<!-- end of checks -->)", re.DOTALL)
ACCEPTED = re.compile(r"(<!-- lessons accepted -->\n)(.*?)(<!-- end of lessons accepted -->)", re.DOTALL)
ACCEPTED_ROW = re.compile(r"^\| (\d+)\. .*\n", re.MULTILINE)
REGENERATE = "UPDATE_LESSONS_MD=1 python -m pytest -m course"


def table(results):
    """A Markdown table: one row per check."""
    rows = ["| check | freeCodeCamp's hint | result | why |", "| --- | --- | --- | --- |"]
    for result in results:
        rows.append(f"| {result.check.id} | {_cell(result.check.text)} | {result.status} | {_cell(result.reason)} |")
    return "\n".join(rows) + "\n"


def with_tables(text, results):
    """LESSONS.md's text with the table of every lesson in results rewritten from them."""

    def rewrite(block):
        in_lesson = [r for r in results if r.check.lesson == int(block.group(2))]
        return block.group(1) + table(in_lesson) + block.group(3) if in_lesson else block.group(0)

    return TABLE.sub(rewrite, text)


def tables_in(text):
    """{lesson: its table} as LESSONS.md has them."""
    return {int(block.group(2)): block.group(0) for block in TABLE.finditer(text)}


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def express_only(result):
    """A check that reads the Express app object (/_api/app, /_api/app-stack): no Python project can pass it."""
    return bool(result.check.cannot_check)


def accepted_row(results):
    """README.md's row for one lesson's results: whether freeCodeCamp accepts it, and if not, why."""
    lesson = results[0].check.lesson
    failing = [r for r in results if r.status != PASS]
    express = [r for r in failing if express_only(r)]
    why = [f"{r.check.id} {r.status}: {r.reason}" for r in failing if not express_only(r)]
    if express:
        paths = ", ".join(f"`{path}`" for path in sorted({r.check.requests[-1].split(" ")[1].partition("}")[2] for r in express}))
        why.insert(0, f"{_checks(express)} read Express's app object ({paths}), which a Flask app does not have")
    return f"| {lesson}. {lesson_titles()[lesson]} | {'no' if failing else 'yes'} | {_cell('; '.join(why))} |\n"


def with_accepted(text, results):
    """README.md's text with the row of every lesson in results rewritten from them."""

    def rewrite(block):
        rows = accepted_rows_in(block.group(0))
        for lesson in {r.check.lesson for r in results}:
            rows[lesson] = accepted_row([r for r in results if r.check.lesson == lesson])
        header = "| lesson | freeCodeCamp accepts it | why not |\n| --- | --- | --- |\n"
        return block.group(1) + header + "".join(rows[n] for n in sorted(rows)) + block.group(3)

    return ACCEPTED.sub(rewrite, text)


def accepted_rows_in(text):
    """{lesson: its row} as README.md has them."""
    block = ACCEPTED.search(text)
    return {int(row.group(1)): row.group(0) for row in ACCEPTED_ROW.finditer(block.group(2))} if block else {}


def _checks(results):
    """E.g. "checks 1.2.1 and 1.3.1"."""
    ids = [r.check.id for r in results]
    return f"check {ids[0]}" if len(ids) == 1 else f"checks {', '.join(ids[:-1])} and {ids[-1]}"
