"""rewrite_hint: turn a report into one plain-language paragraph on how to make the post safe."""

from __future__ import annotations

from privacy.model import UNKNOWN, PrivacyReport

_ADVICE: dict[str, str] = {
    "name": "take out names, initials and titles such as {examples}",
    "relative": "leave out the family members you named ({examples})",
    "phone": "remove the phone number{s} ({examples})",
    "fax": "remove the fax number{s} ({examples})",
    "email": "remove the email address{es} ({examples})",
    "ssn": "remove the social security or national insurance number",
    "mrn": "remove the record or NHS number",
    "health-plan": "remove the insurance member or policy number",
    "account": "remove the account or bill number",
    "licence": "remove the licence or certificate number",
    "vehicle": "remove the number plate",
    "device": "remove the device serial number",
    "ip": "remove the IP address and crop any system screenshot",
    "url": "drop the link or handle that leads to the person ({examples})",
    "room": "drop room, bed and bay numbers ({examples})",
    "facility": "do not name the hospital, care home or school ({examples})",
    "geography": "leave out towns, streets and landmarks ({examples})",
    "address": "remove the address ({examples})",
    "occupation": "leave out the person's job or role ({examples})",
    "condition": "leave out the rare condition or accident ({examples})",
    "date": "leave out dates and holidays tied to the case ({examples})",
    "age-over-89": "write '90+' or drop the age",
    "unique-characteristic": "remove details that fit only a few people ({examples})",
    "media": "do not post photos, video or audio of patients, their records or surroundings "
    "without written consent and your employer's approval",
}
_ORDER = tuple(_ADVICE)


def _examples(report: PrivacyReport, category: str) -> tuple[str, int]:
    texts = list(dict.fromkeys(f.text for f in report.findings if f.category == category))
    quoted = ", ".join(f"'{t}'" for t in texts[:2])
    return quoted, len(texts)


def rewrite_hint(report: PrivacyReport) -> str:
    """One paragraph a clinician can act on: what to cut, then how to keep the lesson."""
    if report.risk == UNKNOWN:
        return (
            "This post does not look like English, and the checker reads English only, so it "
            "could not check it: it is NOT rated safe. Check it yourself for names, places, dates, "
            "numbers, photos and anything else that could point to a patient."
        )
    if report.risk == "none":
        return (
            "Nothing in this post points to a patient. Before posting, still check any photo for "
            "faces, screens, wristbands and paperwork in the background."
        )
    present = set(report.categories())
    steps: list[str] = []
    for category in _ORDER:
        if category not in present:
            continue
        examples, count = _examples(report, category)
        plural = count > 1
        steps.append(
            _ADVICE[category].format(
                examples=examples, s="s" if plural else "", es="es" if plural else ""
            )
        )
    if report.risk == "low":
        opening = "Nothing here identifies a patient on its own, but stay alert:"
        if not steps:
            steps.append("keep any patient story general")
    else:
        opening = "To make this post safe to share,"
    body = "; ".join(steps)
    closing = (
        " Keep the lesson and lose the person: share the general point (for example, 'falls are "
        "common after hip surgery') rather than one patient's story, and wait a while before "
        "writing about any shift so it cannot be matched to a real day."
    )
    if "patient-context" in present and report.risk != "low":
        closing = (
            " Then remove the signs that this is a real patient you cared for ('my patient', "
            "'today in the ER')." + closing
        )
    hint = f"{opening} {body}.{closing}"
    note = getattr(report, "learned_note", None)  # the learned layer changed the rules' risk
    return f"{note} {hint}" if note else hint
