"""Progress, completion, resume and time on task in app.services.learning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.db_tx import transaction
from app.extensions import db
from app.models.learning import LessonProgress
from app.services import learning
from app.services.learning import (
    complete_lesson,
    course_progress,
    get_course,
    modules_completed,
    record_lesson_view,
)
from app.services.learning.progress import _aware

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def user(make_user):
    return make_user()


def row(user, module_slug: str, lesson_slug: str) -> LessonProgress:
    enrollment = course_progress(user).enrollment
    assert enrollment is not None
    found = db.session.scalar(
        db.select(LessonProgress).filter_by(
            enrollment_id=enrollment.id, module_slug=module_slug, lesson_slug=lesson_slug
        )
    )
    assert found is not None
    return found


def test_a_learner_who_has_not_started_has_no_progress_and_no_resume_point(user) -> None:
    progress = course_progress(user)
    assert progress.enrollment is None
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (0, 23, 0)
    assert progress.resume is None
    assert progress.completed == frozenset() and progress.modules_completed == frozenset()
    assert progress.seconds_spent == 0 and not progress.all_lessons_done


def test_opening_a_lesson_enrolls_the_learner_and_sets_the_resume_point(user) -> None:
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    progress = course_progress(user)
    assert progress.enrollment is not None
    assert progress.enrollment.course_version == get_course().version
    assert progress.resume == ("04-risks", "information-quality")
    assert progress.lessons_done == 0


def test_completing_a_lesson_moves_resume_to_the_next_incomplete_lesson(user) -> None:
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    complete_lesson(user, "04-risks", "information-quality", now=T0 + timedelta(minutes=5))
    progress = course_progress(user)
    assert progress.completed == frozenset({("04-risks", "information-quality")})
    assert progress.resume == ("04-risks", "professional-boundaries")
    assert progress.percent == 100 * 1 // 23


def test_resume_skips_lessons_already_done_after_the_last_one_seen(user) -> None:
    complete_lesson(user, "04-risks", "professional-boundaries", now=T0)
    complete_lesson(user, "04-risks", "legal-and-ethical", now=T0)
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    complete_lesson(user, "04-risks", "information-quality", now=T0)
    assert course_progress(user).resume == ("05-seven-guidelines", "overview")


def test_resume_wraps_to_an_earlier_gap_when_the_rest_of_the_course_is_done(user) -> None:
    lessons = list(get_course().iter_lessons())
    for lesson in lessons[1:]:
        complete_lesson(user, lesson.module_slug, lesson.slug, now=T0)
    assert course_progress(user).resume == lessons[0].key


def test_when_everything_is_done_resume_points_at_the_last_lesson_seen(user) -> None:
    lessons = list(get_course().iter_lessons())
    for lesson in lessons:
        complete_lesson(user, lesson.module_slug, lesson.slug, now=T0)
    record_lesson_view(user, "03-qr-codes", "qr-codes-for-accessibility", now=T0)
    progress = course_progress(user)
    assert progress.all_lessons_done and progress.percent == 100
    assert progress.resume == ("03-qr-codes", "qr-codes-for-accessibility")


def test_a_module_counts_as_completed_only_when_all_its_lessons_are(user) -> None:
    complete_lesson(user, "03-qr-codes", "qr-codes-for-accessibility", now=T0)
    enrollment = course_progress(user).enrollment
    assert modules_completed(enrollment) == frozenset()
    complete_lesson(user, "03-qr-codes", "holding-destinations-to-standards", now=T0)
    assert modules_completed(enrollment) == frozenset({"03-qr-codes"})
    assert course_progress(user).modules_completed == frozenset({"03-qr-codes"})
    assert modules_completed(None) == frozenset()


def test_lessons_completed_at_is_set_when_the_last_lesson_is_completed(user) -> None:
    lessons = list(get_course().iter_lessons())
    for lesson in lessons[:-1]:
        complete_lesson(user, lesson.module_slug, lesson.slug, now=T0)
    enrollment = course_progress(user).enrollment
    assert enrollment is not None and enrollment.lessons_completed_at is None
    last = lessons[-1]
    finish = T0 + timedelta(hours=2)
    with transaction():  # as the view does
        complete_lesson(user, last.module_slug, last.slug, now=finish)
    db.session.refresh(enrollment)
    assert _aware(enrollment.lessons_completed_at) == finish


def test_completion_is_idempotent(user) -> None:
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    complete_lesson(user, "04-risks", "information-quality", now=T0 + timedelta(minutes=4))
    complete_lesson(user, "04-risks", "information-quality", now=T0 + timedelta(minutes=30))
    first = row(user, "04-risks", "information-quality")
    assert first.seconds_spent == 240
    assert _aware(first.completed_at) == T0 + timedelta(minutes=4)
    assert course_progress(user).lessons_done == 1
    count = db.session.scalar(db.select(db.func.count()).select_from(LessonProgress))
    assert count == 1


def test_time_on_task_is_the_time_since_the_lesson_was_opened(user) -> None:
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    complete_lesson(user, "04-risks", "information-quality", now=T0 + timedelta(seconds=125))
    assert course_progress(user).seconds_spent == 125


def test_time_on_task_is_capped_at_three_times_the_lesson_minutes(user) -> None:
    lesson = get_course().lesson("04-risks", "information-quality")
    assert lesson is not None
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    complete_lesson(user, "04-risks", "information-quality", now=T0 + timedelta(hours=10))
    assert row(user, "04-risks", "information-quality").seconds_spent == 3 * lesson.minutes * 60


def test_completing_a_lesson_never_opened_adds_no_time(user) -> None:
    complete_lesson(user, "04-risks", "information-quality", now=T0)
    assert course_progress(user).seconds_spent == 0
    assert course_progress(user).lessons_done == 1


def test_a_clock_running_backwards_adds_no_time(user) -> None:
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    complete_lesson(user, "04-risks", "information-quality", now=T0 - timedelta(minutes=5))
    assert course_progress(user).seconds_spent == 0


def test_heartbeats_add_at_most_ninety_seconds_each_and_completion_does_not_double_count(
    user,
) -> None:
    record_lesson_view(user, "04-risks", "information-quality", now=T0)
    assert (
        learning.heartbeat(user, "04-risks", "information-quality", T0 + timedelta(seconds=60))
        == 60
    )
    assert (
        learning.heartbeat(user, "04-risks", "information-quality", T0 + timedelta(seconds=600))
        == 150
    )
    complete_lesson(user, "04-risks", "information-quality", now=T0 + timedelta(seconds=630))
    assert course_progress(user).seconds_spent == 180
    after = learning.heartbeat(user, "04-risks", "information-quality", T0 + timedelta(seconds=700))
    assert after is None
    assert course_progress(user).seconds_spent == 180


def test_heartbeats_never_push_a_lesson_past_its_cap(user) -> None:
    lesson = get_course().lesson("06-putting-it-together", "before-you-post")
    assert lesson is not None
    cap = 3 * lesson.minutes * 60
    record_lesson_view(user, lesson.module_slug, lesson.slug, now=T0)
    moment = T0
    for _ in range(cap // 60 + 20):
        moment += timedelta(seconds=60)
        learning.heartbeat(user, lesson.module_slug, lesson.slug, moment)
    complete_lesson(user, lesson.module_slug, lesson.slug, now=moment + timedelta(minutes=5))
    assert course_progress(user).seconds_spent == cap


def test_heartbeat_before_opening_the_lesson_records_nothing(user) -> None:
    assert learning.heartbeat(user, "04-risks", "information-quality", T0) is None


def test_unknown_lessons_are_refused(user) -> None:
    with pytest.raises(LookupError):
        record_lesson_view(user, "04-risks", "no-such-lesson")
    with pytest.raises(LookupError):
        complete_lesson(user, "99-none", "information-quality")
    assert course_progress(user).enrollment is None


def test_progress_is_per_learner(make_user) -> None:
    ana, ben = make_user(), make_user()
    complete_lesson(ana, "04-risks", "information-quality", now=T0)
    assert course_progress(ana).lessons_done == 1
    assert course_progress(ben).lessons_done == 0
    assert course_progress(ben).enrollment is None


def test_progress_follows_the_current_cycle(user) -> None:
    from app.services.enrollment import start_new_cycle

    complete_lesson(user, "04-risks", "information-quality", now=T0)
    start_new_cycle(user, learning.COURSE_SLUG, get_course().version)
    db.session.commit()
    progress = course_progress(user)
    assert progress.enrollment is not None and progress.enrollment.cycle == 2
    assert progress.lessons_done == 0


def test_the_course_is_loaded_once_per_app(app) -> None:
    assert get_course() is get_course()
    assert app.extensions["postrx_course"] is get_course()


def test_lesson_html_is_rendered_once_per_lesson(app) -> None:
    lesson = get_course().lesson("03-qr-codes", "qr-codes-for-accessibility")
    assert lesson is not None
    with app.test_request_context():
        first = learning.lesson_html(lesson)
        assert learning.lesson_html(lesson) is first
    assert app.extensions["postrx_lesson_html"][lesson.key] is first


def test_credit_types_default_to_nursing_physician_and_pharmacy_credit(app) -> None:
    units = {credit.unit for credit in learning.credit_types()}
    assert {"nursing contact hours", "AMA PRA Category 1 Credit™", "ACPE contact hours"} <= units
    nurse = learning.credit_type_for("nurse")
    assert nurse is not None and nurse.unit == "nursing contact hours"
    pharmacist = learning.credit_type_for("pharmacist")
    assert pharmacist is not None and pharmacist.unit == "ACPE contact hours"


def test_credit_types_come_from_configuration_when_set(make_app) -> None:
    app = make_app(
        CREDIT_TYPES=[
            {
                "label": "Nursing (ANCC)",
                "unit": "contact hours",
                "professions": ["nurse"],
                "uan": None,
            },
        ]
    )
    with app.app_context():
        assert learning.credit_type_for("nurse") == learning.CreditType(
            "Nursing (ANCC)", "contact hours", ("nurse",), None
        )
        assert learning.credit_type_for("physician") is None
