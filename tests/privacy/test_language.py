"""Language detection: a post the checker cannot read is 'unknown', never 'none'."""

import pytest

from privacy import UNKNOWN, check_post, detect_language, rewrite_hint
from privacy.cli import run_cli

# Written for these tests: a clinic notice or a patient story in each language.
NOT_ENGLISH = [
    ("es", "Hoy en la clínica vimos a una señora de noventa años que vive sola en el pueblo."),
    (
        "fr",
        "Rappel: la vaccination contre la grippe est gratuite pour les plus de 65 ans au cabinet.",
    ),
    ("de", "Heute war die Station voll und ich habe keine Pause gehabt, aber das Team war super."),
    ("pl", "Dzisiaj w przychodni było bardzo dużo pacjentów i nie mieliśmy przerwy na obiad."),
    ("ga", "Tá clinic vacsaínithe ar siúl inniu san ionad sláinte agus níl gá le coinne."),
    ("cy", "Mae'r clinig ffliw ar agor heddiw yn y ganolfan iechyd, does dim angen apwyntiad."),
    ("tl", "Ang pasyente sa kwarto ay ayaw uminom ng gamot kanina, kaya tinawag ko si doktor."),
    ("mi", "Kia ora koutou, kei te whare hauora te rongoā mō te rewharewha ā te Rāmere."),
    (
        "hi",
        "Aaj clinic mein bahut log aaye the aur sab ko flu ki vaccine lagi, bahut accha din tha.",
    ),
    ("zh", "今天病房里很忙，我们照顾了二十位病人。"),
    ("und-Arab", "اليوم كان المستشفى مزدحما جدا وعملنا بدون استراحة"),
    ("und-Cyrl", "Сегодня в отделении было очень много пациентов."),
]

ENGLISH = [
    "Mōrena! Our clinic is running free flu jabs for tamariki and kaumātua this Friday.",
    "Sláinte! Our practice team walked 100km in May for charity 🚶‍♀️",
    "Kia ora whānau, please book your flu jab with the practice nurse this week.",
    "Main street pharmacy is open late on Thursdays for blood pressure checks.",
]


@pytest.mark.parametrize(("code", "text"), NOT_ENGLISH)
def test_a_post_in_another_language_is_detected(code, text):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ENGLISH)
def test_an_english_post_with_a_few_words_of_another_language_stays_english(text):
    assert detect_language(text) == "en"


def test_a_post_too_short_to_tell_is_undetermined_and_checked_as_english():
    assert detect_language("👍🏽🎉") == "und"
    report = check_post("Face. Arms. Speech. Time.")
    assert report.risk != UNKNOWN


@pytest.mark.parametrize(("code", "text"), NOT_ENGLISH)
def test_a_post_not_in_english_is_never_rated_none(code, text):
    report = check_post(text)
    assert report.risk == UNKNOWN
    assert report.language == code
    assert report.confidence < 0.5
    assert report.needs_review


def test_the_hint_for_an_unreadable_post_says_it_was_checked_as_english_only():
    hint = rewrite_hint(check_post(NOT_ENGLISH[0][1]))
    assert "English only" in hint
    assert "NOT rated safe" in hint


def test_the_cli_reports_unknown_with_its_language(tmp_path):
    import io
    import json

    source = tmp_path / "posts.jsonl"
    source.write_text(json.dumps({"text": NOT_ENGLISH[3][1]}) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert run_cli(["check", "--jsonl", str(source)], io.StringIO(), out, io.StringIO()) == 0
    result = json.loads(out.getvalue())
    assert result["risk"] == "unknown"
    assert result["language"] == "pl"
