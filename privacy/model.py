"""Result types of the privacy checker: frozen plain data that graders and the web app can keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RISK_LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
"""Ordered from safest to riskiest; a report's risk is one of these."""

UNKNOWN = "unknown"
"""The risk of a post the checker cannot read: it checks English only, so it never says "none"."""

REPORT_RISKS: tuple[str, ...] = (*RISK_LEVELS, UNKNOWN)
"""Every value a report's risk can take."""

SEVERITIES: tuple[str, ...] = ("low", "medium", "high")
"""A finding's own severity (a finding is never "none")."""

CATEGORIES: dict[str, str] = {
    "name": "a person's name or a titled name (Mr./Mrs./Ms.) that may belong to a patient",
    "relative": "a patient's relative named or described ('his daughter Rosa')",
    "geography": "a place smaller than a state: town, street, park, estate, postcode",
    "address": "a street address or address code that leads to one home",
    "facility": "a named hospital, clinic, care home, school or other building",
    "room": "a room, bed, bay, pod or unit that locates a patient",
    "date": "a date other than a bare year (day, month, holiday, date of birth)",
    "age-over-89": "an age of 90 or more",
    "phone": "a telephone number",
    "fax": "a fax number",
    "email": "an email address",
    "ssn": "a social security or national insurance number",
    "mrn": "a medical record, NHS or hospital number",
    "health-plan": "an insurance member, policy or beneficiary number",
    "account": "an account or bill number",
    "licence": "a driving licence, certificate, passport or other licence number",
    "vehicle": "a vehicle plate or identification number",
    "device": "a device serial number or identifier",
    "url": "a link or handle that points at a person (fundraiser, profile)",
    "ip": "an IP address",
    "media": "a photo, video, audio clip, screenshot or livestream that may show a patient",
    "unique-characteristic": "something that singles a person out ('the mayor's son')",
    "occupation": "the person's job or community role ('the postman in Dunmore East')",
    "condition": "a rare or notifiable condition or a rare accident ('rabies', 'shark bite')",
    "patient-context": "a phrase that shows the post is about a real patient",
}
"""The closed set of finding categories, with a one-line description each."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in the post that could help identify a patient, with its place in the text."""

    category: str
    start: int
    end: int
    text: str
    explanation: str
    guideline: int
    severity: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (severity is summarised by the report's risk)."""
        return {
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "explanation": self.explanation,
            "guideline": self.guideline,
        }


@dataclass(frozen=True, slots=True)
class PrivacyReport:
    """The verdict on one post: overall risk plus every finding in text order.

    `confidence` (0-1) says how sure the checker is of `risk`: low when only weak cues decide it
    or the text is not English. `language` is the detected language ("en", "und" when too short
    to tell, or another ISO 639 code); a post not in English has risk "unknown".
    `learned_note` says, in plain words, when the statistical check (privacy.learned) raised or
    lowered the rules' risk; the findings are always the rules' own spans.
    """

    risk: str
    findings: tuple[Finding, ...]
    confidence: float = 1.0
    language: str = "en"
    about_person: bool = False  # question one: about a specific person in the author's care
    frame: str | None = None  # why cues do not count as such a person (privacy.subject.FRAMES)
    learned_probability: float | None = None  # the statistical check's P(identifies), if asked
    learned_note: str | None = None  # set when that check raised or lowered the rules' risk

    @property
    def risky(self) -> bool:
        """True when the post should not be published as written (medium or high)."""
        return self.risk in ("medium", "high")

    @property
    def needs_review(self) -> bool:
        """Risky, or not checkable (not English): a person should look before it is posted."""
        return self.risky or self.risk == UNKNOWN

    def categories(self) -> tuple[str, ...]:
        """Distinct categories found, in first-seen order."""
        return tuple(dict.fromkeys(f.category for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form used by the CLI and the web API ("note" when the statistical
        check changed the risk)."""
        data: dict[str, Any] = {
            "risk": self.risk,
            "findings": [f.to_dict() for f in self.findings],
            "confidence": self.confidence,
            "language": self.language,
        }
        if self.learned_note:
            data["note"] = self.learned_note
        return data
