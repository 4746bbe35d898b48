"""`postrx setup`: validate bundled content first, then migrate, then load. Safe to repeat."""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from flask_migrate import upgrade


def run_setup() -> Iterator[str]:
    """Yield progress lines. Content is validated before the database is touched at all."""
    from app.services import certificates, learning, quiz, records

    summary = learning.setup_content()  # raises ContentError before any change
    upgrade(directory=current_app.extensions["migrate"].directory)
    yield "Database is at the latest migration."
    yield summary
    yield quiz.setup_bank()
    yield certificates.setup_keys()
    # After content and bank: a module's lesson count or a quiz's "final" flag may have changed.
    yield f"Completion records recomputed for {records.rebuild():,} learners."
