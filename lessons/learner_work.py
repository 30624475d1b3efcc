"""Finds the files a write would destroy: content neither the course nor git could give back."""
import subprocess
from pathlib import Path


class WorkAtRisk(Exception):
    """Writing would overwrite or delete these files, which hold work saved nowhere else."""

    def __init__(self, directory, overwritten, deleted, in_git):
        self.directory = Path(directory)
        self.overwritten = overwritten
        self.deleted = deleted
        self.in_git = in_git
        super().__init__(f"{directory}: {', '.join(overwritten + deleted)} hold work saved nowhere else")


def refuse_to_lose(directory, current, replaceable, deleted=()):
    """Raises WorkAtRisk for each file of `current` ({path: content now}, each about to be
    overwritten or deleted) whose content is none of `replaceable[path]` and that, when
    the folder is in a git work tree, git has not committed as it is."""
    unknown = [path for path in sorted(current) if current[path] not in replaceable.get(path, ())]
    if not unknown:
        return
    uncommitted = git_uncommitted(directory, unknown)
    at_risk = unknown if uncommitted is None else [path for path in unknown if path in uncommitted]
    if at_risk:
        raise WorkAtRisk(
            directory,
            overwritten=[path for path in at_risk if path not in deleted],
            deleted=[path for path in at_risk if path in deleted],
            in_git=uncommitted is not None,
        )


def git_uncommitted(directory, paths):
    """Those paths (relative to directory) that git reports changed, staged, untracked or
    ignored; None when directory is in no git work tree, or git is not installed."""
    try:
        prefix = git(directory, "rev-parse", "--show-prefix").rstrip("\n")
        report = git(
            directory, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored", "--", *paths
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    entries = iter(report.split("\0"))
    uncommitted = set()
    for entry in entries:
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            next(entries, None)  # a rename's or copy's second entry is the path it came from
        if path.startswith(prefix):
            uncommitted.add(path[len(prefix):])
    return uncommitted


def git(directory, *arguments):
    """The output of a git command run in directory; CalledProcessError when it fails."""
    command = ["git", "--literal-pathspecs", "-C", str(directory), *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
