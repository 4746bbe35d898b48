"""The one vocabulary of PostRx: guidelines, risks, benefits, professions and the course slug.

Defined once here (DESIGN.md principle 10) and imported by every layer, so a lesson, a quiz
result, a report and a form can never word guideline 2 three different ways. Plain frozen data
and pure functions: no Flask, no SQLAlchemy, no I/O, safe to import from the core packages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "BENEFITS",
    "COURSE_SLUG",
    "GUIDELINES",
    "MODULE_AUDIENCES",
    "PROFESSIONS",
    "RISKS",
    "SCENARIO_PROFESSIONS",
    "Benefit",
    "Guideline",
    "Profession",
    "Risk",
    "ScenarioProfession",
    "audience_label",
    "guideline",
    "guideline_name",
    "guideline_wording",
    "normalise_profession",
    "profession_label",
    "risk_label",
    "scenario_profession_label",
]

#: The one course PostRx ships: content folder, bank folder, enrollments and records all use it.
COURSE_SLUG = "social-media-for-hcps"


@dataclass(frozen=True, slots=True)
class Guideline:
    """One of the seven guidelines; rubrics, scenarios and lessons refer to it by number."""

    number: int
    name: str  # short, for charts, report tables and tags
    wording: str  # the guideline in full, for pages and forms

    @property
    def label(self) -> str:
        """Number and wording, e.g. ``"2. Keep strict confidentiality: …"`` (form choices)."""
        return f"{self.number}. {self.wording}"


@dataclass(frozen=True, slots=True)
class Risk:
    """One of the four risks the course teaches; lessons and scenarios tag themselves by slug."""

    slug: str
    label: str


@dataclass(frozen=True, slots=True)
class Benefit:
    """One of the four benefits of professional social media; lessons tag themselves by slug."""

    slug: str
    label: str


@dataclass(frozen=True, slots=True)
class Profession:
    """A learner's profession: stored on the account, it decides which credit a certificate shows.

    `synonyms` are what people type in a roster or a form ("RN", "physio") and mean this one.
    """

    value: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScenarioProfession:
    """Whose shoes a scenario puts the learner in; `profession` is the learner profession it
    belongs to (None for ``any``: the scenario is written for every profession)."""

    value: str
    label: str
    profession: str | None


GUIDELINES: tuple[Guideline, ...] = (
    Guideline(1, "Consent", "Get consent before sharing any patient information"),
    Guideline(2, "Confidentiality", "Keep strict confidentiality: do not discuss specific cases"),
    Guideline(3, "Accuracy", "Check that information is accurate and reliable before you share it"),
    Guideline(
        4, "Separate accounts", "Keep personal and professional accounts and boundaries separate"
    ),
    Guideline(5, "Reputation", "Mind the effect of your posts on your professional reputation"),
    Guideline(6, "Respectful communication", "Communicate respectfully and professionally"),
    Guideline(7, "Legal and ethical rules", "Know the legal and ethical rules where you practise"),
)

RISKS: tuple[Risk, ...] = (
    Risk("privacy", "Privacy and confidentiality"),
    Risk("information-quality", "Quality and reliability of information"),
    Risk("boundaries", "Professional boundaries"),
    Risk("legal-ethical", "Legal and ethical considerations"),
)

BENEFITS: tuple[Benefit, ...] = (
    Benefit("networking", "Networking and collaboration"),
    Benefit("patient-education", "Patient education and engagement"),
    Benefit("professional-development", "Professional development and continuing education"),
    Benefit("public-health", "Health promotion and public health"),
)

# The stored values (user.profession) never change: renaming one would need a data migration.
PROFESSIONS: tuple[Profession, ...] = (
    Profession(
        "nurse",
        "Nurse",
        ("rn", "registered nurse", "lpn", "lvn", "np", "nurse practitioner", "aprn", "nursing"),
    ),
    Profession(
        "physician",
        "Physician",
        ("doctor", "md", "do", "mbbs", "gp", "general practitioner", "surgeon", "resident"),
    ),
    Profession("pharmacist", "Pharmacist", ("pharmacy", "pharmd", "rph", "mpharm")),
    Profession(
        "allied_health",
        "Allied health professional",
        (
            "allied health",
            "ahp",
            "physio",
            "physiotherapist",
            "physical therapist",
            "pt",
            "occupational therapist",
            "ot",
            "speech and language therapist",
            "speech therapist",
            "slt",
            "radiographer",
            "respiratory therapist",
            "dietician",
            "podiatrist",
        ),
    ),
    Profession("student", "Student", ("trainee", "student nurse", "medical student")),
    Profession("other", "Other healthcare professional", ("counselor",)),
)

# Scenario tags are finer than learner professions: a dentist's scenario counts for "other".
# Midwives sit with nurses (one regulator in the UK, nursing contact hours in the US).
SCENARIO_PROFESSIONS: tuple[ScenarioProfession, ...] = (
    ScenarioProfession("nurse", "Nurse", "nurse"),
    ScenarioProfession("physician", "Physician", "physician"),
    ScenarioProfession("pharmacist", "Pharmacist", "pharmacist"),
    ScenarioProfession("therapist", "Therapist", "allied_health"),
    ScenarioProfession("dentist", "Dentist", "other"),
    ScenarioProfession("paramedic", "Paramedic", "allied_health"),
    ScenarioProfession("midwife", "Midwife", "nurse"),
    ScenarioProfession("dietitian", "Dietitian", "allied_health"),
    ScenarioProfession("counsellor", "Counsellor", "other"),
    ScenarioProfession("student", "Student", "student"),
    ScenarioProfession("any", "Any role", None),
)

#: Course `audience:` values (kebab-case, as educators write them) -> learner profession.
MODULE_AUDIENCES: Mapping[str, str] = MappingProxyType(
    {
        "nurse": "nurse",
        "physician": "physician",
        "pharmacist": "pharmacist",
        "allied-health": "allied_health",
        "student": "student",
    }
)

_GUIDELINES = {g.number: g for g in GUIDELINES}
_RISK_LABELS = {r.slug: r.label for r in RISKS}
_PROFESSION_LABELS = {p.value: p.label for p in PROFESSIONS}
_SCENARIO_LABELS = {p.value: p.label for p in SCENARIO_PROFESSIONS}


def guideline(number: int) -> Guideline:
    """The guideline numbered `number`; KeyError names the number when there is none."""
    try:
        return _GUIDELINES[number]
    except KeyError:
        raise KeyError(f"no guideline {number!r} (guidelines are 1-{len(GUIDELINES)})") from None


def guideline_name(number: int) -> str:
    """Short name (e.g. "Consent") for charts and tables; "" for an unknown number, so a stored
    result that names one still renders."""
    found = _GUIDELINES.get(number)
    return found.name if found else ""


def guideline_wording(number: int) -> str:
    """The guideline in full; "" for an unknown number (see guideline_name)."""
    found = _GUIDELINES.get(number)
    return found.wording if found else ""


def risk_label(slug: str) -> str:
    """Display label of a risk slug; the slug itself when unknown."""
    return _RISK_LABELS.get(slug, slug)


def profession_label(value: str) -> str:
    """Display label of a stored learner profession; the value itself when unknown (a value
    written by an older release still shows as stored rather than failing a page)."""
    return _PROFESSION_LABELS.get(value, value)


def scenario_profession_label(value: str) -> str:
    """Display label of a scenario's profession tag; the tag itself when unknown."""
    return _SCENARIO_LABELS.get(value, value)


def audience_label(value: str) -> str:
    """Display label of a course `audience:` value, via the learner profession it stands for."""
    return profession_label(MODULE_AUDIENCES.get(value, value))


def _key(text: str) -> str:
    """Case, dots, dashes, underscores and extra spaces do not matter: "R.N." == "rn"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold().replace(".", "")).split())


def _synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for p in PROFESSIONS:
        for word in (p.value, p.label, *p.synonyms):
            table[_key(word)] = p.value
    for s in SCENARIO_PROFESSIONS:
        if s.profession is not None:
            for word in (s.value, s.label):
                table.setdefault(_key(word), s.profession)
    for audience, value in MODULE_AUDIENCES.items():
        table.setdefault(_key(audience), value)
    return table


_SYNONYMS = _synonym_table()


def normalise_profession(text: str) -> str | None:
    """The learner profession value `text` means ("RN" -> "nurse", "physio" -> "allied_health",
    "Allied-Health" -> "allied_health"), or None when it names none of them."""
    return _SYNONYMS.get(_key(text))
