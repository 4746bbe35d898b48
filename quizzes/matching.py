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

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

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

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STEM_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?|\*")
FUZZY_MIN = 6  # words of 6+ letters tolerate one edit
FUZZY2_MIN = 9  # words of 9+ letters tolerate two edits


class PhraseError(ValueError):
    """A phrase that cannot be matched (no words, or a misplaced `*`)."""


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
    r"[\"“”]([^\"“”\n]{1,300})[\"“”]|(?<![\w'’])['‘]([^'‘’\n]{1,200}?)['’](?![\w'’])"
)


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Apostrophes are removed before comparison, so "don't" and "dont" are the same token.
NEGATORS = _words(
    """not never no nor neither without cannot refuse refuses refused refusing avoid avoids
    avoided avoiding nothing nobody none nowhere dont doesnt didnt wont wouldnt shouldnt cant
    couldnt isnt arent wasnt werent mustnt neednt havent hasnt hadnt aint shant"""
)
# Two-word negators; the scope starts after the second word. "instead of" and "rather than"
# are narrow: they negate the action they introduce and stop at the next comma or subject
# ("instead of posting it, I would talk to a colleague" negates only the posting).
_NEGATING_PAIRS = {
    ("instead", "of"): True,
    ("rather", "than"): True,
    ("far", "from"): False,
    ("refrain", "from"): False,
    ("hold", "off"): False,
    ("decline", "to"): False,
    ("declined", "to"): False,
    ("advise", "against"): False,
    ("advised", "against"): False,
    ("decide", "against"): False,
    ("decided", "against"): False,
    ("warn", "against"): False,
    ("recommend", "against"): False,
}
_GERUND_NEGATORS = _words("stop stops stopped stopping")  # "stop posting", not "stop and think"
# "no matter", "not only", "not worth my job": the next word is not what is negated.
_NOT_NEGATING_NEXT = _words("matter doubt only just hesitate wait delay worth")
_HEDGING_NEXT = _words("sure certain")  # "not sure whether to post it" hedges
# "No, …", "Nothing. …": a negator that stands alone before punctuation negates nothing after.
_STANDALONE = _words("no nothing nobody none neither")
_PUNCT = frozenset(",.;:!?")
# Negating a verb of thinking or saying negates its whole complement, across a new subject:
# "I don't think it's fine", "I won't confirm she was my patient".
_RAISING = _words(
    """think believe feel suppose expect want say confirm mention reveal disclose imply suggest
    admit agree imagine reckon claim write tell post show let"""
)
# "it would be unprofessional to call them clowns": the judgement negates what follows "to".
_JUDGE_TO = _words(
    """unprofessional inappropriate unacceptable wrong unsafe unwise unethical illegal mistake
    irresponsible disrespectful"""
)
# "calling them clowns would be unprofessional": a judgement just after a copula negates the
# words of its clause before the copula (the act being judged).
_JUDGE_AFTER = _words(
    """unprofessional inappropriate unacceptable disrespectful derogatory demeaning dehumanising
    dehumanizing stigmatising stigmatizing offensive wrong mistake breach violation violates
    dismissive undermine undermines unfair unkind hurtful harmful damaging insulting cruel
    illegal unethical unsafe risky irresponsible disciplined fired sacked suspended backfire
    backfires"""
)
# "…is not okay", "a selfie is not consent": a copula, a negator, then one of these.
_GOOD_AFTER_NOT = _words(
    """ok okay acceptable appropriate professional right fine wise allowed safe consent enough
    permission approval sufficient valid agreement authorisation authorization"""
)
# "privacy settings don't protect you": a negated verb of success judges what came before.
_FAILS_AFTER = _words(
    "protect protects help helps work works matter stop prevent count make apply applies"
)
# "'clowns who gamble with lives' is accurate": the quotation is endorsed, not just mentioned.
_ENDORSE_AFTER = _words("accurate true right fair correct deserved spot")
_COPULAS = _words(
    """is are was were be been being isnt arent wasnt werent would wouldnt will wont could can
    might may makes make made sounds seems looks feels comes its thats"""
)
# "I'd probably still post it" states an intention, so "probably" is no hedge.
HEDGES = _words(
    """maybe perhaps possibly might may guess suppose unsure undecided tempted consider
    considering depends depending"""
)
_CONDITIONALS = _words("if unless provided providing assuming")
_NOT_CONDITIONAL_BEFORE = _words("even as what at")  # "even if", "as if", "at once"
_NOT_CONDITIONAL_AFTER = _words("anything you your in")  # "if anything", "if you…", "if in doubt"
_OPENERS = _words(
    """but however although though whereas because so then therefore thus which who whom whose
    while whilst since otherwise except unless if when whenever where until till before after
    once plus as"""
)
# Subject pronouns as written (apostrophe kept): "I'd" opens a clause, "id" does not.
_SUBJECTS = _words(
    """i we he she they i'd i'll i'm i've we'd we'll we're we've he'd he'll he's she'd she'll
    she's they'd they'll they're they've you'd you'll you're you've it's that's there's"""
)
_AUX = _words(
    """would will should could can did do does have has had must shall might may am is are was
    were nor neither so"""
)  # "nor would I post it": an inverted subject does not open a clause
_MODALS = _words(
    """would will should could can might may must shall id ill then also instead just still
    definitely probably immediately"""
)
_THAT_CLAUSE = _MODALS | _AUX | _words("identifies shows reveals names mentions makes")
_CONJUNCTIONS = _words("and or nor")
_CONTRAST = _words("but however although though whereas yet")
_POINTERS = _words("that this it thats its which")
_LIST_LOOKAHEAD = 3

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
    covering = [0] * n  # how many negating scopes cover each word (odd: negated)
    touched: list[int] = []
    hedged_any = False
    openers: list[int] = []
    judging: list[int] = []
    conditions = False
    if not _TRIGGERS.isdisjoint(words):
        for i, w in enumerate(words):
            if w in _TRIGGERS:
                if w in _OPENING_WORDS:
                    openers.append(i)
                    if w in _FAILING and i + 1 < n and words[i + 1] in _FAILS_AFTER:
                        judging.append(i)
                if w in _JUDGING_WORDS:
                    judging.append(i)
                if w in _CONDITIONALS or w == "long":
                    conditions = True
    if openers or judging or conditions:
        clauses = _Clauses(text, tokens, words, starts)
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
                negated_by[j] = -1  # "not … without consent": two negators cancel
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
            copula = -1
            for c in range(k - 1, max(-1, k - 4), -1):
                if c in used or self.kind(c + 1) or self.gaps.get(c + 1):
                    break
                if words[c] in _COPULAS:
                    copula = c
                    break
            if copula < 0:
                continue
            if w in _ENDORSE_AFTER:
                if k - copula <= 2:
                    first = copula
                    while first > 0 and not (
                        self.gaps.get(first) == 2 or words[first] in _CONTRAST
                    ):
                        first -= 1
                    flags[first:copula] = [False] * (copula - first)
                continue
            if not (
                w in _JUDGE_AFTER
                or (w in _GOOD_AFTER_NOT and any(x in NEGATORS for x in words[copula:k]))
            ):
                continue
            used.add(copula)
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
        return tuple(flags)

    def regions(self) -> list[int]:
        """Sentence parts: a new one at . ! ? ; : dashes and at "but", "however"…"""
        region, part = [0] * self.n, 0
        for i, w in enumerate(self.words):
            if i and (self.gaps.get(i) == 2 or w in _CONTRAST):
                part += 1
            region[i] = part
        return region


# Only these words can open a scope or be a subject: a cheap test before the real ones.
_OPENING_WORDS = (
    NEGATORS
    | HEDGES
    | _GERUND_NEGATORS
    | _HEDGING_NEXT
    | {second for _first, second in _NEGATING_PAIRS}
    | {"to"}
)
_SUBJECT_WORDS = frozenset(w.replace("'", "") for w in _SUBJECTS)
# Words that can end a clause where they stand.
_SPECIAL_WORDS = _CONTRAST | _OPENERS | _CONJUNCTIONS | _SUBJECT_WORDS | {"that"}
_JUDGING_WORDS = _ENDORSE_AFTER | _JUDGE_AFTER | _GOOD_AFTER_NOT
_FAILING = NEGATORS - _JUDGING_WORDS  # "… don't protect you"
_TRIGGERS = _OPENING_WORDS | _JUDGING_WORDS | _CONDITIONALS | {"long"}


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
            slots = slots_for(word)
            at.append(slots)
            for sid in slots:
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
