"""Score the privacy checker on labelled corpora: per batch and part, confusion and errors.

Run:  .venv/bin/python bench/privacy_quality.py wards/tuning community/tuning [--errors N]
      .venv/bin/python bench/privacy_quality.py labelled blind probes   (older regression sets)
      .venv/bin/python bench/privacy_quality.py regression --rules-only (without the learned layer)
      .venv/bin/python bench/privacy_quality.py tuning regression old   (three views at once)

A part is BATCH/PART for tests/privacy/data/batches/BATCH/PART.jsonl, or `labelled` / `blind` /
`probes`. Every part here trained the learned layer, so these are training-fit figures; the
honest ones are the leave-one-batch-out figures printed by scripts/train_privacy_model.py.
A view is every part of one kind: `tuning` (every BATCH/tuning), `regression` (every
BATCH/regression) or `old` (labelled and blind). No view includes a held-out part: those are
scored by name (BATCH/heldout), once.
A risky label should come out medium or high; a clean one none or low. `unknown` (not English)
counts as flagged for review, and is also counted on its own. The most instructive errors are
the ones the checker was surest about.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privacy import check_post  # noqa: E402

DATA = ROOT / "tests" / "privacy" / "data"
NAMED = {
    "labelled": DATA / "labelled_posts.jsonl",
    "blind": DATA / "blind_posts.jsonl",
    "probes": DATA / "probes" / "helper_round2.jsonl",
}
RULES_ONLY = False  # --rules-only: the rules without the learned layer (privacy.learned)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    unknown: int = 0
    foreign: int = 0  # rows labelled with a language other than English
    foreign_flagged: int = 0  # of those, how many came out unknown, medium or high
    matrix: dict[tuple[bool, str], int] = field(default_factory=dict)
    errors: list[tuple[float, dict[str, Any], object]] = field(default_factory=list)

    def add(self, row: dict[str, Any], report: object) -> None:
        flagged = report.risk in ("medium", "high", "unknown")  # type: ignore[attr-defined]
        risky = bool(row["risky"])
        self.unknown += report.risk == "unknown"  # type: ignore[attr-defined]
        if row.get("language", "en") != "en":
            self.foreign += 1
            self.foreign_flagged += flagged
        else:
            self.english_rows.append((row, report))
        key = (risky, report.risk)  # type: ignore[attr-defined]
        self.matrix[key] = self.matrix.get(key, 0) + 1
        if flagged and risky:
            self.tp += 1
        elif flagged:
            self.fp += 1
            self.errors.append((report.confidence, row, report))  # type: ignore[attr-defined]
        elif risky:
            self.fn += 1
            self.errors.append((report.confidence, row, report))  # type: ignore[attr-defined]
        else:
            self.tn += 1

    english_rows: list[tuple[dict[str, Any], object]] = field(default_factory=list)

    def english_only(self) -> Tally:
        """The same figures over the rows labelled English (or unlabelled)."""
        tally = Tally()
        for row, report in self.english_rows:
            tally.add(row, report)
        return tally

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def figures(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


VIEWS = ("tuning", "regression", "old")


def expand(parts: list[str]) -> list[list[str]]:
    """Each argument as the parts it names: a view becomes its parts, anything else itself."""
    groups = []
    for part in parts:
        if part == "old":
            groups.append(["labelled", "blind"])
        elif part in VIEWS:
            found = sorted((DATA / "batches").glob(f"*/{part}.jsonl"))
            groups.append([f"{path.parent.name}/{part}" for path in found])
        else:
            groups.append([part])
    return groups


def path_for(part: str) -> Path:
    if part in NAMED:
        return NAMED[part]
    batch, _, name = part.partition("/")
    if not batch or not name:
        raise SystemExit(f"{part}: expected BATCH/PART (e.g. wards/tuning) or labelled/blind")
    return DATA / "batches" / batch / f"{name}.jsonl"


def score(part: str) -> Tally:
    tally = Tally()
    with path_for(part).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                tally.add(row, check_post(row["text"], learned=not RULES_ONLY))
    return tally


def print_tally(part: str, tally: Tally) -> None:
    precision, recall, f1 = tally.figures()
    print(
        f"{part:24} n={tally.n:4}  tp={tally.tp:3} fp={tally.fp:3} fn={tally.fn:3} tn={tally.tn:3}"
        f"  precision={precision:.3f} recall={recall:.3f} F1={f1:.3f}  unknown={tally.unknown}"
    )
    if tally.foreign:
        print(
            f"    not English: n={tally.foreign}, flagged for review (unknown/medium/high)="
            f"{tally.foreign_flagged}; English only: precision/recall below"
        )
        english = tally.english_only()
        p, r, f = english.figures()
        print(
            f"    English only: n={english.n} tp={english.tp} fp={english.fp} fn={english.fn} "
            f"tn={english.tn} precision={p:.3f} recall={r:.3f} F1={f:.3f}"
        )
    risks = ("none", "low", "medium", "high", "unknown")
    print(f"    {'label':8}" + "".join(f"{r:>9}" for r in risks))
    for risky in (True, False):
        label = "risky" if risky else "clean"
        cells = "".join(f"{tally.matrix.get((risky, r), 0):>9}" for r in risks)
        print(f"    {label:8}{cells}")


def print_errors(tally: Tally, count: int) -> None:
    for confidence, row, report in sorted(tally.errors, key=lambda e: -e[0])[:count]:
        kind = "missed" if row["risky"] else "false alarm"
        found = ", ".join(f"{f.category}:{f.text!r}" for f in report.findings)  # type: ignore[attr-defined]
        print(f"  - {row.get('id', '?')} {kind}: risk {report.risk} (confidence {confidence})")  # type: ignore[attr-defined]
        print(f"    text:   {row['text']}")
        print(f"    reason: {row.get('reason', '')}")
        print(f"    found:  {found or '-'}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "parts", nargs="+", help="BATCH/PART, labelled / blind, or a view: tuning, regression, old"
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list N errors")
    parser.add_argument("--rules-only", action="store_true", help="without the learned layer")
    args = parser.parse_args(argv)
    global RULES_ONLY
    RULES_ONLY = args.rules_only
    groups = expand(args.parts)
    total = Tally()
    for label, parts in zip(args.parts, groups, strict=True):
        view = Tally()
        for part in parts:
            tally = score(part)
            print_tally(part, tally)
            if args.errors:
                print_errors(tally, args.errors)
            add(view, tally)
        if len(parts) > 1 and len(groups) > 1:
            print_tally(f"view {label}", view)
        add(total, view)
    if sum(len(parts) for parts in groups) > 1:
        print_tally("all", total)
    return 0


def add(total: Tally, tally: Tally) -> None:
    """Add one tally's counts and confusion matrix to another (English-only rows included)."""
    for name in ("tp", "fp", "fn", "tn", "unknown", "foreign", "foreign_flagged"):
        setattr(total, name, getattr(total, name) + getattr(tally, name))
    for key, value in tally.matrix.items():
        total.matrix[key] = total.matrix.get(key, 0) + value
    total.english_rows.extend(tally.english_rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
