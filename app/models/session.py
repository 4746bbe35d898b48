"""Server-side sign-in sessions: one row per signed-in browser, so a session can be ended.

The browser holds a random key (in the Flask session and in the remember-me cookie, through
``User.get_id()``); the table holds only its SHA-256, so a copy of the database signs nobody in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, utcnow


class UserSession(Model):
    __tablename__ = "user_session"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<UserSession user={self.user_id} {self.key_hash[:8]}>"
