"""The export formats as a registry (`FORMATS`, not an if/elif chain) and `export()`, which
writes one to a file: what the CLI and the background jobs call."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from app.models import Institution
from app.services.reports.csv_out import write_csv
from app.services.reports.filters import NO_FILTERS, ReportFilters
from app.services.reports.pdf_out import write_pdf
from app.services.reports.query import Progress
from app.services.reports.xlsx_out import write_xlsx


class UnknownFormat(LookupError):
    """A report format that is not in `FORMATS` (the web layer answers 404)."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A format's content type and its writer: `write(org, filters, today, *, progress=None)`
    yields the file's bytes in chunks."""

    mimetype: str
    write: Callable[..., Iterator[bytes]]


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("text/csv; charset=utf-8", write_csv),
    "xlsx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx
    ),
    "pdf": ExportFormat("application/pdf", write_pdf),
}


def export(
    org: Institution,
    fmt: str,
    out: BinaryIO,
    filters: ReportFilters = NO_FILTERS,
    *,
    progress: Progress | None = None,
) -> int:
    """Write a report to a binary file object; returns bytes written.

    `progress(done, total)` is called with the rows written so far: before the first row and
    after every batch of `YIELD_PER` (500) rows. Nothing is counted when it is None."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"Unknown report format {fmt!r}; known: {', '.join(FORMATS)}.")
    written = 0
    for chunk in FORMATS[fmt].write(org, filters, datetime.now(UTC).date(), progress=progress):
        out.write(chunk)
        written += len(chunk)
    return written
