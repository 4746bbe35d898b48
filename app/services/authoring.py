"""Authoring in the browser: drafts, publishing, diffs, archive, quiz builder, import/export.

The editor sends the common fields of a scenario (or rubric) as form fields and the
type-specific part as YAML. We compose one YAML document from both, with every common field on
one known line, validate it with the engine (`quizzes.loads_scenario` / `loads_rubric`) and map
each `FILE:LINE: message` back to the form field it concerns (and, for the YAML part, the line
within that textarea). Publishing hands out the next version number and freezes the content;
drafts live in `ContentDraft` until then.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from sqlalchemy import func, select

import quizzes
import vocab
from app.extensions import db
from app.models import Role, User
from app.models.authoring import ContentDraft
from app.models.quiz import QuizDefinition, RubricVersion, ScenarioVersion
from app.services import quizzes as bank_service
from app.services.accounts import find_user_by_email
from app.services.audit import record
from app.services.quizzes import data_to_yaml, latest_rubric_row
from quizzes import BankError, Problem, Rubric, Scenario
from quizzes.bank import COMMON_FIELDS
from quizzes.model import GUIDELINES, MODULES, SCENARIO_TYPES

# The bank's common scenario fields, less `version` (the database assigns versions).
SCENARIO_FIELDS = tuple(f for f in COMMON_FIELDS if f != "version")
RUBRIC_FIELDS = ("id", "title", "description")
TYPE_KEYS = ("options", "mapping", "min_words", "concepts", "privacy_criterion", "privacy_levels")
BODY = "body"  # the form field holding the YAML part
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")

UPLOAD_MAX_BYTES = 2 * 1024 * 1024
UNZIPPED_MAX_BYTES = 8 * 1024 * 1024
UPLOAD_MAX_FILES = 500


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A validation problem placed on a form field (and a line of the YAML field)."""

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


class AuthoringError(Exception):
    """The change was refused; `problems` say which field (and line) and why."""

    def __init__(self, problems: Iterable[FieldProblem] | str) -> None:
        if isinstance(problems, str):
            problems = [FieldProblem("", problems)]
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class UploadError(Exception):
    """An upload was refused before any file was read (size, type, unsafe zip)."""


def _now(now: datetime | None = None) -> datetime:
    return now or datetime.now(UTC)


def _one_line(key: str, value: Any) -> str:
    """`key: value` on exactly one line: JSON is valid YAML flow, and escapes newlines."""
    text = json.dumps(value, ensure_ascii=False)
    for ch in ("\x85", "\u2028", "\u2029"):  # YAML line breaks that JSON leaves raw
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return f"{key}: {text}"


# --------------------------------------------------------------------------- composing


@dataclass(frozen=True, slots=True)
class Composed:
    text: str
    line_fields: dict[int, str]
    body_start: int  # document line of the first body line


def compose(fields: Mapping[str, Any], order: Sequence[str], body: str) -> Composed:
    """One YAML document: each common field on its own line, then the YAML part verbatim."""
    lines: list[str] = []
    line_fields: dict[int, str] = {}
    for name in order:
        lines.append(_one_line(name, fields.get(name)))
        line_fields[len(lines)] = name
    lines.append("version: 1")
    line_fields[len(lines)] = "id"
    body_start = len(lines) + 1
    text = "\n".join(lines) + "\n" + (body or "").replace("\r\n", "\n")
    return Composed(text, line_fields, body_start)


_FIELD_IN_MESSAGE = re.compile(r"field '([a-z_]+)'")


def attribute(
    problems: Iterable[Problem], composed: Composed, order: Sequence[str]
) -> list[FieldProblem]:
    """Map engine problems (document lines) to form fields and body lines."""
    out: list[FieldProblem] = []
    for p in problems:
        msg = p.message
        if p.line >= composed.body_start:
            out.append(FieldProblem(BODY, msg, p.line - composed.body_start + 1))
            continue
        named = _FIELD_IN_MESSAGE.search(msg)
        if named and ("missing required" in msg or "not used by type" in msg):
            name = named.group(1)
            out.append(FieldProblem(name if name in order else BODY, msg, None))
            continue
        out.append(FieldProblem(composed.line_fields.get(p.line, BODY), msg, None))
    return out


def split_body(full_yaml: str, first_keys: Sequence[str]) -> str:
    """The part of a dumped document from the first top-level key in `first_keys` on."""
    lines = full_yaml.splitlines(keepends=True)
    pattern = re.compile("^(" + "|".join(map(re.escape, first_keys)) + "):")
    for i, line in enumerate(lines):
        if pattern.match(line):
            return "".join(lines[i:])
    return ""


# --------------------------------------------------------------------------- starters

STARTERS: dict[str, str] = {
    "single": """\
# One option per answer. 'levels' gives a level id for EVERY criterion in 'criteria'.
options:
  - id: a
    text: "The best thing to do."
    feedback: "Why this is right."
    levels: {CRITERION: HIGHEST-LEVEL}
  - id: b
    text: "A common mistake."
    feedback: "Why this is wrong."
    levels: {CRITERION: LOWEST-LEVEL}
""",
    "multi": """\
# Options say correct: true|false; 'mapping' gives ordered rules per criterion.
options:
  - id: a
    text: "Something that should happen."
    feedback: "Why."
    correct: true
  - id: b
    text: "Something that should not."
    feedback: "Why not."
    correct: false
mapping:
  CRITERION:
    - when: {any: [b]}
      level: LOWEST-LEVEL
    - when: {all: [a]}
      level: HIGHEST-LEVEL
    - level: LOWEST-LEVEL
""",
    "free_text": """\
min_words: 8
concepts:
  CRITERION:
    - level: HIGHEST-LEVEL
      phrases: ["a phrase a good answer uses", "another way to say it"]
    - level: LOWEST-LEVEL
""",
    "post_draft": """\
min_words: 10
privacy_criterion: CRITERION
privacy_levels: {none: HIGHEST-LEVEL, low: HIGHEST-LEVEL, medium: LOWEST-LEVEL, high: LOWEST-LEVEL}
concepts:
  OTHER-CRITERION:
    - level: LOWEST-LEVEL
      phrases: ["a phrase a poor post uses"]
    - level: HIGHEST-LEVEL
""",
}
RUBRIC_STARTER = """\
criteria:
  - id: confidentiality
    title: "Keeps patient information private"
    guidelines: [2, 1]
    weight: 3
    critical: true
    levels:
      - id: breach
        points: 0
        descriptor: "What the lowest level looks like."
        feedback: "What the learner reads at this level; name the guideline."
      - id: met
        points: 2
        descriptor: "What the highest level looks like."
        feedback: "What the learner reads at this level."
"""


# --------------------------------------------------------------------------- rows


def _max_version(model: Any, key_col: Any, key: str) -> int:
    return db.session.scalar(select(func.max(model.version)).where(key_col == key)) or 0


def latest_scenario_row(key: str, *, include_archived: bool = False) -> ScenarioVersion | None:
    statuses = ("published", "archived") if include_archived else ("published",)
    return db.session.scalar(
        select(ScenarioVersion)
        .where(ScenarioVersion.scenario_key == key, ScenarioVersion.status.in_(statuses))
        .order_by(ScenarioVersion.version.desc())
        .limit(1)
    )


def get_draft(kind: str, key: str) -> ContentDraft | None:
    return db.session.scalar(
        select(ContentDraft).where(ContentDraft.kind == kind, ContentDraft.key == key)
    )


def rubric_for_key(key: str) -> Rubric | None:
    """The rubric a scenario draft is checked against: latest published, else its draft."""
    row = latest_rubric_row(key)
    if row is not None:
        return bank_service.load_rubric(row)
    draft = get_draft("rubric", key)
    if draft is not None:
        return quizzes.loads_rubric(data_to_yaml(draft.data), file=f"draft rubric {key}")
    return None


def rubric_keys() -> list[str]:
    keys = set(db.session.scalars(select(RubricVersion.rubric_key).distinct()))
    keys |= set(db.session.scalars(select(ContentDraft.key).where(ContentDraft.kind == "rubric")))
    return sorted(keys)


@dataclass(frozen=True, slots=True)
class ContentSummary:
    key: str
    title: str
    type: str | None
    module: str | None
    latest_version: int | None
    status: str  # published | archived | draft only
    has_draft: bool


def scenario_summaries() -> list[ContentSummary]:
    """Every scenario key: its latest version, status and whether a draft is open."""
    rows = list(
        db.session.scalars(
            select(ScenarioVersion).order_by(ScenarioVersion.scenario_key, ScenarioVersion.version)
        )
    )
    latest: dict[str, ScenarioVersion] = {}
    for r in rows:
        if r.status in ("published", "archived"):
            latest[r.scenario_key] = r
    drafts = {
        d.key: d
        for d in db.session.scalars(select(ContentDraft).where(ContentDraft.kind == "scenario"))
    }
    out = []
    for key in sorted(set(latest) | set(drafts)):
        row, draft = latest.get(key), drafts.get(key)
        out.append(
            ContentSummary(
                key=key,
                title=(draft.title if draft else row.title),  # type: ignore[union-attr]
                type=(draft.data.get("type") if draft else row.type),  # type: ignore[union-attr]
                module=(draft.data.get("module") if draft else row.module_slug),  # type: ignore[union-attr]
                latest_version=row.version if row else None,
                status=row.status if row else "draft only",
                has_draft=draft is not None,
            )
        )
    return out


def rubric_summaries() -> list[ContentSummary]:
    rows = list(
        db.session.scalars(
            select(RubricVersion).order_by(RubricVersion.rubric_key, RubricVersion.version)
        )
    )
    latest: dict[str, RubricVersion] = {r.rubric_key: r for r in rows if r.status == "published"}
    drafts = {
        d.key: d
        for d in db.session.scalars(select(ContentDraft).where(ContentDraft.kind == "rubric"))
    }
    out = []
    for key in sorted(set(latest) | set(drafts)):
        row, draft = latest.get(key), drafts.get(key)
        title = draft.title if draft else str(row.data.get("title", key))  # type: ignore[union-attr]
        out.append(
            ContentSummary(
                key,
                title,
                None,
                None,
                row.version if row else None,
                "published" if row else "draft only",
                draft is not None,
            )
        )
    return out


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
    return yaml.safe_load(doc_yaml)


def _save_draft(
    kind: str,
    key: str,
    title: str,
    data: dict[str, Any],
    base: int | None,
    actor: User,
    is_new: bool,
) -> ContentDraft:
    try:
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
        db.session.commit()
        return draft
    except Exception:
        db.session.rollback()
        raise


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
    try:
        draft = get_draft(kind, key)
        if draft is None:
            raise AuthoringError("There is no draft to discard.")
        db.session.delete(draft)
        record(f"{kind}.draft_discarded", actor=actor, subject=f"{kind}:{key}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def scenario_form_data(key: str) -> tuple[dict[str, Any], str] | None:
    """(common fields, YAML part) of the open draft, else of the latest version."""
    draft = get_draft("scenario", key)
    if draft is not None:
        s = quizzes.loads_scenario(data_to_yaml(draft.data), file="draft")
    else:
        row = latest_scenario_row(key, include_archived=True)
        if row is None:
            return None
        s = bank_service.load_scenario(row)
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
        r = bank_service.load_rubric(row)
    fields = {"id": r.id, "title": r.title, "description": r.description}
    return fields, split_body(quizzes.dump_rubric(r), ("criteria",))


# --------------------------------------------------------------------------- publishing


def publish_scenario(key: str, actor: User, now: datetime | None = None) -> ScenarioVersion:
    """Freeze the draft as the next published version (earlier versions stay as they were)."""
    now = _now(now)
    try:
        draft = get_draft("scenario", key)
        if draft is None:
            raise AuthoringError("There is no draft to publish.")
        rid = draft.data.get("rubric")
        rv = latest_rubric_row(str(rid))
        if rv is None:
            raise AuthoringError(
                [
                    FieldProblem(
                        "rubric",
                        f"rubric {rid!r} has no published version yet; publish the rubric first",
                    )
                ]
            )
        try:
            s = quizzes.loads_scenario(
                data_to_yaml(draft.data),
                file=f"scenarios/{key}.yaml",
                rubric=bank_service.load_rubric(rv),
            )
        except BankError as exc:
            raise AuthoringError([FieldProblem(BODY, str(p)) for p in exc.problems]) from exc
        latest = latest_scenario_row(key, include_archived=True)
        if (
            latest is not None
            and latest.rubric_version_id == rv.id
            and latest.fingerprint == quizzes.scenario_fingerprint(s)
        ):
            raise AuthoringError(
                f"The draft is the same as version {latest.version}; nothing to publish."
            )
        version = _max_version(ScenarioVersion, ScenarioVersion.scenario_key, key) + 1
        row = bank_service.new_scenario_row(s, version, rv, actor, now)
        if latest is not None and latest.status == "archived":
            row.status = "archived"
        db.session.add(row)
        db.session.delete(draft)
        record(
            "scenario.published",
            actor=actor,
            subject=f"scenario:{key}",
            version=version,
            rubric=f"{rv.rubric_key} v{rv.version}",
        )
        db.session.commit()
        return row
    except Exception:
        db.session.rollback()
        raise


def publish_rubric(key: str, actor: User, now: datetime | None = None) -> RubricVersion:
    """Publish a rubric draft; the latest version of each scenario it grades is re-pinned to it
    (as a new scenario version) when it still fits, and the publish is refused if one does not."""
    now = _now(now)
    try:
        draft = get_draft("rubric", key)
        if draft is None:
            raise AuthoringError("There is no draft to publish.")
        r = quizzes.loads_rubric(data_to_yaml(draft.data), file=f"rubrics/{key}.yaml")
        latest = latest_rubric_row(key)
        fp = quizzes.rubric_fingerprint(r)
        if latest is not None and latest.fingerprint == fp:
            raise AuthoringError(
                f"The draft is the same as version {latest.version}; nothing to publish."
            )
        version = _max_version(RubricVersion, RubricVersion.rubric_key, key) + 1
        r = replace(r, version=version)
        rv = RubricVersion(
            rubric_key=key,
            version=version,
            fingerprint=fp,
            data=_plain(quizzes.dump_rubric(r)),
            status="published",
            created_at=now,
            created_by_id=actor.id,
            published_at=now,
        )
        db.session.add(rv)
        db.session.flush()
        problems: list[FieldProblem] = []
        repinned = []
        graded_by = db.session.scalars(
            select(ScenarioVersion)
            .join(RubricVersion, ScenarioVersion.rubric_version_id == RubricVersion.id)
            .where(RubricVersion.rubric_key == key)
        )
        keys = sorted({row.scenario_key for row in graded_by})
        for skey in keys:
            srow = latest_scenario_row(skey, include_archived=True)
            if srow is None or srow.rubric_version.rubric_key != key:
                continue
            try:
                s = quizzes.loads_scenario(
                    data_to_yaml(srow.data), file=f"scenario {skey}", rubric=r
                )
            except BankError as exc:
                problems.extend(
                    FieldProblem(
                        BODY, f"scenario {skey!r} v{srow.version} would not fit: {p.message}"
                    )
                    for p in exc.problems
                )
                continue
            new = bank_service.new_scenario_row(s, srow.version + 1, rv, actor, now)
            new.status = srow.status
            db.session.add(new)
            repinned.append(skey)
        if problems:
            raise AuthoringError(problems)
        db.session.delete(draft)
        record(
            "rubric.published",
            actor=actor,
            subject=f"rubric:{key}",
            version=version,
            repinned=repinned,
        )
        db.session.commit()
        return rv
    except Exception:
        db.session.rollback()
        raise


def set_archived(key: str, archived: bool, actor: User) -> int:
    """Archive (or restore) a scenario: every published version changes status together.

    Archiving also removes it from every quiz (a new quiz version), so new attempts never
    draw it; attempts already started keep their versions. Returns how many quizzes changed.
    """
    try:
        frm, to = ("published", "archived") if archived else ("archived", "published")
        rows = list(
            db.session.scalars(
                select(ScenarioVersion).where(
                    ScenarioVersion.scenario_key == key, ScenarioVersion.status == frm
                )
            )
        )
        if not rows:
            raise AuthoringError(
                "Nothing to archive." if archived else "This scenario is not archived."
            )
        for r in rows:
            r.status = to
        changed = 0
        if archived:
            for qd in db.session.scalars(select(QuizDefinition)):
                if key in (qd.scenario_keys or []):
                    qd.scenario_keys = [k for k in qd.scenario_keys if k != key]
                    qd.version += 1
                    changed += 1
                    record(
                        "quiz.updated",
                        actor=actor,
                        subject=f"quiz:{qd.quiz_key}",
                        removed=key,
                        version=qd.version,
                    )
        record(
            "scenario.archived" if archived else "scenario.restored",
            actor=actor,
            subject=f"scenario:{key}",
            versions=[r.version for r in rows],
        )
        db.session.commit()
        return changed
    except Exception:
        db.session.rollback()
        raise


# --------------------------------------------------------------------------- versions and diff


@dataclass(frozen=True, slots=True)
class VersionInfo:
    label: str  # "3" or "draft"
    version: int | None
    status: str
    created_at: datetime | None
    title: str


def scenario_versions(key: str) -> list[VersionInfo]:
    rows = db.session.scalars(
        select(ScenarioVersion)
        .where(ScenarioVersion.scenario_key == key)
        .order_by(ScenarioVersion.version.desc())
    )
    out = [VersionInfo(str(r.version), r.version, r.status, r.created_at, r.title) for r in rows]
    draft = get_draft("scenario", key)
    if draft is not None:
        out.insert(0, VersionInfo("draft", None, "draft", draft.updated_at, draft.title))
    return out


def rubric_versions(key: str) -> list[VersionInfo]:
    rows = db.session.scalars(
        select(RubricVersion)
        .where(RubricVersion.rubric_key == key)
        .order_by(RubricVersion.version.desc())
    )
    out = [
        VersionInfo(str(r.version), r.version, r.status, r.created_at, str(r.data.get("title")))
        for r in rows
    ]
    draft = get_draft("rubric", key)
    if draft is not None:
        out.insert(0, VersionInfo("draft", None, "draft", draft.updated_at, draft.title))
    return out


def scenario_version_row(key: str, version: int) -> ScenarioVersion | None:
    return db.session.scalar(
        select(ScenarioVersion).where(
            ScenarioVersion.scenario_key == key, ScenarioVersion.version == version
        )
    )


def version_yaml(kind: str, key: str, label: str) -> str | None:
    """The dumped YAML of one version ("draft" or a number), as the bank would write it."""
    if label == "draft":
        draft = get_draft(kind, key)
        if draft is None:
            return None
        if kind == "scenario":
            return quizzes.dump_scenario(quizzes.loads_scenario(data_to_yaml(draft.data)))
        return quizzes.dump_rubric(quizzes.loads_rubric(data_to_yaml(draft.data)))
    if not label.isdigit():
        return None
    if kind == "scenario":
        row = scenario_version_row(key, int(label))
        return quizzes.dump_scenario(bank_service.load_scenario(row)) if row else None
    rrow = db.session.scalar(
        select(RubricVersion).where(
            RubricVersion.rubric_key == key, RubricVersion.version == int(label)
        )
    )
    return quizzes.dump_rubric(bank_service.load_rubric(rrow)) if rrow else None


@dataclass(frozen=True, slots=True)
class DiffLine:
    op: str  # "+" added, "-" removed, " " unchanged
    old_no: int | None
    new_no: int | None
    text: str

    @property
    def label(self) -> str:
        return {"+": "added", "-": "removed", " ": "unchanged"}[self.op]


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine | None]:
    """Line diff (difflib) of two YAML texts; None separates hunks."""
    a, b = old.splitlines(), new.splitlines()
    out: list[DiffLine | None] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine(" ", i1 + k + 1, j1 + k + 1, a[i1 + k]) for k in range(i2 - i1))
                continue
            if tag in ("replace", "delete"):
                out.extend(DiffLine("-", i + 1, None, a[i]) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                out.extend(DiffLine("+", None, j + 1, b[j]) for j in range(j1, j2))
    return out


# --------------------------------------------------------------------------- quiz builder


@dataclass(frozen=True, slots=True)
class QuizFields:
    title: str
    module: str | None  # None = final assessment
    scenario_keys: tuple[str, ...]
    pass_mark: float
    order: str
    max_attempts: int
    cooldown_hours: float
    keep: str
    review: str


def quiz_definitions() -> list[QuizDefinition]:
    defs = list(db.session.scalars(select(QuizDefinition)))
    return sorted(defs, key=lambda d: (d.is_final, d.module_slug or "", d.quiz_key))


def available_scenarios() -> list[ScenarioVersion]:
    """Latest published (not archived) version of every scenario: what a quiz may use."""
    return bank_service.latest_scenarios()


def save_quiz(quiz_key: str, f: QuizFields, actor: User, *, create: bool = False) -> QuizDefinition:
    """Create or edit a quiz definition; an edit bumps its version. Errors name the field."""
    try:
        problems: list[FieldProblem] = []
        qd = db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == quiz_key))
        if create and qd is not None:
            problems.append(FieldProblem("quiz_key", f"a quiz with id {quiz_key!r} exists"))
        if not create and qd is None:
            raise AuthoringError(f"There is no quiz {quiz_key!r}.")
        if create and not quizzes.bank._is_slug(quiz_key):
            problems.append(FieldProblem("quiz_key", "use a lowercase slug like 'quiz-04-risks'"))
        latest = {r.scenario_key: r for r in available_scenarios()}
        if not f.scenario_keys:
            problems.append(FieldProblem("scenarios", "choose at least one scenario"))
        seen: set[str] = set()
        covered: set[int] = set()
        for k in f.scenario_keys:
            row = latest.get(k)
            if k in seen:
                problems.append(FieldProblem("scenarios", f"scenario {k!r} is listed twice"))
            elif row is None:
                problems.append(
                    FieldProblem("scenarios", f"scenario {k!r} is not published (or is archived)")
                )
            elif f.module is not None and row.module_slug != f.module:
                problems.append(
                    FieldProblem(
                        "scenarios",
                        f"scenario {k!r} belongs to module {row.module_slug!r}, not {f.module!r}",
                    )
                )
            else:
                covered.update(row.guidelines)
            seen.add(k)
        if f.module is None and not problems:
            missing = [g for g in GUIDELINES if g not in covered]
            if missing:
                problems.append(
                    FieldProblem(
                        "scenarios",
                        "the final assessment must cover all seven guidelines; missing "
                        + ", ".join(map(str, missing)),
                    )
                )
        if not 0 <= f.pass_mark <= 1:
            problems.append(FieldProblem("pass_mark", "a fraction between 0 and 1"))
        if problems:
            raise AuthoringError(problems)
        values = {
            "title": f.title.strip(),
            "module_slug": f.module,
            "is_final": f.module is None,
            "pass_mark": float(f.pass_mark),
            "order": f.order,
            "max_attempts": int(f.max_attempts),
            "cooldown_hours": float(f.cooldown_hours),
            "keep": f.keep,
            "review": f.review,
            "scenario_keys": list(f.scenario_keys),
        }
        if qd is None:
            qd = QuizDefinition(quiz_key=quiz_key, version=1, **values)
            db.session.add(qd)
            record("quiz.created", actor=actor, subject=f"quiz:{quiz_key}", **_jsonable(values))
        else:
            before = {k: getattr(qd, k) for k in values}
            changes = {k: [before[k], v] for k, v in values.items() if before[k] != v}
            if not changes:
                raise AuthoringError("Nothing changed.")
            for k, v in values.items():
                setattr(qd, k, v)
            qd.version += 1
            record(
                "quiz.updated",
                actor=actor,
                subject=f"quiz:{quiz_key}",
                version=qd.version,
                changes=_jsonable(changes),
            )
        db.session.commit()
        return qd
    except Exception:
        db.session.rollback()
        raise


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    return x


# --------------------------------------------------------------------------- import / export


def _safe_member(name: str) -> PurePosixPath | None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return None
    if any(part.startswith(".") or part == "__MACOSX" for part in p.parts):
        return None
    return p


def _skip_name(name: str) -> str | None:
    """How a zip member that is not extracted is listed as skipped (None: extract it)."""
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return f"{name} (unsafe path)"
    for i, part in enumerate(p.parts):
        if part.startswith(".") or part == "__MACOSX":
            return "/".join(p.parts[: i + 1]) + ("/" if i + 1 < len(p.parts) else "")
    if p.suffix.lower() not in (".yaml", ".yml"):
        return str(p)
    return None


def _unpack(
    uploads: Sequence[tuple[str, bytes]], dest: Path, skipped: list[str] | None = None
) -> list[Path]:
    """Write the uploads under `dest`; returns the paths to import. Raises UploadError.

    Zip members that are not bank content (README.md, .DS_Store, __MACOSX/, unsafe paths) are
    not extracted; their names go to `skipped`, so the result page lists them.
    """
    total = sum(len(data) for _, data in uploads)
    if not uploads:
        raise UploadError("Choose a .zip of the bank folder or one or more .yaml files.")
    if total > UPLOAD_MAX_BYTES:
        raise UploadError(
            f"The upload is {total / 1024 / 1024:.1f} MB; the limit is "
            f"{UPLOAD_MAX_BYTES // 1024 // 1024} MB."
        )
    zips = [(n, d) for n, d in uploads if n.lower().endswith(".zip")]
    yamls = [(n, d) for n, d in uploads if n.lower().endswith(".yaml")]
    others = [n for n, _ in uploads if not n.lower().endswith((".zip", ".yaml"))]
    if others:
        raise UploadError(f"Only .zip and .yaml files can be imported (got {others[0]}).")
    if zips and (len(zips) > 1 or yamls):
        raise UploadError("Upload either one .zip or several .yaml files, not both.")
    if zips:
        root = dest / "bank"
        try:
            zf = zipfile.ZipFile(io.BytesIO(zips[0][1]))
        except zipfile.BadZipFile as exc:
            raise UploadError(f"{zips[0][0]} is not a valid .zip file.") from exc
        with zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > UPLOAD_MAX_FILES:
                raise UploadError(f"The .zip holds more than {UPLOAD_MAX_FILES} files.")
            if sum(i.file_size for i in infos) > UNZIPPED_MAX_BYTES:
                raise UploadError(
                    f"The .zip unpacks to more than {UNZIPPED_MAX_BYTES // 1024 // 1024} MB."
                )
            for info in infos:
                member = _safe_member(info.filename)
                skip = _skip_name(info.filename)
                if member is None or skip is not None:
                    if skipped is not None and skip is not None and skip not in skipped:
                        skipped.append(skip)
                    continue
                target = root.joinpath(*member.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out, length=64 * 1024)
        if not root.exists():
            raise UploadError("The .zip holds no .yaml files.")
        return [root]
    loose = dest / "files"
    loose.mkdir(parents=True)
    paths = []
    for name, data in yamls:
        member = _safe_member(PurePosixPath(name.replace("\\", "/")).name)
        if member is None:
            raise UploadError(f"Unsafe file name {name!r}.")
        target = loose / member.name
        if target.exists():
            raise UploadError(f"Two uploaded files are called {member.name}.")
        target.write_bytes(data)
        paths.append(target)
    return paths


def _relative_name(file: str, base: Path) -> str:
    for prefix in (str(base / "bank") + "/", str(base / "files") + "/", str(base) + "/"):
        if file.startswith(prefix):
            return file[len(prefix) :]
    return file


def _relative(problem: Problem, base: Path) -> str:
    return f"{_relative_name(problem.file, base)}:{problem.line}: {problem.message}"


class ImportProblems(Exception):
    """The import was refused; `lines` are FILE:LINE: message, relative to the upload."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(lines))


def import_upload(uploads: Sequence[tuple[str, bytes]], actor: User) -> bank_service.ImportReport:
    """Import an uploaded bundle all or nothing (via `import_bank`, like the CLI)."""
    with tempfile.TemporaryDirectory(prefix="postrx-import-") as tmp:
        base = Path(tmp).resolve()
        skipped: list[str] = []
        paths = _unpack(uploads, base, skipped)
        try:
            report = bank_service.import_bank(paths, actor=actor)
        except BankError as exc:
            db.session.rollback()
            raise ImportProblems([_relative(p, base) for p in exc.problems]) from exc
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError, TypeError) as exc:
            db.session.rollback()
            raise ImportProblems([f"upload:1: cannot read the files: {exc}"]) from exc
        report.skipped = skipped + [_relative_name(f, base) for f in report.skipped]
        return report


def export_zip() -> bytes:
    """The latest published bank as a .zip in the documented folder layout."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="postrx-export-") as tmp:
        root = Path(tmp) / vocab.COURSE_SLUG
        written = bank_service.export_bank(root)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(written):
                zf.write(path, str(path.relative_to(Path(tmp))))
    return buf.getvalue()


# --------------------------------------------------------------------------- people


def educators() -> list[User]:
    from app.models import UserRole

    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.EDUCATOR.value)
            .order_by(User.email)
        )
    )


def set_educator(email: str, grant: bool, actor: User) -> User:
    """Grant or revoke the educator role (site admins only; audited)."""
    try:
        if Role.SITE_ADMIN not in actor.roles:
            raise AuthoringError("Only site administrators can change the educator role.")
        user = find_user_by_email(email)
        if user is None:
            raise AuthoringError([FieldProblem("email", "there is no account with that email")])
        has = Role.EDUCATOR in user.roles
        if grant == has:
            raise AuthoringError(
                [FieldProblem("email", "already an educator" if grant else "not an educator")]
            )
        if grant:
            user.grant(Role.EDUCATOR)
        else:
            user.revoke(Role.EDUCATOR)
        record(
            "role.granted" if grant else "role.revoked",
            actor=actor,
            subject=f"user:{user.id}",
            role=Role.EDUCATOR.value,
            email=user.email,
        )
        db.session.commit()
        return user
    except Exception:
        db.session.rollback()
        raise


# --------------------------------------------------------------------------- choices for forms

TYPE_CHOICES = [(t, t.replace("_", " ")) for t in SCENARIO_TYPES]
PROFESSION_CHOICES = [(p.value, p.label) for p in vocab.SCENARIO_PROFESSIONS]
MODULE_CHOICES = [(m, m) for m in (*MODULES, "final")]
RISK_CHOICES = [(r.slug, r.label) for r in vocab.RISKS]
GUIDELINE_CHOICES = [(str(g.number), g.label) for g in vocab.GUIDELINES]


# --------------------------------------------------------------------------- preview


def preview_pair(key: str, label: str) -> tuple[Scenario, Rubric] | None:
    """The scenario version (or draft) and the rubric it is graded with, for the preview."""
    if label == "draft":
        draft = get_draft("scenario", key)
        if draft is None:
            return None
        rubric = rubric_for_key(str(draft.data.get("rubric")))
        if rubric is None:
            return None
        return quizzes.loads_scenario(data_to_yaml(draft.data), rubric=rubric), rubric
    if not label.isdigit():
        return None
    row = scenario_version_row(key, int(label))
    if row is None:
        return None
    return bank_service.load_scenario(row), bank_service.load_rubric(row.rubric_version)


def preview_warnings(scenario: Scenario, rubric: Rubric) -> list[str]:
    """The item-writing warnings `postrx scenarios check` gives for this item, so the educator
    sees the cues (longest key, stem echoes, absolute words...) before publishing."""
    from quizzes.itemcheck import check_scenario

    return [w.message for w in check_scenario(scenario, rubric)]


def preview_grade(
    scenario: Scenario, rubric: Rubric, selected: Sequence[str], text: str
) -> quizzes.ScenarioResult:
    """Grade a tried answer exactly as a learner's would be; nothing is stored."""
    known = {o.id for o in scenario.options}
    chosen = tuple(o for o in selected if o in known)
    if scenario.type == "single" and len(chosen) != 1:
        raise AuthoringError("Choose one option.")
    if scenario.type == "multi" and not chosen:
        raise AuthoringError("Select at least one option.")
    if scenario.type in ("free_text", "post_draft") and not (text or "").strip():
        raise AuthoringError("Write an answer to try.")
    try:
        return quizzes.grade(scenario, rubric, quizzes.Response(selected=chosen, text=text or ""))
    except (quizzes.InvalidResponse, quizzes.PrivacyCheckerUnavailable, ValueError) as exc:
        raise AuthoringError(str(exc)) from exc
