"""The learned layer (privacy.learned): pure-Python inference, determinism, how it combines."""

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from privacy import check_post, learned, rewrite_post
from privacy.checker import rule_evidence
from privacy.learned import (
    LOWERED_NOTE,
    Hashing,
    LearnedModel,
    combine,
    load_model,
    parse_model,
    raisable,
)

from .conftest import DATA, load_posts

ROOT = Path(__file__).resolve().parents[2]


def _fake(probability_logit: float) -> LearnedModel:
    """A model that gives every post the same probability (its bias), thresholds 0.4 / 0.2."""
    return LearnedModel(Hashing(bits=4), probability_logit, {}, raise_at=0.4, lower_below=0.2)


def test_the_bundled_model_loads_and_predicts_without_sklearn_numpy_or_scipy():
    code = (
        "import sys, privacy\n"
        "r = privacy.check_post('Our regular Mrs. K was back in bay 2 tonight with her chest')\n"
        "from privacy.learned import load_model\n"
        "assert load_model().weights\n"
        "print(sorted(m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[]"


def test_the_model_file_records_its_thresholds_training_set_and_cross_validation():
    data = json.loads((ROOT / "privacy" / "data" / "model.json").read_text(encoding="utf-8"))
    assert data["format"] == learned.FORMAT
    assert 0 < data["thresholds"]["lower_below"] <= data["thresholds"]["raise_at"] < 1
    assert data["training_set"]["posts"] >= 1800
    assert not any("heldout" in part for part in data["training_set"]["parts"])
    cv = data["cross_validation"]
    assert set(cv) == {"wards", "community", "voices", "frontline", "allied", "probes"}
    assert all({"rules", "combined"} <= set(figures) for figures in cv.values())
    model = load_model()
    assert model.raise_at == data["thresholds"]["raise_at"]
    assert len(model.weights) == len(data["weights"])


def test_retraining_gives_the_same_model_file(tmp_path):
    pytest.importorskip("sklearn")
    shipped = ROOT / "privacy" / "data" / "model.json"
    out = tmp_path / "model.json"
    shutil.copy(shipped, out)  # --refit reads C and thresholds from the file it rewrites
    subprocess.run(
        [sys.executable, "scripts/train_privacy_model.py", "--refit", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    old = json.loads(shipped.read_text(encoding="utf-8"))
    new = json.loads(out.read_text(encoding="utf-8"))
    old.pop("trained")
    new.pop("trained")
    assert new == old, "retrain with scripts/train_privacy_model.py after changing the rules"


def test_a_malformed_model_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "model.json"
    data = json.loads((ROOT / "privacy" / "data" / "model.json").read_text(encoding="utf-8"))
    del data["thresholds"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"model\.json.*thresholds"):
        load_model(path)
    with pytest.raises(ValueError, match="format"):
        parse_model({**data, "format": 99})


def test_hashing_is_stable_across_processes():
    hashing = Hashing()
    code = "from privacy.learned import Hashing; print(Hashing().index('w bay'))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    assert int(out.stdout) == hashing.index("w bay")


@pytest.mark.parametrize(
    "text",
    [
        "Caught Mr. Patel in bed 4 again",
        "MRN 00482913 came back positive, ugh",
        "[photo: handover sheet with names visible] night shift done",
    ],
)
def test_a_hard_identifier_is_never_lowered_even_by_a_model_that_says_clean(monkeypatch, text):
    monkeypatch.setattr(learned, "load_model", lambda: _fake(-30.0))
    report = check_post(text)
    assert report.risk == "high"
    assert report.learned_note is None


def test_a_medium_post_the_model_rates_clean_is_lowered_and_says_so():
    report = replace(rule_evidence("x")[0], risk="medium")
    lowered = combine(report, 0.05, _fake(0.0))
    assert lowered.risk == "low"
    assert lowered.learned_note == LOWERED_NOTE
    assert lowered.findings == report.findings
    assert combine(report, 0.5, _fake(0.0)).risk == "medium"


def test_a_model_raised_post_keeps_the_rule_spans_and_explains_itself(monkeypatch):
    text = "Lovely chat with a farmer from Dunmore East today about his new hip"
    rules = check_post(text, learned=False)
    monkeypatch.setattr(learned, "load_model", lambda: _fake(30.0))
    report = check_post(text)
    if rules.risk in ("none", "low"):
        assert report.risk == "medium"
        assert "statistical check" in (report.learned_note or "")
        assert f"rules alone rated it {rules.risk}" in (report.learned_note or "")
        assert report.to_dict()["note"] == report.learned_note
    assert report.findings == rules.findings


def test_cues_alone_or_a_framed_post_are_never_raised_by_the_model(monkeypatch):
    monkeypatch.setattr(learned, "load_model", lambda: _fake(30.0))
    for text in (
        "My patient today taught me a card game",
        "Hypothetical: the lady in bed 4 asks you to post her photo. What do you do?",
    ):
        report = check_post(text)
        assert not raisable(rule_evidence(text)[0])
        assert report.risk in ("none", "low"), text
        assert report.learned_note is None


def test_every_change_by_the_model_is_explained_and_keeps_the_rule_findings():
    changed = 0
    for path in sorted((DATA / "batches").glob("*/regression.jsonl")):
        for row in load_posts(str(path.relative_to(DATA))):
            rules, combined = check_post(row["text"], learned=False), check_post(row["text"])
            assert combined.findings == rules.findings
            if combined.risk != rules.risk:
                changed += 1
                assert combined.learned_note, row["id"]
                assert rules.risk != "high"
    assert changed > 0


def test_a_picture_of_her_with_the_team_shows_a_person_and_the_rewrite_says_nothing_false():
    text = (
        "Congrats to Margaret Chen on going home after 6 weeks with us! "
        "[photo: her and the team at the nurses station]"
    )
    report = check_post(text, all_details=True)
    media = [f for f in report.findings if f.category == "media"]
    assert media and media[0].severity == "high"
    assert report.risk == "high"
    rewritten = rewrite_post(text)
    assert "her and the team" not in rewritten
    assert "picture removed: no patients" not in rewritten  # it did show one
    assert "picture removed" in rewritten
    assert check_post("[photo: me and the team after night shift]").risk in ("none", "low")


# Per-part floors on the regression parts: the figures at this change minus a small margin.
# "rules" is the rules alone (learned=False), "combined" what check_post returns.
FLOORS = {
    "wards/regression": {"rules": (0.98, 0.98), "combined": (0.98, 0.98)},
    "community/regression": {"rules": (0.92, 0.98), "combined": (0.92, 0.98)},
    "voices/regression": {"rules": (0.96, 0.98), "combined": (0.96, 0.98)},
    "frontline/regression": {"rules": (0.82, 0.80), "combined": (0.88, 0.91)},
    "allied/regression": {"rules": (0.80, 0.74), "combined": (0.87, 0.91)},
}


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_each_regression_part_keeps_its_precision_and_recall(part):
    rows = load_posts(f"batches/{part}.jsonl")
    for kind, (min_precision, min_recall) in FLOORS[part].items():
        tp = fp = fn = 0
        for row in rows:
            flagged = check_post(row["text"], learned=kind == "combined").needs_review
            tp += flagged and row["risky"]
            fp += flagged and not row["risky"]
            fn += row["risky"] and not flagged
        assert tp / (tp + fp) >= min_precision, (part, kind, tp, fp, fn)
        assert tp / (tp + fn) >= min_recall, (part, kind, tp, fp, fn)


def test_the_hint_opens_with_the_learned_note_when_the_model_changed_the_risk():
    from privacy import rewrite_hint

    report = replace(rule_evidence("x")[0], risk="medium")
    lowered = combine(report, 0.05, _fake(0.0))
    assert rewrite_hint(lowered).startswith(LOWERED_NOTE)
    assert not rewrite_hint(report).startswith(LOWERED_NOTE)
