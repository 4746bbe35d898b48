"""Which language a post is in, so a post the checker cannot read is never called safe.

The detectors read English. A post in Irish, Tagalog or Polish would come out "none" and a
learner would take that as "safe"; instead the checker reports risk "unknown". Two signals,
both cheap enough for thousands of posts a second:

1. Script: mostly non-Latin letters (Arabic, Devanagari, Han, Cyrillic…) is not English.
2. Function words: the share of the post's words that are frequent function words of English
   versus of 20 other languages (privacy/data/function_words.txt). Content words are never
   counted, so an English post with a few Māori or Irish words ("whānau", "Sláinte!") stays
   English, and a post too short to tell is treated as English ("und" when there is no signal).
"""

from __future__ import annotations

import re
import unicodedata

from privacy.lexicon import DATA_DIR

ENGLISH = "en"
UNDETERMINED = "und"
MIN_FOREIGN_WORDS = 3  # fewer foreign function words than this never outvote English

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LINK_OR_TAG = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")

# Script of a letter -> language code (or "und-Xxxx" where one script serves many languages).
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("ARABIC", "und-Arab"),
    ("DEVANAGARI", "hi"),
    ("GURMUKHI", "pa"),
    ("BENGALI", "bn"),
    ("TAMIL", "ta"),
    ("GUJARATI", "gu"),
    ("CJK", "zh"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("CYRILLIC", "und-Cyrl"),
    ("GREEK", "el"),
    ("HEBREW", "he"),
    ("THAI", "th"),
    ("ETHIOPIC", "am"),
)


def _load_function_words() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """English function words, and for every other word the languages it is a function word in."""
    by_language: dict[str, set[str]] = {}
    current = ""
    with (DATA_DIR / "function_words.txt").open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1]
                by_language.setdefault(current, set())
                continue
            by_language[current].update(word.lower() for word in line.split())
    english = frozenset(by_language.pop(ENGLISH))
    foreign: dict[str, list[str]] = {}
    for language, entries in by_language.items():
        for word in entries - english:
            foreign.setdefault(word, []).append(language)
    return english, {word: tuple(langs) for word, langs in foreign.items()}


ENGLISH_WORDS, FOREIGN_WORDS = _load_function_words()


def _script_language(text: str) -> str | None:
    """The language a mostly non-Latin post is written in, by its letters' script."""
    latin = other = 0
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        if char < "\u0250":  # Basic Latin through Latin Extended-B
            latin += 1
            continue
        name = unicodedata.name(char, "")
        code = next((code for script, code in _SCRIPTS if name.startswith(script)), None)
        if code is None:
            latin += 1  # Latin Extended Additional (Vietnamese), IPA, other letters
            continue
        other += 1
        counts[code] = counts.get(code, 0) + 1
    if other <= latin:
        return None
    return max(counts, key=counts.__getitem__)


_NON_LATIN = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0590-\u08ff\u0900-\u0dff\u0e00-\u0e7f\u1100-\u11ff"
    "\u1200-\u137f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)


def detect_language(text: str, lower: str | None = None) -> str:
    """ISO 639 code of the post's language: "en", "und" (no signal) or another language.

    `lower` is `text.lower()` when the caller has it already.
    """
    if not text.isascii() and _NON_LATIN.search(text):
        by_script = _script_language(text)
        if by_script is not None:
            return by_script
    lower = text.lower() if lower is None else lower
    if "http" in lower or "www." in lower or "#" in lower or "@" in lower:
        lower = _LINK_OR_TAG.sub(" ", lower)
    words = _WORD.findall(lower)
    english = sum(map(ENGLISH_WORDS.__contains__, words))
    others = [word for word in words if word in FOREIGN_WORDS]
    if len(others) < MIN_FOREIGN_WORDS or len(others) <= english:
        return ENGLISH if english else UNDETERMINED
    foreign: dict[str, int] = {}
    for word in others:
        for language in FOREIGN_WORDS[word]:
            foreign[language] = foreign.get(language, 0) + 1
    language, hits = max(foreign.items(), key=lambda item: item[1])
    if hits >= MIN_FOREIGN_WORDS and hits > english:
        return language
    return ENGLISH if english else UNDETERMINED
