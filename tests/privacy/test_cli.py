"""`python -m privacy check` through run_cli with in-memory streams."""

import io
import json
import subprocess
import sys
from pathlib import Path

from privacy.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]


def _run(argv, stdin_text=""):
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(argv, io.StringIO(stdin_text), out, err)
    return code, out.getvalue(), err.getvalue()


def test_check_prints_a_readable_report_for_a_text_argument():
    code, out, _ = _run(["check", "Caught Mr. Patel in bed 4 again"])
    assert code == 0
    assert out.startswith("Risk: HIGH\n")
    assert "name 'Mr. Patel' (chars 7-16, guideline 2)" in out
    assert "Suggestion: " in out


def test_check_reads_stdin_for_a_dash_and_prints_json():
    code, out, _ = _run(["check", "-", "--json"], "Room 412 keeps ringing")
    assert code == 0
    data = json.loads(out)
    assert data["risk"] == "medium"
    assert data["findings"][0]["text"] == "Room 412"


def test_check_reads_stdin_when_no_text_is_given():
    code, out, _ = _run(["check", "--json"], "Wash your hands")
    assert code == 0
    assert json.loads(out) == {"risk": "none", "findings": [], "confidence": 0.9, "language": "en"}


def test_jsonl_writes_one_result_per_input_line_in_order(tmp_path):
    source = tmp_path / "posts.jsonl"
    source.write_text(
        json.dumps({"text": "Room 412 again"}) + "\n\n" + json.dumps({"text": "Wash hands"}) + "\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["check", "--jsonl", str(source)])
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["risk"] for r in results] == ["medium", "none"]


def test_jsonl_error_names_the_file_and_line(tmp_path):
    source = tmp_path / "posts.jsonl"
    source.write_text('{"text": "ok"}\n{"txt": 1}\n', encoding="utf-8")
    code, _, err = _run(["check", "--jsonl", str(source)])
    assert code == 2
    assert err.startswith(f"{source}:2: ")


def test_jsonl_invalid_json_names_the_file_and_line(tmp_path):
    source = tmp_path / "posts.jsonl"
    source.write_text("{not json\n", encoding="utf-8")
    code, _, err = _run(["check", "--jsonl", str(source)])
    assert code == 2
    assert err.startswith(f"{source}:1: invalid JSON")


def test_unknown_command_is_a_usage_error():
    code, _, err = _run(["scan"])
    assert code == 2
    assert "usage:" in err


def test_help_returns_zero_and_writes_to_the_given_stream():
    code, out, _ = _run(["check", "--help"])
    assert code == 0
    assert "--jsonl FILE" in out


def test_module_entry_point_runs_in_a_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "privacy", "check", "--json", "Mr. Patel in bed 4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["risk"] == "high"


def test_jsonl_keeps_its_shape_and_adds_confidence_and_language(tmp_path):
    source = tmp_path / "posts.jsonl"
    source.write_text(json.dumps({"text": "Caught Mr. Patel in bed 4 again"}) + "\n")
    code, out, _ = _run(["check", "--jsonl", str(source)])
    assert code == 0
    result = json.loads(out)
    assert {"risk", "findings", "confidence", "language"} <= set(result)
    assert {"category", "start", "end", "text"} <= set(result["findings"][0])


def test_the_readable_report_shows_confidence_and_a_safer_draft():
    code, out, _ = _run(["check", "Caught Mr. Patel in bed 4 again"])
    assert code == 0
    assert "\nConfidence: " in out
    assert "Safer draft: Caught a patient again" in out


def test_a_post_not_in_english_reads_unknown_in_the_readable_report():
    code, out, _ = _run(
        ["check", "Dzisiaj w przychodni było bardzo dużo pacjentów i nie mieliśmy przerwy."]
    )
    assert code == 0
    assert out.startswith("Risk: UNKNOWN (language pl: checked as English only")
