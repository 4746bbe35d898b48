"""Benchmark the privacy checker: precision, recall and posts per second on one core.

Run: .venv/bin/python bench/privacy.py   (goal: at least 5,000 posts/s)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privacy import check_post  # noqa: E402

DATA = ROOT / "tests" / "privacy" / "data"
GOAL_POSTS_PER_SECOND = 5000
MIN_SECONDS = 2.0


def load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def quality(rows: list[dict]) -> tuple[float, float]:
    tp = fp = fn = 0
    for row in rows:
        predicted = check_post(row["text"]).risk in ("medium", "high")
        tp += predicted and row["risky"]
        fp += predicted and not row["risky"]
        fn += (not predicted) and row["risky"]
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def throughput(texts: list[str]) -> tuple[float, float, int, float]:
    """Overall and best-round posts/s; a round is one pass over all texts (best resists noise)."""
    done = 0
    best = 0.0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < MIN_SECONDS:
        round_start = time.perf_counter()
        for text in texts:
            check_post(text)
        best = max(best, len(texts) / (time.perf_counter() - round_start))
        done += len(texts)
    return done / elapsed, best, done, elapsed


def main() -> None:
    labelled = load("labelled_posts.jsonl")
    sets = {
        "labelled (all)": labelled,
        "labelled tuning 2/3": [r for i, r in enumerate(labelled) if i % 3 != 2],
        "labelled held-out 1/3": [r for i, r in enumerate(labelled) if i % 3 == 2],
        "blind (written after the rules)": load("blind_posts.jsonl"),
    }
    for name, rows in sets.items():
        precision, recall = quality(rows)
        print(f"{name:34} n={len(rows):3}  precision={precision:.3f}  recall={recall:.3f}")
    texts = [
        r["text"] for rows in (labelled, sets["blind (written after the rules)"]) for r in rows
    ]
    rate, best, done, elapsed = throughput(texts)
    print(f"throughput: {rate:,.0f} posts/s on one core ({done} posts in {elapsed:.2f} s)")
    print(f"best round: {best:,.0f} posts/s")
    print(
        f"ratio to goal ({GOAL_POSTS_PER_SECOND:,}/s): {rate / GOAL_POSTS_PER_SECOND:.2f}x overall, "
        f"{best / GOAL_POSTS_PER_SECOND:.2f}x best round"
    )


if __name__ == "__main__":
    main()
