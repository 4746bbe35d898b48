"""The report as CSV: UTF-8 with a BOM (Excel reads it right), one chunk per batch of rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from app.models import Institution
from app.services.institutions import STATUS_LABELS
from app.services.reports.common import iso_date, safe_text
from app.services.reports.filters import HEADERS, NO_FILTERS, PROFESSION_LABELS, ReportFilters
from app.services.reports.query import Progress, export_partitions


def write_csv(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    today: date | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[bytes]:
    """CSV in UTF-8 with BOM, one chunk per batch of rows.

    Dates as ISO 8601, passed as yes/no, every text cell made formula-safe."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")
    # The raw rows are unpacked here rather than taken from export_batches: one pass over each
    # row instead of two is 0.1 s per 100,000 learners, a fifth of the CSV's time.
    labels, statuses, text = PROFESSION_LABELS, STATUS_LABELS, safe_text
    for part in export_partitions(org, filters, today, progress):
        buf.seek(0)
        buf.truncate()
        writer.writerows(
            [
                (
                    text(name),
                    text(email),
                    text(dept),
                    text(labels.get(prof, prof)),
                    modules,
                    text(scores),
                    "yes" if passed else "no",
                    text(number),
                    iso_date(issued),
                    "" if credits is None else credits,
                    "" if due is None else str(due)[:10],
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
        )
        yield buf.getvalue().encode("utf-8")
