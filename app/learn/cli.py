"""`postrx content` commands: validate and measure the course content."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from modules.catalog import ContentError, Problem, check, load_course


def _shown(problem: Problem) -> str:
    """FILE:LINE: message, with FILE relative to the working folder when it is inside it."""
    path = Path(problem.file)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())
    return f"{path}:{problem.line}: {problem.message}"


@click.group("content")
def content_group() -> None:
    """Course content: check and load."""


@content_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check_command(paths: tuple[Path, ...]) -> None:
    """Validate the bundled course, or the given files and folders (FILE:LINE: message)."""
    from app.services.learning import content_path, course_summary

    problems = check(list(paths) or [content_path()])
    for problem in problems:
        click.echo(_shown(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    if paths:
        click.echo(f"OK: {len(paths)} path(s) checked, no problems.")
    else:
        click.echo(f"OK: {course_summary(load_course(content_path()))}")


@content_group.command("stats")
def stats_command() -> None:
    """Words and reading minutes per module of the bundled course."""
    from app.services.learning import content_path

    try:
        course = load_course(content_path())
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(_shown(problem))
        raise SystemExit(1) from exc
    width = max(len(module.slug) for module in course.modules)
    click.echo(f"{'module':<{width}}  lessons  minutes  words")
    for module in course.modules:
        click.echo(
            f"{module.slug:<{width}}  {len(module.lessons):>7}  {module.minutes:>7}  "
            f"{module.word_count:>5}"
        )
    click.echo(
        f"{'total':<{width}}  {course.lesson_count:>7}  {course.total_minutes:>7}  "
        f"{course.word_count:>5}"
    )
