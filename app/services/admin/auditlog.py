"""The audit trail for site admins: filter, page through and export as CSV.

The export streams in batches (constant memory in the number of events) and every text cell
goes through the reports area's `csv_safe`, so an email or subject that starts with `=` cannot
become a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select

from app.extensions import db
from app.models import AuditEvent, User
from app.services.admin.common import PER_PAGE, AdminError, Page, like_pattern, page_number
from app.services.reports import csv_safe

CSV_HEADERS = ("id", "at", "actor", "action", "subject", "detail")
_BATCH = 1000


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """What the audit page and its CSV export are narrowed to (empty: everything)."""

    actor: str = ""  # part of the actor's email, or "cli" for events with no actor
    action: str = ""  # an action or its prefix ("admin." matches every admin action)
    subject: str = ""  # part of the subject, e.g. "user:12" or "institution:"
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilters:
        """Filters from a query string; a malformed date is an AdminError naming its field."""
        dates: dict[str, date | None] = {}
        for key in ("since", "until"):
            raw = (args.get(key) or "").strip()
            try:
                dates[key] = date.fromisoformat(raw) if raw else None
            except ValueError:
                raise AdminError(f"{raw!r} is not a date (use YYYY-MM-DD).", key) from None
        since, until = dates["since"], dates["until"]
        if since and until and since > until:
            raise AdminError("The start date is after the end date.", "since")
        return cls(
            actor=(args.get("actor") or "").strip()[:254],
            action=(args.get("action") or "").strip()[:64],
            subject=(args.get("subject") or "").strip()[:128],
            since=since,
            until=until,
        )

    def to_args(self) -> dict[str, str]:
        """The query string that gives these filters back (for pager and export links)."""
        out = {"actor": self.actor, "action": self.action, "subject": self.subject}
        out["since"] = self.since.isoformat() if self.since else ""
        out["until"] = self.until.isoformat() if self.until else ""
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True, slots=True)
class AuditRow:
    event: AuditEvent
    actor_email: str | None


def _query(filters: AuditFilters) -> Select[AuditEvent, str | None]:
    query = select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id)
    if filters.actor.lower() in {"cli", "none", "-"}:
        query = query.where(AuditEvent.actor_id.is_(None))
    elif filters.actor:
        query = query.where(func.lower(User.email).like(like_pattern(filters.actor), escape="\\"))
    if filters.action:
        query = query.where(
            or_(
                AuditEvent.action == filters.action,
                AuditEvent.action.like(like_pattern(filters.action)[1:], escape="\\"),
            )
        )
    if filters.subject:
        query = query.where(
            func.lower(AuditEvent.subject).like(like_pattern(filters.subject), escape="\\")
        )
    if filters.since:
        query = query.where(AuditEvent.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    return query


def audit_page(filters: AuditFilters, *, page: int = 1, per_page: int = PER_PAGE) -> Page[AuditRow]:
    """Newest first."""
    query = _query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_number(page)
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page([AuditRow(e, email) for e, email in rows], total, page, per_page)


def _iso(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def audit_csv(filters: AuditFilters) -> Iterator[bytes]:
    """The filtered events as UTF-8 CSV (with BOM), newest first, one chunk per batch."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_HEADERS)
    yield ("\ufeff" + buf.getvalue()).encode()
    last: tuple[datetime, int] | None = None
    while True:  # keyset pagination: each batch is a fresh, short query
        query = _query(filters)
        if last is not None:
            at, ident = last
            query = query.where(
                or_(AuditEvent.at < at, (AuditEvent.at == at) & (AuditEvent.id < ident))
            )
        batch = query.with_only_columns(
            AuditEvent.id,
            AuditEvent.at,
            User.email,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.detail,
        )  # plain tuples: nothing piles up in the session's identity map
        rows = db.session.execute(
            batch.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(_BATCH)
        ).all()
        if not rows:
            return
        buf.seek(0)
        buf.truncate()
        for ident, at, email, action, subject, detail in rows:
            writer.writerow(
                [
                    ident,
                    _iso(at),
                    csv_safe(email or ""),
                    csv_safe(action),
                    csv_safe(subject or ""),
                    csv_safe(json.dumps(detail or {}, sort_keys=True, default=str)),
                ]
            )
        yield buf.getvalue().encode()
        last = (rows[-1][1], rows[-1][0])
