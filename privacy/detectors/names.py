"""Names and relatives, recognised by position and form and by a first-name list."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.detectors.vocabulary import (
    COLLEAGUE,
    NON_NAMES,
    NOT_PLACES,
    OWN_CIRCLE_BEFORE,
    STATES_AND_COUNTRIES,
    STOP_CAPS,
)
from privacy.lexicon import FIRST_NAMES
from privacy.scan import A, Candidate, Gated, Scan

_TITLED = re.compile(
    r"\b(?P<title>Mr|Mrs|Ms|Miss|Mx|Mister|Dr)\.?\s+"
    r"(?P<name>[A-Z][a-zA-Z'’-]+(?: [A-Z][a-zA-Z'’-]+)?|[A-Z]\b\.?)"
)
_STRUCTURAL_NAME = re.compile(
    r"\b(?:(?i:patient|pt|flyer|client|resident)|Baby|baby|Little|little) "
    r"(?P<name>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)\b"
)
_NAME_AGE = re.compile(r"\b(?P<name>[A-Z][a-z]+), (?P<age>\d{1,3})(?:,| ?(?:yo|y/o|years?))")
_FAMILY_NAME = re.compile(
    r"\b(?:for|with|to|from|visit\w*|meet|met|saw|seeing) the (?P<name>[A-Z][a-z]{2,}s)\b"
)
_INITIAL_SURNAME = re.compile(r"(?<![.\w])[A-Z]\. ?[A-Z][a-z]{2,}\b")
_THE_FAMILY = re.compile(r"\bthe (?P<name>[A-Z][a-z]+)(?: family| household|s['’])")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"  # capital letters, Irish/Welsh/Māori/European accents included
_NAME_WORD = rf"[{_UPPER}][a-zà-öø-ÿā-ž'’-]+"
# Kin and community titles used as names: "Aunty Mere", "Lola Conchita", "Uncle Joe".
_KIN_TITLED = re.compile(
    rf"\b(?P<title>Aunty|Auntie|Aunt|Uncle|Nana|Nanna|Koro|Kuia|Lola|Lolo|Tita|Tito|Abuela|"
    rf"Abuelo|Nonna|Nonno|Baba|Bibi|Granny|Grandma|Grandpa|Pop|Papa) (?P<name>{_NAME_WORD})\b"
)
# Public titles with a name: a public figure being treated is a patient everyone can name.
_PUBLIC_TITLED = re.compile(
    rf"\b(?P<title>Senator|Sen\.|Governor|Gov\.|Mayor|Councillor|Councilman|Councilwoman|Cllr|"
    rf"Congressman|Congresswoman|Rep\.|Representative|Judge|Justice|Coach|Pastor|Rev\.?|"
    rf"Reverend|Father|Fr\.|Rabbi|Imam|Sheriff|Chief|Captain|Capt\.|Sgt\.?|Sergeant|Officer|"
    rf"Deputy|Principal|Professor|Prof\.) (?P<name>{_NAME_WORD}(?: {_NAME_WORD})?)\b"
)
# A capitalised word in a numbered place: "Hensley in 302", "Gerry from 4".
_NAME_IN_ROOM = re.compile(
    r"(?<!\bin )(?<!\bfrom )(?<!\bto )(?<!\bat )\b(?P<name>[A-Z][a-z]{2,})(?:['’]s)? (?:in|from) "
    r"(?:room |bed |bay |rm )?(?!(?:19|20)\d\d\b)\d{1,4}[A-Z]?\b(?![.,:]?\d)(?!\s*(?:minutes?|"
    r"mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|%|percent|patients|people|cases|beds|"
    r"km|miles|kg|lbs?|steps|languages|countries|ways))"
)
# A name addressed in a reply: "Hi Karen,", "Thanks, Chloe!", "Dear Mel".
_GREETED = re.compile(
    r"\b(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Congrats|Congratulations|Sorry|Welcome back),? "
    r"(?P<name>[A-Z][a-z]+)\b(?=[,!.])|, (?P<name2>[A-Z][a-z]+)!"
)
# A name before where the person belongs: "Dai from the Llanelli rugby club".
_NAME_FROM_GROUP = re.compile(
    rf"\b(?P<name>{_NAME_WORD}) from (?:the |our )?(?:[{_UPPER}][\w'’-]+ ){{0,3}}(?:[a-z]+ )?"
    r"(?:team|club|squad|school|academy|band|choir|shop|pub|farm|garage|bakery|church|station|"
    r"parish|lodge|surf club|kōhanga|marae|estate|village)\b"
)
_RELATIVE = re.compile(
    rf"(?P<owner>\b(?:his|her|their|your|[A-Za-z.]+{A}s))\s+(?:[a-z]+\s)?"
    r"(?P<rel>wife|husband|partner|daughter|son|mother|mum|mom|father|dad|brother|sister|"
    r"granddaughter|grandson|grandmother|grandfather|grandma|grandpa|aunt|uncle|niece|nephew|"
    r"fianc[ée]e?|boyfriend|girlfriend|cousin|twin|carer|caregiver)\s+(?P<name>[A-Z][a-z]+)\b"
)
_PLACE_PREFIX = re.compile(
    r"\b(?:San|Santa|Los|Las|St\.?|Saint|Fort|Port|Mount|Mt\.?|Lake|Cape|Glen) $"
)
_STRONG_CUE_NEAR = re.compile(r"\b(?:patient|pt|bed|bay|room|ward|resident)\b", re.I)
_DOCTOR_AS_PATIENT = re.compile(
    r"\b(?:bed|bay|room|pod|patient|pt)\s+(?:#?\d+\s+)?(?:is\s+)?Dr\b|"
    r"\bDr\.? [A-Z]\w* (?:in|from) (?:bed|bay|room|pod)\b",
    re.I,
)


_CLAUSE_BREAK = re.compile(r"[:;—–]|\s-\s")


def _clause(scan: Scan, pos: int) -> tuple[int, int]:
    """The stretch of the sentence around pos between colons, semicolons and dashes:
    'Proud pharmacist moment: caught an error for Mrs. P' — the job is the author's."""
    start, end = scan.sentence(pos)
    text = scan.text
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


_CARE_IN_CLAUSE = re.compile(
    r"\b(?:chemo|bypass|surgery|op|operation|transplant|rehab|dialysis|stroke|cancer|diagnos\w+|"
    r"discharged|admitted|recovery|fracture\w*|treatment|scan|biopsy|ward|icu|nicu|picu|hospice)\b",
    re.I,
)
_COLLEAGUE_ROLE = re.compile(
    r"\b(?:colleague|co-?worker|consultant|surgeon|physician|registrar|attending|matron|"
    r"charge nurse|clerk|physio|therapist|pharmacist|midwife|paramedic|nurse|doctor|manager|"
    r"team ?mate|staff|retire\w*|promot\w+|joins us|joined us)\b",
    re.I,
)


def _colleague_context(scan: Scan, pos: int) -> bool:
    """True when the clause reads as about a colleague or teacher, not a patient."""
    start, end = _clause(scan, pos)
    key = -1 - start  # clause results share the per-post memo with negative keys
    known = scan.memo.get(key)
    if known is None:
        clause = scan.text[start:end]
        found = COLLEAGUE.search(clause)
        if found and _CARE_IN_CLAUSE.search(clause):  # "congrats to Tom … after his bypass"
            found = _COLLEAGUE_ROLE.search(clause)
        known = bool(found) and not _STRONG_CUE_NEAR.search(clause)
        scan.memo[key] = known
    return bool(known)


_RELATIVE_GATE = Gated(
    "wife|husband|partner|daughter|son|mother|mum|mom|father|dad|brother|sister|grand|aunt|uncle|"
    "niece|nephew|fianc|boyfriend|girlfriend|cousin|twin|carer|caregiver",
    _RELATIVE,
)


def detect_relatives(scan: Scan) -> Iterator[Candidate]:
    """A patient's relative named: 'his daughter Rosa', 'Mrs. K's son Daniel'."""
    for m in _RELATIVE_GATE.finditer(scan):
        owner = m.group("owner").lower()
        if owner.startswith(("my", "our")):
            continue
        yield Candidate(
            "relative",
            m.start("rel"),
            m.end("name"),
            "medium",
            "high",
            "Naming a patient's relative identifies the family, and through them the patient.",
            priority=65,
        )


_TITLED_GATE = Gated("Mr|Ms|Miss|Mx|Mister|Dr", _TITLED, case=True)
_NAME_EXPLANATION = (
    "A first name next to patient details identifies the patient to anyone who knows them."
)


def _titled(scan: Scan) -> Iterator[Candidate]:
    """'Mr. D', 'Mrs. Alvarez': a doctor counts only in a bed or room, colleagues never."""
    for m in _TITLED_GATE.finditer(scan):
        if m.group("title") == "Dr":
            # Doctors named in posts are nearly always colleagues; flag one only in a bed or room.
            keep = bool(_DOCTOR_AS_PATIENT.search(scan.sentence_text(m.start())))
        else:
            keep = not _colleague_context(scan, m.start())
        if not keep:
            scan.suppressed.append(m.span())
            continue
        yield Candidate(
            "name",
            m.start(),
            m.end(),
            "medium",
            "high",
            "A title with a name or initial ('Mr. D') points to one person. Leave patients' names "
            "and initials out entirely.",
            priority=60,
        )


def _not_a_name(word: str) -> bool:
    lower = word.lower()
    return (
        lower in NON_NAMES
        or lower in STOP_CAPS
        or lower in NOT_PLACES
        or lower in STATES_AND_COUNTRIES
    )


_POSITION_GATES = (
    Gated("patient|pt |flyer|baby|little|client|resident", _STRUCTURAL_NAME),
    Gated(", ", _NAME_AGE, digits=True),
    Gated(
        "Aunt|Uncle|Nan|Koro|Kuia|Lol|Tit|Abuel|Nonn|Baba|Bibi|Gran|Pop|Papa",
        _KIN_TITLED,
        case=True,
    ),
    Gated(" in | from ", _NAME_IN_ROOM, digits=True),
    Gated(" from ", _NAME_FROM_GROUP),
)
_GREETED_GATE = Gated("hi |hello|hey |dear |thank|congrat|sorry|welcome back|!", _GREETED)
_PUBLIC_TITLED_GATE = Gated(
    "Sen|Gov|Mayor|Council|Cllr|Congress|Rep|Judge|Justice|Coach|Pastor|Rev|Father|Fr.|Rabbi|"
    "Imam|Sheriff|Chief|Capt|Sgt|Sergeant|Officer|Deputy|Principal|Prof",
    _PUBLIC_TITLED,
    case=True,
)


_OWN_BEFORE = re.compile(r"\b(?:my|our)(?: [\w'’-]+)?\W{0,2}$", re.I)


def _own_kin(scan: Scan, m: re.Match[str]) -> bool:
    """'my Nana Rose', 'our Aunty Mere': the author's own family, not a patient."""
    if not _OWN_BEFORE.search(scan.text, max(0, m.start() - 20), m.start()):
        return False
    scan.suppressed.append(m.span())
    return True


def _by_position(scan: Scan) -> Iterator[Candidate]:
    """Names recognised by where they stand: after 'patient' or 'Baby', before an age or a room,
    after a kin title ('Aunty Mere'), before the club they come from."""
    for gate in _POSITION_GATES:
        pattern = gate.pattern
        for m in gate.finditer(scan):
            word = m.group("name")
            if _not_a_name(word) or (pattern is _KIN_TITLED and _own_kin(scan, m)):
                continue
            if pattern is _NAME_AGE and word.lower() not in FIRST_NAMES and not scan.has_cue():
                continue
            start = m.start() if pattern is _KIN_TITLED else m.start("name")
            yield Candidate(
                "name", start, m.end("name"), "medium", "high", _NAME_EXPLANATION, priority=60
            )


def _greeted(scan: Scan) -> Iterator[Candidate]:
    """A name addressed in a reply ('Hi Karen,'): beside 'your appointment' it names a patient."""
    for m in _GREETED_GATE.finditer(scan):
        group = "name" if m.group("name") else "name2"
        word = m.group(group)
        if _not_a_name(word) or word.lower() in STATES_AND_COUNTRIES:
            continue
        yield Candidate(
            "name", m.start(group), m.end(group), "low", "high", _NAME_EXPLANATION, priority=59
        )


def _public_figures(scan: Scan) -> Iterator[Candidate]:
    """'Senator Harlow', 'Coach Dave Reynolds': a public figure named beside their care."""
    for m in _PUBLIC_TITLED_GATE.finditer(scan):
        if _colleague_context(scan, m.start()) and not scan.has_cue():
            continue
        yield Candidate(
            "unique-characteristic",
            m.start(),
            m.end(),
            "low",
            "high",
            "A public figure named beside details of their care is identified to everyone who "
            "reads the post.",
            priority=61,
            weight=2.0,
        )


_THE_FAMILY_GATE = Gated("family|household|s'|s’", _THE_FAMILY)


def _families(scan: Scan) -> Iterator[Candidate]:
    """Surnames and families: 'the Hendersons', 'J. Smith', 'visited the Murphys'."""
    text = scan.text
    family = [
        m.span("name")
        for m in _FAMILY_NAME.finditer(text)
        if m.group("name")[:-1].lower() not in NOT_PLACES
    ]
    family += [
        m.span("name")
        for m in _THE_FAMILY_GATE.finditer(scan)
        if m.group("name").lower() not in STOP_CAPS
    ]
    family += [
        m.span() for m in _INITIAL_SURNAME.finditer(text) if not scan.is_suppressed(*m.span())
    ]
    for start, end in family:
        yield Candidate(
            "name",
            start,
            end,
            "low",
            "high",
            "A surname or family name next to patient details identifies the patient and family.",
            priority=60,
        )


_KIN_WORDS = frozenset(("Nana", "Nan", "Nanna", "Gran", "Granny", "Pop", "Papa", "Lola", "Lolo"))
_OWN_KIN_IN_POST = re.compile(
    r"\b(?:my|our) (?:\w+ )?(?:nana|nan|nanna|gran|granny|grandma|grandmother|grandad|grandpa|"
    r"grandfather|pop|papa|lola|lolo)\b",
    re.I,
)


def _listed_first_names(scan: Scan) -> Iterator[Candidate]:
    """Any capitalised word in the first-name list: low alone, identifying beside a patient."""
    text = scan.text
    for m in _CAPITALISED.finditer(text):
        if m.group().lower() not in FIRST_NAMES:
            continue
        start, end = m.span()
        if scan.is_suppressed(start, end):
            continue
        if OWN_CIRCLE_BEFORE.search(text, max(0, start - 40), start) or _PLACE_PREFIX.search(
            text, max(0, start - 8), start
        ):
            continue
        if m.group() in _KIN_WORDS and _OWN_KIN_IN_POST.search(text):
            continue  # "Love you Nana" in a post about "my Nana"
        if _colleague_context(scan, start):
            continue
        yield Candidate(
            "name",
            start,
            end,
            "low",
            "high",
            "A first name is harmless on its own, but beside details of a patient's care it can "
            "identify them.",
            priority=30,
        )


def detect_names(scan: Scan) -> Iterator[Candidate]:
    """Titled names, names by position, public figures, families and listed first names."""
    yield from _titled(scan)
    yield from _by_position(scan)
    yield from _greeted(scan)
    yield from _public_figures(scan)
    yield from _families(scan)
    yield from _listed_first_names(scan)
