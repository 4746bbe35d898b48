"""Photos, video, audio, screenshots and livestreams, and what a described image shows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from privacy.scan import A, Candidate, Gated, Scan

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


_MEDIA_GATE = Gated(
    "pic|photo|selfie|video|vid|audio|voice|record|footage|screen|boomerang|reel|tiktok|live|"
    "film|snap",
    _MEDIA,
)
_IMAGING_GATE = Gated("ray|scan|ultrasound|radiograph|ct|mri|ecg|ekg|cxr", _IMAGING)


_PICTURE_WORDS = re.compile(
    r"\b(?:photos?|pics?|pictures?|images?|videos?|clips?|selfies?|screenshots?|screen ?grabs?|"
    r"reels?|footage|flat ?lay|close-?up|closeup|mirror|camera|shot of|tower of|row of|stack of|"
    r"pile of|view of|shelf|counter|boomerang|tiktok|livestream|gif)\b",
    re.I,
)
_DESCRIPTION = re.compile(
    r"\[(?P<a>[^\[\]]{12,400})\]|\((?P<b>[^()]{0,30}?(?:photo|pic|picture|video|"
    r"clip|selfie|screenshot|image|reel|footage)\b[^()]{3,400})\)",
    re.I,
)
_RECORD_OBJECT = re.compile(
    r"\b(?:(?:white|census|tracking|assignment|patient|bed|status) ?boards?|boards?|charts?|MAR|"
    r"notes|labels?|labelled|labeled|wristbands?|(?:id|ID) bands?|bands?|cards?|envelopes?|"
    r"letters?|"
    r"prescriptions?|scripts?|med(?:ication)? lists?|blister packs?|baskets?|screens?|monitors?|"
    r"EHR|EMR|banner|portal|messages?|forms?|face ?sheets?|stickers?|bottles?|bags?|files?|"
    r"paperwork|records?|list|handover sheet|printout|x-?rays?|scans?|CT|MRI|"
    r"metadata|DICOM|lanyard)\b",
    re.I,
)
_IDENTIFYING_TEXT = (
    r"(?:(?:full |last |first |sur)?names?|surnames?|initials|dob|d\.o\.b|date of birth|"
    r"birth ?dates?|address(?:es)?|(?:room|bed|phone|record|nhs|mrn|id) numbers?|numbers|ages?|"
    r"dates?|mrns?|details|patient list|\d)"
)
_LEGIBLE = re.compile(
    r"\b(?:visible|readable|legible|in view|in shot|clear(?:ly)?|unblurred|uncovered|"
    r"(?:full |last |first |sur)?names?|initials|dob|d\.o\.b|date of birth|birth ?dates?|"
    r"(?:room|bed|phone|record|nhs|mrn) numbers?|mrns?)\b|"
    r"\b(?:showing|shows|reading|reads|says|saying|that says|labell?ed|with)\b"
    rf"(?:\W+\w+){{0,4}}?\W+{_IDENTIFYING_TEXT}\b|"
    r"\b(?:reads|reading|says|saying|labell?ed|printed|written|overlay|header|banner)\W{0,3}"
    r"[\"'‘“]",
    re.I,
)
"""Readable details: what a picture 'shows' only counts when it is a name, a number or a date."""
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]|(?<!\w)['‘][^'’]{2,}['’](?!\w)")
_PERSON_IN_FRAME = re.compile(
    r"\b(?:patients?|pts?|residents?|child|kid|toddler|baby|newborn|infant|player|client|"
    r"service user|family|man|woman|lady|gentleman|girl|boy|teen)\b"
    r"|\b(?:her|his|their) (?:face|voice|arm|leg|hand|body|hair|tattoo|wound|bandaged)\b"
    r"|(?<!for )(?<!to )(?<!from )(?:\bhim\b|\bher\b(?=\s*(?:$|[,;:.!)\]&+]|(?:and|with|at|"
    r"in|on|by|beside|outside|next|holding|after|before|leaving|walking|sitting|standing|"
    r"waving|smiling|ringing|wearing|cutting|blowing|hugging|back)\b)))"
    r"|\b(?:face|faces|voice|voices)\b(?= (?:visible|clear|in|and|showing|can|is|are|of))"
    r"|\bpeople\b(?= (?:in|on|at|waiting|sitting|visible))"
    r"|\b(?:on|of) (?:a|an|the|his|her|their) (?:[\w-]+ )?(?:forearm|arm|leg|hand|foot|chest|belly|"
    r"abdomen|back|shoulder|knee|wound|incision|ulcer)\b"
    r"|\b(?:close-?ups?|closeup|before(?:/| and | & )after|selfie|photo|picture) (?:shot )?of "
    r"(?:a |an |the |his |her |their )?(?:[\w-]+ ){0,2}(?:smile|teeth|mouth|lips|chin|face|cheek|"
    r"eyes?|nose|ears?|skin|scalp|bump|scar|tattoo|mole|birthmark)\b",
    re.I,
)
_NOTHING_SHOWN = re.compile(
    r"\b(?:wiped(?: clean)?|blank|empty|blurred|redacted|covered|no (?:patients?|people|residents?|"
    r"names?|labels?|faces?|one)|nobody|only (?:staff|me|the author)|staff only|"
    r"me and(?! (?:her|him|them|my patient|the patient))|"
    r"my own|model|manikin|training arm|practi[cs]e arm|turned off|switched off|schematic|diagram|"
    r"illustration|drawing|cartoon|infographic|not a (?:real )?patient|stock (?:photo|image)|"
    r"dental model|puppet|sock puppet|animation|phantom|test object|quality testing|mock-?up|"
    r"simulated|fake|sample data|dummy data)\b",
    re.I,
)
_PATIENT_DOCUMENT = re.compile(
    r"\b(?:(?:clinic|patient|theat(?:re|er)|ward|appointments?|handover|census|bed|triage|"
    r"surgical|op(?:erating)?|discharge|admissions?|day) (?:lists?|sheets?|boards?|books?|"
    r"diary|schedules?|summary|summaries)|wristbands?|(?:id|name) bands?|face ?sheets?|"
    r"referral letters?|prescription labels?|drug charts?|MAR charts?|obs charts?|"
    r"(?:his|her|their|patient['’]?s|resident['’]?s|client['’]?s) (?:chart|notes|file|records?|"
    r"prescription|label|letter|results))\b",
    re.I,
)
"""Documents that carry patient details by nature: a picture of one shows them unless hidden."""
_NEGATED_SHOWN = re.compile(
    r"\b(?:no|without|not showing|nothing|never) (?:\w+ )?(?:pts?|patients?|people|residents?|"
    r"clients?|names?|labels?|faces?|screens?|charts?|records?|ids?|identifiers?|identifying|"
    r"details|one|visible)\b",
    re.I,
)
_BUT_SHOWN = re.compile(r"\bbut\b[^.;]{0,60}\b(?:visible|readable|legible|clear|showing)\b", re.I)
_STAFF_ONLY = re.compile(r"\b(?:staff|coworkers?|colleagues?|team|crew|nurses|me|myself)\b", re.I)
_NO_PATIENTS = re.compile(
    r"\b(?:without|no|never|not) (?:involving |showing |show |including |include |any |ever |"
    r"have |feature )*(?:patients?|pts|"
    r"names?|faces?|residents?|clients?)\b",
    re.I,
)
_PROHIBITED_BEFORE = re.compile(
    r"\b(?:no|never|don['’]?t|do not|can['’]?t|cannot|not allowed to|shouldn['’]?t|should not|"
    r"must(?:n['’]?t| not)|avoid|without|ban(?:ned)? on|no more)"
    r"(?: (?:\w+ )?(?:post(?:ing)?|shar(?:e|ing)|tak(?:e|ing)|film(?:ing)?|record(?:ing)?|"
    r"upload(?:ing)?|put(?:ting)?|snap(?:ping)?|send(?:ing)?|us(?:e|ing)))?"
    r"(?: (?:a|an|any|the|your|those|these|patient|ward|unit|more))?\W*$",
    re.I,
)
"""'no pics', 'you can't post a selfie': a rule about pictures, not a picture being shared."""
_ASKING = re.compile(
    r"(?:^|[\s:])(?:is it|can (?:I|we|you)|could (?:I|we)|should (?:I|we)|am I|are we|may I) "
    r"(?:ever |really |actually )?(?:ok|okay|allowed|fine|legal|post|share|take|film|put|use)\b"
    r"[^.!\n]*\?",
    re.I,
)
"""'Is it ever OK to post a photo of an X-ray?': a question about pictures, not a picture."""
_AS_A_TOOL = re.compile(r"\b(?:with|using|via)\s$", re.I)
"""'label cupboards with pictures': pictures as a tool, not a picture of anyone being shared."""
_MEDIA_EXPLANATION = (
    "Photos, video, audio and screenshots of patients, their records or their surroundings need "
    "the patient's written consent and your employer's approval. Faces, wristbands, screens and "
    "voices in the background all identify."
)


def _shown(description: str) -> str:
    """What a described image shows: "record", "person" or "nothing" identifying.

    Quoted words are captions or speech, not objects in the frame ("did I chart that?"), and a
    negation says what is not there ("no pts or screens in frame").
    """
    seen = _QUOTED.sub(" ", description)
    blocked = bool(_NOTHING_SHOWN.search(seen) or _NEGATED_SHOWN.search(seen)) and not (
        _BUT_SHOWN.search(description)
    )
    if blocked:
        return "nothing"
    if _PATIENT_DOCUMENT.search(seen):
        return "record"
    if _RECORD_OBJECT.search(seen) and _LEGIBLE.search(description):
        return "record"
    return "person" if _PERSON_IN_FRAME.search(seen) else "nothing"


def detect_described_images(scan: Scan) -> Iterator[Candidate]:
    """A bracketed description of an attached picture: what it shows decides, not the word photo."""
    if "[" not in scan.text and "(" not in scan.text:
        return
    for m in _DESCRIPTION.finditer(scan.text):
        group = "a" if m.group("a") else "b"
        start, end = m.span(group)
        if not _PICTURE_WORDS.search(m.group(group)):
            continue  # "[Replying to a review]": a note on the context, not a picture
        shown = _shown(m.group(group))
        if shown == "nothing":
            explanation = (
                "The picture as described shows no patient, record or screen. Check the "
                "background again before posting."
            )
            yield Candidate("media", start, end, "low", "low", explanation, 1, 36, weight=0.0)
            continue
        what = "a record with readable details" if shown == "record" else "a patient"
        yield Candidate(
            "media",
            start,
            end,
            "high",
            "high",
            f"The attached picture shows {what}. {_MEDIA_EXPLANATION}",
            guideline=1,
            priority=75,
            weight=2.0,
        )


def _ruled_sentences(scan: Scan, spans: list[tuple[int, int]]) -> set[int]:
    """Starts of the sentences that forbid pictures ('no pics in the med room'): every media word
    in such a sentence is part of the rule."""
    ruled = set()
    for start, _ in spans:
        sentence_start, sentence_end = scan.sentence(start)
        if _PROHIBITED_BEFORE.search(
            scan.text, max(sentence_start, start - 40), start
        ) or _ASKING.search(scan.text, sentence_start, sentence_end):
            ruled.add(sentence_start)
    return ruled


def detect_media(scan: Scan) -> Iterator[Candidate]:
    """Photos, videos, audio, screenshots and livestreams that may show a patient or a record."""
    described = list(detect_described_images(scan))
    yield from described
    benign = [(c.start, c.end) for c in described if c.alone == "low"]
    # Every picture described shows nothing identifying: other media words refer to it.
    all_benign = bool(described) and len(benign) == len(described)
    spans = [m.span() for m in _MEDIA_GATE.finditer(scan)]
    for m in _IMAGING_GATE.finditer(scan):
        spans.append(m.span("img") if m.group("img") else m.span("img2"))
    ruled = _ruled_sentences(scan, spans)
    for start, end in spans:
        if any(s - 2 <= start and end <= e + 2 for s, e in benign):
            continue
        sentence = scan.sentence_text(start)
        clinical = bool(_CLINICAL_OBJECT.search(sentence)) and not _NO_PATIENTS.search(sentence)
        benign_here = all_benign or scan.sentence(start)[0] in ruled
        benign_here = benign_here or bool(_AS_A_TOOL.search(scan.text, max(0, start - 12), start))
        yield Candidate(
            "media",
            start,
            end,
            "medium" if clinical and not benign_here else "low",
            "low" if benign_here else "high",
            _MEDIA_EXPLANATION,
            guideline=1,
            priority=35,
        )
