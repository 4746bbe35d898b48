"""The learned grading layer: loaded without scikit-learn, trained deterministically, combined
with the rules so that disagreement, doubt and breach signals go to an educator, and ignored
for a scenario that changed since it was trained."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from quizzes import Bank, Response, default_bank_root, grade, load_bank
from quizzes.learned import (
    MODEL_PATH,
    RULES_ONLY,
    GradingModel,
    ModelError,
    Policy,
    Trained,
    bundled_model,
    load_model,
    model_from_dict,
)
from quizzes.model import LOW_CONFIDENCE

ROOT = Path(__file__).resolve().parents[2]
VENT = "frequent-flyer-vent"
BREACHING = (
    "Honestly I would post it anyway. Everyone vents and nobody will know who he is, it's just "
    "the reality of the job and people need to hear what we deal with every night."
)


@pytest.fixture(scope="module")
def real_bank() -> Bank:
    return load_bank(default_bank_root())


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_grading_model", ROOT / "scripts" / "train_grading_model.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_grading_model", mod)
    spec.loader.exec_module(mod)
    return mod


DEFAULT_POLICY = Policy()


def _forced(
    real_bank: Bank,
    sid: str,
    weights: dict[str, tuple[float, float, float]],
    policy: Policy = DEFAULT_POLICY,
) -> GradingModel:
    s = real_bank.scenarios[sid]
    r = real_bank.rubric_for(s)
    return GradingModel(
        weights, (0.0, 0.0, 0.0), {sid: Trained(s.version, r.id, r.version)}, policy, "test"
    )


def test_the_bundled_model_loads_in_pure_python_without_sklearn_or_numpy() -> None:
    code = (
        "import sys; from quizzes import Bank, Response, default_bank_root, grade, load_bank; "
        "from quizzes.learned import bundled_model; b = load_bank(default_bank_root()); "
        f"s = b.scenarios[{VENT!r}]; m = bundled_model(); assert s.id in m.scenarios; "
        "r = grade(s, b.rubric_for(s), Response(text='I would delete the draft and talk to "
        "the charge nurse instead, because he could be identified and it is disrespectful.')); "
        "print(len(m.weights) > 1000, sorted(x for x in ('sklearn', 'numpy', 'scipy') "
        "if x in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "True []"


def test_the_bundled_model_covers_every_written_scenario_at_its_current_version(
    real_bank: Bank,
) -> None:
    model = bundled_model()
    written = {s.id for s in real_bank.scenarios.values() if s.type in ("free_text", "post_draft")}
    labelled = {
        json.loads(line)["scenario"]
        for p in (ROOT / "tests/quizzes/corpus").glob("*/*.jsonl")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert labelled <= written
    assert set(model.scenarios) == labelled
    for sid, trained in model.scenarios.items():
        s = real_bank.scenarios[sid]
        assert (trained.version, trained.rubric) == (s.version, s.rubric), sid


def test_a_scenario_that_changed_is_graded_by_the_rules_alone_and_reviewed_not_one_renumbered(
    real_bank: Bank,
) -> None:
    s = real_bank.scenarios[VENT]
    rubric = real_bank.rubric_for(s)
    renumbered = dataclasses.replace(s, version=s.version + 7)  # the app numbers its imports
    same = grade(renumbered, rubric, Response(text=BREACHING))
    assert same.criteria == grade(s, rubric, Response(text=BREACHING)).criteria
    newer = dataclasses.replace(s, version=s.version + 1, prompt=s.prompt + " ")
    response = Response(text=BREACHING)
    stale = grade(newer, rubric, response)
    rules = grade(newer, rubric, response, model=RULES_ONLY)
    assert [c.level_id for c in stale.criteria] == [c.level_id for c in rules.criteria]
    assert stale.needs_review
    assert all(c.confidence < LOW_CONFIDENCE for c in stale.criteria)
    assert all(any("trained on version" in e.detail for e in c.evidence) for c in stale.criteria)


def test_model_and_rules_disagreeing_goes_to_review_with_the_models_level_when_it_is_sure(
    real_bank: Bank,
) -> None:
    s = real_bank.scenarios[VENT]
    rubric = real_bank.rubric_for(s)
    response = Response(text=BREACHING)
    rules = grade(s, rubric, response, model=RULES_ONLY)
    assert rules.criterion("respect").level_id == "missed"  # the rules see "everyone vents"
    sure_top = _forced(real_bank, VENT, {"respect|bias": (0.0, 0.0, 9.0)})
    got = grade(s, rubric, response, model=sure_top).criterion("respect")
    assert got.level_id == "met"
    assert got.confidence < LOW_CONFIDENCE
    assert any("phrase rules said missed" in e.detail for e in got.evidence)
    assert any(e.kind == "phrase" for e in got.evidence)  # the rules' evidence is kept
    assert got.feedback == rubric.criterion("respect").level("met").feedback
    unsure = _forced(real_bank, VENT, {"respect|bias": (0.0, 0.0, 0.3)})
    held = grade(s, rubric, response, model=unsure).criterion("respect")
    assert held.level_id == "missed" and held.confidence < LOW_CONFIDENCE


def test_a_breach_signal_from_either_side_is_never_credited_without_review(real_bank: Bank) -> None:
    s = real_bank.scenarios[VENT]
    rubric = real_bank.rubric_for(s)
    breach = Response(text=BREACHING)
    assert grade(s, rubric, breach, model=RULES_ONLY).criterion("confidentiality").is_lowest
    says_met = _forced(real_bank, VENT, {"confidentiality|bias": (0.0, 0.0, 9.0)})
    got = grade(s, rubric, breach, model=says_met)
    crit = got.criterion("confidentiality")
    assert crit.level_id == "met" and crit.confidence < LOW_CONFIDENCE and got.needs_review
    good = Response(
        text=(
            "I would not post it. I'd delete the draft, talk it through with the charge nurse and "
            "a trusted colleague, because he could be identified in a town this size."
        )
    )
    assert grade(s, rubric, good, model=RULES_ONLY).criterion("confidentiality").level_id == "met"
    leans_breach = _forced(
        real_bank, VENT, {"confidentiality|bias": (2.0, 0.0, 3.0)}, Policy(0.99, 0.5, 0.2)
    )
    crit = grade(s, rubric, good, model=leans_breach).criterion("confidentiality")
    assert crit.level_id == "met"  # the model agrees on the level ...
    assert crit.confidence < LOW_CONFIDENCE  # ... but its P(breach) of ~27% sends it to review
    assert any("see a breach" in e.detail for e in crit.evidence)


def test_a_model_file_with_a_bad_field_is_refused_naming_the_file_and_field(tmp_path: Path) -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["policy"] = {"override": 0.5, "unsure": 0.5}
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match=r"model\.json: policy: missing field 'breach'"):
        load_model(bad)
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features_version"] = 0
    with pytest.raises(ModelError, match=r"features_version.*retrain"):
        model_from_dict(data, "x.json")


def test_training_is_deterministic_and_pure_python_inference_matches_sklearn(
    real_bank: Bank,
) -> None:
    pytest.importorskip("sklearn")
    train = _script()
    rows = [
        r
        for r in train.load_rows([train.CORPUS / "dev"])
        if real_bank.scenarios[r["scenario"]].type == "free_text"
    ]
    items, bank = train.build_items(rows, default_bank_root())
    first = train.train(items, bank, ["dev"], nested=False, c=0.3, policy=Policy())
    second = train.train(items, bank, ["dev"], nested=False, c=0.3, policy=Policy())
    assert train.dumps(first) == train.dumps(second)
    model = model_from_dict(first)
    vec, clf = train.fit(items, 0.3)
    for it, p in zip(items[:40], train.predict(vec, clf, items[:40]), strict=True):
        assert model.probabilities(it.features) == pytest.approx(p, abs=2e-3)
