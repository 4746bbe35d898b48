"""One vocabulary (DESIGN.md principle 10): every stored value is in `vocab`, and the guideline
wording lives there and nowhere else."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import quizzes
import vocab
from app.models import Profession, User
from modules import load_course
from modules.catalog import AUDIENCES, default_content_root

ROOT = Path(__file__).resolve().parents[1]
BANK = quizzes.load_bank(quizzes.default_bank_root())
COURSE = load_course(default_content_root() / vocab.COURSE_SLUG)

LEARNER_VALUES = {p.value for p in vocab.PROFESSIONS}
SCENARIO_VALUES = {p.value for p in vocab.SCENARIO_PROFESSIONS}
GUIDELINE_NUMBERS = {g.number for g in vocab.GUIDELINES}
RISK_SLUGS = {r.slug for r in vocab.RISKS}
BENEFIT_SLUGS = {b.slug for b in vocab.BENEFITS}

# A phrase of each guideline unlikely to be written any other way: if one turns up in code,
# someone has copied the wording instead of importing it.
DISTINCTIVE = {
    1: "consent before sharing",
    2: "strict confidentiality",
    3: "accurate and reliable",
    4: "personal and professional accounts",
    5: "professional reputation",
    6: "respectfully and professionally",
    7: "legal and ethical rules",
}
# Educators' Markdown keeps a copy of the table for readers; those copies are checked word for
# word against the vocabulary below instead.
GUIDELINE_TABLES = (
    ROOT / "docs" / "authoring.md",
    default_content_root() / vocab.COURSE_SLUG / "05-seven-guidelines" / "00-overview.md",
)
SCANNED = {".py", ".html", ".js", ".txt", ".md", ".toml", ".cfg", ".sh"}
# Not code: tests, educators' content (lessons and the scenario bank discuss the guidelines in
# their own words), build and runtime output.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "__pycache__",
    "instance",
    "node_modules",
    "tests",
    "vocab",
    "postrx.egg-info",
    "content",
    "bank",
}


# --------------------------------------------------------------------------- the vocabulary itself


def test_guidelines_are_numbered_one_to_seven_in_order() -> None:
    assert [g.number for g in vocab.GUIDELINES] == list(range(1, 8))
    for g in vocab.GUIDELINES:
        assert vocab.guideline(g.number) is g
        assert vocab.guideline_name(g.number) == g.name
        assert vocab.guideline_wording(g.number) == g.wording
        assert g.label == f"{g.number}. {g.wording}"


def test_an_unknown_guideline_is_a_key_error_but_renders_as_empty() -> None:
    with pytest.raises(KeyError, match="no guideline 8"):
        vocab.guideline(8)
    assert vocab.guideline_name(8) == vocab.guideline_wording(8) == ""


def test_each_distinctive_phrase_belongs_to_its_own_guideline_only() -> None:
    for number, phrase in DISTINCTIVE.items():
        owners = [g.number for g in vocab.GUIDELINES if phrase in g.wording.casefold()]
        assert owners == [number], phrase


def test_slugs_and_values_are_unique() -> None:
    for items in (vocab.RISKS, vocab.BENEFITS):
        slugs = [item.slug for item in items]
        assert len(slugs) == len(set(slugs))
    for professions in (vocab.PROFESSIONS, vocab.SCENARIO_PROFESSIONS):
        values = [p.value for p in professions]
        assert len(values) == len(set(values))


def test_every_scenario_profession_belongs_to_a_learner_profession_except_any() -> None:
    assert [p.value for p in vocab.SCENARIO_PROFESSIONS] == [
        "nurse",
        "physician",
        "pharmacist",
        "therapist",
        "dentist",
        "paramedic",
        "midwife",
        "dietitian",
        "counsellor",
        "student",
        "any",
    ]
    for p in vocab.SCENARIO_PROFESSIONS:
        if p.value == "any":
            assert p.profession is None
        else:
            assert p.profession in LEARNER_VALUES, p
    belongs = {p.value: p.profession for p in vocab.SCENARIO_PROFESSIONS}
    assert belongs["therapist"] == "allied_health"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("RN", "nurse"),
        ("R.N.", "nurse"),
        ("Registered Nurse", "nurse"),
        ("doctor", "physician"),
        ("PharmD", "pharmacist"),
        ("allied-health", "allied_health"),
        ("allied_health", "allied_health"),
        ("Allied health professional", "allied_health"),
        ("physio", "allied_health"),
        ("therapist", "allied_health"),
        ("Paramedic", "allied_health"),
        ("midwife", "nurse"),
        ("dentist", "other"),
        ("  Student ", "student"),
        ("other", "other"),
    ],
)
def test_normalise_profession_understands_what_people_type(typed: str, value: str) -> None:
    assert vocab.normalise_profession(typed) == value


def test_normalise_profession_refuses_what_names_no_profession() -> None:
    assert vocab.normalise_profession("wizard") is None
    assert vocab.normalise_profession("any") is None  # a scenario tag, not anyone's profession
    assert vocab.normalise_profession("") is None


def test_no_synonym_means_two_professions() -> None:
    for p in vocab.PROFESSIONS:
        for word in (p.value, p.label, *p.synonyms):
            assert vocab.normalise_profession(word) == p.value, word
    for s in vocab.SCENARIO_PROFESSIONS:
        if s.profession is not None:
            assert vocab.normalise_profession(s.value) == s.profession, s.value


def test_labels_fall_back_to_the_stored_value() -> None:
    assert vocab.profession_label("allied_health") == "Allied health professional"
    assert vocab.profession_label("retired-value") == "retired-value"
    assert vocab.scenario_profession_label("any") == "Any role"
    assert vocab.risk_label("privacy") == "Privacy and confidentiality"
    assert vocab.audience_label("allied-health") == "Allied health professional"


# --------------------------------------------------------------------------- stored values


def test_the_profession_enum_is_exactly_the_vocabulary() -> None:
    assert [p.value for p in Profession] == [p.value for p in vocab.PROFESSIONS]
    assert [p.value for p in Profession] == [
        "nurse",
        "physician",
        "pharmacist",
        "allied_health",
        "student",
        "other",
    ]  # stored in user.profession: changing one needs a data migration
    for member in Profession:
        assert member.label == vocab.profession_label(member.value)


def test_every_bundled_scenario_uses_the_vocabulary() -> None:
    assert BANK.scenarios
    for scenario in BANK.scenarios.values():
        assert scenario.profession in SCENARIO_VALUES, scenario.id
        assert set(scenario.guidelines) <= GUIDELINE_NUMBERS, scenario.id
        assert set(scenario.risks) <= RISK_SLUGS, scenario.id


def test_every_bundled_rubric_criterion_measures_known_guidelines() -> None:
    for rubric in BANK.rubrics.values():
        for criterion in rubric.criteria:
            assert set(criterion.guidelines) <= GUIDELINE_NUMBERS, (rubric.id, criterion.id)


def test_the_bundled_course_uses_the_vocabulary() -> None:
    assert COURSE.slug == vocab.COURSE_SLUG
    assert set(COURSE.audience) <= set(vocab.MODULE_AUDIENCES)
    for lesson in COURSE.iter_lessons():
        assert set(lesson.guidelines) <= GUIDELINE_NUMBERS, lesson.ref
        assert set(lesson.risks) <= RISK_SLUGS, lesson.ref
        assert set(lesson.benefits) <= BENEFIT_SLUGS, lesson.ref


def test_module_audiences_are_learner_professions_and_what_the_catalog_accepts() -> None:
    assert set(vocab.MODULE_AUDIENCES.values()) <= LEARNER_VALUES
    assert tuple(vocab.MODULE_AUDIENCES) == AUDIENCES
    assert "allied-health" in AUDIENCES  # what course.yaml files already say


def test_the_core_packages_re_export_the_vocabulary() -> None:
    import modules.model
    import quizzes.bank
    import quizzes.model

    assert tuple(sorted(GUIDELINE_NUMBERS)) == quizzes.model.GUIDELINES
    assert tuple(r.slug for r in vocab.RISKS) == quizzes.model.RISKS
    assert tuple(p.value for p in vocab.SCENARIO_PROFESSIONS) == quizzes.model.PROFESSIONS
    assert {g.number: g.wording for g in vocab.GUIDELINES} == modules.model.GUIDELINES
    assert {r.slug: r.label for r in vocab.RISKS} == modules.model.RISKS
    assert {b.slug: b.label for b in vocab.BENEFITS} == modules.model.BENEFITS
    assert quizzes.bank.COURSE == vocab.COURSE_SLUG
    assert quizzes.default_bank_root().name == vocab.COURSE_SLUG
    schema = quizzes.JSON_SCHEMA["scenario"]["properties"]
    assert schema["profession"]["enum"] == list(quizzes.model.PROFESSIONS)
    assert schema["guidelines"]["items"]["maximum"] == len(vocab.GUIDELINES)


def test_every_service_uses_the_one_course_slug() -> None:
    from app.services import certificates, institutions, learning
    from app.services.quiz import status as quiz_service

    for service in (certificates, institutions, learning, quiz_service):
        assert service.COURSE_SLUG is vocab.COURSE_SLUG, service.__name__


def test_credit_types_and_demo_accounts_name_learner_professions() -> None:
    from app.services.demo_data import PROFESSIONS as DEMO
    from app.services.learning import DEFAULT_CREDIT_TYPES

    credited = {p for credit in DEFAULT_CREDIT_TYPES for p in credit["professions"]}
    assert credited == LEARNER_VALUES  # every learner can claim something
    assert {value for value, _credential, _weight in DEMO} <= LEARNER_VALUES


def test_form_choices_show_the_vocabulary() -> None:
    from app.services.author import GUIDELINE_CHOICES, PROFESSION_CHOICES, RISK_CHOICES

    assert [(str(g.number), g.label) for g in vocab.GUIDELINES] == GUIDELINE_CHOICES
    assert [v for v, _ in PROFESSION_CHOICES] == [p.value for p in vocab.SCENARIO_PROFESSIONS]
    assert [v for v, _ in RISK_CHOICES] == [r.slug for r in vocab.RISKS]


# --------------------------------------------------------------------------- the wording, once


def _source_files() -> Iterator[Path]:
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS for part in rel.parts[:-1]):
            continue
        if path.suffix in SCANNED and path.is_file():
            yield path


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def test_the_guideline_wording_is_defined_only_in_vocab() -> None:
    tables = {path.resolve() for path in GUIDELINE_TABLES}
    copies = []
    for path in _source_files():
        if path.resolve() in tables:
            continue
        text = _normalised(path.read_text(encoding="utf-8", errors="replace"))
        copies += [
            f"{path.relative_to(ROOT)}: guideline {number} ({phrase!r})"
            for number, phrase in DISTINCTIVE.items()
            if phrase in text
        ]
    assert copies == [], "import the wording from vocab instead"


def test_the_source_scan_sees_the_packages() -> None:
    scanned = {path.relative_to(ROOT).parts[0] for path in _source_files()}
    assert {"app", "modules", "quizzes", "certificates", "privacy", "docs"} <= scanned


@pytest.mark.parametrize("path", GUIDELINE_TABLES, ids=lambda p: p.name)
def test_markdown_guideline_tables_match_the_vocabulary_word_for_word(path: Path) -> None:
    rows = re.findall(r"^\| ([1-7]) \| ([^|]+?) \|", path.read_text(encoding="utf-8"), re.M)
    assert [(int(n), text) for n, text in rows] == [(g.number, g.wording) for g in vocab.GUIDELINES]


# --------------------------------------------------------------------------- on the pages


def test_pages_show_profession_and_audience_labels(
    client: FlaskClient, make_user: Callable[..., User], login: Callable[[User], None]
) -> None:
    overview = client.get("/course/").get_data(as_text=True)
    assert "allied health professional" in overview  # course.yaml says allied-health
    login(make_user(profession="allied_health"))
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert vocab.profession_label("allied_health") in dashboard
