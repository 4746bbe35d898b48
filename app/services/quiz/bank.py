"""The scenario bank in the database: rows <-> dataclasses, latest versions, export.

Versioning: importing a rubric or scenario whose fingerprint differs from the latest stored
version creates a new *published* version (numbered by the database, not by the file). When a
rubric gets a new version, every scenario graded by it gets a new version pinned to it too (and
the import fails if a scenario no longer fits the new rubric), so the latest scenario versions
always use the latest rubrics and `export_bank` writes a consistent bank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, inspect, select

import quizzes
from app.extensions import db
from app.models.quiz import (
    QuizDefinition,
    RubricVersion,
    ScenarioVersion,
)
from quizzes import (
    Quiz,
    Rubric,
    Scenario,
)

# --------------------------------------------------------------------------- rows <-> dataclasses


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _to_data(yaml_text: str) -> dict[str, Any]:
    """The bank's YAML dump as plain JSON-ready data (what the `data` columns hold)."""
    data: dict[str, Any] = yaml.load(yaml_text, Loader=_YAML_LOADER)
    return data


def data_to_yaml(data: Mapping[str, Any]) -> str:
    """A stored row's data as YAML the bank loader reads (one dumper for every caller)."""
    return yaml.dump(
        dict(data), Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True, width=100
    )


_RUBRICS: dict[tuple[str, int, str], Rubric] = {}
_SCENARIOS: dict[tuple[str, int, str, int], Scenario] = {}


def load_rubric(row: RubricVersion) -> Rubric:
    """The stored rubric version as a `quizzes.Rubric` (cached per key, version, fingerprint)."""
    key = (row.rubric_key, row.version, row.fingerprint)
    hit = _RUBRICS.get(key)
    if hit is None:
        rubric = quizzes.loads_rubric(
            data_to_yaml(row.data), file=f"db:rubric {row.rubric_key} v{row.version}"
        )
        hit = replace(rubric, version=row.version)
        if len(_RUBRICS) > 2048:
            _RUBRICS.clear()
        _RUBRICS[key] = hit
    return hit


def load_scenario(version_row: ScenarioVersion) -> Scenario:
    """The stored scenario version as a `quizzes.Scenario` (cached per key and version)."""
    row = version_row
    key = (row.scenario_key, row.version, row.fingerprint, row.rubric_version_id)
    hit = _SCENARIOS.get(key)
    if hit is None:
        rubric = load_rubric(row.rubric_version)
        scenario = quizzes.loads_scenario(
            data_to_yaml(row.data),
            file=f"db:scenario {row.scenario_key} v{row.version}",
            rubric=rubric,
        )
        hit = replace(scenario, version=row.version)
        if len(_SCENARIOS) > 4096:
            _SCENARIOS.clear()
        _SCENARIOS[key] = hit
    return hit


def latest_rubric_row(key: str) -> RubricVersion | None:
    """The latest published version of a rubric, or None."""
    return db.session.scalar(
        select(RubricVersion)
        .where(RubricVersion.rubric_key == key, RubricVersion.status == "published")
        .order_by(RubricVersion.version.desc())
        .limit(1)
    )


def latest_scenario(key: str) -> ScenarioVersion | None:
    return db.session.scalar(
        select(ScenarioVersion)
        .where(ScenarioVersion.scenario_key == key, ScenarioVersion.status == "published")
        .order_by(ScenarioVersion.version.desc())
        .limit(1)
    )


def _next_version(model: Any, key_col: Any, key: str) -> int:
    """One past the highest version of any status, so drafts and archives never collide."""
    top = db.session.scalar(select(func.max(model.version)).where(key_col == key))
    return (top or 0) + 1


def _latest_rows(model: Any, key_col: Any) -> list[Any]:
    """The latest published version of every key."""
    sub = (
        select(key_col.label("k"), func.max(model.version).label("v"))
        .where(model.status == "published")
        .group_by(key_col)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(model)
            .join(sub, (key_col == sub.c.k) & (model.version == sub.c.v))
            .order_by(key_col)
        )
    )


def latest_scenarios() -> list[ScenarioVersion]:
    return _latest_rows(ScenarioVersion, ScenarioVersion.scenario_key)


def stored_scenarios() -> list[ScenarioVersion]:
    """The latest published scenarios, or none before `postrx setup` has made the tables (so
    the command-line tools can fall back on the bundled files on a fresh install)."""
    if not inspect(db.session.connection()).has_table(ScenarioVersion.__tablename__):
        return []
    return latest_scenarios()


def latest_rubrics() -> list[RubricVersion]:
    return _latest_rows(RubricVersion, RubricVersion.rubric_key)


def _slots_of(qd: QuizDefinition) -> tuple[quizzes.Slot, ...]:
    return tuple(
        quizzes.Slot(tuple(d["from"]), int(d.get("pick", 1)), d.get("title", ""))
        for d in qd.draw or ()
    )


def quiz_object(qd: QuizDefinition, scenario_keys: Sequence[str] | None = None) -> Quiz:
    """The definition as a `quizzes.Quiz` (optionally over the keys an attempt presented)."""
    return Quiz(
        id=qd.quiz_key,
        title=qd.title,
        scenarios=tuple(scenario_keys if scenario_keys is not None else qd.scenario_keys),
        module=qd.module_slug,
        final=qd.is_final,
        pass_mark=qd.pass_mark,
        order=qd.order,
        attempts=quizzes.Attempts(qd.max_attempts, qd.cooldown_hours, qd.keep),
        review=qd.review,
        slots=_slots_of(qd) if scenario_keys is None else (),
        review_options=quizzes.ReviewOptions(
            qd.review_failed or "feedback",
            qd.review_passed or "answers",
            qd.review_exhausted or "answers",
        ),
        release=qd.release or "confirmed",
    )


def export_bank(directory: Path | str) -> list[Path]:
    """Write the latest published bank as YAML that `check` and `import` accept unchanged."""
    root = Path(directory)
    (root / "rubrics").mkdir(parents=True, exist_ok=True)
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for row in latest_rubrics():
        path = root / "rubrics" / f"{row.rubric_key}.yaml"
        path.write_text(quizzes.dump_rubric(load_rubric(row)), encoding="utf-8")
        written.append(path)
    for sv in latest_scenarios():
        path = root / "scenarios" / f"{sv.scenario_key}.yaml"
        path.write_text(quizzes.dump_scenario(load_scenario(sv)), encoding="utf-8")
        written.append(path)
    defs = list(db.session.scalars(select(QuizDefinition).order_by(QuizDefinition.id)))
    if defs:
        path = root / "quizzes.yaml"
        path.write_text(quizzes.dump_quizzes(quiz_object(d) for d in defs), encoding="utf-8")
        written.append(path)
    return written


def bank_listing() -> tuple[str, list[dict[str, Any]]]:
    """Rows for `postrx scenarios list`: from the database when a bank has been imported
    (latest published versions), else from the bundled files. Returns (source, rows)."""
    rows = stored_scenarios()
    if rows:
        return "database", [
            {
                "id": r.scenario_key,
                "title": r.title,
                "type": r.type,
                "guidelines": list(r.guidelines),
                "risks": list(r.risks),
                "rubric": r.rubric_version.rubric_key,
                "version": r.version,
                "module": r.module_slug,
            }
            for r in rows
        ]
    bank = quizzes.load_bank(quizzes.default_bank_root())
    return "files", [
        {
            "id": s.id,
            "title": s.title,
            "type": s.type,
            "guidelines": list(s.guidelines),
            "risks": list(s.risks),
            "rubric": s.rubric,
            "version": s.version,
            "module": s.module,
        }
        for s in sorted(bank.scenarios.values(), key=lambda s: s.id)
    ]
