"""Fingerprints of unchanged files never change, whatever happens to the loader.

The platform compares fingerprints on import to decide whether a scenario or rubric needs a new
version, so a loader that read the same file into a different fingerprint would version the
whole bank again. `fixtures/fingerprints.json` records, for each bundled and fixture file, the
SHA-256 of its bytes and the fingerprint the loader gave it when the file was recorded (by the
hand-written validator, before the loader moved to the JSON Schema). A file edited since then
is skipped: only its content can have changed its fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from quizzes import default_bank_root, load_bank, rubric_fingerprint, scenario_fingerprint

from .conftest import FIXTURE_BANK

ROOT = Path(__file__).resolve().parents[2]
RECORDED = json.loads((Path(__file__).parent / "fixtures" / "fingerprints.json").read_text())


def current() -> dict[str, str]:
    out: dict[str, str] = {}
    for root in (default_bank_root(), FIXTURE_BANK):
        bank = load_bank(root)
        for rid, r in bank.rubrics.items():
            out[str((root / "rubrics" / f"{rid}.yaml").relative_to(ROOT))] = rubric_fingerprint(r)
        for sid, s in bank.scenarios.items():
            path = root / "scenarios" / f"{sid}.yaml"
            out[str(path.relative_to(ROOT))] = scenario_fingerprint(s)
    return out


def test_unchanged_files_keep_their_recorded_fingerprints():
    now = current()
    compared = 0
    for name, entry in RECORDED.items():
        path = ROOT / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            continue  # edited or removed since it was recorded
        assert now[name] == entry["fingerprint"], name
        compared += 1
    fixture = [n for n in RECORDED if n.startswith("tests/")]
    assert len(fixture) == 5  # the fixture bank never changes, so these are always compared
    assert compared >= len(fixture)
