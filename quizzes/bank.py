"""Load, validate and dump the scenario bank (rubrics, scenarios, quizzes.yaml).

Every problem names FILE:LINE: message. A file is checked in two steps: its structure against
the published JSON Schema (`quizzes.schema`, the one definition of the format), then — only once
that passes — what a schema cannot say: cross-references within the file and to the rest of the
bank (rubric, criteria, level ids, options, quiz scenarios, guideline coverage). The typed
dataclasses are built from data the schema has already accepted, so building cannot fail.
Lines come from the shared line-tracking YAML loader (`yamlsrc`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from yamlsrc import Problem, is_slug, line_at, load

from .matching import phrase_problem
from .model import (
    GUIDELINES,
    Attempts,
    ConceptRule,
    Criterion,
    Level,
    MultiRule,
    Option,
    Quiz,
    ReviewOptions,
    Rubric,
    Scenario,
    Slot,
)
from .schema import (
    ALL_TYPE_FIELDS,
    COMMON_FIELDS,
    JSON_SCHEMA,
    QUIZ_KEEP,
    QUIZ_ORDERS,
    QUIZ_REVIEW,
    TYPE_FIELDS,
    validate,
)

__all__ = [
    "ALL_TYPE_FIELDS",
    "COMMON_FIELDS",
    "JSON_SCHEMA",
    "QUIZ_KEEP",
    "QUIZ_ORDERS",
    "QUIZ_REVIEW",
    "TYPE_FIELDS",
    "Bank",
    "BankError",
    "Problem",
    "check",
    "default_bank_root",
    "dump_quizzes",
    "dump_rubric",
    "dump_scenario",
    "load_bank",
    "loads_quizzes",
    "loads_rubric",
    "loads_scenario",
    "rubric_fingerprint",
    "scenario_fingerprint",
]

COURSE = "social-media-for-hcps"
_is_slug = is_slug  # the one slug rule; app.services.authoring checks quiz keys with it

DocPath = tuple[Any, ...]  # a path into a loaded document: ("options", 2, "levels", "tone")


def default_bank_root() -> Path:
    """The bank bundled with the package: quizzes/bank/social-media-for-hcps."""
    return Path(__file__).resolve().parent / "bank" / COURSE


class BankError(Exception):
    """The bank (or one file) is invalid; `.problems` lists every FILE:LINE: message."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Bank:
    root: Path
    rubrics: Mapping[str, Rubric]
    scenarios: Mapping[str, Scenario]
    quizzes: Mapping[str, Quiz] = field(default_factory=dict)

    def rubric_for(self, scenario: Scenario) -> Rubric:
        return self.rubrics[scenario.rubric]

    def quiz_scenarios(self, quiz_id: str) -> tuple[Scenario, ...]:
        return tuple(self.scenarios[s] for s in self.quizzes[quiz_id].scenarios)


# --------------------------------------------------------------------------- reading


def _parse_yaml(text: str, file: str, problems: list[Problem]) -> Any:
    """Line-tracking data of one file (None, with a problem, if unreadable or empty)."""
    source = load(text, file, problems)
    if source is None:
        return None
    if source.data is None:
        problems.append(Problem(file, 1, "file is empty"))
    return source.data


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 1, f"cannot read file: {exc}"))
        return None
    return _parse_yaml(text, str(path), problems)


class _Report:
    """The cross-reference problems of one file, each placed by the path of what it is about."""

    def __init__(self, file: str, doc: Any) -> None:
        self.file = file
        self.doc = doc
        self.problems: list[Problem] = []

    def at(self, path: DocPath, message: str, *, key: bool = False) -> None:
        line = line_at(self.doc, path, key=key)
        self.problems.append(Problem(self.file, line, message))


def _no_level(where: str, crit: Criterion, level_id: str) -> str:
    known = ", ".join(x.id for x in crit.levels)
    return f"{where}: criterion {crit.id!r} has no level {level_id!r} (levels: {known})"


def _check_file_id(r: _Report, kind: str, path: Path | None) -> None:
    ident = r.doc["id"]
    if path is not None and path.stem != ident:
        r.at(("id",), f"{kind} id {ident!r} must match the file name {path.name!r}")


# --------------------------------------------------------------------------- rubric


def _build_rubric(d: Mapping[str, Any]) -> Rubric:
    criteria = tuple(
        Criterion(
            c["id"],
            c["title"],
            tuple(int(g) for g in c["guidelines"]),
            c["weight"],
            tuple(Level(x["id"], x["points"], x["descriptor"], x["feedback"]) for x in c["levels"]),
            bool(c.get("critical", False)),
        )
        for c in d["criteria"]
    )
    return Rubric(d["id"], int(d["version"]), d["title"], d.get("description") or "", criteria)


def _check_levels(r: _Report, i: int, crit: Criterion) -> None:
    where = f"criterion {crit.id!r}"
    kept: list[Level] = []
    for j, lvl in enumerate(crit.levels):
        path = ("criteria", i, "levels", j)
        if any(x.id == lvl.id for x in kept):
            r.at(path, f"{where}: duplicate level id {lvl.id!r}")
            continue
        if not kept and lvl.points != 0:
            r.at((*path, "points"), f"{where}: the first (lowest) level must have 0 points")
        if kept and lvl.points <= kept[-1].points:
            r.at(
                (*path, "points"),
                f"{where}: level points must increase strictly from lowest to highest "
                f"({kept[-1].id!r} has {kept[-1].points}, {lvl.id!r} has {lvl.points})",
            )
        kept.append(lvl)


def _rubric(file: str, data: Any, path: Path | None) -> tuple[Rubric | None, list[Problem]]:
    problems = validate("rubric", data, file)
    if problems:
        return None, problems
    rubric = _build_rubric(data)
    r = _Report(file, data)
    _check_file_id(r, "rubric", path)
    for i, crit in enumerate(rubric.criteria):
        _check_levels(r, i, crit)
        if any(c.id == crit.id for c in rubric.criteria[:i]):
            r.at(("criteria", i), f"rubric: duplicate criterion id {crit.id!r}")
    return (None if r.problems else rubric), r.problems


# --------------------------------------------------------------------------- scenario


def _build_option(d: Mapping[str, Any], stype: str) -> Option:
    levels = tuple(d.get("levels", {}).items()) if stype == "single" else ()
    return Option(
        d["id"], d["text"], d["feedback"], levels, d.get("correct"), bool(d.get("pinned", False))
    )


def _build_multi_rule(d: Mapping[str, Any]) -> MultiRule:
    if "when" not in d:
        return MultiRule(d["level"], is_default=True)
    when = d["when"]
    return MultiRule(
        d["level"],
        all=tuple(when.get("all", ())),
        any=tuple(when.get("any", ())),
        none=tuple(when.get("none", ())),
    )


def _build_concept_rule(d: Mapping[str, Any]) -> ConceptRule:
    groups = tuple(tuple(g) for g in d.get("all_of", ()))
    return ConceptRule(d["level"], tuple(d.get("phrases", ())), groups)


def _build_scenario(d: Mapping[str, Any]) -> Scenario:
    stype = d["type"]
    return Scenario(
        id=d["id"],
        version=int(d["version"]),
        title=d["title"],
        type=stype,
        rubric=d["rubric"],
        profession=d["profession"],
        platform=d["platform"],
        module=d["module"],
        guidelines=tuple(int(g) for g in d["guidelines"]),
        risks=tuple(d["risks"]),
        situation=d["situation"],
        prompt=d["prompt"],
        debrief=d["debrief"],
        criteria=tuple(d["criteria"]),
        options=tuple(_build_option(o, stype) for o in d.get("options", ())),
        mapping=tuple(
            (cid, tuple(_build_multi_rule(x) for x in rules))
            for cid, rules in d.get("mapping", {}).items()
        ),
        min_words=int(d.get("min_words", 0)),
        concepts=tuple(
            (cid, tuple(_build_concept_rule(x) for x in rules))
            for cid, rules in d.get("concepts", {}).items()
        ),
        privacy_criterion=d.get("privacy_criterion"),
        privacy_levels=tuple(d.get("privacy_levels", {}).items()),
    )


def _scenario_rubric(
    r: _Report, s: Scenario, rubrics: Mapping[str, Rubric] | None, broken: frozenset[str]
) -> Rubric | None:
    if rubrics is None:
        return None
    rubric = rubrics.get(s.rubric)
    if rubric is None and s.rubric not in broken:
        known = ", ".join(sorted(rubrics)) or "none"
        r.at(("rubric",), f"scenario: rubric {s.rubric!r} not found (rubrics: {known})")
    return rubric


def _check_criteria(r: _Report, s: Scenario, rubric: Rubric | None) -> Rubric | None:
    """Criteria exist and measure the guidelines; the rubric back when it has them all."""
    if rubric is None:
        return None
    known = ", ".join(c.id for c in rubric.criteria)
    for i, cid in enumerate(s.criteria):
        if not rubric.has_criterion(cid):
            r.at(
                ("criteria", i),
                f"scenario: rubric {rubric.id!r} has no criterion {cid!r} (criteria: {known})",
            )
    measured = {g for c in rubric.criteria if c.id in s.criteria for g in c.guidelines}
    for i, g in enumerate(s.guidelines):
        if g not in measured:
            r.at(
                ("guidelines", i),
                f"scenario: guideline {g} is not measured by any assessed criterion "
                f"(they measure {', '.join(map(str, sorted(measured))) or 'nothing'})",
            )
    return rubric if all(rubric.has_criterion(c) for c in s.criteria) else None


def _check_option_levels(r: _Report, s: Scenario, i: int, rubric: Rubric | None) -> None:
    o = s.options[i]
    where, path = f"option {o.id!r}", ("options", i, "levels")
    for cid, lid in o.levels:
        if cid not in s.criteria:
            r.at(
                (*path, cid),
                f"{where}: criterion {cid!r} is not assessed by this scenario "
                f"(criteria: {', '.join(s.criteria)})",
                key=True,
            )
        elif rubric is not None and not rubric.criterion(cid).has_level(lid):
            r.at((*path, cid), _no_level(where, rubric.criterion(cid), lid), key=True)
    given = {cid for cid, _ in o.levels}
    for cid in s.criteria:
        if cid not in given:
            r.at(path, f"{where}: gives no level for assessed criterion {cid!r}")


def _check_options(r: _Report, s: Scenario, rubric: Rubric | None) -> None:
    for i, o in enumerate(s.options):
        if s.type == "single":
            _check_option_levels(r, s, i, rubric)
        if any(x.id == o.id for x in s.options[:i]):
            r.at(("options", i), f"scenario: duplicate option id {o.id!r}")


def _rules_for(
    r: _Report, s: Scenario, field_name: str, cid: str, rubric: Rubric | None
) -> tuple[bool, Criterion | None]:
    """Whether rules for `cid` belong here, and its criterion when the rubric is known."""
    if cid not in s.criteria:
        r.at(
            (field_name, cid),
            f"{field_name}: criterion {cid!r} is not assessed by this scenario",
            key=True,
        )
        return False, None
    return True, rubric.criterion(cid) if rubric is not None else None


def _check_covered(
    r: _Report, field_name: str, written: Iterable[str], needed: Iterable[str]
) -> None:
    """Every criterion that needs rules has some."""
    have = set(written)
    for cid in needed:
        if cid not in have:
            r.at((field_name,), f"{field_name}: no rules for assessed criterion {cid!r}")


def _check_multi_rule(
    r: _Report,
    path: DocPath,
    rule: MultiRule,
    *,
    last: bool,
    crit: Criterion | None,
    option_ids: list[str],
) -> None:
    where = f"mapping for {path[1]!r}"
    if crit is not None and not crit.has_level(rule.level):
        r.at((*path, "level"), _no_level(where, crit, rule.level))
    if rule.is_default:
        if not last:
            r.at(
                path,
                f"{where}: only the last rule may omit 'when' "
                "(rules after the default can never apply)",
            )
        return
    if last:
        r.at(path, f"{where}: the last rule must be the default (no 'when')")
    for key in ("all", "any", "none"):
        for j, oid in enumerate(getattr(rule, key)):
            if oid not in option_ids:
                r.at(
                    (*path, "when", key, j),
                    f"{where}: 'when.{key}' names unknown option {oid!r} "
                    f"(options: {', '.join(option_ids)})",
                )


def _check_mapping(r: _Report, s: Scenario, rubric: Rubric | None) -> None:
    option_ids = sorted(o.id for o in s.options)
    for cid, rules in s.mapping:
        ok, crit = _rules_for(r, s, "mapping", cid, rubric)
        for i, rule in enumerate(rules if ok else ()):
            last = i == len(rules) - 1
            _check_multi_rule(
                r, ("mapping", cid, i), rule, last=last, crit=crit, option_ids=option_ids
            )
    _check_covered(r, "mapping", (cid for cid, _ in s.mapping), s.criteria)


def _check_phrases(r: _Report, path: DocPath, where: str, phrases: tuple[str, ...]) -> None:
    for j, phrase in enumerate(phrases):
        problem = phrase_problem(phrase)
        if problem:
            r.at((*path, j), f"{where}: {problem}")


def _check_concept_rules(
    r: _Report, cid: str, rules: tuple[ConceptRule, ...], crit: Criterion | None
) -> None:
    where = f"concepts for {cid!r}"
    for i, rule in enumerate(rules):
        path, rw = ("concepts", cid, i), f"{where} rule {i + 1}"
        if crit is not None and not crit.has_level(rule.level):
            r.at((*path, "level"), _no_level(where, crit, rule.level))
        _check_phrases(r, (*path, "phrases"), f"{rw} 'phrases'", rule.phrases)
        for j, group in enumerate(rule.all_of):
            _check_phrases(r, (*path, "all_of", j), f"{rw} 'all_of' group {j + 1}", group)
        if any(earlier.is_default for earlier in rules[:i]):
            r.at(
                path,
                f"{where}: this rule comes after the default rule (no phrases), "
                "so it can never apply",
            )


def _check_concepts(r: _Report, s: Scenario, rubric: Rubric | None) -> None:
    for cid, rules in s.concepts:
        ok, crit = _rules_for(r, s, "concepts", cid, rubric)
        if ok:
            _check_concept_rules(r, cid, rules, crit)
    needed = [c for c in s.criteria if not (s.type == "post_draft" and c == s.privacy_criterion)]
    _check_covered(r, "concepts", (cid for cid, _ in s.concepts), needed)


def _check_privacy(r: _Report, s: Scenario, rubric: Rubric | None) -> None:
    pcrit = s.privacy_criterion or ""
    if pcrit not in s.criteria:
        r.at(
            ("privacy_criterion",),
            f"scenario: privacy_criterion {pcrit!r} is not one of the assessed criteria",
        )
        return
    if rubric is None:
        return
    crit = rubric.criterion(pcrit)
    for risk, lid in s.privacy_levels:
        if not crit.has_level(lid):
            r.at(("privacy_levels", risk), _no_level("scenario", crit, lid), key=True)


def _scenario(
    file: str,
    data: Any,
    path: Path | None,
    rubrics: Mapping[str, Rubric] | None,
    broken_rubrics: frozenset[str] = frozenset(),
) -> tuple[Scenario | None, list[Problem]]:
    problems = validate("scenario", data, file)
    if problems:
        return None, problems
    s = _build_scenario(data)
    r = _Report(file, data)
    _check_file_id(r, "scenario", path)
    rubric = _check_criteria(r, s, _scenario_rubric(r, s, rubrics, broken_rubrics))
    _check_options(r, s, rubric)
    if s.type == "multi":
        _check_mapping(r, s, rubric)
    if s.type == "post_draft":
        _check_privacy(r, s, rubric)
    if s.type in ("free_text", "post_draft"):
        _check_concepts(r, s, rubric)
    return (None if r.problems else s), r.problems


# --------------------------------------------------------------------------- quizzes.yaml


def _build_quiz(d: Mapping[str, Any]) -> Quiz:
    if "draw" in d:
        slots = tuple(
            Slot(tuple(x["from"]), int(x.get("pick", 1)), x.get("title", "")) for x in d["draw"]
        )
    else:
        slots = tuple(Slot((sid,)) for sid in d["scenarios"])
    attempts = dict(d.get("attempts", {}))
    if "max" in attempts:
        attempts["max"] = int(attempts["max"])
    return Quiz(
        id=d["id"],
        title=d["title"],
        scenarios=tuple(sid for slot in slots for sid in slot.candidates),
        module=d.get("module"),
        final=bool(d.get("final", False)),
        pass_mark=d["pass_mark"],
        order=d.get("order", "fixed"),
        attempts=Attempts(**attempts),
        review=d.get("review", "low-confidence"),
        slots=slots if "draw" in d else (),
        review_options=ReviewOptions(**d.get("review_options", {})),
        release=d.get("release", "confirmed"),
    )


def _check_slots(r: _Report, path: DocPath, where: str, quiz: Quiz) -> None:
    for j, slot in enumerate(quiz.slots):
        if slot.pick > len(slot.candidates):
            r.at(
                (*path, "draw", j, "pick"),
                f"{where} slot {j + 1}: picks {slot.pick} of {len(slot.candidates)} candidates",
            )
    seen: set[str] = set()
    for j, slot in enumerate(quiz.slots):
        for sid in slot.candidates:
            if sid in seen:
                r.at((*path, "draw", j), f"{where}: scenario {sid!r} is in more than one slot")
            seen.add(sid)


def _id_paths(doc: Mapping[str, Any]) -> list[tuple[str, DocPath]]:
    """Each scenario id of a quiz with the path it is written at."""
    if "scenarios" in doc:
        return [(sid, ("scenarios", k)) for k, sid in enumerate(doc["scenarios"])]
    return [
        (sid, ("draw", j, "from", k))
        for j, slot in enumerate(doc["draw"])
        for k, sid in enumerate(slot["from"])
    ]


def _uncovered_guidelines(slots: tuple[Slot, ...], scenarios: Mapping[str, Scenario]) -> list[int]:
    """Guidelines that some draw can miss: covered for sure only by a slot whose candidates
    all cover it (a slot picking every candidate covers the union)."""
    sure: set[int] = set()
    for slot in slots:
        found = [scenarios[s] for s in slot.candidates if s in scenarios]
        if not found:
            continue
        if slot.pick >= len(slot.candidates):
            sure.update(g for sc in found for g in sc.guidelines)
        else:
            sure.update(set.intersection(*(set(sc.guidelines) for sc in found)))
    return [g for g in GUIDELINES if g not in sure]


def _check_quiz_scenarios(
    r: _Report,
    path: DocPath,
    quiz: Quiz,
    scenarios: Mapping[str, Scenario],
    broken: frozenset[str],
) -> None:
    where = f"quiz {quiz.id!r}"
    for sid, at in _id_paths(r.doc["quizzes"][path[1]]):
        sc = scenarios.get(sid)
        if sc is None and sid not in broken:
            r.at((*path, *at), f"{where}: scenario {sid!r} not found")
        elif sc is not None and quiz.module is not None and sc.module != quiz.module:
            r.at(
                (*path, *at),
                f"{where}: scenario {sid!r} belongs to module {sc.module!r}, not {quiz.module!r}",
            )
    if quiz.module is not None or any(s in broken for s in quiz.scenarios):
        return
    missing = _uncovered_guidelines(quiz.draw_slots, scenarios)
    if missing:
        hint = "; some draws miss them (give a slot whose candidates all cover each)"
        r.at(
            path,
            f"{where}: the final assessment must cover all seven guidelines; "
            f"missing {', '.join(map(str, missing))}{hint if quiz.slots else ''}",
        )


def _quizzes(
    file: str,
    data: Any,
    scenarios: Mapping[str, Scenario] | None,
    broken: frozenset[str] = frozenset(),
) -> tuple[tuple[Quiz, ...] | None, list[Problem]]:
    problems = validate("quizzes", data, file)
    if problems:
        return None, problems
    quizzes = tuple(_build_quiz(q) for q in data["quizzes"])
    r = _Report(file, data)
    for i, quiz in enumerate(quizzes):
        path = ("quizzes", i)
        _check_slots(r, path, f"quiz {quiz.id!r}", quiz)
        if scenarios is not None:
            _check_quiz_scenarios(r, path, quiz, scenarios, broken)
        if any(q.id == quiz.id for q in quizzes[:i]):
            r.at((*path, "id"), f"quizzes.yaml: duplicate quiz id {quiz.id!r}")
    return (None if r.problems else quizzes), r.problems


# --------------------------------------------------------------------------- files and banks

_Loaded = TypeVar("_Loaded")  # what a `loads_*` function parses: a Rubric, a Scenario, quizzes


def _loads(
    text: str, file: str, finish: Callable[[Any], tuple[_Loaded | None, list[Problem]]]
) -> _Loaded:
    problems: list[Problem] = []
    data = _parse_yaml(text, file, problems)
    if data is None or problems:
        raise BankError(problems)
    obj, problems = finish(data)
    if problems or obj is None:
        raise BankError(problems or [Problem(file, 1, "invalid")])
    return obj


def loads_rubric(text: str, file: str = "<string>") -> Rubric:
    """Parse and validate one rubric document; raises BankError."""
    return _loads(text, file, lambda d: _rubric(file, d, None))


def loads_scenario(text: str, file: str = "<string>", rubric: Rubric | None = None) -> Scenario:
    """Parse and validate one scenario; cross-checks against `rubric` when given."""
    rubrics = {rubric.id: rubric} if rubric is not None else None
    return _loads(text, file, lambda d: _scenario(file, d, None, rubrics))


def loads_quizzes(
    text: str, file: str = "<string>", scenarios: Mapping[str, Scenario] | None = None
) -> tuple[Quiz, ...]:
    """Parse and validate quizzes.yaml; cross-checks against `scenarios` when given."""
    return _loads(text, file, lambda d: _quizzes(file, d, scenarios))


def _yaml_files(folder: Path, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        return []
    for p in sorted(folder.glob("*.yml")):
        problems.append(Problem(str(p), 1, "bank files must end in .yaml"))
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


Finish = Callable[
    [str, Any, Path], tuple[Any, list[Problem]]
]  # (file, data, path) -> (obj, problems)


def _read_all(
    folder: Path, problems: list[Problem], finish: Finish
) -> tuple[dict[str, Any], set[str]]:
    """Every file of one folder: the valid ones by id, and the stems of the broken ones."""
    good: dict[str, Any] = {}
    broken: set[str] = set()
    for path in _yaml_files(folder, problems):
        read: list[Problem] = []
        data = _read(path, read)
        obj, found = finish(str(path), data, path) if data is not None and not read else (None, [])
        problems.extend(read + found)
        if obj is None:
            broken.add(path.stem)
        else:
            good[obj.id] = obj
    return good, broken


def _collect(root: Path) -> tuple[Bank, list[Problem]]:
    """The bank at `root` with what loaded cleanly, and every problem found on the way."""
    problems: list[Problem] = []
    if not root.is_dir():
        return Bank(root, {}, {}, {}), [Problem(str(root), 1, "bank folder not found")]
    rubrics, broken_r = _read_all(root / "rubrics", problems, _rubric)
    scenarios, broken_s = _read_all(
        root / "scenarios",
        problems,
        lambda f, d, p: _scenario(f, d, p, rubrics, frozenset(broken_r)),
    )
    quizzes: dict[str, Quiz] = {}
    qpath = root / "quizzes.yaml"
    if qpath.is_file():
        read: list[Problem] = []
        data = _read(qpath, read)
        qs, found = (
            _quizzes(str(qpath), data, scenarios, frozenset(broken_s))
            if data is not None and not read
            else (None, [])
        )
        problems.extend(read + found)
        quizzes = {q.id: q for q in qs or ()}
    return Bank(root, rubrics, scenarios, quizzes), problems


def load_bank(root: Path | str) -> Bank:
    """Load and cross-check a whole bank folder; raises BankError listing every problem."""
    bank, problems = _collect(Path(root))
    if problems:
        raise BankError(problems)
    return bank


def _is_bank_root(p: Path) -> bool:
    return p.is_dir() and (
        (p / "rubrics").is_dir() or (p / "scenarios").is_dir() or (p / "quizzes.yaml").is_file()
    )


def _check_loose(path: Path) -> list[Problem]:
    """A YAML file outside any bank: validated on its own, kind guessed from its fields."""
    problems: list[Problem] = []
    data = _read(path, problems)
    if data is None or problems:
        return problems
    file = str(path)
    if isinstance(data, dict) and "quizzes" in data:
        return _quizzes(file, data, None)[1]
    if isinstance(data, dict) and "type" in data:
        return _scenario(file, data, path, None)[1]
    if isinstance(data, dict) and "criteria" in data:
        return _rubric(file, data, path)[1]
    return [Problem(file, 1, "cannot tell whether this is a rubric, a scenario or quizzes.yaml")]


def _bank_part(p: Path) -> tuple[Path, Path | None] | None:
    """(bank root, the part of it `p` names or None for all of it), if `p` is in a bank."""
    if _is_bank_root(p):
        return p, None
    if p.is_dir() and p.name in ("rubrics", "scenarios") and _is_bank_root(p.parent):
        return p.parent, p
    if p.is_file() and p.parent.name in ("rubrics", "scenarios") and _is_bank_root(p.parent.parent):
        return p.parent.parent, p
    if p.is_file() and p.name == "quizzes.yaml":
        return p.parent, p
    return None


def _within(problem: Problem, target: Path) -> bool:
    f = Path(problem.file).resolve()
    t = target.resolve()
    return f == t or t in f.parents


def check(paths: Iterable[Path | str]) -> list[Problem]:
    """Problems in the given files or folders, cross-checked against their bank when found."""
    collected: dict[Path, list[Problem]] = {}

    def bank_problems(root: Path) -> list[Problem]:
        key = root.resolve()
        if key not in collected:
            collected[key] = _collect(root)[1]
        return collected[key]

    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        part = _bank_part(p) if p.exists() else None
        if not p.exists():
            problems.append(Problem(str(p), 1, "no such file or folder"))
        elif part is not None:
            root, target = part
            problems.extend(x for x in bank_problems(root) if target is None or _within(x, target))
        elif p.is_dir():
            problems.extend(_check_folder(p, bank_problems))
        else:
            problems.extend(_check_loose(p))
    return list(dict.fromkeys(problems))


def _check_folder(p: Path, bank_problems: Callable[[Path], list[Problem]]) -> list[Problem]:
    """A folder that is not a bank: the banks inside it, else its loose YAML files."""
    roots = sorted(
        {q.parent for q in p.rglob("quizzes.yaml")}
        | {q.parent for n in ("rubrics", "scenarios") for q in p.rglob(n) if q.is_dir()}
    )
    if roots:
        return [x for r in roots for x in bank_problems(r)]
    return [x for f in sorted(p.rglob("*.yaml")) for x in _check_loose(f)]


# --------------------------------------------------------------------------- dumping


class _Flow(list[Any]):
    """A short list of scalars dumped on one line: [2, 1]."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _repr_str(dumper: yaml.SafeDumper, s: str) -> yaml.ScalarNode:
    style = "|" if "\n" in s else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)


def _repr_flow(dumper: yaml.SafeDumper, s: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(s), flow_style=True)


_Dumper.add_representer(str, _repr_str)
_Dumper.add_representer(_Flow, _repr_flow)


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def _plain_rubric(r: Rubric) -> dict[str, Any]:
    return {
        "id": r.id,
        "version": r.version,
        "title": r.title,
        "description": r.description,
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "guidelines": _Flow(c.guidelines),
                "weight": c.weight,
                "critical": c.critical,
                "levels": [
                    {
                        "id": lv.id,
                        "points": lv.points,
                        "descriptor": lv.descriptor,
                        "feedback": lv.feedback,
                    }
                    for lv in c.levels
                ],
            }
            for c in r.criteria
        ],
    }


def _plain_scenario(s: Scenario) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": s.id,
        "version": s.version,
        "title": s.title,
        "type": s.type,
        "rubric": s.rubric,
        "profession": s.profession,
        "platform": s.platform,
        "module": s.module,
        "guidelines": _Flow(s.guidelines),
        "risks": _Flow(s.risks),
        "situation": s.situation,
        "prompt": s.prompt,
        "debrief": s.debrief,
        "criteria": _Flow(s.criteria),
    }
    if s.type in ("single", "multi"):
        opts = []
        for o in s.options:
            od: dict[str, Any] = {"id": o.id, "text": o.text, "feedback": o.feedback}
            if s.type == "single":
                od["levels"] = dict(o.levels)
            if o.correct is not None:
                od["correct"] = o.correct
            if o.pinned:
                od["pinned"] = True
            opts.append(od)
        d["options"] = opts
    if s.type == "multi":
        d["mapping"] = {
            cid: [
                {"level": r.level}
                if r.is_default
                else {
                    "when": {
                        k: _Flow(getattr(r, k)) for k in ("all", "any", "none") if getattr(r, k)
                    },
                    "level": r.level,
                }
                for r in rules
            ]
            for cid, rules in s.mapping
        }
    if s.type in ("free_text", "post_draft"):
        d["min_words"] = s.min_words
        if s.type == "post_draft":
            d["privacy_criterion"] = s.privacy_criterion
            d["privacy_levels"] = dict(s.privacy_levels)
        concepts: dict[str, Any] = {}
        for cid, rules in s.concepts:
            out = []
            for r in rules:
                rd: dict[str, Any] = {"level": r.level}
                if r.phrases:
                    rd["phrases"] = list(r.phrases)
                if r.all_of:
                    rd["all_of"] = [list(g) for g in r.all_of]
                out.append(rd)
            concepts[cid] = out
        d["concepts"] = concepts
    return d


def _plain_quiz(q: Quiz) -> dict[str, Any]:
    d: dict[str, Any] = {"id": q.id, "title": q.title}
    if q.final:
        d["final"] = True
    else:
        d["module"] = q.module
    if q.slots:
        d["draw"] = [
            {
                **({"title": s.title} if s.title else {}),
                "from": _Flow(s.candidates),
                **({"pick": s.pick} if s.pick != 1 else {}),
            }
            for s in q.slots
        ]
    else:
        d["scenarios"] = list(q.scenarios)
    d.update(
        {
            "pass_mark": q.pass_mark,
            "order": q.order,
            "attempts": {
                "max": q.attempts.max,
                "cooldown_hours": q.attempts.cooldown_hours,
                "keep": q.attempts.keep,
            },
            "review": q.review,
        }
    )
    if q.review_options != ReviewOptions():
        ro = q.review_options
        d["review_options"] = {"failed": ro.failed, "passed": ro.passed, "exhausted": ro.exhausted}
    if q.release != "confirmed":
        d["release"] = q.release
    return d


def dump_rubric(r: Rubric) -> str:
    return _dump(_plain_rubric(r))


def dump_scenario(s: Scenario) -> str:
    return _dump(_plain_scenario(s))


def dump_quizzes(quizzes: Iterable[Quiz]) -> str:
    return _dump({"quizzes": [_plain_quiz(q) for q in quizzes]})


def _canonical(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _canonical(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_canonical(v) for v in x]
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _fingerprint(plain: dict[str, Any]) -> str:
    plain = {k: v for k, v in plain.items() if k != "version"}
    blob = json.dumps(_canonical(plain), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def scenario_fingerprint(s: Scenario) -> str:
    """Stable hash of everything but `version`: a different hash on import means a new version."""
    return _fingerprint(_plain_scenario(s))


def rubric_fingerprint(r: Rubric) -> str:
    return _fingerprint(_plain_rubric(r))
