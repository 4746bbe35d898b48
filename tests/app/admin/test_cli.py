"""`postrx institutions …` and `postrx users list/disable/enable` through Flask's CliRunner."""

from __future__ import annotations

from sqlalchemy import func, select

from app.admin.cli import institutions_group
from app.extensions import db
from app.models import AuditEvent, Institution, Membership, Role, User


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_institutions_create_with_a_new_admin_prints_their_link(runner):
    result = runner.invoke(
        args=[
            "institutions",
            "create",
            "--name",
            "Riverside",
            "--slug",
            "riverside",
            "--admin",
            "nina@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created Riverside (riverside)" in result.output and "/reset/" in result.output
    nina = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    assert Role.INSTITUTION_ADMIN in nina.roles
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "admin.institution.create")
    )
    assert event.actor_id is None


def test_a_duplicate_or_bad_slug_exits_1_and_changes_nothing(runner, make_org):
    org = make_org()
    before = (_count(Institution), _count(User), _count(AuditEvent))
    for slug in (org.slug, "Bad Slug"):
        result = runner.invoke(
            args=[
                "institutions",
                "create",
                "--name",
                "X",
                "--slug",
                slug,
                "--admin",
                "a@example.org",
            ]
        )
        assert result.exit_code == 1
        assert "slug" in result.output
    assert (_count(Institution), _count(User), _count(AuditEvent)) == before


def test_list_add_admin_remove_admin_and_archive(runner, make_org, make_user):
    org = make_org("Hilltop")
    user = make_user(email="boss@example.org")
    assert runner.invoke(args=["institutions", "add-admin", org.slug, user.email]).exit_code == 0
    listed = runner.invoke(args=["institutions", "list"]).output
    assert org.slug in listed and "admins=1" in listed
    result = runner.invoke(args=["institutions", "remove-admin", org.slug, user.email])
    assert result.exit_code == 0
    assert not db.session.scalar(select(Membership.is_admin))
    assert runner.invoke(args=["institutions", "archive", org.slug]).exit_code == 0
    assert db.session.get(Institution, org.id).is_archived
    assert org.slug not in runner.invoke(args=["institutions", "list"]).output
    assert org.slug in runner.invoke(args=["institutions", "list", "--archived"]).output
    refused = runner.invoke(args=["institutions", "add-admin", org.slug, user.email])
    assert refused.exit_code == 1 and "archived" in refused.output


def test_unknown_slugs_and_emails_exit_1_with_a_clear_message(runner, make_org):
    org = make_org()
    cases = [
        (
            ["institutions", "add-admin", "nowhere", "a@example.org"],
            "No institution has the slug 'nowhere'",
        ),
        (["institutions", "remove-admin", org.slug, "ghost@example.org"], "is not an admin of"),
        (["institutions", "archive", "nowhere"], "No institution has the slug"),
        (
            ["users", "disable", "ghost@example.org"],
            "No account uses the email 'ghost@example.org'",
        ),
        (["users", "enable", "ghost@example.org"], "No account uses the email"),
        (["institutions", "add-admin", org.slug, "not-an-email"], "is not an email address"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code == 1, args
        assert message in result.output, args
    assert _count(AuditEvent) == 0 and _count(Membership) == 0


def test_users_list_disable_and_enable(runner, make_user, make_org):
    grace = make_user(name="Grace Hopper", email="grace@example.org")
    make_user(email="other@example.org")
    make_org("Navy Hospital", members=(grace,))
    listed = runner.invoke(args=["users", "list", "--search", "navy"]).output
    assert "grace@example.org" in listed and "other@example.org" not in listed
    assert runner.invoke(args=["users", "disable", grace.email]).exit_code == 0
    assert not db.session.get(User, grace.id).is_active_account
    assert "disabled" in runner.invoke(args=["users", "list", "--search", "grace"]).output
    again = runner.invoke(args=["users", "disable", grace.email])
    assert again.exit_code == 1 and "already disabled" in again.output
    assert runner.invoke(args=["users", "enable", grace.email]).exit_code == 0
    assert db.session.get(User, grace.id).is_active_account
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["user.disable", "user.enable"]


def test_the_institutions_group_is_exposed_for_other_areas(app):
    assert app.cli.commands["institutions"] is institutions_group
    assert {"create", "list", "add-admin", "remove-admin", "archive"} <= set(
        institutions_group.commands
    )
