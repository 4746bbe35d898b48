"""Classes of breach the held-out answers showed, each in sentences of our own: the act is
graded, not the words around it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from quizzes import Response, default_bank_root, grade, load_bank
from quizzes.matching import quoted_spans


@dataclass(frozen=True)
class Finding:
    category: str
    start: int
    end: int
    text: str
    explanation: str = ""
    guideline: int = 2
    severity: str = "medium"


@dataclass(frozen=True)
class Report:
    risk: str
    findings: tuple[Finding, ...] = ()
    confidence: float = 1.0


def _finding(post: str, word: str, category: str, severity: str) -> tuple[Finding, ...]:
    i = post.find(word)
    return (Finding(category, i, i + len(word), word, severity=severity),) if i >= 0 else ()


def checker_for(*rules: tuple[str, str, str], risk: str = "low"):
    """A privacy checker that reports each (word, category, severity) it finds, at `risk`."""

    def check(post: str) -> Report:
        found = tuple(f for word, cat, sev in rules for f in _finding(post, word, cat, sev))
        return Report(risk if found else "none", found)

    return check


@pytest.fixture(scope="module")
def real_bank():
    return load_bank(default_bank_root())


def _level(bank, sid: str, text: str, cid: str, privacy_check=None) -> tuple[str, bool]:
    sc = bank.scenarios[sid]
    r = grade(sc, bank.rubric_for(sc), Response(text=text), privacy_check=privacy_check)
    return r.criterion(cid).level_id, r.needs_review


def test_a_written_out_post_is_judged_as_a_post_whatever_is_promised_around_it(real_bank):
    text = (
        "Confidentiality comes first, so I'd drop the bed number. My version would say: "
        "'Our frequent flyer pulled out his IV again tonight, honestly why do we bother.'"
    )
    assert _level(real_bank, "frequent-flyer-vent", text, "confidentiality")[0] == "breach"


@pytest.mark.parametrize(
    "text",
    [
        "Facebook is too public for this, so I'll forward it to the team chat where people "
        "actually understand what nights are like for us.",
        "Not on my wall. I'd just share it in the close friends list on my story, the only "
        "people there are nurses who know what he is like.",
    ],
)
def test_moving_the_post_to_another_channel_keeps_the_breach(real_bank, text):
    assert _level(real_bank, "frequent-flyer-vent", text, "confidentiality")[0] == "breach"


def test_refusing_every_channel_is_no_breach(real_bank):
    text = (
        "I would delete it and not send it to any group chat or WhatsApp either; I'd talk it "
        "through with the charge nurse after a sleep."
    )
    assert _level(real_bank, "frequent-flyer-vent", text, "confidentiality")[0] != "breach"


@pytest.mark.parametrize(
    "text",
    [
        "Reply: 'Proud of you for getting through every session of treatment, see you at your "
        "next appointment!'",
        "Reply: 'Radiotherapy is tough and you smashed it ❤️'",
    ],
)
def test_a_reply_that_confirms_her_treatment_is_a_breach(real_bank, text):
    level, _ = _level(real_bank, "tagged-thank-you-reply", text, "confidentiality", checker_for())
    assert level == "breach"


def test_no_reply_publishes_nothing_so_its_reason_is_not_checked(real_bank):
    text = "My answer: NO REPLY. Any reply would confirm her chemotherapy and that I nursed her."
    level, _ = _level(real_bank, "tagged-thank-you-reply", text, "confidentiality", checker_for())
    assert level == "met"


@pytest.mark.parametrize(
    "text",
    [
        "The survey can stay as it is because we need their names to reply to complaints, "
        "and the labels go to print on schedule.",
        "Seems fine. I'd keep the names and the date of birth question so we can match people "
        "up, and send it out as planned tomorrow.",
    ],
)
def test_keeping_the_identifiers_the_scenario_says_to_remove_is_a_breach(real_bank, text):
    assert _level(real_bank, "qr-feedback-survey", text, "data-protection")[0] == "breach"


def test_a_post_with_a_place_is_not_credited_in_full_on_a_low_risk(real_bank):
    text = (
        "Caption: '[PATIENT] from Hillcrest spotted the signs of stroke and rang 999 straight "
        "away. Learn FAST from the Stroke Association.' / Before posting: comms publish it."
    )
    check = checker_for(("Hillcrest", "geography", "low"))
    level, review = _level(real_bank, "patient-story-awareness", text, "confidentiality", check)
    assert level == "partial" and review


def test_a_name_beside_another_identifier_is_a_breach_even_at_medium_risk(real_bank):
    text = (
        "Caption: 'A year with no line infections, and it began with Mrs T in room 9 last "
        "March. Thanks to the whole team for the checklists.'"
    )
    check = checker_for(("Mrs T", "name", "medium"), ("room 9", "room", "medium"), risk="medium")
    level, _ = _level(real_bank, "unit-milestone-post", text, "confidentiality", check)
    assert level == "breach"


def test_a_quotation_with_apostrophes_inside_is_still_one_quotation():
    text = "I'd write something like 'We're short again and nobody's listening.' and stop there."
    (span,) = quoted_spans(text)
    assert text[span[0] : span[1]] == "'We're short again and nobody's listening.'"


def test_a_quotation_the_learner_refuses_to_post_is_not_published(real_bank):
    text = (
        "I would never put up the draft - 'frequent flyer pulled his IV out again' - because it "
        "points to one man in a one-hospital town. I'd delete it and debrief with a colleague."
    )
    assert _level(real_bank, "frequent-flyer-vent", text, "confidentiality")[0] == "met"


def test_saying_inflected_still_carries_the_negation_into_its_clause():
    from quizzes.matching import find_phrases

    ms = find_phrases("I'd share the link without saying I'm his nurse.", ["I'm his nurse"])
    assert "I'm his nurse" not in ms.hits and "I'm his nurse" in ms.negated


def test_silence_on_a_safeguard_beside_a_breach_is_missed_not_partial(real_bank):
    sc = real_bank.scenarios["frequent-flyer-vent"]
    text = (
        "Honestly I'd still post it tonight. Everyone at the hospital knows what nights are like "
        "and people deserve to hear what the emergency department is really like."
    )
    r = grade(sc, real_bank.rubric_for(sc), Response(text=text))
    assert r.criterion("confidentiality").level_id == "breach"
    silent = [
        c
        for c in r.criteria
        if not c.critical and any("silent on this" in e.detail for e in c.evidence)
    ]
    assert all(c.is_lowest for c in silent)


def test_information_quality_is_judged_on_the_content_even_beside_a_breach(real_bank):
    sc = real_bank.scenarios["diabetes-awareness-post"]
    rubric = real_bank.rubric_for(sc)
    text = (
        "Caption: Meet Priya, 41, who runs the bakery on Mill Lane: she ignored her thirst for "
        "months before her type 2 diagnosis. Watch for thirst and tiredness. #WorldDiabetesDay"
    )
    check = checker_for(("Priya", "name", "high"), risk="high")
    r = grade(sc, rubric, Response(text=text), privacy_check=check)
    assert r.criterion("confidentiality").is_lowest
    for c in r.criteria:
        if 3 in rubric.criterion(c.criterion_id).guidelines:
            assert not any("silent on this" in e.detail for e in c.evidence)
