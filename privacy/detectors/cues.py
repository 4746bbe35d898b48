"""Patient-context cues: the phrases that answer "is this about someone in my care?"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.lexicon import CONDITION_PATTERNS
from privacy.scan import ACCELERATED, Candidate, Gated, LazyRegex, PhraseList, Scan

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
        r"(?:^|[.!?:]\s+|\n)(?:patient|pt)\b(?!s)(?! (?:and|safety|experience|education|"
        r"information|portal|feedback|voices?|advocacy|rights|choice|cent(?:red|ered)|"
        r"participation|satisfaction|involvement|care|records?|data|leaflets?|groups?)\b)",
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
        "mama|mum|mom|baby|babies|kiddo|warrior|fighter|little",
        r"\bour (?:little |NICU |PICU |ICU |ward |unit )?(?:mama|mum|mom|baby|babies|kiddo|warrior|"
        r"fighter|little (?:guy|girl|man|one|lady))\b",
    ),
    (
        "'s |’s ",
        r"(?<=\w)['’]s (?:knee|hip|shoulder|heart|liver|kidneys?|lungs?|brain|spine|leg|arm|hand|"
        r"foot|eye|bowel|appendix|crown|filling|wound|rash|scan|x-?ray|bloods|labs|bipap|cpap|"
        r"oxygen|meds|medication|dressings?|catheter|peg|prescription|treatment|care plan|walker|"
        r"wheelchair|pump|biopsy|results|chemo|surgery|op|bypass|diagnosis)\b",
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
        r"appointment|chart|consult(?:ation)?|history|mri|ct|scan|x-?ray|check(?:-?up)?|final fit|"
        r"results|medication|meds|prescription|surgery|session|treatment plan|bloods|"
        r"review (?:on|with)|\d+[- ]month check|"
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
_OWN_CONDITION_WORDS = (
    r"bypass|hip|knee|op|operation|surgery|procedure|chemo|dialysis|diagnosis|fall|MS|ACL|"
    r"cruciate|transplant|biopsy|results|scan|delivery|labou?r|baby"
)
_PERSON = (
    r"(?:guy|man|lady|woman|gentleman|gent|kid|boy|girl|toddler|teen|teenager|baby|bloke|fella|"
    r"chap|lad|lass|mum|mom|mam|dad|couple|family|patient|pt|client|resident|child|infant|"
    r"newborn|granny|grandad|grandma|grandpa|nan|person|student|worker|player|one)"
)

# Question one also hears allied-health, care-home and community words, the author's own acts of
# care, and repeat visits: "our client", "one of ours", "I cared for", "was in with chest pain".
_SUBJECT_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "client|resident|service user",
        r"\b(?:my|our|this|that|the|a|one|favou?rite|lovely|new)(?: [\w-]+){0,2} "
        r"(?:client|resident|service user)s?(?:['’]s?)?\b",
    ),
    ("client|resident", r"\b(?:client|resident)['’]s\b"),
    ("one of ours|one of my|one of our", rf"\bone of (?:ours|(?:my|our) (?:\w+ )?{_PERSON}s)\b"),
    (
        "cared for|looked after|took care of|nursed|treated|looking after|caring for",
        r"\b(?:I|we|team|I['’]ve|we['’]ve|who I|I have|we have) (?:\w+ )?(?:cared for|looked after|"
        r"took care of|nursed|treated|(?:been )?looking after|(?:been )?caring for)\b",
    ),
    (
        "i had|i saw|i met|i treated|i visited|we had|we saw|i nursed",
        rf"\b(?:I|we) (?:had|saw|met|treated|visited|nursed|scheduled|sectioned|diagnosed|"
        rf"assessed|stitched|intubated|delivered|caught|helped) (?:a|an|the|this|that|our|my|"
        rf"his|her|their|\d+)(?: [\w'’-]+){{0,2}} (?:{_PERSON}|\w+yo|\d+ ?yo)s?\b",
    ),
    (
        "i had|we had|had a",
        r"\b(?:I|we|just|had)(?: just)? (?:had|got) an? (?:[\w-]+ ){0,3}(?:in|on|through)\b"
        r"(?! (?:the|my|our) (?:diary|calendar|inbox|post))",
    ),
    ("as a patient", r"\bas (?:a|my|our) (?:patient|pt|client)\b"),
    (
        " in with | in about | in for | in earlier| in today| in yesterday| in again",
        r"\b(?:was|were|is|came|been|he['’]s|she['’]s|they['’]re)? ?in (?:with|about|for|earlier|"
        r"today|yesterday|again)\b(?= (?:a|an|his|her|their|chest|abdo|back|the|today|yesterday|"
        r"\w+ (?:pain|cut|fracture|injury)|[a-z]+ing\b))",
    ),
    (
        "took in|on scene|flown to|helicopter|lift assist|called to|transported|conveyed|rosc|"
        "the job at|home visit|visited the|visiting the",
        r"\b(?:we )?took (?:him|her|them|in)\b|\bon scene\b|\bflown to\b|\bhelicopter(?:ed)? out\b|"
        r"\blift assist\b|\bcalled (?:out )?to\b|\btransported\b|\bconveyed\b|\bROSC\b|"
        r"\b(?:do|did|doing|on) the job (?:at|in|on)\b|\b(?:a|my|the|this|that|arvo|morning) home "
        r"visit\b|\bhome visit (?:to|for|with|today|this|out)\b|\bvisit(?:ed|ing) the\b",
    ),
    (
        "session|therapy|physio|treatment|dressing|dress ",
        r"\b(?:session|sessions|therapy|physio|appointment|consult|treatment|dressings?) "
        r"(?:with|for) (?:me|us|a|an|the|this|that|her|him)\b|"
        r"\bdress (?:that|his|her|the) (?:leg )?(?:ulcer|wound|leg)\b",
    ),
    (
        "pray|thoughts|passed",
        r"\b(?:please )?(?:pray for|keep (?:\w+ ){1,6}in your (?:prayers|thoughts))\b|"
        r"\bprayers (?:requested|for)\b|\b(?:he|she|they) passed(?: away)?\b|\bpassed (?:this|"
        r"last|yesterday|today|away)\b",
    ),
    (
        "support worker|key worker|carer for|caregiver for|primary",
        r"\b(?:support|key) worker for\b|\b(?:carer|caregiver) for (?:a|an|the)\b|"
        r"\bbeen (?:her|his|their) primary\b",
    ),
    (
        "with us|born",
        r"\b(?:baby|babies|twins|triplets) (?:with us|born)\b|\bhad (?:their|her) \w+ baby\b|"
        r"\bborn (?:at|in|on) (?:home|\d)",
    ),
    (
        "prescription|script",
        r"\byour (?:prescription|script|meds|medication|results?) (?:is|are) (?:ready|in|back)\b",
    ),
    (
        "same |regular|time this|time in|time since|time today|visit this|visit in|visit since|"
        "visit today",
        r"\bthe same (?:[\w-]+ ){0,2}" + _PERSON + r"\b|\b(?:one of )?(?:our|the) regulars?\b|"
        r"\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth) (?:time|visit) (?:this|in a|"
        r"since|today)\b",
    ),
    (
        "no names|no patient|no details|won't name|wont name",
        r"\b(?:no names?|no patient (?:names|details|info\w*)|no details|won['’]?t name "
        r"(?:him|her|them))\b(?:[^.!?\n]{0,12}\bbut\b|[^.!?\n]{0,40}\))",
    ),
    (
        " i met| i had| i saw| i cared| i looked| i treated| i nursed| we had| we saw",
        rf"\b{_PERSON} (?:I|we) (?:met|had|saw|cared for|looked after|treated|nursed)\b",
    ),
    (
        "shot|jab|vaccin|injection|cannula|bloods|referral|referred",
        r"\b(?:gave|giving|did|doing|first) (?:my |a |an |the |his |her )?(?:first )?(?:flu )?"
        r"(?:shot|jab|vaccine|vaccination|injection|cannula|bloods|IV)\b|\bmade (?:a|the) "
        r"(?:\w+ )?referral\b|\breferred (?:him|her|them)\b",
    ),
    (
        "#digits|year-old|year old|yr old|yrs old|years old|yr-old",
        r"\b\d{1,3}[- ](?:year|yr)s?[- ]old (?:[\w-]+ )?[a-z]+ (?:with|who|in|from|came)\b",
    ),
    (
        " case",
        r"\b(?:interesting|teaching|great|wild|crazy|tough|sad|rare|weird|memorable|fascinating) "
        r"case\b(?! (?:for|study|studies|series|law|that))",
    ),
    (
        "worked with|working with|work with",
        r"\b(?:worked|working) with (?:a|an|the|this|that) (?:[\w-]+ ){0,2}[a-z]+"
        r"(?= (?:from|who|in|at|today|this|whose|with)\b)",
    ),
    (
        "back ",
        r"\bback (?:\w+ing|at work|on the (?:pitch|field|court|sidelines)) "
        r"(?:after|since|following) (?:his|her|their|the)\b",
    ),
    (
        " bypass| hip| knee| op| operation| surgery| procedure| chemo| dialysis| diagnosis| fall|"
        " ms| acl| cruciate| transplant| biopsy| results| scan| delivery| labo| baby",
        rf"\b(?:after|since|with|from|for|during|before) (?:his|her|their) (?:[\w-]+ )?"
        rf"(?:{_OWN_CONDITION_WORDS})\b",
    ),
    (
        "showed|came back|confirmed|revealed",
        r"\b(?:his|her|their) (?:[\w-]+ ){0,2}(?:biopsy|scan|results|bloods|x-?ray|mri|ct|tests?|"
        r"swab) (?:showed|came back|confirmed|revealed)\b",
    ),
    (
        "in his|in her|in their",
        r"\b(?:man|woman|guy|lady|bloke|fella|gentleman|gent|chap|patient|mum|mom|dad|mother|"
        r"father|client|resident) in (?:his|her|their) (?:early |late |mid-?)?\d0s\b",
    ),
    (
        "#digits|#case|F|M",
        r"(?-i:\b\d{1,3} ?(?:F|M)\b)(?=[,:;)]| (?:with|in|from|who|presenting|pt|patient|mom|mum|"
        r"dad|fall|fever|brought|came|c/o))",
    ),
    (
        "#digits|g1|g2|g3|g4|g5|g6|g7|g8|g9|g 1",
        r"\bG\d{1,2} ?P\d{1,2}\b",
    ),
    (
        "est job|est call|est case|est shout|est patient|est pt|st job|st call|st case|st shout|"
        "call from|call to",
        r"\b(?:weirdest|worst|best|strangest|last|first|funniest|saddest|toughest|hardest) "
        r"(?:job|call|case|shout|patient|pt|callout)\b|\b(?:a )?call (?:from|to) (?:last|this|"
        r"yesterday|today|the)\b",
    ),
    (
        "autopsy|post-mortem|post mortem|path case|obs case|peds case|paeds case",
        r"\b(?:autopsy|post-?mortem) (?:confirmed|showed|found|revealed)\b|\b(?:path|obs|peds|"
        r"paeds|ortho|derm|neuro|cardio) case\b",
    ),
    (
        "stitch|patch|dressed|splinted|cannulated|scanned|x-rayed|swabbed",
        r"\b(?:stitch(?:ed|ing)?|patch(?:ed|ing)?|splint(?:ed|ing)|cannulat(?:ed|ing)|"
        r"scann(?:ed|ing)|x-?ray(?:ed|ing)|swabb(?:ed|ing)) (?:up )?(?:a|an|the|this|that|him|her|"
        r"them|his|our|my)\b",
    ),
    (
        "participant",
        r"\b(?:participant|trial participant|subject) (?:#|no\.? ?|number )?\d+\b|"
        r"\bour (?:[\w-]+ )?participants?\b",
    ),
    (
        "went home|going home|gone home|she delivered|he delivered",
        r"\b(?:went|going|gone|sent) home (?:today|yesterday|tonight|this|last|on|after)\b|"
        r"\b(?:she|they) delivered\b",
    ),
    (
        "your prayers|your thoughts",
        r"\bkeep (?:in|them in|her in|him in) your (?:prayers|thoughts)\b",
    ),
    (
        "won't say|wont say|can't say|cant say|not saying",
        r"\b(?:won['’]?t|can['’]?t|not) say(?:ing)? (?:who|which|her name|his name)\b",
    ),
    (
        "diagnos|scheduled|sectioned",
        r"\b(?:diagnosed|scheduled|sectioned) (?:a|an|the|him|her|this|that|our|my)\b",
    ),
    (
        "is home|back on|home now|doing |is stable|home after",
        r"\b(?:is|are|she['’]s|he['’]s|they['’]re|both) (?:home|back on (?:her|his|their) feet|"
        r"(?:both )?doing (?:ok|okay|well|better|brilliantly|great|fine))\b|"
        r"\bhome (?:now|after (?:his|her|their))\b",
    ),
)


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
        pattern = LazyRegex("|".join(parts), re.I)
        gates.append(Gated(words, pattern, digits=digits, case=case))
    return tuple(gates)


_CUE_PATTERNS = _merged((*_CUE_SOURCES, *_SUBJECT_SOURCES))


def find_cue_spans(scan: Scan) -> list[tuple[int, int]]:
    """Spans of every patient-context phrase in the post, widened to whole words.

    Without `scan.all_details` the search stops at the first cue: question one only needs one,
    and the risk never depends on how many there are.
    """
    text = scan.text
    spans: list[tuple[int, int]] = []
    hits = scan.hits if ACCELERATED else None  # None: no automaton, ask each gate
    for gate in _CUE_PATTERNS:
        if spans and not scan.all_details:
            break
        if hits is not None and not gate.case and gate.key not in hits:
            continue
        if not gate.triggers_in(scan):
            continue
        for m in gate.pattern.finditer(text):
            start, end = m.span()
            if start == end:
                continue
            # Possessive cues match from the apostrophe; widen them to the whole word.
            while start and text[start - 1].isalnum():
                start -= 1
            while start < end and not text[start].isalnum():
                start += 1
            spans.append((start, end))
    return spans


_CONDITIONS = PhraseList(CONDITION_PATTERNS)
_OWNER_BEFORE = re.compile(
    r"\b(?:after|since|with|from|for|during|before|had|has) (?:his|her|their) (?:[\w-]+ )?$", re.I
)


def _own_condition_spans(scan: Scan) -> list[tuple[int, int]]:
    """'after his stroke', 'with her sepsis': a condition that belongs to one person."""
    spans = []
    text = scan.text
    for m in _CONDITIONS.finditer(scan):
        before = _OWNER_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if before:
            spans.append((before.start(), m.end()))
    return spans


def detect_cues(scan: Scan) -> Iterator[Candidate]:
    """Phrases that show the post is about a real patient ('my patient', 'today in the ER')."""
    scan.cue_spans = find_cue_spans(scan)
    if "his " in scan.lower or "her " in scan.lower or "their " in scan.lower:
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
