"""The course content: loaded from disk once per app (it is immutable while the app runs),
lesson HTML rendered once per (module, lesson), lesson images served from inside the course."""

from __future__ import annotations

import re
from pathlib import Path

from flask import current_app, has_app_context, url_for
from markupsafe import Markup

from modules import Course, Lesson, render_markdown
from modules.catalog import ContentError, check, default_content_root, load_course
from vocab import COURSE_SLUG

_COURSE_KEY = "postrx_course"
_HTML_KEY = "postrx_lesson_html"


# --------------------------------------------------------------------------------------------
# Content


def content_path() -> Path:
    """Folder of the course; COURSE_CONTENT_PATH in config overrides the bundled copy."""
    configured = current_app.config.get("COURSE_CONTENT_PATH") if has_app_context() else None
    return Path(configured) if configured else default_content_root() / COURSE_SLUG


def get_course() -> Course:
    """The course, loaded once per app and shared by every request (it is immutable)."""
    course = current_app.extensions.get(_COURSE_KEY)
    if course is None:
        course = load_course(content_path())
        current_app.extensions[_COURSE_KEY] = course
    return course


def course_title(slug: str) -> str:
    """What to call the course `slug` on a page or in a report: its title, or the slug itself
    for a course this install no longer carries (an old assignment)."""
    course = get_course()
    return course.title if course.slug == slug else slug


def course_summary(course: Course) -> str:
    """One line naming the course, its version and its size (for setup and `content check`)."""
    return (
        f"Course {course.slug} {course.version}: {len(course.modules)} modules, "
        f"{course.lesson_count} lessons"
    )


def setup_content() -> str:
    """Validate the bundled content for `postrx setup`; raise ContentError (FILE:LINE) if bad.

    Nothing is written: the caller runs this before changing anything so invalid content stops
    setup cleanly. On success the freshly loaded course replaces the per-app cache.
    """
    path = content_path()
    problems = check([path])
    if problems:
        raise ContentError(problems)
    course = load_course(path)
    if has_app_context():
        current_app.extensions[_COURSE_KEY] = course
        current_app.extensions.pop(_HTML_KEY, None)
    return course_summary(course)


_ALIGN_STYLE = re.compile(r' style="text-align:\s*(left|center|right);?"')


def lesson_html(lesson: Lesson) -> Markup:
    """Sanitized HTML of a lesson body with working lesson links and image URLs (cached)."""
    cache: dict[tuple[str, str], Markup] = current_app.extensions.setdefault(_HTML_KEY, {})
    html = cache.get(lesson.key)
    if html is None:
        module_slug = lesson.module_slug

        def lesson_url(module: str, slug: str) -> str:
            return url_for("learn.lesson", module_slug=module, lesson_slug=slug)

        def image_url(src: str) -> str:
            filename = src.removeprefix("./").removeprefix("images/")
            return url_for("learn.image", module_slug=module_slug, filename=filename)

        rendered = render_markdown(lesson.body, lesson_url=lesson_url, image_url=image_url)
        # The CSP forbids style attributes: column alignment becomes a class instead.
        rendered = _ALIGN_STYLE.sub(r' class="align-\1"', rendered)
        # Wide tables scroll sideways on a phone: make the scroller reachable by keyboard.
        rendered = rendered.replace(
            '<div class="table-wrap">',
            '<div class="table-wrap" tabindex="0" role="region" aria-label="Table">',
        )
        html = Markup(rendered)
        cache[lesson.key] = html
    return html


IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def image_file(module_slug: str, filename: str) -> tuple[Path, str] | None:
    """(path, mimetype) of an SVG/PNG inside the module's images/ folder, else None.

    Anything that resolves outside that folder (../, absolute paths, symlinks), is not a
    regular file, or is not .svg/.png is refused the same way.
    """
    module = get_course().module(module_slug)
    if module is None or module.source_path is None:
        return None
    mimetype = IMAGE_TYPES.get(Path(filename).suffix.lower())
    if mimetype is None or "\\" in filename or "\x00" in filename:
        return None
    root = (module.source_path.parent / "images").resolve()
    try:
        target = (root / filename).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target, mimetype
