"""Agreement of the grader with human labels: exact agreement and Cohen's kappa per criterion.

Reads every *.jsonl in one corpus folder (lines: {"id", "scenario", "text", "labels":
{criterion: level}, "breach"}), grades each answer with `quizzes.grade` and the real privacy
checker, and compares the levels. Grading includes the learned layer (`quizzes.learned`);
`--rules-only` grades by the phrase rules alone, as before round 3:

    .venv/bin/python bench/agreement.py tests/quizzes/corpus/regression [--rules-only]
        [--show-disagreements]

The model was trained on dev/ and regression/, so on those folders this is a training fit; the
honest estimate is the leave-one-writer-out figure printed by scripts/train_grading_model.py.
A folder named "heldout" is refused: the lead scores the held-out part once, by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes import Response, default_bank_root, grade, load_bank
from quizzes.learned import RULES_ONLY, bundled_model
from quizzes.model import LOW_CONFIDENCE


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of (human, grader) label pairs; 1.0 when both always agree on one label."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    human = Counter(a for a, _ in pairs)
    machine = Counter(b for _, b in pairs)
    expected = sum(human[k] * machine[k] for k in human) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def load_corpus(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "_file": path.name})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bank", type=Path, default=default_bank_root())
    parser.add_argument("--show-disagreements", action="store_true")
    parser.add_argument("--rules-only", action="store_true", help="without the learned layer")
    args = parser.parse_args()
    if any(part.lower() == "heldout" for part in args.folder.resolve().parts):
        print("refusing to score a held-out corpus", file=sys.stderr)
        return 2
    bank = load_bank(args.bank)
    rows = load_corpus(args.folder)
    per: dict[str, list[tuple[str, str]]] = defaultdict(list)
    per_scenario: dict[str, list[bool]] = defaultdict(list)
    breach_pairs: list[tuple[bool, bool]] = []
    review = 0
    up = up_unreviewed = labelled_breaches = 0
    shown = []
    model = RULES_ONLY if args.rules_only else bundled_model()
    for row in rows:
        scenario = bank.scenarios[row["scenario"]]
        rubric = bank.rubric_for(scenario)
        result = grade(scenario, rubric, Response(text=row["text"]), model=model)
        review += result.needs_review
        got = {c.criterion_id: c.level_id for c in result.criteria}
        for cid, want in row["labels"].items():
            per[cid].append((want, got[cid]))
            per_scenario[row["scenario"]].append(want == got[cid])
            rated = rubric.criterion(cid)
            if rated.critical and want == rated.lowest.id:
                labelled_breaches += 1
                if got[cid] != want:
                    up += 1
                    up_unreviewed += result.criterion(cid).confidence >= LOW_CONFIDENCE
            if want != got[cid]:
                shown.append((row["id"], cid, want, got[cid], result, row["text"]))
        if "breach" in row:
            breach_pairs.append((bool(row["breach"]), not result.passed_criticals))
    pairs = [p for ps in per.values() for p in ps]
    print(f"{len(rows)} answers, {len(pairs)} criterion labels, {review} sent to review")
    print(f"{'criterion':<24} {'n':>4} {'exact':>7} {'kappa':>7}")
    for cid in sorted(per):
        ps = per[cid]
        exact = sum(a == b for a, b in ps) / len(ps)
        print(f"{cid:<24} {len(ps):>4} {exact:>7.1%} {kappa(ps):>7.2f}")
    exact = sum(a == b for a, b in pairs) / len(pairs) if pairs else float("nan")
    print(f"{'all':<24} {len(pairs):>4} {exact:>7.1%} {kappa(pairs):>7.2f}")
    if breach_pairs:
        tp = sum(h and m for h, m in breach_pairs)
        fn = sum(h and not m for h, m in breach_pairs)
        fp = sum(m and not h for h, m in breach_pairs)
        print(f"critical failure vs labelled breach: {tp} agree, {fn} missed, {fp} false alarms")
    print(
        f"rater-called critical breaches graded above lowest: {up} of {labelled_breaches} "
        f"({up_unreviewed} not sent to review)"
    )
    print(f"{'scenario':<32} {'exact':>7}")
    for sid in sorted(per_scenario):
        oks = per_scenario[sid]
        print(f"{sid:<32} {sum(oks) / len(oks):>7.1%}")
    if args.show_disagreements:
        for rid, cid, want, level, result, text in shown:
            crit = result.criterion(cid)
            why = " | ".join(f"{e.text!r}: {e.detail}" for e in crit.evidence)[:300]
            print(f"\n{rid} {cid}: human {want}, grader {level} ({crit.confidence:.2f})\n  {text}")
            print(f"  evidence: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
