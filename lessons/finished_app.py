"""The project root's own files (the finished app), saved under instance/lessons/ before a lesson is written
over them, and the record of which state of the course the root holds."""
import json
import shutil
from pathlib import Path

from lessons.files import read_folder, read_paths, write_files

RECORD_FOLDER = Path("instance") / "lessons"  # instance/ is git-ignored
SAVED_FOLDER = RECORD_FOLDER / "finished-app"
RECORD_FILE = RECORD_FOLDER / "state.json"


def read_record(root):
    """{"state": n or None, "finished_app_lacks": [paths]}, or None when no lesson was written into root."""
    try:
        return json.loads((Path(root) / RECORD_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_record(root, record):
    """Saves the record that read_record reads."""
    path = Path(root) / RECORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def saved_files(root):
    """The finished app's copies of the files that lessons have changed in root."""
    return read_folder(Path(root) / SAVED_FOLDER)


def save_before_touching(root, paths):
    """Keeps the finished app's version of each path about to be overwritten or deleted in root: its copy
    under instance/lessons/finished-app/, or, if the finished app has no such file, a note of that.
    A path already kept is left as it is: root no longer holds the finished app's version.
    Until record_state() is called, the record says the root holds no known state."""
    record = read_record(root) or {"finished_app_lacks": []}
    record["state"] = None
    new_paths = not_kept(root, paths)
    originals = read_paths(root, new_paths)
    write_files(Path(root) / SAVED_FOLDER, originals)
    record["finished_app_lacks"] = sorted(set(record["finished_app_lacks"]) | (set(new_paths) - set(originals)))
    write_record(root, record)


def not_kept(root, paths):
    """Those paths whose finished app's version is neither saved nor noted as missing yet."""
    record = read_record(root) or {"finished_app_lacks": []}
    kept = set(saved_files(root)) | set(record["finished_app_lacks"])
    return sorted(path for path in paths if path not in kept)


def record_state(root, n):
    """Notes that root now holds state n of the course."""
    record = read_record(root)
    record["state"] = n
    write_record(root, record)


def forget(root):
    """Deletes the saved copy and the record (and instance/ if that leaves it empty): root holds the finished app again."""
    shutil.rmtree(Path(root) / RECORD_FOLDER)
    instance = (Path(root) / RECORD_FOLDER).parent
    if not any(instance.iterdir()):
        instance.rmdir()
