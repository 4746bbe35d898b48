"""Question one without a stock phrase: a particular person and their health in one sentence.

The cue lists know "my patient", "came in" and "I cared for". Many posts say it another way:
"our dialysis warrior Kev", "the lovely couple in the blue bungalow both have dementia", "Ellie
Chen who finished her chemo", "her wound is finally closing". A sentence that refers to one
particular person (a noun phrase with a person noun, a name, or his/her before a clinical word)
and says something about their health is about a person in care, unless the person is the
author's own family, a colleague, or everyone ("all parents", "if you").
"""

from __future__ import annotations

import re

from privacy.detectors.care_phrases import PERSON
from privacy.lexicon import FIRST_NAMES
from privacy.scan import LazyRegex, Scan, words

_HEALTH_WORDS = (
    r"(?:(?-i:ICU|NICU|PICU|HDU|CCU|SCBU|ED|A&E|ER)|detox|rehab|dialysis|chemo(?:therapy)?|"
    r"radiotherapy|methadone|insulin|surgery|operation|stitches|plaster cast|ventilator|"
    r"oxygen|wounds?|ulcers?|dementia|diabetes|asthma|pacemaker|transplant|palliative|hospice|"
    r"biopsy|bloods|blood results|prognosis|diagnos(?:is|ed)|admission|admitted|discharged|"
    r"pregnan(?:t|cy)|labou?r|miscarriage|overdose|stroke|seizures?|fracture[ds]?|broken|"
    r"infection|pneumonia|sepsis|cancer|tumou?r|heart attack|arrest|fell|falls?|injur(?:y|ies|ed)|"
    r"bleed(?:ing)?|burn(?:s|ed|t)?|scan|x-?ray|mri|cannula|catheter|drip|antibiotics|died|death|"
    r"dying|passed away|coma|ACL|ruptured?|torn|crutches|sprain(?:ed)?|dislocat(?:ed|ion)|"
    r"concussion|depression|psychosis|HbA1c|gashed|stitched|plaster|cast|leg|arm|hip|knee)"
)
_WORD = re.compile(r"[a-z0-9]+")
_HEALTH_GATE = words(
    """icu nicu picu hdu ccu scbu ed er detox rehab dialysis chemo chemotherapy radiotherapy
    methadone insulin surgery operation stitches cast ventilator oxygen wound wounds ulcer ulcers
    dementia diabetes asthma pacemaker transplant palliative hospice biopsy bloods blood prognosis
    diagnosis diagnosed admission admitted discharged pregnant pregnancy labour labor miscarriage
    overdose stroke seizure seizures fracture fractured fractures broken infection pneumonia sepsis
    cancer tumour tumor heart arrest fell fall falls injury injuries injured bleed bleeding burn
    burns burned burnt scan ray mri cannula catheter drip antibiotics died death dying passed coma
    acl rupture ruptured torn crutches sprain sprained dislocated dislocation concussion depression
    psychosis hba1c gashed stitched plaster leg arm hip knee hamstring allergy allergic
    ventilated pelvis ivf"""
)
"""One of these words must be in the post before the health regex runs (a set lookup)."""
_EXTRA_PERSON = (
    r"(?:regular|couple|warrior|fighter|mother|father|son|daughter|wife|husband|grandmother|"
    r"grandfather|neighbou?r|widow(?:er)?|veteran|pensioner|gentleman|chef|vicar|priest|"
    r"teenager|youngster|toddler|lady|gent|prop|striker|goalie|keeper|rower|runner|jockey|"
    r"boxer|nun|monk|priest|postie|postman|chef|landlord|landlady|publican|butcher|baker|"
    r"builder|plumber|electrician|mechanic|hairdresser|barber|cleaner|porter|warden|teacher|"
    r"headteacher|principal|councillor|singer|presenter|actor|actress|shearer|fisherman|"
    r"lifeguard|soldier|officer|firefighter|fireman)"
)
_PERSON_NOUNS = frozenset(
    word
    for source in (PERSON, _EXTRA_PERSON)
    for word in source.removeprefix("(?:").removesuffix(")").replace("(?:er)?", "|er").split("|")
    if word.isalpha() and word != "er"
) | {"neighbour", "neighbor", "widower"}
"""The person nouns as plain words, looked up per word (faster than one long alternation)."""
_PERSON_FORMS = _PERSON_NOUNS | {noun + "s" for noun in _PERSON_NOUNS}
_TOKEN = re.compile(r"[A-Za-z]+")
_AGENT = re.compile(r"[a-z]{3,}(?:er|ist|ian|man|woman)s?$")
_AGENT_WORD = re.compile(r"\b[a-z]{3,}(?:er|ist|ian|man|woman)s?\b")
_NOT_AGENTS = words(
    """other water paper number letter border corner counter shower folder container scanner
    trainer charger heater cooler dispenser locker printer computer poster sticker marker timer
    pager blister pointer cancer ulcer fever liver bladder shoulder finger after never ever
    however together over under river summer winter september october november december weather
    leather power tower flower dinner supper butter register answer matter chapter quarter master
    semester centre center theater theatre manner banner member hamster rather whether either
    neither further later earlier better bigger longer faster sooner proper paper wonder order
    layer cluster filter wrapper header footer cover cancer corridor rubber diaper nappy oyster
    pepper burger cider lager beer chamber chamber ventilator defibrillator oximeter thermometer
    catheter inhaler nebuliser nebulizer walker shower toaster freezer fryer blender sweater
    jumper slipper trouser finisher christian canadian australian indian italian asian woman man
    human german norman career barrier"""
)
"""Words ending like an agent noun that are objects, times or adjectives, not people."""
_STAFF = re.compile(
    r"(?:ologist|iatrist|ician|therapist|grapher|pharmacist|dentist|hygienist|anaesthetist|"
    r"anesthetist|manager|worker|carer|trainer|officer|volunteer|minister|member|leader|"
    r"speaker|presenter|teacher|lecturer|researcher|designer|developer|engineer|partner|"
    r"customer|caller|viewer|follower|reader|writer|blogger|influencer)s?$"
)
"""Agent nouns for staff and audiences: a sentence about them is not about a person in care."""
_MEDICAL_ENDINGS = tuple(
    words(
        """itis osis oma omas emia aemia ectomy otomy ostomy plasty oscopy algia pathy plegia rrhage
    rrhoea rhoea rrhea mab pril olol statin mycin cillin azole sartan formin oxacin exia phobia
    ectasis trophy"""
    )
)
"""Endings of medical words: conditions, procedures and drugs the word list does not name."""
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|our|my|your|their)(?: [\w'’-]+){0,3}? $", re.I
)
_OWN_KIN = re.compile(
    r"(?:my|our)(?: [\w'’-]+)? (?:mum|mom|mam|mother|dad|father|son|daughter|kids?|child|"
    r"children|baby|nan|nana|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|"
    r"husband|wife|partner|brother|sister|family|aunt|auntie|uncle|cousin|niece|nephew|"
    r"friend|boyfriend|girlfriend|fiancée?|twins)s?\b",
    re.I,
)
_POSSESSIVE_HEALTH = LazyRegex(rf"\b(?:his|her) (?:[\w-]+ )?{_HEALTH_WORDS}\b", re.I)
_OWN_FAMILY_IN_POST = re.compile(
    r"\b(?:my|our) (?:[\w'’-]+ )?(?:mum|mom|mam|mother|dad|father|son|daughter|kids?|child|nan|"
    r"nana|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|husband|wife|partner|"
    r"brother|sister|aunt|auntie|uncle|cousin|friend)\b",
    re.I,
)
_GENERAL = re.compile(
    r"\b(?:if (?:you|your)|are you|do you|every|all (?:the|you|our|parents|patients|mums|moms|"
    r"dads|families|carers)|any (?:patient|parent|one)|anyone|everyone|someone|those|people|"
    r"patients|parents|families|you can|you should)\b",
    re.I,
)
_COLLEAGUE_TALK = re.compile(
    r"\b(?:colleague|co-?worker|team ?mate|staff|manager|boss|consultant|registrar|matron|"
    r"retirement|retiring|retires|promot\w+|award|joins us|joined us|new role|course|exam|"
    r"degree|qualif\w*|"
    r"certif\w*|training|lecture|conference|graduat\w*)\b",
    re.I,
)
"""A sentence about a colleague's work or study, not a person's care (congratulations to a
patient on finishing chemo are not excluded)."""
_NOT_ONE_PATIENT = re.compile(f"{_COLLEAGUE_TALK.pattern}|{_GENERAL.pattern}", re.I)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-öø-ÿ]+\b")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|across)\s$")


def _name_in(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A listed first name inside the sentence, not its first word."""
    for m in _CAPITALISED.finditer(text, start + 1, end):
        if m.group().lower() in FIRST_NAMES and not _PLACE_BEFORE.search(
            text, max(0, m.start() - 8), m.start()
        ):
            return m.span()
    return None


def _is_person_word(word: str) -> bool:
    """A person noun from the lists, or an agent noun by its ending ('trucker', 'hiker')."""
    if word in _PERSON_FORMS:
        return True
    if not _AGENT.match(word) or word.rstrip("s") in _NOT_AGENTS:
        return False
    return not _STAFF.search(word)


def _health_in(said: set[str] | frozenset[str]) -> bool:
    """A health word from the list, or a medical word by its ending ('melanoma', 'metformin')."""
    if not _HEALTH_GATE.isdisjoint(said):
        return True
    return any(word.endswith(_MEDICAL_ENDINGS) for word in said if len(word) > 5)


def _person_in(scan: Scan, start: int, end: int, said: frozenset[str]) -> tuple[int, int] | None:
    """The person the sentence is about: a noun phrase, a name, or his/her before a health word.

    `said` is the sentence's words: each kind of reference is looked for only if its words occur.
    """
    text = scan.text
    if not _PERSON_FORMS.isdisjoint(said) or _AGENT_WORD.search(scan.lower, start, end):
        for noun in _TOKEN.finditer(text, start, end):
            if not _is_person_word(noun.group().lower()):
                continue
            lead = _DETERMINER_BEFORE.search(text, max(start, noun.start() - 40), noun.start())
            if lead and not _OWN_KIN.match(text, lead.start(), noun.end()):
                return lead.start(), noun.end()
    if not FIRST_NAMES.isdisjoint(said):
        name = _name_in(text, start, end)
        if name:
            return name
    if ("his" in said or "her" in said) and not _OWN_FAMILY_IN_POST.search(text):
        m = _POSSESSIVE_HEALTH.search(text, start, end)
        if m:
            return m.span()
    return None


def person_with_health_spans(scan: Scan) -> list[tuple[int, int]]:
    """Sentences that speak of one particular person and their health (see the module doc)."""
    if not _health_in(scan.words()):
        return []
    text, lower = scan.text, scan.lower
    spans: list[tuple[int, int]] = []
    for start, end in scan.sentences():
        said = frozenset(_WORD.findall(lower, start, end))
        if not _health_in(said):
            continue
        person = _person_in(scan, start, end, said)
        if person and not _NOT_ONE_PATIENT.search(text, start, end):
            spans.append(person)
            if not scan.all_details:
                break
    return spans


_ROLE = (
    r"(?:nurse|rn|lpn|cna|hca|np|gp|doctor|physician|surgeon|resident|registrar|paramedic|emt|"
    r"medic|ambo|midwife|midwifery|doula|physio|physiotherapist|ot|slp|speech therapist|rt|"
    r"respiratory therapist|dietitian|dietician|pharmacist|pharmacy|chemist|dentist|dental nurse|"
    r"dental|hygienist|radiographer|sonographer|radiology|chaplain|hospice|oncology|dermatology|"
    r"cardiology|psych|psychiatry|mental health nurse|counsell?or|therapist|social worker|carer|"
    r"care worker|support worker|district nurse|school nurse|health visitor|audiologist|"
    r"optician|optometrist|podiatrist|podiatry|phlebotomist|icu|nicu|picu|ed|er|a&e|peds|"
    r"paeds|urgent care|home care|district nursing|dialysis|neonatal nurse|icu nurse|ob|l&d|"
    r"labou?r and delivery|ambulance|community nurse)"
)
_ROLE_HEADER = re.compile(
    rf"^\W*(?:[\w&'’-]+ ){{0,2}}?{_ROLE}s?(?:\s+(?:life|here|story|stories|win|wins|diaries|"
    r"diary|reflections?|update|confession|problems|moment|rant|tales|thoughts|chronicles)\b|"
    r"\s*:)",
    re.I,
)
"""'RT life:', 'Social worker here.', 'Dermatology:': the author speaks from their care role."""


def role_framed_spans(scan: Scan) -> list[tuple[int, int]]:
    """A post opened from the author's care role ('EMT story:') that speaks of one particular
    person ('a cowboy at the Stampede') is about someone in their care."""
    header = _ROLE_HEADER.match(scan.text)
    if not header:
        return []
    text, lower = scan.text, scan.lower
    for start, end in scan.sentences():
        said = frozenset(_WORD.findall(lower, start, end))
        person = _person_in(scan, start, end, said)
        if person and not _NOT_ONE_PATIENT.search(text, start, end):
            return [person]
    return []
