"""How the package is built: bundled data with its licences, small functions, registries."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from privacy.detectors import DETAIL_DETECTORS, DETECTORS
from privacy.lexicon import DATA_DIR, FIRST_NAMES, OCCUPATIONS, RARE_CONDITION_PATTERNS
from privacy.model import CATEGORIES
from privacy.scan import PhraseList, _anchors

ROOT = Path(__file__).resolve().parents[2]


def test_every_bundled_list_is_described_with_its_source_and_licence():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.txt"):
        assert f"`{path.name}`" in readme, path.name
    assert "public domain" in readme.lower()
    assert "Open Government Licence" in readme


def test_the_first_name_list_is_large_and_leaves_out_calendar_words():
    assert len(FIRST_NAMES) > 5000
    assert {"jaxon", "aaliyah", "siobhan", "mohammed"} <= FIRST_NAMES
    assert not {"june", "tuesday", "christmas", "will", "hope"} & FIRST_NAMES


def test_rare_conditions_and_occupations_are_loaded():
    assert len(RARE_CONDITION_PATTERNS) > 80
    assert {"postman", "vet", "roofer"} <= OCCUPATIONS


def test_every_phrase_anchor_occurs_in_what_its_fragment_matches():
    import re

    for fragment in RARE_CONDITION_PATTERNS:
        anchors = _anchors(fragment)
        pattern = re.compile(rf"\b(?:{fragment})(?!\w)", re.I)
        for sample in ("a case of " + fragment.replace("\\b", "").split("(")[0],):
            m = pattern.search(sample)
            if m:
                assert any(a in m.group().lower() for a, _ in anchors) or not anchors


def test_a_phrase_list_finds_a_fragment_only_through_its_anchor():
    from privacy.scan import Scan

    phrases = PhraseList(frozenset({"q fever", "overdos(?:e|ed)", "(?:quad|atv) roll(?:ed|over)"}))
    found = [
        m.group()
        for m in phrases.finditer(Scan("Q fever, then he overdosed after a quad rollover"))
    ]
    assert sorted(found) == ["Q fever", "overdosed", "quad rollover"]


def test_detectors_are_registries_and_emit_known_categories():
    from privacy.scan import Scan

    scan = Scan("Mr. Patel, 93, from Elk Creek in bed 4 called 555-201-7788 on Christmas Eve")
    for registry in (DETECTORS, DETAIL_DETECTORS):
        for detector in registry.values():
            for cand in detector(scan):
                assert cand.category in CATEGORIES


def test_no_function_in_the_checker_is_over_complexity_15():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    result = subprocess.run(
        [
            ruff,
            "check",
            "--select",
            "C901",
            "--config",
            "lint.mccabe.max-complexity=15",
            "privacy",
            "bench/privacy.py",
            "bench/privacy_quality.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_no_module_of_the_checker_is_over_600_lines():
    for path in (ROOT / "privacy").rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path


def test_the_checker_gives_the_same_reports_without_the_optional_automaton(monkeypatch):
    from privacy import check_post
    from privacy import scan as scan_module
    from privacy.detectors import cues

    from .conftest import load_posts

    texts = [
        r["text"]
        for name in ("labelled_posts.jsonl", "blind_posts.jsonl")
        for r in load_posts(name)
    ]
    fast = [check_post(t, all_details=True).to_dict() for t in texts]
    monkeypatch.setattr(scan_module, "_INDEXES", {})
    monkeypatch.setattr(cues, "ACCELERATED", False)
    slow = [check_post(t, all_details=True).to_dict() for t in texts]
    assert slow == fast
