"""Models for authoring: the educators' working drafts of scenarios and rubrics.

A draft is mutable work in progress and therefore is NOT a `ScenarioVersion`/`RubricVersion`
row: version numbers are handed out only when a draft is published, so a draft never holds a
number that an import (which numbers from the latest published version) could also claim, and
a draft scenario may name a rubric whose first version is itself still a draft.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, utcnow

DRAFT_KINDS = ("scenario", "rubric")


class ContentDraft(Model):
    """At most one open draft per scenario or rubric key; `data` is the document as the bank
    dumps it (the same shape as `ScenarioVersion.data`)."""

    __tablename__ = "content_draft"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(96), index=True)
    title: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    base_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
