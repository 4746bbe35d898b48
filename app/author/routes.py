"""Views of the author blueprint: parse the form, call one service function, flash, render."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from app.author import bp
from app.author.forms import (
    EmptyForm,
    ImportForm,
    PersonForm,
    PreviewForm,
    QuizForm,
    ReviewForm,
    RubricForm,
    ScenarioForm,
)
from app.db_tx import transaction
from app.models import Role
from app.security import role_required
from app.services import author as authoring
from app.services import quiz as quiz_service
from app.services.author import AuthoringError, ImportProblems, QuizFields, UploadError, analytics
from app.services.quiz import review
from modules import render_markdown
from vocab import guideline_name

EDUCATOR = Role.EDUCATOR


def _place(form: FlaskForm, err: AuthoringError) -> None:
    """Put each problem on its field (with the YAML line), else flash it."""
    for p in err.problems:
        field = getattr(form, p.field, None) if p.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, str(p)]
        else:
            flash(str(p), "error")


def _back(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values))


def _check_post() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


# --------------------------------------------------------------------------- home


@bp.get("/")
@role_required(EDUCATOR)
def index() -> str:
    return render_template(
        "author/index.html",
        scenarios=authoring.scenario_summaries(),
        rubrics=authoring.rubric_summaries(),
        queue=review.queue(),
        quizzes=authoring.quiz_definitions(),
    )


# --------------------------------------------------------------------------- scenarios


@bp.get("/scenarios")
@role_required(EDUCATOR)
def scenarios() -> str:
    return render_template("author/scenarios.html", scenarios=authoring.scenario_summaries())


def _scenario_form(fields: dict[str, Any] | None = None, body: str | None = None) -> ScenarioForm:
    form = ScenarioForm(data=fields) if fields is not None else ScenarioForm()
    if body is not None and not form.is_submitted():
        form.body.data = body
    form.rubric.choices = [SelectChoice(k, k) for k in authoring.rubric_keys()]
    return form


@bp.route("/scenarios/new", methods=["GET", "POST"])
@role_required(EDUCATOR)
def new_scenario() -> str | Response:
    stype = request.args.get("type", "single")
    if stype not in authoring.STARTERS:
        stype = "single"
    form = _scenario_form(
        {"type": stype} if request.method == "GET" else None, authoring.STARTERS[stype]
    )
    if form.validate_on_submit():
        try:
            with transaction():
                draft = authoring.save_scenario_draft(
                    form.common_fields(), form.body.data, current_user
                )
        except AuthoringError as err:
            _place(form, err)
        else:
            flash("Draft saved. Preview it, then publish it when it is ready.", "success")
            return _back("author.scenario", key=draft.key)
    return render_template("author/scenario_form.html", form=form, key=None, stype=stype)


def _scenario_or_404(key: str) -> list[authoring.VersionInfo]:
    versions = authoring.scenario_versions(key)
    if not versions:
        abort(404)
    return versions


@bp.get("/scenarios/<key>")
@role_required(EDUCATOR)
def scenario(key: str) -> str:
    versions = _scenario_or_404(key)
    return render_template(
        "author/scenario.html",
        key=key,
        versions=versions,
        form=EmptyForm(),
        archived=any(v.status == "archived" for v in versions),
        published=any(v.status == "published" for v in versions),
        has_draft=versions[0].label == "draft",
    )


@bp.route("/scenarios/<key>/edit", methods=["GET", "POST"])
@role_required(EDUCATOR)
def edit_scenario(key: str) -> str | Response:
    loaded = authoring.scenario_form_data(key)
    if loaded is None:
        abort(404)
    fields, body = loaded
    form = _scenario_form(fields if request.method == "GET" else None, body)
    form.id.data = key
    if form.validate_on_submit():
        try:
            with transaction():
                authoring.save_scenario_draft(
                    form.common_fields(), form.body.data, current_user, key=key
                )
        except AuthoringError as err:
            _place(form, err)
        else:
            flash("Draft saved.", "success")
            return _back("author.scenario", key=key)
    return render_template("author/scenario_form.html", form=form, key=key, stype=None)


@bp.post("/scenarios/<key>/publish")
@role_required(EDUCATOR)
def publish_scenario(key: str) -> Response:
    _check_post()
    try:
        with transaction():
            row = authoring.publish_scenario(key, current_user)
    except AuthoringError as err:
        for p in err.problems:
            flash(str(p), "error")
    else:
        flash(f"Published as version {row.version}.", "success")
    return _back("author.scenario", key=key)


@bp.post("/scenarios/<key>/discard")
@role_required(EDUCATOR)
def discard_scenario(key: str) -> Response:
    _check_post()
    try:
        with transaction():
            authoring.discard_draft("scenario", key, current_user)
    except AuthoringError as err:
        flash(str(err), "error")
    else:
        flash("Draft discarded.", "success")
    if not authoring.scenario_versions(key):
        return _back("author.scenarios")
    return _back("author.scenario", key=key)


@bp.post("/scenarios/<key>/archive")
@role_required(EDUCATOR)
def archive_scenario(key: str) -> Response:
    _check_post()
    archive = request.form.get("restore") != "1"
    try:
        with transaction():
            changed = authoring.set_archived(key, archive, current_user)
    except AuthoringError as err:
        flash(str(err), "error")
    else:
        if archive:
            flash(
                f"Archived. New attempts will not draw it; removed from {changed} quiz(zes).",
                "success",
            )
        else:
            flash("Restored. Add it to a quiz again in the quiz builder.", "success")
    return _back("author.scenario", key=key)


@bp.route("/scenarios/<key>/preview/<label>", methods=["GET", "POST"])
@role_required(EDUCATOR)
def preview_scenario(key: str, label: str) -> str:
    pair = authoring.preview_pair(key, label)
    if pair is None:
        abort(404)
    scenario, rubric = pair
    form = PreviewForm()
    choices = [SelectChoice(o.id, o.text) for o in scenario.options]
    form.choice.choices = choices
    form.choices.choices = choices
    result = None
    if form.validate_on_submit():
        selected = (
            [form.choice.data]
            if scenario.type == "single" and form.choice.data
            else list(form.choices.data or [])
            if scenario.type == "multi"
            else []
        )
        try:
            result = authoring.preview_grade(scenario, rubric, selected, form.text.data or "")
        except AuthoringError as err:
            flash(str(err), "error")
    return render_template(
        "author/preview.html",
        key=key,
        label=label,
        public=scenario.public_view(),
        scenario=scenario,
        rubric=rubric,
        form=form,
        result=result,
        warnings=authoring.preview_warnings(scenario, rubric),
        situation_html=render_markdown(scenario.situation),
        debrief_html=render_markdown(scenario.debrief) if result else "",
    )


def _diff_view(kind: str, key: str, versions: list[authoring.VersionInfo]) -> str:
    labels = [v.label for v in versions]
    a = request.args.get("a") or (labels[1] if len(labels) > 1 else labels[0])
    b = request.args.get("b") or labels[0]
    old = authoring.version_yaml(kind, key, a)
    new = authoring.version_yaml(kind, key, b)
    if old is None or new is None:
        abort(404)
    lines = authoring.diff_lines(old, new)
    return render_template(
        "author/diff.html",
        kind=kind,
        key=key,
        a=a,
        b=b,
        labels=labels,
        lines=lines,
        added=sum(1 for x in lines if x and x.op == "+"),
        removed=sum(1 for x in lines if x and x.op == "-"),
    )


@bp.get("/scenarios/<key>/diff")
@role_required(EDUCATOR)
def diff_scenario(key: str) -> str:
    return _diff_view("scenario", key, _scenario_or_404(key))


# --------------------------------------------------------------------------- rubrics


@bp.get("/rubrics")
@role_required(EDUCATOR)
def rubrics() -> str:
    return render_template("author/rubrics.html", rubrics=authoring.rubric_summaries())


@bp.route("/rubrics/new", methods=["GET", "POST"])
@role_required(EDUCATOR)
def new_rubric() -> str | Response:
    form = RubricForm()
    if not form.is_submitted():
        form.body.data = authoring.RUBRIC_STARTER
    if form.validate_on_submit():
        try:
            with transaction():
                draft = authoring.save_rubric_draft(
                    form.common_fields(), form.body.data, current_user
                )
        except AuthoringError as err:
            _place(form, err)
        else:
            flash("Rubric draft saved.", "success")
            return _back("author.rubric", key=draft.key)
    return render_template("author/rubric_form.html", form=form, key=None)


def _rubric_or_404(key: str) -> list[authoring.VersionInfo]:
    versions = authoring.rubric_versions(key)
    if not versions:
        abort(404)
    return versions


@bp.get("/rubrics/<key>")
@role_required(EDUCATOR)
def rubric(key: str) -> str:
    versions = _rubric_or_404(key)
    return render_template(
        "author/rubric.html",
        key=key,
        versions=versions,
        form=EmptyForm(),
        has_draft=versions[0].label == "draft",
    )


@bp.route("/rubrics/<key>/edit", methods=["GET", "POST"])
@role_required(EDUCATOR)
def edit_rubric(key: str) -> str | Response:
    loaded = authoring.rubric_form_data(key)
    if loaded is None:
        abort(404)
    fields, body = loaded
    form = RubricForm(data=fields) if request.method == "GET" else RubricForm()
    if not form.is_submitted():
        form.body.data = body
    form.id.data = key
    if form.validate_on_submit():
        try:
            with transaction():
                authoring.save_rubric_draft(
                    form.common_fields(), form.body.data, current_user, key=key
                )
        except AuthoringError as err:
            _place(form, err)
        else:
            flash("Rubric draft saved.", "success")
            return _back("author.rubric", key=key)
    return render_template("author/rubric_form.html", form=form, key=key)


@bp.post("/rubrics/<key>/publish")
@role_required(EDUCATOR)
def publish_rubric(key: str) -> Response:
    _check_post()
    try:
        with transaction():
            rv = authoring.publish_rubric(key, current_user)
    except AuthoringError as err:
        for p in err.problems:
            flash(str(p), "error")
    else:
        flash(f"Rubric published as version {rv.version}.", "success")
    return _back("author.rubric", key=key)


@bp.post("/rubrics/<key>/discard")
@role_required(EDUCATOR)
def discard_rubric(key: str) -> Response:
    _check_post()
    try:
        with transaction():
            authoring.discard_draft("rubric", key, current_user)
    except AuthoringError as err:
        flash(str(err), "error")
    else:
        flash("Draft discarded.", "success")
    if not authoring.rubric_versions(key):
        return _back("author.rubrics")
    return _back("author.rubric", key=key)


@bp.get("/rubrics/<key>/diff")
@role_required(EDUCATOR)
def diff_rubric(key: str) -> str:
    return _diff_view("rubric", key, _rubric_or_404(key))


# --------------------------------------------------------------------------- quiz builder


@bp.get("/quizzes")
@role_required(EDUCATOR)
def quizzes() -> str:
    return render_template("author/quizzes.html", quizzes=authoring.quiz_definitions())


def _quiz_fields(form: QuizForm) -> QuizFields:
    keys = tuple(
        k.strip() for k in (form.scenarios.data or "").replace(",", "\n").splitlines() if k.strip()
    )
    return QuizFields(
        title=form.title.data,
        module=None if form.module.data == "final" else form.module.data,
        scenario_keys=keys,
        pass_mark=float(form.pass_mark.data),
        order=form.order.data,
        max_attempts=form.max_attempts.data,
        cooldown_hours=float(form.cooldown_hours.data),
        keep=form.keep.data,
        review=form.review.data,
    )


def _quiz_page(form: QuizForm, key: str | None) -> str:
    return render_template(
        "author/quiz_form.html", form=form, key=key, available=authoring.available_scenarios()
    )


@bp.route("/quizzes/new", methods=["GET", "POST"])
@role_required(EDUCATOR)
def new_quiz() -> str | Response:
    form = QuizForm()
    if not form.is_submitted():
        form.order.data, form.keep.data, form.review.data = "fixed", "best", "low-confidence"
        form.pass_mark.data, form.max_attempts.data, form.cooldown_hours.data = 0.8, 3, 24
    if form.validate_on_submit():
        try:
            with transaction():
                qd = authoring.save_quiz(
                    form.quiz_key.data.strip(), _quiz_fields(form), current_user, create=True
                )
        except AuthoringError as err:
            _place(form, err)
        else:
            flash("Quiz created.", "success")
            return _back("author.quiz", key=qd.quiz_key)
    return _quiz_page(form, None)


@bp.route("/quizzes/<key>", methods=["GET", "POST"])
@role_required(EDUCATOR)
def quiz(key: str) -> str | Response:
    qd = quiz_service.quiz_definition(key)
    if qd is None:
        abort(404)
    form = QuizForm()
    if not form.is_submitted():
        form.title.data = qd.title
        form.module.data = "final" if qd.is_final else qd.module_slug
        form.scenarios.data = "\n".join(qd.scenario_keys)
        form.order.data, form.keep.data, form.review.data = qd.order, qd.keep, qd.review
        form.pass_mark.data = qd.pass_mark
        form.max_attempts.data = qd.max_attempts
        form.cooldown_hours.data = qd.cooldown_hours
    form.quiz_key.data = key
    if form.validate_on_submit():
        try:
            with transaction():
                qd = authoring.save_quiz(key, _quiz_fields(form), current_user)
        except AuthoringError as err:
            _place(form, err)
        else:
            flash(f"Quiz saved (version {qd.version}). New attempts use it.", "success")
            return _back("author.quiz", key=key)
    return _quiz_page(form, key)


# --------------------------------------------------------------------------- import / export


@bp.route("/bank", methods=["GET", "POST"])
@role_required(EDUCATOR)
def bank() -> str:
    form = ImportForm()
    problems: tuple[str, ...] = ()
    report = None
    if form.validate_on_submit():
        uploads = [
            (f.filename or "", f.read())
            for f in request.files.getlist(form.files.name)
            if f and f.filename
        ]
        try:
            with transaction():
                report = authoring.import_upload(uploads, current_user)
        except UploadError as err:
            form.files.errors = [*form.files.errors, str(err)]
        except ImportProblems as err:
            problems = err.lines
        else:
            flash("Import complete." if report.changed else "Nothing changed.", "success")
    return render_template("author/bank.html", form=form, problems=problems, report=report)


@bp.get("/bank/export.zip")
@role_required(EDUCATOR)
def export_bank() -> FlaskResponse:
    data = authoring.export_zip()
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return FlaskResponse(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="scenario-bank-{stamp}.zip"',
            "Cache-Control": "no-store",
        },
    )


# --------------------------------------------------------------------------- review queue


@bp.get("/review")
@role_required(EDUCATOR)
def review_queue() -> str:
    return render_template("author/review_queue.html", items=review.queue())


@bp.route("/review/<int:answer_id>", methods=["GET", "POST"])
@role_required(EDUCATOR)
def review_answer(answer_id: int) -> str | Response:
    answer = review.reviewable_answer(answer_id)
    if answer is None:
        abort(404)
    form = ReviewForm()
    view = review.answer_review(answer)
    if form.validate_on_submit():
        levels = {
            item.criterion.id: request.form.get(f"level-{item.criterion.id}", "")
            for item in view.criteria
        }
        try:
            with transaction():
                review.submit_review(answer, levels, form.note.data, current_user)
        except (review.ReviewError, quiz_service.QuizError) as err:
            flash(str(err), "error")
        else:
            flash("Review saved.", "success")
            return _back("author.review_queue")
    return render_template(
        "author/review_answer.html",
        view=view,
        form=form,
        situation_html=render_markdown(view.scenario.situation),
    )


# --------------------------------------------------------------------------- analytics


@bp.get("/analytics")
@role_required(EDUCATOR)
def analytics_page() -> str:
    quiz_key = request.args.get("quiz") or None
    rep = analytics.report(quiz_key)
    return render_template(
        "author/analytics.html",
        rep=rep,
        quiz_key=quiz_key,
        quizzes=authoring.quiz_definitions(),
        item_chart=analytics.bar_chart([(i.scenario_key, i.facility) for i in rep.items]),
        guideline_chart=analytics.bar_chart(
            [(f"{g.guideline}. {guideline_name(g.guideline)}", g.mastery) for g in rep.guidelines]
        ),
    )


@bp.get("/analytics.csv")
@role_required(EDUCATOR)
def analytics_csv() -> FlaskResponse:
    rep = analytics.report(request.args.get("quiz") or None)
    return FlaskResponse(
        analytics.csv_text(rep),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="postrx-item-analytics.csv"'},
    )


# --------------------------------------------------------------------------- people


@bp.route("/people", methods=["GET", "POST"])
@role_required(Role.SITE_ADMIN)
def people() -> str | Response:
    form = PersonForm()
    if form.validate_on_submit():
        grant = form.action.data != "revoke"
        try:
            with transaction():
                user = authoring.set_educator(form.email.data, grant, current_user)
        except AuthoringError as err:
            _place(form, err)
        else:
            flash(f"{user.email} is {'now' if grant else 'no longer'} an educator.", "success")
            return _back("author.people")
    return render_template(
        "author/people.html", form=form, educators=authoring.educators(), revoke=EmptyForm()
    )


@bp.app_context_processor
def _review_helpers() -> dict[str, object]:
    """`review_queue_summary()` for the dashboard: the queue, for educators only."""

    def review_queue_summary() -> review.QueueSummary | None:
        if not current_user.is_authenticated or not current_user.has_role(EDUCATOR):
            return None
        return review.queue_summary()

    return {"review_queue_summary": review_queue_summary}
