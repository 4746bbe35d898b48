"""`postrx scenarios grade`: an answer graded exactly as an attempt grades it, from the same
source (the database once a bank is imported, else the bundled files)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import quizzes
from app.services import quiz as svc
from app.services.quiz import grade_cli as answer_grading
from quizzes import Response, default_bank_root, load_bank
from tests.app.author.conftest import BANK as SMALL_BANK

KEYS = {"scenario", "score", "critical_failed", "needs_review", "confidence", "criteria"}
CRITERION_KEYS = {"id", "level", "points", "max_points", "evidence"}


@pytest.fixture(scope="module")
def files() -> quizzes.Bank:
    return load_bank(default_bank_root())


def _of_type(bank: quizzes.Bank, stype: str) -> quizzes.Scenario:
    return next(s for s in sorted(bank.scenarios.values(), key=lambda s: s.id) if s.type == stype)


def _expected(bank: quizzes.Bank, sid: str, response: Response) -> dict:
    s = bank.scenarios[sid]
    return answer_grading.result_record(s, quizzes.grade(s, bank.rubric_for(s), response))


def _jsonl(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "answers.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


def test_an_option_is_graded_like_an_attempt_from_the_files_before_any_import(runner, files):
    s = _of_type(files, "single")
    for opt in s.options:
        result = runner.invoke(args=["scenarios", "grade", s.id, "--option", opt.id, "--json"])
        assert result.exit_code == 0, result.output
        assert "source: files" in result.stderr
        record = json.loads(result.stdout)
        assert record == _expected(files, s.id, Response(selected=(opt.id,)))
        assert set(record) == KEYS and all(set(c) == CRITERION_KEYS for c in record["criteria"])


def test_the_readable_form_shows_each_criterion_its_evidence_and_the_total(runner, files):
    s = _of_type(files, "single")
    opt = s.options[0]
    result = runner.invoke(args=["scenarios", "grade", s.id, "--option", opt.id])
    assert result.exit_code == 0, result.output
    out = result.stdout
    expected = _expected(files, s.id, Response(selected=(opt.id,)))
    assert out.startswith(f"{s.id} v{s.version} (single), rubric {s.rubric} v")
    for c in expected["criteria"]:
        assert f"  {c['id']}: {c['level']} — " in out
    assert f"selected option {opt.id}" in out
    assert f"Total: {expected['score']:.0%}" in out
    assert "Critical failure:" in out and "Needs review:" in out and "Confidence:" in out


def test_several_options_grade_a_multi_item(runner, files):
    s = _of_type(files, "multi")
    right = [o.id for o in s.options if o.correct]
    args = ["scenarios", "grade", s.id, "--json"]
    for oid in right:
        args += ["--option", oid]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == _expected(files, s.id, Response(selected=tuple(right)))


def test_a_text_is_graded_with_its_phrases_and_confidence(runner, files):
    s = _of_type(files, "free_text")
    text = s.debrief  # the model answer, and then some
    result = runner.invoke(args=["scenarios", "grade", s.id, "--text", text, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record == _expected(files, s.id, Response(text=text))
    assert 0 <= record["confidence"] <= 1 and 0 <= record["score"] <= 1


def test_after_an_import_the_latest_published_version_is_graded(runner, app, files):
    svc.import_bank([SMALL_BANK])  # its night-shift-selfie differs from the bundled one
    small = load_bank(SMALL_BANK)
    result = runner.invoke(
        args=["scenarios", "grade", "night-shift-selfie", "--option", "c", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert "source: database" in result.stderr
    assert json.loads(result.stdout) == _expected(small, "night-shift-selfie", Response(("c",)))
    only_in_files = next(sid for sid in files.scenarios if sid not in small.scenarios)
    missing = runner.invoke(args=["scenarios", "grade", only_in_files, "--text", "x"])
    assert missing.exit_code == 2 and "unknown scenario" in missing.stderr


def test_a_jsonl_file_gets_one_json_line_per_answer(runner, files, tmp_path):
    single, written = _of_type(files, "single"), _of_type(files, "free_text")
    path = _jsonl(
        tmp_path,
        {"scenario": single.id, "options": [single.options[1].id], "learner": "ignored"},
        "",
        {"scenario": written.id, "text": "I would check the source first."},
        "   ",
    )
    result = runner.invoke(args=["scenarios", "grade", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [json.loads(x) for x in lines] == [
        _expected(files, single.id, Response(selected=(single.options[1].id,))),
        _expected(files, written.id, Response(text="I would check the source first.")),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"scenario": "no-such-scenario", "text": "x"}, "unknown scenario 'no-such-scenario'"),
        ({"scenario": "@choice", "text": "hello"}, "text given for single item"),
        ({"scenario": "@text", "options": ["a"]}, "options given for free_text item"),
        ({"scenario": "@choice", "options": ["zz"]}, "has no option 'zz'"),
        ({"scenario": "@choice"}, "needs option ids"),
        ({"scenario": "@text", "text": "  "}, "needs a non-empty text"),
    ],
)
def test_bad_input_exits_2_naming_file_and_line_and_grades_nothing(
    runner, files, tmp_path, line, message
):
    single, written = _of_type(files, "single"), _of_type(files, "free_text")
    if isinstance(line, dict):
        ids = {"@choice": single.id, "@text": written.id}
        line = {**line, "scenario": ids.get(line["scenario"], line["scenario"])}
    good = {"scenario": single.id, "options": [single.options[0].id]}
    path = _jsonl(tmp_path, good, line, good)
    result = runner.invoke(args=["scenarios", "grade", "--jsonl", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:2: " in result.stderr and message in result.stderr
    assert f"{path}:1:" not in result.stderr and f"{path}:3:" not in result.stderr


def test_every_bad_line_is_reported_at_once(runner, files, tmp_path):
    path = _jsonl(tmp_path, "[]", {"scenario": "nope", "text": "x"}, "{")
    result = runner.invoke(args=["scenarios", "grade", "--jsonl", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert all(f"{path}:{n}: " in result.stderr for n in (1, 2, 3))
    assert "3 problem(s); nothing was graded." in result.stderr


def test_a_thousand_lines_load_each_scenario_once_and_grade_in_seconds(
    runner, app, files, tmp_path, monkeypatch
):
    svc.import_bank([default_bank_root()])
    loads: list[str] = []
    real = answer_grading.load_scenario
    monkeypatch.setattr(
        answer_grading, "load_scenario", lambda row: loads.append(row.scenario_key) or real(row)
    )
    ids = sorted(files.scenarios)
    lines = []
    for n in range(1000):
        s = files.scenarios[ids[n % len(ids)]]
        if s.type in ("single", "multi"):
            lines.append({"scenario": s.id, "options": [s.options[n % len(s.options)].id]})
        else:
            lines.append({"scenario": s.id, "text": f"Answer {n}: check the source and ask."})
    path = _jsonl(tmp_path, *lines)
    started = time.perf_counter()
    result = runner.invoke(args=["scenarios", "grade", "--jsonl", str(path)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1000
    assert sorted(loads) == ids  # each scenario loaded once
    assert elapsed < 10, f"{elapsed:.1f} s for 1,000 answers"


def test_the_command_needs_a_scenario_or_a_file(runner, tmp_path):
    assert runner.invoke(args=["scenarios", "grade"]).exit_code == 2
    path = _jsonl(tmp_path, {"scenario": "x", "text": "y"})
    both = runner.invoke(args=["scenarios", "grade", "x", "--jsonl", str(path)])
    assert both.exit_code == 2 and "--jsonl" in both.output


def test_grading_before_setup_uses_the_bundled_files_instead_of_failing(app, runner):
    from app.extensions import db

    db.session.remove()
    db.drop_all()
    try:
        result = runner.invoke(args=["scenarios", "grade", "night-shift-selfie", "--option", "a"])
        assert result.exit_code == 0, result.output
        assert "night-shift-selfie" in result.output
    finally:
        db.create_all()
