"""The examples in docs/authoring.md are complete, valid bank files."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from quizzes import Response, check, grade, load_bank

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)


def yaml_blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_every_yaml_block_in_the_guide_parses():
    blocks = yaml_blocks()
    assert len(blocks) >= 6
    for block in blocks:
        assert yaml.safe_load(block) is not None


def test_guide_examples_form_a_valid_bank_with_every_type(tmp_path):
    root = tmp_path / "bank"
    for block in yaml_blocks():
        first = block.splitlines()[0]
        if first.startswith("# file: "):
            target = root / first.removeprefix("# file: ").strip()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block, encoding="utf-8")
    bank = load_bank(root)
    assert check([root]) == []
    assert {s.type for s in bank.scenarios.values()} == {
        "single",
        "multi",
        "free_text",
        "post_draft",
    }
    assert len(bank.rubrics) == 1 and len(bank.quizzes) == 1
    # the model answer in the free-text debrief earns full marks
    s = bank.scenarios["selfie-advice"]
    assert grade(s, bank.rubric_for(s), Response(text=s.debrief)).score == 1.0
