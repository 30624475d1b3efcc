"""python -m lessons: writes any lesson's starting point or solution into a folder, shows what a lesson
changes, and puts the finished app back, without ever losing a learner's work.

Every test runs the command on a fake project of its own: a root holding a
small finished app, and a course of four states (the boilerplate, lessons 1 to 3).
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.__main__ import main
from lessons.course import LESSONS, ROOT_GIVEN_FILES, state
from lessons.diff import files_diff

PROJECT_ROOT = Path(__file__).resolve().parent.parent

FINISHED_APP = {
    "fcctesting.py": "# given, kept at the root\n",
    "public/style.css": "/* given, kept at the root */\n",
    "public/socket.io.min.js": "/* given, kept at the root */\n",
    "public/socket.io-client.LICENSE": "given, kept at the root\n",
    "views/layout.html": "<!-- given, kept at the root -->\n",
    "views/profile.html": "<!-- given, kept at the root -->\n",
    "server.py": "print('finished')\n",
    "routes.py": "ROUTES = 'finished'\n",
    "requirements.txt": "flask\nflask-socketio\n",
    "views/index.html": "<p>finished</p>\n",
    ".env.example": "PORT=3000\n",
    "presence.py": "COUNT = 0\n",  # a module of the finished app that no lesson has
}
GIVEN = {"views/index.html": "<p>given</p>\n", ".env.example": "PORT=3000\n"}
LESSON_FOLDERS = {
    0: {"server.py": "print(0)\n", "requirements.txt": "flask\n"},
    1: {"server.py": "print(1)\n", "requirements.txt": "flask\n"},
    2: {"server.py": "print(2)\n", "requirements.txt": "flask\n", "routes.py": "ROUTES = 2\n"},
    3: {
        "server.py": "import auth\nprint(3)\n",
        "requirements.txt": "flask\n",
        "auth.py": "AUTH = 3\n",
        "views/index.html": "<p>lesson 3</p>\n",
    },
}


def write(folder, files):
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)


def files_in(folder):
    """Every file under folder but .git/, as {posix path: text}."""
    files = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}
    return {name: path.read_text() for name, path in files.items() if not name.startswith(".git/")}


def outside_instance(folder):
    """files_in(folder) but instance/, where the finished app is kept."""
    return {path: text for path, text in files_in(folder).items() if not path.startswith("instance/")}


def expected_state(n):
    return {**GIVEN, **{name: FINISHED_APP[name] for name in ROOT_GIVEN_FILES}, **LESSON_FOLDERS[n]}


def git(folder, *arguments):
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path):
    """The fake project root, with its course in course/."""
    root = tmp_path / "project"
    write(root, FINISHED_APP)
    write(root / "course" / "given", GIVEN)
    for n, files in LESSON_FOLDERS.items():
        write(root / "course" / ("00-boilerplate" if n == 0 else LESSONS[n - 1].folder), files)
    return root


@pytest.fixture
def lessons(project):
    """lessons("start", "2", DIR): runs `python -m lessons start 2 DIR` on the fake project; returns its exit status."""
    return lambda *argv: main([str(argument) for argument in argv], root=project)


@pytest.fixture
def folder(tmp_path):
    """A learner's folder outside the project, not created yet."""
    return tmp_path / "work"


def test_state_is_the_given_files_the_roots_fcctesting_and_the_lessons_folder(project):
    files = state(3, project / "course", project)
    assert files == {path: text.encode() for path, text in expected_state(3).items()}
    assert files["views/index.html"] == b"<p>lesson 3</p>\n", "the lesson's own file should win over the given one"


@pytest.mark.parametrize("empty_folder_exists", [False, True])
def test_start_writes_the_state_the_lesson_starts_from(lessons, folder, empty_folder_exists):
    if empty_folder_exists:
        folder.mkdir()
    assert lessons("start", 3, folder) == 0
    assert files_in(folder) == expected_state(2)


def test_solution_writes_the_state_the_lesson_ends_with(lessons, folder):
    assert lessons("solution", 2, folder) == 0
    assert files_in(folder) == expected_state(2)


def test_start_deletes_course_files_its_state_lacks_and_touches_nothing_else(lessons, folder):
    lessons("solution", 3, folder)
    not_the_course = {"notes.txt": "mine\n", ".env": "SECRET=1\n", "instance/users.sqlite": "db", "tests/test_x.py": ""}
    write(folder, not_the_course)
    assert lessons("start", 2, folder) == 0
    assert files_in(folder) == {**expected_state(1), **not_the_course}, "auth.py should be gone, nothing else"


def test_diff_shows_what_the_lesson_changes_file_by_file(lessons, capsys):
    assert lessons("diff", 3) == 0
    assert capsys.readouterr().out == (
        "--- /dev/null\n"
        "+++ b/auth.py\n"
        "@@ -0,0 +1 @@\n"
        "+AUTH = 3\n"
        "--- a/routes.py\n"
        "+++ /dev/null\n"
        "@@ -1 +0,0 @@\n"
        "-ROUTES = 2\n"
        "--- a/server.py\n"
        "+++ b/server.py\n"
        "@@ -1 +1,2 @@\n"
        "-print(2)\n"
        "+import auth\n"
        "+print(3)\n"
        "--- a/views/index.html\n"
        "+++ b/views/index.html\n"
        "@@ -1 +1 @@\n"
        "-<p>given</p>\n"
        "+<p>lesson 3</p>\n"
    )


def test_diff_says_when_a_last_line_has_no_newline():
    assert files_diff({"a.py": b"x = 1"}, {"a.py": b"x = 2\n"}) == (
        "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x = 1\n\\ No newline at end of file\n+x = 2\n"
    )


def test_start_says_what_it_did_and_what_comes_next(lessons, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    lessons("start", 3, "work")
    assert capsys.readouterr().out == (
        "Lesson 3: Set up Passport\n"
        "Wrote its starting point (the end of lesson 2, the starting point of lesson 3) into work:\n"
        "  created  .env.example\n"
        "  created  fcctesting.py\n"
        "  created  public/socket.io-client.LICENSE\n"
        "  created  public/socket.io.min.js\n"
        "  created  public/style.css\n"
        "  created  requirements.txt\n"
        "  created  routes.py\n"
        "  created  server.py\n"
        "  created  views/index.html\n"
        "  created  views/layout.html\n"
        "  created  views/profile.html\n"
        "\n"
        "Next:\n"
        "  1. Read the lesson on freeCodeCamp, "
        "https://www.freecodecamp.org/learn/quality-assurance/advanced-node-and-express/set-up-passport\n"
        '     and in project/LESSONS.md, section "3. Set up Passport".\n'
        "  2. Write it, then run it:\n"
        "       cd work\n"
        "       cp .env.example .env    # then set SESSION_SECRET in .env (the app stops without it)\n"
        "       pip install -r requirements.txt\n"
        "       python server.py\n"
        "     and open http://localhost:3000. Stop it (Ctrl+C) and run it again after each change.\n"
        "  3. Check it while it runs, in another terminal, from the project folder (project):\n"
        "       python -m checker http://localhost:3000 --lesson 3\n"
        "     The lesson's own change, to compare with yours: python -m lessons diff 3\n"
        "  4. Submit your app's address on freeCodeCamp (the README's \"Submitting to freeCodeCamp\"),\n"
        "     then start lesson 4: python -m lessons start 4 work\n"
    )


@pytest.mark.parametrize(
    ("written_first", "then", "edited", "what_happens"),
    [
        (("start", 2), ("start", 3), "server.py", "server.py (would be overwritten)"),
        (("solution", 2), ("start", 2), "routes.py", "routes.py (would be deleted)"),
    ],
)
def test_refuses_to_destroy_a_learners_edit(lessons, folder, capsys, written_first, then, edited, what_happens):
    lessons(*written_first, folder)
    (folder / edited).write_text("my work\n")
    before = files_in(folder)
    assert lessons(*then, folder) == 1
    message = capsys.readouterr().err
    assert what_happens in message and "--force" in message, message
    assert files_in(folder) == before, "nothing should have been written"


def test_a_file_as_another_lesson_has_it_is_not_a_learners_work(lessons, folder):
    lessons("start", 3, folder)
    write(folder, {"server.py": LESSON_FOLDERS[2]["server.py"], "auth.py": LESSON_FOLDERS[3]["auth.py"]})
    assert lessons("start", 1, folder) == 0, "the course can give both files back: no need to refuse"
    assert files_in(folder) == expected_state(0)


def test_force_overwrites_a_learners_edit(lessons, folder):
    lessons("start", 2, folder)
    (folder / "server.py").write_text("my work\n")
    assert lessons("start", 3, folder, "--force") == 0
    assert files_in(folder) == expected_state(2)


@pytest.mark.parametrize(
    ("path", "learner_file"),
    [("server.py", "a tracked file changed"), ("routes.py", "an untracked file"), ("routes.py", "a git-ignored file")],
)
def test_in_git_refuses_to_destroy_uncommitted_work(lessons, folder, capsys, path, learner_file):
    lessons("start", 2, folder)  # state 1: no routes.py yet
    git(folder, "init", "-q")
    if "ignored" in learner_file:
        (folder / ".gitignore").write_text(f"{path}\n")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "lesson 2 begins")
    (folder / path).write_text("my work\n")
    assert lessons("solution", 2, folder) == 1, f"{learner_file} holding the learner's work should stop the write"
    assert "Commit them" in capsys.readouterr().err
    assert (folder / path).read_text() == "my work\n"


def test_in_git_committed_work_may_be_overwritten(lessons, folder):
    lessons("start", 2, folder)
    git(folder, "init", "-q")
    (folder / "server.py").write_text("my work\n")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "my lesson 2")
    assert lessons("solution", 2, folder) == 0, "git can give the committed work back"
    assert files_in(folder) == expected_state(2)
    assert git(folder, "show", "HEAD:server.py") == "my work\n"


def test_root_round_trip_gives_back_every_byte_of_the_finished_app(project, lessons):
    finished = files_in(project)
    assert lessons("start", 3) == 0
    assert outside_instance(project) == {**finished, **expected_state(2)}
    assert lessons("solution", 3, project) == 0
    assert (project / "auth.py").exists() and not (project / "routes.py").exists()
    assert lessons("start", 1) == 0
    assert lessons("finished") == 0
    assert files_in(project) == finished, "every file of the finished app should be back, and no other"
    assert not (project / "instance").exists(), "instance/ held only the saved copy"


def test_start_in_root_keeps_the_finished_apps_files(project, lessons):
    lessons("start", 2)
    assert (project / "presence.py").read_text() == FINISHED_APP["presence.py"], "not a course file: untouched"
    assert not (project / "routes.py").exists(), "the state lesson 2 starts from has no routes.py"
    saved = files_in(project / "instance" / "lessons" / "finished-app")
    assert saved == {path: FINISHED_APP[path] for path in ("server.py", "routes.py", "requirements.txt", "views/index.html")}


def test_finished_refuses_to_destroy_a_learners_edit_unless_forced(project, lessons, capsys):
    finished = files_in(project)
    lessons("start", 3)
    (project / "server.py").write_text("my work\n")
    assert lessons("finished") == 1
    assert "server.py (would be overwritten)" in capsys.readouterr().err
    assert (project / "server.py").read_text() == "my work\n"
    assert lessons("finished", "--force") == 0
    assert files_in(project) == finished


def test_finished_with_nothing_saved_says_the_root_holds_the_finished_app(lessons, capsys):
    assert lessons("finished") == 0
    assert "already holds the finished app" in capsys.readouterr().out


def test_finished_without_the_saved_copy_says_how_to_get_the_app_back(project, lessons, capsys):
    lessons("start", 2)
    shutil.rmtree(project / "instance")
    assert lessons("finished") == 1
    assert "git checkout -- ." in capsys.readouterr().err


def test_list_names_every_lesson_and_where_the_root_is(lessons, capsys):
    assert lessons("list") == 0
    listed = capsys.readouterr().out
    assert all(f"{lesson.number:4}. {lesson.title}\n" in listed for lesson in LESSONS)
    assert "The project root holds the finished app." in listed
    lessons("start", 3)
    capsys.readouterr()
    lessons("list")
    listed = capsys.readouterr().out
    assert "   3. Set up Passport   <- the project root: its starting point\n" in listed
    assert listed.count("<-") == 1, "one lesson only should be marked"


@pytest.mark.parametrize("number", ["0", "23", "two"])
def test_a_lesson_number_outside_1_to_22_is_refused(lessons, capsys, number):
    with pytest.raises(SystemExit) as stopped:
        lessons("start", number)
    assert stopped.value.code == 2
    assert "lessons go from 1 to 22" in capsys.readouterr().err


def test_a_file_given_as_the_folder_is_refused(lessons, folder, capsys):
    folder.write_text("not a folder")
    with pytest.raises(SystemExit):
        lessons("start", 2, folder)
    assert "is a file, not a folder" in capsys.readouterr().err


def test_a_folder_inside_the_course_is_refused(project, lessons, capsys):
    with pytest.raises(SystemExit):
        lessons("solution", 2, project / "course" / "given")
    assert "inside the course" in capsys.readouterr().err
    assert files_in(project / "course" / "given") == GIVEN


def test_a_lesson_the_course_has_no_folder_for_is_a_clear_error(lessons, folder, capsys):
    assert lessons("start", 6, folder) == 1, "the course has no state 5"
    message = capsys.readouterr().err
    assert "05-implement-the-serialization-of-a-passport-user does not exist" in message
    assert "Traceback" not in message
    assert not folder.exists()


def test_help_runs_as_a_module_from_the_project_root():
    finished = subprocess.run(
        [sys.executable, "-m", "lessons", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr
    assert "python -m lessons start N [DIR]" in finished.stdout
