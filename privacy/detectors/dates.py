"""Dates other than a bare year, and ages of 90 or more."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.detectors.vocabulary import (
    BIRTHDAY_AGE,
    INSTITUTION_BIRTHDAY,
    MONTH,
    OWN_FAMILY,
    WEEKDAY,
)
from privacy.scan import A, Candidate, Gated, Scan

_DATE_PATTERNS = (
    re.compile(rf"\b{MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}})?"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH}\b(?:,? \d{{4}})?"),
    re.compile(rf"\b(?i:in|on|since|during|until|of) (?P<d>{MONTH} \d{{4}})\b"),
    re.compile(
        r"\b(?:Christmas(?: Eve| Day)?|Xmas|New Year['’]?s(?: Eve| Day)?|Thanksgiving|"
        r"Easter(?: Sunday| Monday)?|Good Friday|Boxing Day|Hallowe['’]?en|Valentine['’]?s Day|"
        r"Independence Day|July 4th|Fourth of July|4th of July|Bonfire Night|Mother['’]?s Day|"
        r"Father['’]?s Day|Mothering Sunday|Memorial Day|Labou?r Day|St\.? Patrick['’]?s Day|"
        r"Pi Day|Diwali|Eid|Hanukkah|Chanukah|Lunar New Year|Black Friday)\b"
    ),
    re.compile(rf"\b(?i:on|last|this past|since|from) (?P<d>{WEEKDAY})\b"),
    re.compile(r"\b(?i:on|since|until|from) the (?P<d>\d{1,2}(?:st|nd|rd|th))\b"),
    re.compile(rf"\b{WEEKDAY}(?:['’]s\b| (?i:night|morning|evening|afternoon)\b)"),
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.\w])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\d/\w%]|[.-]\d)"
)
_DATE_INTRO = re.compile(r"(?i:\b(?:on|since|from|until|by|admitted|discharged|dob|seen)\W*)$")
_DOB_BEFORE = re.compile(r"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date)\W*(?:is|was)?\W*)$")


_MONTH_TRIGGERS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE_GATES = tuple(
    Gated(t, p, case=case)
    for (t, case), p in zip(
        (
            (_MONTH_TRIGGERS, True),
            (_MONTH_TRIGGERS, True),
            (_MONTH_TRIGGERS, True),
            (
                "christmas|xmas|new year|thanksgiving|easter|good friday|boxing|hallowe|valentine|"
                "independence|july|bonfire|mother|father|memorial|labo|patrick|pi day|diwali|eid|"
                "hanukkah|chanukah|lunar|black friday",
                False,
            ),
            ("monday|tuesday|wednesday|thursday|friday|saturday|sunday", False),
            ("on the|since the|until the|from the", False),
            ("monday|tuesday|wednesday|thursday|friday|saturday|sunday", False),
        ),
        _DATE_PATTERNS,
        strict=True,
    )
)
_NUMERIC_DATE_GATE = Gated("/|-|.", _NUMERIC_DATE, digits=True)


def _thread_numbering(scan: Scan) -> set[tuple[int, int]]:
    """'1/4 … 2/4 … 3/4': a thread counted out of one total from 1 and 2 up is not dates."""
    if scan.text.count("/") < 2:
        return set()
    pairs = [
        (int(m.group("a")), int(m.group("b")))
        for m in _NUMERIC_DATE.finditer(scan.text)
        if m.group("sep") == "/" and not m.group("y")
    ]
    counted: dict[int, set[int]] = {}
    for a, b in pairs:
        if a <= b:
            counted.setdefault(b, set()).add(a)
    return {(a, b) for a, b in pairs if {1, 2} <= counted.get(b, set()) and a <= b}


def detect_dates(scan: Scan) -> Iterator[Candidate]:
    """Dates other than a bare year: '3/14', 'June 2', 'Christmas Eve', 'Tuesday's'."""
    text = scan.text
    spans: list[tuple[int, int]] = []
    for gate in _DATE_GATES:
        named = "d" in gate.pattern.groupindex
        for m in gate.finditer(scan):
            spans.append(m.span("d") if named else m.span())
    numbering = _thread_numbering(scan)
    for m in _NUMERIC_DATE_GATE.finditer(scan):
        a, b, year = int(m.group("a")), int(m.group("b")), m.group("y")
        if not year and (a, b) in numbering:
            continue
        if m.group("sep") != "/" and not year:
            continue
        if not ((1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)):
            continue
        # "24/7" and scores such as "8/10" are not dates unless introduced like one ("on 5/10").
        if (
            not year
            and (m.group() == "24/7" or b in (10, 5))
            and not _DATE_INTRO.search(text, max(0, m.start() - 14), m.start())
        ):
            continue
        spans.append(m.span())
    for start, end in spans:
        dob = bool(_DOB_BEFORE.search(text, max(0, start - 20), start))
        yield Candidate(
            "date",
            start,
            end,
            "medium" if dob else "low",
            "high" if dob else "medium",
            (
                "A date of birth identifies a person almost on its own."
                if dob
                else "A date (not just a year) tied to a patient's admission, birth or visit lets "
                "people match the post to a real event."
            ),
            priority=45,
        )


_AGE = r"(?P<age>9\d|1[01]\d)"
_AGE_PATTERNS = (
    re.compile(rf"\b{_AGE}[- ](?:years?|yrs?|yo)[- ]old\b", re.I),
    re.compile(rf"\b{_AGE} ?(?:years?|yrs?) (?:old|young|of age)\b", re.I),
    re.compile(rf"\b{_AGE} ?(?:y/o|yo|y\.o\.)(?!\w)", re.I),
    re.compile(
        rf"\b(?:aged?|turned|turns|turning|is|was|who{A}s|she{A}s|he{A}s|she is|he is|she was|"
        rf"he was|at) {_AGE}\b(?![.,]?\d)(?!\s*(?:%|percent|per ?cent|mg|mcg|ml|kg|lbs?|minutes?|"
        r"mins?|hours?|hrs?|days?|weeks?|patients|beds|people|calls|times|bpm|mmhg|degrees|°|am\b|"
        r"pm\b|o['’]clock|/|over|on|x))",
        re.I,
    ),
    re.compile(rf"\b{_AGE}(?:st|nd|rd|th) birthday\b", re.I),
    re.compile(rf"\b[A-Z][a-z]+, {_AGE}(?=[,.;!)]|\s)"),
    # The newspaper style: "Mrs K (92)", "Doris (94)", "our resident (101)".
    re.compile(
        rf"(?:\b[A-Z][a-z]*\.?|\b(?i:patient|man|woman|gentleman|gent|lady|resident|veteran|"
        rf"widow(?:er)?|grand(?:ma|mother|pa|father|ad)|granny)) \({_AGE}\)"
    ),
    re.compile(r"\b(?P<age>(?:super)?centenarian|nonagenarian)s?\b", re.I),
)
_CLINICAL_BEFORE = re.compile(
    r"(?i:\b(?:sats?|spo2|o2|bp|pulse|hr|heart rate|rate|score|glucose|bm|temp|weight|sugar|"
    r"saturations?|room|bed|bay|pod)\W*(?:\w+\W+)?)$"
)


# What each age pattern needs besides a 9x or 1xx number (same order as _AGE_PATTERNS).
_AGE_TRIGGERS = (
    "year|yr|yo",
    "year|yr",
    "y/o|yo|y.o",
    "9|10|11",
    "birthday",
    ", 9|, 10|, 11",
    "(9|(10|(11",
    "centenarian|nonagenarian",
)
_AGE_GATES = tuple(
    Gated(triggers, pattern, digits="centenarian" not in triggers)
    for triggers, pattern in zip(_AGE_TRIGGERS, _AGE_PATTERNS, strict=True)
)


def detect_ages(scan: Scan) -> Iterator[Candidate]:
    """Ages of 90 or more; a clinician's own grandparent or a hospital's centenary is fine."""
    text = scan.text
    seen: set[int] = set()
    for gate in _AGE_GATES:
        for m in gate.finditer(scan):
            start, end = m.span("age")
            if start in seen:
                continue
            seen.add(start)
            if _CLINICAL_BEFORE.search(text, max(0, start - 20), start):
                continue
            sentence = scan.sentence_text(start)
            if OWN_FAMILY.search(sentence) or (not scan.has_cue() and OWN_FAMILY.search(text)):
                continue
            if BIRTHDAY_AGE.search(sentence) and INSTITUTION_BIRTHDAY.search(sentence):
                continue
            yield Candidate(
                "age-over-89",
                start,
                end,
                "medium",
                "high",
                "Ages of 90 and over are rare enough to identify someone; write '90+' or leave the "
                "age out.",
                priority=45,
            )
