"""One slug rule for the scenario bank and the course content, and every bundled id keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from modules.catalog import check as check_content
from modules.catalog import default_content_root, load_course
from quizzes import BankError, default_bank_root, load_bank, loads_scenario
from quizzes.model import MODULES
from yamlsrc import SLUG_PATTERN, is_slug

FIXTURE_BANK = Path(__file__).resolve().parents[1] / "quizzes" / "fixtures" / "bank"
STOCK = Draft202012Validator({"type": "string", "pattern": SLUG_PATTERN})


@pytest.mark.parametrize("good", ["a", "04-risks", "my-id-2", "2026", "night-shift-selfie"])
def test_these_are_slugs(good):
    assert is_slug(good) and STOCK.is_valid(good)


@pytest.mark.parametrize("bad", ["", "abc-", "-abc", "a--b", "Abc", "a_b", "a b", "ü", "abc\n", 7])
def test_these_are_not_slugs(bad):
    assert not is_slug(bad)
    if isinstance(bad, str) and not bad.endswith("\n"):  # Python's `$` differs only there
        assert not STOCK.is_valid(bad)


def test_every_bundled_id_and_slug_keeps_the_rule():
    bank = load_bank(default_bank_root())
    ids = [*bank.rubrics, *bank.scenarios, *bank.quizzes, *MODULES]
    for r in bank.rubrics.values():
        ids += [c.id for c in r.criteria] + [lv.id for c in r.criteria for lv in c.levels]
    for s in bank.scenarios.values():
        ids += [o.id for o in s.options]
    for root in sorted(p for p in default_content_root().iterdir() if p.is_dir()):
        course = load_course(root)
        ids += [course.slug, *(m.slug for m in course.modules)]
        ids += [lesson.slug for m in course.modules for lesson in m.lessons]
    assert len(ids) > 100
    assert [i for i in ids if not is_slug(i)] == []


def test_the_bank_rejects_a_trailing_hyphen():
    text = (FIXTURE_BANK / "scenarios" / "selfie-reply.yaml").read_text(encoding="utf-8")
    with pytest.raises(BankError) as exc:
        loads_scenario(text.replace("id: selfie-reply", "id: selfie-reply-"))
    assert "'id' must be a lowercase slug like 'my-id-2', got 'selfie-reply-'" in str(exc.value)


def test_the_course_content_rejects_a_trailing_hyphen(tmp_path):
    lesson = tmp_path / "01-solo.md"
    lesson.write_text('---\nslug: solo-\ntitle: "S"\nminutes: 3\nsummary: "S."\n---\n\nText.\n')
    assert [str(p) for p in check_content([lesson])] == [
        f"{lesson}:2: slug: 'solo-' is not a slug (lowercase letters and digits joined by "
        "single hyphens)"
    ]
