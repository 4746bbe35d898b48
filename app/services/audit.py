"""Record audit events inside the caller's transaction (never commits on its own)."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import AuditEvent, User


def record(action: str, *, actor: User | None, subject: str = "", **detail: Any) -> AuditEvent:
    """Add an audit row to the current session; it lands with the change it describes."""
    event = AuditEvent(
        action=action, actor_id=actor.id if actor else None, subject=subject, detail=detail
    )
    db.session.add(event)
    return event
