"""`postrx scenarios check`: errors first, then item-writing warnings; --strict fails on them."""

from __future__ import annotations

from pathlib import Path

from tests.quizzes.test_itemcheck import RUBRIC_YAML, SCENARIO_YAML

CLEAN = SCENARIO_YAML.replace("blurred boards never identify anyone", "the board is blurred")


def _bank(tmp_path: Path, scenario: str = SCENARIO_YAML) -> Path:
    root = tmp_path / "bank"
    (root / "rubrics").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "rubrics" / "r.yaml").write_text(RUBRIC_YAML, encoding="utf-8")
    (root / "scenarios" / "board.yaml").write_text(scenario, encoding="utf-8")
    return root


def test_errors_come_first_then_warnings_and_the_check_exits_1(runner, tmp_path):
    root = _bank(tmp_path)
    broken = root / "scenarios" / "other.yaml"
    broken.write_text(CLEAN.replace("id: board", "id: other").replace("type: single", "type: x"))
    result = runner.invoke(args=["scenarios", "check", str(root)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    error = next(i for i, x in enumerate(lines) if x.startswith(f"{broken}:"))
    warning = next(i for i, x in enumerate(lines) if ": warning: " in x)
    assert error < warning
    assert lines[warning].startswith(f"{root / 'scenarios' / 'board.yaml'}:19: warning: option 'b'")
    assert "1 problem(s), 1 warning(s)" in result.stderr


def test_warnings_alone_pass_the_check_but_not_a_strict_one(runner, tmp_path):
    root = _bank(tmp_path)
    result = runner.invoke(args=["scenarios", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "ok (1 warning(s))" in result.stdout
    assert f"{root / 'scenarios' / 'board.yaml'}:19: warning: " in result.stderr
    strict = runner.invoke(args=["scenarios", "check", "--strict", str(root)])
    assert strict.exit_code == 1 and "0 problem(s), 1 warning(s)" in strict.stderr


def test_a_bank_without_warnings_passes_a_strict_check(runner, tmp_path):
    root = _bank(tmp_path, CLEAN)
    result = runner.invoke(args=["scenarios", "check", "--strict", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok" and "warning" not in result.stderr
