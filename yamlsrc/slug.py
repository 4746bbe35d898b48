"""The one slug rule for ids, slugs and file names across the bank and the course content."""

from __future__ import annotations

import re
from typing import Any

#: Lowercase letters and digits in groups joined by single hyphens: `04-risks`, `my-id-2`.
#: No leading, trailing or doubled hyphen, so a slug is never `abc-` or `a--b`.
SLUG_BODY = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_PATTERN = rf"^{SLUG_BODY}$"
_SLUG = re.compile(rf"{SLUG_BODY}\Z")


def is_slug(value: Any) -> bool:
    """Whether `value` is a slug (a string; `\\Z`, not `$`, so no trailing newline slips in)."""
    return isinstance(value, str) and _SLUG.match(value) is not None
