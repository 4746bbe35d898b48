"""Site admin views for accounts: search, a user's page, roles, disable/enable, reset links."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice

from app.admin import bp
from app.admin.forms import ConfirmForm, RoleForm
from app.db_tx import transaction
from app.input_limits import page_arg
from app.models import Role, User
from app.services import admin as svc
from app.services.admin import AdminError


def _user(user_id: int) -> User:
    try:
        return svc.user_by_id(user_id)
    except svc.UnknownUser:
        abort(404)


def _back(user: User) -> BaseResponse:
    return redirect(url_for("admin.user", user_id=user.id))


@bp.get("/users")
def users() -> str:
    search = request.args.get("q", "")[:100]
    page = svc.search_users(search, page=page_arg())
    return render_template("admin/users.html", page=page, search=search)


@bp.get("/users/<int:user_id>")
def user(user_id: int) -> str:
    detail = svc.user_detail(_user(user_id))
    return render_template(
        "admin/user.html", detail=detail, role_form=RoleForm(), confirm_form=ConfirmForm()
    )


def _role_change(user_id: int, grant: bool) -> BaseResponse:
    target = _user(user_id)
    form = RoleForm()
    if grant:
        form.role.choices = [
            SelectChoice(r.value, r.label) for r in Role if r is not Role.INSTITUTION_ADMIN
        ]
    else:
        form.role.choices = [SelectChoice(r.value, r.label) for r in Role]
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
        return _back(target)
    role = Role(form.role.data)
    try:
        with transaction():
            if grant:
                svc.grant_role(current_user, target, role)
            else:
                svc.revoke_role(current_user, target, role)
    except AdminError as err:
        flash(str(err), "error")
    else:
        verb = "now holds" if grant else "no longer holds"
        flash(f"{target.email} {verb} the role {role.label}.", "success")
    return _back(target)


@bp.post("/users/<int:user_id>/roles/grant")
def grant_role(user_id: int) -> BaseResponse:
    return _role_change(user_id, grant=True)


@bp.post("/users/<int:user_id>/roles/revoke")
def revoke_role(user_id: int) -> BaseResponse:
    return _role_change(user_id, grant=False)


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
def disable(user_id: int) -> str | BaseResponse:
    target = _user(user_id)
    form = ConfirmForm()
    enabling = not target.is_active_account
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            with transaction():
                if enabling:
                    svc.enable_user(current_user, target)
                else:
                    svc.disable_user(current_user, target)
        except AdminError as err:
            flash(str(err), "error")
        else:
            flash(f"{target.email} {'enabled' if enabling else 'disabled'}.", "success")
        return _back(target)
    return render_template(
        "admin/confirm.html",
        form=form,
        title=f"{'Enable' if enabling else 'Disable'} {target.email}?",
        body=(
            "They can sign in again."
            if enabling
            else "They can no longer sign in, and a session they have open ends at their next "
            "request. Nothing is deleted: their certificates stay valid and verifiable."
        ),
        button="Enable account" if enabling else "Disable account",
        danger=not enabling,
        back=url_for("admin.user", user_id=target.id),
    )


@bp.post("/users/<int:user_id>/reset-link")
def reset_link(user_id: int) -> str | BaseResponse:
    target = _user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            delivery = svc.deliver_reset_link(current_user, target)
    except AdminError as err:
        flash(str(err), "error")
        return _back(target)
    if delivery.link is None:
        flash(f"A password reset link was mailed to {target.email}.", "success")
        return _back(target)
    return make_response(
        render_template(
            "admin/link_once.html",
            user=target,
            link=delivery.link,
            back=url_for("admin.user", user_id=target.id),
            why="Mail is not configured, so the link is shown here, once. Give it to "
            f"{target.print_name} only, through a channel you trust.",
        )
    )
