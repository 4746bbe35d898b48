"""Certificate and transcript PDFs, drawn straight onto a ReportLab canvas.

Why a canvas and not HTML-to-PDF: a certificate is one fixed page, and drawing it directly is
an order of magnitude faster (bench/certificates.py), so bulk downloads and on-demand reprints
stay cheap. ReportLab's ``invariant`` mode makes the output depend only on the snapshot: the
same ``CertificateData`` always gives the same bytes, which is what makes a reprint provably
identical to the original (apart from the DUPLICATE marking when requested).
"""

from __future__ import annotations

import copy
import hashlib
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

import segno
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER, landscape, portrait
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from certificates import fonts
from certificates.model import CertificateData, format_amount

# Plain binary (Flate) streams instead of ASCII85-wrapped ones: 20 % smaller PDFs and less work.
# Process-wide, but it only changes how streams are encoded, never what a PDF shows.
rl_config.useA85 = 0

PAGE_SIZES = {"letter": LETTER, "a4": A4}

NAVY = Color(0.122, 0.227, 0.373)
GOLD = Color(0.690, 0.553, 0.341)
INK = Color(0.13, 0.14, 0.16)
MUTED = Color(0.36, 0.38, 0.42)
PALE = Color(0.965, 0.953, 0.925)
RED = Color(0.70, 0.11, 0.11)
WHITE = Color(1, 1, 1)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # not strftime("%B"): that follows the process locale, and output must not


def format_date(d: date) -> str:
    """Unambiguous for US and UK readers alike: 14 March 2025."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# ---------------------------------------------------------------- text helpers


def draw_text(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    family: str,
    size: float,
    align: str = "left",
    char_space: float = 0.0,
) -> float:
    """Draw ``text`` with per-character font fallback; returns its width.

    All runs go into one text object so extraction reads the line back in one piece.
    """
    parts = fonts.runs(text, family)
    width: float = sum(stringWidth(s, f, size) + char_space * len(s) for f, s in parts)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    t = c.beginText(x, y)
    t.setCharSpace(char_space)  # Tc persists between text objects, so always set it
    for f, s in parts:
        t.setFont(f, size)
        t.textOut(s)
    c.drawText(t)
    return width


@lru_cache(maxsize=4096)
def wrap(text: str, family: str, size: float, max_width: float) -> tuple[str, ...]:
    """Greedy word wrap; words wider than the line (CJK has no spaces) break by character.

    Cached: a bulk run wraps the same accreditation statements for every learner.
    """
    space = fonts.text_width(" ", family, size)
    lines: list[str] = []
    line, line_w = "", 0.0
    for word in text.split():
        word_w = fonts.text_width(word, family, size)
        if line and line_w + space + word_w <= max_width:
            line, line_w = f"{line} {word}", line_w + space + word_w
            continue
        if line:
            lines.append(line)
        if word_w <= max_width:
            line, line_w = word, word_w
            continue
        line, line_w = "", 0.0
        for ch in word:
            ch_w = fonts.text_width(ch, family, size)
            if line and line_w + ch_w > max_width:
                lines.append(line)
                line, line_w = "", 0.0
            line, line_w = line + ch, line_w + ch_w
    if line:
        lines.append(line)
    return tuple(lines)


@lru_cache(maxsize=4096)
def fit_lines(
    text: str, family: str, max_size: float, min_size: float, max_width: float, max_lines: int
) -> tuple[tuple[str, ...], float]:
    """Largest size at which ``text`` fits ``max_width``: one line down to ``min_size``, then
    up to ``max_lines`` wrapped lines, shrinking further only if even that does not fit."""
    width = fonts.text_width(text, family, max_size)
    if width <= max_width:
        return (text,), max_size
    size = max_size * max_width / width
    if size >= min_size:
        return (text,), _floor_half(size)
    size = min_size
    while True:
        lines = wrap(text, family, size, max_width)
        if len(lines) <= max_lines or size <= 4:
            return lines, size
        size -= 0.5


def _floor_half(size: float) -> float:
    return int(size * 2) / 2


# ---------------------------------------------------------------- images and QR


@dataclass(frozen=True, slots=True)
class _PreparedImage:
    name: str
    width: int
    height: int
    image: pdfdoc.PDFImageXObject
    smask: pdfdoc.PDFImageXObject | None


@lru_cache(maxsize=32)
def _prepare_image(data: bytes) -> _PreparedImage:
    """Decode and Flate-compress an image once per process.

    A bulk run prints the same signature and logo on every certificate; ReportLab would
    otherwise decode and recompress them for every document (half the render time).
    """
    reader = ImageReader(io.BytesIO(data))
    name = "img" + hashlib.sha256(data).hexdigest()[:24]
    image = pdfdoc.PDFImageXObject(name, reader, mask="auto")
    smask = getattr(image, "_smask", None)
    for obj in (image, smask):  # done once, so spend the time on the best compression
        if obj is not None and obj._filters == ("FlateDecode",):
            obj.streamContent = zlib.compress(zlib.decompress(obj.streamContent), 9)
    if smask is not None:
        del image._smask
        smask.name = name + "a"
        image.smask = pdfdoc.PDFObjectReference(pdfdoc.xObjectName(smask.name))
    return _PreparedImage(name, image.width, image.height, image, smask)


def _draw_image_fit(
    c: Canvas, data: bytes, x: float, y: float, max_w: float, max_h: float, align: str = "center"
) -> tuple[float, float]:
    """Draw an image scaled into a box, reusing the process-wide prepared XObject.

    Mirrors what ``Canvas.drawImage`` does when it registers an image, minus the re-encoding.
    """
    prep = _prepare_image(data)
    scale = min(max_w / prep.width, max_h / prep.height)
    w, h = prep.width * scale, prep.height * scale
    dx = {"left": 0.0, "center": (max_w - w) / 2, "right": max_w - w}[align]
    doc = c._doc
    reg = doc.getXObjectName(prep.name)
    if reg not in doc.idToObject:
        # Shallow copies: ReportLab tags each registered object with its document's name for it;
        # the compressed stream bytes are shared.
        image = copy.copy(prep.image)
        doc.Reference(image, reg)
        doc.addForm(prep.name, image)
        if prep.smask is not None:
            doc.Reference(copy.copy(prep.smask), doc.getXObjectName(prep.smask.name))
    c._currentPageHasImages = 1
    c.saveState()
    c.translate(x + dx, y)
    c.scale(w, h)
    c._code.append(f"/{reg} Do")
    c.restoreState()
    c._formsinuse.append(prep.name)
    return w, h


@lru_cache(maxsize=256)
def _qr_runs(data: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """QR modules as horizontal runs (row, col, length) of dark modules."""
    qr = segno.make(data, error="m", micro=False)
    matrix = qr.matrix
    out: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        c0 = None
        for col, v in enumerate(row):
            if v and c0 is None:
                c0 = col
            elif not v and c0 is not None:
                out.append((r, c0, col - c0))
                c0 = None
        if c0 is not None:
            out.append((r, c0, len(row) - c0))
    return len(matrix), tuple(out)


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float, quiet: int = 2) -> None:
    """The QR symbol for ``data`` as ONE filled path (fast, tiny, crisp at any zoom).

    The path is written in module units under a scaling matrix, so every coordinate is a small
    integer and the operators are built with one join instead of hundreds of canvas calls.
    """
    n, cells = _qr_runs(data)
    m = size / (n + 2 * quiet)
    c.setFillColor(WHITE)
    c.rect(x, y, size, size, stroke=0, fill=1)
    ops = " ".join(f"{col} {n - r - 1} {length} 1 re" for r, col, length in cells)
    ox, oy = x + quiet * m, y + quiet * m
    c.addLiteral(f"q {m:.4f} 0 0 {m:.4f} {ox:.4f} {oy:.4f} cm 0 g {ops} f Q")


# ---------------------------------------------------------------- certificate


@dataclass(frozen=True, slots=True)
class _Box:
    left: float
    right: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2


def _new_canvas(buf: io.BytesIO, size: tuple[float, float], title: str) -> Canvas:
    c = Canvas(buf, pagesize=size, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("PostRx")
    c.setCreator("PostRx certificates")
    return c


def _draw_frame(c: Canvas, w: float, h: float) -> None:
    c.setFillColor(PALE)
    c.rect(0, 0, w, h, stroke=0, fill=1)
    c.setFillColor(WHITE)
    c.setStrokeColor(NAVY)
    c.setLineWidth(7)
    c.rect(20, 20, w - 40, h - 40, stroke=1, fill=1)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.4)
    c.rect(30, 30, w - 60, h - 60, stroke=1, fill=0)
    c.setLineWidth(0.5)
    c.rect(34, 34, w - 68, h - 68, stroke=1, fill=0)
    # corner diamonds
    c.setFillColor(GOLD)
    for cx, cy in ((34, 34), (w - 34, 34), (34, h - 34), (w - 34, h - 34)):
        p = c.beginPath()
        p.moveTo(cx, cy - 7)
        p.lineTo(cx + 7, cy)
        p.lineTo(cx, cy + 7)
        p.lineTo(cx - 7, cy)
        p.close()
        c.drawPath(p, stroke=0, fill=1)


def _rule(c: Canvas, cx: float, y: float, half: float) -> None:
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line(cx - half, y, cx - 6, y)
    c.line(cx + 6, y, cx + half, y)
    c.setFillColor(GOLD)
    p = c.beginPath()
    p.moveTo(cx, y - 3)
    p.lineTo(cx + 3, y)
    p.lineTo(cx, y + 3)
    p.lineTo(cx - 3, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def _statement_block(
    data: CertificateData, width: float, size: float
) -> tuple[list[tuple[str, ...]], tuple[str, ...], float]:
    """Wrapped accreditation statements and joint statement, and their total height."""
    paras = [wrap(s, "sans", size, width) for s in data.provider.accreditation_statements]
    joint = data.provider.joint_accreditation_statement
    joint_lines = wrap(joint, "sans", size, width - 24) if joint else ()
    lead = size * 1.3
    height = sum(len(p) * lead for p in paras) + max(0, len(paras) - 1) * size * 0.5
    if joint_lines:
        height += (size * 0.9 if paras else 0) + len(joint_lines) * lead + 14
    return paras, joint_lines, height


def _draw_duplicate_watermark(c: Canvas, cx: float, h: float) -> None:
    """The faint diagonal DUPLICATE across the page of a reprint."""
    c.saveState()
    c.setFillColor(RED)
    c.setFillAlpha(0.07)
    c.translate(cx, h / 2)
    c.rotate(24)
    draw_text(c, 0, -40, "DUPLICATE", "sans-bold", 130, "center")
    c.restoreState()


def _draw_heading(c: Canvas, data: CertificateData, inner: _Box, cx: float, h: float) -> float:
    """Logo, provider name, title and the DUPLICATE mark or rule; returns the y reached."""
    y = h - 74
    if data.logo:
        _draw_image_fit(c, data.logo, inner.left, h - 112, 60, 60, "left")
    c.setFillColor(NAVY)
    prov_lines, prov_size = fit_lines(
        data.provider.name.upper(), "sans-bold", 11, 7, inner.width - 160, 1
    )
    draw_text(c, cx, y, prov_lines[0], "sans-bold", prov_size, "center", char_space=1.6)
    y -= 44
    draw_text(c, cx, y, "Certificate of Completion", "serif-bold", 34, "center")
    y -= 20
    if data.duplicate:
        c.setFillColor(RED)
        draw_text(c, cx, y, "DUPLICATE", "sans-bold", 10, "center", char_space=3)
        y -= 4
    else:
        _rule(c, cx, y + 4, 90)
    y -= 24
    c.setFillColor(MUTED)
    draw_text(c, cx, y, "This certifies that", "serif-italic", 12, "center")
    return y


def _draw_recipient(c: Canvas, data: CertificateData, inner: _Box, cx: float, y: float) -> float:
    """Learner name (shrunk, then wrapped, to fit) and credentials; returns the y reached."""
    name_lines, name_size = fit_lines(data.learner_name, "serif-bold", 32, 18, inner.width - 40, 2)
    y -= name_size * 1.25 + 4
    c.setFillColor(INK)
    for i, line in enumerate(name_lines):
        if i:
            y -= name_size * 1.12
        draw_text(c, cx, y, line, "serif-bold", name_size, "center")
    y -= 12
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line(cx - 200, y, cx + 200, y)
    who = " · ".join(p for p in (data.credentials, data.profession) if p)
    y -= 14
    if who:
        c.setFillColor(MUTED)
        who_lines, who_size = fit_lines(who, "sans", 10.5, 7, inner.width - 80, 1)
        draw_text(c, cx, y, who_lines[0], "sans", who_size, "center")
    return y


def _draw_course(c: Canvas, data: CertificateData, inner: _Box, cx: float, y: float) -> float:
    """What was completed, when, and the credit awarded; returns the y reached."""
    y -= 20
    c.setFillColor(INK)
    draw_text(
        c,
        cx,
        y,
        f"has successfully completed the {data.activity_format.lower()}",
        "sans",
        10.5,
        "center",
    )

    title_lines, title_size = fit_lines(
        data.course_title, "serif-italic", 19, 12, inner.width - 60, 2
    )
    y -= title_size + 8
    c.setFillColor(NAVY)
    for i, line in enumerate(title_lines):
        if i:
            y -= title_size * 1.2
        draw_text(c, cx, y, line, "serif-italic", title_size, "center")
    y -= 16
    c.setFillColor(MUTED)
    dates = [f"Version {data.course_version}", f"Completed {format_date(data.completion_date)}"]
    draw_text(c, cx, y, " · ".join(dates), "sans", 9, "center")

    # Credits awarded.
    y -= 22
    c.setFillColor(GOLD)
    draw_text(c, cx, y, "CREDIT AWARDED", "sans-bold", 7.5, "center", char_space=1.5)
    c.setFillColor(INK)
    for credit in data.credits:
        y -= 14.5
        text = f"{credit.label}: {format_amount(credit.amount)} {credit.unit}"
        if credit.uan:
            text += f" · UAN {credit.uan}"
        parts, size = fit_lines(text, "sans-bold", 10.5, 7, inner.width - 80, 1)
        draw_text(c, cx, y, parts[0], "sans-bold", size, "center")
    return y


def _draw_signature(c: Canvas, data: CertificateData, sig_x: float, sig_line_y: float) -> None:
    """Signature image over a line, with the signer's name and title under it."""
    sig = data.signer.signature_bytes()
    if sig:
        _draw_image_fit(c, sig, sig_x, sig_line_y + 2, 170, 44, "center")
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(sig_x, sig_line_y, sig_x + 170, sig_line_y)
    c.setFillColor(INK)
    sl, ss = fit_lines(data.signer.name, "sans-bold", 9.5, 6, 190, 1)
    draw_text(c, sig_x, sig_line_y - 12, sl[0], "sans-bold", ss, "left")
    c.setFillColor(MUTED)
    tl, ts = fit_lines(data.signer.title, "sans", 8.5, 6, 190, 1)
    draw_text(c, sig_x, sig_line_y - 23, tl[0], "sans", ts, "left")


def _draw_bottom_band(c: Canvas, data: CertificateData, inner: _Box, url: str) -> None:
    """Bottom band: signature | number, dates and provider | QR (linked to the verify page)."""
    qr_size = 84
    qr_x = inner.right - qr_size
    draw_qr(c, url, qr_x, 46, qr_size)
    c.setFillColor(MUTED)
    draw_text(c, qr_x + qr_size / 2, 38, "Scan to verify", "sans", 6.5, "center")

    sig_x = inner.left + 4
    _draw_signature(c, data, sig_x, 86)

    mid_left, mid_right = sig_x + 200, qr_x - 14
    mid = (mid_left + mid_right) / 2
    c.setFillColor(INK)
    draw_text(c, mid, 118, "Certificate No.", "sans", 7.5, "center")
    draw_text(c, mid, 104, data.number, "sans-bold", 12, "center", char_space=0.6)
    c.setFillColor(MUTED)
    issued = f"Issued {format_date(data.issue_date)}"
    if data.expiry_date:
        issued += f" · Valid until {format_date(data.expiry_date)}"
    draw_text(c, mid, 91, issued, "sans", 8, "center")
    vl, vs = fit_lines(f"Verify at {url}", "sans", 8, 5, mid_right - mid_left, 1)
    c.setFillColor(NAVY)
    draw_text(c, mid, 79, vl[0], "sans", vs, "center")
    c.linkURL(url, (qr_x, 46, qr_x + qr_size, 46 + qr_size), relative=0)
    c.setFillColor(MUTED)
    pv = f"{data.provider.name} · {data.provider.address} · {data.provider.url}"
    pl, ps = fit_lines(pv, "sans", 7, 4.5, mid_right - mid_left, 2)
    py: float = 60
    for line in pl:
        draw_text(c, mid, py, line, "sans", ps, "center")
        py -= ps * 1.3


def _draw_statements(
    c: Canvas, data: CertificateData, inner: _Box, cx: float, y: float, band_top: float
) -> None:
    """Accreditation statements, shrunk to fill the space between credits and the bottom band."""
    avail = y - 14 - band_top
    width = inner.width - 120
    size = 7.5
    paras, joint_lines, height = _statement_block(data, width, size)
    while height > avail and size > 5:
        size -= 0.25
        paras, joint_lines, height = _statement_block(data, width, size)
    lead = size * 1.3
    sy = band_top + (avail + height) / 2
    c.setFillColor(MUTED)
    for i, para in enumerate(paras):
        if i:
            sy -= size * 0.5
        for line in para:
            sy -= lead
            draw_text(c, cx, sy + 2, line, "sans", size, "center")
    if joint_lines:
        if paras:
            sy -= size * 0.9
        box_h = len(joint_lines) * lead + 10
        c.setFillColor(PALE)
        c.setStrokeColor(GOLD)
        c.setLineWidth(0.6)
        c.rect(cx - width / 2, sy - box_h, width, box_h, stroke=1, fill=1)
        sy -= 5
        c.setFillColor(NAVY)
        for line in joint_lines:
            sy -= lead
            draw_text(c, cx, sy + 2, line, "sans", size, "center")


def render_pdf(data: CertificateData, base_url: str, *, page_size: str = "letter") -> bytes:
    """The certificate as a one-page landscape PDF; same snapshot, same bytes."""
    w, h = landscape(PAGE_SIZES[page_size])
    buf = io.BytesIO()
    c = _new_canvas(buf, (w, h), f"Certificate {data.number}")
    c.setSubject(data.course_title)
    _draw_frame(c, w, h)
    inner = _Box(58, w - 58)
    cx = w / 2
    url = data.verify_url(base_url)

    if data.duplicate:
        _draw_duplicate_watermark(c, cx, h)
    y = _draw_heading(c, data, inner, cx, h)
    y = _draw_recipient(c, data, inner, cx, y)
    y = _draw_course(c, data, inner, cx, y)
    # The band is drawn before the statements so they can use all the room left above it.
    _draw_bottom_band(c, data, inner, url)
    _draw_statements(c, data, inner, cx, y, band_top=150)

    c.showPage()
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------- transcript


def _credit_totals(certs: Sequence[CertificateData]) -> list[tuple[str, str, Decimal]]:
    totals: dict[tuple[str, str], Decimal] = {}
    for cert in certs:
        if cert.status == "revoked":
            continue
        for line in cert.credits:
            key = (line.label, line.unit)
            totals[key] = totals.get(key, Decimal(0)) + line.amount
    return [(label, unit, amt) for (label, unit), amt in sorted(totals.items())]


#: One transcript row: certificate, activity lines, format lines, credit lines, status, height.
_TranscriptRow = tuple[CertificateData, tuple[str, ...], tuple[str, ...], list[str], str, float]


@dataclass(frozen=True, slots=True)
class _TranscriptLayout:
    """Page geometry and type sizes of a transcript, shared by the helpers that draw it."""

    w: float
    h: float
    left: float
    right: float
    cols: tuple[float, float, float, float]  # date | activity | number | credits
    widths: tuple[float, float, float, float]
    body: float
    lead: float
    top_first: float  # where the table starts on page 1 (below the title block)
    top_next: float
    bottom: float

    @classmethod
    def for_page(cls, page_size: str) -> _TranscriptLayout:
        w, h = portrait(PAGE_SIZES[page_size])
        left, right = 48, w - 48
        cols = (left, left + 62, left + 244, left + 340)
        body = 8.5
        return cls(
            w=w,
            h=h,
            left=left,
            right=right,
            cols=cols,
            widths=(58, 172, 92, right - cols[3]),
            body=body,
            lead=body * 1.35,
            top_first=h - 190,
            top_next=h - 90,
            bottom=60,
        )


def _transcript_rows(
    certs: Sequence[CertificateData], generated_on: date | None, lay: _TranscriptLayout
) -> list[_TranscriptRow]:
    """Each certificate's wrapped cells, its status as of ``generated_on``, and its height."""
    body, widths = lay.body, lay.widths
    rows: list[_TranscriptRow] = []
    for cert in certs:
        act = wrap(cert.course_title, "sans-bold", body, widths[1])
        meta = f"v{cert.course_version} · {cert.activity_format}"
        act_meta = wrap(meta, "sans", body - 1, widths[1])
        credits: list[str] = []
        for credit in cert.credits:
            credits += wrap(
                f"{format_amount(credit.amount)} {credit.unit} ({credit.label})",
                "sans",
                body,
                widths[3],
            )
        status = cert.status_on(generated_on) if generated_on else cert.status
        n = max(len(act) + len(act_meta), len(credits), 2 if status != "valid" else 1)
        rows.append((cert, act, act_meta, credits, status, n * lay.lead + 8))
    return rows


def _paginate(
    rows: Sequence[_TranscriptRow], lay: _TranscriptLayout, totals_h: float
) -> tuple[list[list[_TranscriptRow]], bool]:
    """Rows split into pages, and whether the totals need a page of their own.

    Done before drawing so every page can say "Page i of N".
    """
    pages: list[list[_TranscriptRow]] = [[]]
    avail = lay.top_first - lay.bottom
    for row in rows:
        if row[5] > avail and pages[-1]:
            pages.append([])
            avail = lay.top_next - lay.bottom
        pages[-1].append(row)
        avail -= row[5]
    return pages, avail < totals_h


def _draw_top_bar(c: Canvas, lay: _TranscriptLayout) -> None:
    c.setFillColor(NAVY)
    c.rect(0, lay.h - 8, lay.w, 8, stroke=0, fill=1)


def _draw_transcript_title(
    c: Canvas,
    lay: _TranscriptLayout,
    learner_name: str,
    certs: Sequence[CertificateData],
    generated_on: date | None,
) -> None:
    """Page 1's title block: logo and provider of the first certificate, learner, count."""
    left, h = lay.left, lay.h
    logo = certs[0].logo if certs else None
    provider = certs[0].provider if certs else None
    if logo:
        _draw_image_fit(c, logo, left, h - 100, 48, 48, "left")
    c.setFillColor(NAVY)
    draw_text(c, left + 60, h - 66, "Transcript of Continuing Education", "serif-bold", 20)
    c.setFillColor(MUTED)
    if provider:
        draw_text(c, left + 60, h - 82, provider.name, "sans", 9)
    c.setFillColor(INK)
    nl, ns = fit_lines(learner_name, "serif-bold", 16, 9, lay.right - left, 1)
    draw_text(c, left, h - 130, nl[0], "serif-bold", ns)
    c.setFillColor(MUTED)
    sub = f"{len(certs)} certificate{'s' if len(certs) != 1 else ''}"
    if generated_on:
        sub += f" · as of {format_date(generated_on)}"
    draw_text(c, left, h - 146, sub, "sans", 9)


def _draw_column_heads(c: Canvas, lay: _TranscriptLayout, y: float) -> float:
    """The table's header band at ``y``; returns the y of the first row."""
    c.setFillColor(NAVY)
    c.rect(lay.left - 4, y - 7, lay.right - lay.left + 8, 20, stroke=0, fill=1)
    c.setFillColor(WHITE)
    for x, label in zip(
        lay.cols, ("Completed", "Activity", "Certificate No.", "Credits"), strict=True
    ):
        draw_text(c, x, y, label, "sans-bold", 8)
    return y - 14


def _draw_transcript_row(
    c: Canvas, lay: _TranscriptLayout, row: _TranscriptRow, y: float, shaded: bool
) -> None:
    """One certificate's row with its top at ``y``; a status other than valid shows in red."""
    cert, act, act_meta, credits, status, row_h = row
    cols, body, lead = lay.cols, lay.body, lay.lead
    if shaded:
        c.setFillColor(PALE)
        c.rect(lay.left - 4, y - row_h + 4, lay.right - lay.left + 8, row_h, stroke=0, fill=1)
    ty = y - lead + 4
    c.setFillColor(INK)
    draw_text(c, cols[0], ty, cert.completion_date.isoformat(), "sans", body)
    ly = ty
    for line in act:
        draw_text(c, cols[1], ly, line, "sans-bold", body)
        ly -= lead
    c.setFillColor(MUTED)
    for line in act_meta:
        draw_text(c, cols[1], ly, line, "sans", body - 1)
        ly -= lead
    c.setFillColor(INK)
    draw_text(c, cols[2], ty, cert.number, "sans", body - 1)
    if status != "valid":
        c.setFillColor(RED)
        draw_text(c, cols[2], ty - lead, status.upper(), "sans-bold", body - 1.5)
        c.setFillColor(INK)
    ly = ty
    for line in credits:
        draw_text(c, cols[3], ly, line, "sans", body)
        ly -= lead


def _draw_totals(
    c: Canvas, lay: _TranscriptLayout, totals: Sequence[tuple[str, str, Decimal]], y: float
) -> None:
    """The "Total credit" block under the last row (``y``), one line per label and unit."""
    left, right, cols = lay.left, lay.right, lay.cols
    y -= 16
    c.setStrokeColor(NAVY)
    c.setLineWidth(0.8)
    c.line(left - 4, y + 10, right + 4, y + 10)
    c.setFillColor(NAVY)
    draw_text(c, left, y - 4, "Total credit", "sans-bold", 10)
    c.setFillColor(INK)
    if not totals:
        draw_text(c, cols[2], y - 4, "None", "sans", lay.body)
    for label, unit, amount in totals:
        tl, ts = fit_lines(
            f"{format_amount(amount)} {unit} ({label})",
            "sans-bold",
            lay.body,
            6,
            right - cols[2],
            1,
        )
        draw_text(c, cols[2], y - 4, tl[0], "sans-bold", ts)
        y -= 14


def _draw_transcript_footer(
    c: Canvas, lay: _TranscriptLayout, base_url: str, page: int, n_pages: int
) -> None:
    c.setFillColor(MUTED)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.5)
    c.line(lay.left, 44, lay.right, 44)
    draw_text(
        c, lay.left, 32, f"Verify any certificate at {base_url.rstrip('/')}/verify/", "sans", 7
    )
    draw_text(c, lay.right, 32, f"Page {page} of {n_pages}", "sans", 7, "right")


def render_transcript(
    learner_name: str,
    certificates: Sequence[CertificateData],
    base_url: str,
    *,
    generated_on: date | None = None,
    page_size: str = "letter",
) -> bytes:
    """All of a learner's certificates and credits in one portrait table, with totals.

    Revoked certificates are listed but not counted. Same inputs, same bytes.
    """
    lay = _TranscriptLayout.for_page(page_size)
    certs = sorted(certificates, key=lambda x: (x.completion_date, x.number))
    rows = _transcript_rows(certs, generated_on, lay)
    totals = _credit_totals(certs)
    pages, need_totals_page = _paginate(rows, lay, 30 + len(totals) * 14)
    n_pages = len(pages) + (1 if need_totals_page else 0)

    buf = io.BytesIO()
    c = _new_canvas(buf, (lay.w, lay.h), "Transcript")
    page_no = 0
    y = 0.0
    for page_rows in pages:
        page_no += 1
        _draw_top_bar(c, lay)
        if page_no == 1:
            _draw_transcript_title(c, lay, learner_name, certs, generated_on)
            y = _draw_column_heads(c, lay, lay.top_first + 22)
        else:
            y = _draw_column_heads(c, lay, lay.top_next + 22)
        for i, row in enumerate(page_rows):
            _draw_transcript_row(c, lay, row, y, shaded=bool(i % 2))
            y -= row[5]
        if page_no < n_pages:
            _draw_transcript_footer(c, lay, base_url, page_no, n_pages)
            c.showPage()
    if need_totals_page:
        page_no += 1
        y = lay.h - 60
        _draw_top_bar(c, lay)
    _draw_totals(c, lay, totals, y)
    _draw_transcript_footer(c, lay, base_url, page_no, n_pages)
    c.showPage()
    c.save()
    return buf.getvalue()
