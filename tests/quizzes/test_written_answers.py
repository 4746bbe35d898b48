"""Grading written answers: breach first, hedges to review, relevance, short answers, and what
a post_draft answer actually publishes."""

from __future__ import annotations

import re

import pytest

from quizzes import Response, grade, loads_scenario
from quizzes.model import LOW_CONFIDENCE

from .conftest import FakeFinding as Finding
from .conftest import FakeReport as Report

SITUATION = (
    "A colleague posts a team selfie to her Instagram story from the nurses' station. "
    "Behind her, the tracking board shows patient surnames and bed numbers."
)

COMMON = f"""
version: 1
title: "The selfie at the station"
rubric: patient-confidentiality
profession: nurse
platform: Instagram
module: 04-risks
guidelines: [2, 1, 7]
risks: [privacy]
situation: "{SITUATION}"
debrief: "Ask her to take the story down and tell the privacy officer."
criteria: [confidentiality, escalation]
"""

CONCEPTS = """
concepts:
  confidentiality:
    - level: met
      phrases: ["take it down", "delete the story", "delete it", "tracking board"]
    - level: breach
      phrases: ["leave it up", "post it anyway", "share it", "bed numbers"]
    - level: partial
  escalation:
    - level: met
      phrases: ["privacy officer", "charge nurse"]
    - level: missed
"""

FREE = "id: free\ntype: free_text\nprompt: What do you tell her?\nmin_words: 6\n"
POST = (
    "id: post\ntype: post_draft\n"
    'prompt: "Write the post you would publish (describe the photo). Then add one line '
    'starting \\"Before posting:\\"."\n'
    "privacy_criterion: confidentiality\n"
    "privacy_levels: {none: met, low: met, medium: partial, high: breach}\n"
)


@pytest.fixture(scope="module")
def rubric(bank):
    return bank.rubrics["patient-confidentiality"]


@pytest.fixture(scope="module")
def free(rubric):
    return loads_scenario(FREE + COMMON + CONCEPTS, rubric=rubric)


@pytest.fixture(scope="module")
def post(rubric):
    concepts = """
concepts:
  confidentiality:
    - level: breach
      phrases: ["bed numbers", "my patient in bed"]
    - level: met
  escalation:
    - level: met
      phrases: ["privacy officer", "charge nurse"]
    - level: missed
"""
    return loads_scenario(POST + COMMON + concepts, rubric=rubric)


_RULES = (
    (re.compile(r"\b(?:photo|picture)s?\b", re.I), "media", "medium"),
    (re.compile(r"\bbed \d+\b", re.I), "room", "high"),
    (re.compile(r"\bmy patient\b", re.I), "patient-context", "low"),
)
_RANK = ["none", "low", "medium", "high"]


class Checker:
    """Flags photo words (medium), 'bed <n>' (high) and 'my patient' (low); records each call."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> Report:
        self.calls.append(text)
        found, risk = [], "none"
        for pattern, category, severity in _RULES:
            for m in pattern.finditer(text):
                found.append(Finding(category, m.start(), m.end(), m.group()))
                risk = max(risk, severity, key=_RANK.index)
        return Report(risk, tuple(sorted(found, key=lambda f: f.start)))


def graded(scenario, rubric, text, checker=None):
    return grade(scenario, rubric, Response(text=text), privacy_check=checker)


# ----------------------------------------------------------------------------- breach first


def test_a_breach_wins_over_a_crediting_phrase_listed_before_it(free, rubric):
    r = graded(free, rubric, "I would delete it from my phone but still share it with the unit.")
    conf = r.criterion("confidentiality")
    assert conf.level_id == "breach" and not r.passed_criticals
    assert conf.evidence[0].text == "share it"
    assert r.needs_review  # a conflict is still checked by an educator


def test_a_negated_breach_phrase_is_no_breach(free, rubric):
    r = graded(free, rubric, "I would never leave it up or share it; I'd ask her to take it down.")
    assert r.criterion("confidentiality").level_id == "met"
    assert r.criterion("confidentiality").confidence >= LOW_CONFIDENCE


def test_a_negated_crediting_phrase_earns_nothing(free, rubric):
    r = graded(free, rubric, "Honestly I wouldn't take it down, nobody reads those boards anyway.")
    conf = r.criterion("confidentiality")
    assert conf.level_id == "partial" and conf.evidence[0].kind == "default"
    assert "'take it down' (by 'wouldnt')" in conf.evidence[0].detail


# ----------------------------------------------------------------------------- hedging


def test_a_hedged_breach_goes_to_review_one_level_above_the_breach(free, rubric):
    r = graded(free, rubric, "Maybe I would leave it up for a bit and tell the charge nurse.")
    conf = r.criterion("confidentiality")
    assert conf.level_id == "partial" and r.passed_criticals
    assert conf.confidence < LOW_CONFIDENCE and r.needs_review
    assert "hedged ('maybe')" in conf.evidence[-1].detail


def test_a_hedge_cannot_be_credited_either(free, rubric):
    text = "I'd ask her to take it down, or if she agreed I might leave it up for her friends."
    r = graded(free, rubric, text)
    assert r.criterion("confidentiality").level_id == "partial"
    assert r.needs_review


def test_a_post_is_published_as_written_so_its_hedges_do_not_soften(post, rubric):
    text = "Maybe my patient in bed 4 will smile today! Photo: the team. Before posting: nothing."
    r = graded(post, rubric, text, Checker())
    assert r.criterion("confidentiality").level_id == "breach"


# ----------------------------------------------------------------------------- quotations


def test_quoting_the_scenario_is_not_using_it_when_the_answer_decides(free, rubric):
    text = "I'd tell her the 'bed numbers' show, so please take it down and tell the charge nurse."
    r = graded(free, rubric, text)
    assert r.criterion("confidentiality").level_id == "met"


def test_a_quote_that_is_not_the_scenario_is_what_the_learner_would_say(free, rubric):
    text = "I'd reply: 'Honestly, just share it, nobody can read the board.' That's all."
    r = graded(free, rubric, text)
    assert r.criterion("confidentiality").level_id == "breach"


# ----------------------------------------------------------------------------- relevance

GENERIC = (
    "As a healthcare professional I always think carefully before posting anything online. I "
    "protect patient privacy and confidentiality, never share identifiable information, follow "
    "my employer's social media policy, keep personal and professional accounts separate, and "
    "talk to the privacy officer if I am unsure."
)


def test_a_generic_paragraph_earns_at_most_half_and_goes_to_review(free, rubric):
    r = graded(free, rubric, GENERIC)
    assert r.score <= 0.5 and r.needs_review
    for c in r.criteria:
        assert c.evidence[0].detail.startswith("does not engage the scenario")
        assert c.confidence < LOW_CONFIDENCE
    assert r.criterion("escalation").level_id == "missed"  # capped although the phrase matched


def test_an_answer_about_the_scenario_is_not_capped(free, rubric):
    text = (
        "I'd tell her straight away that the tracking board behind her shows surnames, ask her "
        "to take it down now, and then let the privacy officer know so they can check it."
    )
    r = graded(free, rubric, text)
    assert r.score == 1.0 and not r.needs_review


def test_a_short_reply_is_not_checked_for_relevance(free, rubric):
    r = graded(free, rubric, "Please take it down and tell the privacy officer.")
    assert r.score == 1.0 and not r.needs_review


# ----------------------------------------------------------------------------- short answers


def test_a_too_short_answer_is_graded_on_what_it_says_and_reviewed(free, rubric):
    r = graded(free, rubric, "Take it down.")
    conf = r.criterion("confidentiality")
    assert conf.level_id == "met" and r.needs_review
    assert "3 words; at least 6 asked for" in conf.evidence[0].detail


def test_a_too_short_answer_with_nothing_in_it_gets_the_lowest_levels(free, rubric):
    r = graded(free, rubric, "Not sure.")
    assert [c.level_id for c in r.criteria] == ["breach", "missed"]
    assert not r.needs_review


# ----------------------------------------------------------------------------- post drafts


def test_a_negated_category_word_is_not_reported_as_in_the_post(post, rubric):
    checker = Checker()
    text = "Proud of the team tonight. No photos of patients, ever. Thanks to our charge nurse."
    r = graded(post, rubric, text, checker)
    conf = r.criterion("confidentiality")
    assert conf.level_id == "met"
    assert not any(e.kind == "identifier" for e in conf.evidence)
    assert "'photos' not counted: negated by 'no'" in conf.evidence[-1].detail
    assert len(checker.calls) == 1  # nothing else was found, so nothing to check again


def test_a_discounted_cue_beside_other_findings_has_the_post_checked_again(post, rubric):
    checker = Checker()
    text = "No photos of my patient in bed 4, ever. Thanks to our charge nurse."
    r = graded(post, rubric, text, checker)
    assert r.criterion("confidentiality").level_id == "breach"  # bed 4 is still there
    assert len(checker.calls) == 2
    assert "photos" not in checker.calls[1] and "my patient" not in checker.calls[1]


def test_an_identifier_counts_however_the_sentence_is_worded(post, rubric):
    r = graded(post, rubric, "We never forget bed 4! Thanks to the charge nurse.", Checker())
    assert r.criterion("confidentiality").level_id == "breach"


def test_the_image_the_prompt_asks_for_counts_only_if_it_shows_a_patient(post, rubric):
    safe = "Thank you, team! Photo: all of us in the staff room, checked for boards and screens."
    r = graded(post, rubric, safe + " Before posting: the charge nurse approved it.", Checker())
    assert r.criterion("confidentiality").level_id == "met"
    risky = "Thank you, team! Photo: all of us at the bedside of a patient."
    r = graded(post, rubric, risky + " Before posting: the charge nurse approved it.", Checker())
    assert r.criterion("confidentiality").level_id == "partial"


def test_the_before_posting_note_is_not_published(post, rubric):
    checker = Checker()
    text = (
        "Huge thanks to the whole night team for a brilliant week together on the unit. "
        "Before posting: I checked the photo with the charge nurse, nothing of bed 4 in it."
    )
    r = graded(post, rubric, text, checker)
    assert r.criterion("confidentiality").level_id == "met"
    assert "bed 4" not in checker.calls[0]
    assert r.criterion("escalation").level_id == "met"  # the note still counts for the rest


def test_only_the_quoted_post_is_checked_when_the_learner_writes_around_it(post, rubric):
    checker = Checker()
    text = (
        "I won't mention my patient in bed 4 or anything like that. I'd post: 'Proud of this "
        "team and of our charge nurse after a hard week.'"
    )
    r = graded(post, rubric, text, checker)
    assert r.criterion("confidentiality").level_id == "met"
    assert "bed 4" not in checker.calls[0] and "Proud of this" in checker.calls[0]
