"""`postrx privacy` commands: the draft-post privacy checker from the shell."""

from __future__ import annotations

import sys

import click


@click.group("privacy")
def privacy_group() -> None:
    """The draft-post privacy checker."""


@privacy_group.command(
    "check", context_settings={"ignore_unknown_options": True, "help_option_names": []}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def check_command(args: tuple[str, ...]) -> None:
    """Check TEXT (or standard input with -): a readable report, --json, or --jsonl FILE.

    Usage: postrx privacy check [TEXT|-] [--json] [--jsonl FILE]
    """
    from privacy.cli import run_cli

    status = run_cli(["check", *args], sys.stdin, sys.stdout, sys.stderr)
    if status:
        sys.exit(status)
