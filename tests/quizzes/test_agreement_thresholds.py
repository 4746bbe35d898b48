"""Agreement with the raters per corpus folder may not fall: the combined grader (rules and the
learned layer) and the phrase rules alone keep their exact agreement within a small margin of
the figures measured in round 3, and no rater-called critical breach is graded above the lowest
level without review. dev/ and regression/ are what the model was trained on, so the combined
figure here is a training fit (the honest estimate is the leave-one-writer-out one in
docs/grading.md); the rules-only floor guards the phrase rules themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizzes import Bank, Response, default_bank_root, grade, load_bank
from quizzes.learned import RULES_ONLY, GradingModel, bundled_model
from quizzes.model import LOW_CONFIDENCE

CORPUS = Path(__file__).parent / "corpus"
MARGIN = 0.02
# folder -> (combined exact, rules-only exact), measured at the round-3 commit
FLOORS = {"dev": (0.99, 0.935), "regression": (0.99, 0.736)}


@pytest.fixture(scope="module")
def real_bank() -> Bank:
    return load_bank(default_bank_root())


def _agreement(bank: Bank, folder: str, model: GradingModel) -> tuple[float, int]:
    agree = total = unreviewed = 0
    for path in sorted((CORPUS / folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            scenario = bank.scenarios[row["scenario"]]
            rubric = bank.rubric_for(scenario)
            result = grade(scenario, rubric, Response(text=row["text"]), model=model)
            for cid, want in row["labels"].items():
                got = result.criterion(cid)
                total += 1
                agree += got.level_id == want
                crit = rubric.criterion(cid)
                if crit.critical and want == crit.lowest.id and got.level_id != want:
                    unreviewed += got.confidence >= LOW_CONFIDENCE
    return agree / total, unreviewed


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_combined_grading_keeps_its_agreement_and_reviews_every_missed_breach(
    real_bank: Bank, folder: str
) -> None:
    exact, unreviewed = _agreement(real_bank, folder, bundled_model())
    assert exact >= FLOORS[folder][0] - MARGIN, exact
    assert unreviewed == 0


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_the_phrase_rules_alone_keep_their_agreement(real_bank: Bank, folder: str) -> None:
    exact, _unreviewed = _agreement(real_bank, folder, RULES_ONLY)
    assert exact >= FLOORS[folder][1] - MARGIN, exact
