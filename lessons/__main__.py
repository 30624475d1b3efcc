"""python -m lessons: starts any lesson of the course, shows its solution, and puts the finished app back.

  python -m lessons list              the 22 lessons, and the one the project root is at
  python -m lessons start N [DIR]     the project as lesson N starts, in DIR (default: the project root)
  python -m lessons solution N DIR    the project as lesson N ends, in DIR
  python -m lessons diff N            what lesson N changes, file by file
  python -m lessons finished          the finished app back in the project root, after `start`
"""
import argparse
import os
import shlex
import sys
from pathlib import Path

from lessons import finished_app
from lessons.course import (
    LAST_LESSON,
    LESSONS,
    PROJECT_ROOT,
    CourseError,
    all_states,
    course_paths,
    lesson,
    missing_states,
)
from lessons.diff import lesson_diff
from lessons.learner_work import WorkAtRisk, git_uncommitted
from lessons.writing import CannotWrite, matching_state, restore_finished_app, same_folder, write_state

# Lesson 3 sets up sessions: from its step on, the app stops without SESSION_SECRET.
FIRST_LESSON_WITH_SESSIONS = 3


def main(argv=None, course_dir=None, root=PROJECT_ROOT):
    """Runs one command; returns the exit status. Tests pass a course folder and project root of their own."""
    root = Path(root)
    course_dir = root / "course" if course_dir is None else Path(course_dir)
    parser = command_line()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments, course_dir, root)
    except CannotWrite as error:
        parser.error(str(error))
    except WorkAtRisk as error:
        print(refusal(error, root), file=sys.stderr)
    except BrokenPipeError:  # the output went to a command that stopped reading, such as `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (CourseError, OSError) as error:
        print(f"python -m lessons: {error}", file=sys.stderr)
    return 1


def command_line():
    """The parser of the commands and their arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m lessons", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    listing = commands.add_parser("list", help="the 22 lessons, and the one the project root is at")
    listing.set_defaults(run=list_lessons)

    start = commands.add_parser("start", help="write the starting point of lesson N (the end of lesson N - 1)")
    start.add_argument("lesson", type=lesson_number, metavar="N", help=f"the lesson, 1 to {LAST_LESSON}")
    start.add_argument("directory", type=Path, nargs="?", metavar="DIR",
                       help="where to write it (default: the project root, where Replit's Run button runs)")
    start.set_defaults(run=start_lesson)

    solution = commands.add_parser("solution", help="write the solution of lesson N into a folder")
    solution.add_argument("lesson", type=lesson_number, metavar="N", help=f"the lesson, 1 to {LAST_LESSON}")
    solution.add_argument("directory", type=Path, metavar="DIR", help="where to write it, e.g. ../solution")
    solution.set_defaults(run=write_solution)

    diff = commands.add_parser("diff", help="what lesson N changes, as a unified diff")
    diff.add_argument("lesson", type=lesson_number, metavar="N", help=f"the lesson, 1 to {LAST_LESSON}")
    diff.set_defaults(run=show_diff)

    finished = commands.add_parser("finished", help="put the finished app back in the project root")
    finished.set_defaults(run=put_finished_app_back)

    for command in (start, solution, finished):
        command.add_argument("--force", action="store_true",
                             help="overwrite or delete files even if they hold work saved nowhere else")
    return parser


def lesson_number(text):
    """N on the command line: a lesson number, 1 to 22."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a lesson number: lessons go from 1 to {LAST_LESSON}") from None
    if not 1 <= number <= LAST_LESSON:
        raise argparse.ArgumentTypeError(f"there is no lesson {number}: lessons go from 1 to {LAST_LESSON}")
    return number


def list_lessons(arguments, course_dir, root):
    """`list`: every lesson, with a mark beside the one the project root is at."""
    record = finished_app.read_record(root)
    at = None if record is None else record["state"]
    print("The lessons of Advanced Node and Express:")
    for each in LESSONS:
        line = f"{each.number:4}. {each.title}"
        if at is not None and each.number == min(at + 1, LAST_LESSON):
            line += "   <- the project root: " + ("its solution" if at == LAST_LESSON else "its starting point")
        print(line)
    print()
    if record is None:
        print("The project root holds the finished app. `python -m lessons start N` writes lesson N's starting point there.")
    elif at is None:
        print("A lesson was being written into the project root when the command stopped: run it again, "
              "or `python -m lessons finished` to put the finished app back.")
    else:
        print(f"The project root holds {state_in_words(at)}. `python -m lessons finished` puts the finished app back.")
    return 0


def start_lesson(arguments, course_dir, root):
    """`start N [DIR]`: writes state N - 1, then says what comes next."""
    number, directory = arguments.lesson, arguments.directory or root
    changes = write_state(number - 1, directory, course_dir, root, force=arguments.force)
    print(f"Lesson {number}: {lesson(number).title}")
    print(f"Wrote its starting point ({state_in_words(number - 1)}) into {place(directory, root)}:")
    print_changes(changes)
    if same_folder(directory, root):
        print("The finished app is kept in instance/lessons/finished-app/: `python -m lessons finished` puts it back.")
    print()
    print("Next:")
    print(f"  1. Read the lesson on freeCodeCamp, {lesson(number).page}")
    print(f"     and in {shown(root / 'LESSONS.md')}, section \"{number}. {lesson(number).title}\".")
    print("  2. Write it, then run it:")
    print_run_commands(directory, root, indent="       ", needs_secret=number >= FIRST_LESSON_WITH_SESSIONS)
    print("     and open http://localhost:3000. Stop it (Ctrl+C) and run it again after each change.")
    print(f"  3. Check it while it runs, in another terminal, from the project folder ({shown(root)}):")
    print(f"       python -m checker http://localhost:3000 --lesson {number}")
    print(f"     The lesson's own change, to compare with yours: python -m lessons diff {number}")
    print("  4. Submit your app's address on freeCodeCamp (the README's \"Submitting to freeCodeCamp\"),")
    if number < LAST_LESSON:
        print(f"     then start lesson {number + 1}: python -m lessons start {number + 1}" + (f" {shlex.quote(shown(directory))}" if not same_folder(directory, root) else ""))
    else:
        print("     the course's last lesson. `python -m lessons finished` puts the finished app back in the project root.")
    warn_if_course_incomplete(course_dir)
    return 0


def write_solution(arguments, course_dir, root):
    """`solution N DIR`: writes state N."""
    number, directory = arguments.lesson, arguments.directory
    changes = write_state(number, directory, course_dir, root, force=arguments.force)
    print(f"Lesson {number}: {lesson(number).title}")
    print(f"Wrote its solution ({state_in_words(number)}) into {place(directory, root)}:")
    print_changes(changes)
    print()
    print("Run it:")
    print_run_commands(directory, root, indent="  ", needs_secret=number >= FIRST_LESSON_WITH_SESSIONS)
    print(f"What the lesson changes: python -m lessons diff {number}")
    warn_if_course_incomplete(course_dir)
    return 0


def show_diff(arguments, course_dir, root):
    """`diff N`: the unified diff from state N - 1 to state N."""
    text = lesson_diff(arguments.lesson, course_dir, root)
    print(text, end="")
    if not text:
        print(f"Lesson {arguments.lesson} changes no file.", file=sys.stderr)
    return 0


def put_finished_app_back(arguments, course_dir, root):
    """`finished`: restores the finished app's files that `start` saved from the project root."""
    changes = restore_finished_app(root, course_dir, force=arguments.force)
    if changes is None:
        return nothing_saved(course_dir, root)
    print("Put the finished app back in the project root:")
    print_changes(changes)
    print("Removed the copy it was kept in, instance/lessons/.")
    return 0


def nothing_saved(course_dir, root):
    """`finished` when no lesson was written into the root: says whether it looks finished, and how to make it so."""
    try:
        states = all_states(course_dir, root)
    except CourseError:
        states = {}
    at = matching_state(root, states)
    if at is not None:
        print(f"The project root holds {state_in_words(at)}, but no saved copy of the finished app "
              "(instance/lessons/ is gone). If the project is a git clone, `git checkout -- .` brings the "
              "finished app back; it also undoes every change you have not committed.", file=sys.stderr)
        return 1
    print("The project root already holds the finished app: no lesson was written into it.")
    changed = sorted(git_uncommitted(root, sorted(course_paths(states))) or ()) if states else []
    if changed:
        print(f"git sees changes to {', '.join(changed)}: if they are not yours, `git checkout -- .` "
              "puts back the finished app as committed (and undoes every change you have not committed).")
    return 0


def print_changes(changes):
    """One line per file created, changed or deleted, then how many were already right."""
    done = [(path, "created") for path in changes.created] + [(path, "changed") for path in changes.changed]
    done += [(path, "deleted") for path in changes.deleted]
    for path, verb in sorted(done):
        print(f"  {verb:8} {path}")
    if not done:
        print("  nothing to do: every file was already up to date")
    elif changes.unchanged:
        count = len(changes.unchanged)
        print(f"  ({count} other file{'' if count == 1 else 's'} already up to date)")


def print_run_commands(directory, root, indent, needs_secret):
    """The commands that run the app in directory, from where the learner is."""
    if not same_folder(directory, Path.cwd()):
        print(f"{indent}cd {shlex.quote(shown(directory))}")
    if needs_secret and not (Path(directory) / ".env").exists():
        print(f"{indent}cp .env.example .env    # then set SESSION_SECRET in .env (the app stops without it)")
    print(f"{indent}pip install -r requirements.txt")
    print(f"{indent}python server.py")
    if same_folder(directory, root):
        print(f"{indent}(on Replit, the Run button does both)")


def refusal(error, root):
    """Why nothing was written, and what the learner can do about it."""
    lines = [f"python -m lessons: nothing written. These files in {place(error.directory, root)} hold work "
             "that neither the course nor git can give back:"]
    lines += [f"  {path} (would be overwritten)" for path in error.overwritten]
    lines += [f"  {path} (would be deleted)" for path in error.deleted]
    if error.in_git:
        lines.append("Commit them (git add, then git commit) or move them away, then run the command again;")
    else:
        lines.append("Move them away (or copy them somewhere safe), then run the command again;")
    lines.append("or add --force to overwrite them and lose that work.")
    return "\n".join(lines)


def warn_if_course_incomplete(course_dir):
    """Tells, while the course is being written, which states it lacks: files only they have are unknown here."""
    missing = missing_states(course_dir)
    if missing:
        print(f"\nwarning: {shown(course_dir)} has no folder yet for states {number_ranges(missing)}: "
              "files only those have are not recognised as the course's.", file=sys.stderr)


def state_in_words(n):
    """State n as a learner knows it."""
    if n == 0:
        return "the boilerplate, the starting point of lesson 1"
    if n == LAST_LESSON:
        return f"the end of lesson {n}, the last one"
    return f"the end of lesson {n}, the starting point of lesson {n + 1}"


def number_ranges(numbers):
    """[4, 5, 6, 9] as '4-6, 9'."""
    runs = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in runs)


def place(directory, root):
    """Where files were written, in words: the project root, or the folder's path."""
    return "the project root" if same_folder(directory, root) else shown(directory)


def shown(path):
    """A path as the learner can type it: relative to the current folder when inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
