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
