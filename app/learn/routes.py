"""Views of the learn blueprint: course overview, module pages, lessons and lesson images.

Views stay thin: look the content up (404 when unknown), call one service function, render or
redirect. The overview is public so anyone can read the accreditation details before starting;
modules, lessons and images need a signed-in learner.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.db_tx import transaction
from app.learn import bp
from app.learn.forms import CompleteLessonForm
from app.services import learning
from modules import Course, Lesson, Module

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.app_template_global("learn_progress")
def _learn_progress() -> learning.CourseProgress | None:
    """Dashboard card helper: the signed-in learner's progress, computed only when asked."""
    if not current_user.is_authenticated:
        return None
    return learning.course_progress(current_user)


@bp.app_template_global("learn_course")
def _learn_course() -> Course:
    return learning.get_course()


@bp.app_template_filter("learn_minutes")
def _learn_minutes(minutes: int) -> str:
    return learning.format_minutes(minutes)


def _module_or_404(module_slug: str) -> Module:
    module = learning.get_course().module(module_slug)
    if module is None:
        abort(404)
    return module


def _lesson_or_404(module_slug: str, lesson_slug: str) -> Lesson:
    lesson = learning.get_course().lesson(module_slug, lesson_slug)
    if lesson is None:
        abort(404)
    return lesson


def _neighbours(course: Course, module: Module) -> tuple[Module | None, Module | None]:
    index = course.modules.index(module)
    previous = course.modules[index - 1] if index > 0 else None
    following = course.modules[index + 1] if index + 1 < len(course.modules) else None
    return previous, following


@bp.get("/")
def overview() -> str:
    course = learning.get_course()
    progress = learning.course_progress(current_user) if current_user.is_authenticated else None
    return render_template(
        "learn/overview.html",
        course=course,
        progress=progress,
        credit_types=learning.credit_types(),
        accreditation_statement=current_app.config.get("ACCREDITATION_STATEMENT", ""),
    )


@bp.get("/<module_slug>/")
@login_required
def module(module_slug: str) -> str:
    course = learning.get_course()
    mod = _module_or_404(module_slug)
    previous, following = _neighbours(course, mod)
    return render_template(
        "learn/module.html",
        course=course,
        module=mod,
        module_slug=mod.slug,
        previous_module=previous,
        next_module=following,
        progress=learning.course_progress(current_user),
    )


@bp.get("/<module_slug>/<lesson_slug>")
@login_required
def lesson(module_slug: str, lesson_slug: str) -> str:
    course = learning.get_course()
    item = _lesson_or_404(module_slug, lesson_slug)
    with transaction():
        learning.record_lesson_view(current_user, item.module_slug, item.slug)
    progress = learning.course_progress(current_user)
    return render_template(
        "learn/lesson.html",
        course=course,
        module=course.module(item.module_slug),
        lesson=item,
        body=learning.lesson_html(item),
        previous_lesson=course.previous_lesson(item),
        next_lesson=course.next_lesson(item),
        progress=progress,
        done=progress.is_done(item),
        form=CompleteLessonForm(),
        heartbeat_seconds=int(current_app.config.get("LEARN_HEARTBEAT_SECONDS", 60)),
    )


@bp.post("/<module_slug>/<lesson_slug>/complete")
@login_required
def complete(module_slug: str, lesson_slug: str) -> BaseResponse:
    course = learning.get_course()
    item = _lesson_or_404(module_slug, lesson_slug)
    if not CompleteLessonForm().validate_on_submit():
        abort(400)
    with transaction():
        learning.complete_lesson(current_user, item.module_slug, item.slug)
    following = course.next_lesson(item)
    if following is None:
        return redirect(url_for("learn.overview"))
    if following.module_slug != item.module_slug:
        # End of a module: its page holds the takeaways and the module quiz.
        return redirect(url_for("learn.module", module_slug=item.module_slug) + "#module-end")
    return redirect(
        url_for("learn.lesson", module_slug=following.module_slug, lesson_slug=following.slug)
    )


@bp.post("/<module_slug>/<lesson_slug>/heartbeat")
@login_required
def heartbeat(module_slug: str, lesson_slug: str) -> tuple[Response, int]:
    item = _lesson_or_404(module_slug, lesson_slug)
    with transaction():
        seconds = learning.heartbeat(current_user, item.module_slug, item.slug)
    payload: dict[str, Any] = {"recorded": seconds is not None, "seconds": seconds or 0}
    return jsonify(payload), 200


@bp.get("/<module_slug>/images/<path:filename>")
@login_required
def image(module_slug: str, filename: str) -> Response:
    found = learning.image_file(module_slug, filename)
    if found is None:
        abort(404)
    path, mimetype = found
    # Lesson images are small: read them whole (no open file handle outlives the request).
    response = Response(path.read_bytes(), mimetype=mimetype)
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    response.add_etag()
    response.make_conditional(request)
    if mimetype == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return response
