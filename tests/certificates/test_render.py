"""Certificate and transcript PDFs: determinism, real text in every script, layout, QR."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from certificates.model import CreditLine
from certificates.render import render_pdf, render_transcript
from certificates.sample import SPECIMEN_NUMBER, specimen_data

BASE = "https://postrx.example.org"
NAMES = {
    "latin-accents": "Zoë Łukasz-Ørsted Ñúñez",
    "greek": "Αλέξανδρος Παπαδόπουλος",
    "cyrillic": "Анна Сергеевна Кузнецова",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "chinese": "王小明",
    "japanese": "山田 花子",
    "korean": "김민준",
    "mixed": "José 王 Иван Ἀλέξανδρος",
}


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (Debian poppler-utils) is not installed")


def test_the_same_snapshot_renders_byte_identical_pdfs():
    data = specimen_data("Zoë Ørsted 王小明")
    first = render_pdf(data, BASE)
    assert first.startswith(b"%PDF-")
    assert render_pdf(data, BASE) == first
    assert render_pdf(dataclasses.replace(data, learner_name="Zoe Orsted"), BASE) != first


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_learner_names_in_every_supported_script_are_extractable_text(name):
    assert name in _text(render_pdf(specimen_data(name), BASE))


def test_certificate_prints_the_required_fields():
    data = specimen_data("Maria Lopez")
    text = _text(render_pdf(data, BASE))
    for expected in [
        "Certificate of Completion",
        "Maria Lopez",
        "RN, BSN",
        "Registered Nurse",
        "internet enduring material",
        data.course_title,
        "Completed 14 March 2025",
        "Issued 14 March 2025",
        "Valid until 14 March 2026",
        "Nursing (ANCC): 1.50 nursing contact hours",
        "UAN 0372-0000-25-001-H04-P",
        "AMA PRA Category 1 Credit(s)™",
        "jointly",
        data.signer.name,
        data.signer.title,
        SPECIMEN_NUMBER,
        f"{BASE}/verify/{SPECIMEN_NUMBER}",
        data.provider.address,
    ]:
        assert expected in " ".join(text.split()), expected
    assert "DUPLICATE" not in text


def test_a_reprint_marked_duplicate_says_so():
    text = _text(render_pdf(specimen_data("Maria Lopez", duplicate=True), BASE))
    assert "DUPLICATE" in text


def test_certificate_is_one_landscape_page_in_letter_or_a4():
    for size, (w, h) in {"letter": (792, 612), "a4": (842, 595)}.items():
        page = PdfReader(io.BytesIO(render_pdf(specimen_data("A B"), BASE, page_size=size))).pages
        assert len(page) == 1
        box = page[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (w, h)


@pytest.mark.parametrize("name", ["Maria Lopez", "Nguyễn Thị Minh Khai", "王小明", "김민준"])
def test_certificate_stays_under_the_size_budget_in_every_script(name):
    # Fonts embed only the glyphs drawn (asciiReadable=False): a Korean name was 75 KB before.
    pdf = render_pdf(specimen_data(name), BASE)
    assert len(pdf) <= 60_000
    assert name in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # still searchable


def _word_boxes(pdf: bytes, tmp_path) -> tuple[float, list[tuple[str, float, float, float]]]:
    _needs("pdftotext")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    words = [
        (html.unescape(m.group(5)), float(m.group(1)), float(m.group(3)), float(m.group(2)))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            out,
        )
    ]
    return width, words


def test_a_very_long_name_shrinks_and_stays_inside_the_border(tmp_path):
    name = (
        "Maximiliana Alexandrina Konstantinopoulou-Vanderbilt-Montgomery de la Cruz "
        "y Fernández-Oyelaran Wolfeschlegelsteinhausenbergerdorff"
    )
    pdf = render_pdf(specimen_data(name), BASE)
    assert " ".join(name.split()) in " ".join(_text(pdf).split())
    width, words = _word_boxes(pdf, tmp_path)
    assert words
    for word, x_min, x_max, _ in words:
        assert x_min >= 40 and x_max <= width - 40, (word, x_min, x_max)


def test_a_very_long_unbroken_cjk_name_also_stays_inside_the_border(tmp_path):
    name = "王" * 80
    pdf = render_pdf(specimen_data(name), BASE)
    width, words = _word_boxes(pdf, tmp_path)
    cjk = [w for w in words if "王" in w[0]]
    assert sum(w[0].count("王") for w in cjk) == 80
    assert all(x0 >= 40 and x1 <= width - 40 for _, x0, x1, _ in cjk)


def test_a_short_name_is_printed_larger_than_a_long_one(tmp_path):
    def width_of_ann(name: str) -> float:
        _, words = _word_boxes(render_pdf(specimen_data(name), BASE), tmp_path)
        return next(x1 - x0 for w, x0, x1, _ in words if w == "Ann")

    # "Ann" is the same word in both names: its printed width is proportional to the font size.
    assert width_of_ann("Ann Lee") > 1.3 * width_of_ann("Ann " + "Bartholomew-" * 8 + "Lee")


def test_qr_code_decodes_to_the_verify_url(tmp_path):
    _needs("pdftoppm")
    zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp to decode QR codes")
    from PIL import Image

    data = specimen_data("Maria Lopez")
    path = tmp_path / "c.pdf"
    path.write_bytes(render_pdf(data, BASE))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [r.text for r in results] == [f"{BASE}/verify/{SPECIMEN_NUMBER}"]


def _cert(number: str, title: str, completed: date, amount: str, status: str = "valid"):
    return dataclasses.replace(
        specimen_data("Maria Lopez"),
        number=number,
        course_title=title,
        completion_date=completed,
        issue_date=completed,
        expiry_date=None,
        status=status,
        credits=(CreditLine("Nursing (ANCC)", Decimal(amount), "nursing contact hours"),),
    )


def test_transcript_lists_every_certificate_and_totals_valid_credit():
    certs = [
        _cert("PRX-0000-0000-0001-Y", "Social media basics", date(2024, 2, 1), "1.00"),
        _cert("PRX-0000-0000-0002-R", "Privacy refresher", date(2025, 2, 1), "0.75"),
        _cert("PRX-0000-0000-0003-M", "Revoked course", date(2025, 3, 1), "2.00", "revoked"),
    ]
    pdf = render_transcript("Maria Lopez", certs, BASE, generated_on=date(2025, 6, 1))
    text = " ".join(_text(pdf).split())
    for cert in certs:
        assert cert.number in text
        assert cert.course_title in text
    assert "REVOKED" in text
    assert "Total credit" in text
    assert "1.75 nursing contact hours (Nursing (ANCC))" in text.split("Total credit")[1]
    assert render_transcript("Maria Lopez", certs, BASE, generated_on=date(2025, 6, 1)) == pdf


def test_a_long_transcript_spans_pages_with_page_numbers():
    certs = [
        _cert(f"PRX-0000-0000-{i:04d}-X", f"Course {i}", date(2024, 1, 1), "0.25")
        for i in range(60)
    ]
    reader = PdfReader(io.BytesIO(render_transcript("Ann Lee", certs, BASE)))
    assert len(reader.pages) > 1
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "15.00 nursing contact hours" in last


def test_an_empty_transcript_still_renders():
    assert "Total credit" in _text(render_transcript("Ann Lee", [], BASE))


def test_output_does_not_depend_on_what_the_process_rendered_before():
    import hashlib
    import sys

    target = "render_pdf(specimen_data('Zoë 王小明 Ørsted'), 'https://postrx.example.org')"
    warm = (
        "render_pdf(specimen_data('김 Ж'), 'https://b.example');"
        "render_transcript('A', [specimen_data('x', duplicate=True)], 'https://c.example')"
    )
    digests = set()
    for before in ("", warm):
        code = (
            "import hashlib\n"
            "from certificates.render import render_pdf, render_transcript\n"
            "from certificates.sample import specimen_data\n"
            f"{before}\n"
            f"print(hashlib.sha256({target}).hexdigest())\n"
        )
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        digests.add(run.stdout.strip())
    here = hashlib.sha256(render_pdf(specimen_data("Zoë 王小明 Ørsted"), BASE)).hexdigest()
    assert digests == {here}
