"""Common English words, to tell a typo from a different word.

Typo tolerance lets "privacy oficer" match `privacy officer`. But "content" is one letter from
`consent` and is a word of its own: an answer about the post's content has not mentioned
consent. A tolerated "typo" that is itself a common English word is therefore passed to the
scorers as a possible different word, and the answer goes to an educator instead of being
credited (see `scorers`).

The word list is pyspellchecker's English frequency list (OpenSubtitles-derived), cut to words of
5 or more letters seen at least `COMMON_MIN_COUNT` times (about 16,000 words; rarer ones such
as "manger" are treated as typos). It is built on first use, not at import.
"""

from __future__ import annotations

from functools import cache

__all__ = ["COMMON_MIN_COUNT", "is_common_word"]

COMMON_MIN_COUNT = 1000
_MIN_LENGTH = 5  # typo tolerance starts at 6 letters, so a typo is at least 5


@cache
def _common_words() -> frozenset[str]:
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(
        w for w, n in counts.items() if n >= COMMON_MIN_COUNT and len(w) >= _MIN_LENGTH
    )


def is_common_word(word: str) -> bool:
    """Whether `word` (lower case, no apostrophes) is a common English word."""
    return len(word) >= _MIN_LENGTH and word in _common_words()
