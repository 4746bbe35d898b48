"""Places smaller than a state: rooms and beds, named buildings, streets, towns, postcodes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.detectors.vocabulary import NOT_PLACES, STATES_AND_COUNTRIES, STOP_CAPS, YEAR
from privacy.lexicon import FIRST_NAMES
from privacy.scan import Candidate, Gated, Scan

_ROOM = re.compile(
    r"(?i:\b(?:room|rm|bed|bay|pod|cubicle|cube|bed ?space|side ?room|stall|suite|resus|trauma|"
    r"majors|minors|isolation))\.?"
    r"\s?#?\s?(?:\d{1,4}[A-Za-z]?|[A-Z]\d{0,3})\b"
)
_UNIT_NUMBER = re.compile(
    r"\b(?:on|to|from|in) (?P<id>\d{1,2} ?(?:North|South|East|West)\b|\d{1,2}[A-CE-JL-Z]\b)"
)
_WARD_NAME = re.compile(r"\b(?i:ward) (?:\d{1,2}[A-Z]?\b|[A-Z][a-z]+ Ward\b)")
_IN_NUMBER = re.compile(r"\b(?:in|from|on|to) \d")
_PERSON_IN_NUMBER = re.compile(
    r"\b(?i:guy|man|lady|woman|gentleman|gent|patient|pt|kid|girl|boy|baby|family|resident|fella|"
    r"chap|mum|mom|dad)s? (?:in|from) (?P<id>\d{1,4}[A-Z]?)\b"
)
_MEETING = re.compile(
    r"\b(?:booked|booking|meeting|journal club|lecture|seminar|training|class(?:room)?|"
    r"conference|teaching|education(?:al)? cent(?:re|er)|staff ?room|huddle|exam|interview|"
    r"webinar|workshop|session|study day|lunch provided|garden|allotment|vegetables?|flowers?|"
    r"planted|seedlings?|hotel|airbnb|hostel|dorm|flat ?share|for rent|to let)\b",
    re.I,
)


_OBJECT_IN_ROOM = re.compile(
    r"\b(?:sharps|bins?|fridge|freezer|printer|computer|pc|cupboard|supplies|stock|keys?|linen|"
    r"spill|leak\w*|light|bulb|heating|aircon|a/c|broken|fixed|tap|sink|toilet|charger|trolley|"
    r"cart|restock\w*|clean(?:ed|ing)?|swap|empty|full|out of)\b",
    re.I,
)
_STAFF_SPACE = re.compile(
    r"\b(?:(?:break|staff|locker|on-?call|tea|coffee|changing|nurses['’]?|doctors['’]?|quiet|"
    r"store|supply|stock|utility|sluice|linen|server|conference|board|rest) ?rooms?|"
    r"(?:staff|nurses['’]?) (?:lounge|kitchen|station|base)|supply closet|(?:my|our) office)\b",
    re.I,
)
_PERSON_NEAR = re.compile(
    r"\b(?:pts?|patients?|residents?|clients?|he|she|him|her|they|them|guy|lady|man|woman|mum|"
    r"mom|dad|baby|kid|family|gentleman|gent|girl|boy|(?-i:Mr|Mrs|Ms|Miss))\b",
    re.I,
)
_ROOM_GATE = Gated(
    "room|rm |rm.|rm#|rm1|rm2|rm3|rm4|rm5|rm6|rm7|rm8|rm9|bed|bay|pod |pod#|pod1|pod2|pod3|pod4|"
    "pod5|pod6|pod7|pod8|pod9|cubicle|cube|suite|stall |stall#|resus|trauma|majors|minors|"
    "isolation",
    _ROOM,
)


def detect_rooms(scan: Scan) -> Iterator[Candidate]:
    """Rooms, beds, bays, pods and named units that locate a patient; meeting rooms are fine."""
    text = scan.text
    if scan.digits == 0 and "ward" not in scan.lower and not _ROOM_GATE.triggers_in(scan):
        return
    spans: list[tuple[int, int]] = [m.span() for m in _ROOM_GATE.finditer(scan)]
    numbered = bool(scan.digits) and bool(_IN_NUMBER.search(text))
    for m in _PERSON_IN_NUMBER.finditer(text) if numbered else ():
        if not YEAR.match(m.group("id")):
            spans.append(m.span("id"))
    units = [m.span("id") for m in _UNIT_NUMBER.finditer(text)] if numbered else []
    if "ward" in scan.lower:
        units += [m.span() for m in _WARD_NAME.finditer(text)]
    if (spans or units) and _MEETING.search(text):
        return
    for start, end in spans:
        if _about_an_object(scan, start):
            continue
        yield Candidate(
            "room",
            start,
            end,
            "medium",
            "high",
            "A room, bed or bay number tells colleagues, visitors and family exactly which patient "
            "you mean.",
            priority=70,
            is_cue=True,
        )
    for start, end in units:
        yield Candidate(
            "room",
            start,
            end,
            "low",
            "medium",
            "A named ward or unit narrows down where a patient is; beside a patient story it helps "
            "people work out who.",
            priority=69,
            weight=1.0,
        )


def _about_an_object(scan: Scan, pos: int) -> bool:
    """'sharps bin rm 4 full', 'room 412 is our break room': the sentence is about equipment or a
    staff space, not a person in the room."""
    sentence = scan.sentence_text(pos)
    if _PERSON_NEAR.search(sentence):
        return False
    return bool(_OBJECT_IN_ROOM.search(sentence) or _STAFF_SPACE.search(sentence))


_FAC_SUFFIX = (
    r"(?:General(?: Hospital)?|Hospital|Infirmary|Clinic|Medical (?:Cent(?:er|re)|Group|Practice)"
    r"|Health (?:Cent(?:er|re)|Clinic)|Surgery|Hospice|Care Home|Nursing Home|"
    r"Care (?:Cent(?:er|re)|Facility)|Residential Home|Retirement (?:Home|Village|Community)|"
    r"Rehab(?:ilitation)?(?: Cent(?:er|re))?|Elementary(?: School)?|High(?: School)?|"
    r"Middle School|Primary(?: School)?|Secondary School|Academy|School(?: of [A-Z]\w+)?|College"
    r"|University|Prison|Jail|Correctional (?:Facility|Cent(?:er|re))|Hotel|Inn|Motel|Church|"
    r"Mosque|Synagogue|Temple|Manor|Lodge|Shelter|Cent(?:er|re)|Stadium|Arena|Mall|Pharmacy)"
)
_FACILITY = re.compile(
    rf"\b(?P<lead>(?:[A-Z][A-Za-z'’&-]+ ){{1,3}}){_FAC_SUFFIX}\b"
    r"|\b(?P<lead2>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:clinic|hospital|surgery|care home|"
    r"nursing home|practice|hospice|school|pharmacy)\b"
)
_SAINT = re.compile(
    r"\bSt\.? [A-Z][a-z]+(?:['’]s)?(?: (?:Hospital|Infirmary|Clinic|Medical Cent(?:er|re)|Hospice"
    r"|School|Church|Academy|Primary|Elementary|College))?"
)
_RESIDENT_AT = re.compile(
    r"\b(?i:residents?) (?:at|of) (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+){0,3})"
)


def _trim_leading_stops(text: str, start: int, end: int) -> int:
    """Skip capitalised function words ('Our', 'The') at the start of a name; -1 if none left."""
    pos = start
    while pos < end:
        m = re.match(r"[A-Za-z'’&-]+", text[pos:end])
        if not m:
            return -1
        word = m.group()
        if word.lower() not in STOP_CAPS:
            return pos
        pos += len(word) + 1
    return -1


_FACILITY_GATE = Gated(
    "General|Hospital|Infirmary|Clinic|Medical|Health|Surgery|Hospice|Care|Nursing|Residential|"
    "Retirement|Rehab|Elementary|High|Middle|Primary|Secondary|Academy|School|College|University|"
    "Prison|Jail|Correctional|Hotel|Inn|Motel|Church|Mosque|Synagogue|Temple|Manor|Lodge|Shelter|"
    "Center|Centre|Stadium|Arena|Mall|Pharmacy| clinic| hospital| surgery| care home|"
    " nursing home| practice| hospice| school| pharmacy",
    _FACILITY,
    case=True,
)


def detect_facilities(scan: Scan) -> Iterator[Candidate]:
    """Named hospitals, clinics, care homes, schools, hotels: places smaller than a state."""
    text = scan.text
    explanation = (
        "A named hospital, care home or school narrows the patient down to one building. Beside "
        "patient details it helps people work out who it is."
    )
    for m in _FACILITY_GATE.finditer(scan):
        lead = "lead" if m.group("lead") else "lead2"
        start = _trim_leading_stops(text, m.start(lead), m.end(lead))
        if start < 0:
            continue
        yield Candidate("facility", start, m.end(), "low", "medium", explanation, priority=55)
    resident = "resident" in scan.lower
    for pattern, group in ((_SAINT, 0), (_RESIDENT_AT, "place")):
        if pattern is _RESIDENT_AT and not resident:
            continue
        for m in pattern.finditer(text):
            yield Candidate(
                "facility", m.start(group), m.end(group), "low", "medium", explanation, priority=56
            )


_GEO_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Boulevard|Blvd|Way|Court|Ct|Square|Sq|Park|"
    r"Bridge|Estate|Close|Crescent|Terrace|Place|Highway|Hwy|Green|Common|Gardens|Heights|Hills?|"
    r"Creek|Falls|Springs|Valley|Village|Beach|Harbou?r|Lake|River|Woods|Grove|Ridge|Meadows?|"
    r"Mews|Row|Parkway|Pkwy|Trail|Junction|Crossing|Point|Marina|Pier|Wharf|Mill|Forest)"
)
_GEO = re.compile(
    rf"\b(?P<lead>(?:\d{{1,4}}(?:st|nd|rd|th)?|[A-Z][a-z]+)(?: [A-Z][a-z]+){{0,2}}) "
    rf"{_GEO_SUFFIX}\b"
    r"|\b(?P<lead2>[A-Z][a-z]+) (?:estate|street|road|lane|avenue|park|towers|flats)\b"
)
_ROUTE = re.compile(
    r"\b(?:Route|Rte|Highway|Hwy|Interstate|State Road|County Road) \d{1,3}\b|\bI-\d{1,3}\b|"
    r"(?<=\bthe )[MA]\d{1,4}\b"
)
_FROM_PLACE = re.compile(r"\bfrom (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|(?i:\b(?:zip(?: code)?|postcode|post code))\W{0,3}"
    r"\d{5}(?:-\d{4})?\b"
)


_GEO_GATE = Gated(
    "Street|St|Ave|Road|Rd|Lane|Ln|Drive|Boulevard|Blvd|Way|Court|Ct|Square|Sq|Park|Bridge|"
    "Estate|Close|Crescent|Terrace|Place|Highway|Hwy|Green|Common|Gardens|Heights|Hill|Creek|"
    "Falls|Springs|Valley|Village|Beach|Harbo|Lake|River|Woods|Grove|Ridge|Meadow|Mews|Row|"
    "Parkway|Pkwy|Trail|Junction|Crossing|Point|Marina|Pier|Wharf|Mill|Forest| estate| street|"
    " road| lane| avenue| park| towers| flats",
    _GEO,
    case=True,
)
_ROUTE_GATE = Gated("route|rte|highway|hwy|interstate|road|i-|the m|the a", _ROUTE, digits=True)


_HOUSE_NUMBER = re.compile(r"\d{1,4}[A-Za-z]?$")
_EIRCODE = re.compile(r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}\b")
_PUBLIC_ADDRESS = re.compile(
    r"\b(?:open|opening|clinic|pharmacy|practice|surgery|centre|center|hall|library|church|"
    r"office|visit us|find us|located|moved to|event|hub|drop-?in|session|held at|venue|"
    r"store|shop|cafe|café|school|hospital)\b",
    re.I,
)
_ADDRESS_EXPLANATION = (
    "A street address or an address code leads to one home: a patient's address must never be "
    "posted."
)


def _address(scan: Scan, start: int, end: int) -> Candidate:
    """A house number and street, or an address code: one home unless it is a public venue."""
    if _PUBLIC_ADDRESS.search(scan.sentence_text(start)):
        return Candidate("geography", start, end, "low", "medium", _GEO_EXPLANATION, priority=50)
    return Candidate("address", start, end, "medium", "high", _ADDRESS_EXPLANATION, priority=72)


_GEO_EXPLANATION = (
    "A town, street or landmark smaller than a state narrows down who the patient is, "
    "especially in a small community."
)


def detect_geography(scan: Scan) -> Iterator[Candidate]:
    """Towns, streets, parks, estates, roads and postcodes: geography smaller than a state."""
    text = scan.text
    explanation = _GEO_EXPLANATION
    for m in _GEO_GATE.finditer(scan):
        lead = "lead" if m.group("lead") else "lead2"
        start = _trim_leading_stops(text, m.start(lead), m.end(lead))
        if start < 0 and m.group(lead)[:1].isdigit():
            start = m.start(lead)
        if start < 0:
            continue
        if lead == "lead" and _HOUSE_NUMBER.match(m.group(lead).split(" ")[0] + ""):
            yield _address(scan, start, m.end())
            continue
        yield Candidate("geography", start, m.end(), "low", "medium", explanation, priority=50)
    for m in _EIRCODE.finditer(text) if scan.digits else ():
        yield _address(scan, m.start(), m.end())
    for m in _ROUTE_GATE.finditer(scan):
        yield Candidate("geography", m.start(), m.end(), "low", "medium", explanation, priority=50)
    for m in _POSTCODE.finditer(text) if scan.digits else ():
        yield Candidate("geography", m.start(), m.end(), "low", "medium", explanation, priority=50)
    for m in _FROM_PLACE.finditer(text):
        words = m.group("place").split()
        first = words[0].lower()
        if (
            first in NOT_PLACES
            or first in STOP_CAPS
            or first in STATES_AND_COUNTRIES
            or first in FIRST_NAMES
        ):
            continue
        yield Candidate(
            "geography",
            m.start("place"),
            m.end("place"),
            "low",
            "medium",
            explanation,
            priority=49,
        )
