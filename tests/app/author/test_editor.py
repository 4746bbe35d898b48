"""Scenario and rubric editor: field-level errors, drafts, publishing, versions, diff, archive."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from app.db_tx import transaction
from app.extensions import db
from app.models import AuditEvent
from app.models.authoring import ContentDraft
from app.models.quiz import AttemptAnswer, QuizDefinition, ScenarioVersion
from app.services import author as authoring
from app.services import quiz as svc
from tests.app.author.conftest import BANK
from tests.app.author.helpers import SINGLE_BODY, scenario_form


def _versions(key: str) -> list[ScenarioVersion]:
    return list(
        db.session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_key == key)
            .order_by(ScenarioVersion.version)
        )
    )


def test_a_yaml_problem_is_shown_at_the_yaml_field_with_its_line(client, bank, as_educator):
    body = SINGLE_BODY.replace(
        "levels: {confidentiality: breach, escalation: missed}", "levels: {confidentiality: breach}"
    )
    resp = client.post("/author/scenarios/new", data=scenario_form(body=body))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    # option b starts on line 6 of the YAML field; its levels are on line 9
    assert (
        "Line 9: option &#39;b&#39;: gives no level for assessed criterion &#39;escalation&#39;"
        in html
    )
    assert 'id="body-error"' in html
    assert db.session.scalar(select(ContentDraft)) is None


def test_a_common_field_problem_is_shown_at_that_field(client, bank, as_educator):
    resp = client.post("/author/scenarios/new", data=scenario_form(guidelines=["2", "7", "5"]))
    html = resp.get_data(as_text=True)
    assert 'id="guidelines-error"' in html
    assert "guideline 5 is not measured by any assessed criterion" in html


def test_an_unknown_criterion_points_at_the_criteria_field(bank, educator):
    with pytest.raises(authoring.AuthoringError) as exc:
        authoring.save_scenario_draft(
            scenario_form(criteria="confidentiality, escalaton"), SINGLE_BODY, educator
        )
    fields = {p.field for p in exc.value.problems}
    assert "criteria" in fields
    assert any("has no criterion 'escalaton'" in p.message for p in exc.value.problems)


def test_a_yaml_syntax_error_names_the_line_of_the_yaml_field(bank, educator):
    with pytest.raises(authoring.AuthoringError) as exc:
        authoring.save_scenario_draft(scenario_form(), "options:\n  - id: a\n   text: [", educator)
    (p,) = exc.value.problems
    assert p.field == "body" and p.line == 3 and "invalid YAML" in p.message


def test_a_rubric_problem_points_at_the_criteria_line(bank, educator):
    body = authoring.RUBRIC_STARTER.replace("points: 2", "points: 0")
    with pytest.raises(authoring.AuthoringError) as exc:
        authoring.save_rubric_draft({"id": "r1", "title": "R", "description": ""}, body, educator)
    (p,) = exc.value.problems
    assert p.field == "body" and p.line == 13  # "points: 2" of level met
    assert "points must increase strictly" in p.message


def test_saving_makes_a_draft_and_publishing_makes_version_one(client, bank, as_educator):
    resp = client.post("/author/scenarios/new", data=scenario_form())
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/scenarios/ward-tiktok")
    assert _versions("ward-tiktok") == []
    assert client.post("/author/scenarios/ward-tiktok/publish").status_code == 302
    (v1,) = _versions("ward-tiktok")
    assert (v1.version, v1.status, v1.rubric_version.rubric_key) == (
        1,
        "published",
        "patient-confidentiality",
    )
    assert db.session.scalar(select(ContentDraft)) is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"scenario.draft_saved", "scenario.published"} <= actions


def test_an_edit_is_a_draft_until_published_and_the_attempt_keeps_its_version(
    client, bank, as_educator, take
):
    attempt = take({"night-shift-selfie": ["a"]})
    (old,) = _versions("night-shift-selfie")
    old_data = dict(old.data)
    fields, body = authoring.scenario_form_data("night-shift-selfie")
    fields["title"] = "The 3 a.m. team photo"
    resp = client.post("/author/scenarios/night-shift-selfie/edit", data={**fields, "body": body})
    assert resp.status_code == 302
    assert [v.version for v in _versions("night-shift-selfie")] == [1]  # still only v1
    client.post("/author/scenarios/night-shift-selfie/publish")
    v1, v2 = _versions("night-shift-selfie")
    assert (v2.version, v2.title) == (2, "The 3 a.m. team photo")
    assert v1.data == old_data and v1.title == "The 3 a.m. team selfie"
    assert old.id in attempt.scenario_version_ids
    assert v2.id not in attempt.scenario_version_ids
    qd = db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == "quiz-04-risks"))
    assert svc.latest_scenario("night-shift-selfie").id == v2.id  # new attempts get v2
    assert "night-shift-selfie" in qd.scenario_keys


def test_publishing_an_unchanged_draft_is_refused(bank, educator):
    fields, body = authoring.scenario_form_data("night-shift-selfie")
    authoring.save_scenario_draft(fields, body, educator, key="night-shift-selfie")
    with pytest.raises(authoring.AuthoringError, match="same as version 1"):
        authoring.publish_scenario("night-shift-selfie", educator)


def test_a_new_scenario_id_that_exists_is_refused(bank, educator):
    with pytest.raises(authoring.AuthoringError) as exc:
        authoring.save_scenario_draft(scenario_form(id="night-shift-selfie"), SINGLE_BODY, educator)
    assert exc.value.problems[0].field == "id"


def test_the_diff_marks_added_and_removed_lines_with_text_not_only_colour(
    client, bank, as_educator
):
    fields, body = authoring.scenario_form_data("night-shift-selfie")
    fields["prompt"] = "What do you do now?"
    client.post("/author/scenarios/night-shift-selfie/edit", data={**fields, "body": body})
    html = client.get("/author/scenarios/night-shift-selfie/diff?a=1&b=draft").get_data(
        as_text=True
    )
    assert "1 line removed" in html and "1 line added" in html
    assert '<span class="visually-hidden">removed</span>' in html
    assert "<code>prompt: What do you do first?</code>" in html
    assert "<code>prompt: What do you do now?</code>" in html


def test_diff_lines_number_old_and_new_lines():
    lines = authoring.diff_lines("a\nb\nc\n", "a\nB\nc\nd\n")
    ops = [(x.op, x.old_no, x.new_no, x.text) for x in lines if x]
    assert ops == [
        (" ", 1, 1, "a"),
        ("-", 2, None, "b"),
        ("+", None, 2, "B"),
        (" ", 3, 3, "c"),
        ("+", None, 4, "d"),
    ]


def test_archiving_keeps_versions_and_drops_the_scenario_from_quizzes(client, bank, as_educator):
    qd = db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == "quiz-04-risks"))
    before = qd.version
    assert client.post("/author/scenarios/selfie-cleanup/archive").status_code == 302
    db.session.refresh(qd)
    assert "selfie-cleanup" not in qd.scenario_keys and qd.version == before + 1
    assert [v.status for v in _versions("selfie-cleanup")] == ["archived"]
    assert "selfie-cleanup" not in {r.scenario_key for r in svc.latest_scenarios()}
    client.post("/author/scenarios/selfie-cleanup/archive", data={"restore": "1"})
    assert [v.status for v in _versions("selfie-cleanup")] == ["published"]


def test_a_rubric_edit_publishes_a_new_version_and_repins_its_scenarios(bank, educator):
    fields, body = authoring.rubric_form_data("patient-confidentiality")
    fields["title"] = "Protecting patient privacy"
    authoring.save_rubric_draft(fields, body, educator, key="patient-confidentiality")
    rv = authoring.publish_rubric("patient-confidentiality", educator)
    assert rv.version == 2
    latest = {r.scenario_key: r for r in svc.latest_scenarios()}
    assert all(r.rubric_version_id == rv.id for r in latest.values())
    assert latest["night-shift-selfie"].version == 2


def test_a_rubric_edit_that_breaks_a_scenario_is_refused(bank, educator):
    fields, body = authoring.rubric_form_data("patient-confidentiality")
    body = body.replace("- id: partial", "- id: half")
    authoring.save_rubric_draft(fields, body, educator, key="patient-confidentiality")
    with pytest.raises(authoring.AuthoringError) as exc, transaction():
        authoring.publish_rubric("patient-confidentiality", educator)
    assert any("night-shift-selfie" in p.message for p in exc.value.problems)
    assert svc.latest_rubric_row("patient-confidentiality").version == 1


def test_the_preview_grades_a_tried_answer_and_stores_nothing(client, bank, as_educator):
    page = client.get("/author/scenarios/night-shift-selfie/preview/1").get_data(as_text=True)
    assert "What do you do first?" in page
    assert "Right: stop the exposure first" not in page  # feedback hidden before answering
    resp = client.post("/author/scenarios/night-shift-selfie/preview/1", data={"choice": "b"})
    html = resp.get_data(as_text=True)
    assert "Grade: 0%" in html
    assert "Critical criterion at its lowest level: confidentiality" in html
    assert "Boards are often readable when zoomed" in html
    assert db.session.scalar(select(db.func.count()).select_from(AttemptAnswer)) == 0


def test_the_preview_of_a_written_answer_shows_the_evidence(client, bank, as_educator):
    text = "Please delete the story now, and I will tell the privacy officer about it."
    html = client.post("/author/scenarios/selfie-advice/preview/1", data={"text": text}).get_data(
        as_text=True
    )
    assert "Grade: 100%" in html
    assert "“delete the story”" in html and "“privacy officer”" in html


def test_importing_an_archived_scenario_again_publishes_the_next_version(bank, educator, tmp_path):
    authoring.set_archived("selfie-cleanup", True, educator)
    copy = tmp_path / "bank"
    shutil.copytree(BANK, copy)
    target = copy / "scenarios" / "selfie-cleanup.yaml"
    target.write_text(target.read_text().replace("title:", "title: Revised —", 1))
    report = svc.import_bank([copy])
    assert report.changed
    assert [(v.version, v.status) for v in _versions("selfie-cleanup")] == [
        (1, "archived"),
        (2, "published"),
    ]
