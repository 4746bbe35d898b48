"""Quasi-identifiers that only matter once a post is about one person in care (question two).

A job, a small town, a time, a rare condition, a hoodie or a third visit this week harm no one
in a post about nobody, so these detectors run only when question one says the post is about a
specific person; each candidate carries the weight it adds to singling that person out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.detectors.vocabulary import (
    FIRST_PERSON_BEFORE,
    NOT_PLACES,
    STATES_AND_COUNTRIES,
    STOP_CAPS,
    WEEKDAY,
)
from privacy.lexicon import CONDITION_PATTERNS, FIRST_NAMES, OCCUPATIONS, RARE_CONDITION_PATTERNS
from privacy.scan import A, Candidate, LazyRegex, PhraseList, Scan

_CONDITIONS = PhraseList(CONDITION_PATTERNS)
_RARE = PhraseList(RARE_CONDITION_PATTERNS)
_JOBS = PhraseList(frozenset(re.escape(job) for job in OCCUPATIONS))
_WHEN = LazyRegex(
    rf"\b(?:today|tonight|last night|this (?:morning|afternoon|evening|week)|yesterday|earlier|"
    rf"just now|overnight|on (?:my|the|our) (?:night |day )?shift|{WEEKDAY}(?:{A}s)?|"
    r"(?:at )?\d{1,2}(?::\d\d)? ?(?:am|pm)|\d{1,2}:\d\d)\b",
    re.I,
)
_TIME = LazyRegex(
    rf"\b(?:today|tonight|last night|this (?:morning|afternoon|evening|arvo|week|weekend|month)|"
    rf"yesterday(?: (?:morning|afternoon|evening))?|last (?:week|weekend|month)|"
    rf"(?:on |last )?{WEEKDAY}(?:{A}s)?(?: (?:night|morning|afternoon|evening|arvo))?|"
    r"(?:sat|sun|fri|mon|tues?|wed|thurs?) (?:night|arvo)|this arvo|"
    r"(?:at )?\d{1,2}(?::\d\d)? ?(?:am|pm)|around \d{4}|at \d{4}h?)\b",
    re.I,
)
_JOB_LEAD = LazyRegex(
    rf"\b(?:the|a|an|our|my|his|her|their|local|retired|former|young|old|village|town{A}?s?)"
    r"(?: [\w'’-]+){0,3} $",
    re.I,
)
_JOB_VERB = LazyRegex(
    r"\bwho (?:runs|owns|ran|owned|manages|managed|works (?:at|in|on|for)|worked (?:at|in|on)|"
    r"does the \w+|plays (?:the )?\w+|drives the|teaches|coaches|presents|used to (?:run|own|"
    r"present|work|teach|coach|play|drive))\b[^.!?\n,]{0,40}?"
    r"(?=\s(?:on|in|at|near|off|by|from|with|and|who|was|is|has|had|came)\b|[.,;:!?)\n]|$)",
    re.I,
)
_WORKPLACE = LazyRegex(
    r"\b(?:(?:his|her|their) (?:new )?(?:job|apprenticeship|placement|shift|work)|works|working|"
    r"worked|employed|redundant|laid off|sacked|fired) (?:at|from|for|in) (?:the )?(?:local )?"
    r"(?:[A-Z][\w'’&-]+ ){0,2}(?:[A-Z][\w'’&-]+|[a-z]+ ?works|factory|plant|mill|mine|quarry|"
    r"dealership|garage|car wash|abattoir|cannery)\b"
)
_YOUNG_AGE_JOB = LazyRegex(r"\b\d{1,2} ?(?:yo|y/o|year[- ]old)\b (?P<job>[a-z]+)\b", re.I)
_SMALL_PLACE = LazyRegex(
    r"\b(?:(?:town|village|county|island|community|city) of (?:about |around |only |just )?"
    r"[\d,.]+k?|pop\.? [\d,.]+k?|small[- ]?town|(?:small|tiny|little) (?:[A-Z][a-z]+ )?(?:town|"
    r"village|hospital|island|community|place|station|school|practice)|rural (?:[A-Z]\w+ )?"
    r"(?:site|town|ED|ER|hospital|practice|area|community)|remote (?:clinic|community|site|"
    r"town|area)|halting site|in (?:our|this|my) (?:little |small )?(?:town|village|community)|"
    r"(?:here )?in town\b|everybody knows (?:him|her|them)|everyone knows (?:him|her|them)|"
    r"(?:on|in|at|off|near|by) (?:the )?(?:high street|main street|main road|main st|village "
    r"green|town square|market square|seafront|promenade|harbou?r|quay)\b|\bon Main\b|"
    r"\b(?:from|at|of) the (?:local |village |corner )?(?:market|pub|chippy|chipper|bakery|"
    r"butcher['’]?s|garage|post office|mosque|marae|gym|pool|library|bookies|launderette|car wash|"
    r"petrol station|takeaway|surgery car park)\b)",
    re.I,
)
_PLACE_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž]+"
_PLACE_AFTER = LazyRegex(
    r"\b(?:in|near|past|outside|from|at|to|of|around|off|on|by|behind|beside|opposite|"
    rf"next to) (?:the |our |my )?(?P<place>{_PLACE_WORD}"
    rf"(?:['’]s)?(?: {_PLACE_WORD})?)(?![\w'’])"
)
_APPEARANCE = LazyRegex(
    r"\b(?:in|wearing|wore|with) (?:a|an|the|his|her|their|that|this|same) (?:[\w'’-]+ ){0,3}"
    r"(?:hoodie|jersey|t-?shirt|tee|shirt|hat|cap|beanie|jacket|coat|dress|onesie|costume|tights|"
    r"face paint|uniform|kilt|scarf|boots|trainers|sneakers|sweater|jumper|wheelchair|turban|"
    r"hijab|headscarf|sari|"
    r"mobility scooter|zimmer frame)\b|"
    r"\b(?:red|blue|yellow|green|pink|orange|purple|black|white|silver|gold|grey|gray|brown|"
    r"old|vintage|bright|rusty|leopard[- ]print|sequinn?ed) (?:[\w-]+ )?(?:kombi|ute|van|truck|"
    r"pickup|Holden|Land Rover|Range Rover|Jeep|motorbike|tractor|caravan|boat|bungalow|door|gate|"
    r"house|cottage|weatherboard|roof|fence|car|crocs|slippers|wellies|hoodie|beanie|hat|coat|"
    r"jacket|wig|mohawk|beard|turban|hijab|headscarf)\b|"
    r"\bthe (?:one|house|place|property|two-storey|bungalow|cottage|farm) with the\b|"
    r"\b(?:his|her|their) (?:dog|cat|parrot|horse|pony|budgie) [A-Z][a-z]+\b|"
    r"\b(?:two|three|four|five|\d) (?:kelpies|dogs|cats|geese|goats|horses)\b|"
    r"\b\d{3}\+? ?(?:lbs?|kg|pounds)\b|"
    r"\b(?:rainbow|pink|blue|green|purple)[- ](?:dyed )?hair\b|\bseptum ring\b|"
    r"\bsleeve tattoo\b|\bglass eye\b|\bwooden leg\b|\bone[- ]legged\b|\bon blocks\b",
    re.I,
)
_REPEAT = LazyRegex(
    r"\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|tenth) (?:time|visit|admission)"
    r"(?: (?:this|in a|since|today))?\b|\b(?:\d+|two|three|four|five|six) times (?:this|in a|"
    r"since) (?:week|month|year|fortnight)\b|\bthe same (?:address|guy|man|lady|woman|kid|"
    r"bloke|fella|story)\b|\bevery (?:single )?(?:emerg |ER |ED |A&E )?(?:visit|shift|time) "
    r"(?:he|she|they)\b|\bto every (?:emerg |ER |ED |A&E )?visit\b|\bmissed (?:his|her|their) "
    r"\w+ (?:check|appointment)s? (?:twice|again)\b|\bkeeps (?:coming|ringing|calling) (?:in|back)"
    r"\b|\bregular (?:visitor|caller|attender)\b|"
    r"\b(?:comes?|came|coming|in|here|visits?) (?:in )?every (?:single )?(?:(?:Mon|Tues|Wednes|"
    r"Thurs|Fri|Satur|Sun)day|week|weekend|night|morning|shift|payday)\b|"
    r"\b(?:comes?|came|coming|visits?) (?:in |to (?:our|the|my) (?:[\w-]+ ){0,2})?on "
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days\b|"
    r"\b(?:was|is|were|are|he['’]s|she['’]s|they['’]re) back (?:again|in again)\b|"
    r"\bknows? (?:him|her|them) by name\b|"
    r"\bmissed (?:his|her|their) (?:[\w-]+ ){0,3}(?:checks?|appointments?|visits?|sessions?|"
    r"contacts?)\b",
    re.I,
)
_EVENT = LazyRegex(
    r"\b(?:on|in) (?:the )?(?:local |evening |six o['’]clock |today['’]s )?news\b|"
    r"\bin (?:the )?(?:local|today['’]s|this morning['’]s) paper\b|\bfront page\b|"
    r"\bviral\b|\ball over (?:facebook|social media|the news|tiktok|the internet)\b|"
    r"\beveryone(?:['’]?s| (?:[\w-]+ ){0,3}(?:was|is|were|are)) talking about\b|"
    r"\bremember (?:the|that) (?:[\w-]+ ){0,2}(?:guy|man|lady|"
    r"woman|family|kid|boy|girl|couple|driver|crash|fire|accident)\b|"
    r"\bthe (?:[A-Z][\w'’-]+ ){1,3}(?:fire|fires|crash|concert|game|match|fair|festival|race|show|"
    r"incident|shooting|flood|storm|final|cup|derby|parade|marathon)\b|"
    r"\b(?:the|that) (?:crash|fire|shooting|incident|accident|pile-?up|collision|call) (?:on|at|in|"
    r"near) (?:the )?(?:[A-Z]\w*|Hwy|Highway|Route)|"
    r"\bat the (?:[A-Z][\w'’-]+ ){1,3}(?:concert|game|match|fair|festival|show|races?|cup|final)\b|"
    r"\bduring the (?:[A-Z][\w'’-]+ ){1,2}(?:game|match|concert|show|final)\b|"
    r"\bwho (?:collapsed|was hit|got hit|fell|crashed) (?:in|at|on|off) the\b",
)
_LINK = LazyRegex(
    r"\b(?:is|was|it['’]?s) (?:literally |actually )?(?:my|our) (?:\w+['’]s )?(?:old )?(?:\w+ )?"
    r"(?:coach|teacher|neighbou?r|landlord|landlady|boss|ex|cousin|friend|dentist|pastor|vicar|"
    r"priest|babysitter|hairdresser|mechanic)\b|"
    r"(?<=\w)['’]s? (?:own )?(?:wife|husband|daughter|son|mum|mom|dad|mother|father|ex|cousin|"
    r"girlfriend|boyfriend|partner)\b|"
    r"\b(?:my|our) (?:old|former|ex-?) (?:[\w-]+ ){0,2}(?:coach|teacher|principal|headteacher|"
    r"instructor|tutor|lecturer|professor|boss|manager|landlord|landlady|neighbou?r|babysitter|"
    r"pastor|vicar|priest|dentist|hairdresser|barber|classmate|flatmate|colleague)\b|"
    r"\b(?:his|her|their) (?:mum|mom|dad|mother|father|wife|husband|son|daughter) (?:sits|works|"
    r"is|was|runs|owns|found out|teaches|coaches)\b|"
    r"\b(?:his|her|their) (?:mum|mom|dad|mother|father|wife|husband|partner|son|daughter|boss) "
    r"(?:at|from) the (?:[\w-]+ )?(?:station|school|garage|pub|shop|church|club|farm|factory|"
    r"council|surgery|bank|post office|mill|mine|base|barracks)\b",
    re.I,
)
_PUBLIC_HINT = LazyRegex(
    r"\b(?:(?:very |really |super )?well[- ]known|famous|household name|you['’]?d (?:all )?know "
    r"(?:him|her|them|who)|you would know|everyone knows (?:him|her|who)|local (?:celebrity|"
    r"legend|hero|personality)|(?:on|from) (?:the )?(?:telly|tv|radio)\b|guess who)\b|"
    r"\b(?:NHL|NFL|NBA|MLB|MLS|AFL|NRL|GAA|WNBA|(?-i:[A-Z][a-z]+s?)(?: (?-i:[A-Z][a-z]+))?)"
    r"(?:['’]s?)? (?:(?:backup|starting|star|former|ex|new|veteran|young|reserve|rookie|relief|"
    r"first-choice|\w+-string)[- ])?(?:player|forward|defender|lineman|linebacker|quarterback|"
    r"striker|goalie|goalkeeper|keeper|pitcher|reliever|closer|shortstop|catcher|outfielder|"
    r"batter|bowler|winger|fly-half|scrum-half|prop|hooker|guard|receiver|running back|"
    r"tight end|jockey|star|ref|referee|umpire|captain|coach|manager|anchor|host|presenter)s?\b|"
    r"\b(?i:football|rugby|hockey|basketball|soccer|baseball|netball|hurling|cricket|tennis|golf|"
    r"boxing|country|pop|rock|rap|reality|tv|film|movie|soap|youtube|tiktok|instagram|radio) "
    r"(?i:star|legend|icon|celebrity|personality|singer|champion|sensation)s?\b|"
    r"\b(?i:a certain) (?:[\w-]+ ){0,3}?(?i:star|singer|actor|actress|player|politician|celebrity|"
    r"presenter|host|musician|athlete|footballer|influencer|personality|figure|someone|somebody|"
    r"person|man|woman|guy|lady)\b|"
    r"\b(?:Olympic|Olympian|Paralympic|Paralympian|(?i:world[- ]champion)|All Black) "
    r"(?:[a-z]+ )?(?:[a-z]+(?:er|or|ist)|player|star|athlete|champion|medallist)\b|"
    r"\b(?i:who) (?i:plays|played|starred|stars|presents|presented|hosts|hosted|sang|sings|"
    r"reads the news|won) (?i:in |on |the |a )|"
    r"\b(?i:everyone['’]?s|everybody['’]?s) (?i:watching|talking about|listening to)\b|"
    r"\b(?i:was|were|been|appeared|appearing|featured) (?i:on) (?:the )?(?:(?i:news|tv|telly|"
    r"radio)\b|(?i:channel) \d+|[A-Z]{2,5}\b(?=[^.!?\n]{0,40}\b(?i:talking|speaking|interview|"
    r"discussing|about)\b))",
)
_FIRST_OF_ITS_KIND = LazyRegex(
    r"\bfirst (?:[\w-]+ ){0,2}(?:in|since) (?:over |more than |almost )?(?:a|the|\d+|two|three|"
    r"five|ten|twenty) (?:decade|years?|century|generation)\b|\bfirst[- ]in[- ](?:human|utero)\b|"
    r"\b(?:the )?first (?:[\w-]+ ){0,3}(?:in|for) (?:the )?(?:state|country|province|county|"
    r"region|nation|(?-i:[A-Z][a-z]+))\b|\bfirst (?:one |case )?I['’]ve (?:ever )?seen\b|"
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) of (?:the |only )?"
    r"(?:\d+|[a-z]+) (?:known )?(?:[\w-]+ )?(?:families|patients|people|cases|children|kids)\b|"
    r"\bonly (?:\d+|a few|a handful of|two|three) (?:known )?(?:[\w-]+ )?(?:families|patients|"
    r"people|cases) (?:in|with)\b|\bnovel (?:[\w-]+ ){0,2}(?:variant|mutation|syndrome|disease)\b|"
    r"\b(?:a )?rare (?:[\w-]+ ){0,3}(?:complication|variant|syndrome|disease|condition|case|"
    r"presentation|reaction|tumou?r|cancer|infection|bite)\b",
    re.I,
)
_TOLD_TO_YOU = LazyRegex(
    r"\byour (?:[\w-]+ ){0,3}(?:bloodwork|bloods|results?|scan|x-?ray|mri|ct|ecg|tests?|biopsy|"
    r"swab|rehab|recovery|sessions|referral|prescription|diagnosis) (?:was|were|came back|showed|"
    r"ran out|has been|had been|didn['’]t|wasn['’]t|got)\b|"
    r"\byou (?:were|was) (?:seen|triaged|treated|admitted|discharged|diagnosed|prescribed|referred|"
    r"charged|told)\b|"
    r"\byour (?:son|daughter|child|baby|dad|mum|mom|mother|father|husband|wife|partner)(?:['’]s)? "
    r"(?:[\w-]+ )?(?:was|were|is|has|had|came back|showed|results?|test|scan|bloods|biopsy|x-?ray)"
    r"\b|"
    r"\byou (?:signed|missed|attended|cancelled|declined|refused) (?:the |your |[\w-]+ )?"
    r"(?:consent|sessions?|appointments?|procedure|surgery|scan|treatment)\b|"
    r"\b(?:CTAS|ESI|triage (?:level|category|cat\.?)) ?\d\b",
    re.I,
)
_IF_YOU = LazyRegex(r"\b(?:if|when|whether|in case) you\b", re.I)
_NO_PLACE = NOT_PLACES | STOP_CAPS | STATES_AND_COUNTRIES


def detect_case_details(scan: Scan) -> Iterator[Candidate]:
    """A condition or event told with when it happened: high beside a patient cue."""
    text = scan.text
    if not _WHEN.search(text):
        return
    for m in _CONDITIONS.finditer(scan):
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
            weight=1.0,
        )


def detect_rare_conditions(scan: Scan) -> Iterator[Candidate]:
    """A rare or notifiable condition, or a rare accident: one case is news in a small place."""
    for m in _RARE.finditer(scan):
        yield Candidate(
            "condition",
            m.start(),
            m.end(),
            "low",
            "medium",
            "A rare condition or accident fits very few people in any one place; beside a patient "
            "story it points to the patient.",
            priority=22,
            weight=1.5,
        )


TIME_EXPLANATION = (
    "Saying when you saw someone lets people match the story to a real day and person."
)
"""The explanation of a bare time ('tonight'): privacy.learned does not count it as a detail."""


def detect_times(scan: Scan) -> Iterator[Candidate]:
    """When it happened ('yesterday', 'Sunday night'): weak alone, telling with other details."""
    for m in _TIME.finditer(scan.text):
        yield Candidate(
            "date",
            m.start(),
            m.end(),
            "low",
            "low",
            TIME_EXPLANATION,
            priority=18,
            weight=0.4,
        )


def detect_occupations(scan: Scan) -> Iterator[Candidate]:
    """The person's job or community role: 'the postman in Dunmore East', 'who runs the chippy'."""
    text = scan.text
    spans = [
        m.span()
        for m in _JOBS.finditer(scan)
        if _JOB_LEAD.search(text, max(0, m.start() - 40), m.start())
        and not text.startswith(("'s", "’s", "s "), m.end())
    ]
    spans += [m.span() for m in _JOB_VERB.finditer(text)]
    spans += [m.span() for m in _WORKPLACE.finditer(text)]
    spans += [
        m.span("job")
        for m in _YOUNG_AGE_JOB.finditer(text)
        if m.group("job").lower() in OCCUPATIONS
    ]
    for start, end in spans:
        if FIRST_PERSON_BEFORE.search(text, max(0, start - 30), start):
            continue
        yield Candidate(
            "occupation",
            start,
            end,
            "low",
            "low",  # a job alone is common; its weight counts with the other details
            "A job or community role narrows a patient story down to a handful of people, often "
            "to one.",
            priority=24,
            weight=0.5,
        )


def detect_small_places(scan: Scan) -> Iterator[Candidate]:
    """Small or named places: 'a town of 800', 'rural site', 'in Kinvara', 'near Taihape'."""
    text = scan.text
    explanation = (
        "A small or named place leaves few people a patient story could be about; neighbours "
        "fill in the rest."
    )
    for m in _SMALL_PLACE.finditer(text):
        yield Candidate("geography", m.start(), m.end(), "low", "medium", explanation, priority=26)
    for m in _PLACE_AFTER.finditer(text):
        place = m.group("place")
        first = place.split()[0].lower().rstrip("'’s")
        if first in _NO_PLACE or first in FIRST_NAMES or _is_sentence_start(text, m.start()):
            continue
        yield Candidate(
            "geography", m.start("place"), m.end("place"), "low", "medium", explanation, priority=26
        )


def _is_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 2) : pos]
    return pos == 0 or before.endswith((". ", "! ", "? ", "\n"))


def _characteristic(
    scan: Scan,
    pattern: re.Pattern[str] | LazyRegex,
    severity: str,
    priority: int,
    weight: float,
    why: str,
) -> Iterator[Candidate]:
    """One 'unique-characteristic' candidate per match: the shape every detector below shares."""
    for m in pattern.finditer(scan.text):
        yield Candidate(
            "unique-characteristic",
            m.start(),
            m.end(),
            "low",
            severity,
            why,
            priority=priority,
            weight=weight,
        )


def detect_appearance(scan: Scan) -> Iterator[Candidate]:
    """What the person wears, drives, keeps or looks like: 'the pink Hello Kitty hoodie'."""
    return _characteristic(
        scan,
        _APPEARANCE,
        "medium",
        28,
        1.0,
        "A distinctive look, vehicle, house or pet is how neighbours recognise someone.",
    )


def detect_repeat_visits(scan: Scan) -> Iterator[Candidate]:
    """A repeat visitor ('third time this week', 'same guy'): staff and neighbours know who."""
    return _characteristic(
        scan,
        _REPEAT,
        "medium",
        28,
        1.0,
        "A repeat visit singles someone out: everyone on the unit, and often in town, knows "
        "who keeps coming back.",
    )


def detect_events(scan: Scan) -> Iterator[Candidate]:
    """A public event or news story tied to the person: 'the Oakview fire', 'on local news'."""
    return _characteristic(
        scan,
        _EVENT,
        "high",
        30,
        1.5,
        "Tying a patient to a public event or news story tells everyone who saw it exactly "
        "who the patient is.",
    )


def detect_public_hints(scan: Scan) -> Iterator[Candidate]:
    """A public figure hinted at: 'a well-known radio host', 'the Bucs lineman', 'you'd know'."""
    return _characteristic(
        scan,
        _PUBLIC_HINT,
        "high",
        33,
        2.0,
        "Hinting that a patient is a public figure invites readers to work out who; many will.",
    )


def detect_firsts(scan: Scan) -> Iterator[Candidate]:
    """A first or rare case: 'Ireland's first in over a decade', '9 of the 11 known families'."""
    return _characteristic(
        scan,
        _FIRST_OF_ITS_KIND,
        "high",
        31,
        1.5,
        "A first-ever or one-of-a-few case is news: it points to the one patient it happened to.",
    )


def detect_links(scan: Scan) -> Iterator[Candidate]:
    """The person named through someone else: 'my kid's soccer coach', 'Coach Brenner's wife'."""
    for m in _LINK.finditer(scan.text):
        start = m.start()
        while start and scan.text[start - 1].isalnum():
            start -= 1
        yield Candidate(
            "relative",
            start,
            m.end(),
            "low",
            "high",
            "Saying whose relative, neighbour or coach a patient is identifies them to everyone "
            "who knows that person.",
            priority=32,
            weight=1.5,
        )


def detect_told_to_you(scan: Scan) -> Iterator[Candidate]:
    """Care details told back to the person: 'you were seen in 3 hours', 'your bloods were
    normal'. The reader they are addressed to is known (the reviewer, the poster)."""
    text = scan.text
    if "you" not in scan.lower and "ctas" not in scan.lower and "triage" not in scan.lower:
        return
    for m in _TOLD_TO_YOU.finditer(text):
        start, end = scan.sentence(m.start())
        if _IF_YOU.search(text, start, end):
            continue
        yield Candidate(
            "patient-context",
            m.start(),
            m.end(),
            "low",
            "medium",
            "Telling someone in public what happened in their care confirms they are a patient "
            "and tells everyone what for.",
            priority=21,
            weight=1.0,
        )
