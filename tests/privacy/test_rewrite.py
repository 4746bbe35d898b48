"""rewrite_post: a safer draft with each flagged span removed or generalised, rated none or low."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privacy import check_post, rewrite_post
from privacy.rewrite import FALLBACK

from .conftest import DATA, load_posts


def _safe(text: str) -> bool:
    return check_post(text).risk in ("none", "low")


def test_an_age_over_89_becomes_older():
    draft = rewrite_post("Our 93-year-old in bay 2 is a legend")
    assert "93" not in draft and "older" in draft
    assert _safe(draft)


def test_a_bed_number_is_removed_and_a_name_becomes_a_patient():
    draft = rewrite_post("Caught Mr. Patel in bed 4 again")
    assert draft == "Caught a patient again"


def test_a_name_after_a_patient_word_is_dropped_not_doubled():
    draft = rewrite_post("Discharged my patient Rosa after three weeks")
    assert "Rosa" not in draft and "my patient" in draft and "a patient" not in draft


def test_numbers_and_links_are_removed():
    draft = rewrite_post("His daughter left 555-201-7788 and gofundme.com/f/help-dad for us")
    assert "555" not in draft and "gofundme" not in draft
    assert _safe(draft)


def test_a_described_picture_of_a_record_is_replaced():
    draft = rewrite_post("[photo: wristband reading 'SMITH, Derek 12/07/1954'] new scrubs who dis")
    assert "SMITH" not in draft and "1954" not in draft
    assert _safe(draft)


def test_a_clean_post_and_an_unreadable_post_are_returned_unchanged():
    assert rewrite_post("Wash your hands, folks.") == "Wash your hands, folks."
    polish = "Dzisiaj w przychodni było bardzo dużo pacjentów i nie mieliśmy przerwy."
    assert rewrite_post(polish) == polish


def test_the_fallback_lesson_is_itself_safe():
    assert _safe(FALLBACK.format(lesson="Look after each other."))


def _corpus() -> list[str]:
    texts = [
        row["text"]
        for name in ("labelled_posts.jsonl", "blind_posts.jsonl")
        for row in load_posts(name)
    ]
    for tuning in sorted((DATA / "batches").glob("*/tuning.jsonl")):  # never a held-out part
        with tuning.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return [t for t in texts if check_post(t).risky]


def test_every_risky_post_in_the_corpora_rewrites_to_none_or_low():
    risky = _corpus()
    assert len(risky) > 250
    unsafe = [(t, rewrite_post(t)) for t in risky if not _safe(rewrite_post(t))]
    assert unsafe == []


_PIECES = st.sampled_from(
    [
        "my patient",
        "Mr. Alvarez",
        "in bed 4",
        "our 96-year-old",
        "his daughter Rosa",
        "from Elk Creek",
        "at St. Mary's",
        "on Christmas Eve",
        "call 07700 900461",
        "MRN 00482913",
        "the mayor's son",
        "came in tonight",
        "with a broken hip",
        "who runs the bakery on Main Street",
        "third time this week",
        "[photo: her wristband with name and DOB readable]",
        "so proud of the team",
        "lovely day",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=6))
def test_a_rewritten_draft_is_rated_none_or_low(pieces):
    text = " ".join(pieces)
    assert check_post(rewrite_post(text)).risk in ("none", "low", "unknown")


@pytest.mark.parametrize("text", ["Mr. Patel in bed 4", "Our 93-year-old in bay 2"])
def test_rewriting_a_rewrite_changes_nothing(text):
    once = rewrite_post(text)
    assert rewrite_post(once) in (once, once.strip())
