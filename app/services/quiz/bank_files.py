"""Which files an import reads: bank folders, loose YAML files, what is skipped and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import quizzes
from app.services.quiz.bank import (
    _YAML_LOADER,
    latest_rubric_row,
    latest_scenarios,
    load_rubric,
    load_scenario,
)
from quizzes import (
    BankError,
    Problem,
    Quiz,
    Rubric,
    Scenario,
)


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
        for sv in latest_scenarios():
            known.setdefault(sv.scenario_key, load_scenario(sv))
        try:
            for q in quizzes.loads_quizzes(text, str(f), scenarios=known):
                inc.quizzes[q.id] = (q, str(f))
        except BankError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BankError(problems)
