"""Site admin views for institutions: parse the form, call one service, flash, redirect.

Every state change runs in one `transaction()`; an AdminError rolls it back and is shown
beside the field it names, so a refused change leaves nothing behind.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from app.admin import bp
from app.admin.forms import (
    AdminEmailForm,
    ConfirmForm,
    InstitutionForm,
    LogoForm,
    ProviderForm,
    RenameForm,
)
from app.db_tx import transaction
from app.input_limits import page_arg
from app.models import Institution
from app.services import admin as svc
from app.services.admin import AdminError


def _org(slug: str) -> Institution:
    try:
        return svc.institution_by_slug(slug)
    except svc.UnknownInstitution:
        abort(404)


def _show_error(form: FlaskForm, err: AdminError) -> None:
    """Put the error beside its field if the form has it, else flash it."""
    name = err.field if err.field and err.field in form else None
    if name is None and err.field and f"admin_{err.field}" in form:
        name = f"admin_{err.field}"
    if name:
        form[name].errors = [*form[name].errors, str(err)]
    else:
        flash(str(err), "error")


def _forms(org: Institution) -> dict[str, FlaskForm]:
    provider = org.certificate_provider or {}
    return {
        "rename_form": RenameForm(prefix="rename", data={"name": org.name}),
        "logo_form": LogoForm(prefix="logo"),
        "provider_form": ProviderForm(
            prefix="provider",
            data={f"provider_{k}": provider.get(k, "") for k in ("name", "address", "url")},
        ),
        "admin_form": AdminEmailForm(prefix="admin"),
        "confirm_form": ConfirmForm(),
    }


def _detail(org: Institution, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    return (
        render_template(
            "admin/institution.html",
            org=org,
            admins=svc.admins_of(org),
            provider_allowed=svc.provider_details_allowed(),
            logo_max_kb=svc.logo_max_bytes() // 1024,
            **{**_forms(org), **forms},
        ),
        status,
    )


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html")


@bp.get("/institutions")
def institutions() -> str:
    search = request.args.get("q", "")[:100]
    archived = request.args.get("archived") == "1"
    page = svc.list_institutions(search, archived=archived, page=page_arg())
    return render_template("admin/institutions.html", page=page, search=search, archived=archived)


@bp.route("/institutions/new", methods=["GET", "POST"])
def new_institution() -> str | tuple[str, int] | BaseResponse:
    form = InstitutionForm()
    if form.validate_on_submit():
        try:
            with transaction():
                org, appointment = svc.create_institution(
                    current_user,
                    name=form.name.data or "",
                    slug=form.slug.data or "",
                    admin_email=form.admin_email.data,
                    admin_name=form.admin_name.data,
                )
        except AdminError as err:
            _show_error(form, err)
        else:
            flash(f"Institution “{org.name}” created.", "success")
            if appointment is not None:
                return _appointed(org, appointment)
            return redirect(url_for("admin.institution", slug=org.slug))
    status = 400 if form.errors else 200
    return render_template("admin/institution_new.html", form=form), status


def _appointed(org: Institution, appointment: svc.Appointment) -> BaseResponse:
    """After appointing: a new account's set-password link is shown here once (no mail)."""
    who = appointment.user.email
    delivery = appointment.delivery
    if delivery is not None and delivery.link:
        resp = make_response(
            render_template(
                "admin/link_once.html",
                user=appointment.user,
                link=delivery.link,
                back=url_for("admin.institution", slug=org.slug),
                why=f"{who} is now an admin of {org.name}. The account is new: give them this "
                "link to set their password.",
            )
        )
        return resp
    if delivery is not None:
        flash(
            f"{who} is now an admin of {org.name}; a link to set a password was mailed.", "success"
        )
    else:
        flash(f"{who} is now an admin of {org.name}.", "success")
    return redirect(url_for("admin.institution", slug=org.slug))


@bp.get("/institutions/<slug>")
def institution(slug: str) -> tuple[str, int]:
    return _detail(_org(slug))


@bp.post("/institutions/<slug>/rename")
def rename(slug: str) -> tuple[str, int] | BaseResponse:
    org = _org(slug)
    form = RenameForm(prefix="rename")
    if not form.validate_on_submit():
        return _detail(org, 400, rename_form=form)
    try:
        with transaction():
            svc.rename_institution(org, current_user, form.name.data or "")
    except AdminError as err:
        _show_error(form, err)
        return _detail(_org(slug), 400, rename_form=form)
    flash(f"Renamed to “{org.name}”.", "success")
    return redirect(url_for("admin.institution", slug=slug))


@bp.post("/institutions/<slug>/logo")
def logo_upload(slug: str) -> tuple[str, int] | BaseResponse:
    org = _org(slug)
    form = LogoForm(prefix="logo")
    if not form.validate_on_submit():
        return _detail(org, 400, logo_form=form)
    data = form.logo.data.stream.read(svc.logo_max_bytes() + 1)
    try:
        with transaction():
            svc.set_logo(org, current_user, data)
    except AdminError as err:
        _show_error(form, err)
        return _detail(_org(slug), 400, logo_form=form)
    flash("Logo saved.", "success")
    return redirect(url_for("admin.institution", slug=slug))


@bp.get("/institutions/<slug>/logo")
def logo(slug: str) -> BaseResponse:
    org = _org(slug)
    if not org.logo or not org.logo_type:
        abort(404)
    resp = make_response(org.logo)
    resp.headers["Content-Type"] = org.logo_type
    return resp


@bp.post("/institutions/<slug>/provider")
def provider(slug: str) -> tuple[str, int] | BaseResponse:
    org = _org(slug)
    form = ProviderForm(prefix="provider")
    if not form.validate_on_submit():
        return _detail(org, 400, provider_form=form)
    details = {
        "name": form.provider_name.data or "",
        "address": form.provider_address.data or "",
        "url": form.provider_url.data or "",
    }
    try:
        with transaction():
            svc.set_provider_details(org, current_user, details)
    except AdminError as err:
        _show_error(form, err)
        return _detail(_org(slug), 400, provider_form=form)
    flash("Certificate provider details saved.", "success")
    return redirect(url_for("admin.institution", slug=slug))


@bp.post("/institutions/<slug>/admins")
def add_admin(slug: str) -> tuple[str, int] | BaseResponse:
    org = _org(slug)
    form = AdminEmailForm(prefix="admin")
    if not form.validate_on_submit():
        return _detail(org, 400, admin_form=form)
    try:
        with transaction():
            appointment = svc.appoint_admin(
                org, current_user, form.email.data or "", name=form.name.data
            )
    except AdminError as err:
        _show_error(form, err)
        return _detail(_org(slug), 400, admin_form=form)
    return _appointed(org, appointment)


@bp.route("/institutions/<slug>/admins/<int:user_id>/remove", methods=["GET", "POST"])
def remove_admin(slug: str, user_id: int) -> str | BaseResponse:
    org = _org(slug)
    try:
        user = svc.user_by_id(user_id)
    except svc.UnknownUser:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            with transaction():
                svc.remove_admin(org, current_user, user.email)
        except AdminError as err:
            flash(str(err), "error")
        else:
            flash(f"{user.email} is no longer an admin of {org.name}.", "success")
        return redirect(url_for("admin.institution", slug=slug))
    if request.method == "POST":
        abort(400)
    return render_template(
        "admin/confirm.html",
        form=form,
        title=f"Remove {user.email} as an admin of {org.name}?",
        body="They stay a member and keep their certificates; they lose access to the "
        "institution's pages.",
        button="Remove admin",
        back=url_for("admin.institution", slug=slug),
    )


@bp.route("/institutions/<slug>/archive", methods=["GET", "POST"])
def archive(slug: str) -> str | BaseResponse:
    org = _org(slug)
    form = ConfirmForm()
    undo = org.is_archived
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            with transaction():
                if undo:
                    svc.unarchive_institution(org, current_user)
                else:
                    svc.archive_institution(org, current_user)
        except AdminError as err:
            flash(str(err), "error")
        else:
            flash(f"{org.name} {'unarchived' if undo else 'archived'}.", "success")
        return redirect(url_for("admin.institution", slug=slug))
    return render_template(
        "admin/confirm.html",
        form=form,
        title=f"{'Unarchive' if undo else 'Archive'} {org.name}?",
        body=(
            "Its admins can change it again and its invites work again."
            if undo
            else "It disappears from lists, its invites stop working and its admins can no "
            "longer change it. Nothing is deleted: its staff's certificates stay valid and "
            "verifiable, and you can unarchive it later."
        ),
        button="Unarchive" if undo else "Archive",
        danger=not undo,
        back=url_for("admin.institution", slug=slug),
    )
