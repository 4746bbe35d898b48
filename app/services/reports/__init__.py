"""Completion reports for one institution: the web page, CSV, XLSX, PDF, the API's records and
the certificates ZIP.

One SQL query joins members to their completion records (kept current by
`app.services.records`) and computes each person's assignment status in SQL, so filters,
sorting and pagination happen in the database. Exports stream that query in batches and write
as they go: memory stays flat however many learners there are (bench/reports.py measures it).

- `filters`           ReportFilters (parsed from query arguments), SORTABLE, HEADERS
- `query`             report_query, report_page, export_batches, records_after, ReportRow
- `totals`            the summary: counts per status, completion rate, score per guideline
- `common`            formula-safe cells (csv_safe), temporary files streamed then deleted
- `csv_out`, `xlsx_out`, `pdf_out`  one writer per format; `pdfjoin` joins the PDF's parts
- `formats`           the FORMATS registry and `export()` (CLI, jobs), UnknownFormat
- `zip_out`           every valid certificate as PDFs in one ZIP, streamed or into a file

Writers take `progress(done, total)` (a background job's bar), called every ~500 rows or
certificates. Nothing here writes to the database, commits or rolls back.

Module-level settings (`query.YIELD_PER`, `pdf_out.PDF_PART_PAGES`, `zip_out.PROGRESS_EVERY`)
are read where they are defined: patch them there, not on this package.
"""

from __future__ import annotations

from app.services.reports.common import csv_safe
from app.services.reports.csv_out import write_csv
from app.services.reports.filters import COLUMNS, HEADERS, SORTABLE, ReportFilters
from app.services.reports.formats import FORMATS, ExportFormat, UnknownFormat, export
from app.services.reports.pdf_out import PDF_COLUMNS, write_pdf
from app.services.reports.query import (
    Progress,
    ReportRow,
    export_batches,
    records_after,
    report_page,
    report_query,
)
from app.services.reports.totals import Summary, guideline_scores, summary
from app.services.reports.xlsx_out import write_xlsx
from app.services.reports.zip_out import certificates_zip, write_certificates_zip

__all__ = [
    "COLUMNS",
    "FORMATS",
    "HEADERS",
    "PDF_COLUMNS",
    "SORTABLE",
    "ExportFormat",
    "Progress",
    "ReportFilters",
    "ReportRow",
    "Summary",
    "UnknownFormat",
    "certificates_zip",
    "csv_safe",
    "export",
    "export_batches",
    "guideline_scores",
    "records_after",
    "report_page",
    "report_query",
    "summary",
    "write_certificates_zip",
    "write_csv",
    "write_pdf",
    "write_xlsx",
]
