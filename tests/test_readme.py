"""README.md's quick start works on a fresh machine: its two commands install
into a virtual environment, and CI (.ci/run) runs the test command as written,
with pip refusing any install outside a virtual environment. And its table of
the lessons freeCodeCamp accepts has every lesson (the course check,
tests/test_course.py, checks what each row says)."""
import re

from checker.checks import lesson_titles
from tests.conftest import PROJECT_ROOT
from tests.doc_tables import accepted_rows_in

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
VENV = ".venv"


def section(title):
    """The text of the README's `## title` section."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:] if end == -1 else README[start:end]


def quick_start():
    """(the app's command, the tests' command), the two `sh` blocks of the quick start."""
    blocks = re.findall(r"```sh\n(.*?)\n```", section("Quick start"), re.DOTALL)
    assert len(blocks) == 2, f"the quick start should be two commands, the app's and the tests', not {blocks}"
    return tuple(blocks)


def run_lines():
    """The lines .ci/run runs, comments and blank lines left out."""
    return [line for line in CI_RUN.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_the_readme_test_command_as_written():
    _, tests = quick_start()
    assert tests in run_lines(), f".ci/run should run the README's test command, {tests!r}"


def test_ci_lets_pip_install_only_into_a_virtual_environment():
    lines = run_lines()
    _, tests = quick_start()
    guard = "export PIP_REQUIRE_VIRTUALENV=1"
    assert guard in lines, "without it, a pip install into the system's Python would pass in CI and fail on Debian"
    assert lines.index(guard) < lines.index(tests), "the guard must be set before the test command runs"


def test_both_commands_make_the_environment_and_install_and_run_only_inside_it():
    for command in quick_start():
        make, *steps = command.split(" && ")
        assert make == f"python3 -m venv {VENV}", f"{command!r} should first make (or reuse) the virtual environment"
        assert steps, f"{command!r} should install and run something"
        outside = [step for step in steps if not step.startswith(f"{VENV}/bin/")]
        assert not outside, f"{outside} would use the system's pip or Python, which PEP 668 refuses to install into"


def test_the_app_command_is_the_test_command_with_the_apps_requirements():
    # CI runs the test command, so this is what vouches for the app's: the same steps, fewer requirements.
    app, tests = quick_start()
    assert app == tests.replace("requirements-dev.txt", "requirements.txt").replace("-m pytest", "server.py")
    assert "-r requirements.txt" in (PROJECT_ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()


def test_the_environment_is_never_committed():
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"{VENV}/" in ignored


def test_submitting_says_for_every_lesson_whether_freecodecamp_accepts_it():
    rows = accepted_rows_in(section("Submitting to freeCodeCamp"))
    assert list(rows) == sorted(lesson_titles()), "one row per lesson, in order, between the lessons accepted markers"
