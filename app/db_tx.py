"""The edges' transaction: services flush, the view / CLI command / job commits.

    with transaction():
        attempt = svc.start_attempt(...)

commits when the block succeeds and rolls back when it raises (the error propagates, so the
view still maps it to a flash or an HTTP status). Services never commit or roll back; one that
must undo part of its own work on an error uses a SAVEPOINT (`db.session.begin_nested()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    """One unit of work: commit on success, roll back on any error, then re-raise it."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
