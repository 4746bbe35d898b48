"""YAML that remembers where everything was written, and problems that say FILE:LINE.

Shared by the bank loader (`quizzes.bank`) and the course loader (`modules.catalog`) so both
read YAML the same way, name lines the same way and agree on what a slug is. Framework-free:
no Flask, no SQLAlchemy, no `app`.
"""

from .loader import Invalid, Map, Seq, Source, line_at, load
from .problem import Problem
from .schema import missing_fields, schema_problems, validator_for
from .slug import SLUG_BODY, SLUG_PATTERN, is_slug

__all__ = [
    "SLUG_BODY",
    "SLUG_PATTERN",
    "Invalid",
    "Map",
    "Problem",
    "Seq",
    "Source",
    "is_slug",
    "line_at",
    "load",
    "missing_fields",
    "schema_problems",
    "validator_for",
]
