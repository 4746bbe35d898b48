"""The completion report as one SELECT, and the three ways it is read: a page, the exports'
raw batches, and the API's keyset pages.

One row per member: their completion record (modules completed, best quiz scores, latest valid
certificate, kept current by `app.services.records`) and their assignment status, computed in
SQL so that filters, sorting and pagination happen in the database. Exports stream the query
with `yield_per` (server-side cursors on PostgreSQL): memory stays flat in the number of
learners.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement, SQLColumnExpression

from app.extensions import db
from app.models import Department, Institution, Membership, User
from app.models.learning import CompletionRecord
from app.services.institutions import (
    COURSE_SLUG,
    STATUS_LABELS,
    Cycle,
    current_cycle,
    list_assignments,
)
from app.services.records import greatest
from app.services.reports.common import as_date
from app.services.reports.filters import NO_FILTERS, PROFESSION_LABELS, ReportFilters

YIELD_PER = 500  # rows per batch of an export; also how often an export reports progress

Progress = Callable[[int, int], None]
"""`progress(done, total)`: rows (or certificates) written so far, of how many (a job's bar)."""


def _dt(value: datetime) -> ColumnElement[Any]:
    return literal(value, DateTime(timezone=True))


def _status_sql(
    cycle: Cycle | None, last: SQLColumnExpression[Any], started: SQLColumnExpression[Any]
) -> ColumnElement[Any]:
    """The SQL twin of institutions.status_for (tests check they agree)."""
    if cycle is None:
        return case(
            (last.is_not(None), "completed"),
            (started.is_not(None), "in_progress"),
            else_="not_started",
        )
    done = last.is_not(None) if cycle.complete_from is None else last >= _dt(cycle.complete_from)
    whens: list[tuple[ColumnElement[bool], str]] = [(done, "completed")]
    if cycle.overdue_possible:
        missed = (
            literal(True)
            if cycle.overdue_from is None
            else or_(last.is_(None), last < _dt(cycle.overdue_from))
        )
        whens.append((missed, "overdue"))
    began = (
        started.is_not(None) if cycle.complete_from is None else started >= _dt(cycle.complete_from)
    )
    whens.append((began, "in_progress"))
    return case(*whens, else_="not_started")


def _due_sql(cycle: Cycle | None, status: ColumnElement[Any]) -> ColumnElement[Any]:
    if cycle is None:
        return cast(null(), Date)
    if cycle.missed_due != cycle.due:
        return case(
            (status == "overdue", literal(cycle.missed_due, Date)),
            else_=literal(cycle.due, Date),
        )
    return literal(cycle.due, Date)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One member's line of the report, as the page and the API show it."""

    membership_id: int
    user_id: int
    name: str
    email: str
    department: str | None
    profession: str
    modules_completed: int
    quiz_scores: str
    passed: bool
    certificate_number: str | None
    certificate_date: date | None
    credits: Decimal | None
    due_date: date | None
    status: str
    completed_at: datetime | None
    updated_at: datetime | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def profession_label(self) -> str:
        return PROFESSION_LABELS.get(self.profession, self.profession)


def _as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def report_query(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    today: date | None = None,
    course_slug: str = COURSE_SLUG,
    *,
    export: bool = False,
) -> Select[Any]:
    """The report as one SELECT: one row per member of `org`, filtered and sorted.

    `export=True` selects just the exported columns, in `HEADERS` order (the exports unpack
    them by position; the ids and timestamps the page and the API need would only cost
    parsing)."""
    today = today or datetime.now(UTC).date()
    rec = CompletionRecord
    last = rec.completed_at
    started = rec.started_at
    assignments = [a for a in list_assignments(org) if a.course_slug == course_slug]
    wide = next((a for a in assignments if a.department_id is None), None)
    own = {a.department_id: a for a in assignments if a.department_id is not None}
    cycles = {a.id: current_cycle(a.due_date, a.recurrence, today) for a in assignments}

    def per_assignment(build: Callable[[Cycle | None], ColumnElement[Any]]) -> ColumnElement[Any]:
        default = build(cycles[wide.id] if wide else None)
        if not own:
            return default
        return case(
            *[(Membership.department_id == d, build(cycles[a.id])) for d, a in own.items()],
            else_=default,
        )

    status = per_assignment(lambda c: _status_sql(c, last, started)).label("status")
    due = per_assignment(lambda c: _due_sql(c, _status_sql(c, last, started))).label("due")
    modules = func.coalesce(rec.modules_completed, 0).label("modules")

    exported: tuple[ColumnElement[Any], ...] = (
        User.print_name.label("name"),
        User.email.label("email"),
        Department.name.label("department"),
        User.profession.label("profession"),
        modules,
        rec.quiz_scores.label("scores"),
        rec.passed.label("passed"),
        rec.certificate_number.label("cert_number"),
        rec.certificate_issued_at.label("cert_date"),
        rec.certificate_credits.label("credits"),
        due,
        status,
    )
    columns = exported
    if not export:
        columns = (
            Membership.id.label("membership_id"),
            User.id.label("user_id"),
            *exported,
            last.label("completed_at"),
            greatest(rec.changed_at, Membership.updated_at).label("updated_at"),
        )
    stmt = (
        select(*columns)
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Department, Department.id == Membership.department_id)
        .outerjoin(rec, and_(rec.user_id == Membership.user_id, rec.course_slug == course_slug))
        .where(Membership.institution_id == org.id)
    )
    if filters.department_id is not None:
        stmt = stmt.where(Membership.department_id == filters.department_id)
    if filters.profession:
        stmt = stmt.where(User.profession == filters.profession)
    if filters.status:
        stmt = stmt.where(status == filters.status)
    if filters.date_from:
        stmt = stmt.where(last >= _dt(datetime.combine(filters.date_from, time(0), UTC)))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(0), UTC)
        stmt = stmt.where(last < _dt(end))
    order: SQLColumnExpression[Any] = {
        "name": User.print_name,
        "email": User.email,
        "department": Department.name,
        "profession": User.profession,
        "modules": modules,
        "certificate_date": rec.certificate_issued_at,
        "due": due,
        "status": status,
    }[filters.sort]
    primary = order.desc() if filters.descending else order.asc()
    return stmt.order_by(primary, Membership.id)


def planner_hints() -> None:
    """PostgreSQL, for statements that read every matching row (exports, the summary's counts):
    plan for all rows, with hash joins.

    A server-side cursor never gets parallel workers and is planned for its first 10 % of rows;
    when the report still aggregated lesson progress, that meant nested loops and 220 s instead
    of 2.6 s for 100,000 learners. Since completion records the report is plain joins and the
    hint matters less (CSV 0.75 s → 0.62 s with no table statistics at all), but it costs
    nothing there. One page of the report or of the API (LIMIT, then index lookups) is left to
    the planner: there the hint made the API page 5x slower (0.013 s → 0.064 s).
    SET LOCAL lasts until the transaction ends.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_nestloop = off"))
        db.session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))


def count_rows(stmt: Select[Any]) -> int:
    """How many rows `stmt` returns (its ORDER BY dropped: it changes nothing here)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return int(total or 0)


def _row(r: Any) -> ReportRow:
    return ReportRow(
        membership_id=r.membership_id,
        user_id=r.user_id,
        name=r.name,
        email=r.email,
        department=r.department,
        profession=r.profession,
        modules_completed=int(r.modules or 0),
        quiz_scores=r.scores or "",
        passed=bool(r.passed),
        certificate_number=r.cert_number,
        certificate_date=as_date(r.cert_date),
        credits=Decimal(str(r.credits)) if r.credits is not None else None,
        due_date=as_date(r.due),
        status=r.status,
        completed_at=_as_datetime(r.completed_at),
        updated_at=_as_datetime(r.updated_at),
    )


def report_page(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    *,
    page: int = 1,
    per_page: int = 50,
    today: date | None = None,
) -> tuple[list[ReportRow], int]:
    """One page of the report and the number of rows matching the filters."""
    stmt = report_query(org, filters, today)
    total = count_rows(stmt)
    rows = db.session.execute(stmt.limit(per_page).offset((max(page, 1) - 1) * per_page))
    return [_row(r) for r in rows], total


def export_partitions(
    org: Institution,
    filters: ReportFilters,
    today: date | None,
    progress: Progress | None = None,
) -> Iterator[Sequence[Any]]:
    """Raw export rows (the `HEADERS` columns, by position) in batches of `YIELD_PER`, from a
    Core cursor.

    The exports' fast path: no ORM layer and no ReportRow per person (for 100,000 learners
    those cost more than the query itself). With `progress`, the matching rows are counted
    first (one more query, so only when asked) and `progress(done, total)` is called before the
    first batch and after each one has been handled by the caller."""
    stmt = report_query(org, filters, today, export=True)
    planner_hints()
    total = count_rows(stmt) if progress is not None else 0
    if progress is not None:
        progress(0, total)
    # Per statement: Connection.execution_options() would change the session's connection
    # itself, and every later statement in the transaction would open a server-side cursor.
    result = db.session.connection().execute(stmt.execution_options(yield_per=YIELD_PER))
    done = 0
    try:
        for part in result.partitions():
            yield part
            if progress is not None:
                done += len(part)
                progress(done, max(total, done))  # rows may arrive after the count
    finally:
        result.close()


def export_batches(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    today: date | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[list[tuple[Any, ...]]]:
    """The exported columns (`HEADERS`) of every matching row, typed, in batches: dates as
    dates, credits as Decimal, labels for profession and status."""
    labels, statuses = PROFESSION_LABELS, STATUS_LABELS
    for part in export_partitions(org, filters, today, progress):
        yield [
            (
                name,
                email,
                dept or "",
                labels.get(prof, prof),
                modules,
                scores or "",
                bool(passed),
                number or "",
                None if issued is None else as_date(issued),
                credits,
                due if due is None or type(due) is date else as_date(due),
                statuses[status],
            )
            for (
                name,
                email,
                dept,
                prof,
                modules,
                scores,
                passed,
                number,
                issued,
                credits,
                due,
                status,
            ) in part
        ]


def records_after(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    *,
    after: int = 0,
    limit: int = 100,
    since: datetime | None = None,
    completed_since: datetime | None = None,
    today: date | None = None,
) -> list[ReportRow]:
    """Up to limit + 1 rows with membership id > `after` (keyset pagination for the API).

    `since` keeps rows that changed at or after it (the learner's record or their membership:
    progress, a new score, a certificate issued or revoked, a department move), which is what
    an incremental sync needs; `completed_since` keeps people whose latest completion is."""
    inner = report_query(org, filters, today).order_by(None).subquery()
    stmt = select(inner).where(inner.c.membership_id > after)
    if since is not None:
        stmt = stmt.where(inner.c.updated_at >= _dt(since))
    if completed_since is not None:
        stmt = stmt.where(inner.c.completed_at >= _dt(completed_since))
    rows = db.session.execute(stmt.order_by(inner.c.membership_id).limit(limit + 1))
    return [_row(r) for r in rows]
