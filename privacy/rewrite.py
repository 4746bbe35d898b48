"""rewrite_post: a concrete safer draft, with each flagged detail removed or generalised.

Every finding that helps single someone out is replaced by a general word ("Mr. Patel" -> "a
patient", "93-year-old" -> "older", "from Elk Creek" -> "from nearby") or removed ("bed 4", phone
numbers, the description of a picture). The draft is checked again, up to three rounds; if it is
still identifying, the story itself is the problem and the draft becomes the general lesson.
Patient-context cues ("my patient") stay: on their own they name no one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from privacy.checker import check_post
from privacy.model import UNKNOWN, Finding, PrivacyReport

MAX_ROUNDS = 3
FALLBACK = (
    "A reminder from my work: the lesson matters more than the story. {lesson} "
    "(Rewritten without any details of the person, the place or the day.)"
)
_DEFAULT_LESSON = "Look after each other and ask for help early."

_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:in|on|at|from|near|to|into|off|past|outside|around|since|until|by|of))\s+$", re.I
)
_PATIENT_WORD_BEFORE = re.compile(
    r"\b(?:patient|pt|client|resident|baby|little|flyer|our|my|his|her|their|the|a|an)\s+$", re.I
)
_AGE_PHRASE = re.compile(
    r"[- ]?(?:years?|yrs?|yo|y/o|y\.o\.)(?:[- ](?:old|young|of age))?|(?:st|nd|rd|th) birthday",
    re.I,
)
_NUMBER_KEYWORD_BEFORE = re.compile(
    r"(?:\b(?:MRN|NHS|CHI|SSN|Rx|ID|no\.?|number|#|acct|account|policy|serial|plate|reg|phone|"
    r"tel|call|text|fax|email|e-mail|at)\W{0,3})$",
    re.I,
)
_GREETING_BEFORE = re.compile(
    r"\b(?:hi|hello|hey|dear|thanks|thank you|congrats|congratulations|sorry|welcome back),?\s+$",
    re.I,
)
_OWNER_BEFORE = re.compile(r"\b(?:my|our|your|his|her|their|the|a|an|this|that)\s+$", re.I)
_DOUBLED_ARTICLE = re.compile(r"\b(?:a|an|the|our|my|his|her|their|this|that) (a|an|the)\b", re.I)
_REPEATED_PATIENT = re.compile(r"\ba patient(?:,? (?:and )?a patient)+\b")
_SENTENCE_START = re.compile(r"[.!?]\s+$")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")
_EMPTY_BRACKETS = re.compile(r"[\[(]\s*[\])]")
_DOUBLE_PUNCT = re.compile(r"([,;:])\s*([,;:.!?])")

Edit = tuple[int, int, str]


def _start_with_preposition(text: str, start: int) -> int:
    """Widen a span leftwards over 'in ', 'on ', 'from ' so 'in bed 4' goes as a whole."""
    m = _PREPOSITION_BEFORE.search(text, max(0, start - 12), start)
    return m.start() if m else start


def _before(pattern: re.Pattern[str], text: str, start: int) -> bool:
    return bool(pattern.search(text, max(0, start - 24), start))


def _name(text: str, f: Finding) -> Edit:
    if _before(_PATIENT_WORD_BEFORE, text, f.start) or _before(_GREETING_BEFORE, text, f.start):
        return f.start, f.end, ""
    return f.start, f.end, "a patient"


def _relative(text: str, f: Finding) -> Edit:
    if _before(_OWNER_BEFORE, text, f.start):
        return f.start, f.end, "relative"
    return f.start, f.end, "a family member"


def _remove_with_preposition(text: str, f: Finding) -> Edit:
    return _start_with_preposition(text, f.start), f.end, ""


def _age(text: str, f: Finding) -> Edit:
    m = _AGE_PHRASE.match(text, f.end)
    end = m.end() if m else f.end
    return f.start, end, "older" if m else "elderly"


def _date(text: str, f: Finding) -> Edit:
    if _before(_OWNER_BEFORE, text, f.start):
        return f.start, f.end, "recent"  # "your 3/14 appointment" -> "your recent appointment"
    return _start_with_preposition(text, f.start), f.end, "recently"


def _place(text: str, f: Finding) -> Edit:
    start = _start_with_preposition(text, f.start)
    if start == f.start:
        return start, f.end, "a local place"
    if text[start : start + 4].lower() == "from":
        return start, f.end, "from nearby"
    return start, f.end, "nearby"


def _facility(text: str, f: Finding) -> Edit:
    lower = f.text.lower()
    kinds = (
        (("care home", "nursing", "lodge", "manor", "residential", "retirement"), "a care home"),
        (("school", "academy", "elementary", "college", "primary", "university"), "a school"),
        (("pharmacy", "chemist"), "a pharmacy"),
        (("church", "mosque", "synagogue", "temple"), "a place of worship"),
        (("hotel", "inn", "motel"), "a hotel"),
    )
    for words, general in kinds:
        if any(word in lower for word in words):
            return f.start, f.end, general
    return f.start, f.end, "a local hospital"


def _number(text: str, f: Finding) -> Edit:
    m = _NUMBER_KEYWORD_BEFORE.search(text, max(0, f.start - 16), f.start)
    return (m.start() if m else f.start), f.end, "[removed]"


def _link(text: str, f: Finding) -> Edit:
    return f.start, f.end, "[link removed]"


def _someone(text: str, f: Finding) -> Edit:
    first = f.text.split(" ", 1)[0]
    if first.lower() in ("the", "a", "an", "our", "local", "this", "that", "my") or first.istitle():
        return f.start, f.end, "someone"
    if _before(_OWNER_BEFORE, text, f.start):
        return f.start, f.end, "patient"
    return _start_with_preposition(text, f.start), f.end, ""


def _job(text: str, f: Finding) -> Edit:
    if f.text.lower().startswith("who "):
        return f.start, f.end, ""  # "who runs the chippy on Main St"
    return f.start, f.end, "person"


def _condition(text: str, f: Finding) -> Edit:
    return f.start, f.end, "an illness"


def _media(text: str, f: Finding) -> Edit:
    if f.start and text[f.start - 1] in "[(":
        return (
            f.start,
            f.end,
            "picture removed: use one with no patients, records or screens in view",
        )
    return f.start, f.end, ""


def _case_detail(text: str, f: Finding) -> Edit | None:
    if f.severity == "low":
        return None  # a plain cue ('my patient') names no one
    return f.start, f.end, "a health problem"


_REWRITERS: dict[str, Callable[[str, Finding], Edit | None]] = {
    "name": _name,
    "relative": _relative,
    "room": _remove_with_preposition,
    "age-over-89": _age,
    "date": _date,
    "geography": _place,
    "address": _remove_with_preposition,
    "facility": _facility,
    "phone": _number,
    "fax": _number,
    "email": _number,
    "ssn": _number,
    "mrn": _number,
    "health-plan": _number,
    "account": _number,
    "licence": _number,
    "vehicle": _number,
    "device": _number,
    "ip": _number,
    "url": _link,
    "unique-characteristic": _someone,
    "occupation": _job,
    "condition": _condition,
    "media": _media,
    "patient-context": _case_detail,
}
"""How each category is generalised or removed (a registry by category, like the detectors)."""


def _tidy(text: str) -> str:
    text = _EMPTY_BRACKETS.sub("", text)
    text = _DOUBLED_ARTICLE.sub(r"\1", text)
    text = _REPEATED_PATIENT.sub("a patient", text)
    text = re.sub(r"\s+,", ",", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_PUNCT.sub(r"\2", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def _apply(text: str, report: PrivacyReport) -> str:
    """Replace every flagged span, from the end so earlier offsets stay valid."""
    edits = []
    for finding in report.findings:
        rewriter = _REWRITERS.get(finding.category)
        edit = rewriter(text, finding) if rewriter else None
        if edit is not None:
            edits.append(edit)
    out = text
    last_start = len(text) + 1
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if end > last_start:  # overlaps an edit already made: keep the later one
            continue
        if (replacement and _SENTENCE_START.search(out, max(0, start - 3), start)) or start == 0:
            replacement = replacement[:1].upper() + replacement[1:]
        out = out[:start] + replacement + out[end:]
        last_start = start
    return _tidy(out)


def _safe(report: PrivacyReport) -> bool:
    return report.risk in ("none", "low")


def rewrite_post(text: str) -> str:
    """A safer draft of `text` that the checker rates none or low (English posts).

    A post the checker cannot read (risk "unknown") is returned unchanged: it cannot be made
    safe by a tool that does not understand it.
    """
    report = check_post(text, all_details=True)
    if report.risk in (UNKNOWN, "none"):
        return text
    draft = text
    for _ in range(MAX_ROUNDS):
        draft = _apply(draft, report)
        report = check_post(draft, all_details=True)
        if _safe(report):
            return draft
    return FALLBACK.format(lesson=_DEFAULT_LESSON)
