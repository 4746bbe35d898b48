"""Publishing drafts as new versions, archiving, version lists and diffs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

import quizzes
from app.extensions import db
from app.models import User
from app.models.quiz import QuizDefinition, RubricVersion, ScenarioVersion
from app.services.audit import record
from app.services.author.content import (
    BODY,
    AuthoringError,
    FieldProblem,
    _max_version,
    _now,
    get_draft,
    latest_scenario_row,
)
from app.services.author.drafts import _plain
from app.services.quiz.bank import data_to_yaml, latest_rubric_row, load_rubric, load_scenario
from app.services.quiz.bank_import import new_scenario_row
from quizzes import BankError

# --------------------------------------------------------------------------- publishing


def publish_scenario(key: str, actor: User, now: datetime | None = None) -> ScenarioVersion:
    """Freeze the draft as the next published version (earlier versions stay as they were)."""
    now = _now(now)
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
            rubric=load_rubric(rv),
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
    row = new_scenario_row(s, version, rv, actor, now)
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
    db.session.flush()
    return row


def publish_rubric(key: str, actor: User, now: datetime | None = None) -> RubricVersion:
    """Publish a rubric draft; the latest version of each scenario it grades is re-pinned to it
    (as a new scenario version) when it still fits, and the publish is refused if one does not."""
    now = _now(now)
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
            s = quizzes.loads_scenario(data_to_yaml(srow.data), file=f"scenario {skey}", rubric=r)
        except BankError as exc:
            problems.extend(
                FieldProblem(BODY, f"scenario {skey!r} v{srow.version} would not fit: {p.message}")
                for p in exc.problems
            )
            continue
        new = new_scenario_row(s, srow.version + 1, rv, actor, now)
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
    db.session.flush()
    return rv


def set_archived(key: str, archived: bool, actor: User) -> int:
    """Archive (or restore) a scenario: every published version changes status together.

    Archiving also removes it from every quiz (a new quiz version), so new attempts never
    draw it; attempts already started keep their versions. Returns how many quizzes changed.
    """
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
    db.session.flush()
    return changed


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
    if not (label.isascii() and label.isdigit()) or len(label) > 18:  # not a version number
        return None
    if kind == "scenario":
        row = scenario_version_row(key, int(label))
        return quizzes.dump_scenario(load_scenario(row)) if row else None
    rrow = db.session.scalar(
        select(RubricVersion).where(
            RubricVersion.rubric_key == key, RubricVersion.version == int(label)
        )
    )
    return quizzes.dump_rubric(load_rubric(rrow)) if rrow else None


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
