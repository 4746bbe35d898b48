"""The shared reading of one post: text, lower-cased text, sentences, gates and candidates.

Every detector reads a `Scan` and yields `Candidate`s; nothing here knows what a patient is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

try:  # optional C accelerator for the gates; the checker works without it, only slower
    import ahocorasick
except ImportError:  # pragma: no cover - exercised in environments without the wheel
    ahocorasick = None

A = "['’]"  # straight or curly apostrophe


@dataclass(slots=True)
class Candidate:
    """A possible finding before overlap resolution and the two questions are asked.

    `alone` is its severity when the post is not about a specific person in care; `with_cue`
    when it is. `weight` is how much it helps single that person out (question two).
    """

    category: str
    start: int
    end: int
    alone: str
    with_cue: str
    explanation: str
    guideline: int = 2
    priority: int = 50
    is_cue: bool = False  # this finding itself shows the post is about a patient
    weight: float | None = None  # None: the category default in privacy.singling


_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bno)(?<!\bNo)(?<!\bvs)"
    r"[.!?]+(?=\s|$)|\n+"
)


class Scan:
    """The post plus lazily computed sentence boundaries and spans other detectors suppressed."""

    __slots__ = (
        "_ends",
        "_words",
        "all_details",
        "cue_spans",
        "digits",
        "gates",
        "hits",
        "hits_case",
        "lower",
        "memo",
        "suppressed",
        "text",
    )

    def __init__(self, text: str, *, all_details: bool = True) -> None:
        self.text = text
        self.all_details = all_details  # False: stop looking once the risk cannot change
        self.lower = text.lower()
        self.digits = sum(map(text.count, "0123456789"))  # ten C-level scans: cheap
        self.gates: dict[int, bool] = {}  # gate answers without the automaton, by Gated._key
        # Keys of every gate whose triggers occur (lower-cased / as written): one pass each.
        self.hits: set[int] = _INDEXES[False].hits(self.lower) if _INDEXES else set()
        self.hits_case: set[int] = _INDEXES[True].hits(text) if _INDEXES else set()
        self.cue_spans: list[tuple[int, int]] = []  # filled by the cue detector first
        self._ends: list[int] | None = None
        self._words: set[str] | None = None
        self.memo: dict[int, object] = {}  # per-post results shared by detectors (PhraseList)
        self.suppressed: list[tuple[int, int]] = []

    def sentence(self, pos: int) -> tuple[int, int]:
        """Start and end of the sentence holding pos (abbreviations like 'Mr.' do not end one)."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self._ends, pos)
        start = self._ends[i - 1] if i else 0
        end = self._ends[i] if i < len(self._ends) else len(self.text)
        return start, end

    def sentences(self) -> list[tuple[int, int]]:
        """Start and end of every sentence, in order."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        starts = [0, *self._ends]
        ends = [*self._ends, len(self.text)]
        return [(s, e) for s, e in zip(starts, ends, strict=True) if e > s]

    def sentence_text(self, pos: int) -> str:
        """The sentence holding pos."""
        start, end = self.sentence(pos)
        return self.text[start:end]

    def words(self) -> set[str]:
        """The post's lower-case words (letters and digits), computed once."""
        if self._words is None:
            self._words = set(_WORD.findall(self.lower))
        return self._words

    def has_cue(self) -> bool:
        """Whether any patient-context phrase appears anywhere in the post."""
        return bool(self.cue_spans)

    def is_suppressed(self, start: int, end: int) -> bool:
        """Whether a detector already judged this stretch public (a role mailbox, a colleague)."""
        return any(s < end and start < e for s, e in self.suppressed)


Detector = Callable[[Scan], Iterator[Candidate]]


class LazyRegex:
    """A regex compiled on first use: most patterns are needed by few posts, and compiling them
    all at import made `import privacy` slow."""

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled once)."""
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    @property
    def groupindex(self) -> Mapping[str, int]:
        """Like re.Pattern.groupindex (compiles the pattern)."""
        return self.compiled.groupindex

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        """Like re.Pattern.finditer."""
        return self.compiled.finditer(text, *args)

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        """Like re.Pattern.search."""
        return self.compiled.search(text, *args)


def words(text: str) -> frozenset[str]:
    """A small word list written inline as whitespace-separated words."""
    return frozenset(text.split())


_GATE_KEYS: dict[tuple[bool, tuple[str, ...]], int] = {}


class _TriggerIndex:
    """Every gate's triggers in one Aho-Corasick automaton: one pass over a post finds them all.

    Checking a few hundred triggers one `in` at a time was most of the checker's time. Without
    the optional C library (pyahocorasick) each gate falls back to its own substring checks.
    """

    def __init__(self, case: bool) -> None:
        self.case = case
        self.size = -1
        self.automaton: Any = None  # an ahocorasick.Automaton once built (an untyped library)

    def build(self) -> None:
        by_trigger: dict[str, set[int]] = {}
        for (case, triggers), key in _GATE_KEYS.items():
            if case == self.case:
                for trigger in triggers:
                    by_trigger.setdefault(trigger, set()).add(key)
        automaton = ahocorasick.Automaton()
        for trigger, keys in by_trigger.items():
            automaton.add_word(trigger, frozenset(keys))
        automaton.make_automaton()
        self.automaton = automaton
        self.size = len(_GATE_KEYS)

    def hits(self, haystack: str) -> set[int]:
        """Keys of the gates whose triggers occur in `haystack`."""
        if self.size != len(_GATE_KEYS):
            self.build()  # a gate was created after the last build (first use, or a late import)
        # C-level iteration over every trigger occurrence: no Python bytecode per hit.
        matches = self.automaton.iter(haystack)
        return set(chain.from_iterable(map(itemgetter(1), matches)))


_INDEXES = {False: _TriggerIndex(False), True: _TriggerIndex(True)} if ahocorasick else {}
ACCELERATED = bool(_INDEXES)
"""Whether gate triggers are found by the automaton (pyahocorasick installed)."""


class Gated:
    """A regex that only runs when one of a few lower-case substrings occurs in the post."""

    __slots__ = ("case", "digits", "key", "pattern", "triggers")

    def __init__(
        self,
        triggers: str,
        pattern: re.Pattern[str] | LazyRegex,
        *,
        case: bool = False,
        digits: bool = False,
    ) -> None:
        self.triggers = tuple(triggers.split("|"))
        self.pattern = pattern
        self.case = case  # match the triggers against the original text, not the lower-cased one
        self.digits = digits  # the pattern also needs a digit somewhere in the post
        # Gates with the same triggers share one small-int key, and one answer per post.
        self.key = _GATE_KEYS.setdefault((case, self.triggers), len(_GATE_KEYS))

    def triggers_in(self, scan: Scan) -> bool:
        """Whether any trigger occurs in the post (one automaton pass per post, then cached)."""
        if self.digits and not scan.digits:
            return False
        if _INDEXES:
            return self.key in (scan.hits_case if self.case else scan.hits)
        key = self.key
        known = scan.gates.get(key)
        if known is None:
            haystack = scan.text if self.case else scan.lower
            known = False
            for trigger in self.triggers:  # a plain loop: measurably faster than any() here
                if trigger in haystack:
                    known = True
                    break
            scan.gates[key] = known
        return known

    def finditer(self, scan: Scan) -> Iterator[re.Match[str]]:
        """The pattern's matches, or nothing when no trigger occurs."""
        if self.triggers_in(scan):
            return self.pattern.finditer(scan.text)
        return iter(())


def _anchors(fragment: str) -> tuple[tuple[str, bool], ...]:
    """Literal lower-case anchors, one of which occurs wherever the fragment matches.

    Each anchor comes with whether it is a whole word (then a set lookup finds it) or only the
    start of one ('overdos' in 'overdos(?:e|ed)', then a substring check does):
    'stroke' -> (('stroke', True),); '(?:quad|atv) roll' -> (('quad', True), ('atv', True));
    '\\bCJD\\b' -> (('cjd', True),). An empty result means "always try this fragment".
    """
    body = fragment.removeprefix("\\b")
    if body.startswith("(?:"):
        depth, end = 0, 0
        for end, char in enumerate(body):  # noqa: B007 - end is read after the loop
            depth += char == "("
            depth -= char == ")"
            if depth == 0:
                break
        alternatives = body[3:end].split("|")
    else:
        alternatives = [body]
    anchors = []
    for alternative in alternatives:
        run = re.match(r"[A-Za-z' ’-]*?([A-Za-z]{2,})(.?)", alternative)
        if run is None:
            return ()
        whole = run.group(2) in ("", " ", "\\", "'", "’", "-") and run.start(1) in (0,)
        anchors.append((run.group(1).lower(), whole))
    return tuple(anchors)


class PhraseList:
    """Regex fragments from a data file, each compiled alone and run only if its anchor occurs.

    One alternation of a hundred fragments costs far more than looking up a few anchor words.
    """

    __slots__ = ("_always", "_by_word", "_prefixes", "_words", "patterns_list")

    def __init__(self, fragments: frozenset[str], *, flags: int = re.I) -> None:
        self.patterns_list: list[LazyRegex] = []
        self._by_word: dict[str, list[int]] = {}
        self._prefixes: list[tuple[str, int]] = []
        self._always: list[int] = []
        for index, fragment in enumerate(sorted(fragments, key=len, reverse=True)):
            self.patterns_list.append(LazyRegex(rf"\b(?:{fragment})(?!\w)", flags))
            anchors = _anchors(fragment)
            if not anchors:
                self._always.append(index)
            for anchor, whole in anchors:
                if whole:
                    self._by_word.setdefault(anchor, []).append(index)
                else:
                    self._prefixes.append((anchor, index))
        self._words = frozenset(self._by_word)

    def patterns(self, scan: Scan) -> list[LazyRegex]:
        """The fragments that can match this post (computed once a post)."""
        key = id(self)
        known = scan.memo.get(key)
        if known is not None:
            return known  # type: ignore[return-value]  # memo[id(self)] holds only this list
        lower = scan.lower
        indices = set(self._always)
        for word in self._words.intersection(scan.words()):
            indices.update(self._by_word[word])
        indices.update(index for anchor, index in self._prefixes if anchor in lower)
        found = [self.patterns_list[i] for i in sorted(indices)]
        scan.memo[key] = found
        return found

    def finditer(self, scan: Scan) -> Iterator[re.Match[str]]:
        """Every match of every fragment in the post (overlaps between fragments included)."""
        for pattern in self.patterns(scan):
            yield from pattern.finditer(scan.text)
