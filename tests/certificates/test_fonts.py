"""Per-character font fallback and the can-we-print-this-name check."""

from __future__ import annotations

import pytest

from certificates import fonts

NAMES = {
    "latin-accents": "Zoë Łukasz-Ørsted Ñúñez Ðorđević Şahin",
    "greek": "Αλέξανδρος Παπαδόπουλος",
    "cyrillic": "Анна Сергеевна Кузнецова",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "chinese": "王小明",
    "japanese": "山田 花子 やまだ カタカナ",
    "korean": "김민준",
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_names_in_supported_scripts_can_be_rendered(name):
    assert fonts.can_render(name)
    assert fonts.missing_characters(name) == ""


def test_a_latin_name_is_a_single_run_in_the_primary_font():
    assert fonts.runs("Zoë Ørsted", "serif-bold") == (("PRX-Serif-Bold", "Zoë Ørsted"),)


def test_mixed_scripts_split_into_runs_by_which_font_has_the_glyph():
    result = fonts.runs("José 王 김", "sans")
    assert [f for f, _ in result] == ["PRX-Sans", "PRX-CJK", "PRX-Hangul"]
    assert "".join(s for _, s in result) == "José 王 김"


def test_decomposed_vietnamese_is_normalized_to_precomposed_letters():
    decomposed = "Nguye\u0302\u0303n"
    assert fonts.runs(decomposed, "sans") == (("PRX-Sans", "Nguyễn"),)


def test_right_to_left_scripts_are_reported_missing_rather_than_printed_backwards():
    assert fonts.missing_characters("Ali علي") == "علي"
    assert not fonts.can_render("שלום")


def test_control_characters_and_unassigned_code_points_are_missing():
    assert fonts.missing_characters("Ann\tLee\n") == "\t\n"
    assert fonts.missing_characters("A\U000e0001\ufffe") != ""
    assert not fonts.can_render("\x00")


def test_missing_characters_lists_each_character_once_in_order():
    assert fonts.missing_characters("ب a ب ש") == "بש"


def test_text_width_grows_with_size_and_length():
    w10 = fonts.text_width("Certificate", "serif-bold", 10)
    assert fonts.text_width("Certificate", "serif-bold", 20) == pytest.approx(2 * w10)
    assert fonts.text_width("Certificates", "serif-bold", 10) > w10


def test_every_bundled_font_file_has_a_licence_beside_it():
    files = {p.name for p in fonts.FONT_DIR.iterdir()}
    assert set(fonts.FONT_FILES.values()) <= files
    licences = {"OFL-1.1.txt", "OFL-1.1-Nanum.txt", "Apache-2.0.txt", "DejaVu-LICENSE.txt"}
    assert licences <= files
    for name in fonts.FONT_FILES.values():
        assert (fonts.FONT_DIR / name).read_bytes()[:4] == b"\x00\x01\x00\x00", "glyf TrueType"


def test_ascii_readable_report_variants_stay_separate_from_the_certificate_fonts():
    from reportlab.pdfbase import pdfmetrics

    # ReportLab hands out the first font registered for a face under any later name of that
    # face; whichever of the two is loaded first, each name must keep its own settings.
    variant, plain = fonts.font("PRX-Sans-Bold-ASCII"), fonts.font("PRX-Sans-Bold")
    other_plain, other_variant = fonts.font("PRX-Sans"), fonts.font("PRX-Sans-ASCII")
    for name, font, readable in (
        ("PRX-Sans-Bold-ASCII", variant, True),
        ("PRX-Sans-Bold", plain, False),
        ("PRX-Sans", other_plain, False),
        ("PRX-Sans-ASCII", other_variant, True),
    ):
        assert pdfmetrics.getFont(name) is font
        assert font._asciiReadable is readable
