"""`import_bank`: rubrics, scenarios and quizzes.yaml, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

import quizzes
from app.extensions import db
from app.models import User
from app.models.quiz import (
    QuizDefinition,
    RubricVersion,
    ScenarioVersion,
)
from app.services.audit import record
from app.services.quiz.bank import (
    _next_version,
    _to_data,
    data_to_yaml,
    latest_rubric_row,
    latest_scenarios,
    load_rubric,
)
from app.services.quiz.bank_files import _collect_import, _Incoming
from app.services.quiz.common import _now
from quizzes import (
    BankError,
    Problem,
    Quiz,
    Rubric,
    Scenario,
)

# --------------------------------------------------------------------------- import / export


@dataclass
class ImportReport:
    """What an import did, per kind: created (new key), updated (new version), unchanged; and
    the files it did not read because they are not bank content (README.md, .DS_Store...)."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {
            k: {"created": 0, "updated": 0, "unchanged": 0}
            for k in ("rubrics", "scenarios", "quizzes")
        }
    )
    skipped: list[str] = field(default_factory=list)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def __str__(self) -> str:
        lines = [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]
        lines.extend(f"skipped (not bank content): {name}" for name in self.skipped)
        return "\n".join(lines)


@lru_cache(maxsize=512)
def _rubric_yaml(r: Rubric) -> str:
    return quizzes.dump_rubric(r)


@lru_cache(maxsize=4096)
def _scenario_yaml(s: Scenario) -> str:
    return quizzes.dump_scenario(s)


def _rubric_data(r: Rubric) -> dict[str, Any]:
    return _to_data(_rubric_yaml(r))


def _scenario_data(s: Scenario) -> dict[str, Any]:
    return _to_data(_scenario_yaml(s))


def new_scenario_row(
    s: Scenario, version: int, rv: RubricVersion, actor: User | None, now: datetime
) -> ScenarioVersion:
    """A published version row for `s`, pinned to rubric version `rv` (import and authoring)."""
    s = replace(s, version=version)
    return ScenarioVersion(
        scenario_key=s.id,
        version=version,
        fingerprint=quizzes.scenario_fingerprint(s),
        type=s.type,
        title=s.title,
        module_slug=s.module,
        guidelines=list(s.guidelines),
        risks=list(s.risks),
        rubric_version=rv,
        data=_scenario_data(s),
        status="published",
        created_at=now,
        created_by_id=actor.id if actor else None,
        published_at=now,
    )


def _quiz_fields(q: Quiz) -> dict[str, Any]:
    return {
        "title": q.title,
        "module_slug": None if q.final else q.module,
        "is_final": q.final,
        "pass_mark": float(q.pass_mark),
        "order": q.order,
        "max_attempts": q.attempts.max,
        "cooldown_hours": float(q.attempts.cooldown_hours),
        "keep": q.attempts.keep,
        "review": q.review,
        "scenario_keys": list(q.scenarios),
        "draw": [
            {"title": sl.title, "from": list(sl.candidates), "pick": sl.pick} for sl in q.slots
        ]
        or None,
        "review_failed": q.review_options.failed,
        "review_passed": q.review_options.passed,
        "review_exhausted": q.review_options.exhausted,
        "release": q.release,
    }


def _import_rubrics(
    inc: _Incoming, report: ImportReport, actor: User | None, now: datetime
) -> tuple[dict[str, RubricVersion], dict[str, tuple[RubricVersion, str]]]:
    """Add a version for every new or changed rubric.

    Returns the row to pin each incoming rubric to, and the changed ones with their file.
    """
    rubric_rows: dict[str, RubricVersion] = {}
    changed_rubrics: dict[str, tuple[RubricVersion, str]] = {}
    for rid in sorted(inc.rubrics):
        r, file = inc.rubrics[rid]
        latest = latest_rubric_row(rid)
        fp = quizzes.rubric_fingerprint(r)
        if latest is not None and latest.fingerprint == fp:
            report.add("rubrics", "unchanged")
            rubric_rows[rid] = latest
            continue
        version = _next_version(RubricVersion, RubricVersion.rubric_key, rid)
        row = RubricVersion(
            rubric_key=rid,
            version=version,
            fingerprint=fp,
            data=_rubric_data(replace(r, version=version)),
            status="published",
            created_at=now,
            created_by_id=actor.id if actor else None,
            published_at=now,
        )
        db.session.add(row)
        rubric_rows[rid] = row
        changed_rubrics[rid] = (row, file)
        report.add("rubrics", "updated" if latest else "created")
    return rubric_rows, changed_rubrics


def _import_scenarios(
    inc: _Incoming,
    rubric_rows: dict[str, RubricVersion],
    report: ImportReport,
    problems: list[Problem],
    actor: User | None,
    now: datetime,
) -> None:
    """Add a version for every new or changed incoming scenario (or one whose rubric moved)."""
    stored = {r.scenario_key: r for r in latest_scenarios()}
    for sid in sorted(inc.scenarios):
        s, file = inc.scenarios[sid]
        rv = rubric_rows.get(s.rubric) or latest_rubric_row(s.rubric)
        if rv is None:
            problems.append(Problem(file, 1, f"rubric {s.rubric!r} not found"))
            continue
        current = stored.get(sid)
        fp = quizzes.scenario_fingerprint(s)
        if current is not None and current.fingerprint == fp and current.rubric_version_id == rv.id:
            report.add("scenarios", "unchanged")
            continue
        version = _next_version(ScenarioVersion, ScenarioVersion.scenario_key, sid)
        db.session.add(new_scenario_row(s, version, rv, actor, now))
        report.add("scenarios", "updated" if current else "created")


def _repin_stored_scenarios(
    inc: _Incoming,
    changed_rubrics: dict[str, tuple[RubricVersion, str]],
    report: ImportReport,
    problems: list[Problem],
    actor: User | None,
    now: datetime,
) -> None:
    """A new rubric version re-pins the stored scenarios it grades (if they still fit)."""
    for sv in latest_scenarios():
        if sv.scenario_key in inc.scenarios:
            continue
        rid = sv.rubric_version.rubric_key
        if rid not in changed_rubrics:
            continue
        new_rv, file = changed_rubrics[rid]
        try:
            s = quizzes.loads_scenario(data_to_yaml(sv.data), file=file, rubric=load_rubric(new_rv))
        except BankError as exc:
            problems.extend(
                Problem(
                    file,
                    1,
                    f"stored scenario {sv.scenario_key!r} v{sv.version} "
                    f"would not fit this rubric: {p.message}",
                )
                for p in exc.problems
            )
            continue
        version = _next_version(ScenarioVersion, ScenarioVersion.scenario_key, sv.scenario_key)
        db.session.add(new_scenario_row(s, version, new_rv, actor, now))
        report.add("scenarios", "updated")


def _import_quizzes(
    inc: _Incoming, report: ImportReport, problems: list[Problem], now: datetime
) -> None:
    """Create or update each incoming quiz whose scenarios all exist (a new version on change)."""
    stored_keys = {r.scenario_key for r in latest_scenarios()}
    for qid, (q, file) in inc.quizzes.items():
        unknown = [k for k in q.scenarios if k not in stored_keys]
        if unknown:
            problems.append(
                Problem(file, 1, f"quiz {qid!r}: scenario(s) not found: {', '.join(unknown)}")
            )
            continue
        fields = _quiz_fields(q)
        qd = db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == qid))
        if qd is None:
            db.session.add(QuizDefinition(quiz_key=qid, version=1, updated_at=now, **fields))
            report.add("quizzes", "created")
        elif any(getattr(qd, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(qd, k, v)
            qd.version += 1
            qd.updated_at = now
            report.add("quizzes", "updated")
        else:
            report.add("quizzes", "unchanged")


def import_bank(
    paths: Sequence[Path], *, actor: User | None = None, now: datetime | None = None
) -> ImportReport:
    """Import rubrics, scenarios and quizzes.yaml, all or nothing, in one transaction.

    Everything is validated first (BankError lists FILE:LINE problems and nothing changes).
    """
    now = _now(now)
    inc = _collect_import(paths)
    report = ImportReport(skipped=list(inc.skipped))
    rubric_rows, changed_rubrics = _import_rubrics(inc, report, actor, now)
    db.session.flush()

    problems: list[Problem] = []
    _import_scenarios(inc, rubric_rows, report, problems, actor, now)
    _repin_stored_scenarios(inc, changed_rubrics, report, problems, actor, now)
    db.session.flush()

    _import_quizzes(inc, report, problems, now)
    if problems:
        raise BankError(problems)
    if report.changed:
        record(
            "bank.import",
            actor=actor,
            subject="scenario-bank",
            counts=report.counts,
            paths=[str(p) for p in paths],
        )
    db.session.flush()
    return report


def setup_bank() -> str:
    """Import the bundled bank (for `postrx setup`); a no-op when nothing changed."""
    report = import_bank([quizzes.default_bank_root()])
    return "Scenario bank: " + str(report).replace("\n", "; ")
