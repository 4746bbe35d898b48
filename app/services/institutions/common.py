"""What every part of the institutions service shares: its errors and small helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ARRAY, bindparam, func, select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from vocab import COURSE_SLUG

__all__ = [
    "COURSE_SLUG",
    "InstitutionError",
    "InstitutionNotFound",
    "among",
    "aware",
    "chunks",
]

T = TypeVar("T")


class InstitutionError(ValueError):
    """A rule about institutions was broken; the message is safe to show the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InstitutionNotFound(LookupError):
    """No such institution, member, invite or assignment *for this caller*.

    Unknown and forbidden are the same error, so the web layer answers both with one 404 and
    identifiers cannot be probed.
    """


def aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most `size` items, for IN (...) lookups and batched writes."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def among(
    column: ColumnElement[Any] | QueryableAttribute[Any], values: Sequence[Any]
) -> ColumnElement[bool]:
    """`column IN values`, written for speed on each database.

    PostgreSQL gets one array parameter, unnested: `column IN (SELECT unnest(:values))`.
    Thousands of separate parameters cost it more to parse and plan than the lookup itself,
    and `= ANY(:values)` goes wrong once psycopg prepares the statement (its fifth run): the
    generic plan cannot hash the array and compares every row with every value (405 s to
    re-import 100,000 rows into an institution that has them, against 0.1 s per lookup
    unprepared). A semi-join against the unnested array is planned well either way.
    SQLite has no arrays and is fast with IN.
    """
    expr = column.expression if isinstance(column, QueryableAttribute) else column
    if db.session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=ARRAY(expr.type))
        return expr.in_(select(func.unnest(array)))
    return expr.in_(values)
