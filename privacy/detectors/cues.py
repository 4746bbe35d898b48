"""Patient-context cues: the phrases that answer "is this about someone in my care?"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.detectors.care_phrases import ELIDED_CARE, SUBJECT_SOURCES
from privacy.detectors.person_health import person_with_health_spans, role_framed_spans
from privacy.detectors.vocabulary import COLLEAGUE
from privacy.lexicon import CONDITION_PATTERNS
from privacy.scan import ACCELERATED, Candidate, Gated, LazyRegex, PhraseList, Scan, words

_CUE_SOURCES: tuple[tuple[str, str], ...] = (
    # (lower-case substrings, any of which must occur; regex). The substrings are a cheap gate.
    (
        "patient|pt ",
        r"\b(?:my|our|this|that)(?: [\w-]+){0,2}? (?:patient|pt)(?:['’]s)?\b"
        r"(?! (?:navigators?|advocates?|advocacy|programm?es?|safety|experience|portal|liaison|"
        r"services?|groups?|forums?|education|information|records?|transport|feedback|voices?|"
        r"partners?|leaflets?|panel|council|representatives?|surveys?|charter|pathway)\b)",
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
        r"(?:^|[.!?:]\s+|\n)(?:patient|pt)\b(?!s)(?! (?:and|safety|experience|education|"
        r"information|portal|feedback|voices?|advocacy|rights|choice|cent(?:red|ered)|"
        r"participation|satisfaction|involvement|care|records?|data|leaflets?|groups?|photos?|"
        r"pictures?|videos?|images?|notes|lists?|names|stories|details|consent|confidentiality|"
        r"privacy|information)\b)",
    ),
    (
        "frequent",
        r"\bfrequent ?flyers?\b(?! (?:miles|points|program|programme|card|status|club|lounge|"
        r"scheme))",
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
        "post-op|dx:|presented|lost a|ems|mvc|handover|get well|rest easy|bless| rtc| rta| mva|"
        " rti|road traffic|trapped|cut out",
        r"\b(?:came in|comes? in|brought in|rolled in|wheeled in|was admitted|admitted|readmitted|"
        r"discharged|discharging|discharge day|sent home|intubated|coded|(?:is|was|keeps|started)"
        r" coding|post-op|dx:|presented to|lost a patient|ems call|mvc|(?-i:RTC|RTA|MVA|RTI)|"
        r"road traffic (?:collision|accident)|trapped (?:for )?\d+|(?:was|were|got) trapped|"
        r"cut (?:him|her|them) out|handover|get well soon|rest easy|bless (?:her|him))\b",
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
        "fella|chap|bishop|pastor|teacher|student|mum|mom|dad|nan|grand|twins|triplets|baby| lad|"
        " lass| bloke",
        r"\b(?:this|that|the|a|an|our) (?:[\w'’-]+ ){0,2}(?:guy|man|lady|woman|gentleman|gent|"
        r"kid|boy|girl|toddler|teen|teenager|bride|groom|farmer|driver|cyclist|biker|fella|chap|"
        r"bishop|pastor|teacher|student|mum|mom|dad|nan|grandad|granny|twins|triplets|baby|lad|"
        r"lass|bloke) (?:in|from|who|with|came|come|comes|was|is|on|at)\b",
    ),
    ("little one", r"\blittle one (?:in|from|who|with|came|was|is|on|at)\b"),
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
        "mama|mum|mom|baby|babies|kiddo|warrior|fighter|little",
        r"\bour (?:little |NICU |PICU |ICU |ward |unit )?(?:mama|mum|mom|baby|babies|kiddo|warrior|"
        r"fighter|little (?:guy|girl|man|one|lady))\b",
    ),
    (
        "'s |’s ",
        r"(?<=\w)['’]s (?:blood |test |latest |new |scan )?(?:knee|hip|shoulder|heart|liver|"
        r"kidneys?|lungs?|brain|spine|leg|arm|hand|"
        r"foot|eye|bowel|appendix|crown|filling|wound|rash|scan|x-?ray|bloods|labs|bipap|cpap|"
        r"oxygen|meds|medication|dressings?|catheter|peg|prescription|treatment|care plan|walker|"
        r"wheelchair|pump|biopsy|results|chemo|surgery|op|bypass|diagnosis|gums?|teeth|tooth|ears?|"
        r"nose|finger|toe|mouth|head|chest|wrist|ankle|throat|tongue|lip|neck|elbow|thumb|"
        r"stomach|bladder)\b",
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
        "#digits|yo|y/o",
        r"\b\d{1,3} ?(?:y/o|yo)\b",
    ),
    (
        "year-old",
        r"\bour \d{1,3}-year-old\b",
    ),
    (
        "#digits|o'clock|o’clock|am|pm",
        r"\b(?:my|our) \d{1,2}(?::\d{2})? ?(?:o['’]clock|am|pm)\b",
    ),
    (
        "review",
        r"\b(?:left|leaving|wrote|posted) (?:us |me )?an? (?:\d|one|two)[- ]star review\b",
    ),
    (
        "review|reply|response",
        r"\b(?:replying|responding|response) to (?:the|your|this|a) review\b|"
        r"\b(?:see|saw|read|reading|seeing|about) (?:this|your) (?:\w+ )?review\b|"
        r"\b(?:response|reply) from (?:the )?(?:owner|practice|clinic|surgery|pharmacy|team)\b|"
        r"\b(?:clinic|practice|owner|pharmacy|surgery)['’]?s? (?:reply|response)\b",
    ),
    (
        "you were seen",
        r"\byou were seen\b",
    ),
    (
        "your ",
        r"\byour (?:claim|insurance|visit|procedure|test results?|diagnosis|crown|filling|"
        r"appointment|chart|consult(?:ation)?|history|mri|ct|scan|x-?ray|check(?:-?up)?|final fit|"
        r"results|medication|meds|prescription|surgery|session|treatment plan|bloods|"
        r"review (?:on|with)|\d+[- ]month check|"
        r"extraction|"
        r"implant|root canal|bill|operation|stay|treatment|bloodwork|rehab|"
        r"\w+(?:ectomy|otomy|plasty|oscopy))\b|"
        r"\byour (?:[\w-]+ ){1,4}(?:sessions|appointments|rehab|recovery|treatment plan|"
        r"care plan)\b|"
        r"\byour (?:psychologist|psychiatrist|therapist|physio|physiotherapist|surgeon|consultant|"
        r"midwife|dentist|hygienist|counsell?or|OT|GP|doctor|nurse|pharmacist|optometrist|"
        r"podiatrist) (?:explained|said|told|mentioned|advised|noted|can['’]?t|cannot|isn['’]t|"
        r"wasn['’]t|did|has)\b",
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
        "had|got|saw|admitted",
        r"\b(?:our|my) (?:unit|ward|floor|clinic|department|(?-i:ER|ED|ICU|A&E)) (?:had|got|"
        r"saw|admitted)\b",
    ),
)
# Where the author was ("on the ward", "tonight in resus"): these say a person is in care only
# when the post also speaks of someone ("he", "the guy", "who's in emerg"), not of the author's
# own shift ("going to miss the craic on the ward").
_PLACE_UNITS = (
    r"(?:(?-i:ER|ED|A&E|ICU|NICU|PICU|CCU|HDU|SCBU|OR|L&D|PACU)|resus|trauma bay|theat(?:re|er)s?|"
    r"ward|unit|clinic|department|emergency (?:department|room)|emerg|casualty|majors|ambulance|"
    r"labou?r (?:ward|and delivery)|maternity|birthing (?:suite|unit|centre|center)|"
    r"delivery suite|peds|paeds|surgery)"
)
_PLACE_CUE_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "today|tonight|night|morning|afternoon|evening|yesterday|shift",
        r"\b(?:today|tonight|last night|this morning|this afternoon|this evening|yesterday|night|"
        rf"shift) (?:in|at|on) (?:the |our |my )?(?-i:[A-Z][\w'’&-]+ )?{_PLACE_UNITS}\b",
    ),
    (
        "today|tonight|night|morning|yesterday|right now|just now|overnight",
        rf"\b(?:in|at) (?:the |our |my )?{_PLACE_UNITS} (?:today|tonight|last night|"
        r"this morning|yesterday|right now|just now|overnight)\b",
    ),
    (
        "unit|ward|floor",
        r"\bon (?:my|our) (?:\w+ )?(?:unit|ward|floor)\b|\bon the (?:\w+ )?(?:unit|ward)\b|"
        r"\bon (?i:ward) \d{1,2}\b",
    ),
    (
        "#digits|on 1|on 2|on 3|on 4|on 5|on 6|on 7|on 8|on 9|ward 1|ward 2|ward 3|ward 4|ward 5|"
        "ward 6|ward 7|ward 8|ward 9",
        r"\bon (?:(?i:ward) )?(?-i:\d{1,2}[A-Z])\b",
    ),
    (
        "trauma bay|resus",
        r"\b(?:in|from) (?:the )?(?:trauma bay|resus|resuscitation room)\b",
    ),
)
_SOMEONE = words(
    """he she him his hers they them who whos someone somebody guy man woman lady gent gentleman
    kid child boy girl baby babies toddler teen patient patients pt pts family mum mom mam dad
    grandad granny nan lad lass bloke fella chap resident client"""
)
_NAME_POSSESSIVE = re.compile(
    r"\b(?!(?:Let|It|That|What|There|Here|Where|How|Today|Tonight|Everyone|Nobody|One)['’])"
    r"[A-Z][a-z]+['’]s\b"
)


def _someone(scan: Scan) -> bool:
    """Whether the post speaks of someone other than the author (a pronoun, a person, 'Jo's')."""
    return not _SOMEONE.isdisjoint(scan.words()) or bool(_NAME_POSSESSIVE.search(scan.text))


def _merged(sources: tuple[tuple[str, str], ...]) -> tuple[Gated, ...]:
    """One regex per distinct trigger set: a text is scanned once per gate, not once per cue."""
    by_triggers: dict[str, list[str]] = {}
    for triggers, source in sources:
        by_triggers.setdefault(triggers, []).append(f"(?:{source})")
    gates = []
    for triggers, parts in by_triggers.items():
        digits = triggers.startswith("#digits|")
        words = triggers.removeprefix("#digits|")
        case = words.startswith("#case|")
        words = words.removeprefix("#case|")
        source = "|".join(parts)
        gate = Gated(words, LazyRegex(source, re.I), digits=digits, case=case)
        if set(_UPPER.findall(source)) <= {"I"}:  # "(?:I|we)" reads the same in lower case
            _ON_LOWER[id(gate)] = LazyRegex(source.replace("I", "i"))
        gates.append(gate)
    return tuple(gates)


_UPPER = re.compile(r"(?<!\\)[A-Z]")
_ON_LOWER: dict[int, LazyRegex] = {}
"""Case-blind cue patterns compiled without re.I, to run on the lower-cased post: the same
matches at a third of the cost (IGNORECASE makes Python's regex engine much slower)."""


_CUE_PATTERNS = _merged((*_CUE_SOURCES, *SUBJECT_SOURCES))
_PLACE_CUE_PATTERNS = _merged(_PLACE_CUE_SOURCES)


def find_cue_spans(scan: Scan) -> list[tuple[int, int]]:
    """Spans of every patient-context phrase in the post, widened to whole words.

    Without `scan.all_details` the search stops at the first cue: question one only needs one,
    and the risk never depends on how many there are. Place cues count when someone is spoken of.
    """
    spans = _spans(scan, _CUE_PATTERNS, [])
    # A new colleague "on the unit" is someone too, but not a patient.
    place_cues = (not spans or scan.all_details) and any(
        gate.triggers_in(scan) for gate in _PLACE_CUE_PATTERNS
    )
    if place_cues and _someone(scan) and not COLLEAGUE.search(scan.text):
        spans = _spans(scan, _PLACE_CUE_PATTERNS, spans)
    if not spans or scan.all_details:
        spans += _elided_spans(scan)
    if not spans or scan.all_details:
        spans += person_with_health_spans(scan)
    if not spans or scan.all_details:
        spans += role_framed_spans(scan)
    return spans


_SERVICE_CUE = re.compile(
    r"\b(?:home visit|your|sessions?|appointments?|referral|jab|shot|vaccin\w*|prescription|"
    r"script|meds|medication|check(?:-?up)?|their|parents?)\b",
    re.I,
)
_OFFER = re.compile(
    r"\b(?:if (?:you|your|they)|we['’]ll|we will|we can|you can|you could|can (?:arrange|book)|"
    r"to (?:book|arrange|request)|book (?:a|an|your|in)|ask (?:your|for|about)|arrange|available|"
    r"eligible|offer(?:s|ing)?|please (?:ring|call|contact|book)|(?:ring|call) (?:reception|us)|"
    r"every|all|any|anyone|everyone|those|parents|families|people)\b",
    re.I,
)
"""An offer, an instruction or a general audience: 'we'll arrange a home visit', 'you can ask
your pharmacist to review your meds', 'to every parent … their baby' describe a service."""


def _general(scan: Scan, start: int, end: int) -> bool:
    """A service or possessive cue said to everyone, not about one person."""
    if not _SERVICE_CUE.search(scan.text, start, end):
        return False
    sentence_start, sentence_end = scan.sentence(start)
    return bool(_OFFER.search(scan.text, sentence_start, sentence_end))


def _spans(
    scan: Scan, gates: tuple[Gated, ...], spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    text = scan.text
    hits = scan.hits if ACCELERATED else None  # None: no automaton, ask each gate
    lower_ok = len(scan.lower) == len(text)  # offsets agree (true unless rare Unicode)
    for gate in gates:
        if spans and not scan.all_details:
            break
        if hits is not None and not gate.case and gate.key not in hits:
            continue
        if not gate.triggers_in(scan):
            continue
        on_lower = _ON_LOWER.get(id(gate)) if lower_ok else None
        matches = on_lower.finditer(scan.lower) if on_lower else gate.pattern.finditer(text)
        for m in matches:
            start, end = m.span()
            if start == end:
                continue
            # Possessive cues match from the apostrophe; widen them to the whole word.
            while start and text[start - 1].isalnum():
                start -= 1
            while start < end and not text[start].isalnum():
                start += 1
            if not _general(scan, start, end):
                spans.append((start, end))
    return spans


_CONDITIONS = PhraseList(CONDITION_PATTERNS)
_OWNER_BEFORE = re.compile(
    r"\b(?:after|since|with|from|for|during|before|had|has|getting|having|undergoing|needs|needed|"
    r"recovering from) (?:his|her|their) (?:[\w-]+ )?$",
    re.I,
)


def _own_condition_spans(scan: Scan) -> list[tuple[int, int]]:
    """'after his stroke', 'with her sepsis': a condition that belongs to one person."""
    spans = []
    text = scan.text
    for m in _CONDITIONS.finditer(scan):
        before = _OWNER_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if before and not _general(scan, before.start(), m.end()):
            spans.append((before.start(), m.end()))
    return spans


_ELIDED = LazyRegex(ELIDED_CARE, re.I)
_ELIDED_GATE = Gated(
    "seen|saw|had|treated|visited|sat with|diagnosed|admitted|assessed|examined|reviewed|"
    "triaged|discharged|referred|removed|scanned",
    _ELIDED,
)


def _elided_spans(scan: Scan) -> list[tuple[int, int]]:
    """Acts of care at a sentence or clause start with the subject left out ("Sat with a mum")."""
    if not _ELIDED_GATE.triggers_in(scan):
        return []
    text = scan.text
    starts = [start for start, _ in scan.sentences()]
    starts += [m.end() for m in _CLAUSE_START.finditer(text)]
    spans = []
    for start in starts:
        while start < len(text) and not text[start].isalnum():
            start += 1
        m = _ELIDED.compiled.match(text, start)
        if m and not _general(scan, m.start(), m.end()):
            spans.append(m.span())
    return spans


_CLAUSE_START = re.compile(r":\s+")


def detect_cues(scan: Scan) -> Iterator[Candidate]:
    """Phrases that show the post is about a real patient ('my patient', 'today in the ER')."""
    scan.cue_spans = find_cue_spans(scan)
    wanted = not scan.cue_spans or scan.all_details  # question one needs one cue, not all
    if wanted and ("his " in scan.lower or "her " in scan.lower or "their " in scan.lower):
        scan.cue_spans += _own_condition_spans(scan)
    for start, end in scan.cue_spans:
        yield Candidate(
            "patient-context",
            start,
            end,
            "low",
            "low",
            "This phrase shows the post is about a real patient. On its own it names no one, "
            "but it turns every other detail here into information about that patient.",
            is_cue=True,
            weight=0.0,
        )
