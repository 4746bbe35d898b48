"""Importing and exporting the scenario bank: versioned, all or nothing, round-trippable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.quiz import QuizDefinition, RubricVersion, ScenarioVersion
from app.services import quiz as svc
from quizzes import BankError, default_bank_root, load_bank, scenario_fingerprint
from tests.app.quiz.helpers import N_SCENARIOS


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(default_bank_root(), root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_importing_the_bundled_bank_creates_every_rubric_scenario_and_quiz(app):
    report = svc.import_bank([default_bank_root()])
    bank = load_bank(default_bank_root())
    assert report.counts["rubrics"]["created"] == len(bank.rubrics) == _count(RubricVersion)
    assert report.counts["scenarios"]["created"] == len(bank.scenarios) == _count(ScenarioVersion)
    assert report.counts["quizzes"]["created"] == len(bank.quizzes) == _count(QuizDefinition)
    final = db.session.scalar(select(QuizDefinition).where(QuizDefinition.is_final.is_(True)))
    assert final.order == "random" and final.module_slug is None
    assert svc.quiz_for_module("04-risks").quiz_key == "quiz-04-risks"


def test_reimporting_an_unchanged_bank_is_a_no_op(app, bank):
    report = svc.import_bank([default_bank_root()])
    assert not report.changed
    assert report.counts["scenarios"]["unchanged"] == _count(ScenarioVersion)
    assert all(v.version == 1 for v in db.session.scalars(select(ScenarioVersion)))


def test_a_stored_scenario_loads_back_to_the_same_content_as_its_file(app, bank):
    files = load_bank(default_bank_root())
    for row in svc.latest_scenarios():
        loaded = svc.load_scenario(row)
        assert scenario_fingerprint(loaded) == scenario_fingerprint(files.scenarios[loaded.id])
        assert loaded.version == row.version


def test_a_changed_scenario_becomes_a_new_published_version(app, bank, bank_copy):
    _edit(
        bank_copy / "scenarios" / "night-shift-selfie.yaml",
        'title: "The 3 a.m. team selfie"',
        'title: "The team selfie at 3 a.m."',
    )
    report = svc.import_bank([bank_copy])
    assert report.counts["scenarios"] == {"created": 0, "updated": 1, "unchanged": N_SCENARIOS - 1}
    versions = db.session.scalars(
        select(ScenarioVersion)
        .where(ScenarioVersion.scenario_key == "night-shift-selfie")
        .order_by(ScenarioVersion.version)
    ).all()
    assert [(v.version, v.title) for v in versions] == [
        (1, "The 3 a.m. team selfie"),
        (2, "The team selfie at 3 a.m."),
    ]
    assert svc.load_scenario(versions[0]).title == "The 3 a.m. team selfie"


def test_an_attempt_keeps_the_scenario_version_it_presented_after_an_edit(
    app, bank, bank_copy, learner, enrollment
):
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks")
    before = list(attempt.scenario_version_ids)
    first = svc.load_scenario(svc.scenario_rows(attempt)[0])
    _edit(
        bank_copy / "scenarios" / f"{first.id}.yaml",
        f"title: {json.dumps(first.title, ensure_ascii=False)}",
        'title: "Title, edited"',
    )
    svc.import_bank([bank_copy])
    assert attempt.scenario_version_ids == before
    titles = [svc.load_scenario(r).title for r in svc.scenario_rows(attempt)]
    assert "Title, edited" not in titles and first.title in titles
    assert svc.load_scenario(svc.latest_scenario(first.id)).title == "Title, edited"


def test_a_changed_rubric_repins_the_scenarios_it_grades(app, bank, bank_copy):
    rubric = bank_copy / "rubrics" / "patient-confidentiality.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace("title:", "title: Revised -", 1), encoding="utf-8")
    shutil.rmtree(bank_copy / "scenarios")
    (bank_copy / "quizzes.yaml").unlink()
    users = [
        r.scenario_key
        for r in svc.latest_scenarios()
        if r.rubric_version.rubric_key == "patient-confidentiality"
    ]
    assert users
    report = svc.import_bank([bank_copy / "rubrics" / "patient-confidentiality.yaml"])
    assert report.counts["rubrics"]["updated"] == 1
    assert report.counts["scenarios"]["updated"] == len(users)
    for row in svc.latest_scenarios():
        if row.scenario_key in users:
            assert row.version == 2 and row.rubric_version.version == 2


def test_a_broken_file_in_a_folder_imports_nothing(app, bank, bank_copy):
    _edit(
        bank_copy / "scenarios" / "night-shift-selfie.yaml",
        'title: "The 3 a.m. team selfie"',
        'title: "Changed title that must not land"',
    )
    broken = bank_copy / "scenarios" / "paid-drug-promotion.yaml"
    _edit(broken, "type: single", "type: essay")
    before = (_count(ScenarioVersion), _count(RubricVersion))
    with pytest.raises(BankError) as err:
        svc.import_bank([bank_copy])
    assert any(
        p.file == str(broken) and p.line > 1 and "essay" in p.message for p in err.value.problems
    )
    assert str(err.value).startswith(str(broken) + ":")
    assert (_count(ScenarioVersion), _count(RubricVersion)) == before
    assert "Changed title" not in {r.title for r in svc.latest_scenarios()}


def test_a_quiz_naming_an_unknown_scenario_imports_nothing(app, tmp_path):
    bad = tmp_path / "quizzes.yaml"
    bad.write_text(
        "quizzes:\n  - id: quiz-x\n    title: X\n    module: 04-risks\n"
        "    scenarios: [no-such-scenario]\n    pass_mark: 0.8\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as err:
        svc.import_bank([bad])
    assert "no-such-scenario" in str(err.value)
    assert _count(QuizDefinition) == 0


def test_export_then_import_changes_nothing(app, bank, tmp_path):
    out = tmp_path / "export"
    files = svc.export_bank(out)
    assert len(files) == 7 + N_SCENARIOS + 1
    from quizzes import check

    assert check([out]) == []
    report = svc.import_bank([out])
    assert not report.changed, str(report)


def test_an_edited_quiz_definition_is_updated_in_place_with_a_new_version(app, bank, bank_copy):
    _edit(bank_copy / "quizzes.yaml", "pass_mark: 0.8", "pass_mark: 0.75")
    report = svc.import_bank([bank_copy])
    assert report.counts["quizzes"]["updated"] == 1
    qd = svc.quiz_definition("quiz-02-benefits")
    assert (qd.pass_mark, qd.version) == (0.75, 2)
