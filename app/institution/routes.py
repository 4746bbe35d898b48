"""Views of the institution blueprint: parse the form, call one service, flash, render.

Every admin view starts with `_org(slug)`, which 404s unless the signed-in user administers
that institution, so another institution's pages, downloads and ids all look like missing pages.
"""

from __future__ import annotations

import logging

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice

from app.db_tx import transaction
from app.input_limits import page_arg
from app.institution import bp
from app.institution.forms import (
    AssignmentForm,
    DepartmentForm,
    EmptyForm,
    InviteForm,
    JoinForm,
    RosterForm,
    TokenForm,
)
from app.models import Institution
from app.services import api_tokens, institutions, learning, reports
from app.services.api_tokens import TokenNotFound
from app.services.institutions import InstitutionError, InstitutionNotFound

log = logging.getLogger("postrx.institution")


def _org(slug: str) -> Institution:
    try:
        return institutions.admin_institution(current_user, slug)
    except InstitutionNotFound:
        abort(404)


def _dept_choices(org: Institution, blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [SelectChoice(str(d.id), d.name) for d in org.departments]


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@bp.app_context_processor
def _learner_due_helpers() -> dict[str, object]:
    """`learner_due_items()` and `format_due()` for the dashboard partial _learner_due.html."""
    from certificates.render import format_date

    def learner_due_items() -> list[institutions.LearnerDue]:
        if not current_user.is_authenticated:
            return []
        return institutions.assignments_for_user(current_user)

    return {"learner_due_items": learner_due_items, "format_due": format_date}


@bp.before_app_request
def _continue_pending_invite() -> BaseResponse | None:
    """After signing in or registering from an invite page, go back to it to finish joining."""
    code = session.get("pending_invite")
    if code and current_user.is_authenticated and request.endpoint == "main.dashboard":
        session.pop("pending_invite", None)
        return redirect(url_for("institution.join", code=code))
    return None


@bp.get("/")
@login_required
def index() -> str | BaseResponse:
    orgs = institutions.admin_institutions(current_user)
    if len(orgs) == 1:
        return redirect(url_for("institution.overview", slug=orgs[0].slug))
    if not orgs:
        abort(404)
    return render_template("institution/index.html", orgs=orgs)


@bp.get("/<slug>/")
@login_required
def overview(slug: str) -> str:
    org = _org(slug)
    summary = reports.summary(org)
    return render_template("institution/overview.html", org=org, summary=summary)


# ---------------------------------------------------------------- members and roster


@bp.get("/<slug>/members")
@login_required
def members(slug: str) -> str:
    org = _org(slug)
    page = page_arg()
    search = request.args.get("q", "")[:100]
    rows, total = institutions.members_page(org, search=search, page=page)
    return render_template(
        "institution/members.html",
        org=org,
        rows=rows,
        total=total,
        page=page,
        per_page=50,
        search=search,
        form=EmptyForm(),
        dept_form=DepartmentForm(),
        reset_link=None,
    )


@bp.post("/<slug>/members/<int:membership_id>/reset-link")
@login_required
def member_reset_link(slug: str, membership_id: int) -> str | BaseResponse:
    org = _org(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            link = institutions.member_reset_link(org, current_user, membership_id)
    except InstitutionNotFound:
        abort(404)
    except InstitutionError as err:
        flash(str(err), "error")
        return redirect(url_for("institution.members", slug=slug))
    member = institutions.member_of(org, membership_id)
    if link is None:
        flash(
            f"A password-reset e-mail is on its way to {member.user.email}. People who joined "
            "with their own account reset their password themselves.",
            "info",
        )
        return redirect(url_for("institution.members", slug=slug))
    return render_template("institution/reset_link.html", org=org, member=member, link=link)


@bp.post("/<slug>/departments")
@login_required
def add_department(slug: str) -> BaseResponse:
    org = _org(slug)
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            with transaction():
                institutions.add_department(org, current_user, form.name.data)
        except InstitutionError as err:
            flash(str(err), "error")
        else:
            flash(f"Department “{form.name.data.strip()}” added.", "success")
    else:
        flash("Give the department a name.", "error")
    return redirect(url_for("institution.members", slug=slug))


@bp.get("/<slug>/roster")
@login_required
def roster(slug: str) -> str:
    """The upload form; the file goes to a background job (app/jobs/routes.py)."""
    org = _org(slug)
    return render_template("institution/roster.html", org=org, form=RosterForm(), problems=[])


# ---------------------------------------------------------------- invites


@bp.route("/<slug>/invites", methods=["GET", "POST"])
@login_required
def invites(slug: str) -> str | BaseResponse:
    org = _org(slug)
    form = InviteForm()
    form.department.choices = _dept_choices(org, "Whole institution")
    if form.validate_on_submit():
        try:
            with transaction():
                invite = institutions.create_invite(
                    org,
                    current_user,
                    department_id=_int_or_none(form.department.data),
                    days_valid=form.days_valid.data,
                    max_uses=form.max_uses.data,
                )
        except InstitutionError as err:
            flash(str(err), "error")
        else:
            flash(f"Invite created. Share the link or the code {invite.code}.", "success")
            return redirect(url_for("institution.invites", slug=slug))
    return render_template(
        "institution/invites.html",
        org=org,
        form=form,
        invites=institutions.list_invites(org),
        revoke_form=EmptyForm(),
        problem=institutions.invite_problem,
    )


@bp.post("/<slug>/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(slug: str, invite_id: int) -> BaseResponse:
    org = _org(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            institutions.revoke_invite(org, current_user, invite_id)
    except InstitutionNotFound:
        abort(404)
    flash("Invite revoked; the link no longer works.", "success")
    return redirect(url_for("institution.invites", slug=slug))


@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code: str) -> str | BaseResponse | tuple[str, int]:
    invite = institutions.invite_by_code(code)
    problem = institutions.invite_problem(invite)
    if problem:
        return render_template("institution/join.html", invite=None, problem=problem), 404
    assert invite is not None
    if not current_user.is_authenticated:
        session["pending_invite"] = code
        return render_template(
            "institution/join.html", invite=invite, problem=None, form=None, code=code
        )
    form = JoinForm()
    if form.validate_on_submit():
        try:
            with transaction():
                institutions.join_with_invite(current_user, code)
        except InstitutionError as err:
            flash(str(err), "error")
            return redirect(url_for("institution.join", code=code))
        flash(f"You have joined {invite.institution.name}.", "success")
        return redirect(url_for("main.dashboard"))
    return render_template(
        "institution/join.html", invite=invite, problem=None, form=form, code=code
    )


# ---------------------------------------------------------------- assignments


@bp.route("/<slug>/assignments", methods=["GET", "POST"])
@login_required
def assignments(slug: str) -> str | BaseResponse:
    org = _org(slug)
    form = AssignmentForm()
    form.department.choices = _dept_choices(org, "Whole institution")
    if form.validate_on_submit():
        try:
            with transaction():
                institutions.create_assignment(
                    org,
                    current_user,
                    due_date=form.due_date.data,
                    department_id=_int_or_none(form.department.data),
                    recurrence=form.recurrence.data,
                )
        except InstitutionError as err:
            flash(str(err), "error")
        else:
            flash("Assignment saved.", "success")
            return redirect(url_for("institution.assignments", slug=slug))
    return render_template(
        "institution/assignments.html",
        org=org,
        form=form,
        assignments=institutions.list_assignments(org),
        course_title=learning.course_title,
        delete_form=EmptyForm(),
    )


@bp.post("/<slug>/assignments/<int:assignment_id>/delete")
@login_required
def delete_assignment(slug: str, assignment_id: int) -> BaseResponse:
    org = _org(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            institutions.delete_assignment(org, current_user, assignment_id)
    except InstitutionNotFound:
        abort(404)
    flash("Assignment removed.", "success")
    return redirect(url_for("institution.assignments", slug=slug))


# ---------------------------------------------------------------- reports


@bp.get("/<slug>/report")
@login_required
def report(slug: str) -> str:
    org = _org(slug)
    filters = reports.ReportFilters.from_args(request.args)
    page = page_arg()
    rows, total = reports.report_page(org, filters, page=page, per_page=50)
    return render_template(
        "institution/report.html",
        org=org,
        filters=filters,
        rows=rows,
        total=total,
        page=page,
        per_page=50,
        statuses=institutions.STATUS_LABELS,
        columns=reports.SORTABLE,
        query=filters.to_args(),
    )


# ---------------------------------------------------------------- API tokens


@bp.route("/<slug>/tokens", methods=["GET", "POST"])
@login_required
def tokens(slug: str) -> BaseResponse:
    org = _org(slug)
    form = TokenForm()
    new_secret = None
    if form.validate_on_submit():
        try:
            with transaction():
                new = api_tokens.create_token(org, current_user, form.name.data)
        except InstitutionError as err:
            flash(str(err), "error")
        else:
            new_secret = new.secret
            form = TokenForm(formdata=None)
    resp = make_response(
        render_template(
            "institution/tokens.html",
            org=org,
            form=form,
            tokens=api_tokens.list_tokens(org),
            new_secret=new_secret,
            revoke_form=EmptyForm(),
        )
    )
    resp.headers["Cache-Control"] = "no-store"  # the new token is on this page once
    return resp


@bp.post("/<slug>/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(slug: str, token_id: int) -> BaseResponse:
    org = _org(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            api_tokens.revoke_token(org, current_user, token_id)
    except TokenNotFound:
        abort(404)
    flash("Token revoked; requests using it are now refused.", "success")
    return redirect(url_for("institution.tokens", slug=slug))
