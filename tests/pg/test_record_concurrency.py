"""Two transactions changing one learner's progress at once both end up in their record."""

from __future__ import annotations

import threading
import time

from sqlalchemy.orm import Session

from app.extensions import db
from app.models.learning import CompletionRecord, Enrollment, LessonProgress
from app.services.institutions import COURSE_SLUG
from tests.app.institution.conftest import NOW

QR = "03-qr-codes"  # two lessons: the module counts only when both are complete


def test_concurrent_lesson_completions_are_both_counted(app, make_user):
    assert db.engine.dialect.name == "postgresql"
    user = make_user()
    enrollment = Enrollment(
        user_id=user.id, course_slug=COURSE_SLUG, course_version="1", started_at=NOW
    )
    db.session.add(enrollment)
    db.session.commit()
    user_id, enrollment_id = user.id, enrollment.id
    db.session.remove()

    def complete(session: Session, lesson: str) -> None:
        session.add(
            LessonProgress(
                enrollment_id=enrollment_id, module_slug=QR, lesson_slug=lesson, completed_at=NOW
            )
        )
        session.flush()  # the record hook runs here

    first, second = db.session.session_factory(), db.session.session_factory()
    errors: list[BaseException] = []
    try:
        complete(first, "01-qr-codes-for-accessibility")  # holds the learner's lock until commit

        def other() -> None:
            with app.app_context():
                try:
                    complete(second, "02-holding-destinations-to-standards")  # waits for `first`
                    second.commit()
                except BaseException as exc:  # surfaced below
                    errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive(), "the second transaction did not wait for the first"
        first.commit()
        thread.join(timeout=20)
    finally:
        first.close()
        second.close()
    assert not errors, errors
    record = db.session.get(CompletionRecord, (user_id, COURSE_SLUG))
    assert record is not None and record.modules_completed == 1
