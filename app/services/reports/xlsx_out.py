"""The report as XLSX: openpyxl's write-only mode, so rows go to disk as they come."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from app.models import Institution
from app.services.reports.common import csv_safe, file_chunks, temp_path, xml_safe
from app.services.reports.filters import HEADERS, NO_FILTERS, ReportFilters
from app.services.reports.query import Progress, export_batches

_WIDTHS = (28, 32, 24, 22, 10, 40, 8, 24, 14, 9, 12, 13)
_DATE_CELLS = frozenset({8, 10})  # certificate date, due date (0-based, HEADERS order)


def write_xlsx(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    today: date | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[bytes]:
    """Typed cells, frozen header row, autofilter. The finished file is streamed from a
    temporary file (an XLSX is a ZIP: nothing of it can be sent before the end)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Completion")
    for i, w in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for h in HEADERS:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 0
    try:
        for batch in export_batches(org, filters, today, progress=progress):
            for values in batch:
                out: list[Any] = []
                for i, v in enumerate(values):
                    if i in _DATE_CELLS and v is not None:
                        cell = WriteOnlyCell(ws, value=v)
                        cell.number_format = "yyyy-mm-dd"
                        out.append(cell)
                    elif isinstance(v, Decimal):
                        out.append(float(v))
                    elif isinstance(v, str):
                        out.append(csv_safe(xml_safe(v)))
                    else:
                        out.append(v)
                ws.append(out)
            n += len(batch)
    except BaseException:
        ws.close()  # a failed export must not leave openpyxl's row writer (and file) open
        raise
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{n + 1}"
    path = temp_path(".xlsx")
    wb.save(path)
    yield from file_chunks(path)
