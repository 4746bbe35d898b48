"""Joining report parts into one PDF: order, text, fonts, metadata, and two parsers agree."""

from __future__ import annotations

import io
import shutil
import subprocess

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.services import reports
from app.services.pdfjoin import join_pdfs
from certificates import fonts
from certificates.render import draw_text
from tests.app.institution.conftest import add_learner


def _part(path, first: int, pages: int) -> str:  # type: ignore[no-untyped-def]
    fonts.font("PRX-Sans")
    c = Canvas(str(path), pagesize=A4, pageCompression=1, invariant=1)
    for n in range(first, first + pages):
        draw_text(c, 72, 700, f"Page {n} · Zoë Ōtsuka 東京", "sans", 12)
        c.showPage()
    c.save()
    return str(path)


def _check_with_poppler(path: str) -> None:
    if shutil.which("pdfinfo") is None:  # poppler-utils comes with scripts/install-system-deps.sh
        return
    done = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Error" not in done.stderr, done.stderr


def test_parts_join_into_one_document_in_order(tmp_path):
    parts = [_part(tmp_path / "a.pdf", 1, 2), _part(tmp_path / "b.pdf", 3, 1)]
    parts.append(_part(tmp_path / "c.pdf", 4, 3))
    out = tmp_path / "joined.pdf"
    with open(out, "wb") as fh:
        assert join_pdfs(parts, fh, title="Rapport : Hôpital 東京", author="PostRx") == 6
    reader = PdfReader(str(out), strict=True)
    assert [p.extract_text().split(" ·")[0] for p in reader.pages] == [
        f"Page {n}" for n in range(1, 7)
    ]
    assert "Zoë Ōtsuka 東京" in reader.pages[5].extract_text()  # every part kept its fonts
    assert reader.metadata.title == "Rapport : Hôpital 東京"
    assert reader.metadata.author == "PostRx"
    assert all(p.get_object()["/Parent"].get_object()["/Count"] == 6 for p in reader.pages)
    _check_with_poppler(str(out))


def test_a_report_drawn_in_parts_reads_like_one_drawn_whole(app, admin_org, make_user, monkeypatch):
    _admin, org = admin_org
    for i in range(70):
        add_learner(
            org, make_user, name=f"Learner {i:02d}", state="completed" if i % 3 else "in_progress"
        )
    whole = PdfReader(io.BytesIO(b"".join(reports.write_pdf(org))))
    monkeypatch.setattr(reports, "PDF_PART_PAGES", 1)  # summary, table page 1, table page 2
    parted_bytes = b"".join(reports.write_pdf(org))
    parted = PdfReader(io.BytesIO(parted_bytes), strict=True)
    assert len(whole.pages) == len(parted.pages) == 3
    for a, b in zip(whole.pages, parted.pages, strict=True):
        assert a.extract_text() == b.extract_text()
    assert parted.metadata.title == f"Completion report: {org.name}"
    path = app.instance_path + "/parted.pdf"
    with open(path, "wb") as fh:
        fh.write(parted_bytes)
    _check_with_poppler(path)
