"""What a written answer publishes: the post inside it, not the words around it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .assessment import IMAGE_WORDS, SELFIE, SENTENCE_END, wordset
from .concepts import Spans, _within, refused_quote
from .matching import Match, MatchSet, Reading

if TYPE_CHECKING:
    from .concepts import _Compiled

# What a post_draft answer publishes. Learners often write around the post: a "Before posting:"
# note the prompt asks for, a "Caption:" label, or a sentence or two about the post with the post
# itself in quotation marks ("For today: 'Big weekend for runners…'"). Only the post is
# published, so only the post is checked for what it discloses; the words around it are read as
# statements about what the learner would do (and may hedge).
_NOTE = re.compile(r"\bbefore\s+posting\s*:", re.I)
_POST_LABEL = re.compile(
    r"(?im)^[\s>*_(\[]*(?:caption|post|reply|my reply|my post|draft(?: for [\w ]{1,20})?)\s*:"
)
_IMAGE_LINE = re.compile(r"(?im)^[\s>*_(\[]*(?:image|photo|picture|pic)\s*:[^\n]*")
_FIRST_PERSON = wordset("i id ill im ive my")
_MIN_QUOTED_POST = 6  # words
# What introduces the post itself: a colon, or a word of posting or saying just before the quote.
_INTRODUCED = re.compile(
    r"(?i)(?::|\b(?:post|reply|write|say|something like|publicly|instead|to (?:her|him|them))"
    r"\b[^\n.!?]{0,12})\s*$"
)


_NO_REPLY = re.compile(r"^\W*(?:(?:my\s+)?(?:answer|reply)\s*:\W*)?no\s+reply\b", re.I)


def _published(compiled: _Compiled, text: str, reading: Reading | None) -> Spans:
    """The spans of `text` that would be published (see above). "NO REPLY", when the prompt
    offers it, publishes nothing: what follows is the reason, not a post."""
    end = len(text)
    if compiled.offers_no_reply and _NO_REPLY.match(text):
        return ((0, 0),)
    if compiled.asks_for_note and (note := _NOTE.search(text)):
        end = note.start()
    return _post_within(text, reading, end) or ((0, end),)


def _quoted_post(compiled: _Compiled, text: str, reading: Reading | None) -> Spans:
    """In a free_text answer, the post the learner says they would publish, if they write one
    out ("It would say: '…'", "I'd share it with: '…'"): published as written, so nothing in it
    is soft, however much the words around it promise ("privacy matters, so…")."""
    return _post_within(text, reading, len(text), loose=False)


def _post_within(text: str, reading: Reading | None, end: int, loose: bool = True) -> Spans:
    """A labelled or introduced post before `end`, or (). With `loose` (a post_draft answer,
    which is a post unless it says otherwise), also a long quotation among first-person words."""
    if ":" in text:
        labels = list(_POST_LABEL.finditer(text, 0, end))
        images = tuple(m.span() for m in _IMAGE_LINE.finditer(text, 0, end))
    else:
        labels, images = [], ()
    if labels:  # the last label before the note
        label = labels[-1]
        return (*(sp for sp in images if sp[1] <= label.start()), (label.end(), end))
    if reading is None:
        return ()
    spans = [sp for sp in reading.quotes if sp[1] <= end]
    introduced = [sp for sp in spans if _introduces(text, reading, sp[0])]
    if introduced:  # "My reply: '…'", "Publicly just 'Thank you ❤️'."
        shown = tuple(sp for q in introduced if (sp := _shown_with(text, q[0])))
        return tuple(sorted({*images, *shown, *introduced}))
    if not loose:
        return ()
    quoted = [sp for sp in spans if _words_in(reading, sp) >= _MIN_QUOTED_POST]
    if quoted:
        around = [
            w
            for w, a in zip(reading.words, reading.starts, strict=True)
            if a < end and not _within(a, tuple(quoted)) and not _within(a, images)
        ]
        if not _FIRST_PERSON.isdisjoint(around):
            return images + tuple(quoted)
    return ()


def _introduces(text: str, reading: Reading, start: int) -> bool:
    """Whether the words just before a quotation at `start` introduce it as the post ("It would
    say: '…'") and do not refuse it ("I wouldn't post the draft - '…'")."""
    if not _INTRODUCED.search(text, max(0, start - 40), start):
        return False
    return not refused_quote(reading, start, text)


def _shown_with(text: str, start: int) -> tuple[int, int] | None:
    """The sentence introducing a quoted post, if it names a picture that goes with it ("I'll
    share her newspaper photo with: '…'"): the picture is published too."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    if IMAGE_WORDS.search(text, left, start) or SELFIE.search(text, left, start):
        return (left, start)
    return None


def _words_in(reading: Reading, span: tuple[int, int]) -> int:
    return sum(1 for a in reading.starts if span[0] <= a < span[1])


def _keep(ms: MatchSet, spans: Spans) -> MatchSet:
    """The matches of `ms` that start inside `spans`."""

    def cut(d: dict[str, tuple[Match, ...]]) -> dict[str, tuple[Match, ...]]:
        kept = {p: tuple(m for m in found if _within(m.start, spans)) for p, found in d.items()}
        return {p: found for p, found in kept.items() if found}

    return MatchSet(cut(ms.hits), cut(ms.negated), ms.word_count, ms.reading)


def _mask(text: str, spans: Spans) -> str:
    """`text` with everything outside `spans` blanked (line breaks kept), so offsets still fit."""
    if spans == ((0, len(text)),):
        return text
    out = [c if c == "\n" else " " for c in text]
    for a, b in spans:
        out[a:b] = text[a:b]
    return "".join(out)
