"""Institutions (hospitals, schools), their departments and who belongs to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import Model, utcnow


class Institution(Model):
    """An organisation whose staff take the course; site admins create and archive them.

    Archived institutions are read-only and hidden from lists; their certificates stay valid.
    The logo lives in the database (deferred: lists never load it) so any web host serves it.
    """

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_type: Mapped[str | None] = mapped_column(String(32))  # image/png | image/jpeg
    # Provider details printed on its staff's certificates (keys of ProviderInfo), when allowed.
    certificate_provider: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    departments: Mapped[list[Department]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="Department.name"
    )


class Department(Model):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[Institution] = relationship(back_populates="departments")


class Membership(Model):
    """A person's place in one institution; `is_admin` makes them an admin of it."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "institution_id"),
        Index("ix_membership_institution_department", "institution_id", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    is_admin: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    employee_id: Mapped[str | None] = mapped_column(String(64))
    job_title: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    user = relationship("User")
    institution: Mapped[Institution] = relationship()
    department: Mapped[Department | None] = relationship()
