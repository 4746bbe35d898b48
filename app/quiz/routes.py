"""Learner quiz views: landing page, start, one page per scenario, review, submit, result.

Answer pages render only `Scenario.public_view()`; option feedback, levels, concept phrases and
the debrief appear on the result page after submission.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.db_tx import transaction
from app.models.quiz import Attempt
from app.quiz import bp
from app.quiz.forms import ActionForm, AnswerForm
from app.services import quiz as svc
from modules import render_markdown


def _now() -> datetime:
    return datetime.now(UTC)


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = svc.get_attempt_for(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


def _markdown(text: str) -> Markup:
    return Markup(render_markdown(text or ""))


@bp.after_request
def _no_store(response: Response) -> Response:
    """Attempt pages carry a learner's answers: keep them out of shared caches and history."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def _quiz_helpers() -> dict[str, Any]:
    """`quiz_card(module_slug)` and `quiz_dashboard()` for the learn and dashboard pages."""

    def quiz_card(module_slug: str) -> svc.QuizStatus | None:
        return svc.module_quiz_card(
            current_user if current_user.is_authenticated else None, module_slug, _now()
        )

    def quiz_dashboard() -> list[svc.QuizStatus]:
        if not current_user.is_authenticated:
            return []
        return svc.learner_summary(current_user, _now())

    return {"quiz_card": quiz_card, "quiz_dashboard": quiz_dashboard}


@bp.get("/")
@login_required
def index() -> str:
    return render_template(
        "quiz/index.html", quizzes=svc.learner_summary(current_user, _now()), now=_now()
    )


@bp.get("/<quiz_key>")
@login_required
def landing(quiz_key: str) -> str:
    page = svc.landing(current_user, quiz_key, _now())
    if page is None:
        abort(404)
    return render_template("quiz/landing.html", page=page, form=ActionForm(), now=_now())


@bp.post("/<quiz_key>/start")
@login_required
def start(quiz_key: str) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    if svc.quiz_definition(quiz_key) is None:
        abort(404)
    try:
        with transaction():
            attempt = svc.start_for_user(current_user, quiz_key, _now())
    except svc.QuizError as err:
        flash(str(err), "error")
        return redirect(url_for("quiz.landing", quiz_key=quiz_key))
    return redirect(url_for("quiz.question", attempt_id=attempt.id, n=1))


@bp.route("/attempt/<int:attempt_id>/<int:n>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, n: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    if attempt.status != "in_progress":
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    items = svc.questions(attempt)
    if not 1 <= n <= len(items):
        abort(404)
    q = items[n - 1]
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            with transaction():
                svc.save_answer(attempt, q.row_id, form.selected.data or [], form.text.data or "")
        except svc.QuizError as err:
            flash(str(err), "error")
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n))
        action = form.action.data
        if action == "previous" and n > 1:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n - 1))
        if action == "next" and n < len(items):
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n + 1))
        if action == "save":
            flash("Your answer has been saved.", "success")
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n))
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        q=q,
        items=items,
        form=form,
        situation=_markdown(q.public.situation),
        title=svc.quiz_title(attempt.quiz_key),
    )


@bp.get("/attempt/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    if attempt.status != "in_progress":
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        items=svc.questions(attempt),
        form=ActionForm(),
        title=svc.quiz_title(attempt.quiz_key),
    )


@bp.post("/attempt/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> Response:
    _own_attempt(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            svc.submit_attempt(attempt_id, current_user, _now())
    except svc.QuizError:
        abort(404)
    return redirect(url_for("quiz.result", attempt_id=attempt_id))


@bp.get("/attempt/<int:attempt_id>")
@login_required
def result(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    if attempt.status == "in_progress":
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    page = svc.result_page(attempt, _now())
    return render_template(
        "quiz/result.html",
        attempt=attempt,
        items=page.items,
        shows=page.shows,
        shows_why=page.why,
        markdown=_markdown,
        title=svc.quiz_title(attempt.quiz_key),
    )
