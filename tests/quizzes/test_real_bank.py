"""The bundled bank (written by the content authors) must load, check clean and grade."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from quizzes import Response, check, default_bank_root, grade, load_bank

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
