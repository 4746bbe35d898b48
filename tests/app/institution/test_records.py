"""Completion records stay equal to what the source tables say, whatever writes them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_migrate import stamp
from sqlalchemy import event, select, text, update

from app.extensions import db
from app.models.certificate import Certificate
from app.models.learning import CompletionRecord, Enrollment, LessonProgress
from app.models.quiz import QuizDefinition
from app.services import learning, records, reports
from app.services.institutions import COURSE_SLUG
from tests.app.institution.conftest import NOW, add_certificate, add_learner

FIELDS = (
    "started_at",
    "completed_at",
    "modules_completed",
    "quiz_scores",
    "passed",
    "certificate_number",
    "certificate_issued_at",
    "certificate_credits",
)


def _record(user_id: int) -> dict[str, Any]:
    db.session.expire_all()
    rec = db.session.get(CompletionRecord, (user_id, COURSE_SLUG))
    assert rec is not None, f"no completion record for user {user_id}"
    return {f: getattr(rec, f) for f in FIELDS}


def _all_records() -> dict[int, dict[str, Any]]:
    db.session.expire_all()
    rows = db.session.scalars(select(CompletionRecord)).all()
    return {r.user_id: {f: getattr(r, f) for f in FIELDS} for r in rows}


def test_records_follow_progress_attempts_and_certificates_as_they_happen(
    app, admin_org, make_user
):
    _admin, org = admin_org
    nia = add_learner(org, make_user, name="Nia Nurse", state="in_progress")
    pat = add_learner(org, make_user, name="Pat Pharm", state="completed", score=0.79)
    assert _record(nia.id)["modules_completed"] == 1  # both lessons of the QR-code module
    assert _record(pat.id)["quiz_scores"] == "final-assessment 79%"
    assert _record(pat.id)["passed"] is False

    # Real service call: the learning service knows nothing about records.
    module = learning.get_course().modules[0]
    for lesson in module.lessons:
        learning.complete_lesson(nia, module.slug, lesson.slug, now=NOW)
    assert _record(nia.id)["modules_completed"] == 2

    enr = db.session.scalar(select(Enrollment).where(Enrollment.user_id == pat.id))
    cert = add_certificate(pat, enr, NOW - timedelta(days=1), number="PRX-TEST-0001")
    db.session.commit()
    rec = _record(pat.id)
    assert rec["certificate_number"] == "PRX-TEST-0001"
    assert rec["completed_at"] is not None

    cert.status = "revoked"
    db.session.commit()
    assert _record(pat.id)["certificate_number"] is None

    # What the hook kept equals a recomputation from scratch.
    kept = _all_records()
    records.rebuild()
    assert _all_records() == kept  # the admin, who never started, has no record either way
    # ... and the report reads it.
    rows, _ = reports.report_page(org)
    by_name = {r.name: r for r in rows}
    assert by_name["Nia Nurse"].modules_completed == 2
    assert by_name["Pat Pharm"].certificate_number is None


def test_a_rolled_back_change_takes_its_record_update_with_it(app, admin_org, make_user):
    _admin, org = admin_org
    nia = add_learner(org, make_user, name="Nia Nurse", state="in_progress")
    before = _record(nia.id)
    enr = db.session.scalar(select(Enrollment).where(Enrollment.user_id == nia.id))
    db.session.query(LessonProgress).filter_by(enrollment_id=enr.id).delete()
    db.session.delete(enr)
    db.session.flush()  # the hook runs here, inside the transaction
    inside = db.session.get(CompletionRecord, (nia.id, COURSE_SLUG))
    db.session.refresh(inside)
    assert inside.modules_completed == 0 and inside.started_at is None
    db.session.rollback()
    assert _record(nia.id) == before


def test_deleting_an_enrollment_clears_the_record(app, admin_org, make_user):
    _admin, org = admin_org
    nia = add_learner(org, make_user, name="Nia Nurse", state="completed")
    enr = db.session.scalar(select(Enrollment).where(Enrollment.user_id == nia.id))
    db.session.delete(enr)  # cascades to lesson progress and attempts
    db.session.commit()
    rec = _record(nia.id)
    assert rec["modules_completed"] == 0 and rec["completed_at"] is None
    assert rec["quiz_scores"] is None and rec["passed"] is False


def test_rebuild_repairs_what_bypassed_the_session(app, admin_org, make_user, runner):
    _admin, org = admin_org
    pat = add_learner(org, make_user, name="Pat Pharm", state="certified")
    assert _record(pat.id)["certificate_number"] is not None
    # A Core UPDATE (as a manual fix in SQL would be) does not pass through the ORM hook.
    db.session.execute(
        update(Certificate).where(Certificate.user_id == pat.id).values(status="revoked")
    )
    db.session.commit()
    assert _record(pat.id)["certificate_number"] is not None  # stale, as expected

    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Recomputed" in result.output and "completion records" in result.output
    assert _record(pat.id)["certificate_number"] is None


def test_setup_recomputes_records(app, admin_org, make_user, runner):
    _admin, org = admin_org
    nia_id = add_learner(org, make_user, name="Nia Nurse", state="in_progress").id
    db.session.execute(update(CompletionRecord).values(modules_completed=6))
    db.session.commit()
    stamp(directory=app.extensions["migrate"].directory)  # tables exist: mark them current
    try:
        result = runner.invoke(args=["setup"])
    finally:
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
    assert result.exit_code == 0, result.output
    assert "Completion records recomputed" in result.output
    assert _record(nia_id)["modules_completed"] == 1


def test_time_on_task_and_resume_points_leave_records_alone(app, admin_org, make_user):
    _admin, org = admin_org
    nia = add_learner(org, make_user, name="Nia Nurse", state="in_progress")
    module = learning.get_course().modules[0]
    lesson = module.lessons[0]
    learning.record_lesson_view(nia, module.slug, lesson.slug, now=NOW)
    statements: list[str] = []

    def spy(_conn, _cursor, sql, *_args):
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        assert learning.heartbeat(nia, module.slug, lesson.slug, now=NOW + timedelta(seconds=30))
        assert statements and not any("completion_record" in s for s in statements)
        learning.complete_lesson(nia, module.slug, lesson.slug, now=NOW + timedelta(seconds=60))
        assert any("completion_record" in s for s in statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)


def test_a_recompute_that_finds_nothing_new_keeps_changed_at(app, admin_org, make_user):
    _admin, org = admin_org
    nia = add_learner(org, make_user, name="Nia Nurse", state="in_progress")
    db.session.expire_all()
    before = db.session.get(CompletionRecord, (nia.id, COURSE_SLUG)).changed_at
    records.rebuild()
    records.refresh([nia.id])
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(CompletionRecord, (nia.id, COURSE_SLUG)).changed_at == before


def test_a_quiz_that_stops_being_final_updates_everyone_who_passed_it(app, admin_org, make_user):
    _admin, org = admin_org
    pat = add_learner(org, make_user, name="Pat Pharm", state="completed", score=0.9)
    assert _record(pat.id)["passed"] is True
    final = db.session.scalar(select(QuizDefinition).where(QuizDefinition.is_final.is_(True)))
    final.is_final = False
    db.session.commit()
    assert _record(pat.id)["passed"] is False
