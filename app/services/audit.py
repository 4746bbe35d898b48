"""Record audit events inside the caller's transaction (never commits on its own)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from app.extensions import db
from app.models import AuditEvent, User


def record(action: str, *, actor: User | None, subject: str = "", **detail: Any) -> AuditEvent:
    """Add an audit row to the current session; it lands with the change it describes.

    In a request, `ip` is the client's address: behind POSTRX_TRUSTED_PROXIES the forwarded one
    (ProxyFix), never a header a client could type when no proxy is trusted.
    """
    if has_request_context():
        detail.setdefault("ip", request.remote_addr)
    event = AuditEvent(
        action=action, actor_id=actor.id if actor else None, subject=subject, detail=detail
    )
    db.session.add(event)
    return event
