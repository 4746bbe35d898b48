"""Item and guideline analytics over graded attempts.

The statistics are plain functions over numbers so they can be checked by hand; the query part
loads graded answers once and hands the numbers to them. Only graded attempts count: an attempt
waiting for review has no final total yet.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import select

from app.extensions import db
from app.models.quiz import Attempt, AttemptAnswer, ScenarioVersion

TOO_EASY = 0.9
TOO_HARD = 0.3


# --------------------------------------------------------------------------- pure statistics


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None when undefined (fewer than two pairs or no variance).

    With a 0/1 item score this is the point-biserial coefficient; with partial credit it is the
    same formula over the item's 0..1 score.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def flags_for(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    """Why an item deserves a second look: too easy, too hard or negative discrimination."""
    out: list[str] = []
    if facility is not None and facility > TOO_EASY:
        out.append("too easy")
    if facility is not None and facility < TOO_HARD:
        out.append("too hard")
    if discrimination is not None and discrimination < 0:
        out.append("negative discrimination")
    return tuple(out)


# --------------------------------------------------------------------------- result shapes


@dataclass(frozen=True, slots=True)
class OptionCount:
    option_id: str
    text: str
    count: int
    share: float  # of the answers to this item
    correct: bool | None


@dataclass(frozen=True, slots=True)
class CriterionAverage:
    criterion_id: str
    mean_points: float
    max_points: float
    levels: tuple[tuple[str, int], ...]  # level id -> how many answers landed there

    @property
    def fraction(self) -> float:
        return self.mean_points / self.max_points if self.max_points else 0.0


@dataclass(frozen=True, slots=True)
class ItemStats:
    scenario_key: str
    title: str
    type: str
    responses: int
    facility: float | None
    discrimination: float | None
    versions: tuple[int, ...]
    options: tuple[OptionCount, ...] = ()
    criteria: tuple[CriterionAverage, ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        return flags_for(self.facility, self.discrimination)


@dataclass(frozen=True, slots=True)
class GuidelineStats:
    guideline: int
    learners: int
    results: int
    mastery: float | None
    by_month: tuple[tuple[str, float, int], ...] = ()  # (YYYY-MM, mastery, results)


@dataclass(frozen=True, slots=True)
class Report:
    items: tuple[ItemStats, ...]
    guidelines: tuple[GuidelineStats, ...]
    attempts: int = 0
    flagged: tuple[ItemStats, ...] = field(default=())


# --------------------------------------------------------------------------- rows -> report


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One graded answer with what the statistics need (built from the database or a test)."""

    attempt_id: int
    user_id: int
    attempt_score: float
    month: str
    scenario_key: str
    version: int
    title: str
    type: str
    selected: tuple[str, ...]
    result: dict[str, Any]
    options: tuple[tuple[str, str, bool | None], ...] = ()  # (id, text, correct) of that version


def build_report(rows: Iterable[AnswerRow]) -> Report:
    """Compute item and guideline statistics from graded answers (pure)."""
    by_item: dict[str, list[AnswerRow]] = defaultdict(list)
    attempts: set[int] = set()
    g_all: dict[int, list[float]] = defaultdict(list)
    g_learners: dict[int, set[int]] = defaultdict(set)
    g_month: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_item[row.scenario_key].append(row)
        attempts.add(row.attempt_id)
        for cr in row.result.get("criteria", ()):
            frac = cr["points"] / cr["max_points"] if cr.get("max_points") else 0.0
            for g in cr.get("guidelines", ()):
                g_all[g].append(frac)
                g_learners[g].add(row.user_id)
                g_month[g][row.month].append(frac)
    items = tuple(_item_stats(key, rows_) for key, rows_ in sorted(by_item.items()))
    guidelines = tuple(
        GuidelineStats(
            guideline=g,
            learners=len(g_learners[g]),
            results=len(g_all[g]),
            mastery=mean(g_all[g]),
            by_month=tuple(
                (m, sum(v) / len(v), len(v)) for m, v in sorted(g_month[g].items()) if v
            ),
        )
        for g in range(1, 8)
    )
    flagged = tuple(i for i in items if i.flags)
    return Report(items, guidelines, len(attempts), flagged)


def _item_stats(key: str, rows: list[AnswerRow]) -> ItemStats:
    latest = max(rows, key=lambda r: r.version)
    scores = [float(r.result["score"]) for r in rows]
    totals = [r.attempt_score for r in rows]
    options: list[OptionCount] = []
    if latest.type in ("single", "multi"):
        counts = Counter(oid for r in rows for oid in r.selected)
        known: dict[str, tuple[str, bool | None]] = {}
        for r in sorted(rows, key=lambda r: r.version):
            for oid, text, correct in r.options:
                known[oid] = (text, correct)
        for oid in sorted(set(known) | set(counts)):
            text, correct = known.get(oid, ("", None))
            options.append(OptionCount(oid, text, counts[oid], counts[oid] / len(rows), correct))
    per_crit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for cr in r.result.get("criteria", ()):
            per_crit[cr["criterion_id"]].append(cr)
    criteria = tuple(
        CriterionAverage(
            criterion_id=cid,
            mean_points=sum(c["points"] for c in crs) / len(crs),
            max_points=max(c["max_points"] for c in crs),
            levels=tuple(sorted(Counter(c["level_id"] for c in crs).items())),
        )
        for cid, crs in per_crit.items()
    )
    return ItemStats(
        scenario_key=key,
        title=latest.title,
        type=latest.type,
        responses=len(rows),
        facility=mean(scores),
        discrimination=pearson(scores, totals),
        versions=tuple(sorted({r.version for r in rows})),
        options=tuple(options),
        criteria=criteria,
    )


# --------------------------------------------------------------------------- database


def graded_rows(quiz_key: str | None = None) -> Iterator[AnswerRow]:
    """Every graded answer of every graded attempt (optionally of one quiz), oldest first."""
    stmt = (
        select(AttemptAnswer, Attempt, ScenarioVersion)
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .join(ScenarioVersion, AttemptAnswer.scenario_version_id == ScenarioVersion.id)
        .where(Attempt.status == "graded", Attempt.score.is_not(None))
        .where(AttemptAnswer.result.is_not(None))
        .order_by(Attempt.id, AttemptAnswer.id)
    )
    if quiz_key:
        stmt = stmt.where(Attempt.quiz_key == quiz_key)
    for answer, attempt, sv in db.session.execute(stmt).unique():
        if attempt.score is None:  # the query keeps scored attempts only; this tells mypy
            continue
        when = attempt.graded_at or attempt.submitted_at or attempt.started_at
        data = sv.data or {}
        yield AnswerRow(
            attempt_id=attempt.id,
            user_id=attempt.user_id,
            attempt_score=float(attempt.score),
            month=when.strftime("%Y-%m"),
            scenario_key=sv.scenario_key,
            version=sv.version,
            title=sv.title,
            type=sv.type,
            selected=tuple(answer.selected or ()),
            result=answer.result or {},
            options=tuple(
                (o["id"], o.get("text", ""), o.get("correct")) for o in data.get("options") or ()
            ),
        )


def report(quiz_key: str | None = None) -> Report:
    """Item and guideline statistics from the database."""
    return build_report(graded_rows(quiz_key))


# --------------------------------------------------------------------------- CSV

CSV_HEADER = (
    "section",
    "id",
    "title",
    "period",
    "responses",
    "score",
    "discrimination",
    "flags",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (text cells only; numbers pass)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:.4f}" if isinstance(value, float) else str(value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_rows(rep: Report) -> Iterator[tuple[str, ...]]:
    """Long-format rows: one per item, one per guideline overall, one per guideline month."""
    yield CSV_HEADER
    for it in rep.items:
        yield tuple(
            safe_cell(v)
            for v in (
                "item",
                it.scenario_key,
                it.title,
                "all",
                it.responses,
                it.facility,
                it.discrimination,
                "; ".join(it.flags),
            )
        )
    for g in rep.guidelines:
        overall = ("guideline", str(g.guideline), "", "all", g.results, g.mastery, None, "")
        yield tuple(safe_cell(v) for v in overall)
        for month, mastery, n in g.by_month:
            row = ("guideline", str(g.guideline), "", month, n, mastery, None, "")
            yield tuple(safe_cell(v) for v in row)


def write_csv(rep: Report, out: TextIO) -> int:
    """Write the report as CSV; returns the number of data rows."""
    writer = csv.writer(out)
    n = -1
    for row in csv_rows(rep):
        writer.writerow(row)
        n += 1
    return n


def csv_text(rep: Report) -> str:
    buf = io.StringIO()
    write_csv(rep, buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- chart geometry


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None
    y: int
    width: float
    text: str
    css: str


def bar_chart(
    pairs: Sequence[tuple[str, float | None]], *, width: int = 320, row: int = 28
) -> tuple[tuple[Bar, ...], int, int]:
    """Geometry of a horizontal 0..1 bar chart for an inline SVG: (bars, width, height)."""
    bars = []
    for i, (label, value) in enumerate(pairs):
        v = 0.0 if value is None else max(0.0, min(1.0, value))
        css = (
            "bar-none"
            if value is None
            else ("bar-high" if v > TOO_EASY else "bar-low" if v < TOO_HARD else "bar-mid")
        )
        bars.append(
            Bar(
                label=label,
                value=value,
                y=i * row,
                width=round(v * width, 1),
                text="no data" if value is None else f"{value:.0%}",
                css=css,
            )
        )
    return tuple(bars), width, max(row, len(bars) * row)
