from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from quizzes import (
    BankError,
    check,
    dump_quizzes,
    dump_rubric,
    dump_scenario,
    load_bank,
    loads_quizzes,
    loads_rubric,
    loads_scenario,
    rubric_fingerprint,
    scenario_fingerprint,
)

from .conftest import FIXTURE_BANK, edit, line_of

ROOT = Path(__file__).resolve().parents[2]


def problems_of(root: Path) -> list[str]:
    with pytest.raises(BankError) as exc:
        load_bank(root)
    assert str(exc.value) == "\n".join(str(p) for p in exc.value.problems)
    return [str(p) for p in exc.value.problems]


def rubric_file(root: Path) -> Path:
    return root / "rubrics" / "patient-confidentiality.yaml"


def scenario_file(root: Path, sid: str) -> Path:
    return root / "scenarios" / f"{sid}.yaml"


def test_fixture_bank_loads_and_checks_clean(bank):
    assert sorted(bank.scenarios) == [
        "night-shift-selfie",
        "selfie-cleanup",
        "selfie-reply",
        "thank-you-post",
    ]
    assert bank.quizzes["quiz-04-risks"].attempts.cooldown_hours == 24
    assert check([FIXTURE_BANK]) == []


# ----------------------------------------------------------------------------- errors


def test_yaml_syntax_error_names_the_line(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, 'prompt: "What do you do first?"', "prompt: [unclosed")
    line = line_of(f, "prompt: [unclosed")
    (p,) = [x for x in problems_of(bank_copy) if x.startswith(str(f))]
    assert p.startswith(f"{f}:{line + 1}: invalid YAML") or p.startswith(
        f"{f}:{line}: invalid YAML"
    )


def test_duplicate_key_is_reported_at_the_second_key(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "platform: Instagram\n", "platform: Instagram\nplatform: TikTok\n")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'platform: TikTok')}: duplicate key 'platform'"
    ]


def test_unknown_field_is_reported_with_a_suggestion(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "prompt:", "promt:")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'promt:')}: scenario: unknown field 'promt' (did you mean 'prompt'?)",
        f"{f}:1: scenario: missing required field 'prompt'",
    ]


def test_a_blank_title_is_rejected(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, 'title: "The 3 a.m. team selfie"', 'title: "  "')
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'title:')}: scenario: 'title' must be text (not blank), got '  '"
    ]


def test_field_of_another_type_is_reported(bank_copy):
    f = scenario_file(bank_copy, "selfie-reply")
    edit(f, "min_words: 3\n", "min_words: 3\nmapping: {}\n")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'mapping:')}: scenario: field 'mapping' is not used by type 'free_text'"
    ]


def test_unknown_rubric_is_reported_at_the_rubric_line(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "rubric: patient-confidentiality", "rubric: patient-privacy")
    probs = problems_of(bank_copy)
    assert probs[0] == (
        f"{f}:{line_of(f, 'rubric:')}: scenario: rubric 'patient-privacy' not found "
        "(rubrics: patient-confidentiality)"
    )
    # the quiz does not pile on: the broken scenario is simply skipped
    assert all(str(bank_copy / "quizzes.yaml") not in p for p in probs)


def test_unknown_level_id_in_option_is_reported(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "levels: {confidentiality: partial", "levels: {confidentiality: halfway")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'halfway')}: option 'c': criterion 'confidentiality' has no level "
        "'halfway' (levels: breach, partial, met)"
    ]


def test_option_must_map_every_assessed_criterion(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(
        f,
        "levels: {confidentiality: partial, escalation: missed}",
        "levels: {confidentiality: partial}",
    )
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'levels: {confidentiality: partial}')}: option 'c': gives no level for "
        "assessed criterion 'escalation'"
    ]


def test_scenario_guidelines_must_be_measured_by_its_criteria(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "guidelines: [2, 1]", "guidelines: [2, 1,\n  5]")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, '  5]')}: scenario: guideline 5 is not measured by any assessed "
        "criterion (they measure 1, 2, 7)"
    ]


def test_scenario_criterion_must_exist_in_the_rubric(bank_copy):
    f = scenario_file(bank_copy, "selfie-reply")
    edit(f, "criteria: [confidentiality, escalation]", "criteria:\n  - confidentiality\n  - tone")
    probs = problems_of(bank_copy)
    assert probs[0] == (
        f"{f}:{line_of(f, '  - tone')}: scenario: rubric 'patient-confidentiality' has no "
        "criterion 'tone' (criteria: confidentiality, escalation)"
    )


def test_quiz_scenario_ids_must_exist(bank_copy):
    f = bank_copy / "quizzes.yaml"
    edit(f, "scenarios: [night-shift-selfie,", "scenarios: [night-shift-selfy,\n      ")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'night-shift-selfy')}: quiz 'quiz-04-risks': scenario "
        "'night-shift-selfy' not found"
    ]


def test_duplicate_ids_are_reported(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "  - id: c\n", "  - id: b\n")
    r = rubric_file(bank_copy)
    edit(r, "  - id: escalation", "  - id: confidentiality")
    q = bank_copy / "quizzes.yaml"
    q.write_text(q.read_text() + q.read_text().replace("quizzes:\n", ""))
    probs = problems_of(bank_copy)
    assert (
        f"{r}:{line_of(r, '- id: confidentiality', 2)}: rubric: duplicate criterion id 'confidentiality'"
        in probs
    )
    assert f"{f}:{line_of(f, '- id: b', 2)}: scenario: duplicate option id 'b'" in probs
    assert (
        f"{q}:{line_of(q, 'id: quiz-04-risks', 2)}: quizzes.yaml: duplicate quiz id 'quiz-04-risks'"
        in probs
    )


def test_duplicate_level_ids_and_bad_points_are_reported(bank_copy):
    r = rubric_file(bank_copy)
    edit(r, "      - id: partial\n        points: 1", "      - id: breach\n        points: 1")
    edit(r, "      - id: met\n        points: 1", "      - id: met\n        points: 0")
    edit(r, "      - id: missed\n        points: 0", "      - id: missed\n        points: 1")
    probs = problems_of(bank_copy)
    assert probs == [
        f"{r}:{line_of(r, '- id: breach', 2)}: criterion 'confidentiality': duplicate level id 'breach'",
        f"{r}:{line_of(r, 'points: 1', 2)}: criterion 'escalation': the first (lowest) level must have 0 points",
        f"{r}:{line_of(r, 'points: 0', 2)}: criterion 'escalation': level points must increase strictly "
        "from lowest to highest ('missed' has 1, 'met' has 0)",
    ]


def test_invalid_values_name_the_field_and_the_value(bank_copy):
    r = rubric_file(bank_copy)
    edit(r, "weight: 3", "weight: -3")
    edit(r, "guidelines: [7]", "guidelines: [8]")
    assert problems_of(bank_copy) == [
        f"{r}:{line_of(r, 'weight: -3')}: criterion 'confidentiality': 'weight' must be a number > 0, got -3",
        f"{r}:{line_of(r, 'guidelines: [8]')}: criterion 'escalation': 'guidelines' item must be a guideline number 1..7, got 8",
    ]


def test_file_name_must_match_the_id(bank_copy):
    f = scenario_file(bank_copy, "selfie-reply")
    f.rename(f.with_name("selfie-answer.yaml"))
    g = f.with_name("selfie-answer.yaml")
    probs = problems_of(bank_copy)
    assert (
        probs[0]
        == f"{g}:1: scenario id 'selfie-reply' must match the file name 'selfie-answer.yaml'"
    )


def test_multi_rule_option_ids_must_exist(bank_copy):
    f = scenario_file(bank_copy, "selfie-cleanup")
    edit(f, "- when: {any: [c]}", "- when: {any: [c, z]}")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'any: [c, z]')}: mapping for 'confidentiality': 'when.any' names unknown "
        "option 'z' (options: a, b, c, d)"
    ]


def test_multi_last_rule_must_be_the_default(bank_copy):
    f = scenario_file(bank_copy, "selfie-cleanup")
    edit(f, "    - level: missed", "    - when: {none: [b]}\n      level: missed")
    edit(
        f,
        "    - level: partial",
        "    - level: partial\n    - when: {all: [d]}\n      level: breach",
    )
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, '- level: partial')}: mapping for 'confidentiality': only the last rule may "
        "omit 'when' (rules after the default can never apply)",
        f"{f}:{line_of(f, 'when: {all: [d]}')}: mapping for 'confidentiality': the last rule must be the "
        "default (no 'when')",
        f"{f}:{line_of(f, 'when: {none: [b]}')}: mapping for 'escalation': the last rule must be the "
        "default (no 'when')",
    ]


def test_multi_mapping_must_cover_every_assessed_criterion(bank_copy):
    f = scenario_file(bank_copy, "selfie-cleanup")
    text = f.read_text()
    f.write_text(text[: text.index("  escalation:")])
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'confidentiality:')}: mapping: no rules for assessed criterion 'escalation'"
    ]


def test_concept_rules_are_checked(bank_copy):
    f = scenario_file(bank_copy, "selfie-reply")
    edit(f, '"delete it"]', '"de*lete it"]')
    edit(f, "    - level: missed", "    - level: missed\n    - level: met\n      phrases: [report]")
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'de*lete')}: concepts for 'confidentiality' rule 1 'phrases': phrase "
        "'de*lete it': '*' may only end a word (as in 'remov*')",
        f"{f}:{line_of(f, '- level: met', 3)}: concepts for 'escalation': this rule comes after the "
        "default rule (no phrases), so it can never apply",
    ]


def test_post_draft_privacy_levels_must_name_levels_of_the_privacy_criterion(bank_copy):
    f = scenario_file(bank_copy, "thank-you-post")
    edit(
        f,
        "privacy_levels: {none: met, low: met, medium: partial, high: breach}",
        "privacy_levels:\n  none: met\n  low: fine\n  medium: partial\n  high: breach",
    )
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'low: fine')}: scenario: criterion 'confidentiality' has no level 'fine' "
        "(levels: breach, partial, met)",
    ]


def test_post_draft_privacy_levels_must_give_a_level_for_every_risk(bank_copy):
    f = scenario_file(bank_copy, "thank-you-post")
    edit(
        f,
        "privacy_levels: {none: met, low: met, medium: partial, high: breach}",
        "privacy_levels:\n  none: met\n  low: fine\n  medium: partial",
    )
    # a structural problem: the cross-reference ('fine' is no level) waits until it is fixed
    assert problems_of(bank_copy) == [
        f"{f}:{line_of(f, 'none: met')}: scenario: privacy_levels gives no level for risk 'high'",
    ]


def test_module_quiz_may_only_use_its_own_scenarios(bank_copy):
    f = scenario_file(bank_copy, "selfie-reply")
    edit(f, "module: 04-risks", "module: 02-benefits")
    q = bank_copy / "quizzes.yaml"
    assert problems_of(bank_copy) == [
        f"{q}:{line_of(q, 'scenarios:')}: quiz 'quiz-04-risks': scenario 'selfie-reply' belongs to "
        "module '02-benefits', not '04-risks'"
    ]


def test_final_assessment_must_cover_all_seven_guidelines(bank_copy):
    q = bank_copy / "quizzes.yaml"
    edit(q, "    module: 04-risks", "    final: true")
    assert problems_of(bank_copy) == [
        f"{q}:2: quiz 'quiz-04-risks': the final assessment must cover all seven guidelines; "
        "missing 3, 4, 5, 6"
    ]


def test_quiz_needs_exactly_one_of_module_or_final(bank_copy):
    q = bank_copy / "quizzes.yaml"
    edit(q, "    module: 04-risks", "    module: 04-risks\n    final: true")
    edit(q, "pass_mark: 0.8", "pass_mark: 80")
    assert problems_of(bank_copy) == [
        f"{q}:2: quiz 'quiz-04-risks': give either 'module' or 'final: true' (exactly one)",
        f"{q}:{line_of(q, 'pass_mark')}: quiz 'quiz-04-risks': 'pass_mark' must be a fraction between "
        "0 and 1, got 80",
    ]


def test_empty_file_and_yml_extension_are_reported(bank_copy):
    f = scenario_file(bank_copy, "selfie-reply")
    f.write_text("")
    y = bank_copy / "rubrics" / "extra.yml"
    y.write_text("id: extra\n")
    assert problems_of(bank_copy) == [
        f"{y}:1: bank files must end in .yaml",
        f"{f}:1: file is empty",
    ]


def test_check_a_single_file_reports_only_that_file_but_cross_checks_it(bank_copy):
    f = scenario_file(bank_copy, "night-shift-selfie")
    edit(f, "levels: {confidentiality: partial", "levels: {confidentiality: halfway")
    other = scenario_file(bank_copy, "selfie-reply")
    edit(other, "profession: nurse", "profession: surgeon")
    probs = check([f])
    assert [str(p) for p in probs] == [
        f"{f}:{line_of(f, 'halfway')}: option 'c': criterion 'confidentiality' has no level "
        "'halfway' (levels: breach, partial, met)"
    ]
    assert len(check([bank_copy])) == 2
    assert len(check([bank_copy / "scenarios"])) == 2
    assert check([bank_copy / "rubrics"]) == []


def test_check_a_loose_file_outside_a_bank(tmp_path):
    f = tmp_path / "night-shift-selfie.yaml"
    f.write_text((FIXTURE_BANK / "scenarios" / "night-shift-selfie.yaml").read_text())
    assert check([f]) == []
    edit(f, "type: single", "type: poll")
    assert [str(p) for p in check([tmp_path])] == [
        f"{f}:{line_of(f, 'type: poll')}: scenario: 'type' must be one of single, multi, free_text, "
        "post_draft, got 'poll'"
    ]
    assert [str(p) for p in check([tmp_path / "missing.yaml"])] == [
        f"{tmp_path / 'missing.yaml'}:1: no such file or folder"
    ]


def test_cli_check_exits_1_on_problems_and_0_when_clean(bank_copy):
    cmd = [sys.executable, "-m", "quizzes", "check"]
    ok = subprocess.run([*cmd, str(bank_copy)], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    f = scenario_file(bank_copy, "selfie-reply")
    edit(f, "profession: nurse", "profession: surgeon")
    bad = subprocess.run([*cmd, str(bank_copy)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert f"{f}:{line_of(f, 'surgeon')}: scenario: 'profession' must be one of" in bad.stderr


def test_cli_list_json_and_schema(tmp_path):
    import json

    out = subprocess.run(
        [sys.executable, "-m", "quizzes", "list", "--json", "--root", str(FIXTURE_BANK)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rows = json.loads(out.stdout)
    assert rows[0] == {
        "id": "night-shift-selfie",
        "title": "The 3 a.m. team selfie",
        "type": "single",
        "guidelines": [2, 1],
        "risks": ["privacy"],
        "rubric": "patient-confidentiality",
        "version": 1,
        "module": "04-risks",
    }
    schema = subprocess.run(
        [sys.executable, "-m", "quizzes", "schema"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert set(json.loads(schema.stdout)) == {"rubric", "scenario", "quizzes"}


# ----------------------------------------------------------------------------- dump / load


def test_dump_then_load_gives_back_the_same_objects(bank):
    for rubric in bank.rubrics.values():
        assert loads_rubric(dump_rubric(rubric)) == rubric
    for s in bank.scenarios.values():
        assert loads_scenario(dump_scenario(s), rubric=bank.rubric_for(s)) == s
    quizzes = tuple(bank.quizzes.values())
    assert loads_quizzes(dump_quizzes(quizzes), scenarios=bank.scenarios) == quizzes


def test_dump_round_trips_awkward_text(bank):
    s = bank.scenarios["night-shift-selfie"]
    tricky = dataclasses.replace(
        s,
        title="yes: 'quoted' \"double\" # not a comment",
        situation="Line one  \n\n  indented line with trailing space \nünïcödé ✓\n",
        prompt="123",
        debrief="no trailing newline",
    )
    assert loads_scenario(dump_scenario(tricky), rubric=bank.rubric_for(s)) == tricky


def test_fingerprint_ignores_version_but_tracks_content(bank):
    s = bank.scenarios["selfie-reply"]
    fp = scenario_fingerprint(s)
    assert fp == scenario_fingerprint(loads_scenario(dump_scenario(s)))
    assert scenario_fingerprint(dataclasses.replace(s, version=7)) == fp
    assert scenario_fingerprint(dataclasses.replace(s, prompt="Something else?")) != fp
    assert len(fp) == 64
    r = bank.rubric_for(s)
    assert rubric_fingerprint(dataclasses.replace(r, version=3)) == rubric_fingerprint(r)
    assert rubric_fingerprint(dataclasses.replace(r, title="New")) != rubric_fingerprint(r)
