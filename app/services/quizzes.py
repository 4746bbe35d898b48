"""The scenario bank in the database, quiz attempts and their grading.

This is where rows meet the pure `quizzes` package: rows are turned into `Scenario`/`Rubric`
dataclasses (cached per key, version and fingerprint), graded with `quizzes.grade`, and the
results stored as JSON.

Versioning: importing a rubric or scenario whose fingerprint differs from the latest stored
version creates a new *published* version (numbered by the database, not by the file). When a
rubric gets a new version, every scenario graded by it gets a new version pinned to it too (and
the import fails if a scenario no longer fits the new rubric), so the latest scenario versions
always use the latest rubrics and `export_bank` writes a consistent bank.

Attempt policy (documented for learners on the quiz page): a learner may start `max_attempts`
attempts per window. When the last attempt of a window has been submitted, a cool-down of
`cooldown_hours` starts; once it is over, the counter resets and a new window of `max_attempts`
begins. Attempts in earlier windows keep counting for the score: `keep=best` reports the best
graded attempt, `keep=latest` the latest one. Passing does not block a retake.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import quizzes
from app.extensions import db
from app.models import Enrollment, User
from app.models.quiz import (
    Attempt,
    AttemptAnswer,
    QuizDefinition,
    RubricVersion,
    ScenarioVersion,
)
from app.services.audit import record
from quizzes import (
    BankError,
    PrivacyChecker,
    Problem,
    Quiz,
    QuizResult,
    Response,
    Rubric,
    Scenario,
    ScenarioResult,
)
from quizzes.model import LOW_CONFIDENCE
from vocab import COURSE_SLUG, guideline_wording

TEXT_TYPES = ("free_text", "post_draft")
MAX_TEXT = 10_000


class QuizError(Exception):
    """A quiz action the rules do not allow (shown to the learner as is)."""


class AttemptNotAllowed(QuizError):
    """No attempts left in this window; `next_allowed_at` says when the cool-down ends."""

    def __init__(self, message: str, next_allowed_at: datetime | None = None) -> None:
        super().__init__(message)
        self.next_allowed_at = next_allowed_at


def _aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt


def _now(now: datetime | None) -> datetime:
    return _aware(now) or datetime.now(UTC)  # type: ignore[return-value]


# --------------------------------------------------------------------------- rows <-> dataclasses


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _to_data(yaml_text: str) -> dict[str, Any]:
    """The bank's YAML dump as plain JSON-ready data (what the `data` columns hold)."""
    return yaml.load(yaml_text, Loader=_YAML_LOADER)


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


def _latest_scenario(key: str) -> ScenarioVersion | None:
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


def _is_bank_root(p: Path) -> bool:
    return p.is_dir() and (
        (p / "rubrics").is_dir() or (p / "scenarios").is_dir() or (p / "quizzes.yaml").is_file()
    )


@dataclass
class _Incoming:
    rubrics: dict[str, tuple[Rubric, str]] = field(default_factory=dict)  # id -> (obj, file)
    scenarios: dict[str, tuple[Scenario, str]] = field(default_factory=dict)
    quizzes: dict[str, tuple[Quiz, str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


YAML_SUFFIXES = (".yaml", ".yml")
NOT_IN_BANK = "not part of a bank — scenarios go in scenarios/, rubrics in rubrics/"


def _hidden_part(rel: Path) -> int | None:
    """Index of the first hidden or macOS-metadata part of a relative path (None: none)."""
    for i, part in enumerate(rel.parts):
        if part.startswith(".") or part == "__MACOSX":
            return i
    return None


def _bank_roots(folder: Path) -> list[Path]:
    """The bank folders inside `folder`, found as `quizzes.check` finds them."""
    return sorted(
        {q.parent for q in folder.rglob("quizzes.yaml")}
        | {q.parent for n in ("rubrics", "scenarios") for q in folder.rglob(n) if q.is_dir()}
    )


def _loose_files(folder: Path) -> list[Path]:
    """The .yaml files of a folder that holds no bank: each is imported on its own."""
    return sorted(
        f
        for f in folder.rglob("*.yaml")
        if f.is_file() and _hidden_part(f.relative_to(folder)) is None
    )


def _bank_reads(root: Path, kinds: Sequence[str] = ("rubrics", "scenarios")) -> set[Path]:
    """What loading a bank folder reads, or reports itself (a rubrics/*.yml must be .yaml)."""
    reads: set[Path] = set()
    for sub in kinds:
        if (root / sub).is_dir():
            reads.update(
                f.resolve()
                for f in (root / sub).iterdir()
                if f.is_file() and f.suffix in YAML_SUFFIXES
            )
    if len(kinds) == 2 and (root / "quizzes.yaml").is_file():
        reads.add((root / "quizzes.yaml").resolve())
    return reads


def _yaml_problem(path: Path) -> Problem | None:
    """A YAML syntax error in a file the bank does not read, with its line."""
    try:
        yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(str(path), line, f"invalid YAML: {exc.problem or exc.context}")
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        return Problem(str(path), 1, f"cannot read file: {exc}")
    return None


def _survey(paths: Sequence[Path]) -> tuple[list[Problem], list[str]]:
    """Every file in the imported folders is read, an error, or skipped (not bank content).

    A YAML file the bank would not read is an error (it was meant to be imported, and silently
    dropping it is how a scenario goes missing); other files are listed as skipped.
    """
    problems: list[Problem] = []
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            continue  # a named file is always read (or refused by the checker)
        if _is_bank_root(p):
            reads = _bank_reads(p)
        elif p.name in ("rubrics", "scenarios") and _is_bank_root(p.parent):
            reads = _bank_reads(p.parent, (p.name,))
        elif roots := _bank_roots(p):
            reads = set().union(*(_bank_reads(r) for r in roots))
        else:
            reads = {f.resolve() for f in _loose_files(p)}
        for f in sorted(p.rglob("*")):
            if not f.is_file() or f.resolve() in reads:
                continue
            rel = f.relative_to(p)
            hidden = _hidden_part(rel)
            if hidden is not None:
                name = str(p.joinpath(*rel.parts[: hidden + 1]))
                name += "/" if hidden + 1 < len(rel.parts) else ""
                if name not in skipped:
                    skipped.append(name)
            elif f.suffix.lower() in YAML_SUFFIXES:
                bad = _yaml_problem(f)
                if bad is not None:
                    problems.append(bad)
                hint = "" if f.suffix == ".yaml" else "; bank files end in .yaml"
                if {"rubrics", "scenarios"} & set(rel.parts[:-2]):
                    hint += "; their sub-folders are not read"
                problems.append(Problem(str(f), 1, NOT_IN_BANK + hint))
            else:
                skipped.append(str(f))
    return problems, skipped


_BANKS: dict[Path, tuple[tuple[Any, ...], quizzes.Bank]] = {}


def _load_bank(root: Path) -> quizzes.Bank:
    """`quizzes.load_bank`, reused while no file in the folder changed (setup runs it often)."""
    key = root.resolve()
    stamp = tuple(
        (str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(key.rglob("*.y*ml"))
    )
    hit = _BANKS.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    bank = quizzes.load_bank(root)
    if len(_BANKS) > 16:
        _BANKS.clear()
    _BANKS[key] = (stamp, bank)
    return bank


def _add_bank(inc: _Incoming, root: Path, kinds: str = "rsq", only: str | None = None) -> None:
    bank = _load_bank(root)
    if "r" in kinds:
        for rid, r in bank.rubrics.items():
            if only is None or only == rid:
                inc.rubrics[rid] = (r, str(root / "rubrics" / f"{rid}.yaml"))
    if "s" in kinds:
        for sid, s in bank.scenarios.items():
            if only is None or only == sid:
                inc.scenarios[sid] = (s, str(root / "scenarios" / f"{sid}.yaml"))
    if "q" in kinds:
        for qid, q in bank.quizzes.items():
            inc.quizzes[qid] = (q, str(root / "quizzes.yaml"))


def _collect_import(paths: Sequence[Path]) -> _Incoming:
    """Validate every path and read what it holds; raises BankError listing every problem.

    Every YAML file under an imported folder is read or refused (see `_survey`); the other
    files are listed in `skipped`.
    """
    problems, skipped = _survey(paths)
    targets: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if _is_bank_root(p):
            continue  # load_bank validates the whole folder below
        if p.is_dir() and not (p.name in ("rubrics", "scenarios") and _is_bank_root(p.parent)):
            targets.extend(_bank_roots(p) or _loose_files(p))
        else:
            targets.append(p)
    problems.extend(quizzes.check(targets))
    inc = _Incoming(skipped=skipped)
    loose: list[Path] = []
    for raw in paths:
        p = Path(raw)
        try:
            if _is_bank_root(p):
                _add_bank(inc, p)
            elif p.is_dir() and p.name in ("rubrics", "scenarios") and _is_bank_root(p.parent):
                _add_bank(inc, p.parent, p.name[0])
            elif (
                p.is_file()
                and p.parent.name in ("rubrics", "scenarios")
                and _is_bank_root(p.parent.parent)
            ):
                _add_bank(inc, p.parent.parent, p.parent.name[0], only=p.stem)
            elif p.is_file() and p.name == "quizzes.yaml" and _is_bank_root(p.parent):
                _add_bank(inc, p.parent, "q")
            elif p.is_dir():
                roots = _bank_roots(p)
                for r in roots:
                    _add_bank(inc, r)
                if not roots:
                    loose.extend(_loose_files(p))
            else:
                loose.append(p)
        except BankError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BankError(dict.fromkeys(problems))  # in order, each once
    _add_loose(inc, loose)
    return inc


def _add_loose(inc: _Incoming, files: list[Path]) -> None:
    """Files outside a bank folder: rubrics first, then scenarios and quizzes, resolving
    references against the import and then the database."""
    problems: list[Problem] = []
    kinds: dict[str, list[tuple[Path, str]]] = {"r": [], "s": [], "q": []}
    for f in files:
        text = f.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        kind = "q" if "quizzes" in data else "s" if "type" in data else "r"
        kinds[kind].append((f, text))
    for f, text in kinds["r"]:
        r = quizzes.loads_rubric(text, str(f))
        inc.rubrics[r.id] = (r, str(f))
    for f, text in kinds["s"]:
        rid = yaml.safe_load(text).get("rubric")
        rubric = inc.rubrics[rid][0] if rid in inc.rubrics else None
        if rubric is None:
            row = latest_rubric_row(str(rid))
            rubric = load_rubric(row) if row is not None else None
        if rubric is None:
            problems.append(Problem(str(f), 1, f"rubric {rid!r} is neither imported nor stored"))
            continue
        try:
            s = quizzes.loads_scenario(text, str(f), rubric=rubric)
        except BankError as exc:
            problems.extend(exc.problems)
            continue
        inc.scenarios[s.id] = (s, str(f))
    for f, text in kinds["q"]:
        known: dict[str, Scenario] = {sid: s for sid, (s, _) in inc.scenarios.items()}
        for row in latest_scenarios():
            known.setdefault(row.scenario_key, load_scenario(row))
        try:
            for q in quizzes.loads_quizzes(text, str(f), scenarios=known):
                inc.quizzes[q.id] = (q, str(f))
        except BankError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BankError(problems)


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


def import_bank(
    paths: Sequence[Path], *, actor: User | None = None, now: datetime | None = None
) -> ImportReport:
    """Import rubrics, scenarios and quizzes.yaml, all or nothing, in one transaction.

    Everything is validated first (BankError lists FILE:LINE problems and nothing changes).
    """
    now = _now(now)
    inc = _collect_import(paths)
    report = ImportReport(skipped=list(inc.skipped))
    try:
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
        db.session.flush()

        problems: list[Problem] = []
        stored = {r.scenario_key: r for r in latest_scenarios()}
        for sid in sorted(inc.scenarios):
            s, file = inc.scenarios[sid]
            rv = rubric_rows.get(s.rubric) or latest_rubric_row(s.rubric)
            if rv is None:
                problems.append(Problem(file, 1, f"rubric {s.rubric!r} not found"))
                continue
            latest = stored.get(sid)
            fp = quizzes.scenario_fingerprint(s)
            if (
                latest is not None
                and latest.fingerprint == fp
                and latest.rubric_version_id == rv.id
            ):
                report.add("scenarios", "unchanged")
                continue
            version = _next_version(ScenarioVersion, ScenarioVersion.scenario_key, sid)
            db.session.add(new_scenario_row(s, version, rv, actor, now))
            report.add("scenarios", "updated" if latest else "created")

        # A new rubric version re-pins the stored scenarios it grades (if they still fit).
        for row in latest_scenarios():
            if row.scenario_key in inc.scenarios:
                continue
            rid = row.rubric_version.rubric_key
            if rid not in changed_rubrics:
                continue
            new_rv, file = changed_rubrics[rid]
            try:
                s = quizzes.loads_scenario(
                    data_to_yaml(row.data), file=file, rubric=load_rubric(new_rv)
                )
            except BankError as exc:
                problems.extend(
                    Problem(
                        file,
                        1,
                        f"stored scenario {row.scenario_key!r} v{row.version} "
                        f"would not fit this rubric: {p.message}",
                    )
                    for p in exc.problems
                )
                continue
            version = _next_version(ScenarioVersion, ScenarioVersion.scenario_key, row.scenario_key)
            db.session.add(new_scenario_row(s, version, new_rv, actor, now))
            report.add("scenarios", "updated")
        db.session.flush()

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
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


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
    for row in latest_scenarios():
        path = root / "scenarios" / f"{row.scenario_key}.yaml"
        path.write_text(quizzes.dump_scenario(load_scenario(row)), encoding="utf-8")
        written.append(path)
    defs = list(db.session.scalars(select(QuizDefinition).order_by(QuizDefinition.id)))
    if defs:
        path = root / "quizzes.yaml"
        path.write_text(quizzes.dump_quizzes(quiz_object(d) for d in defs), encoding="utf-8")
        written.append(path)
    return written


def setup_bank() -> str:
    """Import the bundled bank (for `postrx setup`); a no-op when nothing changed."""
    report = import_bank([quizzes.default_bank_root()])
    return "Scenario bank: " + str(report).replace("\n", "; ")


def bank_listing() -> tuple[str, list[dict[str, Any]]]:
    """Rows for `postrx scenarios list`: from the database when a bank has been imported
    (latest published versions), else from the bundled files. Returns (source, rows)."""
    rows = latest_scenarios()
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


# --------------------------------------------------------------------------- status and policy


@dataclass(frozen=True, slots=True)
class QuizStatus:
    quiz_key: str
    title: str
    module_slug: str | None
    is_final: bool
    pass_mark: float
    max_attempts: int
    cooldown_hours: float
    keep: str
    best_score: float | None
    passed: bool
    attempts_used: int
    attempts_left: int
    next_allowed_at: datetime | None
    in_progress_attempt_id: int | None
    awaiting_review: bool
    scenario_count: int = 0  # scenarios one attempt presents
    awaiting_since: datetime | None = None  # submission of the oldest attempt under review
    provisional_pass: bool = False  # passed on a clear provisional grade (release: provisional)

    @property
    def can_start(self) -> bool:
        return self.in_progress_attempt_id is not None or self.attempts_left > 0


def quiz_definition(quiz_key: str) -> QuizDefinition | None:
    return db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == quiz_key))


def quiz_for_module(module_slug: str) -> QuizDefinition | None:
    return db.session.scalar(
        select(QuizDefinition)
        .where(QuizDefinition.module_slug == module_slug, QuizDefinition.is_final.is_(False))
        .order_by(QuizDefinition.id)
        .limit(1)
    )


def _attempts(enrollment: Enrollment, quiz_key: str) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.enrollment_id == enrollment.id, Attempt.quiz_key == quiz_key)
            .order_by(Attempt.started_at, Attempt.id)
        )
    )


def _window(
    attempts: Iterable[Attempt], qd: QuizDefinition, now: datetime
) -> tuple[int, datetime | None]:
    """(attempts used in the current window, end of the cool-down if locked)."""
    used = 0
    lock_until: datetime | None = None
    for a in attempts:
        started = _aware(a.started_at)
        if used >= qd.max_attempts and lock_until is not None and started >= lock_until:
            used, lock_until = 0, None
        used += 1
        if used >= qd.max_attempts and a.submitted_at is not None:
            lock_until = _aware(a.submitted_at) + timedelta(hours=qd.cooldown_hours)
    if used >= qd.max_attempts and lock_until is not None and now >= lock_until:
        return 0, None
    if used >= qd.max_attempts:
        return used, lock_until
    return used, None


def _status(qd: QuizDefinition, attempts: list[Attempt], now: datetime) -> QuizStatus:
    used, lock = _window(attempts, qd, now)
    graded = [a for a in attempts if a.status == "graded"]
    if qd.keep == "latest" and graded:
        latest = max(graded, key=lambda a: (_aware(a.graded_at) or now, a.id))
        best, passed = latest.score, bool(latest.passed)
    else:
        best = max((a.score for a in graded if a.score is not None), default=None)
        passed = any(a.passed for a in graded)
    in_progress = next((a.id for a in attempts if a.status == "in_progress"), None)
    waiting = [a for a in attempts if a.status == "awaiting_review"]
    provisional = (
        not passed
        and qd.release == "provisional"
        and any((a.result or {}).get("provisional_clear_pass") for a in waiting)
    )
    return QuizStatus(
        quiz_key=qd.quiz_key,
        title=qd.title,
        module_slug=qd.module_slug,
        is_final=qd.is_final,
        pass_mark=qd.pass_mark,
        max_attempts=qd.max_attempts,
        cooldown_hours=qd.cooldown_hours,
        keep=qd.keep,
        best_score=best,
        passed=passed or provisional,
        attempts_used=used,
        attempts_left=max(0, qd.max_attempts - used),
        next_allowed_at=lock,
        in_progress_attempt_id=in_progress,
        awaiting_review=bool(waiting),
        scenario_count=quiz_object(qd).shown,
        awaiting_since=min(
            (_aware(a.submitted_at) for a in waiting if a.submitted_at), default=None
        ),
        provisional_pass=provisional,
    )


def quiz_status(enrollment: Enrollment, quiz_key: str, now: datetime | None = None) -> QuizStatus:
    qd = quiz_definition(quiz_key)
    if qd is None:
        raise QuizError(f"there is no quiz {quiz_key!r}")
    return _status(qd, _attempts(enrollment, quiz_key), _now(now))


def _definitions() -> list[QuizDefinition]:
    defs = list(db.session.scalars(select(QuizDefinition)))
    return sorted(defs, key=lambda d: (d.is_final, d.module_slug or "", d.quiz_key))


def quiz_summary(enrollment: Enrollment, now: datetime | None = None) -> list[QuizStatus]:
    """Every quiz (module quizzes in module order, then the final) with this learner's status."""
    now = _now(now)
    by_quiz: dict[str, list[Attempt]] = {}
    for a in db.session.scalars(
        select(Attempt)
        .where(Attempt.enrollment_id == enrollment.id)
        .order_by(Attempt.started_at, Attempt.id)
    ):
        by_quiz.setdefault(a.quiz_key, []).append(a)
    return [_status(qd, by_quiz.get(qd.quiz_key, []), now) for qd in _definitions()]


def required_quizzes_passed(enrollment: Enrollment) -> bool:
    """Every module quiz and the final passed (False while no final assessment is defined)."""
    summary = quiz_summary(enrollment)
    return any(s.is_final for s in summary) and all(s.passed for s in summary)


# --------------------------------------------------------------------------- enrollment


@lru_cache(maxsize=1)
def _course_version() -> str:
    try:
        from modules import default_content_root, load_course

        return load_course(default_content_root() / COURSE_SLUG).version
    except Exception:  # the quiz works without the course content
        return "1"


def learner_enrollment(user: User) -> Enrollment:
    """The learner's current cycle in the course, created (flushed) on first use."""
    from app.services.enrollment import ensure_enrollment

    return ensure_enrollment(user, COURSE_SLUG, _course_version())


def current_learner_enrollment(user: User) -> Enrollment | None:
    from app.services.enrollment import current_enrollment

    return current_enrollment(user, COURSE_SLUG)


# --------------------------------------------------------------------------- attempts


def get_attempt_for(user: User, attempt_id: int) -> Attempt | None:
    """The attempt if it belongs to `user`; None otherwise (the view answers 404)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        return None
    return attempt


def start_attempt(
    user: User, enrollment: Enrollment, quiz_key: str, now: datetime | None = None
) -> Attempt:
    """Start an attempt (or return the one in progress) under the attempt policy."""
    now = _now(now)
    if enrollment.user_id != user.id:
        raise QuizError("this enrollment belongs to someone else")
    try:
        qd = quiz_definition(quiz_key)
        if qd is None:
            raise QuizError(f"there is no quiz {quiz_key!r}")
        # Serialise starts per enrollment (two tabs must not open two attempts).
        db.session.execute(
            select(Enrollment.id).where(Enrollment.id == enrollment.id).with_for_update()
        )
        attempts = _attempts(enrollment, quiz_key)
        for a in attempts:
            if a.status == "in_progress":
                db.session.commit()
                return a
        status = _status(qd, attempts, now)
        if status.attempts_left <= 0:
            when = status.next_allowed_at
            raise AttemptNotAllowed(
                "You have used all your attempts for now."
                + (f" You can try again after {when:%d %b %Y %H:%M} UTC." if when else ""),
                when,
            )
        seed = secrets.randbelow(2**31)
        ids = []
        for key in quizzes.draw(quiz_object(qd), seed, _times_seen(attempts)):
            row = _latest_scenario(key)
            if row is None:
                raise QuizError(f"quiz {quiz_key!r} uses scenario {key!r}, which is not stored")
            ids.append(row.id)
        attempt = Attempt(
            enrollment_id=enrollment.id,
            user_id=user.id,
            quiz_key=quiz_key,
            quiz_version=qd.version,
            pass_mark=qd.pass_mark,
            status="in_progress",
            started_at=now,
            shuffle_seed=seed,
            scenario_version_ids=ids,
        )
        db.session.add(attempt)
        record("quiz.start", actor=user, subject=f"quiz:{quiz_key}", enrollment=enrollment.id)
        db.session.commit()
        return attempt
    except Exception:
        db.session.rollback()
        raise


def _times_seen(attempts: Iterable[Attempt]) -> dict[str, int]:
    """How often each scenario key was presented in these attempts (for the draw)."""
    ids = [i for a in attempts for i in a.scenario_version_ids]
    if not ids:
        return {}
    key_of = dict(
        db.session.execute(
            select(ScenarioVersion.id, ScenarioVersion.scenario_key).where(
                ScenarioVersion.id.in_(set(ids))
            )
        ).all()
    )
    seen: dict[str, int] = {}
    for i in ids:
        seen[key_of[i]] = seen.get(key_of[i], 0) + 1
    return seen


def scenario_rows(attempt: Attempt) -> list[ScenarioVersion]:
    """The attempt's scenario versions in presented order."""
    rows = {
        r.id: r
        for r in db.session.scalars(
            select(ScenarioVersion).where(ScenarioVersion.id.in_(attempt.scenario_version_ids))
        )
    }
    return [rows[i] for i in attempt.scenario_version_ids]


def _clean_response(scenario: Scenario, selected: Sequence[str], text: str) -> tuple[list, str]:
    known = [o.id for o in scenario.options]
    chosen = [o for o in known if o in set(selected or ())]
    if scenario.type in ("single", "multi"):
        if len(set(selected or ())) != len(chosen):
            raise QuizError("That option is not part of this scenario.")
        if scenario.type == "single" and len(chosen) > 1:
            raise QuizError("Choose one option.")
        return chosen, ""
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise QuizError(f"Answers can be at most {MAX_TEXT} characters.")
    return [], text


def save_answer(
    attempt: Attempt,
    scenario_version_id: int,
    selected: Sequence[str],
    text: str,
    now: datetime | None = None,
) -> AttemptAnswer:
    """Save (or replace) the learner's answer to one scenario of an attempt in progress."""
    now = _now(now)
    try:
        if attempt.status != "in_progress":
            raise QuizError("This attempt has been submitted; answers can no longer change.")
        if scenario_version_id not in attempt.scenario_version_ids:
            raise QuizError("That scenario is not part of this attempt.")
        row = db.session.get(ScenarioVersion, scenario_version_id)
        chosen, clean_text = _clean_response(load_scenario(row), selected, text)
        answer = attempt.answer_for(scenario_version_id)
        if answer is None:
            answer = AttemptAnswer(attempt=attempt, scenario_version_id=scenario_version_id)
            db.session.add(answer)
        answer.selected = chosen
        answer.text = clean_text
        answer.saved_at = now
        db.session.commit()
        return answer
    except IntegrityError:  # the same answer saved at the same moment from another tab
        db.session.rollback()
        db.session.refresh(attempt)
        return save_answer(attempt, scenario_version_id, selected, text, now)
    except Exception:
        db.session.rollback()
        raise


def _is_answered(scenario: Scenario, answer: AttemptAnswer | None) -> bool:
    if answer is None:
        return False
    if scenario.type in TEXT_TYPES:
        return bool(answer.text.strip())
    return bool(answer.selected)


def _needs_review(review: str, scenario: Scenario, result: ScenarioResult) -> bool:
    if review == "none" or scenario.type not in TEXT_TYPES:
        return False
    if review == "all":
        return True
    return result.needs_review


def _quiz_result(attempt: Attempt, rows: list[ScenarioVersion]) -> QuizResult:
    results = [ScenarioResult.from_dict(a.result) for a in attempt.answers if a.result is not None]
    keys = [r.scenario_key for r in rows]
    quiz = Quiz(
        id=attempt.quiz_key,
        title=attempt.quiz_key,
        scenarios=tuple(keys),
        pass_mark=attempt.pass_mark,
    )
    return quizzes.grade_quiz(quiz, results)


def _clear_provisional_pass(attempt: Attempt, qr: QuizResult) -> bool:
    """A provisional result that review cannot turn into a fail: it passes even if every
    criterion in doubt drops to nothing, and no answer waiting for review has a critical
    criterion at its lowest level or in doubt."""
    if not qr.passed:
        return False
    worst_total = 0.0
    for answer in attempt.answers:
        criteria = (answer.result or {}).get("criteria", ())
        if not answer.needs_review:
            worst_total += (answer.result or {}).get("score", 0.0)
            continue
        num = den = 0.0
        for c in criteria:
            doubtful = c.get("confidence", 1.0) < LOW_CONFIDENCE
            if c.get("critical") and (c.get("is_lowest") or doubtful):
                return False
            num += c["weight"] * (0.0 if doubtful else c["points"])
            den += c["weight"] * c["max_points"]
        worst_total += num / den if den else 0.0
    shown = len(attempt.scenario_version_ids) or 1
    return worst_total / shown >= qr.pass_mark - 1e-9


def _finalise(attempt: Attempt, rows: list[ScenarioVersion], now: datetime) -> None:
    qr = _quiz_result(attempt, rows)
    attempt.result = qr.to_dict()
    if any(a.needs_review for a in attempt.answers):
        attempt.result["provisional_clear_pass"] = _clear_provisional_pass(attempt, qr)
        attempt.status = "awaiting_review"
        attempt.score = None
        attempt.passed = None
    else:
        attempt.status = "graded"
        attempt.score = qr.score
        attempt.passed = qr.passed
        attempt.graded_at = now


def submit_attempt(
    attempt_id: int,
    user: User,
    now: datetime | None = None,
    *,
    privacy_check: PrivacyChecker | None = None,
) -> Attempt:
    """Grade the attempt exactly once, however many times it is posted at the same moment.

    A conditional UPDATE (in_progress -> grading) claims the attempt; whoever does not get the
    row (rowcount 0) returns the attempt as it stands after the winner's commit.
    """
    now = _now(now)
    attempt = get_attempt_for(user, attempt_id)
    if attempt is None:
        raise QuizError("No such attempt.")
    try:
        claimed = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id, Attempt.status == "in_progress")
            .values(status="grading")
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            db.session.refresh(attempt)
            return attempt
        rows = scenario_rows(attempt)
        review = qd.review if (qd := quiz_definition(attempt.quiz_key)) else "low-confidence"
        for row in rows:
            scenario = load_scenario(row)
            rubric = load_rubric(row.rubric_version)
            answer = attempt.answer_for(row.id)
            if not _is_answered(scenario, answer):
                continue
            result = quizzes.grade(
                scenario,
                rubric,
                Response(selected=tuple(answer.selected), text=answer.text),
                privacy_check=privacy_check,
            )
            answer.result = result.to_dict()
            answer.needs_review = _needs_review(review, scenario, result)
        attempt.submitted_at = now
        _finalise(attempt, rows, now)
        record(
            "quiz.graded",
            actor=user,
            subject=f"attempt:{attempt.id}",
            quiz=attempt.quiz_key,
            status=attempt.status,
            score=attempt.score,
            passed=attempt.passed,
        )
        db.session.commit()
        return attempt
    except Exception:
        db.session.rollback()
        raise


def answers_needing_review() -> list[AttemptAnswer]:
    """The educators' review queue, oldest first."""
    return list(
        db.session.scalars(
            select(AttemptAnswer)
            .join(Attempt)
            .where(AttemptAnswer.needs_review.is_(True), Attempt.status == "awaiting_review")
            .order_by(AttemptAnswer.saved_at)
        )
    )


def apply_review(
    answer: AttemptAnswer,
    criterion_id: str,
    level_id: str,
    note: str,
    reviewer: User,
    now: datetime | None = None,
) -> AttemptAnswer:
    """An educator confirms or changes one criterion's level (with a note, audited)."""
    return apply_reviews(answer, {criterion_id: level_id}, note, reviewer, now)


def apply_reviews(
    answer: AttemptAnswer,
    levels: Mapping[str, str],
    note: str,
    reviewer: User,
    now: datetime | None = None,
) -> AttemptAnswer:
    """Apply an educator's decisions on several criteria as ONE transaction, each audited.

    When no answer of the attempt needs review any more, the attempt is graded. Any bad
    criterion or level rolls back every decision.
    """
    now = _now(now)
    try:
        if answer.result is None:
            raise QuizError("This answer has not been graded yet.")
        row = answer.scenario_version
        rubric = load_rubric(row.rubric_version)
        result = ScenarioResult.from_dict(answer.result)
        for criterion_id, level_id in levels.items():
            old_level = result.criterion(criterion_id).level_id
            try:
                result = quizzes.apply_override(result, criterion_id, level_id, note, rubric)
            except (KeyError, ValueError) as exc:
                raise QuizError(str(exc).strip("'\"")) from exc
            record(
                "quiz.review",
                actor=reviewer,
                subject=f"attempt_answer:{answer.id}",
                attempt=answer.attempt_id,
                criterion=criterion_id,
                old_level=old_level,
                new_level=level_id,
                note=note.strip(),
            )
        answer.result = result.to_dict()
        answer.needs_review = result.needs_review
        answer.reviewed_at = now
        answer.reviewer_id = reviewer.id
        attempt = answer.attempt
        if attempt.status in ("awaiting_review", "graded"):
            _finalise(attempt, scenario_rows(attempt), now)
        db.session.commit()
        return answer
    except Exception:
        db.session.rollback()
        raise


# --------------------------------------------------------------------------- views' data


@dataclass(frozen=True, slots=True)
class QuestionView:
    """What an answer page may show: the public scenario and the learner's saved answer."""

    index: int  # 1-based
    total: int
    row_id: int
    public: quizzes.PublicScenario
    selected: tuple[str, ...]
    text: str
    answered: bool


def _shown_order(attempt: Attempt, scenario: Scenario) -> tuple[str, ...]:
    """Option ids in the order this attempt shows them (written order for old attempts)."""
    return tuple(
        o.id for o in quizzes.ordered_options(scenario.options, attempt.shuffle_seed, scenario.id)
    )


def questions(attempt: Attempt) -> list[QuestionView]:
    rows = scenario_rows(attempt)
    out = []
    for i, row in enumerate(rows, start=1):
        scenario = load_scenario(row)
        answer = attempt.answer_for(row.id)
        public = scenario.public_view()
        if public.options:
            by_id = {o.id: o for o in public.options}
            order = _shown_order(attempt, scenario)
            public = replace(public, options=tuple(by_id[i] for i in order))
        out.append(
            QuestionView(
                index=i,
                total=len(rows),
                row_id=row.id,
                public=public,
                selected=tuple(answer.selected) if answer else (),
                text=answer.text if answer else "",
                answered=_is_answered(scenario, answer),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CriterionView:
    title: str
    level_id: str
    level_descriptor: str
    points: float
    max_points: float
    feedback: str
    guidelines: tuple[tuple[int, str], ...]
    evidence: tuple[quizzes.Evidence, ...]
    critical_failure: bool
    override_note: str | None


@dataclass(frozen=True, slots=True)
class ScenarioReview:
    """After submission: the whole scenario, the answer and its graded result."""

    index: int
    scenario: Scenario
    selected: tuple[str, ...]
    text: str
    answered: bool
    result: ScenarioResult | None
    criteria: tuple[CriterionView, ...]
    needs_review: bool
    guideline_names: tuple[tuple[int, str], ...]


def _criterion_views(rubric: Rubric, result: ScenarioResult) -> tuple[CriterionView, ...]:
    out = []
    for cr in result.criteria:
        crit = rubric.criterion(cr.criterion_id)
        level = crit.level(cr.level_id)
        out.append(
            CriterionView(
                title=crit.title,
                level_id=cr.level_id,
                level_descriptor=level.descriptor,
                points=cr.points,
                max_points=cr.max_points,
                feedback=cr.feedback,
                guidelines=tuple((g, guideline_wording(g)) for g in cr.guidelines),
                evidence=cr.evidence,
                critical_failure=cr.critical_failure,
                override_note=cr.override_note,
            )
        )
    return tuple(out)


def review_items(attempt: Attempt) -> list[ScenarioReview]:
    """Per presented scenario, everything the result page may show. Only after submission.

    Options (in the scenario and in the option feedback) come in the order the learner saw."""
    if attempt.status in ("in_progress", "grading"):
        raise QuizError("The result is shown after the attempt is submitted.")
    out = []
    for i, row in enumerate(scenario_rows(attempt), start=1):
        scenario = load_scenario(row)
        rubric = load_rubric(row.rubric_version)
        answer = attempt.answer_for(row.id)
        result = ScenarioResult.from_dict(answer.result) if answer and answer.result else None
        order = {oid: n for n, oid in enumerate(_shown_order(attempt, scenario))}
        if scenario.options:
            scenario = replace(
                scenario, options=tuple(sorted(scenario.options, key=lambda o: order[o.id]))
            )
        if result is not None and result.option_feedback:
            result = replace(
                result,
                option_feedback=tuple(
                    sorted(result.option_feedback, key=lambda f: order.get(f.option_id, 0))
                ),
            )
        out.append(
            ScenarioReview(
                index=i,
                scenario=scenario,
                selected=tuple(answer.selected) if answer else (),
                text=answer.text if answer else "",
                answered=_is_answered(scenario, answer),
                result=result,
                criteria=_criterion_views(rubric, result) if result else (),
                needs_review=bool(answer and answer.needs_review),
                guideline_names=tuple((g, guideline_wording(g)) for g in scenario.guidelines),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class ResultPage:
    """The result page: the items and how much of them the review options let it show."""

    items: list[ScenarioReview]
    shows: str  # score | feedback | answers (quizzes.REVIEW_SHOWS)
    why: str  # one sentence for the learner: why the model answers are (not) shown


def result_page(attempt: Attempt, now: datetime | None = None) -> ResultPage:
    """Apply the quiz's review options (Moodle's anchor): after a failed attempt, feedback that
    teaches without revealing the keyed options of scenarios that may be drawn again; all of it
    after a pass, or when no attempt is left."""
    items = review_items(attempt)
    qd = quiz_definition(attempt.quiz_key)
    if qd is None:
        return ResultPage(items, "answers", "")
    opts = quiz_object(qd).review_options
    attempts = list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.enrollment_id == attempt.enrollment_id)
            .where(Attempt.quiz_key == attempt.quiz_key)
            .order_by(Attempt.started_at, Attempt.id)
        )
    )
    status = _status(qd, attempts, _now(now))
    if attempt.passed or status.passed:
        shows, why = opts.passed, "You have passed this quiz."
    elif status.attempts_left == 0 and status.in_progress_attempt_id is None:
        shows, why = opts.exhausted, "You have used the attempts for this window."
    else:
        shows = opts.failed
        why = (
            "The right options and the model answers are shown once you pass or have used "
            "your attempts: these scenarios may come up again on a retake."
        )
    if shows != "answers":
        items = [_without_key_evidence(item) for item in items]
    return ResultPage(items, shows, why)


def _without_key_evidence(item: ScenarioReview) -> ScenarioReview:
    """Drop evidence that names options the learner did not choose (it reveals the key)."""
    criteria = tuple(
        replace(c, evidence=tuple(e for e in c.evidence if not e.detail.startswith("did not")))
        for c in item.criteria
    )
    return replace(item, criteria=criteria)


def quiz_title(quiz_key: str) -> str:
    qd = quiz_definition(quiz_key)
    return qd.title if qd else quiz_key


@dataclass(frozen=True, slots=True)
class LandingPage:
    definition: QuizDefinition
    status: QuizStatus
    attempts: list[Attempt]


def landing(user: User, quiz_key: str, now: datetime | None = None) -> LandingPage | None:
    """The quiz page: definition, the learner's status and previous attempts (None: no quiz).

    Reads only; a learner who has not started the course sees a fresh status."""
    now = _now(now)
    qd = quiz_definition(quiz_key)
    if qd is None:
        return None
    enrollment = current_learner_enrollment(user)
    attempts = _attempts(enrollment, quiz_key) if enrollment else []
    return LandingPage(qd, _status(qd, attempts, now), list(reversed(attempts)))


def learner_summary(user: User, now: datetime | None = None) -> list[QuizStatus]:
    enrollment = current_learner_enrollment(user)
    if enrollment is None:
        return [_status(qd, [], _now(now)) for qd in _definitions()]
    return quiz_summary(enrollment, now)


def module_quiz_card(
    user: User | None, module_slug: str, now: datetime | None = None
) -> QuizStatus | None:
    """The module's quiz and (for a signed-in learner) their status, for the module page."""
    qd = quiz_for_module(module_slug)
    if qd is None:
        return None
    enrollment = current_learner_enrollment(user) if user is not None else None
    attempts = _attempts(enrollment, qd.quiz_key) if enrollment else []
    return _status(qd, attempts, _now(now))


def start_for_user(user: User, quiz_key: str, now: datetime | None = None) -> Attempt:
    """Start (or resume) a quiz in the learner's current cycle, opening it if needed."""
    try:
        enrollment = learner_enrollment(user)
    except Exception:
        db.session.rollback()
        raise
    return start_attempt(user, enrollment, quiz_key, now)
