"""Public URLs built from POSTRX_BASE_URL, valid inside or outside a request (CLI, mail)."""

from __future__ import annotations

from typing import Any

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """BASE_URL + the route's path; what goes into emails, QR codes and API links."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    base: str = current_app.config["BASE_URL"]
    return base + path
