"""Unique characteristics: public roles, 'the only…', rare events, distinctive marks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.detectors.vocabulary import FIRST_PERSON_BEFORE
from privacy.scan import A, Candidate, Gated, Scan

_UNIQUE_STRONG = (
    re.compile(
        r"\b(?i:the|our|a|that|this|local|town['’]?s?|city['’]?s?|former|retired)\s+"
        r"(?:[\w'’-]+\s+){0,3}?"
        r"(?i:mayor|governor|senator|congress(?:wo)?man|councill?or|"
        r"council(?:wo)?man|(?-i:MP|MSP)|sheriff|judge|police chief|chief of police|fire chief|"
        r"head ?teacher|headmaster|headmistress|pastor|vicar|priest|rabbi|imam|bishop|"
        r"(?:news ?|morning |evening |breakfast |sports? |tv )?anchor(?:man|woman)?|newsreader|"
        r"newscaster|weather(?:man|woman|person|girl| presenter| forecaster)|celebrity|footballer|"
        r"quarterback|influencer|youtuber|reality (?:tv )?star|billionaire|(?-i:TD|MLA|MPP|MEP)|"
        r"(?:breakfast |radio |talk ?show |tv |morning )host|(?:radio )?DJ|news presenter|"
        r"contestant|(?:Love Island|Big Brother|X Factor|Bake Off|Bachelor(?:ette)?|Survivor|"
        r"Idol|Got Talent) (?:star|winner|finalist|contestant|guy|girl|lad|lass))"
        rf"(?:{A}s (?:son|daughter|wife|husband|partner|mother|mum|mom|father|dad|kid|child|"
        r"brother|sister|grandson|granddaughter|baby|nephew|niece))?\b"
    ),
    re.compile(
        r"\b(?:celebrity|famous|household name|A-lister|olympian|lottery winner|"
        r"war hero|holocaust survivor|world record holder)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:teacher|coach|pastor|principal|librarian|postman|postwoman|vicar|officer|goalkeeper|"
        r"goalie|keeper|striker|"
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
        r"\b(?:the|was|is) (?:first|last|oldest|youngest|tallest|heaviest) "
        r"(?!(?:minute|moment|time|day|week|night|year|shift|thing|bit|chance|resort|step|straw)\b)"
        r"(?:(?!(?:if|when|and|or|but|so|because|before|after)\b)[\w-]+ ){0,3}?"
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
        r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) of "
        r"(?:the |only )?(?:\d+|[a-z]+) known (?:[\w-]+ )?"
        r"(?:families|patients|people|cases|children)\b|"
        r"\bonly (?:\d+|a few|a handful of|two|three|four|five) known (?:[\w-]+ )?(?:families|"
        r"patients|people|cases)\b",
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
    Gated(t, p)
    for t, p in zip(
        (
            "mayor|governor|senator|congress|council|mp|msp|sheriff|judge|chief|teacher|headm|"
            "pastor|vicar|priest|rabbi|imam|bishop|anchor|newsreader|weather|celebrity|"
            "footballer|quarterback|influencer|youtuber|reality|billionaire|td|mla|mpp|mep|host|"
            "dj|presenter|contestant|love island|big brother|x factor|bake off|bachelor|survivor|"
            "idol|got talent",
            "celebrity|famous|household|a-lister|olympian|lottery|war hero|holocaust|world record",
            "teacher|coach|pastor|principal|librarian|post|vicar|officer|firefighter|cop|player|"
            "goal|keeper|striker|"
            "captain",
            "running for",
            "show|series|podcast|channel",
            "the only",
            "first|last|oldest|youngest|tallest|heaviest",
            "longest|oldest|youngest",
            "known",
            "uplets|conjoined|triplets",
            "own |born|delivered|gave birth",
        ),
        _UNIQUE_STRONG,
        strict=True,
    )
)
_UNIQUE_WEAK_GATES = tuple(
    Gated(t, p)
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


_SELF = re.compile(r"\b(?:I['’]m|I am|you['’]re|you are|we['’]re|we are|as an?)\b", re.I)


def _self_described(scan: Scan, pos: int) -> bool:
    """'I'm the only male midwife', 'you're … the only person who can fix the printer'."""
    text = scan.text
    if FIRST_PERSON_BEFORE.search(text, max(0, pos - 30), pos):
        return True
    start, _ = scan.sentence(pos)
    return bool(_SELF.search(text, start, pos))


def detect_unique(scan: Scan) -> Iterator[Candidate]:
    """Things that single one person out: public roles, 'the only…', rare events, tattoos."""
    for strong, gates in ((True, _UNIQUE_STRONG_GATES), (False, _UNIQUE_WEAK_GATES)):
        for gate in gates:
            for m in gate.finditer(scan):
                if _self_described(scan, m.start()):
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
