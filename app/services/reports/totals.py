"""The report's headline figures: members per status, completion rate, average quiz score and
the weighted score per guideline (the dashboard card and the PDF's first page).

Everything is aggregated by the database (one GROUP BY; the attempt JSON unnested in SQL), so
100,000 learners never pass through Python here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Float, Integer, and_, cast, func, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.models import Institution, Membership, User
from app.models.quiz import Attempt
from app.services.reports.filters import NO_FILTERS, ReportFilters
from app.services.reports.query import planner_hints, report_query


@dataclass(slots=True)
class Summary:
    """Counts per status and, when asked for, the quiz averages."""

    members: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    average_score: float | None = None
    guideline_scores: dict[int, float] = field(default_factory=dict)

    @property
    def completion_rate(self) -> float:
        return (self.by_status.get("completed", 0) / self.members) if self.members else 0.0

    @property
    def overdue(self) -> int:
        return self.by_status.get("overdue", 0)


def summary(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    today: date | None = None,
    *,
    guidelines: bool = False,
) -> Summary:
    """Counts per status (one GROUP BY), and optionally the per-guideline averages."""
    inner = report_query(org, filters, today, export=True).order_by(None).subquery()
    planner_hints()
    out = Summary()
    for status, n in db.session.execute(
        select(inner.c.status, func.count()).group_by(inner.c.status)
    ):
        out.by_status[status] = int(n)
    out.members = sum(out.by_status.values())
    if guidelines:
        out.average_score, out.guideline_scores = guideline_scores(org, filters, today)
    return out


def guideline_scores(
    org: Institution, filters: ReportFilters = NO_FILTERS, today: date | None = None
) -> tuple[float | None, dict[int, float]]:
    """Average quiz score and weighted score per guideline (0-100) over graded attempts.

    The attempt result JSON (scenarios -> criteria with guidelines, points, max_points,
    weight) is unnested by the database itself (json_each on SQLite, json_array_elements on
    PostgreSQL), so 100,000 results never pass through Python.
    """
    people: Any
    if filters.status or filters.date_from or filters.date_to:
        people = select(report_query(org, filters, today).order_by(None).subquery().c.user_id)
    else:  # no per-person computation needed: a plain membership filter is much cheaper
        people = (
            select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.institution_id == org.id)
        )
        if filters.department_id is not None:
            people = people.where(Membership.department_id == filters.department_id)
        if filters.profession:
            people = people.where(User.profession == filters.profession)
    graded = and_(Attempt.status == "graded", Attempt.user_id.in_(people))
    n, total = db.session.execute(
        select(func.count(Attempt.score), func.sum(Attempt.score)).where(graded)
    ).one()
    s: Any
    c: Any
    g: Any
    if db.engine.dialect.name == "postgresql":
        # jsonb: the document is parsed once, not again at every level.
        doc = cast(Attempt.result, JSONB)
        s = func.jsonb_array_elements(doc.op("->")("scenarios")).table_valued("value")
        s = s.lateral("s")
        c = func.jsonb_array_elements(s.c.value.op("->")("criteria")).table_valued("value")
        c = c.lateral("c")
        g = func.jsonb_array_elements_text(c.c.value.op("->")("guidelines"))
        g = g.table_valued("value").lateral("g")

        def num(key: str) -> ColumnElement[Any]:
            return cast(c.c.value.op("->>")(key), Float)

    else:
        s = func.json_each(Attempt.result, "$.scenarios").table_valued("value").alias("s")
        c = func.json_each(s.c.value, "$.criteria").table_valued("value").alias("c")
        g = func.json_each(c.c.value, "$.guidelines").table_valued("value").alias("g")

        def num(key: str) -> ColumnElement[Any]:
            return cast(func.json_extract(c.c.value, f"$.{key}"), Float)

    guideline = cast(g.c.value, Integer)
    weight = func.coalesce(num("weight"), 1.0)
    stmt = (
        select(guideline, func.sum(num("points") * weight), func.sum(num("max_points") * weight))
        .select_from(Attempt)
        .join(s, true())
        .join(c, true())
        .join(g, true())
        .where(graded)
        .group_by(guideline)
    )
    scores = {
        int(gl): 100 * float(got) / float(mx)
        for gl, got, mx in db.session.execute(stmt)
        if gl is not None and mx
    }
    return ((100 * float(total or 0) / n) if n else None), dict(sorted(scores.items()))
