"""Train the privacy checker's learned layer and write privacy/data/model.json.

Run:  .venv/bin/python scripts/train_privacy_model.py            (cross-validation, then the fit)
      .venv/bin/python scripts/train_privacy_model.py --refit    (the fit only, with the C and
                                                                   thresholds already in the file)

Every labelled part trains it: each batch's tuning and regression parts, the round-2 probes and
the old labelled and blind sets. Only posts the model is asked about count (the rules said
none, low or medium in English); a high or an `unknown` post is final.

The honest figure is leave-one-batch-out: for each batch (wards, community, voices,
frontline, allied, probes) the regularisation C and both thresholds are chosen by an inner
leave-one-batch-out over the other five (the old labelled/blind sets always train), the model
is fitted on those five and the left-out batch is scored once. The shipped model's C and
thresholds are then chosen the same way over all six batches and it is fitted on everything.
Deterministic: liblinear runs with a fixed seed and rows are read in file order.

scikit-learn (dev extra) is used here only; privacy/learned.py reads the JSON in pure Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privacy.checker import rule_evidence  # noqa: E402
from privacy.learned import FORMAT, MODEL_PATH, Hashing, raisable  # noqa: E402
from privacy.model import UNKNOWN  # noqa: E402

DATA = ROOT / "tests" / "privacy" / "data"
BATCHES = ("wards", "community", "voices", "frontline", "allied", "probes")
C_GRID = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))  # 0.10 … 0.90
DEFAULT_HASHING = Hashing(bits=18, word_ngrams=2, char_ngrams=(3, 4, 5))
FLAGGED = ("medium", "high", UNKNOWN)


@dataclass
class Row:
    batch: str
    part: str
    risky: bool
    rules_risk: str
    features: list[int]
    raisable: bool  # the rules found a detail beyond cues, and no framing (privacy.learned)

    @property
    def asked(self) -> bool:
        """The model is consulted on this post (the rules' risk is not final)."""
        return self.rules_risk not in ("high", UNKNOWN)


def parts() -> list[tuple[str, str, Path]]:
    """(batch, part, path) of every labelled part, in a fixed order."""
    out = []
    for batch in BATCHES[:5]:
        for path in sorted((DATA / "batches" / batch).glob("*.jsonl")):
            if path.stem == "heldout":
                raise SystemExit(f"{path}: a held-out part is never trained on")
            out.append((batch, path.stem, path))
    out.append(("probes", "helper_round2", DATA / "probes" / "helper_round2.jsonl"))
    out.append(("old", "labelled", DATA / "labelled_posts.jsonl"))
    out.append(("old", "blind", DATA / "blind_posts.jsonl"))
    return out


def load_rows(hashing: Hashing) -> list[Row]:
    rows = []
    for batch, part, path in parts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                post = json.loads(line)
                text, risky = post["text"], bool(post["risky"])
            except (ValueError, KeyError) as exc:
                raise SystemExit(f"{path}:{number}: not a labelled post ({exc})") from exc
            report, score = rule_evidence(text)
            features = sorted(hashing.indices(text, report, score))
            rows.append(Row(batch, part, risky, report.risk, features, raisable(report)))
    return rows


def matrix(rows: list[Row], bits: int) -> csr_matrix:
    indptr, indices = [0], []
    for row in rows:
        indices.extend(row.features)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, indptr), shape=(len(rows), 1 << bits))


def fit(rows: list[Row], c: float, bits: int) -> LogisticRegression:
    asked = [r for r in rows if r.asked]
    model = LogisticRegression(C=c, solver="liblinear", max_iter=5000, random_state=0)
    model.fit(matrix(asked, bits), np.array([r.risky for r in asked]))
    return model


def predict(model: LogisticRegression, rows: list[Row], bits: int) -> list[float]:
    """P(risky) for each row (1.0 / 0.0 placeholders are never read for final rows)."""
    asked = [r for r in rows if r.asked]
    probs = iter(model.predict_proba(matrix(asked, bits))[:, 1].tolist()) if asked else iter(())
    return [next(probs) if r.asked else 0.0 for r in rows]


def decide(row: Row, p: float, raise_at: float, lower_below: float) -> bool:
    """The combined verdict (flagged for review?) as privacy.learned.combine makes it."""
    if not row.asked:
        return row.rules_risk in FLAGGED
    if row.rules_risk == "medium":
        return p >= lower_below
    return row.raisable and p >= raise_at


def figures(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    tp = sum(1 for risky, flagged in pairs if risky and flagged)
    fp = sum(1 for risky, flagged in pairs if flagged and not risky)
    fn = sum(1 for risky, flagged in pairs if risky and not flagged)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(pairs),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def out_of_fold(rows: list[Row], batches: tuple[str, ...], c: float, bits: int) -> list[float]:
    """Each row of `batches` scored by a model trained without its batch (old rows: never)."""
    probs = [0.0] * len(rows)
    for batch in batches:
        held = [i for i, r in enumerate(rows) if r.batch == batch]
        model = fit([r for r in rows if r.batch != batch], c, bits)
        for i, p in zip(held, predict(model, [rows[i] for i in held], bits), strict=True):
            probs[i] = p
    return probs


def choose(rows: list[Row], batches: tuple[str, ...], bits: int) -> tuple[float, float, float]:
    """C, raise_at, lower_below maximising pooled min(precision, recall), then F1, out of fold."""
    scored = [i for i, r in enumerate(rows) if r.batch in batches]
    best: tuple[tuple[float, float], float, float, float] | None = None
    for c in C_GRID:
        probs = out_of_fold(rows, batches, c, bits)
        for raise_at in THRESHOLDS:
            for lower_below in THRESHOLDS:
                pairs = [
                    (rows[i].risky, decide(rows[i], probs[i], raise_at, lower_below))
                    for i in scored
                ]
                fig = figures(pairs)
                key = (min(fig["precision"], fig["recall"]), float(fig["f1"]))
                if best is None or key > best[0]:
                    best = (key, c, raise_at, lower_below)
    assert best is not None
    return best[1], best[2], best[3]


def cross_validate(rows: list[Row], bits: int) -> dict[str, Any]:
    """Nested leave-one-batch-out: the per-batch figures to quote for unseen writers."""
    per_batch: dict[str, Any] = {}
    for batch in BATCHES:
        inner = tuple(b for b in BATCHES if b != batch)
        train = [r for r in rows if r.batch != batch]
        c, raise_at, lower_below = choose(train, inner, bits)
        held = [r for r in rows if r.batch == batch]
        probs = predict(fit(train, c, bits), held, bits)
        combined = [
            (r.risky, decide(r, p, raise_at, lower_below)) for r, p in zip(held, probs, strict=True)
        ]
        rules = [(r.risky, r.rules_risk in FLAGGED) for r in held]
        per_batch[batch] = {
            "C": c,
            "raise_at": raise_at,
            "lower_below": lower_below,
            "combined": figures(combined),
            "rules": figures(rules),
        }
        print(
            f"{batch:10} C={c:<4} raise_at={raise_at:.2f} lower_below={lower_below:.2f}  "
            f"rules {fmt(figures(rules))}  combined {fmt(figures(combined))}",
            flush=True,
        )
    return per_batch


def fmt(fig: dict[str, float | int]) -> str:
    return f"P {fig['precision']:.3f} R {fig['recall']:.3f} F1 {fig['f1']:.3f} (n={fig['n']})"


def model_file(
    rows: list[Row],
    hashing: Hashing,
    c: float,
    raise_at: float,
    lower_below: float,
    cv: dict[str, Any] | None,
    date: str,
) -> dict[str, Any]:
    model = fit(rows, c, hashing.bits)
    weights = {str(i): round(float(w), 6) for i, w in enumerate(model.coef_[0]) if abs(w) >= 1e-6}
    summary: dict[str, Any] = {}
    for r in rows:
        part = summary.setdefault(f"{r.batch}/{r.part}", {"posts": 0, "risky": 0, "asked": 0})
        part["posts"] += 1
        part["risky"] += r.risky
        part["asked"] += r.asked
    return {
        "format": FORMAT,
        "what": "PostRx privacy checker, learned layer: logistic regression over rule findings "
        "and hashed word/character n-grams (privacy/learned.py)",
        "trained": date,
        "trainer": "scripts/train_privacy_model.py: scikit-learn LogisticRegression, liblinear",
        "licence": "AGPL-3.0-or-later, trained on PostRx's own labelled posts",
        "hashing": hashing.to_dict(),
        "C": c,
        "thresholds": {"raise_at": raise_at, "lower_below": lower_below},
        "training_set": {
            "posts": len(rows),
            "asked": sum(r.asked for r in rows),
            "risky": sum(r.risky for r in rows),
            "parts": summary,
        },
        "cross_validation": cv,
        "bias": round(float(model.intercept_[0]), 6),
        "weights": weights,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--refit",
        action="store_true",
        help="skip cross-validation; reuse C, thresholds and figures from --out",
    )
    parser.add_argument("--date", default=dt.date.today().isoformat())
    args = parser.parse_args(argv)
    hashing = Hashing(
        DEFAULT_HASHING.bits, DEFAULT_HASHING.word_ngrams, DEFAULT_HASHING.char_ngrams
    )
    rows = load_rows(hashing)
    if args.refit:
        old = json.loads(args.out.read_text(encoding="utf-8"))
        c, cv = float(old["C"]), old["cross_validation"]
        raise_at, lower_below = old["thresholds"]["raise_at"], old["thresholds"]["lower_below"]
    else:
        cv = cross_validate(rows, hashing.bits)
        c, raise_at, lower_below = choose(rows, BATCHES, hashing.bits)
        print(f"shipped: C={c} raise_at={raise_at} lower_below={lower_below}")
    data = model_file(rows, hashing, c, raise_at, lower_below, cv, args.date)
    args.out.write_text(
        json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out} ({len(data['weights'])} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
