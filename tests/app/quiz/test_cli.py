"""`postrx scenarios list | check | export | import`."""

from __future__ import annotations

import json
import shutil

from quizzes import default_bank_root, load_bank
from tests.app.quiz.helpers import N_SCENARIOS


def test_list_json_reads_the_bundled_files_before_any_import(runner):
    result = runner.invoke(args=["scenarios", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == len(load_bank(default_bank_root()).scenarios)
    selfie = next(r for r in rows if r["id"] == "night-shift-selfie")
    expected = load_bank(default_bank_root()).scenarios["night-shift-selfie"]
    assert selfie["guidelines"] == list(expected.guidelines)
    assert all(isinstance(g, int) for g in selfie["guidelines"])
    assert set(selfie) >= {"id", "title", "type", "guidelines", "risks", "rubric", "version"}
    assert "source: files" in result.stderr


def test_list_json_reads_the_database_after_an_import(runner, bank):
    result = runner.invoke(args=["scenarios", "list", "--json"])
    assert "source: database" in result.stderr
    rows = json.loads(result.stdout)
    assert {r["version"] for r in rows} == {1} and len(rows) == N_SCENARIOS


def test_check_prints_file_and_line_and_exits_1_on_a_broken_file(runner, tmp_path):
    root = tmp_path / "bank"
    shutil.copytree(default_bank_root(), root)
    broken = root / "scenarios" / "night-shift-selfie.yaml"
    broken.write_text(broken.read_text().replace("type: single", "type: essay"))
    result = runner.invoke(args=["scenarios", "check", str(root)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.stderr and "essay" in result.stderr


def test_check_passes_the_bundled_bank(runner):
    result = runner.invoke(args=["scenarios", "check", str(default_bank_root())])
    assert result.exit_code == 0 and "ok" in result.stdout


def test_import_prints_the_report_and_a_second_import_changes_nothing(runner):
    first = runner.invoke(args=["scenarios", "import", str(default_bank_root())])
    assert first.exit_code == 0, first.output
    assert f"scenarios: {N_SCENARIOS} created" in first.stdout
    second = runner.invoke(args=["scenarios", "import", str(default_bank_root())])
    assert f"scenarios: 0 created, 0 updated, {N_SCENARIOS} unchanged" in second.stdout


def test_export_writes_a_bank_that_imports_as_a_no_op(runner, bank, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(args=["scenarios", "export", str(out)])
    assert result.exit_code == 0 and f"Wrote {7 + N_SCENARIOS + 1} files" in result.stdout
    again = runner.invoke(args=["scenarios", "import", str(out)])
    assert again.exit_code == 0
    assert "0 created, 0 updated" in again.stdout and " updated, 0 unchanged" not in again.stdout


def test_a_failed_import_exits_1_and_says_nothing_was_imported(runner, tmp_path):
    root = tmp_path / "bank"
    shutil.copytree(default_bank_root(), root)
    (root / "rubrics" / "patient-confidentiality.yaml").write_text("id: [unclosed\n")
    result = runner.invoke(args=["scenarios", "import", str(root)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.stderr
    listing = runner.invoke(args=["scenarios", "list", "--json"])
    assert "source: files" in listing.stderr
