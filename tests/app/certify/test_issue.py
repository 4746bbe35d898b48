"""Eligibility, the evaluation and attestation, idempotent issue and the immutable snapshot."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.db_tx import transaction
from app.extensions import db
from app.models import AuditEvent
from app.models.certificate import Certificate, CourseEvaluation
from app.services import certificates as svc
from app.services.accounts import update_profile
from app.services.certificates import CertificateError
from app.services.enrollment import current_enrollment
from tests.app.certify.conftest import ANSWERS, NOW
from tests.conftest import postgres_only


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def count_certificates() -> int:
    return db.session.execute(select(func.count()).select_from(Certificate)).scalar_one()


# ------------------------------------------------------------------ eligibility


def test_a_learner_who_never_started_is_told_to_start_the_course(app, progress):
    status = svc.eligibility(None)
    assert not status.met
    assert [m.text for m in status.missing] == ["Start the course."]
    assert status.missing[0].url == "/course/"


def test_an_incomplete_module_is_named_with_a_link_to_it(make_user, progress, enroll):
    enrollment = enroll(make_user())
    progress.modules_missing = {"04-risks"}
    status = svc.eligibility(enrollment)
    assert not status.met and not status.modules_done
    module_reasons = [m for m in status.missing if m.kind == "module"]
    assert len(module_reasons) == 1
    assert "Complete module 4" in module_reasons[0].text
    assert module_reasons[0].url == "/course/04-risks/"
    assert not status.ready_for_evaluation


def test_each_quiz_not_passed_is_named_with_a_link_to_it(make_user, progress, enroll):
    enrollment = enroll(make_user())
    progress.quizzes_failed = {"final"}
    status = svc.eligibility(enrollment)
    quiz_reasons = [m for m in status.missing if m.kind == "quiz"]
    assert [m.text for m in quiz_reasons] == ["Pass the final assessment: Final assessment."]
    assert quiz_reasons[0].url == "/quiz/final"
    assert status.modules_done and not status.quizzes_passed and not status.met


def test_a_missing_evaluation_is_the_last_step_and_opens_the_form(make_user, progress, enroll):
    enrollment = enroll(make_user())
    status = svc.eligibility(enrollment)
    assert [m.kind for m in status.missing] == ["evaluation"]
    assert status.ready_for_evaluation and not status.met


def test_a_certificate_cannot_be_issued_before_everything_is_met(make_user, progress, enroll):
    enrollment = enroll(make_user())
    with pytest.raises(CertificateError, match="not available yet"):
        svc.issue_certificate(enrollment, now=NOW, base_url="http://verify.test")
    progress.quizzes_failed = {"module-4"}
    with pytest.raises(CertificateError, match="Finish the course first"):
        svc.claim_certificate(
            enrollment, answers=ANSWERS, minutes=90, now=NOW, base_url="http://verify.test"
        )
    assert count_certificates() == 0
    assert db.session.scalar(select(func.count()).select_from(CourseEvaluation)) == 0


# ------------------------------------------------------------------ evaluation + attestation


@pytest.mark.parametrize(
    ("minutes", "credit", "stored"),
    [(95, "1.50", 95), (98, "1.75", 98), (60, "1.00", 60), (1000, "3.00", 180), (180, "3.00", 180)],
)
def test_attested_minutes_round_to_the_nearest_quarter_hour_and_cap_at_the_maximum(
    make_user, issue, minutes, credit, stored
):
    cert = issue(make_user(), minutes=minutes)
    assert cert.credit_hours == Decimal(credit)
    assert {line["amount"] for line in cert.snapshot["credits"]} == {credit}
    evaluation = db.session.scalar(select(CourseEvaluation))
    assert evaluation.minutes_attested == stored


def test_an_attestation_worth_no_credit_is_refused(make_user, issue):
    with pytest.raises(CertificateError, match="at least 8 minutes"):
        issue(make_user(), minutes=7)
    db.session.rollback()
    assert count_certificates() == 0


def test_the_evaluation_form_issues_the_certificate(client, login, make_user, progress, enroll):
    user = make_user(name="Zoë Ñúñez", credentials="RN, BSN")
    enroll(user)
    login(user)
    page = client.get("/certificates/claim").get_data(as_text=True)
    assert "free of commercial bias" in page
    assert "0 minutes</strong> of reading time" in page
    resp = client.post(
        "/certificates/claim",
        data={**ANSWERS, "free_of_bias_comment": "", "minutes": "100", "attest": "y"},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/certificates/")
    cert = db.session.scalar(select(Certificate))
    assert cert.snapshot["learner_name"] == "Zoë Ñúñez"
    assert cert.snapshot["credentials"] == "RN, BSN"
    assert cert.snapshot["credits"][0]["label"] == "Nursing"
    assert cert.credit_hours == Decimal("1.75")
    evaluation = db.session.scalar(select(CourseEvaluation))
    assert evaluation.answers["free_of_bias"] == "yes"
    assert evaluation.answers["comments"] == "Useful."
    listing = client.get("/certificates/").get_data(as_text=True)
    assert cert.number in listing and "Download PDF" in listing


def test_the_evaluation_form_needs_the_answers_and_the_attestation(
    client, login, make_user, progress, enroll
):
    user = make_user()
    enroll(user)
    login(user)
    resp = client.post("/certificates/claim", data={"minutes": "90"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Answer this question." in page and "confirm your attestation" in page
    assert count_certificates() == 0


def test_the_claim_page_lists_what_is_missing_instead_of_the_form(
    client, login, make_user, progress, enroll
):
    user = make_user()
    enroll(user)
    progress.modules_missing = {"02-benefits"}
    login(user)
    page = client.get("/certificates/claim").get_data(as_text=True)
    assert "Not yet available" in page and 'href="/course/02-benefits/"' in page
    assert 'name="minutes"' not in page
    client.post("/certificates/claim", data={**ANSWERS, "minutes": "90", "attest": "y"})
    assert count_certificates() == 0


def test_evaluation_questions_come_from_configuration(make_app, make_user):
    app = make_app(
        EVALUATION_QUESTIONS=[{"key": "pace", "label": "Was the pace right?", "kind": "yesno"}]
    )
    with app.app_context():
        assert [q.key for q in svc.evaluation_questions()] == ["pace"]
        with pytest.raises(CertificateError):
            svc.clean_answers({"objectives_met": "5"})
        assert svc.clean_answers({"pace": "no", "other": "x"}) == {"pace": "no"}


# ------------------------------------------------------------------ idempotent issue


def test_issuing_twice_gives_one_certificate(make_user, issue):
    user = make_user()
    first = issue(user)
    again = issue(user, minutes=30)
    enrollment = db.session.get(Certificate, first.id).enrollment
    third = svc.issue_certificate(enrollment, now=NOW, base_url="http://verify.test")
    assert first.id == again.id == third.id
    assert count_certificates() == 1
    assert first.credit_hours == Decimal("1.50")


def test_posting_the_evaluation_twice_gives_one_certificate(
    client, login, make_user, progress, enroll
):
    user = make_user()
    enroll(user)
    login(user)
    form = {**ANSWERS, "minutes": "90", "attest": "y"}
    assert client.post("/certificates/claim", data=form).status_code == 302
    assert client.post("/certificates/claim", data=form).status_code == 302
    assert count_certificates() == 1


def test_the_database_allows_one_valid_certificate_per_enrollment(make_user, issue):
    from sqlalchemy.exc import IntegrityError

    cert = issue(make_user())
    clone = Certificate(
        number="PRX-0000-0000-0000-0",
        enrollment_id=cert.enrollment_id,
        user_id=cert.user_id,
        course_slug=cert.course_slug,
        course_version=cert.course_version,
        completion_date=cert.completion_date,
        credit_hours=cert.credit_hours,
        snapshot=cert.snapshot,
        credential_id="urn:uuid:clone",
        subject_identifier=cert.subject_identifier,
        subject_salt=cert.subject_salt,
    )
    db.session.add(clone)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@postgres_only
@pytest.mark.parametrize("step", ["issue", "claim"])
def test_concurrent_requests_on_postgresql_give_one_certificate(
    app, make_user, progress, enroll, step
):
    user = make_user()
    enrollment = enroll(user)
    if step == "issue":  # the evaluation is in; the race is on the issue itself
        db.session.add(
            CourseEvaluation(enrollment_id=enrollment.id, answers=ANSWERS, minutes_attested=90)
        )
        db.session.commit()
    enrollment_id = enrollment.id
    barrier = threading.Barrier(4)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        with app.app_context():
            try:
                from app.models import Enrollment

                mine = db.session.get_one(Enrollment, enrollment_id)
                barrier.wait()
                with transaction():  # as the view does: the request owns the transaction
                    if step == "issue":
                        cert = svc.issue_certificate(mine, now=NOW, base_url="http://verify.test")
                    else:
                        cert = svc.claim_certificate(
                            mine,
                            answers=ANSWERS,
                            minutes=90,
                            now=NOW,
                            base_url="http://verify.test",
                        )
                numbers.append(cert.number)
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert len(numbers) == 4 and len(set(numbers)) == 1
    db.session.expire_all()
    assert count_certificates() == 1


# ------------------------------------------------------------------ snapshot and PDFs


def test_the_snapshot_holds_everything_printed(make_app, make_user, progress, enroll):
    app = make_app(
        PROVIDER_NAME="Harbor CE",
        PROVIDER_ADDRESS="1 Pier Road",
        ACCREDITATION_STATEMENT="Harbor CE is accredited.",
        CERTIFICATE_SIGNER_NAME="Ann Lee, PharmD",
    )
    with app.app_context():
        from app.services.learning import get_course

        user = make_user(profession="pharmacist", credentials="PharmD")
        cert = svc.claim_certificate(
            enroll(user), answers=ANSWERS, minutes=90, now=NOW, base_url="http://verify.test"
        )
        snap = cert.snapshot
        assert snap["number"] == cert.number and cert.number.startswith("PRX-")
        assert snap["course_title"] == get_course().title
        assert snap["course_version"] == get_course().version
        assert snap["completion_date"] == "2026-11-20" and snap["issue_date"] == "2026-11-20"
        assert snap["profession"] == "Pharmacist"
        assert snap["credits"][0]["label"] == "Pharmacy"
        assert snap["provider"]["name"] == "Harbor CE"
        assert snap["provider"]["accreditation_statements"] == ["Harbor CE is accredited."]
        assert snap["signer"]["name"] == "Ann Lee, PharmD"
        assert snap["expiry_date"] is None and cert.expires_on is None
        audit = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate.issue")
        )
        assert audit.subject == f"certificate:{cert.number}"


def test_a_profile_change_after_issue_does_not_change_the_pdf(client, login, make_user, issue):
    user = make_user(name="Anna Smith")
    cert = issue(user)
    login(user)
    url = f"/certificates/{cert.number}/certificate.pdf"
    client.get(url)  # the first download
    before = client.get(url).data
    update_profile(
        user,
        print_name="Anna Jones",
        credentials="MSN",
        profession="physician",
        licence_number=None,
        licence_state=None,
    )
    after = client.get(url).data
    assert before == after
    text = pdf_text(after)
    assert "Anna Smith" in text and "Anna Jones" not in text


def test_the_first_download_is_the_original_and_reprints_say_duplicate(
    client, login, make_user, issue
):
    user = make_user()
    cert = issue(user)
    login(user)
    first = client.get(f"/certificates/{cert.number}/certificate.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert "DUPLICATE" not in pdf_text(first.data)
    assert cert.number in pdf_text(first.data)
    second = client.get(f"/certificates/{cert.number}/certificate.pdf")
    assert "DUPLICATE" in pdf_text(second.data)


def test_learners_cannot_download_someone_elses_certificate(client, login, make_user, issue):
    owner, other = make_user(), make_user()
    cert = issue(owner)
    login(other)
    assert client.get(f"/certificates/{cert.number}/certificate.pdf").status_code == 404
    assert client.get(f"/certificates/{cert.number}/badge.jwt").status_code == 404
    assert client.get("/certificates/PRX-0000-0000-0000-0/certificate.pdf").status_code == 404
    assert cert.number not in client.get("/certificates/").get_data(as_text=True)


def test_the_transcript_lists_every_certificate(client, login, make_user, issue):
    user = make_user(name="Kai Tan")
    cert = issue(user, minutes=120)
    login(user)
    resp = client.get("/certificates/transcript.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    assert cert.number in text and "Kai Tan" in text and "2.00" in text


# ------------------------------------------------------------------ validity and new cycles


def test_a_course_validity_period_sets_expiry_and_allows_a_new_cycle(
    make_app, make_user, progress, enroll
):
    app = make_app(CERTIFICATE_VALIDITY_MONTHS={svc.COURSE_SLUG: 12})
    with app.app_context():
        user = make_user()
        cert = svc.claim_certificate(
            enroll(user), answers=ANSWERS, minutes=90, now=NOW, base_url="http://verify.test"
        )
        assert cert.expires_on.isoformat() == "2027-11-20"
        with pytest.raises(CertificateError, match="once your certificate expires"):
            svc.renew(user, now=NOW + timedelta(days=30))
        later = NOW + timedelta(days=400)
        assert svc.state_of(cert, later.date()) == "expired"
        fresh = svc.renew(user, now=later)
        assert fresh.cycle == 2
        assert svc.eligibility(fresh).evaluation_submitted is False
        second = svc.claim_certificate(
            fresh, answers=ANSWERS, minutes=60, now=later, base_url="http://verify.test"
        )
        assert second.number != cert.number
        assert [c.number for c in svc.learner_certificates(user)] == [second.number, cert.number]


def test_the_dashboard_card_shows_what_is_missing_then_the_certificate(
    client, login, make_user, progress, enroll
):
    from flask import render_template

    user = make_user()
    enroll(user)
    progress.modules_missing = {"03-qr-codes"}
    login(user)
    with client.application.test_request_context():
        from flask_login import login_user

        login_user(user)
        html = render_template("certify/_dashboard.html")
        assert "Still to do" in html and "/course/03-qr-codes/" in html
        progress.modules_missing = set()
        cert = svc.claim_certificate(
            current_enrollment(user, svc.COURSE_SLUG),
            answers=ANSWERS,
            minutes=90,
            now=NOW,
            base_url="http://verify.test",
        )
        html = render_template("certify/_dashboard.html")
        assert cert.number in html and "Download PDF" in html


def test_with_the_real_learn_and_quiz_records_a_finished_learner_can_claim(
    client, login, make_user
):
    from tests.app.certify.conftest import complete_course_for_real

    user = make_user()
    enrollment = complete_course_for_real(user)
    status = svc.eligibility(enrollment)
    assert [m.kind for m in status.missing] == ["evaluation"]
    assert svc.recorded_minutes(enrollment) > 60
    login(user)
    resp = client.post("/certificates/claim", data={**ANSWERS, "minutes": "170", "attest": "y"})
    assert resp.status_code == 302
    assert db.session.scalar(select(Certificate.credit_hours)) == Decimal("2.75")
    assert svc.eligibility(enrollment).met


def test_with_the_real_quiz_records_a_failed_final_blocks_the_certificate(make_user):
    from app.models.quiz import Attempt
    from tests.app.certify.conftest import complete_course_for_real

    enrollment = complete_course_for_real(make_user())
    final = db.session.scalar(select(Attempt).where(Attempt.quiz_key == "final-assessment"))
    final.passed, final.score = False, 0.4
    db.session.commit()
    status = svc.eligibility(enrollment)
    assert [m.kind for m in status.missing] == ["quiz", "evaluation"]
    assert "final assessment" in status.missing[0].text
