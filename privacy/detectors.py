"""Detectors: precompiled regexes plus a little context logic, one function per identifier family.

Each detector reads a `Scan` of the post and yields `Candidate`s. A candidate carries two
severities: what it weighs on its own, and what it weighs when the post also shows it is about a
real patient (a "patient cue"). The checker resolves overlaps and picks the severity.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from privacy.lexicon import (
    CONDITION_PATTERNS,
    FIRST_NAMES,
    PERSONAL_DOMAINS,
    PUBLIC_DOMAINS,
    domain_in,
)

A = "['’]"  # straight or curly apostrophe

# ---------------------------------------------------------------------------------------------
# Candidate and scan


@dataclass(slots=True)
class Candidate:
    """A possible finding before overlap resolution and context escalation."""

    category: str
    start: int
    end: int
    alone: str  # severity without any patient cue in the post
    with_cue: str  # severity when the post also carries a patient cue
    explanation: str
    guideline: int = 2
    priority: int = 50
    is_cue: bool = False  # this finding itself shows the post is about a patient


_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bno)(?<!\bNo)(?<!\bvs)"
    r"[.!?]+(?=\s|$)|\n+"
)


class Scan:
    """The post plus lazily computed sentence boundaries and spans other detectors suppressed."""

    __slots__ = ("_cue_spans", "_ends", "digits", "gates", "lower", "suppressed", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.digits = sum(map(str.isdigit, text))
        self.gates: dict[int, bool] = {}  # shared gate results, keyed by _Gated._key
        self._cue_spans: list[tuple[int, int]] | None = None
        self._ends: list[int] | None = None
        self.suppressed: list[tuple[int, int]] = []

    def sentence(self, pos: int) -> tuple[int, int]:
        """Start and end of the sentence holding pos (abbreviations like 'Mr.' do not end one)."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self._ends, pos)
        start = self._ends[i - 1] if i else 0
        end = self._ends[i] if i < len(self._ends) else len(self.text)
        return start, end

    def sentence_text(self, pos: int) -> str:
        start, end = self.sentence(pos)
        return self.text[start:end]

    def cue_spans(self) -> list[tuple[int, int]]:
        """Spans of every patient-context phrase in the post (computed once)."""
        if self._cue_spans is None:
            text = self.text
            spans = []
            for gate in _CUE_PATTERNS:
                for m in gate.finditer(self):
                    start = m.start()
                    # Possessive cues match from the apostrophe; widen them to the whole word.
                    while start and text[start - 1].isalnum():
                        start -= 1
                    spans.append((start, m.end()))
            self._cue_spans = spans
        return self._cue_spans

    def has_cue(self) -> bool:
        """Whether any patient-context phrase appears anywhere in the post."""
        return bool(self.cue_spans())

    def is_suppressed(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.suppressed)


Detector = Callable[[Scan], Iterator[Candidate]]


def _words(text: str) -> frozenset[str]:
    """A small word list written inline as whitespace-separated words."""
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# Shared vocabulary


_GATE_KEYS: dict[tuple[bool, tuple[str, ...]], int] = {}


class _Gated:
    """A regex that only runs when one of a few lower-case substrings occurs in the post."""

    __slots__ = ("_key", "case", "pattern", "triggers")

    def __init__(self, triggers: str, pattern: re.Pattern[str], *, case: bool = False) -> None:
        self.triggers = tuple(triggers.split("|"))
        self.pattern = pattern
        self.case = case  # match the triggers against the original text, not the lower-cased one
        # Gates with the same triggers share one small-int cache key (hashing the tuple of
        # triggers on every call was a measurable share of the checker's time).
        self._key = _GATE_KEYS.setdefault((case, self.triggers), len(_GATE_KEYS))

    def triggers_in(self, scan: Scan) -> bool:
        key = self._key
        known = scan.gates.get(key)
        if known is not None:
            return known
        haystack = scan.text if self.case else scan.lower
        found = False
        for trigger in self.triggers:
            if trigger in haystack:
                found = True
                break
        scan.gates[key] = found
        return found

    def finditer(self, scan: Scan) -> Iterator[re.Match[str]]:
        if self.triggers_in(scan):
            return self.pattern.finditer(scan.text)
        return iter(())


_UNITS = (
    r"(?:(?-i:ER|ED|A&E|ICU|NICU|PICU|CCU|HDU|SCBU|OR|L&D)|resus|trauma bay|theat(?:re|er)s?|"
    r"ward|unit|clinic|department|emergency (?:department|room)|ambulance|"
    r"labou?r (?:ward|and delivery)|maternity|peds|paeds|surgery)"
)

_CUE_SOURCES: tuple[tuple[str, str], ...] = (
    # (lower-case substrings, any of which must occur; regex). The substrings are a cheap gate.
    (
        "patient|pt ",
        r"\b(?:my|our|this|that)(?: [\w-]+)? (?:patient|pt)(?:['’]s)?\b",
    ),
    (
        "patients",
        r"\bone of (?:my|our) (?:\w+ )?patients\b",
    ),
    (
        "patient|pt|resident",
        r"\b(?:favou?rite|best|sweetest|worst|oldest|youngest|first) (?:patient|pt|resident)"
        r"s?\b",
    ),
    (
        "patient|pt ",
        r"(?<=\w)['’]s (?:patient|pt)\b",
    ),
    (
        "patient|pt ",
        r"\b(?:patient|pt)['’]s\b",
    ),
    (
        "patient|pt ",
        r"\bthe (?:patient|pt)s? (?:in|from|who|i|we|with|was|is|had|came|said|told|on|at|that)"
        r"\b",
    ),
    (
        "patient|pt ",
        r"\b(?:a|one|the|dental|new) (?:patient|pt) (?:at|in|today|tonight|yesterday|this morning|"
        r"last night|came|who|with)\b",
    ),
    (
        "patient|pt ",
        r"\b(?:patient|pt) (?:today|tonight|yesterday|this morning|last night)\b",
    ),
    (
        "patient|pt ",
        r"(?:^|[.!?:]\s+|\n)(?:patient|pt)\b(?!s)",
    ),
    (
        "frequent",
        r"\bfrequent ?flyers?\b(?! (?:miles|points|program|programme|card|status|club|lounge|"
        r"scheme))",
    ),
    (
        "today|tonight|night|morning|afternoon|evening|yesterday|shift",
        r"\b(?:today|tonight|last night|this morning|this afternoon|this evening|yesterday|night|"
        r"shift) (?:in|at|on) (?:the |our |my )?(?:(?-i:ER|ED|A&E|ICU|NICU|PICU|CCU|HDU|SCBU|"
        r"OR|L&D)|resus|trauma bay|theat(?:re|er)s?|ward|unit|clinic|department|"
        r"emergency (?:department|room)|ambulance|labou?r (?:ward|and delivery)|maternity|peds|"
        r"paeds|surgery)\b",
    ),
    (
        "today|tonight|night|morning|yesterday",
        r"\b(?:in|at) (?:the |our |my )?(?:(?-i:ER|ED|A&E|ICU|NICU|PICU|CCU|HDU|SCBU|OR|L&D)"
        r"|resus|trauma bay|theat(?:re|er)s?|ward|unit|clinic|department|emergency (?:department|"
        r"room)|ambulance|labou?r (?:ward|and delivery)|maternity|peds|paeds|surgery) (?:today|"
        r"tonight|last night|this morning|yesterday)\b",
    ),
    (
        "unit|ward|floor",
        r"\bon (?:my|our) (?:\w+ )?(?:unit|ward|floor)\b|\bon the (?:\w+ )?(?:unit|ward)\b",
    ),
    (
        "she's|she’s|she is|she was|he's|he’s|he is|he was|they are|they were|they're|they’re",
        r"\b(?:she|he|they)(?:['’]s| is| was| are| were) (?:now |still )?(?:in|on) (?:the )?"
        r"(?:(?-i:ER|ED|A&E|ICU|NICU|PICU|CCU|HDU|SCBU|OR|L&D)|resus|trauma bay|theat(?:re|er)s?|"
        r"ward|unit|clinic|department|emergency (?:department|room)|ambulance|"
        r"labou?r (?:ward|and delivery)"
        r"|maternity|peds|paeds|surgery)",
    ),
    (
        "came|come|brought|rolled|wheeled|admitted|discharg|sent home|intubated|coded|coding|"
        "post-op|dx:|presented|lost a|ems|mvc|handover|get well|rest easy|bless",
        r"\b(?:came in|comes? in|brought in|rolled in|wheeled in|was admitted|admitted|readmitted|"
        r"discharged|discharging|discharge day|sent home|intubated|coded|(?:is|was|keeps|started)"
        r" coding|post-op|dx:|presented to|lost a patient|ems call|mvc|handover|get well soon|"
        r"rest easy|bless (?:her|him))\b",
    ),
    (
        "pulled",
        r"\bpulled an? \w+ (?:out|from)\b",
    ),
    (
        "delivered",
        r"\bdelivered (?!an? (?:talk|lecture|presentation|speech|keynote|session|webinar|course|"
        r"training|paper|poster))(?:the|a|an|baby|twins|triplets|\w+ babies)\b",
    ),
    (
        "guy|man|lady|gent|kid|boy|girl|toddler|teen|bride|groom|farmer|driver|cyclist|biker|"
        "fella|chap|bishop|pastor|teacher|student|mum|mom|dad|nan|grand|twins|triplets|baby",
        r"\b(?:this|that|the|a|an|our) (?:[\w'’-]+ ){0,2}(?:guy|man|lady|woman|gentleman|gent|"
        r"kid|boy|girl|toddler|teen|teenager|bride|groom|farmer|driver|cyclist|biker|fella|chap|"
        r"bishop|pastor|teacher|student|mum|mom|dad|nan|grandad|granny|twins|triplets|baby) "
        r"(?:in|from|who|with|came|come|comes|was|is|on|at)\b",
    ),
    (
        "old",
        r"\b(?:a|an|the|our|this|that) \d{1,3}[- ]?(?:year|yr|month|week|day)s?[- ]old\b",
    ),
    (
        "rushed",
        r"\brushed (?:a|an|the|him|her|them)\b",
    ),
    (
        "scrub",
        r"\bscrub(?:bed)? in (?:on|for)\b",
    ),
    (
        "stable|critical|intubated|sedated|awake|surgery|recovering|comfortable",
        r"\b(?:is|was|now|remains|still) (?:stable|critical|intubated|sedated|awake|in surgery|"
        r"out of surgery|recovering|comfortable)\b",
    ),
    (
        "our",
        r"\bour (?:little |NICU |PICU |ICU |ward |unit )?(?:mama|mum|mom|baby|babies|kiddo|warrior|"
        r"fighter|little (?:guy|girl|man|one|lady))\b",
    ),
    (
        "'s |’s ",
        r"(?<=\w)['’]s (?:knee|hip|shoulder|heart|liver|kidneys?|lungs?|brain|spine|leg|arm|hand|"
        r"foot|eye|bowel|appendix|crown|filling|wound|rash|scan|x-?ray|bloods|labs)\b",
    ),
    (
        "delivered",
        r"\bdelivered (?:on|at|in) (?:our|the|my)\b",
    ),
    (
        "reviewer",
        r"\breviewer\b",
    ),
    (
        "had",
        r"\bwe had an? \w+",
    ),
    (
        "resident",
        r"\bresidents? (?:at|of)\b",
    ),
    (
        "resident",
        r"\bour (?:[\w-]+ )?resident\b",
    ),
    (
        "yo|y/o",
        r"\b\d{1,3} ?(?:y/o|yo)\b",
    ),
    (
        "year-old",
        r"\bour \d{1,3}-year-old\b",
    ),
    (
        "clock|am|pm",
        r"\b(?:my|our) \d{1,2}(?::\d{2})? ?(?:o['’]clock|am|pm)\b",
    ),
    (
        "review",
        r"\b(?:left|leaving|wrote|posted) (?:us |me )?an? (?:\d|one|two)[- ]star review\b",
    ),
    (
        "review",
        r"\b(?:replying|responding|response) to (?:the|your|this|a) review\b",
    ),
    (
        "you were seen",
        r"\byou were seen\b",
    ),
    (
        "your ",
        r"\byour (?:claim|insurance|visit|procedure|test results?|diagnosis|crown|filling|"
        r"extraction|"
        r"implant|root canal|bill|operation|stay|treatment)\b",
    ),
    (
        "the family",
        r"\b(?:call|called|phoned|ring|rang) the family\b",
    ),
    (
        "surgery on",
        r"\bsurgery on an?\b",
    ),
    (
        "trauma bay|resus",
        r"\b(?:in|from) (?:the )?(?:trauma bay|resus|resuscitation room)\b",
    ),
    (
        "had|got|saw|admitted",
        r"\b(?:our|my) (?:unit|ward|floor|clinic|department|(?-i:ER|ED|ICU|A&E)) (?:had|got|"
        r"saw|admitted)\b",
    ),
)
_CUE_PATTERNS = tuple(_Gated(t, re.compile(src, re.I)) for t, src in _CUE_SOURCES)

_COLLEAGUE = re.compile(
    r"\b(?:colleague(?!['’]s)|co-?worker|consultant|surgeon|physician|registrar|attending|matron|"
    r"charge nurse|clerk|physio|therapist|pharmacist|midwife|paramedic|teacher|professor|"
    r"lecturer|mentor|preceptor|manager|boss|director|chief|head of|dean|principal|team ?mate|"
    r"promotion|promoted|retire(?:ment|s|d)?|retiring|award|OBE|MBE|congrat\w*|welcome|"
    r"joins us|joined us|new role|talk|lecture|keynote|speaker|presenting|webinar|conference|"
    r"graduat\w*|well[- ]deserved|and I|with me)\b",
    re.I,
)
_OWN_CIRCLE_BEFORE = re.compile(
    r"\b(?:my|our) (?:\w+ )?(?:daughter|son|wife|husband|partner|friend|colleague|mentor|boss|"
    r"manager|sister|brother|mum|mom|dad|mother|father|kids?|child|niece|nephew|cousin|"
    r"granddaughter|grandson|team ?mate|buddy|bestie|preceptor|student|new \w+)\W{0,3}$",
    re.I,
)
_OWN_FAMILY = re.compile(
    r"\b(?:my|our) (?:\w+ )?(?:grand(?:ma|mother|pa|father|dad|mum|mom|parents?)|great[- ]\w+|"
    r"gran|granny|nan|nana|nanna|nanny|mum|mom|mother|dad|father|papa|pops|aunt(?:ie)?|uncle|"
    r"\w+-in-law)\b|^\W*(?:happy \w+ birthday,? )?(?-i:Dad|Mum|Mom|Grandma|Grandpa|Gran|Granny|"
    r"Nan|Nana|Pops|Papa|Grandad|Granddad)\b",
    re.I,
)
_INSTITUTION_BIRTHDAY = re.compile(
    r"\b(?:to|for) (?:our|the|my) (?:\w+ )?(?:hospital|clinic|practice|trust|service|department|"
    r"unit|ward|school|charity|NHS|organi[sz]ation|hospice|college|university|team)\b|"
    r"\b(?:hospital|clinic|practice|trust|NHS|charity|school)(?:['’]s)? (?:is|turns|turned)\b",
    re.I,
)
_FIRST_PERSON_BEFORE = re.compile(
    r"\b(?:I['’]m|I am|I was|I['’]ve been|we['’]re|we are|we were|as an?)\W*(?:\w+\W+){0,2}$", re.I
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"

_STOP_CAPS = _words(
    """the our my a an this that these those new local main his her their your children's
    women's community district county regional royal general teaching university state city
    national veterans medical private public nursing dental care health mental happy welcome
    thanks congrats congratulations proud from at in on today tonight shoutout big great best
    amazing sunrise night day every all each no by any one easy hard right wrong old i it
    is was we you he she they hi hey dear and or but so if when then there here what who how
    why where just also not still very good bad pls please ps"""
)
_NON_NAMES = _words(
    """i the a an this that safety care experience zero day week month year satisfaction portal
    advocate education first centred centered shark boomers boomer friendly steps led voice
    voices rights story stories information leaflet group forum survey feedback liaison
    transport records record notes id number is was and with"""
)
_STATES_AND_COUNTRIES = _words(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
    pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming england
    scotland wales ireland britain canada mexico india china japan france germany spain italy
    nigeria ghana kenya australia pakistan bangladesh philippines poland portugal brazil europe
    africa asia america"""
)
_NOT_PLACES = _words(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mr mrs ms miss dr twitter facebook
    instagram tiktok reddit linkedin youtube google amazon apple netflix home work school
    scratch experience day night here there today tonight yesterday tomorrow above below
    heaven hell start finish behind now then day one"""
)
_BIRTHDAY_AGE = re.compile(r"\bbirthday\b", re.I)

# ---------------------------------------------------------------------------------------------
# Patient-context cues


def detect_cues(scan: Scan) -> Iterator[Candidate]:
    """Phrases that show the post is about a real patient ('my patient', 'today in the ER')."""
    text = scan.text
    for start, end in scan.cue_spans():
        while start < end and not text[start].isalnum():
            start += 1
        yield Candidate(
            "patient-context",
            start,
            end,
            "low",
            "low",
            "This phrase shows the post is about a real patient. On its own it names no one, "
            "but it turns every other detail here into information about that patient.",
            is_cue=True,
        )


_CONDITION = re.compile(
    r"\b(?:" + "|".join(sorted(CONDITION_PATTERNS, key=len, reverse=True)) + r")\b", re.I
)
_WHEN = re.compile(
    rf"\b(?:today|tonight|last night|this (?:morning|afternoon|evening|week)|yesterday|earlier|"
    rf"just now|overnight|on (?:my|the|our) (?:night |day )?shift|{_WEEKDAY}(?:{A}s)?|"
    r"(?:at )?\d{1,2}(?::\d\d)? ?(?:am|pm)|\d{1,2}:\d\d)\b",
    re.I,
)


def detect_case_details(scan: Scan) -> Iterator[Candidate]:
    """A condition or event told with when it happened: high beside a patient cue.

    Alone such a detail is harmless, so it is only looked for (and reported) beside a cue.
    """
    text = scan.text
    if not scan.has_cue() or not _WHEN.search(text):
        return
    for m in _CONDITION.finditer(text):
        start, end = scan.sentence(m.start())
        if not _WHEN.search(text, start, end):
            continue
        yield Candidate(
            "patient-context",
            m.start(),
            m.end(),
            "low",
            "high",
            "A condition or event told together with when it happened lets colleagues, family and "
            "neighbours recognise the patient, even without a name.",
            priority=20,
        )


# ---------------------------------------------------------------------------------------------
# Direct identifiers: numbers, addresses, links


_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ROLE_MAILBOX = _words(
    """careers jobs job recruitment recruiting hiring hr info contact hello enquiries inquiries
    appointments appointment bookings booking admin office reception press media support help
    team feedback privacy research events comms communications marketing news education
    training volunteer volunteers"""
)
_FREE_MAIL = _words(
    """gmail.com googlemail.com yahoo.com yahoo.co.uk hotmail.com hotmail.co.uk outlook.com
    live.com icloud.com me.com aol.com proton.me protonmail.com btinternet.com gmx.com
    mail.com"""
)


def detect_emails(scan: Scan) -> Iterator[Candidate]:
    """Email addresses; shared role mailboxes (careers@, appointments@) are public, not personal."""
    for m in _EMAIL.finditer(scan.text):
        local, _, host = m.group().partition("@")
        if local.lower() in _ROLE_MAILBOX:
            scan.suppressed.append(m.span())
            continue
        personal = host.lower() in _FREE_MAIL
        yield Candidate(
            "email",
            m.start(),
            m.end(),
            "high" if personal else "low",
            "high",
            "An email address leads straight to a person. Patient or family addresses must never "
            "appear in a post or a screenshot.",
            priority=94,
        )


_URL = re.compile(
    r"\b(?:https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+|"
    r"(?:[a-z0-9-]+\.)+(?:com|org|net|gov|edu|int|uk|io|me|ly|co|info|health|app|ca|au|ie|nz|"
    r"us|eu|tv|link|page|am|net)\b(?:/[^\s<>\"')\]]*)?)",
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")


def detect_urls(scan: Scan) -> Iterator[Candidate]:
    """Links and @handles. Public-health and journal links are fine; personal pages are not."""
    text = scan.text
    for m in _URL.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in ".,;:!?":
            end -= 1
        if start and text[start - 1] == "@":
            continue
        raw = text[start:end]
        host = urlsplit(raw if "://" in raw else "//" + raw).hostname or ""
        if domain_in(host, PUBLIC_DOMAINS):
            scan.suppressed.append((start, end))
            continue
        if domain_in(host, PERSONAL_DOMAINS):
            yield Candidate(
                "url",
                start,
                end,
                "low",
                "high",
                "This link points to one person's page (a fundraiser or profile). Beside a patient "
                "story it tells readers exactly who the patient is.",
                priority=85,
            )
        else:
            yield Candidate(
                "url",
                start,
                end,
                "low",
                "medium",
                "A link can lead readers to the person the post describes. Check it does not "
                "point at a patient or their family.",
                priority=85,
            )
    for m in _HANDLE.finditer(text):
        end = m.end()
        while text[end - 1] == ".":
            end -= 1
        yield Candidate(
            "url",
            m.start(),
            end,
            "low",
            "high",
            "A social-media handle next to a patient story identifies the patient or their family.",
            priority=85,
        )


_IPV4 = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\d.]\d)"
)
_IPV6 = re.compile(r"\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b")


def detect_ips(scan: Scan) -> Iterator[Candidate]:
    """IPv4 and full IPv6 addresses, e.g. in a telehealth log screenshot."""
    if scan.digits < 4:
        return
    patterns = []
    if scan.text.count(".") >= 3:
        patterns.append(_IPV4)
    if scan.text.count(":") >= 7:
        patterns.append(_IPV6)
    for pattern in patterns:
        for m in pattern.finditer(scan.text):
            yield Candidate(
                "ip",
                m.start(),
                m.end(),
                "high",
                "high",
                "An IP address can be traced to a household. Crop logs and screenshots before "
                "sharing anything from a system.",
                priority=100,
            )


_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_SSN_KEYWORD = re.compile(
    r"(?i:\b(?:SSN|SS#|social security(?: number| no\.?| #)?|national insurance(?: number| no\.?)?"
    r"|NI (?:number|no\.?)|NINO))[\s:#]*(?:(?i:is|was)\s+)?"
    r"(?P<id>\d{3}[- ]?\d{2}[- ]?\d{4}|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b"
)
_NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")


def detect_ssns(scan: Scan) -> Iterator[Candidate]:
    """US social security numbers and UK national insurance numbers."""
    if scan.digits < 6:
        return
    seen: set[tuple[int, int]] = set()
    for pattern, group in ((_SSN_KEYWORD, "id"), (_SSN, 0), (_NINO, 0)):
        for m in pattern.finditer(scan.text):
            span = m.span(group)
            if span in seen:
                continue
            seen.add(span)
            yield Candidate(
                "ssn",
                span[0],
                span[1],
                "high",
                "high",
                "A social security or national insurance number identifies one person for life "
                "and enables identity theft.",
                priority=95,
            )


_ID_VALUE = (
    r"(?P<id>\d{2,5}(?: \d{2,5}){1,3}\b|"
    r"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}[A-Za-z0-9])"
)


def _keyword_id(keywords: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?i:\b(?:{keywords}))(?:\s*(?i:number|no\.?|num|#|id)\b)?[\s:#.]*"
        rf"(?:(?i:is|was|of)\s+)?{_ID_VALUE}"
    )


_KEYWORD_IDS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "mrn",
        _keyword_id(
            r"MRN|MR#|medical records?|hospital (?:number|no)|NHS (?:number|no)|"
            r"CHI (?:number|no)|patient (?:ID|number|no)|chart (?:number|no|#)|unit number|"
            r"UR number|case number|Rx|prescription (?:number|no|#)|script (?:number|no)"
        ),
        "A medical record, NHS or prescription number points to exactly one patient's chart.",
    ),
    (
        "health-plan",
        _keyword_id(
            r"member(?:ship)? (?:ID|number|no)|policy|subscriber (?:ID|number)|"
            r"group (?:number|no|#)|insurance (?:ID|number|no)|beneficiary (?:ID|number)|"
            r"medicaid|medicare|plan (?:ID|number)|MBI"
        ),
        "An insurance member or policy number identifies the patient to anyone who reads it.",
    ),
    (
        "account",
        _keyword_id(r"account|acct|a/c|invoice|billing (?:ID|number)|bill (?:number|no|#)"),
        "An account or bill number ties the post to one patient's records.",
    ),
    (
        "licence",
        _keyword_id(
            r"(?:driver['’]?s |driving )?licen[cs]e (?:number|no|#)|driver['’]?s licen[cs]e|"
            r"driving licen[cs]e|DL|passport|certificate (?:number|no|#)|permit (?:number|no|#)"
        ),
        "A licence, passport or certificate number identifies its holder.",
    ),
    (
        "device",
        _keyword_id(r"serial|S/N|SN|device (?:ID|serial)|UDI|IMEI|lot (?:number|no)|model number"),
        "A device serial number is registered to the patient who has the device.",
    ),
)

_VEHICLE = re.compile(
    r"(?i:\b(?:(?:licen[cs]e |number |reg(?:istration)? )?plates?|reg(?:istration)? "
    r"(?:number|no|mark)|VIN|reg))(?:\s+(?i:reads?|says?|said|literally|was|is|of|number|no\.?|"
    r"that|shows?|read))*[\s:#]*"
    r"(?P<id>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}[- ]?[A-Z0-9]{1,5}\b|"
    r"[A-HJ-NPR-Z0-9]{17}\b)"
)


_UK_PLATE = re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b")


_KEYWORD_TRIGGERS = {
    "mrn": "mrn|mr#|medical record|hospital|nhs|chi |patient|chart|unit number|ur number|"
    "case number|rx|prescription|script",
    "health-plan": "member|policy|subscriber|group|insurance|beneficiary|medicaid|medicare|plan|"
    "mbi",
    "account": "account|acct|a/c|invoice|billing|bill",
    "licence": "licen|dl|passport|certificate|permit",
    "device": "serial|s/n|sn|device|udi|imei|lot|model number",
}
_KEYWORD_GATES = tuple(
    (category, _Gated(_KEYWORD_TRIGGERS[category], pattern), explanation)
    for category, pattern, explanation in _KEYWORD_IDS
)
_VEHICLE_GATE = _Gated("plate|reg|vin", _VEHICLE)


def detect_keyword_ids(scan: Scan) -> Iterator[Candidate]:
    """Numbers introduced by what they are: MRN, member ID, account, licence, serial, plate."""
    if scan.digits == 0:
        return
    for category, gate, explanation in _KEYWORD_GATES:
        for m in gate.finditer(scan):
            yield Candidate(
                category, m.start("id"), m.end("id"), "high", "high", explanation, priority=90
            )
    plates = [m.span("id") for m in _VEHICLE_GATE.finditer(scan)]
    plates += [m.span() for m in _UK_PLATE.finditer(scan.text)]
    for start, end in plates:
        yield Candidate(
            "vehicle",
            start,
            end,
            "high",
            "high",
            "A number plate or VIN identifies the vehicle and, through it, its owner.",
            priority=90,
        )


_PHONE = re.compile(
    r"(?<![\w/.#-])(?:\+?\d{1,3}[\s.-]|\+\d{1,3})?(?:\(\d{2,5}\)\s?)?\d{2,5}(?:[\s.-]\d{2,6}){1,4}"
    r"(?![\w/-])"
    r"|(?<![\w/.#-])\+?\d{10,13}(?![\w/-])"
)
_TOLL_FREE = re.compile(r"^(?:1?8(?:00|88|77|66|55|44|33)|0800|0808|0300|0345|0330|116)")
_BUSINESS_LINE = re.compile(
    r"\b(?:book|booking|bookings|appointments?|call us|ring us|contact us|our (?:pharmacy|clinic|"
    r"practice|office|surgery|reception|helpline|front desk|hospital)|main line|switchboard|"
    r"opening hours|open (?:from|daily|mon\w*|until)|mon(?:day)?\s?[-–]\s?(?:fri|sat|sun)\w*|"
    r"helpline|hotline|crisis|text line|lifeline|walk-ins?)\b",
    re.I,
)
_FAX = re.compile(r"\bfax", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def detect_phones(scan: Scan) -> Iterator[Candidate]:
    """Phone and fax numbers; toll-free lines and a practice's booking line are public."""
    text = scan.text
    if scan.digits < 7:
        return
    for m in _PHONE.finditer(text):
        groups = re.findall(r"\d+", m.group())
        digits = "".join(groups)
        if not 7 <= len(digits) <= 13 or all(_YEAR.match(g) for g in groups):
            continue
        if _TOLL_FREE.match(digits):
            scan.suppressed.append(m.span())
            continue
        sentence = scan.sentence_text(m.start())
        if _BUSINESS_LINE.search(sentence):
            scan.suppressed.append(m.span())
            continue
        is_fax = bool(_FAX.search(sentence))
        yield Candidate(
            "fax" if is_fax else "phone",
            m.start(),
            m.end(),
            "high",
            "high",
            (
                "A fax number on a referral or form leads back to the patient's records."
                if is_fax
                else "A phone number leads straight to a person. Patient and family numbers must "
                "never appear in a post, even on a whiteboard in the background."
            ),
            priority=80,
        )


# ---------------------------------------------------------------------------------------------
# Names and relatives

_TITLED = re.compile(
    r"\b(?P<title>Mr|Mrs|Ms|Miss|Mx|Mister|Dr)\.?\s+"
    r"(?P<name>[A-Z][a-zA-Z'’-]+(?: [A-Z][a-zA-Z'’-]+)?|[A-Z]\b\.?)"
)
_STRUCTURAL_NAME = re.compile(
    r"\b(?:(?i:patient|pt|flyer)|Baby|baby|Little|little) (?P<name>[A-Z][a-z]+)\b"
)
_NAME_AGE = re.compile(r"\b(?P<name>[A-Z][a-z]+), (?P<age>\d{1,3})(?:,| ?(?:yo|y/o|years?))")
_FAMILY_NAME = re.compile(r"\b(?:for|with|to|from|visit|meet|met) the (?P<name>[A-Z][a-z]{2,}s)\b")
_INITIAL_SURNAME = re.compile(r"(?<![.\w])[A-Z]\. ?[A-Z][a-z]{2,}\b")
_THE_FAMILY = re.compile(r"\bthe (?P<name>[A-Z][a-z]+)(?: family| household|s['’])")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
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


def _colleague_context(scan: Scan, pos: int) -> bool:
    """True when the sentence reads as about a colleague or teacher, not a patient."""
    sentence = scan.sentence_text(pos)
    return bool(_COLLEAGUE.search(sentence)) and not _STRONG_CUE_NEAR.search(sentence)


def detect_relatives(scan: Scan) -> Iterator[Candidate]:
    """A patient's relative named: 'his daughter Rosa', 'Mrs. K's son Daniel'."""
    for m in _RELATIVE.finditer(scan.text):
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


_TITLED_GATE = _Gated("Mr|Ms|Miss|Mx|Mister|Dr", _TITLED, case=True)


def detect_names(scan: Scan) -> Iterator[Candidate]:
    """Titled names, first names beside patient words, and common first names anywhere."""
    text = scan.text
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
    for pattern in (_STRUCTURAL_NAME, _NAME_AGE):
        for m in pattern.finditer(text):
            word = m.group("name")
            if word.lower() in _NON_NAMES or word.lower() in _STOP_CAPS:
                continue
            if pattern is _NAME_AGE and word.lower() not in FIRST_NAMES and not scan.has_cue():
                continue
            yield Candidate(
                "name",
                m.start("name"),
                m.end("name"),
                "medium",
                "high",
                "A first name next to patient details identifies the patient to anyone who knows "
                "them.",
                priority=60,
            )
    family = [
        m.span("name")
        for m in _FAMILY_NAME.finditer(text)
        if m.group("name")[:-1].lower() not in _NOT_PLACES
    ]
    family += [
        m.span("name")
        for m in _THE_FAMILY.finditer(text)
        if m.group("name").lower() not in _STOP_CAPS
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
    for m in _CAPITALISED.finditer(text):
        if m.group().lower() not in FIRST_NAMES:
            continue
        start, end = m.span()
        if scan.is_suppressed(start, end):
            continue
        if _OWN_CIRCLE_BEFORE.search(text, max(0, start - 40), start) or _PLACE_PREFIX.search(
            text, max(0, start - 8), start
        ):
            continue
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


# ---------------------------------------------------------------------------------------------
# Places


_ROOM = re.compile(
    r"(?i:\b(?:room|rm|bed|bay|pod|cubicle|cube|bed ?space|side ?room|stall|suite|resus|trauma|"
    r"majors|minors|isolation))\.?"
    r"\s?#?\s?(?:\d{1,4}[A-Za-z]?|[A-Z]\d{0,3})\b"
)
_UNIT_NAME = re.compile(
    r"\b(?:on|to|from|in) (?P<id>\d{1,2} ?(?:North|South|East|West)\b|\d{1,2}[A-CE-JL-Z]\b)"
    r"|\b(?i:ward) (?P<ward>\d{1,2}[A-Z]?\b|[A-Z][a-z]+ Ward\b)"
)
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


_ROOM_GATE = _Gated(
    "room|rm|bed|bay|pod|cubicle|cube|suite|stall|resus|trauma|majors|minors|isolation", _ROOM
)


def detect_rooms(scan: Scan) -> Iterator[Candidate]:
    """Rooms, beds, bays, pods and named units that locate a patient; meeting rooms are fine."""
    text = scan.text
    if scan.digits == 0 and "ward" not in scan.lower and not _ROOM_GATE.triggers_in(scan):
        return
    spans: list[tuple[int, int]] = [m.span() for m in _ROOM_GATE.finditer(scan)]
    for m in _UNIT_NAME.finditer(text):
        group = "id" if m.group("id") else "ward"
        spans.append(m.span(group) if group == "id" else m.span())
    for m in _PERSON_IN_NUMBER.finditer(text) if scan.digits else ():
        if not _YEAR.match(m.group("id")):
            spans.append(m.span("id"))
    if spans and _MEETING.search(text):
        return
    for start, end in spans:
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
        if word.lower() not in _STOP_CAPS:
            return pos
        pos += len(word) + 1
    return -1


_FACILITY_GATE = _Gated(
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
    for pattern, group in ((_SAINT, 0), (_RESIDENT_AT, "place")):
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


_GEO_GATE = _Gated(
    "Street|St|Ave|Road|Rd|Lane|Ln|Drive|Boulevard|Blvd|Way|Court|Ct|Square|Sq|Park|Bridge|"
    "Estate|Close|Crescent|Terrace|Place|Highway|Hwy|Green|Common|Gardens|Heights|Hill|Creek|"
    "Falls|Springs|Valley|Village|Beach|Harbo|Lake|River|Woods|Grove|Ridge|Meadow|Mews|Row|"
    "Parkway|Pkwy|Trail|Junction|Crossing|Point|Marina|Pier|Wharf|Mill|Forest| estate| street|"
    " road| lane| avenue| park| towers| flats",
    _GEO,
    case=True,
)
_ROUTE_GATE = _Gated("route|rte|highway|hwy|interstate|road|i-|the m|the a", _ROUTE)


def detect_geography(scan: Scan) -> Iterator[Candidate]:
    """Towns, streets, parks, estates, roads and postcodes: geography smaller than a state."""
    text = scan.text
    explanation = (
        "A town, street or landmark smaller than a state narrows down who the patient is, "
        "especially in a small community."
    )
    for m in _GEO_GATE.finditer(scan):
        lead = "lead" if m.group("lead") else "lead2"
        start = _trim_leading_stops(text, m.start(lead), m.end(lead))
        if start < 0 and m.group(lead)[:1].isdigit():
            start = m.start(lead)
        if start < 0:
            continue
        yield Candidate("geography", start, m.end(), "low", "medium", explanation, priority=50)
    for m in _ROUTE_GATE.finditer(scan):
        yield Candidate("geography", m.start(), m.end(), "low", "medium", explanation, priority=50)
    for m in _POSTCODE.finditer(text) if scan.digits else ():
        yield Candidate("geography", m.start(), m.end(), "low", "medium", explanation, priority=50)
    for m in _FROM_PLACE.finditer(text):
        words = m.group("place").split()
        first = words[0].lower()
        if (
            first in _NOT_PLACES
            or first in _STOP_CAPS
            or first in _STATES_AND_COUNTRIES
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


# ---------------------------------------------------------------------------------------------
# Dates and ages

_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}})?"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}\b(?:,? \d{{4}})?"),
    re.compile(rf"\b(?i:in|on|since|during|until|of) (?P<d>{_MONTH} \d{{4}})\b"),
    re.compile(
        r"\b(?:Christmas(?: Eve| Day)?|Xmas|New Year['’]?s(?: Eve| Day)?|Thanksgiving|"
        r"Easter(?: Sunday| Monday)?|Good Friday|Boxing Day|Hallowe['’]?en|Valentine['’]?s Day|"
        r"Independence Day|July 4th|Fourth of July|4th of July|Bonfire Night|Mother['’]?s Day|"
        r"Father['’]?s Day|Mothering Sunday|Memorial Day|Labou?r Day|St\.? Patrick['’]?s Day|"
        r"Pi Day|Diwali|Eid|Hanukkah|Chanukah|Lunar New Year|Black Friday)\b"
    ),
    re.compile(rf"\b(?i:on|last|this past|since|from) (?P<d>{_WEEKDAY})\b"),
    re.compile(r"\b(?i:on|since|until|from) the (?P<d>\d{1,2}(?:st|nd|rd|th))\b"),
    re.compile(rf"\b{_WEEKDAY}(?:['’]s\b| (?i:night|morning|evening|afternoon)\b)"),
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.\w])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\d/\w%]|[.-]\d)"
)
_DATE_INTRO = re.compile(r"(?i:\b(?:on|since|from|until|by|admitted|discharged|dob|seen)\W*)$")
_DOB_BEFORE = re.compile(r"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date)\W*(?:is|was)?\W*)$")


_MONTH_TRIGGERS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE_GATES = tuple(
    _Gated(t, p, case=case)
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
_NUMERIC_DATE_GATE = _Gated("/|-|.", _NUMERIC_DATE)


def detect_dates(scan: Scan) -> Iterator[Candidate]:
    """Dates other than a bare year: '3/14', 'June 2', 'Christmas Eve', 'Tuesday's'."""
    text = scan.text
    spans: list[tuple[int, int]] = []
    for gate in _DATE_GATES:
        named = "d" in gate.pattern.groupindex
        for m in gate.finditer(scan):
            spans.append(m.span("d") if named else m.span())
    for m in _NUMERIC_DATE_GATE.finditer(scan):
        a, b, year = int(m.group("a")), int(m.group("b")), m.group("y")
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


_AGE_GATES = tuple(
    _Gated("centenarian|nonagenarian" if "centenarian" in p.pattern else "9|10|11", p)
    for p in _AGE_PATTERNS
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
            if _OWN_FAMILY.search(sentence):
                continue
            if _BIRTHDAY_AGE.search(sentence) and _INSTITUTION_BIRTHDAY.search(sentence):
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


# ---------------------------------------------------------------------------------------------
# Unique characteristics and media

_UNIQUE_STRONG = (
    re.compile(
        r"\b(?i:the|our|a|local|town['’]?s?|city['’]?s?|former|retired)\s+(?:[\w'’-]+\s+){0,2}?"
        r"(?i:mayor|governor|senator|congress(?:wo)?man|councill?or|"
        r"council(?:wo)?man|(?-i:MP|MSP)|sheriff|judge|police chief|chief of police|fire chief|"
        r"head ?teacher|headmaster|headmistress|pastor|vicar|priest|rabbi|imam|bishop|"
        r"news ?anchor|newsreader|weather(?:man|woman|person)|celebrity|footballer|quarterback|"
        r"influencer|youtuber|reality (?:tv )?star|billionaire)"
        rf"(?:{A}s (?:son|daughter|wife|husband|partner|mother|mum|mom|father|dad|kid|child|"
        r"brother|sister|grandson|granddaughter|baby|nephew|niece))?\b"
    ),
    re.compile(
        r"\b(?:celebrity|famous|household name|A-lister|olympian|lottery winner|"
        r"war hero|holocaust survivor|world record holder)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:teacher|coach|pastor|principal|librarian|postman|postwoman|vicar|officer|"
        r"firefighter|cop|player|captain) (?:at|for|of) (?:the |our |my )?(?:local )?"
        r"(?:[A-Za-z]+ ){0,2}(?:school|high|elementary|church|station|academy|team|club|college|"
        r"primary)\b",
        re.I,
    ),
    re.compile(
        r"\brunning for (?:city council|council|mayor|office|congress|parliament|governor|"
        r"senate|sheriff|school board|re-?election)\b",
        re.I,
    ),
    re.compile(r"\b(?:on|from) (?:that|the) (?:\w+ ){0,3}(?:show|series|podcast|channel)\b", re.I),
    re.compile(
        r"\bthe only (?:[\w-]+ ){0,4}?(?:patient|person|man|woman|boy|girl|baby|babies|twins|"
        r"triplets|quadruplets|quintuplets|child|kid|family|mother|mum|mom|dad|father|resident|"
        r"survivor|case|male|female|patients|people)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:the|was|is) (?:first|last|oldest|youngest|tallest|heaviest) (?:[\w-]+ ){0,3}?"
        r"(?:woman|man|person|patient|pilot|female|male|black|baby|child|resident|survivor|"
        r"astronaut|graduate|player|mayor)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:longest[- ](?:staying|serving)|oldest|youngest) (?:patient|resident|"
        r"person|living|survivor)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:quadruplets|quintuplets|sextuplets|septuplets|octuplets|conjoined twins|"
        r"triplets)\b",
        re.I,
    ),
    re.compile(
        r"\bat (?:his|her|their) own (?:wedding|funeral|party|graduation|birthday party|"
        r"retirement party)\b|\b(?:born|delivered|gave birth) (?:in|on) (?:the back of )?"
        r"(?:an? |the )?(?:taxi|cab|car|uber|ambulance|bus|plane|train|elevator|lift|bridge|"
        r"motorway|highway|parking lot|car park)\b",
        re.I,
    ),
)
_UNIQUE_WEAK = (
    re.compile(
        r"\b(?:the|our|a|an)\s+(?:[\w'’-]+\s+){0,2}?(?:actor|actress|singer|rapper|athlete|"
        r"quarterback|striker|goalkeeper|pop star|rock star|tv star|presenter|model|author|"
        r"politician|councill?or|footballer|boxer|jockey|chef)(?:['’]s)?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:tattoos?|tattooed|birthmarks?|tooth gem|piercings?|port-wine stain|"
        r"prosthetic (?:eye|leg|arm))\b",
        re.I,
    ),
    re.compile(
        r"\b(?:1|one)[- ]in[- ]a[- ]million\b|\bnever (?:been )?seen (?:before|anything "
        r"like)|\bcase of the (?:year|decade|century)\b|\bonly case\b",
        re.I,
    ),
)


_UNIQUE_STRONG_GATES = tuple(
    _Gated(t, p)
    for t, p in zip(
        (
            "mayor|governor|senator|congress|council|mp|msp|sheriff|judge|chief|teacher|headm|"
            "pastor|vicar|priest|rabbi|imam|bishop|anchor|newsreader|weather|celebrity|"
            "footballer|quarterback|influencer|youtuber|reality|billionaire",
            "celebrity|famous|household|a-lister|olympian|lottery|war hero|holocaust|world record",
            "teacher|coach|pastor|principal|librarian|post|vicar|officer|firefighter|cop|player|"
            "captain",
            "running for",
            "show|series|podcast|channel",
            "the only",
            "first|last|oldest|youngest|tallest|heaviest",
            "longest|oldest|youngest",
            "uplets|conjoined|triplets",
            "own |born|delivered|gave birth",
        ),
        _UNIQUE_STRONG,
        strict=True,
    )
)
_UNIQUE_WEAK_GATES = tuple(
    _Gated(t, p)
    for t, p in zip(
        (
            "actor|actress|singer|rapper|athlete|quarterback|striker|goalkeeper|star|presenter|"
            "model|author|politician|council|footballer|boxer|jockey|chef",
            "tattoo|birthmark|tooth gem|piercing|port-wine|prosthetic",
            "million|never|case of the|only case",
        ),
        _UNIQUE_WEAK,
        strict=True,
    )
)


def detect_unique(scan: Scan) -> Iterator[Candidate]:
    """Things that single one person out: public roles, 'the only…', rare events, tattoos."""
    text = scan.text
    for strong, gates in ((True, _UNIQUE_STRONG_GATES), (False, _UNIQUE_WEAK_GATES)):
        for gate in gates:
            for m in gate.finditer(scan):
                if _FIRST_PERSON_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                    continue
                yield Candidate(
                    "unique-characteristic",
                    m.start(),
                    m.end(),
                    "medium" if strong else "low",
                    "high",
                    (
                        "This detail fits very few people. In a community it names the patient as "
                        "surely as a name would."
                        if strong
                        else "A distinctive mark or rare case is easy to recognise once people "
                        "know it is about a patient."
                    ),
                    priority=40,
                )


_MEDIA = re.compile(
    r"\b(?:pics?|pictures?|photos?|photographs?|selfies?|videos?|vids?|audio(?: clip)?|"
    r"voice ?(?:notes?|memos?|clips?)|recordings?|footage|screenshots?|screen ?(?:grabs?|shots?|"
    r"caps?)|boomerangs?|reels?|tiktoks?|live ?stream(?:ed|ing|s)?|went live|going live|"
    r"filmed|filming|recorded|photographed|snapped)\b",
    re.I,
)
_IMAGING = re.compile(
    rf"(?:(?i:patient|pt){A}s |(?i:his|her|their|this) )(?P<img>(?i:x-?rays?|scan|ultrasound|"
    r"radiograph)|CT|MRI|ECG|EKG|CXR)\b"
    rf"|\b(?P<img2>(?i:x-?rays?|scan|ultrasound|radiograph)|CT|MRI|ECG|EKG|CXR)"
    r"(?= (?i:of (?:the day|this|my|a|the|his|her|him|our)))"
)
_CLINICAL_OBJECT = re.compile(
    r"\b(?:patients?|pts?|residents?|charts?|notes|records?|wristbands?|id bands?|face ?sheets?|"
    r"insurance cards?|whiteboards?|monitors?|x-?rays?|scans?|wounds?|incisions?|surgery|surgical|"
    r"operating|theat(?:re|er)|trauma bay|resus|bedside|ward|med room|telehealth|portal|logs?|"
    r"background|bed|bay|rash|ulcers?|injur\w+|fractures?|tumou?rs?|delivery|labou?r|body|"
    r"specimens?|paperwork|facesheets?|labels?|prescriptions?|meds|med list|medications?|"
    r"handwriting|heart|murmur|lungs?|breath sounds)\b",
    re.I,
)


_MEDIA_GATE = _Gated(
    "pic|photo|selfie|video|vid|audio|voice|record|footage|screen|boomerang|reel|tiktok|live|"
    "film|snap",
    _MEDIA,
)
_IMAGING_GATE = _Gated("ray|scan|ultrasound|radiograph|ct|mri|ecg|ekg|cxr", _IMAGING)


def detect_media(scan: Scan) -> Iterator[Candidate]:
    """Photos, videos, audio, screenshots and livestreams that may show a patient or a record."""
    spans = [m.span() for m in _MEDIA_GATE.finditer(scan)]
    for m in _IMAGING_GATE.finditer(scan):
        spans.append(m.span("img") if m.group("img") else m.span("img2"))
    for start, end in spans:
        clinical = bool(_CLINICAL_OBJECT.search(scan.sentence_text(start)))
        yield Candidate(
            "media",
            start,
            end,
            "medium" if clinical else "low",
            "high",
            (
                "Photos, video, audio and screenshots of patients, their records or their "
                "surroundings need the patient's written consent and your employer's approval. "
                "Faces, wristbands, screens and voices in the background all identify."
            ),
            guideline=1,
            priority=35,
        )


DETECTORS: dict[str, Detector] = {
    "cues": detect_cues,
    "case-details": detect_case_details,
    "emails": detect_emails,
    "urls": detect_urls,
    "ips": detect_ips,
    "ssns": detect_ssns,
    "keyword-ids": detect_keyword_ids,
    "phones": detect_phones,
    "relatives": detect_relatives,
    "names": detect_names,
    "rooms": detect_rooms,
    "facilities": detect_facilities,
    "geography": detect_geography,
    "dates": detect_dates,
    "ages": detect_ages,
    "unique": detect_unique,
    "media": detect_media,
}
"""Registry of detectors by name, run in this order (emails and links before names and numbers)."""
