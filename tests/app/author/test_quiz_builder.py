"""The quiz builder: scenarios, order, pass mark, attempt policy; edits bump the version."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.quiz import QuizDefinition
from app.services import author as authoring


def _quiz(key: str = "quiz-04-risks") -> QuizDefinition | None:
    return db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == key))


def _form(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Module 4 quiz: Risks",
        "module": "04-risks",
        "scenarios": "selfie-advice\nnight-shift-selfie",
        "order": "random",
        "pass_mark": "0.7",
        "max_attempts": "2",
        "cooldown_hours": "12",
        "keep": "latest",
        "review": "all",
    }
    data.update(kw)
    return data


def test_an_edit_saves_every_setting_and_bumps_the_version(client, bank, as_educator):
    before = _quiz().version
    resp = client.post("/author/quizzes/quiz-04-risks", data=_form())
    assert resp.status_code == 302
    qd = _quiz()
    assert qd.version == before + 1
    assert qd.scenario_keys == ["selfie-advice", "night-shift-selfie"]
    assert (qd.order, qd.pass_mark, qd.max_attempts, qd.cooldown_hours, qd.keep, qd.review) == (
        "random",
        0.7,
        2,
        12.0,
        "latest",
        "all",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.updated"))
    assert event.actor_id == as_educator.id and "pass_mark" in event.detail["changes"]


def test_a_scenario_of_another_module_is_refused_at_the_scenarios_field(
    client, bank, as_educator, educator
):
    authoring.save_scenario_draft(
        {**_scenario_fields(), "module": "02-benefits"}, _body(), educator
    )
    authoring.publish_scenario("ward-tiktok", educator)
    html = client.post(
        "/author/quizzes/quiz-04-risks", data=_form(scenarios="ward-tiktok")
    ).get_data(as_text=True)
    assert 'id="scenarios-error"' in html
    assert "belongs to module &#39;02-benefits&#39;, not &#39;04-risks&#39;" in html
    assert _quiz().version == 1


def test_unknown_or_archived_scenarios_are_refused(client, bank, as_educator):
    client.post("/author/scenarios/selfie-cleanup/archive")
    html = client.post(
        "/author/quizzes/quiz-04-risks", data=_form(scenarios="selfie-cleanup\nnope")
    ).get_data(as_text=True)
    assert "scenario &#39;selfie-cleanup&#39; is not published (or is archived)" in html
    assert "scenario &#39;nope&#39; is not published" in html


def test_the_final_assessment_must_cover_all_seven_guidelines(client, bank, as_educator):
    html = client.post(
        "/author/quizzes/new",
        data=_form(quiz_key="final", module="final", scenarios="night-shift-selfie"),
    ).get_data(as_text=True)
    assert "must cover all seven guidelines; missing 3, 4, 5, 6" in html
    assert _quiz("final") is None


def test_a_new_module_quiz_is_created_at_version_one(client, bank, as_educator):
    resp = client.post(
        "/author/quizzes/new", data=_form(quiz_key="quiz-04-extra", title="Extra practice")
    )
    assert resp.status_code == 302
    qd = _quiz("quiz-04-extra")
    assert (qd.version, qd.module_slug, qd.is_final) == (1, "04-risks", False)


def _scenario_fields() -> dict[str, object]:
    from tests.app.author.helpers import scenario_form

    data = scenario_form()
    data.pop("body")
    return data


def _body() -> str:
    from tests.app.author.helpers import SINGLE_BODY

    return SINGLE_BODY
