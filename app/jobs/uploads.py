"""The one route that takes a file larger than the site-wide request limit: the roster upload.

Registered by the app factory before CSRF protection and the input checks, which read the form
(and so would stop at MAX_CONTENT_LENGTH) before the view runs.
"""

from __future__ import annotations

from flask import current_app, request

ROSTER_ENDPOINT = "jobs.start_roster_import"


def allow_large_roster() -> None:
    if request.endpoint != ROSTER_ENDPOINT:
        return
    from app.services.institutions import DEFAULT_ROSTER_MAX_BYTES

    # A 100,000-row roster is about 8 MB; the roster reader enforces the exact limit with a
    # clear message, this only lets the request through to it.
    limit = int(current_app.config.get("ROSTER_MAX_BYTES", DEFAULT_ROSTER_MAX_BYTES))
    request.max_content_length = limit + 64 * 1024  # room for the multipart envelope
