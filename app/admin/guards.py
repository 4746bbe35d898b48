"""Request hooks: who may enter /admin, disabled accounts, archived institutions.

The archive rules are enforced here, at the edge, for the institution blueprint's pages
(any method but GET/HEAD is refused) and its invite links, so they hold whichever service
module those pages call.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.admin import bp
from app.extensions import db
from app.models import Institution, User
from app.models.org import Invite
from app.services import institutions as org_service
from app.services.admin import is_site_admin

READ_ONLY = {"GET", "HEAD", "OPTIONS"}


@bp.before_request
def _site_admins_only() -> BaseResponse | None:
    """Signed out: sign in first. Signed in without Role.SITE_ADMIN: 403 on every URL."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    if not is_site_admin(current_user._get_current_object()):
        abort(403)
    return None


@bp.after_request
def _no_store(response: BaseResponse) -> BaseResponse:
    """Admin pages show people's details and one-time links: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_app_request
def _end_disabled_sessions() -> BaseResponse | None:
    """A disabled account's existing session (or remember cookie) ends at its next request."""
    user = current_user._get_current_object() if current_user else None
    if isinstance(user, User) and not user.is_active_account:
        logout_user()
        if request.endpoint and request.endpoint != "static":
            flash("This account has been disabled. Contact your administrator.", "error")
            if request.endpoint != "auth.login":
                return redirect(url_for("auth.login"))
    return None


def _archived_slug(slug: str) -> bool:
    archived = db.session.scalar(select(Institution.archived_at).where(Institution.slug == slug))
    return archived is not None


@bp.before_app_request
def _archived_institutions_are_read_only() -> BaseResponse | str | tuple[str, int] | None:
    """An archived institution's admins can look but not change; its invites stop working."""
    if request.blueprint != "institution" or not request.view_args:
        return None
    if request.endpoint == "institution.join":
        code = str(request.view_args.get("code", ""))
        archived = db.session.scalar(
            select(Institution.archived_at)
            .join(Invite, Invite.institution_id == Institution.id)
            .where(Invite.code == code)
        )
        if archived is not None:
            problem = "This invite no longer works: the institution has been archived."
            return render_template("institution/join.html", invite=None, problem=problem), 404
        return None
    slug = request.view_args.get("slug")
    if slug and request.method not in READ_ONLY and _archived_slug(str(slug)):
        try:  # someone who does not administer it gets the usual 404, not a hint
            org_service.admin_institution(current_user, str(slug))
        except LookupError:  # InstitutionNotFound
            abort(404)
        flash("This institution is archived: it can no longer be changed.", "error")
        return redirect(url_for("institution.overview", slug=slug))
    return None
