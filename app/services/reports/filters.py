"""What an admin may ask of a report: the filters, the sortable columns and the exported headers.

Kept apart from the SQL so the page, the API, the CLI and the jobs parse a request the same
way, and so an unknown value is dropped here, long before anything reaches a query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.models import Profession
from app.services.institutions import STATUSES

SORTABLE = {
    "name": "Name",
    "email": "Email",
    "department": "Department",
    "profession": "Profession",
    "modules": "Modules completed",
    "certificate_date": "Certificate date",
    "due": "Due date",
    "status": "Status",
}
COLUMNS = (
    "name",
    "email",
    "department",
    "profession",
    "modules_completed",
    "quiz_scores",
    "passed",
    "certificate_number",
    "certificate_date",
    "credits",
    "due_date",
    "status",
)
HEADERS = (
    "Name",
    "Email",
    "Department",
    "Profession",
    "Modules completed",
    "Quiz scores",
    "Passed",
    "Certificate number",
    "Certificate date",
    "Credits",
    "Due date",
    "Status",
)
PROFESSION_LABELS = {p.value: p.label for p in Profession}


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """What the admin asked for; unknown values are dropped, never passed to SQL."""

    department_id: int | None = None
    status: str | None = None
    profession: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportFilters:
        """Filters from query-string arguments (the page, the downloads, the API)."""
        dept = args.get("department") or ""
        status = args.get("status") or None
        profession = args.get("profession") or None
        sort = args.get("sort") or "name"
        return cls(
            department_id=int(dept) if _is_id(dept) else None,
            status=status if status in STATUSES else None,
            profession=profession if profession in PROFESSION_LABELS else None,
            date_from=_parse_date(args.get("from")),
            date_to=_parse_date(args.get("to")),
            sort=sort if sort in SORTABLE else "name",
            descending=args.get("dir") == "desc",
        )

    def to_args(self) -> dict[str, str]:
        """The query-string arguments that give these filters back (links keep the filters)."""
        out: dict[str, str] = {}
        if self.department_id is not None:
            out["department"] = str(self.department_id)
        if self.status:
            out["status"] = self.status
        if self.profession:
            out["profession"] = self.profession
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.sort != "name":
            out["sort"] = self.sort
        if self.descending:
            out["dir"] = "desc"
        return out


NO_FILTERS = ReportFilters()  # the default argument: everyone, sorted by name


def _is_id(text: str) -> bool:
    """ASCII digits that fit a 64-bit id; anything else (٣, 10^30) filters nothing."""
    return text.isascii() and text.isdigit() and len(text) < 19
