"""Question one: is this post about a specific person the author cared for?

The evidence is the patient-context cues ("my patient", "our client", "one of ours", "came in",
"third time this week", a bed number). Some framings say the person is not a real patient in the
author's care even when cues are present: a simulation manikin, a hypothetical, a post that
teaches or asks about privacy, the author's own care, public news, or a story with consent and
details changed. "No names, but…" is not such a framing: it announces a real person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from privacy.scan import Candidate, Gated, Scan

FRAMES: dict[str, str] = {
    "simulation": "a simulation manikin or training scenario, not a real person",
    "hypothetical": "a hypothetical or fictional case",
    "privacy-talk": "advice or a question about privacy itself",
    "own-care": "the author's own health care",
    "public-news": "public news that did not come from the author's care",
    "consented": "a story shared with consent and with details changed",
}
"""Framings that make a post with patient cues not about a real person in the author's care."""

_SIMULATION = re.compile(
    r"\b(?:manikins?|mannequins?|(?-i:Sim[A-Z]\w*)|sim ?labs?|simulations?|sim (?:day|session|"
    r"scenario|suite|centre|center)|in sim\b|task trainers?|training arm|practi[cs]e arm|"
    r"standardi[sz]ed patients?|actor patients?|moulage|CPR dummy|resus(?:ci)? ?annie)\b",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:hypothetical(?:ly)?|imagine (?:a|an|you|your|this)|let['’]s say|say you have|"
    r"(?:training|teaching|practice|sim|exam|osce) scenario|scenario:|fictional|fiction|"
    r"made[- ]up|invented|any resemblance|composite (?:of|case|patient|story|character)s?|"
    r"fictitious|"
    r"thought experiment|(?:characters?|names?|people|details) (?:are |were |have been )?"
    r"(?:invented|fictional|fictiti\w+|made up)|not (?:a )?real (?:patient|person|people|case)s?)"
    r"\b|(?-i:\bPOV)\s*:\s*(?:you|your)\b",
    re.I,
)
_PRIVACY_WORDS = re.compile(
    r"\b(?:HIPAA|GDPR|PHIPA|PIPEDA|confidential(?:ity)?|privacy|breach(?:es|ed)?|violations?|"
    r"de-?identif\w*|anonym\w*|identifiable|identifying|compliance|caldicott|data protection|"
    r"information governance|written consent|consent forms?|(?-i:IG)|(?:re-?)?identify (?:a|"
    r"the|anyone|someone|them|him|her|real|"
    r"patients?))\b",
    re.I,
)
_ADVICE = re.compile(
    r"\b(?:don['’]?t|do not|never|remember|reminder|tip|should (?:I|we|you)|how do (?:I|you|we)|"
    r"is (?:that|it|this) (?:a|ok|okay|allowed)|right\?|do I|report|training|rule|policy|"
    r"think before|before you post|what happened|to (?:every|all)|colleagues|fellow|checklist|"
    r"are not content|belongs? (?:in|with)|get recogni[sz]ed|higher bar|teaching|discuss|"
    r"examples?|slides?|why|can['’]?t post|not allowed|asking (?:bc|because|for)|does anyone|"
    r"anyone else|can you (?:check|look|review|tell))\b",
    re.I,
)
_OWN_CARE = re.compile(
    r"\b(?:my own (?:\w+ )?(?:admission|surgery|diagnosis|transfusion|labou?r|birth|"
    r"c-section|recovery|health|care|treatment|illness|cancer|op|stay)|"
    r"I was (?:admitted|diagnosed|discharged|induced|in hospital|a patient)|"
    r"when I was (?:a patient|admitted|in hospital|pregnant|sick)|as a patient myself|"
    r"my (?:surgery|admission|diagnosis|c-section|labou?r|transfusion|op|operation|"
    r"appendectomy|scan|chemo|recovery|treatment|stay|birth story|assessment|meds))\b|"
    r"\b(?:my|our) (?:son|daughter|baby|twins|kids?|grandson|granddaughter|children) "
    r"(?:was|were) born\b|"
    r"\bI (?:was|got|have been) diagnosed\b",
    re.I,
)
_PUBLIC_NEWS = re.compile(
    r"\b(?:not (?:at|in|from) my (?:hospital|unit|ward|clinic|trust|practice)|not my (?:patient|"
    r"hospital|pt)|(?:office|team|club|family) announced|announced (?:today|that|this)|"
    r"posted about (?:his|her|their) own|according to (?:the )?(?:news|reports)|"
    r"(?:made|went) public|public statement|announced (?:her|his|their)|on the cover of|"
    r"in (?:an|his|her|their) interview|"
    r"opened up about|(?:is|was|are) (?:talking|speaking) (?:openly )?about (?:his|her|their))\b",
    re.I,
)
_CONSENTED = re.compile(
    r"\b(?:(?:with|have|has|had|gave|given|got|their|his|her|full|signed) )"
    r"(?:[\w-]+(?:['’]s?)? ){0,2}?written (?:consent|permission)\b|"
    r"\b(?:consent|permission) (?:was )?(?:given )?in writing\b|"
    r"\bwritten (?:consent|permission) (?:was )?(?:given|obtained)\b",
    re.I,
)
_INVENTED = re.compile(
    r"\b(?:fiction(?:al)?|fictiti\w+|invented|made[- ]up|any resemblance|composite|"
    r"not (?:a )?real (?:patient|person|people|case)s?)\b",
    re.I,
)
"""Words that say the people in a story do not exist, so their names are not anyone's."""
_REFUSAL = re.compile(
    r"\b(?:can['’]?t|cannot|can not|won['’]?t|unable to|not able to|not allowed to) "
    r"(?:talk about|discuss|comment on|confirm(?: or deny)?|disclose|say) (?:any |individual |"
    r"specific )?(?:patients?|whether|if (?:I|you|they|someone|anyone)|who (?:is|was)|anyone)\b",
    re.I,
)
"""Refusing to say who was cared for ("I can't talk about any patients") is privacy talk."""
_QUOTE = r"(?:^|(?<=[\s:(]))[\"'‘“][^\"“”\n]{3,200}?[\"'’”]"
_QUOTED_EXAMPLE = re.compile(
    rf"{_QUOTE}\s*(?:is|are|isn['’]t|aren['’]t|=|counts|crosses|would be)\s*(?:not\b|fine|ok|"
    r"okay|allowed|a (?:breach|violation|no)|identifying|too much|still)|"
    rf"\b(?:never|don['’]?t|do not|avoid) (?:post|write|say|share|put)(?:ing)? (?:things |stuff "
    rf"|something )?(?:like )?{_QUOTE}",
    re.I,
)
"""A quoted example judged in advice: "'The 20yo in bed 4 who…' is not" [fine to post]."""
_FRAME_PATTERNS: tuple[tuple[str, Gated], ...] = (
    (
        "simulation",
        Gated(
            "manikin|mannequin|sim|training arm|practi|standardi|actor patient|moulage|dummy|annie",
            _SIMULATION,
        ),
    ),
    (
        "hypothetical",
        Gated(
            "hypothetical|imagine|let's|let’s|say you|scenario|fiction|made up|made-up|"
            "resemblance|composite|thought experiment|invented|not a real|not real|pov",
            _HYPOTHETICAL,
        ),
    ),
    ("consented", Gated("written|in writing", _CONSENTED)),
    (
        "public-news",
        Gated(
            "not at my|not in my|not from my|not my|announced|posted about|according to|"
            "made public|went public|public statement|cover of|interview|opened up|talking about|"
            "speaking about|speaking openly",
            _PUBLIC_NEWS,
        ),
    ),
    (
        "own-care",
        Gated(
            "my own|i was |when i was|myself|my surgery|my admission|my diagnosis|my c-section|"
            "my labo|my transfusion|my op|my appendectomy|my scan|my chemo|my recovery|"
            "my treatment|my stay|my birth|my assessment|my meds|born|diagnosed",
            _OWN_CARE,
        ),
    ),
)
_PRIVACY_GATE = Gated(
    "hipaa|gdpr|phipa|pipeda|confidential|privacy|breach|violation|identif|anonym|compliance|"
    "caldicott|data protection|information governance|written consent|consent form|ig ",
    _PRIVACY_WORDS,
)


_QUOTE_GATE = Gated(
    "' is|’ is|” is|\" is|' are|’ are|” are|\" are|' isn|’ isn|” isn|\" isn|' aren|’ aren|=|"
    "' counts|’ counts|' crosses|’ crosses|' would|’ would|never post|never writ|never say|"
    "never shar|never put|don't post|don’t post|dont post|do not post|avoid post|don't writ|"
    "don’t writ|don't say|don’t say|don't shar|don’t shar|don't put|don’t put",
    _QUOTED_EXAMPLE,
)
_REFUSAL_GATE = Gated(
    "can't|cant|can’t|cannot|can not|won't|won’t|unable to|not able to|not allowed", _REFUSAL
)


@dataclass(frozen=True, slots=True)
class Subject:
    """The answer to question one, with the evidence that decided it."""

    specific: bool  # a real person in the author's care is being described
    cues: int  # how many patient-context cues (and rooms) the post holds
    frame: str | None = None  # one of FRAMES when a framing says it is not such a person
    names_cleared: bool = False  # names are invented (fiction) or shared with written consent

    @property
    def framed(self) -> bool:
        """Cues are present but a framing says the person is not a real patient of the author."""
        return self.frame is not None


def find_frame(scan: Scan) -> str | None:
    """The framing that takes the post out of 'a real person in my care', if any."""
    text = scan.text
    for name, gate in _FRAME_PATTERNS:
        if gate.triggers_in(scan) and gate.pattern.search(text):
            return name
    if _PRIVACY_GATE.triggers_in(scan) and _PRIVACY_WORDS.search(text) and _ADVICE.search(text):
        return "privacy-talk"
    if _QUOTE_GATE.triggers_in(scan) and _QUOTED_EXAMPLE.search(text):
        return "privacy-talk"
    if not scan.cue_spans and _REFUSAL_GATE.triggers_in(scan) and _REFUSAL.search(text):
        return "privacy-talk"
    return None


def ask_subject(scan: Scan, candidates: list[Candidate]) -> Subject:
    """Question one: count the cues, then check for a framing that cancels them.

    The framing is looked for even without cues: a post about the author's own diagnosis, or
    public news, keeps its dates and photos at low too.
    """
    cues = len(scan.cue_spans) + sum(1 for c in candidates if c.is_cue and c.category == "room")
    frame = find_frame(scan) if cues or candidates else None
    invented = frame == "hypothetical" and bool(_INVENTED.search(scan.text))
    cleared = frame == "consented" or invented
    return Subject(
        specific=bool(cues) and frame is None, cues=cues, frame=frame, names_cleared=cleared
    )
