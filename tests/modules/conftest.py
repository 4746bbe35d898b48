"""A small valid course written to tmp_path; tests break one file at a time."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

COURSE_YAML = """\
slug: demo-course
title: "Demo course"
version: "1.0"
summary: "A course used by the tests."
audience: [nurse, pharmacist]
faculty:
  - name: "Ada Example"
    credentials: "RN"
    role: "Director"
    disclosure: "None."
estimated_minutes: 60
max_credit_hours: 1.0
participation: "Read everything."
release_date: 2026-11-01
last_review_date: 2026-11-01
expiry_date: 2029-10-31
modules: [01-first, 02-second]
"""

MODULE_YAML = """\
slug: {slug}
title: "Module {slug}"
summary: "A module."
objectives:
  - "Describe things"
takeaways:
  - "Things matter"
references:
  - body: "AMA"
    title: "Guidance"
    year: 2016
    url: "https://example.org/guidance"
"""

LESSON = """\
---
slug: {slug}
title: "Lesson {slug}"
minutes: 5
summary: "A lesson."
guidelines: [1, 2]
risks: [privacy]
benefits: [networking]
---

## Start

Some text with [a link](lesson:02-second/gamma).

::: case A short case
A vignette.
:::
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def make_course(tmp_path: Path) -> Callable[[], Path]:
    def make() -> Path:
        root = tmp_path / "demo-course"
        write(root / "course.yaml", COURSE_YAML)
        lessons = {"01-first": ["alpha", "beta"], "02-second": ["gamma"]}
        for module, slugs in lessons.items():
            write(root / module / "module.yaml", MODULE_YAML.format(slug=module))
            for number, slug in enumerate(slugs, start=1):
                write(root / module / f"{number:02d}-{slug}.md", LESSON.format(slug=slug))
        write(root / "01-first" / "images" / "flow.svg", SVG)
        return root

    return make
