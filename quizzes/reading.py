"""Reading a written answer at clause level: which words are negated, hedged or quoted.

`read` walks the answer once and marks, for every word, whether it lies inside a negated clause,
a hedged one, or quotation marks, and which word is responsible, so a scorer can refuse credit
for "I would *not* delete it", refuse a breach for "I would *not* call managers clowns", and
send "*maybe* I'd post it" to review.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .cues import (
    _AUX,
    _CONDITIONALS,
    _CONJUNCTIONS,
    _CONTRAST,
    _COPULAS,
    _ENDORSE_AFTER,
    _FAILING,
    _FAILS_AFTER,
    _GERUND_NEGATORS,
    _GOOD_AFTER_NOT,
    _HEDGING_NEXT,
    _JUDGE_AFTER,
    _JUDGE_TO,
    _JUDGING_WORDS,
    _LIST_LOOKAHEAD,
    _MODALS,
    _NEGATING_PAIRS,
    _NOT_CONDITIONAL_AFTER,
    _NOT_CONDITIONAL_BEFORE,
    _NOT_NEGATING_NEXT,
    _OPENERS,
    _OPENING_WORDS,
    _POINTERS,
    _PUNCT,
    _RAISING,
    _SPECIAL_WORDS,
    _STANDALONE,
    _SUBJECT_WORDS,
    _SUBJECTS,
    _THAT_CLAUSE,
    _TRIGGERS,
    HEDGES,
    NEGATORS,
)

__all__ = ["HEDGES", "NEGATORS", "Reading", "quoted_spans", "read", "tokenize"]

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _norm(word: str) -> str:
    return word.lower().replace("'", "").replace("’", "")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Normalised words of `text` with their character spans in the original text."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered ("İ")
        return [(_norm(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if "'" in low or "’" in low:
        return [
            (m.group().replace("'", "").replace("’", ""), m.start(), m.end())
            for m in _TOKEN.finditer(low)
        ]
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(low)]


# --------------------------------------------------------------------------- reading the sentence
#
# A negator opens a scope that runs forward to the end of its clause. A phrase whose first word
# lies inside an odd number of open scopes is negated: in "I would not post it without consent"
# `consent` sits inside two and is affirmed. A hedge opens a scope the same way, and an
# "if"/"unless" condition hedges its sentence (up to a "but" or a semicolon). Clauses end at
# . ! ? ; : dashes and brackets, at words that open a clause (but, because, so, then, which…),
# at "and"/"or" before a new subject or modal ("and I would", "and then"), at a subject pronoun
# ("instead of posting I'd talk…") or a relative "that", and at a comma unless a list goes on
# ("I did not name, tag or picture her").

# Punctuation that may end a clause, and commas (see `_gap_kinds`).
_GAP_CHAR = re.compile(r"[.!?\n;:()\[\]—–,-]")
_CLOSERS = "\"'”’)]"
_QUOTED = re.compile(
    r"[\"“”]([^\"“”\n]{1,300})[\"“”]|(?<![\w'’])['‘]((?:[^'‘’\n]|(?<=\w)['’](?=\w)){1,200}?)['’](?![\w'’])"
)


_NEG, _RAISE, _NARROW, _HEDGE = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Reading:
    """Per-word flags of one text: which word negates or hedges it, whether it is quoted."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    negated_by: tuple[int, ...]  # index of the negating word (or judgement), -1 if affirmed
    hedged_by: tuple[int, ...]  # index of the hedge or condition word, -1 if none
    quoted: tuple[bool, ...]
    quotes: tuple[tuple[int, int], ...] = ()  # character spans of the quotations
    hedged: bool = True  # whether any word at all is hedged

    @property
    def any_soft(self) -> bool:
        """Whether anything in the text is hedged or quoted (usually not)."""
        return self.hedged or bool(self.quotes)

    def index_at(self, pos: int) -> int:
        """The word covering character `pos`, or the next one after it (-1 past the end)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0 or self.ends[i] <= pos:
            i += 1
        return i if i < len(self.starts) else -1

    def negation_at(self, pos: int) -> str | None:
        """The word that negates a span starting at `pos`, or None if it is affirmed."""
        i = self.index_at(pos)
        by = self.negated_by[i] if i >= 0 else -1
        return self.words[by] if by >= 0 else None


def read(text: str, tokens: list[tuple[str, int, int]] | None = None) -> Reading:
    """Negation, hedge and quotation flags for every word of `text` (rules above).

    Only the words after a scope-opening word are visited, up to the end of that scope, so an
    answer costs little more than its negators and hedges.
    """
    if tokens is None:
        tokens = tokenize(text)
    n = len(tokens)
    words = [t[0] for t in tokens]
    starts = [t[1] for t in tokens]
    negated_by = [-1] * n
    hedged_by = [-1] * n
    hedged_any = False
    openers, judging, conditions = _triggers(words)
    if openers or judging or conditions:
        clauses = _Clauses(text, tokens, words, starts)
        hedged_any = _apply_scopes(clauses, openers, negated_by, hedged_by)
    quotes = tuple(quoted_spans(text))
    quoted = _quoted(quotes, starts)
    if openers or judging or conditions:
        if judging:
            quoted = clauses.judge(judging, negated_by, quoted)
        if conditions:
            hedged_any = _hedge_conditions(words, clauses.regions(), hedged_by) or hedged_any
    return Reading(
        tuple(words),
        tuple(starts),
        tuple(t[2] for t in tokens),
        tuple(negated_by),
        tuple(hedged_by),
        quoted,
        quotes,
        hedged_any,
    )


def _triggers(words: list[str]) -> tuple[list[int], list[int], bool]:
    """The words that may open a scope, the judgements, and whether a condition may hedge."""
    openers: list[int] = []
    judging: list[int] = []
    conditions = False
    if _TRIGGERS.isdisjoint(words):
        return openers, judging, conditions
    n = len(words)
    for i, w in enumerate(words):
        if w not in _TRIGGERS:
            continue
        if w in _OPENING_WORDS:
            openers.append(i)
            if w in _FAILING and i + 1 < n and words[i + 1] in _FAILS_AFTER:
                judging.append(i)
        if w in _JUDGING_WORDS:
            judging.append(i)
        if w in _CONDITIONALS or w == "long":
            conditions = True
    return openers, judging, conditions


def _apply_scopes(
    clauses: _Clauses, openers: list[int], negated_by: list[int], hedged_by: list[int]
) -> bool:
    """Marks the scope of every opener; returns whether any hedge did. Two negating scopes over
    one word cancel ("not … without consent")."""
    words, text, tokens = clauses.words, clauses.text, clauses.tokens
    covering = [0] * len(words)  # how many negating scopes cover each word (odd: negated)
    touched: list[int] = []
    hedged_any = False
    for i in openers:
        kind = _opens(words, i, text, tokens[i][2])
        if kind < 0:
            continue
        for j in clauses.scope(i, kind):
            if kind == _HEDGE:
                hedged_by[j] = i
                hedged_any = True
            else:
                covering[j] += 1
                negated_by[j] = i
                touched.append(j)
    for j in touched:
        if covering[j] % 2 == 0:
            negated_by[j] = -1
    return hedged_any


class _Clauses:
    """Where clauses end in one text, worked out word by word on demand and remembered."""

    __slots__ = ("_kinds", "gaps", "n", "text", "tokens", "words")

    def __init__(
        self, text: str, tokens: list[tuple[str, int, int]], words: list[str], starts: list[int]
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.words = words
        self.n = len(words)
        self.gaps = _gap_kinds(text, starts)
        self._kinds: dict[int, int] = {}

    def kind(self, i: int) -> int:
        """How word `i` starts a clause: 2 hard, 1 soft (a new subject), 0 not at all."""
        k = self._kinds.get(i)
        if k is None:
            k = self._kinds[i] = self._kind(i)
        return k

    def _kind(self, i: int) -> int:
        if self.gaps.get(i) == 2:
            return 2
        words, w = self.words, self.words[i]
        if w not in _SPECIAL_WORDS or not i:
            return 0
        prev, n = words[i - 1], self.n
        if w in _OPENERS:
            if (w == "instead" and i + 1 < n and words[i + 1] == "of") or (
                w == "as" and prev == "such"
            ):
                return 0
            return 2
        if w in _CONJUNCTIONS:
            if i + 1 < n:
                nw, ns, ne = self.tokens[i + 1]
                if nw in _MODALS or (nw in _SUBJECT_WORDS and _raw(self.text, ns, ne) in _SUBJECTS):
                    return 2
            return 0
        soft = (
            w in _SUBJECT_WORDS
            and prev not in _AUX
            and _raw(self.text, self.tokens[i][1], self.tokens[i][2]) in _SUBJECTS
        ) or (w == "that" and i + 1 < n and words[i + 1] in _THAT_CLAUSE)
        if not soft:
            return 0
        if prev in _RAISING or (prev == "that" and i >= 2 and words[i - 2] in _RAISING):
            return 0  # the complement of "say", "think", "confirm": "can't say I'm his nurse"
        return 1

    def scope(self, i: int, kind: int) -> range:
        """The words a scope opened at word `i` covers: up to the end of its clause."""
        words, gaps, n = self.words, self.gaps, self.n
        paren = False
        j = i + 1
        while j < n:
            k = self.kind(j)
            if k == 2:
                break
            if gaps.get(j) == 1:  # a comma
                if kind == _NARROW:
                    break
                if paren:
                    paren = False
                elif j - 1 == i:
                    paren = True  # "not, under any circumstances, post it"
                elif not _list_follows(words, j):
                    break
            if k == 1 and kind not in (_RAISE, _HEDGE):
                break
            j += 1
        return range(i + 1, j)

    def segment(self, i: int) -> int:
        """The first word of the stretch holding word `i` (after a boundary or a comma)."""
        while i > 0 and not (self.gaps.get(i) or self.kind(i) or self._raised(i)):
            i -= 1
        return i

    def _raised(self, i: int) -> bool:
        words = self.words
        return words[i] in _SUBJECT_WORDS and (
            words[i - 1] in _RAISING or (words[i - 1] == "that" and words[i - 2] in _RAISING)
        )

    def judge(
        self, judging: list[int], negated_by: list[int], quoted: tuple[bool, ...]
    ) -> tuple[bool, ...]:
        """Judgements after a copula: "calling them clowns would be unprofessional" negates
        the act judged, "…but that's not enough" the clause before, and "'…' is accurate"
        takes the quotation marks off what it endorses."""
        words = self.words
        flags = list(quoted)
        used: set[int] = set()
        for k in judging:
            w = words[k]
            if w in _FAILING and k + 1 < self.n and words[k + 1] in _FAILS_AFTER:
                first = self.segment(k)  # "privacy settings don't protect you"
                for j in range(first, k):
                    negated_by[j] = -1 if negated_by[j] >= 0 else k
                continue
            copula = self._copula_before(k, used)
            if copula < 0:
                continue
            if w in _ENDORSE_AFTER:
                if k - copula <= 2:
                    self._endorse(copula, flags)
                continue
            if w in _JUDGE_AFTER or (
                w in _GOOD_AFTER_NOT and any(x in NEGATORS for x in words[copula:k])
            ):
                used.add(copula)
                self._negate_judged(copula, negated_by)
        return tuple(flags)

    def _copula_before(self, k: int, used: set[int]) -> int:
        """The copula a few words before judgement `k` in the same clause, or -1."""
        for c in range(k - 1, max(-1, k - 4), -1):
            if c in used or self.kind(c + 1) or self.gaps.get(c + 1):
                break
            if self.words[c] in _COPULAS:
                return c
        return -1

    def _endorse(self, copula: int, flags: list[bool]) -> None:
        """ "'…' is accurate": the quotation before the copula is meant, not just mentioned."""
        first = copula
        while first > 0 and not (self.gaps.get(first) == 2 or self.words[first] in _CONTRAST):
            first -= 1
        flags[first:copula] = [False] * (copula - first)

    def _negate_judged(self, copula: int, negated_by: list[int]) -> None:
        """Negates the act judged before `copula` (or, through "that", the clause before)."""
        words = self.words
        first = self.segment(copula)
        for j in range(first, copula):
            negated_by[j] = -1 if negated_by[j] >= 0 else copula
        if words[first] in _POINTERS and first > 0:  # "she said yes, but that's not enough"
            before = first - 1
            while before > 0 and words[before] in _CONTRAST | _CONJUNCTIONS:
                before -= 1
            start = self.segment(before)
            if not any(x in NEGATORS for x in words[start:first]):
                for j in range(start, first):
                    negated_by[j] = copula

    def regions(self) -> list[int]:
        """Sentence parts: a new one at . ! ? ; : dashes and at "but", "however"…"""
        region, part = [0] * self.n, 0
        for i, w in enumerate(self.words):
            if i and (self.gaps.get(i) == 2 or w in _CONTRAST):
                part += 1
            region[i] = part
        return region


def _gap_kinds(text: str, starts: list[int]) -> dict[int, int]:
    """For the words that follow a clause end (2) or a comma (1): their index and that kind.

    A full stop ends a clause only before a space, a quote or the end ("2.5 ml" does not), and
    a hyphen only with spaces round it ("follow-up" does not)."""
    kinds: dict[int, int] = {}
    size = len(text)
    for m in _GAP_CHAR.finditer(text):
        pos = m.start()
        ch = text[pos]
        nxt = text[pos + 1] if pos + 1 < size else " "
        if ch == ",":
            kind = 1
        elif ch in ".!?":
            if not (nxt.isspace() or nxt in _CLOSERS):
                continue
            kind = 2
        elif ch == "-":
            if not (nxt.isspace() and (pos == 0 or text[pos - 1].isspace())):
                continue
            kind = 2
        else:
            kind = 2
        i = bisect.bisect_left(starts, pos + 1)
        if 0 < i < len(starts) and kinds.get(i, 0) < kind:
            kinds[i] = kind
    return kinds


def _raw(text: str, start: int, end: int) -> str:
    return text[start:end].lower().replace("’", "'")


def _opens(words: list[str], i: int, text: str, end: int) -> int:
    """The kind of scope word `i` opens, or -1."""
    w = words[i]
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    pair = _NEGATING_PAIRS.get((prev, w))
    if pair is not None:
        return _NARROW if pair else _NEG
    if w in NEGATORS:
        if nxt in _HEDGING_NEXT:
            return -1  # "not sure": "sure" opens a hedge instead
        if nxt in _NOT_NEGATING_NEXT or (
            w in _STANDALONE and (_punct_after(text, end) or nxt in NEGATORS)
        ):
            return -1  # "not only", "No, …", "Nothing. …", "no wouldn't post"
        if w == "not" and prev in _JUDGE_TO and nxt == "to":
            return -1  # "wrong not to report it": the two cancel
        if w == "no" and nxt == "way":
            return _RAISE  # "no way I'd share it": the scope runs on past "I'd"
        return _RAISE if any(x in _RAISING for x in words[i + 1 : i + 3]) else _NEG
    if w in _GERUND_NEGATORS:
        return _NEG if nxt.endswith("ing") else -1
    if w == "to" and (
        prev in _JUDGE_TO or (prev == "idea" and i >= 2 and words[i - 2] in ("bad", "terrible"))
    ):
        return _NEG
    if w in HEDGES or (w in _HEDGING_NEXT and prev in NEGATORS):
        return _HEDGE
    return -1


def _punct_after(text: str, end: int) -> bool:
    return text[end : end + 1] in _PUNCT and end < len(text)


def _list_follows(words: list[str], i: int) -> bool:
    """After a comma: does a list go on ("name, tag or picture her")?"""
    return any(w in _CONJUNCTIONS for w in words[i : i + _LIST_LOOKAHEAD])


def _hedge_conditions(words: list[str], region: list[int], hedged_by: list[int]) -> bool:
    """An "if"/"unless"/"as long as" condition hedges every word of its sentence, up to a
    semicolon, a dash or a "but" ("give 5ml, but call 111 if she gets worse" is no hedge).
    Returns whether any condition did."""
    n = len(words)
    found = False
    for i, w in enumerate(words):
        if w == "long":
            if not (0 < i < n - 1 and words[i - 1] == "as" and words[i + 1] == "as"):
                continue
        elif (
            w not in _CONDITIONALS
            or (i and words[i - 1] in _NOT_CONDITIONAL_BEFORE)
            or (i + 1 < n and words[i + 1] in _NOT_CONDITIONAL_AFTER)
        ):
            continue
        found = True
        s = region[i]
        j = i
        while j > 0 and region[j - 1] == s:
            j -= 1
        while j < n and region[j] == s:
            if hedged_by[j] < 0:
                hedged_by[j] = i
            j += 1
    return found


def _may_quote(text: str) -> bool:
    """A quotation mark somewhere, not just the apostrophes of "I'd" and "nurses'"."""
    if '"' in text or "“" in text or "”" in text or "‘" in text:
        return True
    for mark in "'’":
        i = text.find(mark)
        while i >= 0:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if not (before.isalnum() and after.isalnum()):
                return True
            i = text.find(mark, i + 1)
    return False


def quoted_spans(text: str, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the quotations in `text` (up to `end`), quotation marks included."""
    if not _may_quote(text):
        return []
    return [m.span() for m in _QUOTED.finditer(text, 0, len(text) if end is None else end)]


def _quoted(spans: tuple[tuple[int, int], ...], starts: list[int]) -> tuple[bool, ...]:
    """Which words (by their start) stand inside the quotation `spans`."""
    if not spans:
        return (False,) * len(starts)
    out = []
    k = 0
    for start in starts:
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        out.append(k < len(spans) and spans[k][0] < start)
    return tuple(out)
