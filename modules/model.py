"""Frozen dataclasses for a course: what the catalog loads and the web layer displays.

Everything here is immutable and free of I/O so a loaded course can be shared between requests
and snapshotted into attempts and certificates without copying.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import vocab

# The shared vocabulary as the lookups the catalog validates against (number/slug -> wording).
GUIDELINES: dict[int, str] = {g.number: g.wording for g in vocab.GUIDELINES}
RISKS: dict[str, str] = {r.slug: r.label for r in vocab.RISKS}
BENEFITS: dict[str, str] = {b.slug: b.label for b in vocab.BENEFITS}

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_CONTAINER_LINE = re.compile(r"^\s*:{3,}.*$", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f][\w'’\-]*")


def count_words(markdown: str) -> int:
    """Words a reader reads: link targets and callout fences are not counted."""
    text = _LINK_TARGET.sub("]", markdown)
    text = _CONTAINER_LINE.sub("", text)
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Faculty:
    name: str
    credentials: str
    role: str
    disclosure: str


@dataclass(frozen=True, slots=True)
class Reference:
    body: str
    title: str
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Lesson:
    module_slug: str
    slug: str
    title: str
    minutes: int
    summary: str
    guidelines: tuple[int, ...]
    risks: tuple[str, ...]
    benefits: tuple[str, ...]
    body: str  # Markdown source, front matter removed
    source_path: Path
    body_line: int  # 1-based line of source_path where body starts
    position: int  # 1-based within the module

    @property
    def key(self) -> tuple[str, str]:
        """(module_slug, lesson_slug): how the course and the URLs identify a lesson."""
        return (self.module_slug, self.slug)

    @property
    def ref(self) -> str:
        """The target used in `lesson:` links, e.g. ``04-risks/privacy-and-confidentiality``."""
        return f"{self.module_slug}/{self.slug}"

    @property
    def word_count(self) -> int:
        return count_words(self.body)


@dataclass(frozen=True, slots=True)
class Module:
    slug: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    takeaways: tuple[str, ...]
    references: tuple[Reference, ...]
    lessons: tuple[Lesson, ...]
    position: int  # 1-based within the course
    source_path: Path | None = None  # the module.yaml

    @property
    def minutes(self) -> int:
        """Reading minutes of the module's lessons (quiz time not included)."""
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def word_count(self) -> int:
        return sum(lesson.word_count for lesson in self.lessons)

    def lesson(self, slug: str) -> Lesson | None:
        for lesson in self.lessons:
            if lesson.slug == slug:
                return lesson
        return None


@dataclass(frozen=True, slots=True)
class Course:
    slug: str
    title: str
    version: str
    summary: str
    audience: tuple[str, ...]
    faculty: tuple[Faculty, ...]
    estimated_minutes: int
    max_credit_hours: float
    participation: str
    release_date: date
    last_review_date: date
    expiry_date: date
    modules: tuple[Module, ...]
    source_path: Path | None = None  # the course folder

    def module(self, slug: str) -> Module | None:
        for module in self.modules:
            if module.slug == slug:
                return module
        return None

    def lesson(self, module_slug: str, lesson_slug: str) -> Lesson | None:
        """The lesson, or None when either slug is unknown (the web layer turns that into 404)."""
        module = self.module(module_slug)
        return module.lesson(lesson_slug) if module is not None else None

    def iter_lessons(self) -> Iterator[Lesson]:
        """All lessons in reading order: module by module, lesson by lesson."""
        for module in self.modules:
            yield from module.lessons

    def next_lesson(self, lesson: Lesson) -> Lesson | None:
        """The lesson after `lesson` in reading order, crossing module boundaries."""
        lessons = list(self.iter_lessons())
        index = self._index(lessons, lesson)
        return lessons[index + 1] if index + 1 < len(lessons) else None

    def previous_lesson(self, lesson: Lesson) -> Lesson | None:
        """The lesson before `lesson` in reading order, crossing module boundaries."""
        lessons = list(self.iter_lessons())
        index = self._index(lessons, lesson)
        return lessons[index - 1] if index > 0 else None

    @staticmethod
    def _index(lessons: list[Lesson], lesson: Lesson) -> int:
        for index, candidate in enumerate(lessons):
            if candidate.key == lesson.key:
                return index
        raise KeyError(f"lesson {lesson.ref} is not part of this course")

    @property
    def total_minutes(self) -> int:
        """Reading minutes of all lessons (estimated_minutes also counts quizzes)."""
        return sum(module.minutes for module in self.modules)

    @property
    def word_count(self) -> int:
        return sum(module.word_count for module in self.modules)

    @property
    def lesson_count(self) -> int:
        return sum(len(module.lessons) for module in self.modules)
