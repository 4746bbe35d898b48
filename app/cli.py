"""The `postrx` command: Flask's CLI (run, shell, db …) plus PostRx's own commands.

Commands are thin: they parse options, call a service, print the outcome.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from app.db_tx import transaction
from app.models import Role


def register_commands(app: Flask) -> None:
    """Attach PostRx's command groups to `app.cli` (so `flask --app app` sees them too)."""
    from app.admin.cli import USER_COMMANDS, institutions_group
    from app.author.cli import author_group
    from app.certify.cli import certificates_group
    from app.check.cli import privacy_group
    from app.institution.cli import demo_data_command, reports_group
    from app.jobs.cli import import_roster_command, jobs_group, scheduler_command, worker_command
    from app.learn.cli import content_group
    from app.quiz.cli import scenarios_group

    institutions_group.add_command(import_roster_command)
    for command in (
        setup_command,
        users_group,
        content_group,
        scenarios_group,
        privacy_group,
        certificates_group,
        reports_group,
        demo_data_command,
        author_group,
        worker_command,
        scheduler_command,
        jobs_group,
        institutions_group,
    ):
        app.cli.add_command(command)
    for command in USER_COMMANDS:  # list, disable, enable (site administration)
        users_group.add_command(command)


@click.command("setup")
@click.option(
    "--demo", is_flag=True, help="Also create a demo institution and one account per role."
)
def setup_command(demo: bool) -> None:
    """Create or upgrade the database and load the bundled content. Safe to run again."""
    from app.services.setup import run_setup
    from modules.catalog import ContentError
    from quizzes.bank import BankError

    try:
        with transaction():
            for line in run_setup():
                click.echo(line)
    except (ContentError, BankError) as err:
        raise click.ClickException(
            f"setup refused invalid content; nothing changed:\n{err}"
        ) from err
    if demo:
        from app.services.demo import DEMO_PASSWORD, load_demo

        with transaction():
            accounts = load_demo()
        base = current_app.config["BASE_URL"]
        click.echo(f"Demo data ready. Sign in at {base}/login with password {DEMO_PASSWORD}:")
        for acct in accounts:
            roles = ", ".join(r.label for r in acct.roles)
            click.echo(f"  {acct.email:<28} {roles}")


@click.group("users")
def users_group() -> None:
    """Manage accounts and roles."""


@users_group.command("grant")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def grant_role(email: str, role: str) -> None:
    """Give ROLE to the account with EMAIL."""
    from app.services.accounts import find_user_by_email
    from app.services.audit import record

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses the email {email!r}.")
    with transaction():
        user.grant(Role(role))
        record("role.grant", actor=None, subject=f"user:{user.id}", role=role, via="cli")
    click.echo(f"{email} now holds: {', '.join(sorted(r.value for r in user.roles))}")


@users_group.command("reset-link")
@click.argument("email")
def reset_link(email: str) -> None:
    """Print a password-reset link for EMAIL (for when no mail server is configured)."""
    from app.services.accounts import find_user_by_email, reset_url

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses the email {email!r}.")
    click.echo(reset_url(user))


def _create_app() -> Flask:
    from app import create_app

    return create_app()


main = FlaskGroup(
    name="postrx",
    create_app=_create_app,
    help="PostRx: professional social media training for healthcare professionals.",
)


def _replace_run() -> None:
    """`postrx run` also starts the embedded background-job worker (app/jobs/cli.py)."""
    from app.jobs.cli import run_command

    main.add_command(run_command)


_replace_run()
