"""Every file in an imported folder is read, refused or listed as skipped; never dropped quietly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db_tx import transaction
from app.extensions import db
from app.models.quiz import ScenarioVersion
from app.services import quiz as svc
from quizzes import BankError
from tests.app.author.conftest import BANK as SMALL_BANK

NOT_IN_BANK = "not part of a bank — scenarios go in scenarios/, rubrics in rubrics/"


def _count() -> int:
    return db.session.execute(select(func.count()).select_from(ScenarioVersion)).scalar_one()


@pytest.fixture
def exported(app, tmp_path: Path) -> Path:
    """The small bank imported, then exported: a folder that imports as a no-op."""
    with transaction():
        svc.import_bank([SMALL_BANK])
    out = tmp_path / "export"
    svc.export_bank(out)
    return out


def _retitle(root: Path) -> None:
    """A real change that must not land when the import is refused."""
    path = root / "scenarios" / "night-shift-selfie.yaml"
    path.write_text(path.read_text().replace("title:", "title: Changed -", 1))


def test_a_broken_yaml_file_beside_quizzes_yaml_is_an_error_with_its_line(runner, exported):
    _retitle(exported)
    (exported / "zz.yaml").write_text("id: zz\ntitle: [unclosed\n", encoding="utf-8")
    before = _count()
    result = runner.invoke(args=["scenarios", "import", str(exported)])
    assert result.exit_code == 1
    zz = exported / "zz.yaml"
    assert f"{zz}:1: {NOT_IN_BANK}" in result.stderr
    assert any(
        line.startswith(f"{zz}:") and "invalid YAML" in line and not line.startswith(f"{zz}:1:")
        for line in result.stderr.splitlines()
    )
    assert "nothing was imported" in result.stderr
    assert _count() == before
    assert not any(r.title.startswith("Changed") for r in svc.latest_scenarios())


def test_a_valid_scenario_outside_scenarios_is_an_error_too(exported):
    text = (exported / "scenarios" / "night-shift-selfie.yaml").read_text()
    (exported / "night-shift-selfie.yaml").write_text(text)
    with pytest.raises(BankError) as err:
        svc.import_bank([exported])
    [problem] = err.value.problems
    assert (problem.file, problem.line) == (str(exported / "night-shift-selfie.yaml"), 1)
    assert problem.message == NOT_IN_BANK


def test_a_file_in_a_sub_folder_of_scenarios_is_an_error(exported):
    (exported / "scenarios" / "old").mkdir()
    (exported / "scenarios" / "old" / "x.yaml").write_text("id: x\n")
    with pytest.raises(BankError) as err:
        svc.import_bank([exported])
    assert "sub-folders are not read" in str(err.value)


def test_a_yml_file_at_the_top_says_bank_files_end_in_yaml(exported):
    (exported / "extra.yml").write_text("id: x\n")
    with pytest.raises(BankError) as err:
        svc.import_bank([exported])
    assert str(err.value) == f"{exported / 'extra.yml'}:1: {NOT_IN_BANK}; bank files end in .yaml"


def test_files_that_are_not_bank_content_are_listed_as_skipped(runner, exported):
    (exported / "README.md").write_text("# My bank\n")
    (exported / ".DS_Store").write_bytes(b"\0\1")
    (exported / ".git").mkdir()
    (exported / ".git" / "config").write_text("[core]\n")
    (exported / ".git" / "hooks.yaml").write_text("x: [\n")  # hidden: not bank content
    result = runner.invoke(args=["scenarios", "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "scenarios: 0 created, 0 updated" in result.stdout
    for name in ("README.md", ".DS_Store", ".git/"):
        assert f"skipped (not bank content): {exported}/{name}\n" in result.stdout
    assert result.stdout.count(".git") == 1


def test_a_folder_of_loose_files_skips_what_is_not_yaml(app, tmp_path):
    svc.import_bank([SMALL_BANK])
    loose = tmp_path / "loose"
    loose.mkdir()
    text = (SMALL_BANK / "scenarios" / "selfie-cleanup.yaml").read_text()
    (loose / "selfie-cleanup.yaml").write_text(text.replace("Cleaning up", "Tidying up"))
    (loose / "notes.txt").write_text("to do")
    (loose / ".hidden").mkdir()
    (loose / ".hidden" / "draft.yaml").write_text("id: [\n")
    report = svc.import_bank([loose])
    assert report.counts["scenarios"]["updated"] == 1
    assert report.skipped == [f"{loose / '.hidden'}/", str(loose / "notes.txt")]


def test_a_yml_file_in_a_folder_of_loose_files_is_an_error(app, tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "rubric.yml").write_text(
        (SMALL_BANK / "rubrics" / "patient-confidentiality.yaml").read_text()
    )
    with pytest.raises(BankError) as err:
        svc.import_bank([loose])
    assert "bank files end in .yaml" in str(err.value)


def test_an_unchanged_bank_reports_nothing_skipped(exported):
    report = svc.import_bank([exported])
    assert not report.changed and report.skipped == []
    assert "skipped" not in str(report)
