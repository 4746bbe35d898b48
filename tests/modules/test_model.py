"""Course navigation and totals on a loaded course."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pytest

from modules.catalog import load_course
from modules.model import Course, count_words


@pytest.fixture
def course(make_course: Callable[[], Path]) -> Course:
    return load_course(make_course())


def test_lessons_iterate_in_module_then_file_order(course: Course) -> None:
    assert [lesson.ref for lesson in course.iter_lessons()] == [
        "01-first/alpha",
        "01-first/beta",
        "02-second/gamma",
    ]
    assert [lesson.position for lesson in course.iter_lessons()] == [1, 2, 1]
    assert [module.position for module in course.modules] == [1, 2]


def test_next_lesson_crosses_into_the_next_module(course: Course) -> None:
    beta = course.lesson("01-first", "beta")
    assert beta is not None
    following = course.next_lesson(beta)
    assert following is not None and following.ref == "02-second/gamma"


def test_previous_lesson_crosses_back_into_the_previous_module(course: Course) -> None:
    gamma = course.lesson("02-second", "gamma")
    assert gamma is not None
    previous = course.previous_lesson(gamma)
    assert previous is not None and previous.ref == "01-first/beta"


def test_first_lesson_has_no_previous_and_last_has_no_next(course: Course) -> None:
    lessons = list(course.iter_lessons())
    assert course.previous_lesson(lessons[0]) is None
    assert course.next_lesson(lessons[-1]) is None


def test_unknown_slugs_give_none(course: Course) -> None:
    assert course.lesson("01-first", "nope") is None
    assert course.lesson("09-nope", "alpha") is None
    assert course.module("09-nope") is None


def test_totals_add_up_lesson_minutes(course: Course) -> None:
    first = course.module("01-first")
    assert first is not None and first.minutes == 10
    assert course.total_minutes == 15
    assert course.lesson_count == 3


def test_loaded_values_have_their_proper_types(course: Course) -> None:
    assert course.release_date == date(2026, 11, 1)
    assert course.expiry_date == date(2029, 10, 31)
    assert course.max_credit_hours == 1.0
    assert course.audience == ("nurse", "pharmacist")
    assert course.faculty[0].credentials == "RN"
    module = course.modules[0]
    assert module.references[0].year == 2016
    assert module.references[0].url == "https://example.org/guidance"
    alpha = module.lessons[0]
    assert (alpha.guidelines, alpha.risks, alpha.benefits) == (
        (1, 2),
        ("privacy",),
        ("networking",),
    )


def test_lesson_body_line_points_at_the_first_body_line(course: Course) -> None:
    alpha = course.lesson("01-first", "alpha")
    assert alpha is not None
    source = alpha.source_path.read_text(encoding="utf-8").splitlines()
    assert source[alpha.body_line - 1 :] == alpha.body.splitlines()
    assert alpha.body.lstrip().startswith("## Start")


def test_word_count_ignores_link_targets_and_callout_fences() -> None:
    text = "::: case A title\nRead [the guide](https://example.org/a/b/c) now.\n:::\n"
    assert count_words(text) == 4


def test_course_objects_are_frozen(course: Course) -> None:
    with pytest.raises(FrozenInstanceError):
        course.title = "changed"  # type: ignore[misc]  # frozen: the point of the test
