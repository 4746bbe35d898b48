"""The bundled bank (written by the content authors) must load, check clean and grade."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from quizzes import Response, check, default_bank_root, draw, grade, load_bank, pool_ratio

ROOT = default_bank_root()
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason=f"no bundled bank at {ROOT} yet")


@dataclass(frozen=True)
class _Report:
    risk: str
    findings: tuple = ()


def test_bundled_bank_loads_and_passes_check():
    bank = load_bank(ROOT)
    assert bank.scenarios, "the bundled bank has no scenarios"
    assert check([ROOT]) == []


def test_every_bundled_scenario_grades_every_response_shape():
    bank = load_bank(ROOT)
    for s in bank.scenarios.values():
        rubric = bank.rubric_for(s)
        if s.type == "single":
            responses = [Response(selected=(o.id,)) for o in s.options]
        elif s.type == "multi":
            responses = [Response(selected=()), Response(selected=tuple(o.id for o in s.options))]
        else:
            responses = [Response(text=s.debrief), Response(text="")]
        for resp in responses:
            r = grade(s, rubric, resp, privacy_check=lambda _t: _Report("none"))
            assert 0.0 <= r.score <= 1.0
        if s.type == "single":
            assert any(grade(s, rubric, x).score == 1.0 for x in responses), s.id


def test_every_quiz_draws_from_a_pool_large_enough_for_parallel_forms():
    bank = load_bank(default_bank_root())
    for quiz in bank.quizzes.values():
        need = 1.5 if quiz.final else 2.0
        assert pool_ratio(quiz) >= need, (quiz.id, len(quiz.scenarios), quiz.shown)


def test_every_bundled_scenario_is_in_exactly_one_quiz_pool():
    bank = load_bank(default_bank_root())
    pools = [sid for quiz in bank.quizzes.values() for sid in quiz.scenarios]
    assert sorted(pools) == sorted(bank.scenarios)


def test_a_retake_of_a_module_quiz_sees_new_choice_scenarios():
    """Two attempts in a row never repeat a scenario of a slot that has one left unseen."""
    bank = load_bank(default_bank_root())
    for quiz in bank.quizzes.values():
        for seed in range(20):
            first = draw(quiz, seed)
            second = draw(quiz, seed + 1000, Counter(first))
            for slot in quiz.draw_slots:
                unseen = [s for s in slot.candidates if s not in first]
                again = [s for s in second if s in slot.candidates and s in first]
                assert len(again) <= max(0, slot.pick - len(unseen)), (quiz.id, slot.title)


def test_the_bundled_bank_passes_the_item_writing_checks():
    from quizzes.itemcheck import check_paths, format_warning

    warnings = check_paths([ROOT])
    assert warnings == [], "\n".join(format_warning(w) for w in warnings)


def test_no_single_choice_key_is_the_longest_option_by_a_wide_margin_or_stuck_in_one_place():
    bank = load_bank(ROOT)
    singles = [s for s in bank.scenarios.values() if s.type == "single"]
    positions = Counter()
    longest = 0
    for s in singles:
        rubric = bank.rubric_for(s)
        top = {c.id: c.highest.id for c in rubric.criteria}
        (key,) = [o for o in s.options if all(top[c] == lv for c, lv in o.levels)]
        words = {o.id: len(o.text.split()) for o in s.options}
        others = [n for oid, n in words.items() if oid != key.id]
        assert words[key.id] <= 1.25 * sum(others) / len(others), s.id
        longest += words[key.id] == max(words.values())
        positions[[o.id for o in s.options].index(key.id)] += 1
    assert longest <= len(singles) // 3
    assert max(positions.values()) <= 0.4 * len(singles)


def test_keyed_single_options_are_the_longest_by_characters_in_at_most_a_fifth_of_items():
    """A learner who always picks the longest option must not beat chance (25%) on this bank."""
    bank = load_bank(ROOT)
    singles = [s for s in bank.scenarios.values() if s.type == "single"]
    longest = []
    for s in singles:
        rubric = bank.rubric_for(s)
        top = {c.id: c.highest.id for c in rubric.criteria}
        (key,) = [o for o in s.options if all(top[c] == lv for c, lv in o.levels)]
        chars = {o.id: len(" ".join(o.text.split())) for o in s.options}
        if all(chars[key.id] > n for oid, n in chars.items() if oid != key.id):
            longest.append(s.id)
    assert len(longest) <= 0.2 * len(singles), (len(longest), len(singles), longest)


def _key(bank, sid):
    from quizzes.itemcheck import keyed_options

    s = bank.scenarios[sid]
    (key,) = keyed_options(s, bank.rubric_for(s))
    return s, key


def test_paid_drug_promotion_keys_fair_balance_and_the_uk_ban_not_just_disclosure():
    bank = load_bank(ROOT)
    s, key = _key(bank, "paid-drug-promotion")
    text = key.text.lower()
    assert "fair balance" in text or "risks alongside" in text
    assert "uk" in text and "ban" in text
    disclosure_only = [o for o in s.options if o is not key and "#ad" in o.text]
    assert disclosure_only and all(o.level_for("legal-duty") != "met" for o in disclosure_only)
    assert "banned outright" in s.debrief and "fair balance" in s.debrief.lower()


def test_patient_friend_request_keys_declining_and_explaining_in_person():
    bank = load_bank(ROOT)
    s, key = _key(bank, "patient-friend-request")
    text = key.text.lower()
    assert "in person" in text or "outpatient visit" in text
    assert "messenger" not in text and "facebook message" not in text
    silent = [o for o in s.options if "unanswered" in o.text.lower() and o is not key]
    assert all(o.level_for("boundary") != "missed" for o in silent)
