"""What a lesson changes: a git-style unified diff of every file, from its starting point to its solution."""
import difflib
import re

from lessons.course import COURSE_DIR, PROJECT_ROOT, state

NO_NEWLINE = "\\ No newline at end of file\n"


def lesson_diff(n, course_dir=COURSE_DIR, root=PROJECT_ROOT):
    """The diff from state n - 1 to state n."""
    return files_diff(state(n - 1, course_dir, root), state(n, course_dir, root))


def files_diff(old, new):
    """The diff from one {path: bytes} to another, file by file in path order; unchanged files give nothing."""
    return "".join(file_diff(path, old.get(path), new.get(path)) for path in sorted(old.keys() | new.keys()))


def file_diff(path, old, new):
    """One file's diff, `--- a/path` / `+++ b/path`, with /dev/null for a file added or removed."""
    if old == new:
        return ""
    old_name = "/dev/null" if old is None else f"a/{path}"
    new_name = "/dev/null" if new is None else f"b/{path}"
    try:
        old_lines, new_lines = lines(old), lines(new)
    except UnicodeDecodeError:
        return f"Binary files {old_name} and {new_name} differ\n"
    hunks = difflib.unified_diff(old_lines, new_lines, old_name, new_name)
    text = "".join(line if line.endswith("\n") else line + "\n" + NO_NEWLINE for line in hunks)
    return text or f"--- {old_name}\n+++ {new_name}\n"  # an empty file added or removed


def lines(content):
    """A file's lines, split as git splits them (at \\n only), each with its \\n; none for an absent file."""
    return [] if content is None else re.findall(r"[^\n]*\n|[^\n]+$", content.decode("utf-8"))
