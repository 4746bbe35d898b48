"""Bundled fonts and per-character fallback, so any learner's name prints as real text.

Names come in any script. No single TrueType font covers Latin, Greek, Cyrillic, Vietnamese,
Chinese, Japanese and Korean, so each text style is a *chain* of bundled fonts and a string is
split into runs by the first font in the chain whose cmap has the character. Each run is drawn
as text in its font, so the PDF stays searchable and copy-paste gives the name back.

Fonts are parsed and registered with ReportLab lazily, once per process: the CJK fonts (4 MB
each) are only opened when a character actually needs them.

Right-to-left scripts (Arabic, Hebrew …) need shaping and bidi reordering that this renderer
does not do, so their letters count as missing: the web app refuses such a name when the profile
is saved rather than printing it backwards.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).with_name("fonts")

# PDF font name -> file in FONT_DIR (all TrueType with glyf outlines).
FONT_FILES: dict[str, str] = {
    "PRX-Serif": "NotoSerif-Regular.ttf",
    "PRX-Serif-Bold": "NotoSerif-Bold.ttf",
    "PRX-Serif-Italic": "NotoSerif-Italic.ttf",
    "PRX-Sans": "NotoSans-Regular.ttf",
    "PRX-Sans-Bold": "NotoSans-Bold.ttf",
    "PRX-DejaVuSans": "DejaVuSans.ttf",
    "PRX-CJK": "DroidSansFallbackFull.ttf",
    "PRX-Hangul": "NanumGothic.ttf",
}

# Variants for long, mostly-ASCII documents (the completion report's table). ReportLab's default
# "ASCII-readable" subsets reserve codes 32-127 for ASCII, so ASCII text is written as itself:
# a 2,300-page table is 11 % smaller (8.5 MB against 9.5 MB). The price is that all 95 ASCII
# glyphs are embedded whether drawn or not, which a one-page certificate should not pay.
ASCII_READABLE: dict[str, str] = {
    "PRX-Sans-ASCII": "PRX-Sans",
    "PRX-Sans-Bold-ASCII": "PRX-Sans-Bold",
}

_FALLBACKS = ("PRX-DejaVuSans", "PRX-CJK", "PRX-Hangul")

# Text style -> font chain, first match wins.
FAMILIES: dict[str, tuple[str, ...]] = {
    "serif": ("PRX-Serif", *_FALLBACKS),
    "serif-bold": ("PRX-Serif-Bold", "PRX-Sans-Bold", *_FALLBACKS),
    "serif-italic": ("PRX-Serif-Italic", "PRX-Serif", *_FALLBACKS),
    "sans": ("PRX-Sans", *_FALLBACKS),
    "sans-bold": ("PRX-Sans-Bold", "PRX-Sans", *_FALLBACKS),
}

# The styles that print user-typed text (names, credentials); can_render checks all of them.
USER_TEXT_FAMILIES = ("serif-bold", "sans", "sans-bold")

_RTL_CLASSES = frozenset({"R", "AL"})

_lock = threading.Lock()
_loaded: dict[str, TTFont] = {}


def font(name: str) -> TTFont:
    """The registered TTFont ``name``, parsing and registering it on first use."""
    f = _loaded.get(name)
    if f is not None:
        return f
    with _lock:
        f = _loaded.get(name)
        if f is None:
            # Embed only the glyphs drawn (asciiReadable=False): ReportLab's default puts all 95
            # printable ASCII glyphs in every subset (a Korean name's certificate: 75 -> 44 KB).
            readable = name in ASCII_READABLE
            path = FONT_DIR / FONT_FILES[ASCII_READABLE.get(name, name)]
            f = TTFont(name, str(path), asciiReadable=readable)
            if readable:
                # ReportLab keeps one font object per face name and hands it out for any later
                # name of the same face: a variant needs a face name of its own.
                f.face.name = _variant(f.face.name)
            pdfmetrics.registerFont(f)
            _loaded[name] = f
    return f


def _variant(face_name: str | bytes) -> str | bytes:
    suffix = "-ASCII"
    if isinstance(face_name, bytes):
        return face_name + suffix.encode("ascii")
    return face_name + suffix


def _has_glyph(name: str, cp: int) -> bool:
    return cp in font(name).face.charToGlyph


def _printable(ch: str) -> bool:
    """Characters we refuse even if some font has a glyph: controls and right-to-left letters."""
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs", "Co", "Cn"):
        return False
    return unicodedata.bidirectional(ch) not in _RTL_CLASSES


def prepare(text: str) -> str:
    """NFC-normalize so Vietnamese and other accented letters use precomposed glyphs."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def font_for(ch: str, family: str = "sans") -> str | None:
    """First font in the family chain with a glyph for ``ch`` (None if none has one)."""
    if not _printable(ch):
        return None
    cp = ord(ch)
    for name in FAMILIES[family]:
        if _has_glyph(name, cp):
            return name
    return None


def runs(text: str, family: str = "sans") -> tuple[tuple[str, str], ...]:
    """Split ``text`` into (font name, substring) runs by glyph coverage.

    Spaces and combining marks stay in the current run when its font has them, so a Latin
    name is one run. A character no font has is drawn with the family's first font (it will
    show as a box); callers are expected to have refused such text with ``can_render``.
    """
    return _runs(text, family)


@lru_cache(maxsize=8192)
def _runs(text: str, family: str) -> tuple[tuple[str, str], ...]:
    text = prepare(text)
    primary = FAMILIES[family][0]
    out: list[tuple[str, str]] = []
    cur_font = primary
    buf: list[str] = []
    for ch in text:
        if buf and (ch.isspace() or unicodedata.combining(ch)) and _has_glyph(cur_font, ord(ch)):
            buf.append(ch)
            continue
        name = font_for(ch, family) or primary
        if name != cur_font and buf:
            out.append((cur_font, "".join(buf)))
            buf = []
        cur_font = name
        buf.append(ch)
    if buf:
        out.append((cur_font, "".join(buf)))
    return tuple(out)


def text_width(text: str, family: str, size: float) -> float:
    """Width in points of ``text`` drawn in ``family`` at ``size`` with fallback runs."""
    width: float = sum(pdfmetrics.stringWidth(s, f, size) for f, s in _runs(text, family))
    return width


def missing_characters(text: str) -> str:
    """The distinct characters of ``text`` that no bundled font can print, in order of appearance.

    Whitespace other than a plain space (tabs, newlines) counts as missing: a printed name is
    one line.
    """
    seen: list[str] = []
    for ch in prepare(text):
        if ch in seen:
            continue
        if ch != " " and (ch.isspace() or any(font_for(ch, f) is None for f in USER_TEXT_FAMILIES)):
            seen.append(ch)
    return "".join(seen)


def can_render(text: str) -> bool:
    """True when every character of ``text`` prints with the bundled fonts."""
    return not missing_characters(text)
