"""Shared column helpers for the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware UTC now; the one clock the models use for defaults."""
    return datetime.now(UTC)
