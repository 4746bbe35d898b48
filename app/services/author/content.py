"""Authoring basics: errors, composing fields + YAML body, starters, summaries, form choices."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

import quizzes
import vocab
from app.extensions import db
from app.models.authoring import ContentDraft
from app.models.quiz import RubricVersion, ScenarioVersion
from app.services.quiz.bank import data_to_yaml, latest_rubric_row, load_rubric
from quizzes import Problem, Rubric
from quizzes.bank import COMMON_FIELDS
from quizzes.model import MODULES, SCENARIO_TYPES

# The bank's common scenario fields, less `version` (the database assigns versions).
SCENARIO_FIELDS = tuple(f for f in COMMON_FIELDS if f != "version")
RUBRIC_FIELDS = ("id", "title", "description")
TYPE_KEYS = ("options", "mapping", "min_words", "concepts", "privacy_criterion", "privacy_levels")
BODY = "body"  # the form field holding the YAML part
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


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
        return load_rubric(row)
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
        if draft is not None:
            title, kind, module = draft.title, draft.data.get("type"), draft.data.get("module")
        elif row is not None:
            title, kind, module = row.title, row.type, row.module_slug
        else:  # unreachable: every key comes from one of the two
            continue
        out.append(
            ContentSummary(
                key=key,
                title=title,
                type=kind,
                module=module,
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
        if draft is not None:
            title = draft.title
        elif row is not None:
            title = str(row.data.get("title", key))
        else:  # unreachable: every key comes from one of the two
            continue
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


# --------------------------------------------------------------------------- choices for forms

TYPE_CHOICES = [(t, t.replace("_", " ")) for t in SCENARIO_TYPES]
PROFESSION_CHOICES = [(p.value, p.label) for p in vocab.SCENARIO_PROFESSIONS]
MODULE_CHOICES = [(m, m) for m in (*MODULES, "final")]
RISK_CHOICES = [(r.slug, r.label) for r in vocab.RISKS]
GUIDELINE_CHOICES = [(str(g.number), g.label) for g in vocab.GUIDELINES]
