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
    r"paperwork|records?|list|handover sheet|printout|x-?rays?|scans?)\b",
    re.I,
)
_LEGIBLE = re.compile(
    r"\b(?:visible|readable|legible|reading|reads|showing|shows|in view|in shot|clear|clearly|"
    r"says|saying|that says|labelled|labeled|with (?:his|her|their|the|a|patient['’]s|"
    r"resident['’]s) (?:full )?(?:name|photo|dob|date of birth|address|number|initials)|"
    r"(?:names?|surnames?|dob|birth ?date|room numbers?|ages?)\b)|[\"'‘“][^\"'’”]{3,}[\"'’”]",
    re.I,
)
_PERSON_IN_FRAME = re.compile(
    r"\b(?:patients?|pts?|residents?|child|kid|toddler|baby|newborn|infant|player|client|"
    r"service user|family|man|woman|lady|gentleman|girl|boy|teen)\b"
    r"|\b(?:her|his|their) (?:face|voice|arm|leg|hand|body|hair|tattoo|wound|bandaged)\b"
    r"|\b(?:face|faces|voice|voices)\b(?= (?:visible|clear|in|and|showing|can|is|are))"
    r"|\b(?:on|of) (?:a|an|the|his|her|their) (?:[\w-]+ )?(?:forearm|arm|leg|hand|foot|chest|belly|"
    r"abdomen|back|shoulder|knee|wound|incision|ulcer)\b",
    re.I,
)
_NOTHING_SHOWN = re.compile(
    r"\b(?:wiped(?: clean)?|blank|empty|blurred|redacted|covered|no (?:patients?|people|residents?|"
    r"names?|labels?|faces?|one)|nobody|only (?:staff|me|the author)|staff only|me and|"
    r"my own|model|manikin|training arm|practi[cs]e arm|turned off|switched off|schematic|diagram|"
    r"illustration|drawing|cartoon|infographic|not a (?:real )?patient|stock (?:photo|image)|"
    r"dental model|puppet|sock puppet|animation|phantom|test object|quality testing|mock-?up|"
    r"simulated|fake|sample data|dummy data)\b",
    re.I,
)
_BUT_SHOWN = re.compile(r"\bbut\b[^.;]{0,60}\b(?:visible|readable|legible|clear|showing)\b", re.I)
_STAFF_ONLY = re.compile(r"\b(?:staff|coworkers?|colleagues?|team|crew|nurses|me|myself)\b", re.I)
_NO_PATIENTS = re.compile(
    r"\b(?:without|no|never|not) (?:involving |showing |including |any |ever )*(?:patients?|pts|"
    r"names?|faces?|residents?|clients?)\b",
    re.I,
)
_MEDIA_EXPLANATION = (
    "Photos, video, audio and screenshots of patients, their records or their surroundings need "
    "the patient's written consent and your employer's approval. Faces, wristbands, screens and "
    "voices in the background all identify."
)


def _shown(description: str) -> str:
    """What a described image shows: "record", "person" or "nothing" identifying."""
    blocked = bool(_NOTHING_SHOWN.search(description)) and not _BUT_SHOWN.search(description)
    if _RECORD_OBJECT.search(description) and _LEGIBLE.search(description) and not blocked:
        return "record"
    person = _PERSON_IN_FRAME.search(description)
    if person and not blocked:
        return "person"
    if person and _BUT_SHOWN.search(description):
        return "person"
    return "nothing"


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
    for start, end in spans:
        if any(s - 2 <= start and end <= e + 2 for s, e in benign):
            continue
        sentence = scan.sentence_text(start)
        clinical = bool(_CLINICAL_OBJECT.search(sentence)) and not _NO_PATIENTS.search(sentence)
        yield Candidate(
            "media",
            start,
            end,
            "medium" if clinical and not all_benign else "low",
            "low" if all_benign else "high",
            _MEDIA_EXPLANATION,
            guideline=1,
            priority=35,
        )
