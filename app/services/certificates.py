"""CE certificates: eligibility, the evaluation and attestation, issue, reprint, verification,
revocation and reissue, and Open Badges 3.0 credentials signed as VC-JWT.

Rows meet the framework-free ``certificates`` package here: a certificate row stores
``CertificateData.to_dict()`` at issue and every PDF, verify page and badge is built from that
snapshot, so a later profile or provider change never alters what was issued.

Signing keys: the public JWK is a row (``SigningKey``); the PRIVATE key is a PEM file
``INSTANCE_DIR/keys/<kid>.pem`` written with mode 0600 in a 0700 folder. A database dump or
backup therefore never carries it, and rotating SECRET_KEY does not break signing. Back the
keys folder up with the instance folder; on several app servers share it (or run
``postrx setup`` once and copy it). A server that cannot find a key's file makes a new key;
older keys stay in the JWKS so credentials they signed keep verifying.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from app.extensions import db
from app.models import Enrollment, LessonProgress, User
from app.models.certificate import Certificate, CertificateStatus, CourseEvaluation, SigningKey
from app.services import audit
from certificates import ob3
from certificates.model import CertificateData, CreditLine, ProviderInfo, Signer, claimable_credit
from certificates.numbers import new_number, normalize
from certificates.render import render_pdf, render_transcript
from vocab import COURSE_SLUG, profession_label

MAX_REASON_LENGTH = 500


class CertificateError(ValueError):
    """A certificate rule was broken; the message is safe to show the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ------------------------------------------------------------------ configuration defaults

DEFAULT_EVALUATION_QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "key": "objectives_met",
        "label": "The course met its stated learning objectives.",
        "kind": "scale",
        "required": True,
    },
    {
        "key": "relevance",
        "label": "The content is relevant to my practice.",
        "kind": "scale",
        "required": True,
    },
    {
        "key": "free_of_bias",
        "label": "The course was free of commercial bias.",
        "kind": "yesno",
        "required": True,
        "comment": "If not, tell us where you saw bias.",
    },
    {
        "key": "comments",
        "label": "Any other comments or suggestions?",
        "kind": "text",
        "required": False,
    },
)

SCALE_CHOICES: tuple[tuple[str, str], ...] = (
    ("5", "Strongly agree"),
    ("4", "Agree"),
    ("3", "Neutral"),
    ("2", "Disagree"),
    ("1", "Strongly disagree"),
)

DEFAULT_SIGNER_NAME = "Dana Okafor, DNP, RN"
DEFAULT_SIGNER_TITLE = "Director of Continuing Education"


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question: kind is scale (1-5 agreement), yesno or text."""

    key: str
    label: str
    kind: str
    required: bool = True
    comment: str | None = None  # a yesno question may ask for a comment


def evaluation_questions() -> tuple[Question, ...]:
    """Questions from app.config EVALUATION_QUESTIONS (list of dicts) or the defaults."""
    raw = current_app.config.get("EVALUATION_QUESTIONS", DEFAULT_EVALUATION_QUESTIONS)
    questions = []
    for item in raw:
        q = Question(
            key=str(item["key"]),
            label=str(item["label"]),
            kind=str(item.get("kind", "text")),
            required=bool(item.get("required", True)),
            comment=item.get("comment"),
        )
        if q.kind not in {"scale", "yesno", "text"}:
            raise ValueError(f"evaluation question {q.key!r}: unknown kind {q.kind!r}")
        questions.append(q)
    return tuple(questions)


# ------------------------------------------------------------------ collaborators


def _learning() -> Any:
    from app.services import learning  # provided by the learn area

    return learning


def _quizzes() -> Any:
    from app.services import quizzes  # provided by the quiz area

    return quizzes


def get_course() -> Any:
    """The published course (modules.Course) as the learn area serves it."""
    return _learning().get_course()


def _path(endpoint: str, fallback: str, **values: Any) -> str:
    """A site-relative link that works inside or outside a request (CLI, tests)."""
    try:
        return current_app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:
        return fallback


# ------------------------------------------------------------------ eligibility


@dataclass(frozen=True, slots=True)
class Missing:
    """A requirement not yet met, with where to go to meet it."""

    text: str
    url: str | None = None
    kind: str = ""  # start | module | quiz | review | evaluation


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether the certificate can be released for an enrollment, and what is still missing."""

    met: bool
    missing: list[Missing]
    modules_done: bool = False
    quizzes_passed: bool = False
    evaluation_submitted: bool = False

    @property
    def ready_for_evaluation(self) -> bool:
        """Modules and quizzes done: the evaluation and attestation form may be shown."""
        return self.modules_done and self.quizzes_passed and not self.evaluation_submitted


def evaluation_for(enrollment: Enrollment) -> CourseEvaluation | None:
    return db.session.scalar(
        select(CourseEvaluation).where(CourseEvaluation.enrollment_id == enrollment.id)
    )


def eligibility(enrollment: Enrollment | None) -> Eligibility:
    """Every module complete, every module quiz and the final assessment passed, and the
    evaluation (with the time attestation) submitted: only then is a certificate released."""
    if enrollment is None:
        return Eligibility(
            False, [Missing("Start the course.", _path("learn.overview", "/course/"), "start")]
        )
    course = get_course()
    done = _learning().modules_completed(enrollment)
    missing: list[Missing] = []
    for module in course.modules:
        if module.slug not in done:
            missing.append(
                Missing(
                    f"Complete module {module.position}: {module.title}.",
                    _path("learn.module", "/course/", module_slug=module.slug),
                    "module",
                )
            )
    modules_done = not missing
    quizzes_passed = bool(_quizzes().required_quizzes_passed(enrollment))
    if not quizzes_passed:
        missing.extend(_quiz_reasons(enrollment))
    evaluation_submitted = evaluation_for(enrollment) is not None
    if not evaluation_submitted:
        missing.append(
            Missing(
                "Submit the course evaluation and attest the time you spent.",
                _path("certify.claim", "/certificates/claim"),
                "evaluation",
            )
        )
    return Eligibility(
        met=not missing,
        missing=missing,
        modules_done=modules_done,
        quizzes_passed=quizzes_passed,
        evaluation_submitted=evaluation_submitted,
    )


def _quiz_reasons(enrollment: Enrollment) -> list[Missing]:
    """One reason per quiz not yet passed, linking to it; a general one if none is named."""
    reasons = []
    for quiz in _quizzes().quiz_summary(enrollment):
        if not quiz.passed and quiz.awaiting_review:
            since = f" (submitted {quiz.awaiting_since:%d %b %Y})" if quiz.awaiting_since else ""
            reasons.append(
                Missing(
                    f"Your answers to {quiz.title} are awaiting an educator's review{since}. "
                    "Your certificate unlocks once the grade is confirmed.",
                    _path("quiz.landing", "/quiz/", quiz_key=quiz.quiz_key),
                    "review",
                )
            )
        elif not quiz.passed:
            what = "the final assessment" if quiz.is_final else "the module quiz"
            reasons.append(
                Missing(
                    f"Pass {what}: {quiz.title}.",
                    _path("quiz.landing", "/quiz/", quiz_key=quiz.quiz_key),
                    "quiz",
                )
            )
    return reasons or [
        Missing(
            "Pass every module quiz and the final assessment.",
            _path("quiz.index", "/quiz/"),
            "quiz",
        )
    ]


def recorded_minutes(enrollment: Enrollment) -> int:
    """Time on task the site recorded for this cycle (lesson time), shown as a guide only."""
    seconds = db.session.scalar(
        select(func.coalesce(func.sum(LessonProgress.seconds_spent), 0)).where(
            LessonProgress.enrollment_id == enrollment.id
        )
    )
    return int(seconds or 0) // 60


def max_minutes(course: Any) -> int:
    """The longest time a learner can attest: the course's maximum credit in minutes."""
    return int(Decimal(str(course.max_credit_hours)) * 60)


def credit_for(minutes: int, course: Any) -> Decimal:
    """Credit claimable for the attested minutes: nearest 0.25 hour, capped at the maximum."""
    return claimable_credit(max(0, min(int(minutes), max_minutes(course))), course.max_credit_hours)


# ------------------------------------------------------------------ evaluation + issue


def clean_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only configured questions' answers; check required ones and the allowed values."""
    out: dict[str, Any] = {}
    for q in evaluation_questions():
        value = str(answers.get(q.key) or "").strip()
        if q.kind == "scale" and value and value not in {k for k, _ in SCALE_CHOICES}:
            raise CertificateError("Choose one of the options.", q.key)
        if q.kind == "yesno" and value and value not in {"yes", "no"}:
            raise CertificateError("Answer yes or no.", q.key)
        if q.required and not value:
            raise CertificateError("Answer this question.", q.key)
        out[q.key] = value[:4000]
        if q.comment:
            out[f"{q.key}_comment"] = str(answers.get(f"{q.key}_comment") or "").strip()[:4000]
    return out


def _active_certificate(enrollment_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrollment_id == enrollment_id,
            Certificate.status == CertificateStatus.VALID.value,
        )
    )


def active_certificate(enrollment: Enrollment) -> Certificate | None:
    """The enrollment's valid certificate, if it has been issued."""
    return _active_certificate(enrollment.id)


def _revoked_certificate(enrollment_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrollment_id == enrollment_id,
            Certificate.status == CertificateStatus.REVOKED.value,
        )
    )


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def provider_info(base_url: str) -> ProviderInfo:
    """The CE provider as configured (name, address, accreditation statements)."""
    cfg = current_app.config
    statement = cfg.get("ACCREDITATION_STATEMENT")
    statements = statement if isinstance(statement, list | tuple) else [statement]
    return ProviderInfo(
        name=cfg["PROVIDER_NAME"],
        address=cfg.get("PROVIDER_ADDRESS", ""),
        url=cfg.get("PROVIDER_URL") or base_url,
        accreditation_statements=tuple(s for s in statements if s),
        joint_accreditation_statement=cfg.get("JOINT_ACCREDITATION_STATEMENT"),
    )


def signer_info() -> Signer:
    """The configured signatory of certificates."""
    cfg = current_app.config
    image = cfg.get("CERTIFICATE_SIGNATURE_PNG")  # a path; its bytes go into the snapshot
    data = Path(image).read_bytes() if image else None
    return Signer(
        name=cfg.get("CERTIFICATE_SIGNER_NAME", DEFAULT_SIGNER_NAME),
        title=cfg.get("CERTIFICATE_SIGNER_TITLE", DEFAULT_SIGNER_TITLE),
        signature_png=data,
    )


def logo_png() -> bytes | None:
    """The configured certificate logo, if any."""
    path = current_app.config.get("CERTIFICATE_LOGO_PNG")
    return Path(path).read_bytes() if path else None


def credit_lines(profession: str, amount: Decimal) -> tuple[CreditLine, ...]:
    """Every configured credit type (CREDIT_TYPES, read by the learn area) with the amount
    claimed; the learner's own profession's line comes first."""
    types = sorted(_learning().credit_types(), key=lambda t: profession not in t.professions)
    return tuple(CreditLine(t.label, amount, t.unit, uan=t.uan) for t in types)


def _snapshot_for(
    user: User,
    *,
    number: str,
    course_title: str,
    course_version: str,
    completion: date,
    issue: date,
    expires: date | None,
    amount: Decimal,
    base_url: str,
) -> CertificateData:
    return CertificateData(
        number=number,
        learner_name=user.print_name,
        credentials=user.credentials or "",
        profession=profession_label(user.profession),
        course_title=course_title,
        course_version=course_version,
        completion_date=completion,
        issue_date=issue,
        expiry_date=expires,
        credits=credit_lines(user.profession, amount),
        provider=provider_info(base_url),
        signer=signer_info(),
        logo=logo_png(),
    )


def _subject_hash(email: str) -> tuple[str, str]:
    """OB3 identityHash for the email, and the salt the issuer keeps."""
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}", salt


def _unused_number() -> str:
    for _ in range(5):
        number = new_number()
        if db.session.scalar(select(Certificate.id).where(Certificate.number == number)) is None:
            return number
    raise RuntimeError("could not draw an unused certificate number")  # pragma: no cover


def _add_certificate(
    enrollment: Enrollment, evaluation: CourseEvaluation, *, now: datetime, base_url: str
) -> Certificate:
    """Build the snapshot and add the row (flushes; the caller commits)."""
    course = get_course()
    user = db.session.get(User, enrollment.user_id)
    amount = credit_for(evaluation.minutes_attested, course)
    completion = _as_utc(evaluation.submitted_at).date()
    issue = now.date()
    months = current_app.config.get("CERTIFICATE_VALIDITY_MONTHS", {}).get(enrollment.course_slug)
    expires = max(_add_months(completion, int(months)), issue) if months else None
    number = _unused_number()
    data = _snapshot_for(
        user,
        number=number,
        course_title=course.title,
        course_version=enrollment.course_version or course.version,
        completion=completion,
        issue=issue,
        expires=expires,
        amount=amount,
        base_url=base_url,
    )
    identity, salt = _subject_hash(user.email)
    cert = Certificate(
        number=number,
        enrollment_id=enrollment.id,
        user_id=user.id,
        course_slug=enrollment.course_slug,
        course_version=data.course_version,
        issued_at=now,
        completion_date=completion,
        expires_on=expires,
        credit_hours=amount,
        snapshot=data.to_dict(),
        status=CertificateStatus.VALID.value,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_identifier=identity,
        subject_salt=salt,
    )
    db.session.add(cert)
    if enrollment.completed_at is None:
        enrollment.completed_at = now
    audit.record(
        "certificate.issue",
        actor=user,
        subject=f"certificate:{number}",
        enrollment_id=enrollment.id,
        credit_hours=str(amount),
    )
    db.session.flush()
    return cert


def _lost_race(enrollment_id: int) -> Certificate:
    """After a unique-index clash: the certificate the concurrent request committed."""
    db.session.rollback()
    winner = _active_certificate(enrollment_id)
    if winner is None:  # pragma: no cover - the clash was not about this enrollment
        raise CertificateError("The certificate could not be issued. Please try again.")
    return winner


def issue_certificate(enrollment: Enrollment, *, now: datetime, base_url: str) -> Certificate:
    """The enrollment's certificate, issued on first call and returned unchanged afterwards.

    Idempotent per learner, course and cycle: at most one valid certificate per enrollment,
    enforced by a unique partial index, so two simultaneous requests still give one row.
    """
    enrollment_id = enrollment.id
    existing = _active_certificate(enrollment_id)
    if existing is not None:
        return existing
    if _revoked_certificate(enrollment_id) is not None:
        raise CertificateError(
            "The certificate for this course was revoked. Contact the CE office for help."
        )
    status = eligibility(enrollment)
    if not status.met:
        raise CertificateError(
            "The certificate is not available yet: " + " ".join(m.text for m in status.missing)
        )
    evaluation = evaluation_for(enrollment)
    assert evaluation is not None
    try:
        cert = _add_certificate(enrollment, evaluation, now=now, base_url=base_url)
        db.session.commit()
    except IntegrityError:  # PostgreSQL raises at the INSERT, SQLite at the latest at COMMIT
        return _lost_race(enrollment_id)
    return cert


def claim_certificate(
    enrollment: Enrollment,
    *,
    answers: Mapping[str, Any],
    minutes: int,
    now: datetime,
    base_url: str,
) -> Certificate:
    """Record the evaluation and time attestation and issue the certificate, in one transaction.

    Posting the form twice (or from two tabs) gives the same certificate.
    """
    enrollment_id = enrollment.id
    existing = _active_certificate(enrollment_id)
    if existing is not None:
        return existing
    status = eligibility(enrollment)
    if not (status.modules_done and status.quizzes_passed):
        todo = [m.text for m in status.missing if m.kind != "evaluation"]
        raise CertificateError("Finish the course first: " + " ".join(todo))
    if _revoked_certificate(enrollment_id) is not None:
        raise CertificateError(
            "The certificate for this course was revoked. Contact the CE office for help."
        )
    try:
        evaluation = evaluation_for(enrollment) or _add_evaluation(
            enrollment, answers=answers, minutes=minutes, now=now
        )
        cert = _add_certificate(enrollment, evaluation, now=now, base_url=base_url)
        db.session.commit()
    except IntegrityError:
        return _lost_race(enrollment_id)
    return cert


def _add_evaluation(
    enrollment: Enrollment, *, answers: Mapping[str, Any], minutes: int, now: datetime
) -> CourseEvaluation:
    """Validate and add the evaluation with the capped attestation (flushes)."""
    course = get_course()
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise CertificateError("Enter the number of minutes you spent.", "minutes")
    capped = min(minutes, max_minutes(course))
    if credit_for(capped, course) <= 0:
        raise CertificateError(
            "Credit is given in quarter hours: attest at least 8 minutes.", "minutes"
        )
    evaluation = CourseEvaluation(
        enrollment_id=enrollment.id,
        answers=clean_answers(answers),
        minutes_attested=capped,
        submitted_at=now,
    )
    db.session.add(evaluation)
    audit.record(
        "evaluation.submit",
        actor=db.session.get(User, enrollment.user_id),
        subject=f"enrollment:{enrollment.id}",
        minutes_attested=capped,
    )
    db.session.flush()
    return evaluation


# ------------------------------------------------------------------ reading certificates


def find_by_number(text: str) -> Certificate | None:
    """The certificate with this number in any accepted spelling; None if unknown/malformed."""
    number = normalize(text)
    if number is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == number))


def learner_certificates(user: User) -> list[Certificate]:
    """All of a learner's certificates across cycles, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def learner_certificate(user: User, number: str) -> Certificate | None:
    """The learner's own certificate by number; someone else's looks exactly like unknown."""
    cert = find_by_number(number)
    if cert is None or cert.user_id != user.id:
        return None
    return cert


def state_of(cert: Certificate, today: date) -> str:
    """valid / revoked / expired / superseded, as the verify page and lists show it."""
    if cert.status == CertificateStatus.SUPERSEDED.value:
        return "superseded"
    if cert.status == CertificateStatus.REVOKED.value:
        return "revoked"
    if cert.expires_on is not None and today > cert.expires_on:
        return "expired"
    return "valid"


def certificate_data(cert: Certificate, *, duplicate: bool = False) -> CertificateData:
    """The stored snapshot, with revocation overlaid (the snapshot itself never changes)."""
    data = CertificateData.from_dict(cert.snapshot)
    if cert.status == CertificateStatus.REVOKED.value:
        data = replace(
            data,
            status="revoked",
            revoked_on=_as_utc(cert.revoked_at).date() if cert.revoked_at else None,
            revocation_reason=cert.revoked_reason,
        )
    if duplicate:
        data = replace(data, duplicate=True)
    return data


def superseding(cert: Certificate) -> Certificate | None:
    return db.session.get(Certificate, cert.superseded_by_id) if cert.superseded_by_id else None


def download_pdf(cert: Certificate, *, now: datetime, base_url: str) -> bytes:
    """The certificate PDF. The first download is the original; later ones print DUPLICATE."""
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError("This certificate is no longer valid and cannot be downloaded.")
    duplicate = cert.first_downloaded_at is not None
    if not duplicate:
        cert.first_downloaded_at = now
        db.session.commit()
    return render_pdf(certificate_data(cert, duplicate=duplicate), base_url)


def transcript_pdf(user: User, *, today: date, base_url: str) -> bytes:
    """A transcript of all the learner's certificates and credits (superseded ones left out,
    their corrected replacement stands for them; revoked ones are listed, not counted)."""
    certs = [
        certificate_data(c)
        for c in learner_certificates(user)
        if c.status != CertificateStatus.SUPERSEDED.value
    ]
    return render_transcript(user.print_name, certs, base_url, generated_on=today)


# ------------------------------------------------------------------ renewal


def can_renew(user: User, today: date) -> bool:
    """A new cycle opens once the certificate of the current cycle has expired."""
    from app.services.enrollment import current_enrollment

    enrollment = current_enrollment(user, COURSE_SLUG)
    if enrollment is None:
        return False
    cert = _active_certificate(enrollment.id)
    return cert is not None and state_of(cert, today) == "expired"


def renew(user: User, *, now: datetime) -> Enrollment:
    """Start the next cycle after expiry; earlier cycles and certificates are kept."""
    from app.services.enrollment import start_new_cycle

    if not can_renew(user, now.date()):
        raise CertificateError("You can start the course again once your certificate expires.")
    enrollment = start_new_cycle(user, COURSE_SLUG, get_course().version)
    audit.record("enrollment.new_cycle", actor=user, subject=f"enrollment:{enrollment.id}")
    db.session.commit()
    return enrollment


# ------------------------------------------------------------------ dashboard card


@dataclass(frozen=True, slots=True)
class CardStatus:
    """What the dashboard card shows: the certificate, or what is still missing."""

    certificate: Certificate | None
    state: str | None
    eligibility: Eligibility | None
    can_renew: bool


def dashboard_status(user: User, today: date) -> CardStatus:
    from app.services.enrollment import current_enrollment

    enrollment = current_enrollment(user, COURSE_SLUG)
    cert = _active_certificate(enrollment.id) if enrollment else None
    if cert is None and enrollment is not None:
        cert = _revoked_certificate(enrollment.id)
    if cert is not None:
        state = state_of(cert, today)
        return CardStatus(cert, state, None, state == "expired")
    return CardStatus(None, None, eligibility(enrollment), False)


# ------------------------------------------------------------------ staff: revoke, reissue


def staff_search(query: str) -> list[Certificate]:
    """Certificates by number (any spelling) or by the learner's email."""
    query = (query or "").strip()
    if not query:
        return []
    cert = find_by_number(query)
    if cert is not None:
        return [cert]
    return list(
        db.session.scalars(
            select(Certificate)
            .join(User, User.id == Certificate.user_id)
            .where(func.lower(User.email) == query.lower())
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("Give a reason; it is shown on the public verify page.", "reason")
    return reason[:MAX_REASON_LENGTH]


def revoke(cert: Certificate, *, actor: User | None, reason: str, now: datetime) -> Certificate:
    """Revoke a valid certificate; the verify page and badge status then say so."""
    reason = _clean_reason(reason)
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError(f"Certificate {cert.number} is already {cert.status}.")
    cert.status = CertificateStatus.REVOKED.value
    cert.revoked_at = now
    cert.revoked_reason = reason
    audit.record(
        "certificate.revoke", actor=actor, subject=f"certificate:{cert.number}", reason=reason
    )
    db.session.commit()
    return cert


def reissue(
    cert: Certificate, *, actor: User | None, reason: str, now: datetime, base_url: str
) -> Certificate:
    """A corrected certificate from the learner's current profile, with a new number.

    Course, completion date, credit claimed and expiry carry over from the original; the
    original becomes superseded by the new one and stays verifiable as such.
    """
    reason = _clean_reason(reason)
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError(f"Only a valid certificate can be reissued ({cert.status}).")
    user = db.session.get(User, cert.user_id) if cert.user_id else None
    if user is None:
        raise CertificateError("The learner's account no longer exists.")
    old = CertificateData.from_dict(cert.snapshot)
    number = _unused_number()
    data = _snapshot_for(
        user,
        number=number,
        course_title=old.course_title,
        course_version=old.course_version,
        completion=old.completion_date,
        issue=now.date(),
        expires=max(old.expiry_date, now.date()) if old.expiry_date else None,
        amount=Decimal(cert.credit_hours),
        base_url=base_url,
    )
    data = replace(data, provider=old.provider, signer=old.signer, logo=old.logo)
    cert.status = CertificateStatus.SUPERSEDED.value
    db.session.flush()  # free the enrollment's "one valid certificate" slot first
    identity, salt = _subject_hash(user.email)
    new = Certificate(
        number=number,
        enrollment_id=cert.enrollment_id,
        user_id=user.id,
        course_slug=cert.course_slug,
        course_version=cert.course_version,
        issued_at=now,
        completion_date=cert.completion_date,
        expires_on=data.expiry_date,
        credit_hours=cert.credit_hours,
        snapshot=data.to_dict(),
        status=CertificateStatus.VALID.value,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_identifier=identity,
        subject_salt=salt,
    )
    db.session.add(new)
    db.session.flush()
    cert.superseded_by_id = new.id
    audit.record(
        "certificate.reissue",
        actor=actor,
        subject=f"certificate:{cert.number}",
        reason=reason,
        new_number=number,
    )
    db.session.commit()
    return new


def revoke_by_number(number: str, *, reason: str, now: datetime) -> Certificate:
    """For `postrx certificates revoke`: the actor is the operator at the console."""
    cert = find_by_number(number)
    if cert is None:
        raise CertificateError(f"No certificate has the number {number!r}.")
    return revoke(cert, actor=None, reason=reason, now=now)


# ------------------------------------------------------------------ Open Badges 3.0


def _keys_dir() -> Path:
    path = Path(current_app.config["INSTANCE_DIR"]) / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _key_path(kid: str) -> Path:
    return _keys_dir() / f"{kid}.pem"


def _create_key() -> tuple[str, bytes]:
    pem, jwk = ob3.generate_keypair()
    kid = f"postrx-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
    fd = os.open(_key_path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    db.session.add(SigningKey(kid=kid, public_jwk={**jwk, "kid": kid}))
    db.session.commit()
    return kid, pem


def signing_key() -> tuple[str, bytes]:
    """(kid, private PEM) of the newest key whose file this server has; made on first use."""
    for row in db.session.scalars(
        select(SigningKey).order_by(SigningKey.created_at.desc(), SigningKey.id.desc())
    ):
        path = _key_path(row.kid)
        if path.exists():
            return row.kid, path.read_bytes()
    return _create_key()


def setup_keys() -> str:
    """Make sure a signing key exists (called by `postrx setup`); returns a status line."""
    kid, _pem = signing_key()
    return f"Open Badges signing key {kid} ready (private key in {_keys_dir()})."


def jwks() -> dict[str, Any]:
    """Every public key ever used, so old credentials keep verifying after a new key."""
    rows = db.session.scalars(select(SigningKey).order_by(SigningKey.id))
    return {"keys": [dict(row.public_jwk) for row in rows]}


def issuer_id(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/issuer.json"


def status_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/status.json"


def achievement_id(base_url: str, course_slug: str) -> str:
    return f"{base_url.rstrip('/')}/verify/achievements/{course_slug}.json"


def issuer_profile(base_url: str) -> dict[str, Any]:
    """The OB3 issuer Profile served at the stable issuer id URL."""
    cfg = current_app.config
    return {
        "@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT],
        "id": issuer_id(base_url),
        "type": ["Profile"],
        "name": cfg["PROVIDER_NAME"],
        "url": cfg.get("PROVIDER_URL") or base_url,
        "description": cfg.get("ACCREDITATION_STATEMENT", ""),
        "address": {"type": ["Address"], "streetAddress": cfg.get("PROVIDER_ADDRESS", "")},
        "publicKeys": f"{base_url.rstrip('/')}/verify/jwks.json",
    }


def achievement(base_url: str, course_slug: str) -> dict[str, Any] | None:
    course = get_course()
    if course.slug != course_slug:
        return None
    return {
        "@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT],
        "id": achievement_id(base_url, course_slug),
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": course.title,
        "description": course.summary,
        "criteria": {"narrative": course.participation},
        "creditsAvailable": float(course.max_credit_hours),
        "creator": {"id": issuer_id(base_url), "type": ["Profile"]},
    }


def badge_jwt(cert: Certificate, *, base_url: str) -> str:
    """The certificate as an OpenBadgeCredential, signed as a compact VC-JWT."""
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError("This certificate is no longer valid.")
    data = certificate_data(cert)
    credential = ob3.build_credential(
        data,
        issuer_id=issuer_id(base_url),
        issuer_name=current_app.config["PROVIDER_NAME"],
        issuer_url=current_app.config.get("PROVIDER_URL") or base_url,
        achievement_id=achievement_id(base_url, cert.course_slug),
        subject_identifier=cert.subject_identifier,
        credential_id=cert.credential_id,
        status_url=status_url(base_url),
    )
    kid, pem = signing_key()
    return ob3.sign_credential(credential, pem, kid)


def revocation_list(base_url: str) -> dict[str, Any]:
    """1EdTech revocation list: credential ids (urn:uuid, not numbers) no longer valid."""
    rows = db.session.execute(
        select(Certificate.credential_id, Certificate.status, Certificate.revoked_reason)
        .where(Certificate.status != CertificateStatus.VALID.value)
        .order_by(Certificate.id)
    )
    return {
        "id": status_url(base_url),
        "type": "1EdTechRevocationList",
        "issuer": issuer_id(base_url),
        "revokedCredentials": [
            {
                "id": cid,
                "revocationReason": reason
                if status == CertificateStatus.REVOKED.value
                else "Superseded by a corrected certificate.",
            }
            for cid, status, reason in rows
        ],
    }


def _credential_revoked(credential_id: str) -> bool:
    cert = db.session.scalar(select(Certificate).where(Certificate.credential_id == credential_id))
    return cert is None or cert.status != CertificateStatus.VALID.value


VERIFY_MESSAGES = {
    "ok": "Valid: the signature, the claims and the dates check out and it is not revoked.",
    "malformed": "This is not a readable VC-JWT credential.",
    "bad-header": "The credential's header is not one we issue (wrong algorithm or type).",
    "unknown-key": "The credential was not signed with one of our published keys.",
    "bad-signature": "The signature does not match: the credential was altered or forged.",
    "claims-mismatch": "The JWT claims do not match the credential body.",
    "not-yet-valid": "The credential is not valid yet.",
    "expired": "The credential has expired.",
    "revoked": "The credential has been revoked or replaced by a corrected one.",
}


# Reasons reached only after the signature and claims checked out: the body is ours to show.
_TRUSTED_BODY = frozenset({"ok", "not-yet-valid", "expired", "revoked"})


@dataclass(frozen=True, slots=True)
class PastedResult:
    """The outcome of checking a pasted credential, ready for the page."""

    valid: bool
    reason: str
    message: str
    credential: dict[str, Any] | None
    certificate_number: str | None


def verify_pasted(token: str, *, now: datetime) -> PastedResult:
    """Check a pasted VC-JWT: signature, claims, validity window and revocation."""
    keys = {row.kid: row.public_jwk for row in db.session.scalars(select(SigningKey))}
    result = ob3.verify_credential(
        "".join((token or "").split()), keys, now=now, is_revoked=_credential_revoked
    )
    trusted = result.credential if result.reason in _TRUSTED_BODY else None
    number = None
    if trusted is not None:
        evidence = trusted.get("evidence")
        if isinstance(evidence, list) and evidence and isinstance(evidence[0], dict):
            number = normalize(str(evidence[0].get("id", "")))
    return PastedResult(
        valid=result.valid,
        reason=result.reason,
        message=VERIFY_MESSAGES.get(result.reason, result.reason),
        credential=trusted,
        certificate_number=number,
    )
