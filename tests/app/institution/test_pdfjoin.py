"""Joining report parts into one PDF: order, text, fonts, metadata, two parsers agree, memory
stays flat, and only the libraries' public API is used."""

from __future__ import annotations

import ast
import gc
import io
import shutil
import subprocess
import tracemalloc
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.services import reports
from app.services.reports import pdf_out
from app.services.reports.pdfjoin import join_pdfs
from certificates import fonts
from certificates.render import draw_text
from tests.app.institution.conftest import add_learner


def _part(path, first: int, pages: int) -> str:
    fonts.font("PRX-Sans")
    c = Canvas(str(path), pagesize=A4, pageCompression=1, invariant=1)
    for n in range(first, first + pages):
        draw_text(c, 72, 700, f"Page {n} · Zoë Ōtsuka 東京", "sans", 12)
        c.bookmarkPage(f"p{n}")
        c.addOutlineEntry(f"Page {n}", f"p{n}")  # the part's catalog has an outline
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
    monkeypatch.setattr(pdf_out, "PDF_PART_PAGES", 1)  # summary, table page 1, table page 2
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


def test_the_joined_file_holds_only_what_its_pages_use(tmp_path):
    parts = [_part(tmp_path / "a.pdf", 1, 2), _part(tmp_path / "b.pdf", 3, 2)]
    out = tmp_path / "joined.pdf"
    with open(out, "wb") as fh:
        join_pdfs(parts, fh, title="t", author="PostRx")
    reader = PdfReader(str(out), strict=True)
    assert "/Outlines" not in reader.trailer["/Root"]  # the parts' outlines are left behind
    assert [p.extract_text().split(" ·")[0] for p in reader.pages] == [
        "Page 1",
        "Page 2",
        "Page 3",
        "Page 4",
    ]
    data = out.read_bytes()
    assert data.count(b"/Type /Catalog") == 1 and data.count(b"/Outlines") == 0
    _check_with_poppler(str(out))


def _join_peak(parts: list[str], out: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        with open(out, "wb") as fh:
            join_pdfs(parts, fh, title="t", author="PostRx")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_joining_four_times_as_many_parts_takes_no_more_memory(tmp_path):
    part = _part(tmp_path / "part.pdf", 1, 20)
    few = _join_peak([part] * 3, tmp_path / "few.pdf")
    many = _join_peak([part] * 12, tmp_path / "many.pdf")
    assert len(PdfReader(str(tmp_path / "many.pdf")).pages) == 240
    # One part's parsed objects at a time; what grows is a few bytes per object and page.
    assert many < few + 64 * 1024, (few, many)


_ROOT = Path(__file__).resolve().parents[3]
_PDF_CODE = {  # file: the top-level definitions that build report PDFs (None: all of it)
    "app/services/reports/pdfjoin.py": None,
    "app/services/reports/pdf_out.py": None,
}


def _private_uses(tree: ast.AST, subclass: bool = False) -> list[str]:
    """`x._name`, and imports of `_private` modules or names. `self._name` is our own, except
    in a subclass (of a library class: ReportLab's `Canvas._doc`, say)."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            found += _private_uses(node, subclass=bool(node.bases))
            continue
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            dunder = node.attr.startswith("__") and node.attr.endswith("__")
            own = isinstance(node.value, ast.Name) and node.value.id == "self" and not subclass
            if not dunder and not own:
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            names = [*node.module.split("."), *(a.name for a in node.names)]
            found += [f"line {node.lineno}: {n}" for n in names if n.startswith("_")]
        found += _private_uses(node, subclass)
    return found


def test_the_pdf_code_uses_no_private_library_internals():
    # Review finding (issue 20): private attributes break on any library release; the pins in
    # pyproject.toml only bound a library where the code still needs more than its public API.
    for name, defs in _PDF_CODE.items():
        module = ast.parse((_ROOT / name).read_text(encoding="utf-8"))
        nodes = [
            n
            for n in module.body
            if defs is None or getattr(n, "name", None) in defs or _assigns(n, defs)
        ]
        assert len(nodes) >= (1 if defs is None else len(defs)), name
        found = [use for n in nodes for use in _private_uses(n)]
        assert not found, f"{name}: {found}"


def _assigns(node: ast.stmt, names: set[str]) -> bool:
    return isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id in names for t in node.targets
    )


def _nested_tree_pdf(path: Path) -> str:
    """Two pages under a nested page tree; the inner node holds their /Resources and /MediaBox."""
    content = b"BT /F1 12 Tf 72 700 Td (Nested page %d) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2 /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 8 0 R >> >> >>",
        b"<< /Type /Page /Parent 3 0 R /Contents 6 0 R >>",
        b"<< /Type /Page /Parent 3 0 R /Contents 7 0 R >>",
        *(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content % n), content % n)
            for n in (1, 2)
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(data))
    return str(path)


def test_pages_from_a_nested_page_tree_hang_from_the_new_tree_with_what_they_inherited(tmp_path):
    parts = [_nested_tree_pdf(tmp_path / "nested.pdf"), _part(tmp_path / "b.pdf", 3, 1)]
    out = tmp_path / "joined.pdf"
    with open(out, "wb") as fh:
        assert join_pdfs(parts, fh, title="t", author="PostRx") == 3
    reader = PdfReader(str(out), strict=True)
    texts = [p.extract_text() for p in reader.pages]
    assert texts[0] == "Nested page 1" and texts[1] == "Nested page 2" and "Page 3" in texts[2]
    tree = reader.trailer["/Root"]["/Pages"]
    assert all(p["/Parent"].get_object() == tree for p in reader.pages)
    assert float(reader.pages[0].mediabox.width) == 595
    assert out.read_bytes().count(b"/Type /Pages") == 1  # the inner node was left behind
    _check_with_poppler(str(out))
