"""Load, validate and dump the scenario bank (rubrics, scenarios, quizzes.yaml).

Every problem names FILE:LINE: message; line numbers come from the YAML node marks, recorded by
a loader that builds ordinary dicts and lists annotated with the lines of their keys and items.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .matching import phrase_problem
from .model import (
    GUIDELINES,
    MODULES,
    PRIVACY_RISKS,
    PROFESSIONS,
    RELEASE_MODES,
    REVIEW_SHOWS,
    RISKS,
    SCENARIO_TYPES,
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

__all__ = [
    "JSON_SCHEMA",
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
QUIZ_ORDERS = ("fixed", "random")
QUIZ_KEEP = ("best", "latest")
QUIZ_REVIEW = ("low-confidence", "all", "none")
TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (required, optional)
    "single": (("options",), ()),
    "multi": (("options", "mapping"), ()),
    "free_text": (("concepts",), ("min_words",)),
    "post_draft": (("concepts", "privacy_criterion", "privacy_levels"), ("min_words",)),
}
COMMON_FIELDS = (
    "id",
    "version",
    "title",
    "type",
    "rubric",
    "profession",
    "platform",
    "module",
    "guidelines",
    "risks",
    "situation",
    "prompt",
    "debrief",
    "criteria",
)
ALL_TYPE_FIELDS = (
    "options",
    "mapping",
    "min_words",
    "concepts",
    "privacy_criterion",
    "privacy_levels",
)


def default_bank_root() -> Path:
    """The bank bundled with the package: quizzes/bank/social-media-for-hcps."""
    return Path(__file__).resolve().parent / "bank" / COURSE


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


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


# --------------------------------------------------------------------------- YAML with lines


class _Map(dict):
    """A dict that remembers the line of the mapping, of each key and of each value."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]


class _Seq(list):
    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    duplicate_keys: list[tuple[int, Any]]


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    m = _Map()
    m.line = node.start_mark.line + 1
    m.key_lines, m.value_lines = {}, {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        kline = knode.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader.duplicate_keys.append((kline, "a mapping key must be a plain value"))
            continue
        if key in m:
            loader.duplicate_keys.append((kline, f"duplicate key {key!r}"))
        m[key] = loader.construct_object(vnode, deep=True)
        m.key_lines[key] = kline
        m.value_lines[key] = vnode.start_mark.line + 1
    return m


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    s = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    s.line = node.start_mark.line + 1
    s.item_lines = [child.start_mark.line + 1 for child in node.value]
    return s


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _parse_yaml(text: str, file: str, problems: list[Problem]) -> Any:
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(file, line, f"invalid YAML: {exc.problem or exc.context}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(file, 1, f"invalid YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    problems.extend(Problem(file, line, msg) for line, msg in loader.duplicate_keys)
    if data is None:
        problems.append(Problem(file, 1, "file is empty"))
    return data


# --------------------------------------------------------------------------- validation kit


def _is_slug(v: Any) -> bool:
    if not isinstance(v, str) or not v:
        return False
    return v[0] in "abcdefghijklmnopqrstuvwxyz0123456789" and all(
        c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in v
    )


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class _V:
    """Collects problems for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def err(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    @staticmethod
    def line(container: Any, key: Any = None) -> int:
        if key is not None and isinstance(container, _Map) and key in container.value_lines:
            return container.value_lines[key]
        if isinstance(container, _Seq) and isinstance(key, int) and key < len(container.item_lines):
            return container.item_lines[key]
        return getattr(container, "line", 1)

    def mapping(
        self, m: Any, where: str, required: Iterable[str], optional: Iterable[str], line: int
    ) -> bool:
        if not isinstance(m, dict):
            self.err(line, f"{where} must be a mapping of fields")
            return False
        required, optional = tuple(required), tuple(optional)
        known = required + optional
        for k in m:
            if k not in known:
                hint = difflib.get_close_matches(str(k), known, n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                kline = m.key_lines.get(k, m.line) if isinstance(m, _Map) else line
                self.err(kline, f"{where}: unknown field {k!r}{extra}")
        for k in required:
            if k not in m:
                self.err(getattr(m, "line", line), f"{where}: missing required field {k!r}")
        return True

    def get(self, m: dict, key: str, where: str, ok: Callable[[Any], bool], want: str) -> Any:
        """The value if present and valid; None (with a problem if invalid) otherwise."""
        if key not in m:
            return None
        v = m[key]
        if not ok(v):
            self.err(self.line(m, key), f"{where}: {key!r} must be {want}, got {v!r}")
            return None
        return v

    def text(self, m: dict, key: str, where: str) -> str | None:
        return self.get(m, key, where, lambda v: isinstance(v, str) and v.strip() != "", "text")

    def slug(self, m: dict, key: str, where: str) -> str | None:
        return self.get(m, key, where, _is_slug, "a lowercase slug like 'my-id-2'")

    def guidelines(self, m: dict, key: str, where: str) -> tuple[int, ...] | None:
        v = self.get(
            m,
            key,
            where,
            lambda v: isinstance(v, list) and len(v) > 0,
            "a non-empty list of guideline numbers 1..7",
        )
        if v is None:
            return None
        out: list[int] = []
        for i, g in enumerate(v):
            if not _is_int(g) or g not in GUIDELINES:
                self.err(self.line(v, i), f"{where}: guideline must be a number 1..7, got {g!r}")
                return None
            if g in out:
                self.err(self.line(v, i), f"{where}: guideline {g} is listed twice")
                return None
            out.append(g)
        return tuple(out)

    def slug_list(
        self, m: dict, key: str, where: str, *, allow_empty: bool = False
    ) -> tuple | None:
        v = self.get(
            m,
            key,
            where,
            lambda v: isinstance(v, list) and (allow_empty or len(v) > 0),
            "a list of ids" if allow_empty else "a non-empty list of ids",
        )
        if v is None:
            return None
        out: list[str] = []
        for i, s in enumerate(v):
            if not _is_slug(s):
                self.err(
                    self.line(v, i), f"{where}: {key!r} item must be a lowercase slug, got {s!r}"
                )
                return None
            if s in out:
                self.err(self.line(v, i), f"{where}: {key!r} lists {s!r} twice")
                return None
            out.append(s)
        return tuple(out)


def _no_level(where: str, crit: Criterion, level_id: Any) -> str:
    known = ", ".join(x.id for x in crit.levels)
    return f"{where}: criterion {crit.id!r} has no level {level_id!r} (levels: {known})"


def _check_file_id(v: _V, data: dict, kind: str, path: Path | None) -> None:
    if path is not None and _is_slug(data.get("id")) and path.stem != data["id"]:
        v.err(
            v.line(data, "id"), f"{kind} id {data['id']!r} must match the file name {path.name!r}"
        )


# --------------------------------------------------------------------------- rubric


def _parse_level(v: _V, d: Any, where: str, line: int) -> Level | None:
    if not v.mapping(d, where, ("id", "points", "descriptor", "feedback"), (), line):
        return None
    n = len(v.problems)
    lid = v.slug(d, "id", where)
    points = v.get(d, "points", where, _is_number, "a number")
    desc = v.text(d, "descriptor", where)
    fb = v.text(d, "feedback", where)
    if len(v.problems) > n or None in (lid, points, desc, fb):
        return None
    return Level(lid, points, desc, fb)


def _parse_criterion(v: _V, d: Any, line: int) -> Criterion | None:
    where = f"criterion {d.get('id')!r}" if isinstance(d, dict) else "criterion"
    if not v.mapping(
        d, where, ("id", "title", "guidelines", "weight", "levels"), ("critical",), line
    ):
        return None
    n = len(v.problems)
    cid = v.slug(d, "id", where)
    title = v.text(d, "title", where)
    gl = v.guidelines(d, "guidelines", where)
    weight = v.get(d, "weight", where, lambda x: _is_number(x) and x > 0, "a number > 0")
    critical = v.get(d, "critical", where, lambda x: isinstance(x, bool), "true or false")
    levels_raw = v.get(
        d, "levels", where, lambda x: isinstance(x, list) and len(x) >= 2, "a list of 2+ levels"
    )
    levels: list[Level] = []
    if levels_raw is not None:
        for i, ld in enumerate(levels_raw):
            lname = ld.get("id") if isinstance(ld, dict) else None
            lvl = _parse_level(v, ld, f"{where} level {lname!r}", v.line(levels_raw, i))
            if lvl is None:
                continue
            if any(x.id == lvl.id for x in levels):
                v.err(v.line(levels_raw, i), f"{where}: duplicate level id {lvl.id!r}")
                continue
            if not levels and lvl.points != 0:
                v.err(v.line(ld, "points"), f"{where}: the first (lowest) level must have 0 points")
            if levels and lvl.points <= levels[-1].points:
                v.err(
                    v.line(ld, "points"),
                    f"{where}: level points must increase strictly from lowest to highest "
                    f"({levels[-1].id!r} has {levels[-1].points}, {lvl.id!r} has {lvl.points})",
                )
            levels.append(lvl)
    if len(v.problems) > n or None in (cid, title, gl, weight, levels_raw):
        return None
    return Criterion(cid, title, gl, weight, tuple(levels), bool(critical))


def _parse_rubric(v: _V, data: Any, path: Path | None) -> Rubric | None:
    if not v.mapping(data, "rubric", ("id", "version", "title", "criteria"), ("description",), 1):
        return None
    n = len(v.problems)
    rid = v.slug(data, "id", "rubric")
    _check_file_id(v, data, "rubric", path)
    version = v.get(data, "version", "rubric", lambda x: _is_int(x) and x >= 1, "an integer >= 1")
    title = v.text(data, "title", "rubric")
    desc = v.get(data, "description", "rubric", lambda x: isinstance(x, str), "text")
    raw = v.get(
        data,
        "criteria",
        "rubric",
        lambda x: isinstance(x, list) and len(x) > 0,
        "a non-empty list of criteria",
    )
    criteria: list[Criterion] = []
    if raw is not None:
        for i, cd in enumerate(raw):
            crit = _parse_criterion(v, cd, v.line(raw, i))
            if crit is None:
                continue
            if any(c.id == crit.id for c in criteria):
                v.err(v.line(raw, i), f"rubric: duplicate criterion id {crit.id!r}")
                continue
            criteria.append(crit)
    if len(v.problems) > n or None in (rid, version, title, raw):
        return None
    return Rubric(rid, version, title, desc or "", tuple(criteria))


# --------------------------------------------------------------------------- scenario


def _parse_options(
    v: _V, data: dict, stype: str, criteria: tuple[str, ...] | None, rubric: Rubric | None
) -> tuple[Option, ...] | None:
    raw = v.get(
        data,
        "options",
        "scenario",
        lambda x: isinstance(x, list) and len(x) >= 2,
        "a list of 2+ options",
    )
    if raw is None:
        return None
    out: list[Option] = []
    ok = True
    for i, od in enumerate(raw):
        where = f"option {od.get('id')!r}" if isinstance(od, dict) else "option"
        line = v.line(raw, i)
        req = ("id", "text", "feedback") + (("levels",) if stype == "single" else ("correct",))
        opt_fields = (("correct",) if stype == "single" else ()) + ("pinned",)
        n = len(v.problems)
        if not v.mapping(od, where, req, opt_fields, line):
            ok = False
            continue
        oid = v.slug(od, "id", where)
        text = v.text(od, "text", where)
        fb = v.text(od, "feedback", where)
        correct = v.get(od, "correct", where, lambda x: isinstance(x, bool), "true or false")
        pinned = v.get(od, "pinned", where, lambda x: isinstance(x, bool), "true or false")
        levels: list[tuple[str, str]] = []
        if stype == "single" and "levels" in od:
            lv = od["levels"]
            lline = v.line(od, "levels")
            if not isinstance(lv, dict):
                v.err(lline, f"{where}: 'levels' must map each assessed criterion to a level id")
            else:
                for cid, lid in lv.items():
                    kl = lv.key_lines.get(cid, lline) if isinstance(lv, _Map) else lline
                    if criteria is not None and cid not in criteria:
                        v.err(
                            kl,
                            f"{where}: criterion {cid!r} is not assessed by this scenario "
                            f"(criteria: {', '.join(criteria)})",
                        )
                        continue
                    if not _is_slug(lid):
                        v.err(kl, f"{where}: level for {cid!r} must be a level id, got {lid!r}")
                        continue
                    if (
                        rubric is not None
                        and rubric.has_criterion(cid)
                        and not rubric.criterion(cid).has_level(lid)
                    ):
                        known = ", ".join(x.id for x in rubric.criterion(cid).levels)
                        v.err(
                            kl, f"{where}: criterion {cid!r} has no level {lid!r} (levels: {known})"
                        )
                        continue
                    levels.append((cid, lid))
                for cid in criteria or ():
                    if cid not in lv:
                        v.err(lline, f"{where}: gives no level for assessed criterion {cid!r}")
        if oid is not None and any(o.id == oid for o in out):
            v.err(line, f"scenario: duplicate option id {oid!r}")
        if len(v.problems) > n or None in (oid, text, fb):
            ok = False
            continue
        out.append(Option(oid, text, fb, tuple(levels), correct, bool(pinned)))
    return tuple(out) if ok else None


def _parse_mapping(
    v: _V,
    data: dict,
    criteria: tuple[str, ...] | None,
    options: tuple[Option, ...] | None,
    rubric: Rubric | None,
):
    raw = v.get(
        data,
        "mapping",
        "scenario",
        lambda x: isinstance(x, dict) and len(x) > 0,
        "a mapping from criterion id to rules",
    )
    if raw is None:
        return None
    n = len(v.problems)
    option_ids = {o.id for o in options} if options is not None else None
    out: list[tuple[str, tuple[MultiRule, ...]]] = []
    for cid, rules_raw in raw.items():
        kl = raw.key_lines.get(cid, raw.line)
        where = f"mapping for {cid!r}"
        if criteria is not None and cid not in criteria:
            v.err(kl, f"mapping: criterion {cid!r} is not assessed by this scenario")
            continue
        if not isinstance(rules_raw, list) or not rules_raw:
            v.err(v.line(raw, cid), f"{where}: must be a non-empty list of rules")
            continue
        crit = rubric.criterion(cid) if rubric is not None and rubric.has_criterion(cid) else None
        rules: list[MultiRule] = []
        for i, rd in enumerate(rules_raw):
            rline = v.line(rules_raw, i)
            last = i == len(rules_raw) - 1
            if not v.mapping(rd, f"{where} rule {i + 1}", ("level",), ("when",), rline):
                continue
            level = v.slug(rd, "level", f"{where} rule {i + 1}")
            if level is not None and crit is not None and not crit.has_level(level):
                v.err(
                    v.line(rd, "level"),
                    _no_level(where, crit, level),
                )
            when = rd.get("when")
            if "when" not in rd:
                if not last:
                    v.err(
                        rline,
                        f"{where}: only the last rule may omit 'when' "
                        "(rules after the default can never apply)",
                    )
                rules.append(MultiRule(level or "", is_default=True))
                continue
            if last:
                v.err(rline, f"{where}: the last rule must be the default (no 'when')")
            wline = v.line(rd, "when")
            if not v.mapping(
                when, f"{where} rule {i + 1} 'when'", (), ("all", "any", "none"), wline
            ):
                continue
            keys: dict[str, tuple[str, ...]] = {}
            for key in ("all", "any", "none"):
                if key not in when:
                    continue
                ids = when[key]
                il = v.line(when, key)
                if not isinstance(ids, list) or not ids:
                    v.err(il, f"{where}: 'when.{key}' must be a non-empty list of option ids")
                    continue
                for j, oid in enumerate(ids):
                    if option_ids is not None and oid not in option_ids:
                        v.err(
                            v.line(ids, j),
                            f"{where}: 'when.{key}' names unknown option {oid!r} "
                            f"(options: {', '.join(sorted(option_ids))})",
                        )
                keys[key] = tuple(ids)
            if not keys and not any(k in when for k in ("all", "any", "none")):
                v.err(wline, f"{where}: 'when' needs at least one of all / any / none")
            rules.append(
                MultiRule(
                    level or "", keys.get("all", ()), keys.get("any", ()), keys.get("none", ())
                )
            )
        out.append((cid, tuple(rules)))
    for cid in criteria or ():
        if cid not in raw:
            v.err(
                raw.line if isinstance(raw, _Map) else 1,
                f"mapping: no rules for assessed criterion {cid!r}",
            )
    return tuple(out) if len(v.problems) == n else None


def _parse_concepts(
    v: _V,
    data: dict,
    needed: tuple[str, ...] | None,
    criteria: tuple[str, ...] | None,
    rubric: Rubric | None,
):
    raw = v.get(
        data,
        "concepts",
        "scenario",
        lambda x: isinstance(x, dict) and len(x) > 0,
        "a mapping from criterion id to rules",
    )
    if raw is None:
        return None
    n = len(v.problems)
    out: list[tuple[str, tuple[ConceptRule, ...]]] = []

    def phrases(container: Any, key: Any, where: str) -> tuple[str, ...] | None:
        val = container[key]
        line = v.line(container, key)
        if not isinstance(val, list) or not val:
            v.err(line, f"{where}: must be a non-empty list of phrases")
            return None
        for j, p in enumerate(val):
            problem = phrase_problem(p)
            if problem:
                v.err(v.line(val, j), f"{where}: {problem}")
                return None
        return tuple(val)

    for cid, rules_raw in raw.items():
        kl = raw.key_lines.get(cid, raw.line)
        where = f"concepts for {cid!r}"
        if criteria is not None and cid not in criteria:
            v.err(kl, f"concepts: criterion {cid!r} is not assessed by this scenario")
            continue
        if not isinstance(rules_raw, list) or not rules_raw:
            v.err(v.line(raw, cid), f"{where}: must be a non-empty list of rules")
            continue
        crit = rubric.criterion(cid) if rubric is not None and rubric.has_criterion(cid) else None
        rules: list[ConceptRule] = []
        for i, rd in enumerate(rules_raw):
            rline = v.line(rules_raw, i)
            rw = f"{where} rule {i + 1}"
            if not v.mapping(rd, rw, ("level",), ("phrases", "all_of"), rline):
                continue
            level = v.slug(rd, "level", rw)
            if level is not None and crit is not None and not crit.has_level(level):
                v.err(
                    v.line(rd, "level"),
                    _no_level(where, crit, level),
                )
            ph = phrases(rd, "phrases", f"{rw} 'phrases'") if "phrases" in rd else ()
            if ph is None:
                continue
            groups: list[tuple[str, ...]] = []
            if "all_of" in rd:
                ao = rd["all_of"]
                if not isinstance(ao, list) or not ao:
                    v.err(v.line(rd, "all_of"), f"{rw}: 'all_of' must be a list of phrase lists")
                else:
                    for j in range(len(ao)):
                        g = phrases(ao, j, f"{rw} 'all_of' group {j + 1}")
                        if g is not None:
                            groups.append(g)
            rule = ConceptRule(level or "", ph or (), tuple(groups))
            if rules and rules[-1].is_default:
                v.err(
                    rline,
                    f"{where}: this rule comes after the default rule (no phrases), "
                    "so it can never apply",
                )
            rules.append(rule)
        out.append((cid, tuple(rules)))
    for cid in needed or ():
        if cid not in raw:
            v.err(
                raw.line if isinstance(raw, _Map) else 1,
                f"concepts: no rules for assessed criterion {cid!r}",
            )
    return tuple(out) if len(v.problems) == n else None


def _parse_scenario(
    v: _V,
    data: Any,
    path: Path | None,
    rubrics: Mapping[str, Rubric] | None,
    broken_rubrics: frozenset[str] = frozenset(),
) -> Scenario | None:
    if not isinstance(data, dict):
        v.err(1, "scenario must be a mapping of fields")
        return None
    stype = data.get("type")
    req, opt = TYPE_FIELDS.get(stype, ((), ALL_TYPE_FIELDS))
    known = COMMON_FIELDS + req + opt
    for k in data:
        if k in known:
            continue
        kline = data.key_lines.get(k, 1) if isinstance(data, _Map) else 1
        if k in ALL_TYPE_FIELDS:
            v.err(kline, f"scenario: field {k!r} is not used by type {stype!r}")
        else:
            hint = difflib.get_close_matches(str(k), known, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            v.err(kline, f"scenario: unknown field {k!r}{extra}")
    for k in COMMON_FIELDS + req:
        if k not in data:
            v.err(getattr(data, "line", 1), f"scenario: missing required field {k!r}")
    n = len(v.problems)
    sid = v.slug(data, "id", "scenario")
    _check_file_id(v, data, "scenario", path)
    version = v.get(data, "version", "scenario", lambda x: _is_int(x) and x >= 1, "an integer >= 1")
    title = v.text(data, "title", "scenario")
    v.get(
        data,
        "type",
        "scenario",
        lambda x: x in SCENARIO_TYPES,
        f"one of {', '.join(SCENARIO_TYPES)}",
    )
    rubric_id = v.slug(data, "rubric", "scenario")
    profession = v.get(
        data,
        "profession",
        "scenario",
        lambda x: x in PROFESSIONS,
        f"one of {', '.join(PROFESSIONS)}",
    )
    platform = v.text(data, "platform", "scenario")
    module = v.get(
        data,
        "module",
        "scenario",
        lambda x: x in (*MODULES, "final"),
        f"a module slug ({', '.join(MODULES)}) or 'final'",
    )
    gl = v.guidelines(data, "guidelines", "scenario")
    risks = v.get(
        data,
        "risks",
        "scenario",
        lambda x: isinstance(x, list) and len(x) > 0,
        "a non-empty list of risk slugs",
    )
    if risks is not None:
        for i, r in enumerate(risks):
            if r not in RISKS:
                v.err(v.line(risks, i), f"scenario: unknown risk {r!r} (risks: {', '.join(RISKS)})")
        if len(set(map(str, risks))) != len(risks):
            v.err(v.line(data, "risks"), "scenario: a risk is listed twice")
    situation = v.text(data, "situation", "scenario")
    prompt = v.text(data, "prompt", "scenario")
    debrief = v.text(data, "debrief", "scenario")
    criteria = v.slug_list(data, "criteria", "scenario")

    rubric: Rubric | None = None
    if rubric_id is not None and rubrics is not None:
        rubric = rubrics.get(rubric_id)
        if rubric is None and rubric_id not in broken_rubrics:
            known = ", ".join(sorted(rubrics)) or "none"
            v.err(
                v.line(data, "rubric"),
                f"scenario: rubric {rubric_id!r} not found (rubrics: {known})",
            )
    if rubric is not None and criteria is not None:
        for i, cid in enumerate(criteria):
            if not rubric.has_criterion(cid):
                known = ", ".join(c.id for c in rubric.criteria)
                v.err(
                    v.line(data["criteria"], i),
                    f"scenario: rubric {rubric.id!r} has no criterion {cid!r} (criteria: {known})",
                )
        if gl is not None:
            measured = {g for c in rubric.criteria if c.id in criteria for g in c.guidelines}
            for i, g in enumerate(gl):
                if g not in measured:
                    v.err(
                        v.line(data["guidelines"], i),
                        f"scenario: guideline {g} is not measured by any assessed criterion "
                        f"(they measure {', '.join(map(str, sorted(measured))) or 'nothing'})",
                    )
    crit_rubric = (
        rubric
        if rubric is not None
        and criteria is not None
        and all(rubric.has_criterion(c) for c in criteria)
        else None
    )

    options: tuple[Option, ...] = ()
    mapping: tuple = ()
    concepts: tuple = ()
    min_words = 0
    pcrit: str | None = None
    plevels: tuple[tuple[str, str], ...] = ()
    if stype in ("single", "multi") and "options" in data:
        options = _parse_options(v, data, stype, criteria, crit_rubric) or ()
    if stype == "multi" and "mapping" in data:
        mapping = _parse_mapping(v, data, criteria, options or None, crit_rubric) or ()
    if stype in ("free_text", "post_draft"):
        mw = v.get(
            data, "min_words", "scenario", lambda x: _is_int(x) and x >= 0, "an integer >= 0"
        )
        min_words = mw or 0
        if stype == "post_draft":
            pcrit = v.slug(data, "privacy_criterion", "scenario")
            if pcrit is not None and criteria is not None and pcrit not in criteria:
                v.err(
                    v.line(data, "privacy_criterion"),
                    f"scenario: privacy_criterion {pcrit!r} is not one of the assessed criteria",
                )
            pl = v.get(
                data,
                "privacy_levels",
                "scenario",
                lambda x: isinstance(x, dict),
                "a mapping from risk (none/low/medium/high) to a level id",
            )
            if pl is not None:
                pc = (
                    crit_rubric.criterion(pcrit)
                    if crit_rubric is not None and pcrit and crit_rubric.has_criterion(pcrit)
                    else None
                )
                pairs = []
                for risk, lid in pl.items():
                    kl = pl.key_lines.get(risk, pl.line)
                    if risk not in PRIVACY_RISKS:
                        v.err(
                            kl,
                            f"scenario: privacy_levels key must be one of "
                            f"{', '.join(PRIVACY_RISKS)}, got {risk!r}",
                        )
                    elif pc is not None and not pc.has_level(lid):
                        v.err(
                            kl,
                            _no_level("scenario", pc, lid),
                        )
                    else:
                        pairs.append((risk, lid))
                for risk in PRIVACY_RISKS:
                    if risk not in pl:
                        v.err(pl.line, f"scenario: privacy_levels gives no level for risk {risk!r}")
                plevels = tuple(pairs)
        if "concepts" in data:
            needed = criteria
            if stype == "post_draft" and criteria is not None:
                needed = tuple(c for c in criteria if c != pcrit)
            concepts = _parse_concepts(v, data, needed, criteria, crit_rubric) or ()
    if len(v.problems) > n or None in (
        sid,
        version,
        title,
        rubric_id,
        profession,
        platform,
        module,
        gl,
        risks,
        situation,
        prompt,
        debrief,
        criteria,
    ):
        return None
    return Scenario(
        id=sid,
        version=version,
        title=title,
        type=stype,
        rubric=rubric_id,
        profession=profession,
        platform=platform,
        module=module,
        guidelines=gl,
        risks=tuple(risks),
        situation=situation,
        prompt=prompt,
        debrief=debrief,
        criteria=criteria,
        options=options,
        mapping=mapping,
        min_words=min_words,
        concepts=concepts,
        privacy_criterion=pcrit,
        privacy_levels=plevels,
    )


# --------------------------------------------------------------------------- quizzes.yaml


def _parse_attempts(v: _V, qd: dict, where: str) -> Attempts:
    if "attempts" not in qd:
        return Attempts()
    ad = qd["attempts"]
    aw = f"{where} attempts"
    if not v.mapping(ad, aw, (), ("max", "cooldown_hours", "keep"), v.line(qd, "attempts")):
        return Attempts()
    mx = v.get(ad, "max", aw, lambda x: _is_int(x) and x >= 1, "an integer >= 1")
    cd = v.get(ad, "cooldown_hours", aw, lambda x: _is_number(x) and x >= 0, "a number >= 0")
    keep = v.get(ad, "keep", aw, lambda x: x in QUIZ_KEEP, " or ".join(QUIZ_KEEP))
    return Attempts(
        mx if mx is not None else Attempts.max,
        cd if cd is not None else Attempts.cooldown_hours,
        keep or Attempts.keep,
    )


def _parse_review_options(v: _V, qd: dict, where: str) -> ReviewOptions:
    if "review_options" not in qd:
        return ReviewOptions()
    rd = qd["review_options"]
    rw = f"{where} review_options"
    keys = ("failed", "passed", "exhausted")
    if not v.mapping(rd, rw, (), keys, v.line(qd, "review_options")):
        return ReviewOptions()
    want = ", ".join(REVIEW_SHOWS)
    got = {k: v.get(rd, k, rw, lambda x: x in REVIEW_SHOWS, want) for k in keys}
    return ReviewOptions(**{k: val for k, val in got.items() if val is not None})


def _parse_slot(v: _V, sd: Any, where: str, line: int) -> Slot | None:
    if not v.mapping(sd, where, ("from",), ("pick", "title"), line):
        return None
    ids = v.slug_list(sd, "from", where)
    pick = v.get(sd, "pick", where, lambda x: _is_int(x) and x >= 1, "an integer >= 1")
    title = v.get(sd, "title", where, lambda x: isinstance(x, str) and x.strip(), "a title")
    if ids is None:
        return None
    pick = pick if pick is not None else 1
    if pick > len(ids):
        v.err(v.line(sd, "pick"), f"{where}: picks {pick} of {len(ids)} candidates")
        return None
    return Slot(ids, pick, title or "")


def _parse_slots(v: _V, qd: dict, where: str) -> tuple[Slot, ...] | None:
    """`draw:` slots, or one fixed slot per id of a plain `scenarios:` list."""
    if ("draw" in qd) == ("scenarios" in qd):
        v.err(v.line(qd), f"{where}: give either 'scenarios' or 'draw' (exactly one)")
        return None
    if "scenarios" in qd:
        ids = v.slug_list(qd, "scenarios", where)
        return None if ids is None else tuple(Slot((sid,)) for sid in ids)
    raw = v.get(qd, "draw", where, lambda x: isinstance(x, list) and len(x) > 0, "a non-empty list")
    if raw is None:
        return None
    parsed = [
        _parse_slot(v, sd, f"{where} slot {j + 1}", v.line(raw, j)) for j, sd in enumerate(raw)
    ]
    slots = tuple(s for s in parsed if s is not None)
    if len(slots) != len(parsed):
        return None
    seen: set[str] = set()
    for j, slot in enumerate(slots):
        for sid in slot.candidates:
            if sid in seen:
                v.err(v.line(raw, j), f"{where}: scenario {sid!r} is in more than one slot")
            seen.add(sid)
    return slots


def _slot_lines(v: _V, qd: dict) -> dict[str, int]:
    """The line each scenario id is written on, for errors about it."""
    if isinstance(qd.get("scenarios"), list):
        return {sid: v.line(qd["scenarios"], j) for j, sid in enumerate(qd["scenarios"])}
    out: dict[str, int] = {}
    for sd in qd.get("draw") or ():
        ids = sd.get("from") if isinstance(sd, dict) else None
        for k, sid in enumerate(ids if isinstance(ids, list) else ()):
            out[str(sid)] = v.line(ids, k)
    return out


def _check_quiz_scenarios(
    v: _V,
    qd: dict,
    where: str,
    slots: tuple[Slot, ...],
    module: str | None,
    scenarios: Mapping[str, Scenario],
    broken: frozenset[str],
) -> None:
    lines = _slot_lines(v, qd)
    for slot in slots:
        for sid in slot.candidates:
            sc = scenarios.get(sid)
            if sc is None:
                if sid not in broken:
                    v.err(lines.get(sid, v.line(qd)), f"{where}: scenario {sid!r} not found")
            elif module is not None and sc.module != module:
                v.err(
                    lines.get(sid, v.line(qd)),
                    f"{where}: scenario {sid!r} belongs to module {sc.module!r}, not {module!r}",
                )
    if module is None and not any(s in broken for slot in slots for s in slot.candidates):
        missing = _uncovered_guidelines(slots, scenarios)
        if missing:
            hint = (
                "; some draws miss them (give a slot whose candidates all cover each)"
                if "draw" in qd
                else ""
            )
            v.err(
                v.line(qd),
                f"{where}: the final assessment must cover all seven guidelines; "
                f"missing {', '.join(map(str, missing))}{hint}",
            )


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


def _parse_quiz(
    v: _V,
    qd: Any,
    line: int,
    scenarios: Mapping[str, Scenario] | None,
    broken: frozenset[str],
) -> Quiz | None:
    where = f"quiz {qd.get('id')!r}" if isinstance(qd, dict) else "quiz"
    optional = ("module", "final", "order", "attempts", "review", "review_options", "release")
    optional += ("scenarios", "draw")
    if not v.mapping(qd, where, ("id", "title", "pass_mark"), optional, line):
        return None
    qid = v.slug(qd, "id", where)
    title = v.text(qd, "title", where)
    module = v.get(
        qd, "module", where, lambda x: x in MODULES, f"a module slug ({', '.join(MODULES)})"
    )
    final = v.get(qd, "final", where, lambda x: isinstance(x, bool), "true or false")
    if ("module" in qd) == bool(final):
        v.err(line, f"{where}: give either 'module' or 'final: true' (exactly one)")
    slots = _parse_slots(v, qd, where)
    pass_mark = v.get(
        qd,
        "pass_mark",
        where,
        lambda x: _is_number(x) and 0 <= x <= 1,
        "a fraction between 0 and 1",
    )
    order = v.get(qd, "order", where, lambda x: x in QUIZ_ORDERS, " or ".join(QUIZ_ORDERS))
    review = v.get(qd, "review", where, lambda x: x in QUIZ_REVIEW, ", ".join(QUIZ_REVIEW))
    release = v.get(qd, "release", where, lambda x: x in RELEASE_MODES, " or ".join(RELEASE_MODES))
    attempts = _parse_attempts(v, qd, where)
    review_options = _parse_review_options(v, qd, where)
    if slots is not None and scenarios is not None:
        _check_quiz_scenarios(v, qd, where, slots, module, scenarios, broken)
    if qid is None or title is None or slots is None or pass_mark is None:
        return None
    return Quiz(
        id=qid,
        title=title,
        scenarios=tuple(sid for slot in slots for sid in slot.candidates),
        module=module,
        final=bool(final),
        pass_mark=pass_mark,
        order=order or "fixed",
        attempts=attempts,
        review=review or "low-confidence",
        slots=slots if "draw" in qd else (),
        review_options=review_options,
        release=release or "confirmed",
    )


def _parse_quizzes(
    v: _V, data: Any, scenarios: Mapping[str, Scenario] | None, broken: frozenset[str] = frozenset()
) -> tuple[Quiz, ...] | None:
    if not v.mapping(data, "quizzes.yaml", ("quizzes",), (), 1):
        return None
    raw = v.get(
        data,
        "quizzes",
        "quizzes.yaml",
        lambda x: isinstance(x, list) and len(x) > 0,
        "a non-empty list of quizzes",
    )
    if raw is None:
        return None
    n = len(v.problems)
    out: list[Quiz] = []
    for i, qd in enumerate(raw):
        quiz = _parse_quiz(v, qd, v.line(raw, i), scenarios, broken)
        if quiz is None:
            continue
        if any(q.id == quiz.id for q in out):
            v.err(v.line(qd, "id"), f"quizzes.yaml: duplicate quiz id {quiz.id!r}")
        out.append(quiz)
    return tuple(out) if len(v.problems) == n else None


# --------------------------------------------------------------------------- files and banks


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 1, f"cannot read file: {exc}"))
        return None
    return _parse_yaml(text, str(path), problems)


def _loads(text: str, file: str, parse: Callable[[_V, Any], Any]) -> Any:
    problems: list[Problem] = []
    data = _parse_yaml(text, file, problems)
    if data is None or problems:
        raise BankError(problems)
    v = _V(file)
    obj = parse(v, data)
    if v.problems or obj is None:
        raise BankError(v.problems or [Problem(file, 1, "invalid")])
    return obj


def loads_rubric(text: str, file: str = "<string>") -> Rubric:
    """Parse and validate one rubric document; raises BankError."""
    return _loads(text, file, lambda v, d: _parse_rubric(v, d, None))


def loads_scenario(text: str, file: str = "<string>", rubric: Rubric | None = None) -> Scenario:
    """Parse and validate one scenario; cross-checks against `rubric` when given."""
    rubrics = {rubric.id: rubric} if rubric is not None else None
    return _loads(text, file, lambda v, d: _parse_scenario(v, d, None, rubrics))


def loads_quizzes(
    text: str, file: str = "<string>", scenarios: Mapping[str, Scenario] | None = None
) -> tuple[Quiz, ...]:
    return _loads(text, file, lambda v, d: _parse_quizzes(v, d, scenarios))


def _yaml_files(folder: Path, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        return []
    for p in sorted(folder.glob("*.yml")):
        problems.append(Problem(str(p), 1, "bank files must end in .yaml"))
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def _collect(root: Path) -> tuple[Bank, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        return Bank(root, {}, {}, {}), [Problem(str(root), 1, "bank folder not found")]
    rubrics: dict[str, Rubric] = {}
    broken_r: set[str] = set()
    for path in _yaml_files(root / "rubrics", problems):
        v = _V(str(path))
        data = _read(path, v.problems)
        r = _parse_rubric(v, data, path) if data is not None and not v.problems else None
        problems.extend(v.problems)
        if r is None:
            broken_r.add(path.stem)
        else:
            rubrics[r.id] = r
    scenarios: dict[str, Scenario] = {}
    broken_s: set[str] = set()
    for path in _yaml_files(root / "scenarios", problems):
        v = _V(str(path))
        data = _read(path, v.problems)
        s = (
            _parse_scenario(v, data, path, rubrics, frozenset(broken_r))
            if data is not None and not v.problems
            else None
        )
        problems.extend(v.problems)
        if s is None:
            broken_s.add(path.stem)
        else:
            scenarios[s.id] = s
    quizzes: dict[str, Quiz] = {}
    qpath = root / "quizzes.yaml"
    if qpath.is_file():
        v = _V(str(qpath))
        data = _read(qpath, v.problems)
        qs = (
            _parse_quizzes(v, data, scenarios, frozenset(broken_s))
            if data is not None and not v.problems
            else None
        )
        problems.extend(v.problems)
        for q in qs or ():
            quizzes[q.id] = q
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
    v = _V(str(path))
    data = _read(path, v.problems)
    if data is None or v.problems:
        return v.problems
    if isinstance(data, dict) and "quizzes" in data:
        _parse_quizzes(v, data, None)
    elif isinstance(data, dict) and "type" in data:
        _parse_scenario(v, data, path, None)
    elif isinstance(data, dict) and "criteria" in data and "type" not in data:
        _parse_rubric(v, data, path)
    else:
        v.err(1, "cannot tell whether this is a rubric, a scenario or quizzes.yaml")
    return v.problems


def check(paths: Iterable[Path | str]) -> list[Problem]:
    """Problems in the given files or folders, cross-checked against their bank when found."""
    problems: list[Problem] = []
    collected: dict[Path, list[Problem]] = {}

    def bank_problems(root: Path) -> list[Problem]:
        key = root.resolve()
        if key not in collected:
            collected[key] = _collect(root)[1]
        return collected[key]

    def within(problem: Problem, target: Path) -> bool:
        f = Path(problem.file).resolve()
        t = target.resolve()
        return f == t or t in f.parents

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            problems.append(Problem(str(p), 1, "no such file or folder"))
            continue
        if _is_bank_root(p):
            problems.extend(bank_problems(p))
        elif p.is_dir() and p.name in ("rubrics", "scenarios") and _is_bank_root(p.parent):
            problems.extend(x for x in bank_problems(p.parent) if within(x, p))
        elif (
            p.is_file()
            and p.parent.name in ("rubrics", "scenarios")
            and _is_bank_root(p.parent.parent)
        ):
            problems.extend(x for x in bank_problems(p.parent.parent) if within(x, p))
        elif p.is_file() and p.name == "quizzes.yaml":
            problems.extend(x for x in bank_problems(p.parent) if within(x, p))
        elif p.is_dir():
            roots = sorted(
                {q.parent for q in p.rglob("quizzes.yaml")}
                | {q.parent for n in ("rubrics", "scenarios") for q in p.rglob(n) if q.is_dir()}
            )
            if roots:
                for r in roots:
                    problems.extend(bank_problems(r))
            else:
                for f in sorted(p.rglob("*.yaml")):
                    problems.extend(_check_loose(f))
        else:
            problems.extend(_check_loose(p))
    seen: set[Problem] = set()
    unique = []
    for x in problems:
        if x not in seen:
            seen.add(x)
            unique.append(x)
    return unique


# --------------------------------------------------------------------------- dumping


class _Flow(list):
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


# --------------------------------------------------------------------------- JSON Schema

_SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_TEXT = {"type": "string", "minLength": 1}
_GUIDELINES = {
    "type": "array",
    "items": {"type": "integer", "minimum": 1, "maximum": 7},
    "minItems": 1,
    "uniqueItems": True,
}
_SLUGS = {"type": "array", "items": _SLUG, "minItems": 1, "uniqueItems": True}
_PHRASES = {"type": "array", "items": _TEXT, "minItems": 1}
_LEVEL_MAP = {"type": "object", "additionalProperties": _SLUG}

_RUBRIC_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://postrx.example/schema/rubric.json",
    "title": "PostRx rubric",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "version", "title", "criteria"],
    "properties": {
        "id": _SLUG,
        "version": {"type": "integer", "minimum": 1},
        "title": _TEXT,
        "description": {"type": "string"},
        "criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "guidelines", "weight", "levels"],
                "properties": {
                    "id": _SLUG,
                    "title": _TEXT,
                    "guidelines": _GUIDELINES,
                    "weight": {"type": "number", "exclusiveMinimum": 0},
                    "critical": {"type": "boolean", "default": False},
                    "levels": {
                        "description": "lowest -> highest; first 0 points; strictly increasing",
                        "type": "array",
                        "minItems": 2,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "points", "descriptor", "feedback"],
                            "properties": {
                                "id": _SLUG,
                                "points": {"type": "number", "minimum": 0},
                                "descriptor": _TEXT,
                                "feedback": _TEXT,
                            },
                        },
                    },
                },
            },
        },
    },
}

_MULTI_RULE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["level"],
    "properties": {
        "level": _SLUG,
        "when": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                k: {"type": "array", "items": _SLUG, "minItems": 1} for k in ("all", "any", "none")
            },
        },
    },
}
_CONCEPT_RULE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["level"],
    "properties": {
        "level": _SLUG,
        "phrases": _PHRASES,
        "all_of": {"type": "array", "minItems": 1, "items": _PHRASES},
    },
}


def _option_schema(kind: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": _SLUG,
        "text": _TEXT,
        "feedback": _TEXT,
        "correct": {"type": "boolean"},
        "pinned": {"type": "boolean", "default": False},
    }
    if kind == "single":
        props["levels"] = _LEVEL_MAP
    return {
        "type": "array",
        "minItems": 2,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "text", "feedback", "levels" if kind == "single" else "correct"],
            "properties": props,
        },
    }


_SCENARIO_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://postrx.example/schema/scenario.json",
    "title": "PostRx scenario",
    "type": "object",
    "required": list(COMMON_FIELDS),
    "properties": {
        "id": _SLUG,
        "version": {"type": "integer", "minimum": 1},
        "title": _TEXT,
        "type": {"enum": list(SCENARIO_TYPES)},
        "rubric": _SLUG,
        "profession": {"enum": list(PROFESSIONS)},
        "platform": _TEXT,
        "module": {"enum": [*MODULES, "final"]},
        "guidelines": _GUIDELINES,
        "risks": {
            "type": "array",
            "items": {"enum": list(RISKS)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "situation": _TEXT,
        "prompt": _TEXT,
        "debrief": _TEXT,
        "criteria": _SLUGS,
        "options": {},
        "mapping": {},
        "min_words": {},
        "concepts": {},
        "privacy_criterion": {},
        "privacy_levels": {},
    },
    "unevaluatedProperties": False,
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "single"}}},
            "then": {
                "required": ["options"],
                "properties": {
                    "options": _option_schema("single"),
                    "mapping": False,
                    "concepts": False,
                    "min_words": False,
                    "privacy_criterion": False,
                    "privacy_levels": False,
                },
            },
        },
        {
            "if": {"properties": {"type": {"const": "multi"}}},
            "then": {
                "required": ["options", "mapping"],
                "properties": {
                    "options": _option_schema("multi"),
                    "mapping": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {
                            "type": "array",
                            "minItems": 1,
                            "items": _MULTI_RULE,
                        },
                    },
                    "concepts": False,
                    "min_words": False,
                    "privacy_criterion": False,
                    "privacy_levels": False,
                },
            },
        },
        {
            "if": {"properties": {"type": {"enum": ["free_text", "post_draft"]}}},
            "then": {
                "required": ["concepts"],
                "properties": {
                    "options": False,
                    "mapping": False,
                    "min_words": {"type": "integer", "minimum": 0, "default": 0},
                    "concepts": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {
                            "type": "array",
                            "minItems": 1,
                            "items": _CONCEPT_RULE,
                        },
                    },
                },
            },
        },
        {
            "if": {"properties": {"type": {"const": "free_text"}}},
            "then": {"properties": {"privacy_criterion": False, "privacy_levels": False}},
        },
        {
            "if": {"properties": {"type": {"const": "post_draft"}}},
            "then": {
                "required": ["privacy_criterion", "privacy_levels"],
                "properties": {
                    "privacy_criterion": _SLUG,
                    "privacy_levels": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": list(PRIVACY_RISKS),
                        "properties": dict.fromkeys(PRIVACY_RISKS, _SLUG),
                    },
                },
            },
        },
    ],
}

_QUIZZES_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://postrx.example/schema/quizzes.json",
    "title": "PostRx quizzes.yaml",
    "type": "object",
    "additionalProperties": False,
    "required": ["quizzes"],
    "properties": {
        "quizzes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "pass_mark"],
                "allOf": [
                    {
                        "oneOf": [
                            {"required": ["module"]},
                            {"required": ["final"], "properties": {"final": {"const": True}}},
                        ]
                    },
                    {"oneOf": [{"required": ["scenarios"]}, {"required": ["draw"]}]},
                ],
                "properties": {
                    "id": _SLUG,
                    "title": _TEXT,
                    "module": {"enum": list(MODULES)},
                    "final": {"type": "boolean"},
                    "scenarios": _SLUGS,
                    "draw": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["from"],
                            "properties": {
                                "title": _TEXT,
                                "from": _SLUGS,
                                "pick": {"type": "integer", "minimum": 1, "default": 1},
                            },
                        },
                    },
                    "pass_mark": {"type": "number", "minimum": 0, "maximum": 1},
                    "order": {"enum": list(QUIZ_ORDERS), "default": "fixed"},
                    "attempts": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "max": {"type": "integer", "minimum": 1, "default": 3},
                            "cooldown_hours": {"type": "number", "minimum": 0, "default": 0},
                            "keep": {"enum": list(QUIZ_KEEP), "default": "best"},
                        },
                    },
                    "review": {"enum": list(QUIZ_REVIEW), "default": "low-confidence"},
                    "review_options": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "failed": {"enum": list(REVIEW_SHOWS), "default": "feedback"},
                            "passed": {"enum": list(REVIEW_SHOWS), "default": "answers"},
                            "exhausted": {"enum": list(REVIEW_SHOWS), "default": "answers"},
                        },
                    },
                    "release": {"enum": list(RELEASE_MODES), "default": "confirmed"},
                },
            },
        }
    },
}

JSON_SCHEMA: dict[str, dict[str, Any]] = {
    "rubric": _RUBRIC_SCHEMA,
    "scenario": _SCENARIO_SCHEMA,
    "quizzes": _QUIZZES_SCHEMA,
}
