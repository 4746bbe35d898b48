"""The learned layer: a logistic regression that reconsiders the rules' none, low and medium.

The rules fit the wording they were written from; on posts nobody had read they missed
`low` stories about one person and flagged posts about colleagues or the author's own life. A
logistic regression trained on every labelled post (scripts/train_privacy_model.py) reads
what the rules found (risk, categories and severities, the two questions' answers, the
singling-out score, which cue explanations fired) and the post's hashed words, word pairs and
character n-grams. Inference is pure Python from `privacy/data/model.json`, loaded once; numpy
and scikit-learn are never imported here.

How it combines (thresholds chosen by leave-one-batch-out cross-validation, stored in the
model file): a `high` is never lowered (a name and a bed, an MRN, a picture of a record) and a
post that is not English stays `unknown`; a `none` or `low` post the model rates at or above
`raise_at` becomes `medium` when the rules found a detail beyond patient-context cues and a
bare time (those alone name no one) and no framing (simulation, hypothetical, advice…)
applies; a `medium` post below `lower_below` becomes `low`. Either change keeps the rules'
findings and says why in `learned_note`.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from privacy.detectors.details import TIME_EXPLANATION
from privacy.model import UNKNOWN, PrivacyReport

MODEL_PATH = Path(__file__).parent / "data" / "model.json"
FORMAT = 1
_WORD = re.compile(r"[a-z0-9]+")
_CACHE_LIMIT = 50_000
RAISED_NOTE = (
    "A statistical check trained on labelled posts rates this post likely to identify someone "
    "in care (the rules alone rated it {rules}). Read it as the person would: could they, or "
    "someone who knows them, recognise the story?"
)
LOWERED_NOTE = (
    "A statistical check trained on labelled posts rates this post unlikely to identify anyone "
    "in care, so the details below count as low (the rules alone rated it medium). Check them "
    "anyway: the check is right most of the time, not always."
)


@dataclass(slots=True)
class Hashing:
    """How a post becomes feature indices: which n-grams, hashed with CRC-32 into 2**bits slots.

    CRC-32 (zlib) is stable across runs and platforms, unlike Python's `hash`; a word's own
    indices are cached because words repeat across posts.
    """

    bits: int = 18
    word_ngrams: int = 2
    char_ngrams: tuple[int, ...] = (3, 4, 5)
    _words: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def index(self, feature: str) -> int:
        """The slot of one feature string."""
        return zlib.crc32(feature.encode("utf-8")) & ((1 << self.bits) - 1)

    def _word(self, word: str) -> tuple[int, ...]:
        found = self._words.get(word)
        if found is None:
            padded = f" {word} "
            grams = {
                f"c{padded[i : i + n]}"
                for n in self.char_ngrams
                for i in range(len(padded) - n + 1)
            }
            found = tuple(self.index(g) for g in (f"w {word}", *sorted(grams)))
            if len(self._words) >= _CACHE_LIMIT:
                self._words.clear()
            self._words[word] = found
        return found

    def indices(self, text: str, report: PrivacyReport, score: float) -> set[int]:
        """Every feature of one post, as a set of slots (features are present or absent)."""
        out = {self.index(f) for f in rule_features(report, score)}
        words = _WORD.findall(text.lower().replace("’", "'"))
        for word in words:
            out.update(self._word(word))
        for n in range(2, self.word_ngrams + 1):
            for i in range(len(words) - n + 1):
                out.add(self.index("b " + " ".join(words[i : i + n])))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The parameters the model file stores."""
        return {
            "bits": self.bits,
            "word_ngrams": self.word_ngrams,
            "char_ngrams": list(self.char_ngrams),
        }


def rule_features(report: PrivacyReport, score: float) -> list[str]:
    """What the rules found, as feature strings: the learned layer builds on their findings."""
    out = [
        f"r risk={report.risk}",
        f"r about={report.about_person}",
        f"r frame={report.frame}",
        f"r lang={report.language}",
        f"r score={min(4.0, math.floor(score * 2) / 2)}",
        f"r conf={round(report.confidence, 1)}",
    ]
    categories: dict[str, int] = {}
    for f in report.findings:
        categories[f.category] = categories.get(f.category, 0) + 1
        out.append(f"r cat={f.category}")
        out.append(f"r cat={f.category} sev={f.severity}")
        out.append(f"r why={f.explanation[:48]}")
    out.append(f"r categories={min(4, len(categories))}")
    out.append(f"r cues={min(3, categories.get('patient-context', 0))}")
    return out


@dataclass(slots=True)
class LearnedModel:
    """Weights of the logistic regression and the thresholds that combine it with the rules."""

    hashing: Hashing
    bias: float
    weights: dict[int, float]
    raise_at: float
    lower_below: float
    _dense: list[float] = field(default_factory=list, repr=False, compare=False)

    def probability(self, text: str, report: PrivacyReport, score: float) -> float:
        """P(the post identifies someone in care), from the rules' report and the text."""
        dense = self._dense
        if len(dense) != 1 << self.hashing.bits:  # one list of 2**bits floats: fast lookups
            dense[:] = [0.0] * (1 << self.hashing.bits)
            for i, w in self.weights.items():
                dense[i] = w
        z = self.bias + sum(map(dense.__getitem__, self.hashing.indices(text, report, score)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def parse_model(data: dict[str, Any]) -> LearnedModel:
    """A model from the parsed JSON of a model file; a clear error when it is not one."""
    if data.get("format") != FORMAT:
        raise ValueError(f"privacy model: format {data.get('format')!r}, expected {FORMAT}")
    hashing = data["hashing"]
    return LearnedModel(
        hashing=Hashing(
            bits=int(hashing["bits"]),
            word_ngrams=int(hashing["word_ngrams"]),
            char_ngrams=tuple(int(n) for n in hashing["char_ngrams"]),
        ),
        bias=float(data["bias"]),
        weights={int(k): float(v) for k, v in data["weights"].items()},
        raise_at=float(data["thresholds"]["raise_at"]),
        lower_below=float(data["thresholds"]["lower_below"]),
    )


@cache
def load_model(path: Path = MODEL_PATH) -> LearnedModel:
    """The bundled model, read once per process."""
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_model(json.load(handle))
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ValueError(f"{path}: not a privacy model file ({detail})") from exc


def raisable(report: PrivacyReport) -> bool:
    """The model may raise this post: the rules found a detail beyond patient-context cues and a
    bare time ("tonight"), which name no one, and no framing says it is not a real patient."""
    return report.frame is None and any(
        f.category != "patient-context" and f.explanation != TIME_EXPLANATION
        for f in report.findings
    )


def combine(report: PrivacyReport, probability: float, model: LearnedModel) -> PrivacyReport:
    """The rules' report, raised or lowered by the model's probability, with a note when it is.

    Only none, low and medium are reconsidered: callers never pass a high or unknown report.
    """
    p = round(probability, 3)
    if report.risk in ("none", "low") and probability >= model.raise_at and raisable(report):
        note = RAISED_NOTE.format(rules=report.risk)
        return replace(
            report,
            risk="medium",
            confidence=round(min(0.85, probability), 2),
            learned_probability=p,
            learned_note=note,
        )
    if report.risk == "medium" and probability < model.lower_below:
        return replace(
            report,
            risk="low",
            confidence=round(min(0.85, 1.0 - probability), 2),
            learned_probability=p,
            learned_note=LOWERED_NOTE,
        )
    return replace(report, learned_probability=p)


def reconsider(text: str, report: PrivacyReport, score: float) -> PrivacyReport:
    """Ask the model about a none, low or medium post; a high or unknown one is final."""
    if report.risk in ("high", UNKNOWN):
        return report
    model = load_model()
    return combine(report, model.probability(text, report, score), model)
