"""CE certificates, the course evaluation that releases them, and the Open Badges signing keys.

A certificate row stores an immutable snapshot (``certificates.CertificateData.to_dict()``) of
everything it prints; the PDF, the verify page and the Open Badge read only from the snapshot,
while status columns (revoked, superseded) change around it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class CourseEvaluation(Model):
    """The learner's course evaluation and time attestation; one per enrollment (cycle)."""

    __tablename__ = "course_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    minutes_attested: Mapped[int] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    enrollment = relationship("Enrollment")


class Certificate(Model):
    """One issued certificate. At most one VALID certificate per enrollment (partial index).

    Certificates outlive accounts (participation records are kept for years), so the learner
    and enrollment links are SET NULL on delete and everything shown comes from ``snapshot``.
    """

    __tablename__ = "certificate"
    __table_args__ = (
        Index(
            "uq_certificate_active_enrollment",
            "enrollment_id",
            unique=True,
            postgresql_where=text("status = 'valid'"),
            sqlite_where=text("status = 'valid'"),
        ),
        Index("ix_certificate_user_course", "user_id", "course_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollment.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    course_slug: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completion_date: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=CertificateStatus.VALID.value)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="SET NULL")
    )
    first_downloaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Open Badges 3.0: the credential's urn:uuid and the salted email hash naming its holder.
    credential_id: Mapped[str] = mapped_column(String(64), unique=True)
    subject_identifier: Mapped[str] = mapped_column(String(80))
    subject_salt: Mapped[str] = mapped_column(String(64))

    user = relationship("User")
    enrollment = relationship("Enrollment")
    superseded_by: Mapped[Certificate | None] = relationship(
        remote_side="Certificate.id", post_update=True
    )

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.status}>"


class SigningKey(Model):
    """A public Ed25519 key for VC-JWT credentials. The private key never enters the database:
    it lives in ``INSTANCE_DIR/keys/<kid>.pem`` (mode 0600), see services.certificates."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
