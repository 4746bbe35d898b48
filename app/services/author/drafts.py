"""The scenario and rubric editors: validate, save and discard drafts, load form data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

import quizzes
from app.extensions import db
from app.models import User
from app.models.authoring import ContentDraft
from app.services.audit import record
from app.services.author.content import (
    RUBRIC_FIELDS,
    SCENARIO_FIELDS,
    TYPE_KEYS,
    AuthoringError,
    FieldProblem,
    _now,
    attribute,
    compose,
    get_draft,
    latest_scenario_row,
    rubric_for_key,
    split_body,
)
from app.services.quiz.bank import data_to_yaml, latest_rubric_row, load_rubric, load_scenario
from quizzes import BankError, Rubric, Scenario

# --------------------------------------------------------------------------- scenario editor


def _clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for k in ("guidelines",):
        out[k] = [int(g) for g in out.get(k) or []]
    for k in ("risks", "criteria"):
        v = out.get(k) or []
        if isinstance(v, str):
            v = [p.strip() for p in re.split(r"[,\s]+", v) if p.strip()]
        out[k] = list(v)
    for k, v in list(out.items()):
        if isinstance(v, str):
            # A multi-line text ends with a newline, as a YAML block (`|`) does in the files.
            v = v.replace("\r\n", "\n").strip()
            out[k] = v + "\n" if "\n" in v else v
    return out


def validate_scenario(fields: Mapping[str, Any], body: str) -> Scenario:
    """The scenario the form describes, or AuthoringError with per-field problems."""
    data = _clean_fields(fields)
    composed = compose(data, SCENARIO_FIELDS, body)
    rubric: Rubric | None = None
    rid = data.get("rubric")
    problems: list[FieldProblem] = []
    if rid:
        try:
            rubric = rubric_for_key(rid)
        except BankError:
            rubric = None
        if rubric is None:
            problems.append(FieldProblem("rubric", f"rubric {rid!r} not found"))
    try:
        scenario = quizzes.loads_scenario(composed.text, file="scenario", rubric=rubric)
    except BankError as exc:
        raise AuthoringError(problems + attribute(exc.problems, composed, SCENARIO_FIELDS)) from exc
    if problems:
        raise AuthoringError(problems)
    return scenario


def validate_rubric(fields: Mapping[str, Any], body: str) -> Rubric:
    data = _clean_fields(fields)
    composed = compose(data, RUBRIC_FIELDS, body)
    try:
        return quizzes.loads_rubric(composed.text, file="rubric")
    except BankError as exc:
        raise AuthoringError(attribute(exc.problems, composed, RUBRIC_FIELDS)) from exc


def _plain(doc_yaml: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(doc_yaml)
    return data


def _save_draft(
    kind: str,
    key: str,
    title: str,
    data: dict[str, Any],
    base: int | None,
    actor: User,
    is_new: bool,
) -> ContentDraft:
    exists = (
        latest_scenario_row(key, include_archived=True)
        if kind == "scenario"
        else latest_rubric_row(key)
    )
    draft = get_draft(kind, key)
    if is_new and (exists is not None or draft is not None):
        raise AuthoringError([FieldProblem("id", f"a {kind} with id {key!r} already exists")])
    if draft is None:
        draft = ContentDraft(kind=kind, key=key, base_version=base)
        db.session.add(draft)
    draft.title = title
    draft.data = data
    draft.updated_by_id = actor.id
    draft.updated_at = _now()
    record(f"{kind}.draft_saved", actor=actor, subject=f"{kind}:{key}", base_version=base)
    db.session.flush()
    return draft


def save_scenario_draft(
    fields: Mapping[str, Any], body: str, actor: User, *, key: str | None = None
) -> ContentDraft:
    """Validate and save the scenario as the open draft of its key (created or updated)."""
    if key is not None:
        fields = {**fields, "id": key}
    scenario = validate_scenario(fields, body)
    latest = latest_scenario_row(scenario.id, include_archived=True)
    return _save_draft(
        "scenario",
        scenario.id,
        scenario.title,
        _plain(quizzes.dump_scenario(scenario)),
        latest.version if latest else None,
        actor,
        is_new=key is None,
    )


def save_rubric_draft(
    fields: Mapping[str, Any], body: str, actor: User, *, key: str | None = None
) -> ContentDraft:
    if key is not None:
        fields = {**fields, "id": key}
    rubric = validate_rubric(fields, body)
    latest = latest_rubric_row(rubric.id)
    return _save_draft(
        "rubric",
        rubric.id,
        rubric.title,
        _plain(quizzes.dump_rubric(rubric)),
        latest.version if latest else None,
        actor,
        is_new=key is None,
    )


def discard_draft(kind: str, key: str, actor: User) -> None:
    draft = get_draft(kind, key)
    if draft is None:
        raise AuthoringError("There is no draft to discard.")
    db.session.delete(draft)
    record(f"{kind}.draft_discarded", actor=actor, subject=f"{kind}:{key}")
    db.session.flush()


def scenario_form_data(key: str) -> tuple[dict[str, Any], str] | None:
    """(common fields, YAML part) of the open draft, else of the latest version."""
    draft = get_draft("scenario", key)
    if draft is not None:
        s = quizzes.loads_scenario(data_to_yaml(draft.data), file="draft")
    else:
        row = latest_scenario_row(key, include_archived=True)
        if row is None:
            return None
        s = load_scenario(row)
    fields = {
        "id": s.id,
        "title": s.title,
        "type": s.type,
        "rubric": s.rubric,
        "profession": s.profession,
        "platform": s.platform,
        "module": s.module,
        "guidelines": [str(g) for g in s.guidelines],
        "risks": list(s.risks),
        "situation": s.situation,
        "prompt": s.prompt,
        "debrief": s.debrief,
        "criteria": ", ".join(s.criteria),
    }
    return fields, split_body(quizzes.dump_scenario(s), TYPE_KEYS)


def rubric_form_data(key: str) -> tuple[dict[str, Any], str] | None:
    draft = get_draft("rubric", key)
    if draft is not None:
        r = quizzes.loads_rubric(data_to_yaml(draft.data), file="draft")
    else:
        row = latest_rubric_row(key)
        if row is None:
            return None
        r = load_rubric(row)
    fields = {"id": r.id, "title": r.title, "description": r.description}
    return fields, split_body(quizzes.dump_rubric(r), ("criteria",))
