"""The report as PDF: a summary page (completion rate, overdue, score per guideline with a bar
chart), then the table, drawn on a ReportLab canvas page by page.

ReportLab keeps a document in memory until `save()`, so the table is drawn in parts of
`PDF_PART_PAGES` pages (`_PartedCanvas`) that `pdfjoin` joins into one file at the end: memory
stays at one part's worth whatever the number of learners. Public library API only
(tests/app/institution/test_pdfjoin.py checks).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from app.models import Institution
from app.services.institutions import COURSE_SLUG
from app.services.reports.common import file_chunks, pdf_safe, temp_path
from app.services.reports.filters import NO_FILTERS, ReportFilters
from app.services.reports.query import Progress, export_batches
from app.services.reports.totals import Summary, summary
from vocab import GUIDELINES

PDF_COLUMNS = (  # 762 pt: landscape A4 less 30 pt margins (tests hold this)
    ("Name", 95),
    ("Email", 120),
    ("Department", 75),
    ("Profession", 62),
    ("Modules", 30),
    ("Quiz scores", 100),
    ("Passed", 27),
    ("Certificate", 88),
    ("Cert. date", 45),
    ("Credits", 28),
    ("Due", 45),
    ("Status", 47),
)
PDF_PART_PAGES = 200  # pages per part file; the parts are joined at the end (pdfjoin)
_FONT_SIZE, _LINE_H = 6.5, 12


def _pdf_canvas(path: str, title: str) -> Any:
    """A stock ReportLab canvas for one part of a report, reproducible (`invariant`).

    ReportLab keeps each page's content uncompressed until `save()` (about 30 KB per table
    page); drawing in parts of `PDF_PART_PAGES` pages is what bounds that, with public API only.
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(path, pagesize=landscape(A4), pageCompression=1, invariant=1)
    c.setTitle(title)
    c.setAuthor("PostRx")
    return c


def _fit(text: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis where needed so it is at most `width` points wide."""
    from certificates.fonts import text_width

    full = text_width(text, "sans", size)
    if full <= width:
        return text
    n = max(1, int(len(text) * width / full))
    while n > 1 and text_width(text[:n] + "…", "sans", size) > width:
        n -= 1
    return text[:n] + "…"


class _PartedCanvas:
    """Draws like one canvas, but starts a new part file every `PDF_PART_PAGES` pages.

    ReportLab holds a document in memory until `save()`, and formats all of it there; drawing a
    100,000-learner table in parts and joining them keeps memory at one part's worth whatever
    the number of learners. A part is opened on the first drawing after a page break, so no
    part is ever empty. Anything not defined here is the current canvas's.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.paths: list[str] = []
        self._canvas: Any = None
        self._pages = 0

    def __getattr__(self, name: str) -> Any:
        if self._canvas is None:
            path = temp_path(".pdf")
            self.paths.append(path)
            self._canvas = _pdf_canvas(path, self.title)
            self._pages = 0
        return getattr(self._canvas, name)

    def showPage(self) -> None:
        self.__getattr__("showPage")()
        self._pages += 1
        if self._pages >= PDF_PART_PAGES:
            self._canvas.save()
            self._canvas = None
            gc.collect()  # the saved part's object graph has cycles: free it now, not eventually

    def finish(self) -> str:
        """Save the last part and return the path of the whole document."""
        if self._canvas is not None:
            self._canvas.save()
            self._canvas = None
        if len(self.paths) == 1:
            return self.paths[0]
        from app.services.reports import pdfjoin

        path = temp_path(".pdf")
        try:
            with open(path, "wb") as fh:
                pdfjoin.join_pdfs(self.paths, fh, title=self.title, author="PostRx")
        finally:
            for part in self.paths:
                os.unlink(part)
        return path


def _summary_page(c: Any, org: Institution, info: Summary, today: date) -> None:
    """The first page: the headline figures and a bar per guideline."""
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4, landscape

    from app.services.learning import course_title
    from certificates.render import draw_text

    navy, grey, pale = Color(0.122, 0.227, 0.373), Color(0.36, 0.38, 0.42), Color(0.93, 0.94, 0.96)
    w, h = landscape(A4)
    c.setFillColor(navy)
    draw_text(c, 40, h - 60, f"Completion report: {pdf_safe(org.name)}", "sans-bold", 20)
    c.setFillColor(grey)
    title = course_title(COURSE_SLUG)
    draw_text(c, 40, h - 80, f"Course: {title} · as of {today.isoformat()}", "sans", 10)
    average = (
        f"{info.average_score:.1f}%" if info.average_score is not None else "no graded attempts"
    )
    lines = [
        f"Members in this report: {info.members:,}",
        "Completed: {:,} (completion rate {:.1f}%)".format(
            info.by_status.get("completed", 0), info.completion_rate * 100
        ),
        f"Overdue: {info.overdue:,}",
        "In progress: {:,}  ·  Not started: {:,}".format(
            info.by_status.get("in_progress", 0), info.by_status.get("not_started", 0)
        ),
        "Average quiz score: " + average,
    ]
    c.setFillColor(Color(0, 0, 0))
    y = h - 120
    for line in lines:
        draw_text(c, 40, y, line, "sans", 12)
        y -= 20
    y -= 10
    c.setFillColor(navy)
    draw_text(c, 40, y, "Average score per guideline", "sans-bold", 14)
    y -= 12
    bar_left, bar_w = 260, w - 260 - 80
    for guideline in GUIDELINES:
        y -= 26
        score = info.guideline_scores.get(guideline.number)
        c.setFillColor(Color(0, 0, 0))
        draw_text(c, 40, y + 4, f"{guideline.number}. {guideline.name}", "sans", 10)
        c.setFillColor(pale)
        c.rect(bar_left, y, bar_w, 16, stroke=0, fill=1)
        if score is not None:
            c.setFillColor(navy)
            c.rect(bar_left, y, bar_w * max(0.0, min(score, 100.0)) / 100, 16, stroke=0, fill=1)
            c.setFillColor(Color(0, 0, 0))
            draw_text(c, bar_left + bar_w + 6, y + 4, f"{score:.0f}%", "sans", 10)
        else:
            c.setFillColor(grey)
            draw_text(c, bar_left + bar_w + 6, y + 4, "n/a", "sans", 10)
    c.showPage()


def _table_pages(
    c: Any,
    org: Institution,
    filters: ReportFilters,
    today: date,
    progress: Progress | None,
) -> None:
    """The table, a header and a footer on every page; long cells cut to their column."""
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4, landscape

    from certificates.render import draw_text

    navy, grey, black = Color(0.122, 0.227, 0.373), Color(0.36, 0.38, 0.42), Color(0, 0, 0)
    w, h = (float(side) for side in landscape(A4))
    cols, size, line_h = PDF_COLUMNS, _FONT_SIZE, _LINE_H
    page_no = 1

    def header() -> float:
        c.setFillColor(navy)
        x = 30
        for title, cw in cols:
            c.setFont("PRX-Sans-Bold-ASCII", size)
            c.drawString(x, h - 40, title)
            x += cw
        c.setFillColor(grey)
        c.setFont("PRX-Sans-ASCII", size)
        c.drawRightString(w - 30, 20, f"{pdf_safe(org.name)} · page {page_no}")
        c.setFillColor(black)
        return h - 40 - line_h - 2

    y = header()
    for batch in export_batches(org, filters, today, progress=progress):
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
            st,
        ) in batch:
            if y < 36:
                c.showPage()
                page_no += 1
                y = header()
            cells = (
                name,
                email,
                dept,
                prof,
                str(modules),
                scores,
                "yes" if passed else "no",
                number,
                issued.isoformat() if issued else "",
                f"{credits:.2f}" if credits is not None else "",
                due.isoformat() if due else "",
                st,
            )
            x = 30
            for (_, cw), text in zip(cols, cells, strict=True):
                text = pdf_safe(text)
                if len(text) * size > cw - 4:  # might not fit (no glyph is wider than 1 em)
                    text = _fit(text, size, cw - 4)
                if text.isascii():
                    c.setFont("PRX-Sans-ASCII", size)
                    c.drawString(x, y, text)
                else:
                    draw_text(c, x, y, text, "sans", size)
                x += cw
            y -= line_h
    c.showPage()


def write_pdf(
    org: Institution,
    filters: ReportFilters = NO_FILTERS,
    today: date | None = None,
    *,
    table: bool = True,
    progress: Progress | None = None,
) -> Iterator[bytes]:
    """The summary page, then (unless `table=False`) the table; streamed from a temporary file
    once drawn (a PDF's cross-reference table comes last). `progress` counts table rows."""
    from certificates import fonts

    today = today or datetime.now(UTC).date()
    info = summary(org, filters, today, guidelines=True)
    c = _PartedCanvas(f"Completion report: {pdf_safe(org.name)}")
    for name in ("PRX-Sans-ASCII", "PRX-Sans-Bold-ASCII"):
        fonts.font(name)
    _summary_page(c, org, info, today)
    if table:
        _table_pages(c, org, filters, today, progress)
    yield from file_chunks(c.finish())
