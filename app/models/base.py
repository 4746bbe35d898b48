"""Shared base class and column helpers for the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.extensions import db

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel
    from sqlalchemy.orm import DeclarativeBase

    class Model(_FlaskModel, DeclarativeBase):
        """`db.Model` as the type checker sees it: a declarative base with Flask-SQLAlchemy's
        `query`. mypy cannot subclass an attribute of an object (`class User(db.Model)`)."""

else:
    Model = db.Model  # the one base class every table subclasses (it owns db's metadata)


def utcnow() -> datetime:
    """Timezone-aware UTC now; the one clock the models use for defaults."""
    return datetime.now(UTC)
