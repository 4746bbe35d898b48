"""Two simultaneous submits of one attempt on PostgreSQL grade it exactly once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.db_tx import transaction
from app.extensions import db
from app.models import AuditEvent, User
from app.models.quiz import Attempt
from app.services import quiz as svc
from quizzes import default_bank_root
from tests.app.quiz.conftest import NOW, answer_all
from tests.app.quiz.helpers import no_findings
from vocab import COURSE_SLUG


def test_two_threads_submitting_the_same_attempt_grade_it_once(app, make_user):
    assert db.engine.dialect.name == "postgresql"
    from app.services.enrollment import ensure_enrollment

    with transaction():
        svc.import_bank([default_bank_root()])
    user = make_user()
    enrollment = ensure_enrollment(user, COURSE_SLUG, "1")
    db.session.commit()
    with transaction():
        attempt = svc.start_attempt(user, enrollment, "quiz-04-risks", NOW)
    answer_all(attempt)
    attempt_id, user_id = attempt.id, user.id
    db.session.remove()

    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def submit() -> None:
        with app.app_context():
            try:
                me = db.session.get_one(User, user_id)
                barrier.wait(timeout=10)
                with transaction():  # as the submit view does: commit after grading
                    done = svc.submit_attempt(attempt_id, me, NOW, privacy_check=no_findings)
                outcomes.append(done.status)
            except Exception as exc:  # surfaced by the assertion below
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes == ["graded", "graded"], outcomes
    gradings = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "quiz.graded", AuditEvent.subject == f"attempt:{attempt_id}")
    )
    assert gradings == 1
    final = db.session.get(Attempt, attempt_id)
    assert final.status == "graded" and final.passed is True
