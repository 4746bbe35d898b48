"""The learned layer over the phrase rules for written answers (issue 12).

A small logistic regression, trained by `scripts/train_grading_model.py` on the labelled corpus,
reads the rule engine's findings and the answer's words (`quizzes.features`) and gives, per
criterion, a probability for its lowest, middle and top level. It never grades alone; it is
combined with the rules so that the result stays explainable:

- the rule evidence (phrase, identifier) stays, and the level's rubric feedback names the
  guideline met or broken, whichever side chose the level;
- when model and rules disagree, the model's level is taken only if it is sure enough
  (`Policy.override`), and the criterion goes to an educator either way (`review:
  low-confidence`); when the model is unsure (`Policy.unsure`) it goes to review as well;
- the model never lifts a level the rules capped (an answer that does not engage the scenario,
  repeats the course's feedback or is too short): such a cap is a rule, not a guess;
- a breach signal on a critical criterion, from the rules (their lowest level) or from the model
  (`Policy.breach`), never leaves a criterion above its lowest level without review;
- a scenario (or rubric) that changed since the model was trained on it — compared by content
  fingerprint, since the app renumbers imported versions — is graded by the rules alone and
  sent to review: its phrases may have changed under the model.

Inference is pure Python over the JSON weights, loaded once; scikit-learn is only for training.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assessment import Assessment
from .concepts import compiled_matcher
from .features import FEATURES_VERSION, capped, criterion_features, rank_of
from .model import Criterion, Evidence, Response, Rubric, Scenario

__all__ = [
    "CONFIDENCE_BREACH_SIGNAL",
    "CONFIDENCE_DISAGREE",
    "CONFIDENCE_STALE",
    "CONFIDENCE_UNSURE",
    "MODEL_PATH",
    "RULES_ONLY",
    "GradingModel",
    "ModelError",
    "Policy",
    "apply_model",
    "bundled_model",
    "load_model",
    "model_from_dict",
]

MODEL_PATH = Path(__file__).parent / "data" / "grading_model.json"
MODEL_FORMAT = 1
WRITTEN = ("free_text", "post_draft")

CONFIDENCE_DISAGREE = 0.4  # model and rules give different levels: an educator decides
CONFIDENCE_UNSURE = 0.45  # the model agrees but is not sure: an educator checks
CONFIDENCE_BREACH_SIGNAL = 0.4  # a breach signal on a critical criterion graded above lowest
CONFIDENCE_STALE = 0.45  # the scenario changed since the model was trained: rules only


class ModelError(ValueError):
    """The grading model file cannot be used (which file, which field)."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How model and rules are combined (chosen by leave-one-writer-out cross-validation)."""

    override: float = 0.6  # the model's level replaces the rules' at this probability or more
    unsure: float = 0.5  # below this top probability the model is unsure: review
    breach: float = 0.3  # P(lowest) at or above this on a critical criterion is a breach signal


@dataclass(frozen=True, slots=True)
class Trained:
    """What a scenario looked like when the model was trained on its answers."""

    version: int
    rubric: str
    rubric_version: int
    fingerprint: str = ""  # scenario_fingerprint: its content, whatever version number it has
    rubric_fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class GradingModel:
    """Weights per feature (one per level rank: lowest, middle, top), the intercepts, the
    scenarios it was trained on and the combination policy."""

    weights: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    intercept: tuple[float, float, float] = (0.0, 0.0, 0.0)
    scenarios: Mapping[str, Trained] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    source: str = ""

    def probabilities(self, feats: Mapping[str, float]) -> tuple[float, float, float]:
        """Softmax of the linear scores: P(lowest), P(middle), P(top)."""
        z = list(self.intercept)
        weights = self.weights
        for name, x in feats.items():
            w = weights.get(name)
            if w is not None:
                z[0] += w[0] * x
                z[1] += w[1] * x
                z[2] += w[2] * x
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return (e[0] / s, e[1] / s, e[2] / s)


RULES_ONLY = GradingModel(source="rules only")


def _need(d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in d:
        raise ModelError(f"{where}: missing field {key!r}")
    value = d[key]
    if not isinstance(value, kind):
        raise ModelError(f"{where}: field {key!r} has the wrong type ({type(value).__name__})")
    return value


def _triple(value: Any, where: str) -> tuple[float, float, float]:
    if not (isinstance(value, list) and len(value) == 3):
        raise ModelError(f"{where}: expected three numbers, got {value!r}")
    if not all(isinstance(v, int | float) for v in value):
        raise ModelError(f"{where}: expected three numbers, got {value!r}")
    return (float(value[0]), float(value[1]), float(value[2]))


def model_from_dict(d: Mapping[str, Any], source: str = "<model>") -> GradingModel:
    """A model from its JSON form; errors name the source and the field."""
    if _need(d, "format", int, source) != MODEL_FORMAT:
        raise ModelError(f"{source}: field 'format' is {d['format']}, expected {MODEL_FORMAT}")
    if _need(d, "features_version", int, source) != FEATURES_VERSION:
        raise ModelError(
            f"{source}: field 'features_version' is {d['features_version']}, this code computes "
            f"version {FEATURES_VERSION}: retrain with scripts/train_grading_model.py"
        )
    raw_weights = _need(d, "weights", dict, source)
    weights = {str(k): _triple(v, f"{source}: weights[{k!r}]") for k, v in raw_weights.items()}
    scenarios: dict[str, Trained] = {}
    for sid, s in _need(d, "scenarios", dict, source).items():
        where = f"{source}: scenarios[{sid!r}]"
        if not isinstance(s, dict):
            raise ModelError(f"{where}: expected an object")
        scenarios[str(sid)] = Trained(
            _need(s, "version", int, where),
            _need(s, "rubric", str, where),
            _need(s, "rubric_version", int, where),
            _need(s, "fingerprint", str, where),
            _need(s, "rubric_fingerprint", str, where),
        )
    p = _need(d, "policy", dict, source)
    policy = Policy(
        float(_need(p, "override", (int, float), f"{source}: policy")),
        float(_need(p, "unsure", (int, float), f"{source}: policy")),
        float(_need(p, "breach", (int, float), f"{source}: policy")),
    )
    intercept = _triple(_need(d, "intercept", list, source), f"{source}: intercept")
    return GradingModel(weights, intercept, scenarios, policy, source)


def load_model(path: Path) -> GradingModel:
    """Read a model file written by the training script."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read the grading model ({exc})") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: expected a JSON object")
    return model_from_dict(data, str(path))


_BUNDLED: list[GradingModel] = []


def bundled_model() -> GradingModel:
    """The model shipped in the package, read once per process (rules only if it is absent)."""
    if not _BUNDLED:
        _BUNDLED.append(load_model(MODEL_PATH) if MODEL_PATH.exists() else RULES_ONLY)
    return _BUNDLED[0]


def _level_at(crit: Criterion, rank: int) -> str:
    ids = [lvl.id for lvl in crit.levels]
    return ids[0] if rank == 0 else ids[-1] if rank == 2 else ids[(len(ids) - 1) // 2]


_SAME: dict[tuple[int, int], tuple[Scenario, Rubric, Trained, bool]] = {}


def _same(scenario: Scenario, rubric: Rubric, trained: Trained) -> bool:
    """Whether the scenario and rubric are the ones the model was trained on. Compared by
    content (the bank's fingerprints), because the app numbers the versions it imports itself;
    without fingerprints (a hand-made model), by version numbers."""
    key = (id(scenario), id(rubric))
    hit = _SAME.get(key)
    if hit is not None and hit[0] is scenario and hit[1] is rubric and hit[2] is trained:
        return hit[3]
    if trained.fingerprint:
        from .bank import rubric_fingerprint, scenario_fingerprint

        same = (scenario_fingerprint(scenario), rubric_fingerprint(rubric)) == (
            trained.fingerprint,
            trained.rubric_fingerprint,
        )
    else:
        same = (trained.version, trained.rubric, trained.rubric_version) == (
            scenario.version,
            rubric.id,
            rubric.version,
        )
    if len(_SAME) > 4096:
        _SAME.clear()
    _SAME[key] = (scenario, rubric, trained, same)
    return same


def _stale(
    scenario: Scenario, rubric: Rubric, trained: Trained, out: Mapping[str, Assessment]
) -> dict[str, Assessment]:
    note = Evidence(
        "default",
        "",
        detail=(
            f"the grading model was trained on version {trained.version} of this scenario "
            f"(rubric {trained.rubric} v{trained.rubric_version}); this is version "
            f"{scenario.version} (rubric {rubric.id} v{rubric.version}): graded by the phrase "
            "rules alone, an educator checks"
        ),
    )
    return {
        cid: Assessment(
            a.level_id, (*a.evidence, note), min(a.confidence, CONFIDENCE_STALE), a.by_rule
        )
        for cid, a in out.items()
    }


def _combine(
    crit: Criterion, a: Assessment, p: tuple[float, float, float], policy: Policy
) -> Assessment:
    """One criterion: the rules' assessment and the model's probabilities (see the module doc)."""
    rule = rank_of(crit, a.level_id)
    model = max(range(3), key=lambda k: p[k])
    sure = p[model]
    level, confidence = a.level_id, a.confidence
    notes: list[str] = []
    said = f"{_level_at(crit, model)} ({sure:.0%})"
    if model != rule:
        if sure >= policy.override and not (model > rule and capped(a)):
            level = _level_at(crit, model)
            notes.append(
                f"the statistical model trained on rated answers says {said}; the phrase rules "
                f"said {a.level_id}: {level} given, an educator decides"
            )
        else:
            notes.append(
                f"the phrase rules say {a.level_id}; the statistical model says {said}: "
                "an educator decides"
            )
        confidence = min(confidence, CONFIDENCE_DISAGREE)
    elif sure < policy.unsure:
        notes.append(f"the statistical model agrees ({said}) but is unsure: an educator checks")
        confidence = min(confidence, CONFIDENCE_UNSURE)
    if crit.critical and level != crit.lowest.id and (rule == 0 or p[0] >= policy.breach):
        who = "the phrase rules" if rule == 0 else f"the statistical model ({p[0]:.0%})"
        notes.append(f"{who} see a breach here: not credited until an educator checks")
        confidence = min(confidence, CONFIDENCE_BREACH_SIGNAL)
    if not notes:
        return a
    extra = tuple(Evidence("default", "", detail=n) for n in notes)
    return Assessment(level, (*a.evidence, *extra), confidence, a.by_rule)


def apply_model(
    scenario: Scenario,
    rubric: Rubric,
    response: Response,
    assessments: Mapping[str, Assessment],
    model: GradingModel,
) -> dict[str, Assessment]:
    """The rules' assessments of a written answer, combined with the model's (see above).
    Scenarios the model was not trained on keep the rules' assessments unchanged."""
    out = dict(assessments)
    trained = model.scenarios.get(scenario.id)
    if scenario.type not in WRITTEN or trained is None:
        return out
    if not _same(scenario, rubric, trained):
        return _stale(scenario, rubric, trained, out)
    ms = compiled_matcher(scenario).find(response.text)
    feats = criterion_features(scenario, rubric, ms, out)
    for cid, a in assessments.items():
        out[cid] = _combine(rubric.criterion(cid), a, model.probabilities(feats[cid]), model.policy)
    return out
