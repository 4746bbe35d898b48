"""The learn area: the course content, credit types, and the learner's progress, resume
point and time on task.

- ``content``   the course loaded once per app, lesson HTML, lesson images, `postrx setup` check
- ``credits``   credit types from configuration (which profession claims what)
- ``progress``  lesson views, completion, heartbeats; the progress snapshot templates read

Enrollments (a learner's cycle in a course) live in ``app.services.enrollment``, shared with
the quiz and certificate areas, and are re-exported here. Nothing here commits: the view wraps
each state change in ``app.transaction``.
"""

from app.services.enrollment import current_enrollment, ensure_enrollment, start_new_cycle
from app.services.learning.content import (
    IMAGE_TYPES,
    content_path,
    course_summary,
    course_title,
    get_course,
    image_file,
    lesson_html,
    setup_content,
)
from app.services.learning.credits import (
    DEFAULT_CREDIT_TYPES,
    CreditType,
    credit_type_for,
    credit_types,
)
from app.services.learning.progress import (
    HEARTBEAT_MAX_SECONDS,
    TIME_CAP_FACTOR,
    CourseProgress,
    complete_lesson,
    course_progress,
    format_minutes,
    heartbeat,
    modules_completed,
    record_lesson_view,
    resume_point,
    time_cap_seconds,
)
from modules.catalog import ContentError
from vocab import COURSE_SLUG

__all__ = [
    "COURSE_SLUG",
    "DEFAULT_CREDIT_TYPES",
    "HEARTBEAT_MAX_SECONDS",
    "IMAGE_TYPES",
    "TIME_CAP_FACTOR",
    "ContentError",
    "CourseProgress",
    "CreditType",
    "complete_lesson",
    "content_path",
    "course_progress",
    "course_summary",
    "course_title",
    "credit_type_for",
    "credit_types",
    "current_enrollment",
    "ensure_enrollment",
    "format_minutes",
    "get_course",
    "heartbeat",
    "image_file",
    "lesson_html",
    "modules_completed",
    "record_lesson_view",
    "resume_point",
    "setup_content",
    "start_new_cycle",
    "time_cap_seconds",
]
