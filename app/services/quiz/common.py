"""Shared by the quiz area: its errors, limits and time helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

TEXT_TYPES = ("free_text", "post_draft")
MAX_TEXT = 10_000


class QuizError(Exception):
    """A quiz action the rules do not allow (shown to the learner as is)."""


class AttemptNotAllowed(QuizError):
    """No attempts left in this window; `next_allowed_at` says when the cool-down ends."""

    def __init__(self, message: str, next_allowed_at: datetime | None = None) -> None:
        super().__init__(message)
        self.next_allowed_at = next_allowed_at


@overload
def _aware(dt: datetime) -> datetime: ...
@overload
def _aware(dt: None) -> None: ...
@overload
def _aware(dt: datetime | None) -> datetime | None: ...
def _aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt


def _now(now: datetime | None) -> datetime:
    return _aware(now) or datetime.now(UTC)
