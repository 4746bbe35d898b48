"""Faults found in the bundled bank's written scenarios, each pinned by the answer that showed it.

Post drafts are graded with a small checker that flags what the real one flags in these answers
(photo words as media, "bed <n>" as a room); the last tests use `privacy.check_post` itself.
"""

from __future__ import annotations

import re

import pytest

from quizzes import Response, default_bank_root, grade, load_bank
from quizzes.model import LOW_CONFIDENCE

from .conftest import FakeFinding as Finding
from .conftest import FakeReport as Report


@pytest.fixture(scope="module")
def real_bank():
    return load_bank(default_bank_root())


_MEDIA = re.compile(r"\b(?:photo|picture|selfie)s?\b", re.I)
_ROOM = re.compile(r"\bbed \d+\b", re.I)


def checker(text: str) -> Report:
    """Photo words are medium-risk media findings, 'bed <n>' a high-risk room."""
    found = [Finding("media", m.start(), m.end(), m.group()) for m in _MEDIA.finditer(text)]
    rooms = [Finding("room", m.start(), m.end(), m.group()) for m in _ROOM.finditer(text)]
    risk = "high" if rooms else "medium" if found else "none"
    return Report(risk, tuple(sorted(found + rooms, key=lambda f: f.start)))


def graded(bank, sid, text, privacy_check=checker):
    s = bank.scenarios[sid]
    return grade(s, bank.rubric_for(s), Response(text=text), privacy_check=privacy_check)


def test_qr_survey_making_the_code_bigger_is_no_data_breach(real_bank):
    text = (
        "Make the survey anonymous: remove the name, date of birth and the medicines list and only "
        "ask about the service. Move it to an approved secure platform with a data processing "
        "agreement, get our data protection officer to sign it off before printing, and make one "
        "of us the owner who checks the link monthly. I'd also make the QR code bigger so it "
        "scans on the bag labels."
    )
    r = graded(real_bank, "qr-feedback-survey", text)
    assert r.criterion("data-protection").level_id == "met"
    assert r.passed_criticals and r.score == 1.0


def test_diabetes_post_addressing_teachers_is_no_breach(real_bank):
    text = (
        "World Diabetes Day: do you know the early signs of type 2 diabetes? Feeling very "
        "thirsty, passing urine often, tiredness, blurred vision and cuts that heal slowly. "
        "Teachers, parents, busy workers: a simple blood test can check. Talk to your GP or "
        "pharmacist about your own symptoms. Reliable information: Diabetes UK."
    )
    r = graded(real_bank, "diabetes-awareness-post", text)
    assert r.criterion("confidentiality").level_id == "met"
    assert r.score == 1.0 and not r.needs_review


def test_diabetes_post_describing_the_patient_is_a_breach(real_bank):
    text = (
        "This week I met a woman in her thirties who works at the primary school down the road. "
        "She had been thirsty and exhausted for a year and thought it was just stress. A simple "
        "blood test showed type 2 diabetes. Don't ignore the signs - talk to your GP. More at "
        "Diabetes UK."
    )
    r = graded(real_bank, "diabetes-awareness-post", text)
    assert r.criterion("confidentiality").level_id == "breach"
    assert not r.passed_criticals


def test_unit_milestone_following_the_debriefs_photo_advice_keeps_confidentiality(real_bank):
    text = (
        "365 days without a central line infection on our ICU! Huge thanks to the whole team for "
        "a year of checklists, bundle audits and training. Happy to connect with other units "
        "working on CLABSI. Photo: the team at our celebration in the staff room, checked for "
        "screens and whiteboards. Before posting: infection prevention confirmed the figure, "
        "everyone in the photo agreed to it, and the comms team approved the post."
    )
    r = graded(real_bank, "unit-milestone-post", text)
    assert r.criterion("confidentiality").level_id == "met"
    assert r.score == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "I would still post it but remove the bed number so nobody could identify him. People "
        "need to hear what we deal with, and I'd talk it through with a colleague tomorrow.",
        "Honestly I'd still post it, just remove the bed number first. It's my personal page and "
        "I'd debrief with the charge nurse afterwards anyway.",
    ],
)
def test_frequent_flyer_still_posting_it_fails_confidentiality(real_bank, text):
    r = graded(real_bank, "frequent-flyer-vent", text)
    assert r.criterion("confidentiality").level_id == "breach"
    assert r.critical_failures == ("confidentiality",)


def _debrief_caption(debrief: str) -> str:
    caption = re.search(r'For example: "(.*?)"', debrief, re.S)
    note = re.search(r"Before posting:.*?(?:\n\n|$)", debrief, re.S)
    assert caption and note
    return " ".join(caption.group(1).split()) + "\nBefore posting: " + note.group()[16:]


def test_recovery_model_caption_keeps_the_debriefs_own_warning(real_bank):
    s = real_bank.scenarios["recovery-celebration-post"]
    model = _debrief_caption(s.debrief)
    caption = model.split("\nBefore posting:")[0].lower()
    # the debrief warns that these identify her; its model caption must use none of them
    for detail in ("firefighter", "41", "acl", "half-marathon", "yesterday", "nine months"):
        assert detail not in caption, detail
    r = graded(real_bank, "recovery-celebration-post", model)
    assert r.score == 1.0 and not r.needs_review


def test_recovery_caption_with_the_warned_details_is_not_passed(real_bank):
    text = (
        "Congratulations to our 41-year-old firefighter, who ran the half-marathon yesterday "
        "nine months after her ACL reconstruction! Before posting: the clinic manager approved "
        "it and she will sign the media consent form."
    )
    r = graded(real_bank, "recovery-celebration-post", text)
    assert r.criterion("confidentiality").level_id == "breach"


@pytest.mark.parametrize(
    "opening",
    ["I would not call managers clowns.", "I wouldn't call the managers clowns."],
)
def test_unsafe_staffing_refusing_the_insult_is_not_the_insult(real_bank, opening):
    text = (
        f"{opening} I would file an incident report for the fall, raise a formal concern in "
        "writing with the staffing committee and the union, delete the photos and keep patients "
        "out of anything I post."
    )
    r = graded(real_bank, "unsafe-staffing-post", text)
    assert r.criterion("reputation").level_id != "missed"
    assert r.criterion("respect").level_id != "missed"


GENERIC = (
    "As a healthcare professional I always think carefully before posting anything online. I "
    "protect patient privacy and confidentiality, never share identifiable information, follow "
    "my employer's social media policy, keep my personal and professional accounts separate, "
    "check facts against reliable sources and stay respectful and professional. If in doubt I "
    "ask my manager or the communications team before I post."
)


def test_a_generic_paragraph_scores_low_on_every_written_scenario(real_bank):
    written = [s for s in real_bank.scenarios.values() if s.type in ("free_text", "post_draft")]
    assert len(written) >= 10
    for s in written:
        r = graded(real_bank, s.id, GENERIC)
        assert r.score <= 0.5, (s.id, r.score)
        assert r.needs_review, s.id
        assert all(c.confidence < LOW_CONFIDENCE for c in r.criteria), s.id


def test_a_negated_picture_is_not_reported_in_the_post(real_bank):
    text = "NO REPLY. I did not name, tag or picture her, and I won't confirm she was my patient."
    r = graded(real_bank, "tagged-thank-you-reply", text)
    conf = r.criterion("confidentiality")
    assert conf.level_id == "met"
    assert not [e for e in conf.evidence if e.kind == "identifier"]


# ----------------------------------------------------------------------------- real checker


@pytest.fixture(scope="module")
def check_post():
    try:
        from privacy import check_post
    except ImportError as exc:  # the privacy package is optional for the core tests
        pytest.skip(f"privacy.check_post not importable: {exc}")
    return check_post


def test_with_the_real_checker_a_checked_team_photo_is_fine(real_bank, check_post):
    text = (
        "365 days without a CLABSI on our ICU, confirmed by infection prevention. Thank you, team! "
        "Photo: the team in the staff room, checked for screens and whiteboards. Before posting: "
        "IPC confirmed the figure and the comms team approved it."
    )
    r = graded(real_bank, "unit-milestone-post", text, check_post)
    assert r.criterion("confidentiality").level_id == "met"


def test_with_the_real_checker_a_negated_picture_is_not_in_the_post(real_bank, check_post):
    text = "NO REPLY. I did not name, tag or picture her, and I won't confirm she was my patient."
    r = graded(real_bank, "tagged-thank-you-reply", text, check_post)
    evidence = r.criterion("confidentiality").evidence
    assert not [e for e in evidence if e.kind == "identifier" and e.text == "picture"]
