"""`python -m modules check [PATH...]` and `python -m modules stats [COURSE]`.

A stop-gap command line for authors until the `postrx` CLI wraps the same functions.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from modules.catalog import ContentError, Problem, check, default_content_root, load_course
from vocab import COURSE_SLUG


def _shown(problem: Problem) -> str:
    path = Path(problem.file)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())
    return f"{path}:{problem.line}: {problem.message}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modules", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate content; FILE:LINE: message lines")
    check_cmd.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all)")
    stats_cmd = commands.add_parser("stats", help="minutes and word counts per lesson")
    stats_cmd.add_argument(
        "course", nargs="?", type=Path, default=default_content_root() / COURSE_SLUG
    )
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = check(args.paths)
        for problem in problems:
            print(_shown(problem))
        if problems:
            print(f"{len(problems)} problem(s)", file=sys.stderr)
            return 1
        print("ok", file=sys.stderr)
        return 0

    try:
        course = load_course(args.course)
    except ContentError as exc:
        for problem in exc.problems:
            print(_shown(problem))
        return 1
    for module in course.modules:
        print(f"{module.slug}: {module.minutes} min, {module.word_count} words")
        for lesson in module.lessons:
            print(f"  {lesson.slug}: {lesson.minutes} min, {lesson.word_count} words")
    print(f"total: {course.total_minutes} min reading, {course.word_count} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
