"""Makes a folder's course files exactly one state of the course, and puts the finished app back in the
project root, refusing (unless forced) to destroy work that nothing else could give back."""
from dataclasses import dataclass, field
from pathlib import Path

from lessons import finished_app
from lessons.course import COURSE_DIR, PROJECT_ROOT, all_states, course_paths, state, versions
from lessons.files import delete_files, read_paths, write_files
from lessons.learner_work import refuse_to_lose


class CannotWrite(Exception):
    """The folder given cannot receive the course's files; the message says why."""


@dataclass
class Changes:
    """What writing files into a folder changes there, path by path."""

    created: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    writes: dict = field(default_factory=dict, repr=False)
    current: dict = field(default_factory=dict, repr=False)

    @classmethod
    def between(cls, directory, wanted, unwanted):
        """From the folder as it is to `wanted` ({path: bytes}) with none of the `unwanted` paths."""
        current = read_paths(directory, set(wanted) | set(unwanted))
        changes = cls()
        for path in sorted(wanted):
            if path not in current:
                changes.created.append(path)
            elif current[path] != wanted[path]:
                changes.changed.append(path)
            else:
                changes.unchanged.append(path)
        changes.deleted = sorted(path for path in current if path not in wanted)
        changes.writes = {path: wanted[path] for path in changes.created + changes.changed}
        changes.current = {path: current[path] for path in changes.changed + changes.deleted}
        return changes

    def apply(self, directory):
        """Writes and deletes the files."""
        write_files(directory, self.writes)
        delete_files(directory, self.deleted)


def write_state(n, directory, course_dir=COURSE_DIR, root=PROJECT_ROOT, force=False):
    """Makes directory's course files exactly state n, and returns the Changes made.

    Files of the state are written; files that only other states have are
    deleted; nothing else in directory is touched. Raises WorkAtRisk, and
    writes nothing, when that would destroy work saved nowhere else (unless
    force). In the project root, the finished app's files are saved first,
    for restore_finished_app()."""
    directory = Path(directory)
    check_folder(directory, course_dir)
    wanted = state(n, course_dir, root)
    states = all_states(course_dir, root)
    changes = Changes.between(directory, wanted, course_paths(states) - set(wanted))
    in_root = same_folder(directory, root)
    sources = {**states, **(finished_app_versions(root, changes) if in_root else {})}
    if not force:
        refuse_to_lose(directory, changes.current, versions(sources), deleted=changes.deleted)
    if in_root:
        finished_app.save_before_touching(root, changes.writes.keys() | set(changes.deleted))
    changes.apply(directory)
    if in_root:
        finished_app.record_state(root, n)
    return changes


def restore_finished_app(root=PROJECT_ROOT, course_dir=COURSE_DIR, force=False):
    """Puts back the finished app's files that write_state saved from the root, deletes the files
    lessons added there, and returns the Changes made; None when nothing was saved."""
    record = finished_app.read_record(root)
    if record is None:
        return None
    saved = finished_app.saved_files(root)
    changes = Changes.between(root, saved, set(record["finished_app_lacks"]) - set(saved))
    if not force:
        sources = {**all_states(course_dir, root), "finished app, saved": saved}
        refuse_to_lose(root, changes.current, versions(sources), deleted=changes.deleted)
    changes.apply(root)
    finished_app.forget(root)
    return changes


def finished_app_versions(root, changes):
    """The finished app's files that the root can give back: those saved before, and those
    about to be overwritten for the first time, which write_state saves before touching them."""
    about_to_be_saved = finished_app.not_kept(root, changes.current)
    return {
        "finished app, saved": finished_app.saved_files(root),
        "finished app, about to be saved": {path: changes.current[path] for path in about_to_be_saved},
    }


def matching_state(directory, states):
    """The n of the state ({n: files}, from all_states()) that directory's course files are exactly, or None."""
    current = read_paths(directory, course_paths(states))
    return next((n for n, files in states.items() if files == current), None)


def check_folder(directory, course_dir):
    """Raises CannotWrite for a file, or for a folder of the course itself."""
    if directory.exists() and not directory.is_dir():
        raise CannotWrite(f"{directory} is a file, not a folder")
    resolved, course = directory.resolve(), Path(course_dir).resolve()
    if resolved == course or course in resolved.parents:
        raise CannotWrite(f"{directory} is inside the course ({course_dir}); write lessons into a folder of their own")


def same_folder(first, second):
    """True when both paths name the same folder."""
    return Path(first).resolve() == Path(second).resolve()
