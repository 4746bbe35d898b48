"""What the learned grading layer sees of a written answer, per criterion: the rule engine's own
findings (its level and confidence, which levels' phrases held, were negated or hedged, why a
level was capped, what the privacy checker found) plus hashed stems and stem pairs of the answer
read with negation ("!" marks a negated word).

Shared by the training script and by grading, so a model is always fed exactly what it was
trained on. Pure Python: no numpy, no scikit-learn.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Mapping

from .assessment import Assessment
from .matching import MatchSet, tokenize
from .model import Criterion, Rubric, Scenario
from .relevance import _STOP, _stem

__all__ = ["FEATURES_VERSION", "HASH_BUCKETS", "capped", "criterion_features", "rank_of"]

#: Bumped whenever the features change: a model built on other features is not used.
FEATURES_VERSION = 1
HASH_BUCKETS = 1 << 14

# Substrings of the rule engine's evidence that say why a level was set or held back.
_WHY = {
    "offtopic": "does not engage the scenario",
    "copied": "repeats the course's feedback",
    "hedged": "is hedged",
    "quoted": "quotes the scenario's own words",
    "conflict": "outweighs",
    "negated": "not counted (negated)",
    "silent": "silent on this beside a breach",
    "short": "at least",
    "weak-none": "privacy checker found little",
    "together": "together point to one person",
    "consent-cover": "not credited in full",
    "unchecked": "reads English only",
    "discounted": "not counted:",
}


_CAPS = (_WHY["offtopic"], _WHY["copied"], "words; at least")


def capped(a: Assessment) -> bool:
    """Whether the rules capped this level because the answer does not engage the scenario,
    repeats the course's feedback or is too short: a cap no statistical guess may lift."""
    return any(needle in e.detail for e in a.evidence for needle in _CAPS)


def rank_of(crit: Criterion, level_id: str) -> int:
    """A level's rank, 0 = lowest; criteria with more than three levels are folded onto three."""
    i = [lvl.id for lvl in crit.levels].index(level_id)
    top = len(crit.levels) - 1
    return 0 if i == 0 else 2 if i == top else 1


def _bucket(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) % HASH_BUCKETS


def _conf(c: float) -> str:
    return "hi" if c >= 0.85 else "mid" if c >= 0.5 else "lo"


def _length(n: int) -> str:
    for limit in (20, 40, 80, 150):
        if n < limit:
            return f"lt{limit}"
    return "long"


def _rule_hits(scenario: Scenario, crit: Criterion, ms: MatchSet) -> dict[str, float]:
    """Per level rank of this criterion's rules: whether a phrase held, was negated, or hedged."""
    out: dict[str, float] = {}
    for rule in scenario.concept_rules_for(crit.id):
        if rule.is_default or not crit.has_level(rule.level):
            continue
        r = rank_of(crit, rule.level)
        phrases = list(rule.phrases) + [p for g in rule.all_of for p in g]
        for p in phrases:
            for m in ms.hits.get(p, ()):
                kind = "hedged" if m.hedged_by else "quoted" if m.quoted else "held"
                out[f"{kind}{r}"] = 1.0
            if p in ms.negated:
                out[f"negated{r}"] = 1.0
    return out


_PHRASE_STEMS: dict[tuple[str, int, str], tuple[tuple[int, tuple[str, ...]], ...]] = {}


def _content_stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w, _a, _b in tokenize(text) if w not in _STOP and len(w) > 2)


def _phrase_stems(scenario: Scenario, crit: Criterion) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(level rank, content stems) of every phrase of the criterion's rules, cached."""
    key = (scenario.id, scenario.version, crit.id)
    hit = _PHRASE_STEMS.get(key)
    if hit is None:
        out = []
        for rule in scenario.concept_rules_for(crit.id):
            if rule.is_default or not crit.has_level(rule.level):
                continue
            r = rank_of(crit, rule.level)
            for p in (*rule.phrases, *(q for g in rule.all_of for q in g)):
                stems = _content_stems(p.replace("*", ""))
                if stems:
                    out.append((r, stems))
        if len(_PHRASE_STEMS) > 4096:
            _PHRASE_STEMS.clear()
        hit = _PHRASE_STEMS[key] = tuple(out)
    return hit


def _soft_hits(
    scenario: Scenario, crit: Criterion, affirmed: frozenset[str], negated: frozenset[str]
) -> dict[str, float]:
    """How much of each level's best phrase the answer has in other words (its stems in any
    order): a paraphrase the exact rules miss still leans towards that level."""
    best: dict[str, float] = {}
    for r, stems in _phrase_stems(scenario, crit):
        for kind, have in (("soft", affirmed), ("softneg", negated)):
            share = sum(1 for x in stems if x in have) / len(stems)
            if share >= 0.5 and share > best.get(f"{kind}{r}", 0.0):
                best[f"{kind}{r}"] = share
    return best


def _overlap(answer: frozenset[str], text: str) -> float:
    ref = set(_content_stems(text))
    return len(answer & ref) / len(ref) if ref else 0.0


def _text_grams(ms: MatchSet) -> list[str]:
    """Stems of the answer, negated ones marked, and adjacent stem pairs."""
    reading = ms.reading
    if reading is None:
        return []
    toks = [
        ("!" if neg >= 0 else "") + _stem(w)
        for w, neg in zip(reading.words, reading.negated_by, strict=True)
    ]
    grams = set(toks)
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(toks))
    return sorted(grams)


def criterion_features(
    scenario: Scenario,
    rubric: Rubric,
    ms: MatchSet,
    assessments: Mapping[str, Assessment],
) -> dict[str, dict[str, float]]:
    """Sparse features per assessed criterion. Each finding appears once shared ("*|…") and once
    for the criterion ("<criterion>|…"), so a criterion with few labels borrows from the rest."""
    ranks = {cid: rank_of(rubric.criterion(cid), a.level_id) for cid, a in assessments.items()}
    grams = _text_grams(ms)
    n_words = ms.word_count
    reading = ms.reading
    negations = sum(1 for x in reading.negated_by if x >= 0) if reading else 0
    hedges = sum(1 for x in reading.hedged_by if x >= 0) if reading else 0
    quotes = len(reading.quotes) if reading else 0
    affirmed: set[str] = set()
    negated: set[str] = set()
    if reading is not None:
        for w, neg in zip(reading.words, reading.negated_by, strict=True):
            if w not in _STOP and len(w) > 2:
                (negated if neg >= 0 else affirmed).add(_stem(w))
    aff, neg_set = frozenset(affirmed), frozenset(negated)
    debrief = _overlap(aff, scenario.debrief)
    out: dict[str, dict[str, float]] = {}
    for cid, a in assessments.items():
        crit = rubric.criterion(cid)
        r = ranks[cid]
        base: dict[str, float] = {
            f"rule={r}": 1.0,
            f"rule={r}&conf={_conf(a.confidence)}": 1.0,
            f"byrule={a.by_rule}&rule={r}": 1.0,
            f"len={_length(n_words)}": 1.0,
            f"type={scenario.type}&rule={r}": 1.0,
            "logwords": math.log1p(n_words) / 5.0,
            "negations": min(negations, 8) / 8.0,
            "hedges": min(hedges, 8) / 8.0,
            "quotes": min(quotes, 4) / 4.0,
        }
        if crit.critical:
            base[f"critical&rule={r}"] = 1.0
        if cid == scenario.privacy_criterion:
            base[f"privacy&rule={r}"] = 1.0
        details = " ".join(e.detail for e in a.evidence)
        for name, needle in _WHY.items():
            if needle in details:
                base[f"why={name}"] = 1.0
        identifiers = [e for e in a.evidence if e.kind == "identifier"]
        if identifiers:
            base["identifiers"] = min(len(identifiers), 5) / 5.0
            for e in identifiers:
                base[f"idcat={e.detail.split(':', 1)[0]}"] = 1.0
        base.update(_rule_hits(scenario, crit, ms))
        base.update(_soft_hits(scenario, crit, aff, neg_set))
        base["debrief"] = debrief
        for lvl in crit.levels:
            lr = rank_of(crit, lvl.id)
            base[f"descriptor{lr}"] = _overlap(aff, f"{lvl.descriptor} {lvl.feedback}")
        others = [ranks[o] for o in assessments if o != cid]
        if others:
            base[f"others_min={min(others)}"] = 1.0
            base["others_lowest"] = sum(1 for x in others if x == 0) / len(others)
        feats: dict[str, float] = {}
        for k, v in base.items():
            feats[f"*|{k}"] = v
            feats[f"{cid}|{k}"] = v
        feats[f"{cid}|bias"] = 1.0
        feats[f"{cid}|{scenario.id}|rule={r}"] = 1.0
        feats[f"{cid}|{scenario.id}|rule={r}&conf={_conf(a.confidence)}"] = 1.0
        for g in grams:
            feats[f"{cid}|g{_bucket(g)}"] = 1.0
        out[cid] = feats
    return out
