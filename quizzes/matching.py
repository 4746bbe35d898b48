"""Phrase matcher for free-text answers, reading negation, hedging and quotes at clause level.

Case-insensitive, on word boundaries, typo-tolerant for long words (6+ letters: edit distance 1;
9+ letters: 2; Damerau transpositions count as one edit), exact for short words, and `remov*`
prefix stems. Phrases are compiled once (per scenario version) into a word-slot index with a
deletion neighbourhood for fuzzy words, so grading an answer is a few dict lookups per distinct
word rather than an edit-distance comparison against every phrase.

Before matching, `read` walks the answer once and marks, for every word, whether it lies inside
a negated clause, a hedged one, or quotation marks. Every match carries those flags and the word
responsible, so a scorer can refuse credit for "I would *not* delete it", refuse a breach for "I
would *not* call managers clowns", and send "*maybe* I'd post it" to review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .reading import HEDGES, NEGATORS, Reading, quoted_spans, read, tokenize

__all__ = [
    "HEDGES",
    "NEGATORS",
    "Match",
    "MatchSet",
    "PhraseError",
    "PhraseMatcher",
    "Reading",
    "compile_phrases",
    "edit_distance",
    "find_phrases",
    "phrase_problem",
    "quoted_spans",
    "read",
    "tokenize",
]

_STEM_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?|\*")
FUZZY_MIN = 6  # words of 6+ letters tolerate one edit
FUZZY2_MIN = 9  # words of 9+ letters tolerate two edits


class PhraseError(ValueError):
    """A phrase that cannot be matched (no words, or a misplaced `*`)."""


def _norm(word: str) -> str:
    return word.lower().replace("'", "").replace("’", "")


# --------------------------------------------------------------------------- matching


_OPPOSING_PREFIXES = ("un", "in", "im", "ir", "il", "dis", "non")


def _opposite(a: str, b: str) -> bool:
    """'unprofessional' is not a typo for 'professional': a negating prefix is a new word."""
    short, long_ = sorted((a, b), key=len)
    return any(long_ == p + short for p in _OPPOSING_PREFIXES)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (Damerau), returning limit+1 once it exceeds limit."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        row_min = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < row_min:
                row_min = v
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[lb], limit + 1)


def _tolerance(word: str) -> int:
    n = len(word)
    return 2 if n >= FUZZY2_MIN else 1 if n >= FUZZY_MIN else 0


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


def phrase_problem(phrase: str) -> str | None:
    """Why `phrase` is unusable, or None. Used by the bank checker."""
    if not isinstance(phrase, str):
        return "phrase must be a string"
    parts = _STEM_TOKEN.findall(phrase)
    words = [p for p in parts if p != "*"]
    if not words:
        return f"phrase {phrase!r} has no words"
    if "*" in parts or re.search(r"\*[^\W_]", phrase):
        return f"phrase {phrase!r}: '*' may only end a word (as in 'remov*')"
    for p in words:
        if p.endswith("*") and len(p) < 3:
            return f"phrase {phrase!r}: a stem needs at least 2 letters before '*'"
    return None


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a phrase in the text (span into the original text).

    `negated_by` / `hedged_by` name the word that negates or hedges it ("" if none); `quoted`
    says it stands inside quotation marks.
    """

    phrase: str
    start: int
    end: int
    text: str
    fuzzy: bool = False
    negated: bool = False
    # For a fuzzy match: (word in the answer, phrase word it was taken for), per tolerated typo.
    typos: tuple[tuple[str, str], ...] = ()
    negated_by: str = ""
    hedged_by: str = ""
    quoted: bool = False
    hedged_at: int = -1  # index of the hedging word, to tell which clause a condition covers

    @property
    def hedged(self) -> bool:
        return bool(self.hedged_by)


@dataclass(frozen=True, slots=True)
class MatchSet:
    """All phrase occurrences in one text: affirmed hits and negated ones, by phrase."""

    hits: dict[str, tuple[Match, ...]]
    negated: dict[str, tuple[Match, ...]]
    word_count: int
    reading: Reading | None = None

    def first(self, phrases: Iterable[str]) -> Match | None:
        best: Match | None = None
        for p in phrases:
            ms = self.hits.get(p)
            if ms and (best is None or ms[0].start < best.start):
                best = ms[0]
        return best

    @property
    def words(self) -> tuple[str, ...]:
        return self.reading.words if self.reading else ()


_NO_SLOTS: dict[int, bool] = {}


class PhraseMatcher:
    """A compiled set of phrases; `find(text)` returns every match with spans."""

    __slots__ = ("_cache", "_deletes", "_exact", "_fuzzy_words", "_phrases", "_stems", "phrases")
    _CACHE_MAX = 20_000

    def __init__(self, phrases: Iterable[str]) -> None:
        slot_ids: dict[tuple[str, str], int] = {}
        self._exact: dict[str, list[int]] = {}
        self._deletes: dict[str, list[int]] = {}
        self._fuzzy_words: dict[int, tuple[str, int]] = {}
        self._stems: dict[int, dict[str, list[int]]] = {}
        self._phrases: list[tuple[str, tuple[int, ...]]] = []
        self._cache: dict[str, dict[int, bool]] = {}
        seen: set[str] = set()
        for phrase in phrases:
            if phrase in seen:
                continue
            seen.add(phrase)
            problem = phrase_problem(phrase)
            if problem:
                raise PhraseError(problem)
            slots = []
            for raw in _STEM_TOKEN.findall(phrase):
                stem = raw.endswith("*")
                word = _norm(raw[:-1] if stem else raw)
                key = ("stem" if stem else "word", word)
                sid = slot_ids.get(key)
                if sid is None:
                    sid = slot_ids[key] = len(slot_ids)
                    if stem:
                        self._stems.setdefault(len(word), {}).setdefault(word, []).append(sid)
                    else:
                        self._exact.setdefault(word, []).append(sid)
                        k = _tolerance(word)
                        if k:
                            self._fuzzy_words[sid] = (word, k)
                            for d in _deletions(word, k):
                                self._deletes.setdefault(d, []).append(sid)
                slots.append(sid)
            self._phrases.append((phrase, tuple(slots)))
        self.phrases: tuple[str, ...] = tuple(p for p, _ in self._phrases)

    def _slots_for(self, token: str) -> dict[int, bool]:
        """{slot id: fuzzy?} for the slots this normalised token satisfies (shared: read only)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        found: dict[int, bool] = {}
        for sid in self._exact.get(token, ()):
            found[sid] = False
        n = len(token)
        if self._deletes and n >= FUZZY_MIN - 1:
            depth = 2 if n >= FUZZY2_MIN - 2 else 1
            candidates: set[int] = set()
            deletes = self._deletes
            for d in _deletions(token, depth):
                ids = deletes.get(d)
                if ids:
                    candidates.update(ids)
            for sid in candidates:
                if sid in found:
                    continue
                word, k = self._fuzzy_words[sid]
                if edit_distance(token, word, k) <= k and not _opposite(token, word):
                    found[sid] = True
        for length, stems in self._stems.items():
            if n >= length:
                for sid in stems.get(token[:length], ()):
                    found.setdefault(sid, False)
        result = found if found else _NO_SLOTS
        if len(self._cache) >= self._CACHE_MAX:
            self._cache.clear()
        self._cache[token] = result
        return result

    def find(self, text: str) -> MatchSet:
        tokens = tokenize(text)
        n = len(tokens)
        reading = read(text, tokens)
        at: list[dict[int, bool]] = []
        where: dict[int, list[int]] = {}
        slots_for = self._slots_for
        for i, (word, _s, _e) in enumerate(tokens):
            word_slots = slots_for(word)
            at.append(word_slots)
            for sid in word_slots:
                where.setdefault(sid, []).append(i)
        hits: dict[str, list[Match]] = {}
        negated: dict[str, list[Match]] = {}
        words = reading.words
        for phrase, slots in self._phrases:
            positions = where.get(slots[0])
            if not positions:
                continue
            size = len(slots)
            for p in positions:
                if p + size > n:
                    break
                fuzzy = at[p][slots[0]]
                ok = True
                for j in range(1, size):
                    f = at[p + j].get(slots[j])
                    if f is None:
                        ok = False
                        break
                    fuzzy = fuzzy or f
                if not ok:
                    continue
                start, end = tokens[p][1], tokens[p + size - 1][2]
                typos: tuple[tuple[str, str], ...] = ()
                if fuzzy:
                    typos = tuple(
                        (tokens[p + j][0], self._fuzzy_words[slots[j]][0])
                        for j in range(size)
                        if at[p + j][slots[j]]
                    )
                neg = reading.negated_by[p]
                hedge = reading.hedged_by[p]
                m = Match(
                    phrase,
                    start,
                    end,
                    text[start:end],
                    fuzzy,
                    neg >= 0,
                    typos,
                    words[neg] if neg >= 0 else "",
                    words[hedge] if hedge >= 0 else "",
                    reading.quoted[p],
                    hedge,
                )
                (negated if neg >= 0 else hits).setdefault(phrase, []).append(m)
        return MatchSet(
            {k: tuple(v) for k, v in hits.items()},
            {k: tuple(v) for k, v in negated.items()},
            n,
            reading,
        )


def compile_phrases(phrases: Iterable[str]) -> PhraseMatcher:
    return PhraseMatcher(phrases)


def find_phrases(text: str, phrases: Iterable[str]) -> MatchSet:
    """One-off convenience: compile `phrases` and match them against `text`."""
    return PhraseMatcher(phrases).find(text)
