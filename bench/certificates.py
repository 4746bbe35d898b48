"""Certificate rendering speed and size: our ReportLab canvas vs WeasyPrint and fpdf2.

Run: .venv/bin/python bench/certificates.py [N]   (N renders per engine, default 200)

Every engine renders the same specimen certificate (same text, logo, signature, QR code) in
one process; each iteration uses a different learner name, as a bulk download would, so name
layout is not served from a cache. Prints the median ms per certificate, the PDF size and the
ratios. WeasyPrint and fpdf2 are bench-only dependencies; a missing one is reported and skipped.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import segno

from certificates.model import CertificateData, format_amount
from certificates.render import format_date, render_pdf
from certificates.sample import specimen_data

BASE = "https://postrx.example.org"
FONT_DIR = Path(__file__).resolve().parents[1] / "certificates" / "fonts"
GOALS = {"ms": 8.0, "speedup_vs_weasyprint": 8.0, "kb": 60.0}


def _names(n: int) -> list[str]:
    first = ["Maria", "Zoë", "Łukasz", "Nguyễn", "Anna", "José", "Ólafur", "Chidi"]
    last = ["Lopez", "Ørsted", "Kowalski", "Thị Hương", "Petrova", "Núñez", "Jónsson", "Okafor"]
    return [f"{first[i % 8]} {last[(i // 8) % 8]} {i}" for i in range(n)]


def _time(render: Callable[[CertificateData], bytes], n: int) -> tuple[float, int]:
    base = specimen_data("Warm Up")
    render(base)  # fonts registered, caches warm: we measure steady state
    samples = []
    size = 0
    for name in _names(n):
        data = dataclasses.replace(base, learner_name=name)
        t0 = time.perf_counter()
        pdf = render(data)
        samples.append(time.perf_counter() - t0)
        size = len(pdf)
    return statistics.median(samples) * 1000, size


def _html(data: CertificateData) -> str:
    e = html.escape
    url = data.verify_url(BASE)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    logo = base64.b64encode(data.logo or b"").decode()
    sig = base64.b64encode(data.signer.signature_bytes() or b"").decode()
    credits = "".join(
        f"<p class=cr>{e(c.label)}: {format_amount(c.amount)} {e(c.unit)}"
        + (f" · UAN {e(c.uan)}" if c.uan else "")
        + "</p>"
        for c in data.credits
    )
    statements = "".join(f"<p class=st>{e(s)}</p>" for s in data.provider.accreditation_statements)
    joint = data.provider.joint_accreditation_statement or ""
    return f"""<!doctype html><html><head><meta charset=utf-8><style>
@font-face {{font-family: S; src: url(file://{FONT_DIR}/NotoSans-Regular.ttf);}}
@font-face {{font-family: S; font-weight: bold; src: url(file://{FONT_DIR}/NotoSans-Bold.ttf);}}
@font-face {{font-family: T; font-weight: bold; src: url(file://{FONT_DIR}/NotoSerif-Bold.ttf);}}
@font-face {{font-family: I; src: url(file://{FONT_DIR}/NotoSerif-Italic.ttf);}}
@page {{size: letter landscape; margin: 20pt;}}
body {{font-family: S; text-align: center; color: #222; margin: 0;}}
.f {{border: 7pt solid #1f3a5f; height: 558pt; padding: 10pt 30pt; position: relative;}}
h1 {{font-family: T; font-size: 34pt; color: #1f3a5f; margin: 4pt 0;}}
.name {{font-family: T; font-weight: bold; font-size: 32pt; margin: 4pt 0;}}
.course {{font-family: I; font-size: 19pt; color: #1f3a5f;}}
.cr {{font-weight: bold; font-size: 10.5pt; margin: 2pt;}}
.st {{font-size: 7.5pt; color: #555; margin: 3pt 60pt;}}
.joint {{border: 0.6pt solid #b08d57; background: #f6f3ec; font-size: 7.5pt; margin: 4pt 60pt;
  padding: 4pt;}}
.logo {{position: absolute; left: 20pt; top: 16pt; width: 60pt;}}
.bottom {{position: absolute; bottom: 12pt; left: 30pt; right: 30pt; height: 90pt;}}
.sig {{position: absolute; left: 0; bottom: 0; text-align: left; font-size: 9pt;}}
.qr {{position: absolute; right: 0; bottom: 0; width: 84pt;}}
</style></head><body><div class=f>
<img class=logo src="data:image/png;base64,{logo}">
<p style="letter-spacing:1.6pt;font-weight:bold;color:#1f3a5f">{e(data.provider.name.upper())}</p>
<h1>Certificate of Completion</h1><p><i>This certifies that</i></p>
<p class=name>{e(data.learner_name)}</p><p>{e(data.credentials)} · {e(data.profession)}</p>
<p>has successfully completed the {e(data.activity_format.lower())}</p>
<p class=course>{e(data.course_title)}</p>
<p>Version {e(data.course_version)} · Completed {format_date(data.completion_date)}</p>
{credits}{statements}<div class=joint>{e(joint)}</div>
<div class=bottom><div class=sig><img src="data:image/png;base64,{sig}" style="width:170pt"><br>
<b>{e(data.signer.name)}</b><br>{e(data.signer.title)}</div>
<p>Certificate No. <b>{e(data.number)}</b><br>Issued {format_date(data.issue_date)}<br>
Verify at {e(url)}</p><img class=qr src="{qr}"></div></div></body></html>"""


def weasyprint_renderer() -> Callable[[CertificateData], bytes]:
    from weasyprint import HTML  # bench-only dependency

    return lambda data: HTML(string=_html(data)).write_pdf()


def fpdf2_renderer() -> Callable[[CertificateData], bytes]:
    from fpdf import FPDF  # bench-only dependency

    def render(data: CertificateData) -> bytes:
        pdf = FPDF(orientation="L", unit="pt", format="letter")
        pdf.set_auto_page_break(False)
        pdf.add_font("S", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
        pdf.add_font("S", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
        pdf.add_font("T", "B", str(FONT_DIR / "NotoSerif-Bold.ttf"))
        pdf.add_font("I", "", str(FONT_DIR / "NotoSerif-Italic.ttf"))
        pdf.add_page()
        pdf.set_draw_color(31, 58, 95)
        pdf.set_line_width(7)
        pdf.rect(20, 20, 752, 572)
        pdf.image(io.BytesIO(data.logo or b""), 58, 52, 60, 60)
        w = 792

        def line(y: float, text: str, font: str, style: str, size: float) -> None:
            pdf.set_font(font, style, size)
            pdf.set_xy(58, y)
            pdf.cell(w - 116, size * 1.2, text, align="C")

        line(60, data.provider.name.upper(), "S", "B", 11)
        line(90, "Certificate of Completion", "T", "B", 34)
        line(150, "This certifies that", "I", "", 12)
        line(170, data.learner_name, "T", "B", 32)
        line(215, f"{data.credentials} · {data.profession}", "S", "", 10.5)
        line(235, f"has successfully completed the {data.activity_format.lower()}", "S", "", 10.5)
        line(255, data.course_title, "I", "", 19)
        line(285, f"Version {data.course_version}", "S", "", 9)
        y = 305.0
        for c in data.credits:
            line(y, f"{c.label}: {format_amount(c.amount)} {c.unit}", "S", "B", 10.5)
            y += 14.5
        pdf.set_font("S", "", 7.5)
        for s in (
            *data.provider.accreditation_statements,
            data.provider.joint_accreditation_statement or "",
        ):
            pdf.set_xy(118, y + 6)
            pdf.multi_cell(w - 236, 9.5, s, align="C")
            y = pdf.get_y()
        pdf.image(io.BytesIO(data.signer.signature_bytes() or b""), 62, 480, 170, 44)
        line(520, f"Certificate No. {data.number}", "S", "B", 12)
        qr = segno.make(data.verify_url(BASE), error="m")
        buf = io.BytesIO()
        qr.save(buf, kind="png", scale=4, border=2)
        pdf.image(buf, w - 142, 482, 84, 84)
        return bytes(pdf.output())

    return render


def main(n: int = 200) -> int:
    results: dict[str, tuple[float, int]] = {}
    ours = lambda data: render_pdf(data, BASE)  # noqa: E731
    results["postrx render_pdf (ReportLab canvas)"] = _time(ours, n)
    for label, factory in (
        ("WeasyPrint (HTML to PDF)", weasyprint_renderer),
        ("fpdf2", fpdf2_renderer),
    ):
        try:
            render = factory()
            results[label] = _time(render, n)
        except Exception as exc:  # a missing or broken engine must not stop the bench
            print(f"{label}: cannot run ({type(exc).__name__}: {exc})")
    ms, size = results["postrx render_pdf (ReportLab canvas)"]
    print(f"{'engine':40} {'ms/cert (median)':>17} {'PDF KB':>8} {'ratio':>8}")
    for label, (m, s) in results.items():
        print(f"{label:40} {m:17.2f} {s / 1000:8.1f} {m / ms:7.1f}x")
    weasy = results.get("WeasyPrint (HTML to PDF)")
    print(
        f"goals: <= {GOALS['ms']} ms: {'met' if ms <= GOALS['ms'] else 'MISSED'}; "
        f"PDF <= {GOALS['kb']} KB: {'met' if size / 1000 <= GOALS['kb'] else 'MISSED'}; "
        + (
            f">= {GOALS['speedup_vs_weasyprint']}x faster than WeasyPrint: "
            f"{'met' if weasy[0] / ms >= GOALS['speedup_vs_weasyprint'] else 'MISSED'} "
            f"({weasy[0] / ms:.1f}x)"
            if weasy
            else "WeasyPrint not measured"
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
