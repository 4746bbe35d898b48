"""`postrx institutions …` and the site-admin commands of `postrx users …`.

Thin wrappers over app.services.admin: each change is one transaction, audited with no
actor (the audit log filters them as `cli`). A refusal (unknown email or slug, duplicate
slug, the last site admin) prints the reason, exits with status 1 and changes nothing.
Other areas add commands to `institutions_group` (e.g. `institutions import-roster`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from app.db_tx import transaction
from app.services import admin as svc
from app.services.admin import AdminError


def _run(fn: Callable[[], Any]) -> Any:
    """Run one change in a transaction; an AdminError becomes exit status 1."""
    try:
        with transaction():
            return fn()
    except AdminError as err:
        raise click.ClickException(str(err)) from err


@click.group("institutions")
def institutions_group() -> None:
    """Create and administer institutions."""


@institutions_group.command("create")
@click.option("--name", required=True, help="The institution's name.")
@click.option("--slug", required=True, help="Its web address: /org/<slug>/.")
@click.option("--admin", "admin_email", help="Email of its first admin (created if new).")
def create_institution(name: str, slug: str, admin_email: str | None) -> None:
    """Create an institution, optionally with its first admin."""
    org, appointment = _run(
        lambda: svc.create_institution(None, name=name, slug=slug, admin_email=admin_email)
    )
    click.echo(f"Created {org.name} ({org.slug}).")
    if appointment is not None:
        _echo_appointment(org.name, appointment)


def _echo_appointment(org_name: str, appointment: svc.Appointment) -> None:
    click.echo(f"{appointment.user.email} is now an admin of {org_name}.")
    delivery = appointment.delivery
    if delivery is not None and delivery.link:
        click.echo(f"New account: give them this link to set a password:\n{delivery.link}")
    elif delivery is not None:
        click.echo("New account: a link to set a password was mailed.")


@institutions_group.command("list")
@click.option("--archived", is_flag=True, help="Include archived institutions.")
@click.option("--search", default="", help="Part of the name or slug.")
def list_institutions(archived: bool, search: str) -> None:
    """List institutions with their members and admins."""
    page_no = 1
    while True:
        page = svc.list_institutions(search, archived=archived, page=page_no, per_page=500)
        for row in page.items:
            state = "archived" if row.org.is_archived else "active"
            click.echo(
                f"{row.org.slug:<32} {row.org.name:<40} members={row.members} "
                f"admins={row.admins} {state}"
            )
        if page_no >= page.pages:
            break
        page_no += 1
    if page.total == 0:
        click.echo("No institutions.")


@institutions_group.command("add-admin")
@click.argument("slug")
@click.argument("email")
def add_admin(slug: str, email: str) -> None:
    """Make EMAIL an admin of the institution SLUG (creating the account if new)."""

    def change() -> tuple[str, svc.Appointment]:
        org = svc.institution_by_slug(slug)
        return org.name, svc.appoint_admin(org, None, email)

    name, appointment = _run(change)
    _echo_appointment(name, appointment)


@institutions_group.command("remove-admin")
@click.argument("slug")
@click.argument("email")
def remove_admin(slug: str, email: str) -> None:
    """End EMAIL's admin place at the institution SLUG (they stay a member)."""
    _run(lambda: svc.remove_admin(svc.institution_by_slug(slug), None, email))
    click.echo(f"{email} is no longer an admin of {slug}.")


@institutions_group.command("archive")
@click.argument("slug")
@click.option("--undo", is_flag=True, help="Unarchive instead.")
def archive(slug: str, undo: bool) -> None:
    """Archive SLUG: hidden, invites stop, read-only; certificates stay valid."""
    action = svc.unarchive_institution if undo else svc.archive_institution
    _run(lambda: action(svc.institution_by_slug(slug), None))
    click.echo(f"{slug} {'unarchived' if undo else 'archived'}.")


# ---------------------------------------------------------------- `postrx users …` additions


@click.command("list")
@click.option("--search", default="", help="Part of a name, email or institution.")
def users_list(search: str) -> None:
    """List accounts with their roles and state."""
    page_no = 1
    while True:
        page = svc.search_users(search, page=page_no, per_page=500)
        for user in page.items:
            roles = ",".join(sorted(r.value for r in user.roles)) or "-"
            state = "active" if user.is_active_account else "disabled"
            click.echo(f"{user.email:<40} {user.print_name:<30} {roles:<40} {state}")
        if page_no >= page.pages:
            break
        page_no += 1
    if page.total == 0:
        click.echo("No accounts match." if search else "No accounts.")


@click.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Disable EMAIL: no more sign-ins, open sessions end; certificates stay valid."""
    _run(lambda: svc.disable_user(None, svc.user_by_email(email)))
    click.echo(f"{email} disabled.")


@click.command("enable")
@click.argument("email")
def users_enable(email: str) -> None:
    """Enable EMAIL again."""
    _run(lambda: svc.enable_user(None, svc.user_by_email(email)))
    click.echo(f"{email} enabled.")


USER_COMMANDS = (users_list, users_disable, users_enable)
