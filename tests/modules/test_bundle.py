"""The bundled course content is complete and valid."""

from __future__ import annotations

from modules.catalog import check, default_content_root, load_course
from modules.model import GUIDELINES, RISKS, Course

COURSE_DIR = default_content_root() / "social-media-for-hcps"
EXPECTED_MODULES = [
    "01-social-media-today",
    "02-benefits",
    "03-qr-codes",
    "04-risks",
    "05-seven-guidelines",
    "06-putting-it-together",
]


def load() -> Course:
    return load_course(COURSE_DIR)


def test_the_bundled_content_passes_every_check() -> None:
    assert [str(problem) for problem in check([default_content_root()])] == []


def test_the_bundled_course_loads_all_six_modules_in_order() -> None:
    course = load()
    assert course.slug == "social-media-for-hcps"
    assert [module.slug for module in course.modules] == EXPECTED_MODULES
    assert all(module.lessons for module in course.modules)


def test_the_bundled_course_meets_the_length_and_time_budget() -> None:
    course = load()
    assert course.word_count >= 8000
    assert course.total_minutes < course.estimated_minutes
    assert course.max_credit_hours * 60 <= course.estimated_minutes


def test_the_bundled_course_teaches_every_guideline_and_risk() -> None:
    lessons = list(load().iter_lessons())
    assert {number for lesson in lessons for number in lesson.guidelines} == set(GUIDELINES)
    assert {risk for lesson in lessons for risk in lesson.risks} == set(RISKS)


def test_every_bundled_lesson_has_a_callout_and_every_module_a_case_vignette() -> None:
    course = load()
    assert [lesson.ref for lesson in course.iter_lessons() if "\n:::" not in lesson.body] == []
    assert [
        module.slug
        for module in course.modules
        if not any("::: case" in lesson.body for lesson in module.lessons)
    ] == []


def test_the_course_names_faculty_with_credentials_and_disclosures() -> None:
    faculty = load().faculty
    assert 2 <= len(faculty) <= 3
    assert all(person.credentials and person.disclosure for person in faculty)
