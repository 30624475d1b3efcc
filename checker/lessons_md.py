"""LESSONS.md's tables of check results, written from the checker's own run.

    python -m checker.lessons_md URL

runs every check against URL (this project's server, started for the
purpose) and rewrites the table under each lesson of LESSONS.md, between its
`<!-- checks of lesson N -->` and `<!-- end of checks -->` lines. The tests
run the same against a fresh server and fail when the file differs, so the
tables always say what the checker says about the code as it is.
"""
import re
import sys
from pathlib import Path

from checker.hints import load_hints
from checker.run import BadAddress, check_url, submitted_address

LESSONS_MD = Path(__file__).resolve().parent.parent / "LESSONS.md"
TABLE = re.compile(r"(<!-- checks of lesson (\d+) -->\n).*?(<!-- end of checks -->)", re.DOTALL)
REGENERATE = (
    "PORT=3000 INSTANCE_PATH=$(mktemp -d) python server.py &  "
    "python -m checker.lessons_md http://127.0.0.1:3000;  kill %1"
)


def table(results):
    """A Markdown table: one row per check."""
    rows = ["| check | freeCodeCamp's hint | result | why |", "| --- | --- | --- | --- |"]
    for result in results:
        rows.append(f"| {result.assertion.id} | {_cell(result.hint.text)} | {result.status} | {_cell(result.reason)} |")
    return "\n".join(rows) + "\n"


def with_tables(text, results):
    """LESSONS.md's text with every lesson's table rewritten from results."""

    def rewrite(block):
        lesson = int(block.group(2))
        return block.group(1) + table([r for r in results if r.hint.lesson == lesson]) + block.group(3)

    return TABLE.sub(rewrite, text)


def tables_in(text):
    """{lesson: its table} as LESSONS.md has them."""
    return {int(block.group(2)): block.group(0) for block in TABLE.finditer(text)}


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0].startswith("-"):
        sys.exit(f"usage: python -m checker.lessons_md URL   (for example: {REGENERATE})")
    try:
        code, _ = submitted_address(argv[0])
    except BadAddress as error:
        sys.exit(str(error))
    text = LESSONS_MD.read_text(encoding="utf-8")
    updated = with_tables(text, check_url(code, load_hints()))
    LESSONS_MD.write_text(updated, encoding="utf-8")
    changed = sorted(lesson for lesson, block in tables_in(updated).items() if tables_in(text).get(lesson) != block)
    print("Tables rewritten for lessons: " + (", ".join(map(str, changed)) or "none (already up to date)"))


if __name__ == "__main__":
    main()
