"""A folder's files as {relative posix path: bytes}, leaving out what never belongs to the course."""
from pathlib import Path, PurePosixPath

# Made by running the app or Python, or holding secrets: never part of the course, never touched.
IGNORED_NAMES = {"__pycache__", "instance", ".env"}
IGNORED_SUFFIXES = {".pyc"}


def is_ignored(relative_path):
    """True for paths such as instance/users.sqlite, .env or public/__pycache__/x.pyc."""
    parts = PurePosixPath(relative_path).parts
    return any(part in IGNORED_NAMES for part in parts) or PurePosixPath(relative_path).suffix in IGNORED_SUFFIXES


def read_folder(folder):
    """Every file under folder, by path relative to it, except the ignored ones."""
    folder = Path(folder)
    files = {}
    for path in sorted(folder.rglob("*")):
        relative_path = path.relative_to(folder).as_posix()
        if path.is_file() and not is_ignored(relative_path):
            files[relative_path] = path.read_bytes()
    return files


def read_paths(folder, relative_paths):
    """The content of each of those paths that is a file in folder; missing ones are left out."""
    folder = Path(folder)
    return {path: (folder / path).read_bytes() for path in relative_paths if (folder / path).is_file()}


def write_files(folder, files):
    """Writes each {path: bytes} under folder, making the folders it needs."""
    folder = Path(folder)
    for relative_path, content in files.items():
        target = folder / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def delete_files(folder, relative_paths):
    """Deletes those files, then each folder of theirs left empty (never folder itself)."""
    folder = Path(folder).resolve()
    for relative_path in relative_paths:
        target = folder / relative_path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
