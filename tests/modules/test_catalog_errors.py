"""Each kind of content error is reported once, at the exact FILE:LINE of the offending text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from modules.catalog import ContentError, Problem, check, load_course
from tests.modules.conftest import write

ALPHA = "01-first/01-alpha.md"
COURSE = "course.yaml"
MODULE = "01-first/module.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_as_text(root: Path, paths: list[Path] | None = None) -> list[str]:
    return [str(p).replace(f"{root}/", "") for p in check(paths or [root])]


def test_the_demo_course_is_valid(make_course: Callable[[], Path]) -> None:
    root = make_course()
    assert check([root]) == []
    course = load_course(root)
    assert [m.slug for m in course.modules] == ["01-first", "02-second"]


CASES = [
    # (file, old, new, expected "FILE:LINE: message")
    (
        ALPHA,
        'summary: "A lesson."',
        'summary: "A lesson." trailing',
        f"{ALPHA}:5: YAML syntax error: expected <block end>, but found '<scalar>'",
    ),
    (
        COURSE,
        'version: "1.0"',
        'version: "1.0" x',
        f"{COURSE}:3: YAML syntax error: expected <block end>, but found '<scalar>'",
    ),
    (ALPHA, 'summary: "A lesson."\n', "", f"{ALPHA}:1: missing required field 'summary'"),
    (
        ALPHA,
        'title: "Lesson alpha"\n',
        'title: "Lesson alpha"\nauthor: me\n',
        f"{ALPHA}:4: unknown field 'author' (allowed: slug, title, minutes, summary, guidelines, "
        "risks, benefits)",
    ),
    (
        ALPHA,
        "minutes: 5",
        "minutes: five",
        f"{ALPHA}:4: minutes: must be a positive whole number, got 'five'",
    ),
    (
        ALPHA,
        "minutes: 5",
        "minutes: 0",
        f"{ALPHA}:4: minutes: must be a positive whole number, got 0",
    ),
    (
        ALPHA,
        "minutes: 5",
        "minutes: true",
        f"{ALPHA}:4: minutes: must be a positive whole number, got True",
    ),
    (
        ALPHA,
        "guidelines: [1, 2]",
        "guidelines:\n  - 1\n  - 8",
        f"{ALPHA}:8: guidelines: guideline numbers run from 1 to 7, got 8",
    ),
    (
        ALPHA,
        "risks: [privacy]",
        "risks: [privacy, gossip]",
        f"{ALPHA}:7: risks: unknown risk 'gossip' (known: privacy, information-quality, "
        "boundaries, legal-ethical)",
    ),
    (
        ALPHA,
        "benefits: [networking]",
        "benefits: [fame]",
        f"{ALPHA}:8: benefits: unknown benefit 'fame' (known: networking, patient-education, "
        "professional-development, public-health)",
    ),
    (
        ALPHA,
        "slug: alpha",
        "slug: alpha-two",
        f"{ALPHA}:2: slug 'alpha-two' does not match the file name (expected 'alpha' for "
        "01-alpha.md)",
    ),
    (
        ALPHA,
        'title: "Lesson alpha"',
        "title: 42",
        f"{ALPHA}:3: title: must be text (quote it), got 42",
    ),
    (ALPHA, "slug: alpha\n", "slug: alpha\nslug: alpha\n", f"{ALPHA}:3: duplicate key 'slug'"),
    (
        ALPHA,
        "slug: alpha",
        "slug: alpha-",
        f"{ALPHA}:2: slug: 'alpha-' is not a slug (lowercase letters and digits joined by "
        "single hyphens)",
    ),
    (
        MODULE,
        'title: "Module 01-first"\n',
        'title: "Module 01-first"\n2016: "a year as a key"\n',
        f"{MODULE}:3: keys must be plain text names, got 2016 (quote it)",
    ),
    (ALPHA, "---\nslug", "slug", f"{ALPHA}:1: a lesson must start with '---' front matter"),
    (
        COURSE,
        "expiry_date: 2029-10-31",
        "expiry_date: 2029-02-30",
        f"{COURSE}:16: expiry_date: invalid date '2029-02-30' (day is out of range for month)",
    ),
    (
        COURSE,
        "expiry_date: 2029-10-31",
        "expiry_date: 2026-10-01",
        f"{COURSE}:16: expiry_date must be after last_review_date",
    ),
    (
        COURSE,
        "expiry_date: 2029-10-31",
        "expiry_date: 2029-11-02",
        f"{COURSE}:16: expiry_date 2029-11-02 is more than 3 years after last_review_date "
        "2026-11-01",
    ),
    (
        COURSE,
        "release_date: 2026-11-01",
        "release_date: soon",
        f"{COURSE}:14: release_date: 'soon' is not a date (YYYY-MM-DD)",
    ),
    (
        COURSE,
        'version: "1.0"',
        "version: 1.0",
        f"{COURSE}:3: version: must be text (quote it), got 1.0",
    ),
    (
        COURSE,
        "max_credit_hours: 1.0",
        "max_credit_hours: 2",
        f"{COURSE}:12: max_credit_hours: 2 hours is more than the estimated 60 minutes",
    ),
    (
        COURSE,
        "audience: [nurse, pharmacist]",
        "audience: [nurse, wizard]",
        f"{COURSE}:5: audience: unknown audience 'wizard' (known: nurse, physician, pharmacist, "
        "allied-health, student)",
    ),
    (
        COURSE,
        '    disclosure: "None."\n',
        "",
        f"{COURSE}:7: missing required field 'faculty[1].disclosure'",
    ),
    (
        COURSE,
        "modules: [01-first, 02-second]",
        "modules:\n  - 01-first\n  - 02-second\n  - 03-third",
        f"{COURSE}:20: modules: no folder '03-third' for this module",
    ),
    (
        COURSE,
        "modules: [01-first, 02-second]",
        "modules: [02-second, 01-first]",
        f"{COURSE}:17: modules: list the modules in folder-name order",
    ),
    (
        COURSE,
        "slug: demo-course",
        "slug: other-course",
        f"{COURSE}:1: slug 'other-course' does not match the folder name 'demo-course'",
    ),
    (
        MODULE,
        "slug: 01-first",
        "slug: 01-firstly",
        f"{MODULE}:1: slug '01-firstly' does not match the folder name '01-first'",
    ),
    (
        MODULE,
        'url: "https://example.org/guidance"',
        'url: "javascript:alert(1)"',
        f"{MODULE}:12: references[1].url: must be an http(s) address",
    ),
    (
        MODULE,
        "    year: 2016",
        "    year: recent",
        f"{MODULE}:11: references[1].year: must be a year, got 'recent'",
    ),
    (
        MODULE,
        'objectives:\n  - "Describe things"',
        "objectives: []",
        f"{MODULE}:4: objectives: must list at least one entry",
    ),
    # Body problems: the body starts at line 10 of the lesson file.
    (
        ALPHA,
        "lesson:02-second/gamma",
        "lesson:02-second/nope",
        f"{ALPHA}:13: lesson link 'lesson:02-second/nope': no lesson 'nope' in 02-second",
    ),
    (
        ALPHA,
        "lesson:02-second/gamma",
        "lesson:09-ninth/gamma",
        f"{ALPHA}:13: lesson link 'lesson:09-ninth/gamma': no module '09-ninth'",
    ),
    (
        ALPHA,
        "lesson:02-second/gamma",
        "lesson:gamma",
        f"{ALPHA}:13: lesson link 'lesson:gamma' must look like lesson:module-slug/lesson-slug",
    ),
    (
        ALPHA,
        "[a link](lesson:02-second/gamma)",
        "[a link](javascript:alert(1))",
        f"{ALPHA}:13: link 'javascript:alert(1)': only http, https, mailto and lesson: links "
        "are allowed",
    ),
    (
        ALPHA,
        "## Start\n",
        "## Start\n\nSee this:\n![](images/flow.svg)\n",
        f"{ALPHA}:14: image 'images/flow.svg' has no alt text: describe it for screen readers",
    ),
    (
        ALPHA,
        "## Start\n",
        "## Start\n\n![Flow chart](images/missing.svg)\n",
        f"{ALPHA}:13: image 'images/missing.svg' does not exist in 01-first/",
    ),
    (
        ALPHA,
        "## Start\n",
        "## Start\n\n![Flow chart](https://tracker.example/pixel.png)\n",
        f"{ALPHA}:13: image 'https://tracker.example/pixel.png' must be a file in the module "
        "folder (e.g. images/x.svg)",
    ),
    (
        ALPHA,
        "## Start\n",
        "## Start\n\n<div>raw</div>\n",
        f"{ALPHA}:13: raw HTML is not allowed (it is stripped): '<div>raw</div>'",
    ),
    (
        ALPHA,
        "A vignette.",
        "A <b>bold</b> vignette.",
        f"{ALPHA}:16: raw HTML is not allowed (it is stripped): '<b>'",
    ),
    (
        ALPHA,
        "## Start",
        "# Start",
        f"{ALPHA}:11: H1 heading in the body: the page prints the title; start at ##",
    ),
    (
        ALPHA,
        "::: case A short case",
        "::: story A short case",
        f"{ALPHA}:15: callout kind 'story': use one of note, tip, warning, example, do, dont, case",
    ),
    (
        ALPHA,
        "A vignette.\n:::\n",
        "A vignette.\n",
        f"{ALPHA}:15: callout is not closed with ':::'",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), CASES)
def test_each_broken_file_is_reported_at_its_exact_line(
    make_course: Callable[[], Path], file: str, old: str, new: str, expected: str
) -> None:
    root = make_course()
    edit(root / file, old, new)
    problems = problems_as_text(root)
    if expected == f"{ALPHA}:16: raw HTML is not allowed (it is stripped): '<b>'":
        assert problems == [expected, expected.replace("'<b>'", "'</b>'")]
    else:
        assert problems == [expected]


def test_a_module_folder_missing_from_the_course_list_is_reported(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    (root / "03-extra").mkdir()
    assert f"{COURSE}:17: modules: folder '03-extra' is not listed in modules" in (
        problems_as_text(root)
    )


def test_two_lessons_with_the_same_slug_in_a_module_are_reported(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    text = (root / ALPHA).read_text(encoding="utf-8")
    write(root / "01-first" / "03-alpha.md", text)
    assert problems_as_text(root) == [
        "01-first/03-alpha.md:2: slug 'alpha' is also used by 01-alpha.md"
    ]


def test_two_lessons_with_the_same_number_prefix_are_reported(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    text = (root / ALPHA).read_text(encoding="utf-8").replace("slug: alpha", "slug: delta")
    write(root / "01-first" / "01-delta.md", text)
    assert problems_as_text(root) == [
        "01-first/01-delta.md:1: number prefix 01 is also used by 01-alpha.md"
    ]


def test_a_lesson_file_name_without_a_number_prefix_is_reported(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    (root / ALPHA).rename(root / "01-first" / "alpha.md")
    assert problems_as_text(root) == [
        "01-first/alpha.md:1: lesson file names must look like NN-slug.md"
    ]


def test_a_lesson_file_alone_is_checked_without_the_rest_of_the_course(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    edit(root / COURSE, "title:", "titel:")  # broken, but not part of this check
    edit(root / ALPHA, "minutes: 5", "minutes: -1")
    assert problems_as_text(root, [root / ALPHA]) == [
        f"{ALPHA}:4: minutes: must be a positive whole number, got -1"
    ]


def test_a_lesson_outside_any_course_skips_link_resolution_but_checks_link_syntax(
    tmp_path: Path,
) -> None:
    lesson = write(
        tmp_path / "loose" / "01-solo.md",
        '---\nslug: solo\ntitle: "Solo"\nminutes: 3\nsummary: "S."\n---\n\n'
        "[ok](lesson:02-anything/goes) and [bad](lesson:nope)\n",
    )
    assert [str(p) for p in check([lesson])] == [
        f"{lesson}:8: lesson link 'lesson:nope' must look like lesson:module-slug/lesson-slug"
    ]


def test_a_module_yaml_alone_is_checked_for_its_schema(make_course: Callable[[], Path]) -> None:
    root = make_course()
    edit(root / MODULE, 'title: "Module 01-first"\n', "")
    assert problems_as_text(root, [root / MODULE]) == [
        f"{MODULE}:1: missing required field 'title'"
    ]


def test_a_missing_path_is_reported_as_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert check([missing]) == [Problem(str(missing), 0, "no such file or directory")]


def test_load_course_raises_content_error_listing_every_problem(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    edit(root / ALPHA, "minutes: 5", "minutes: 0")
    edit(root / COURSE, "estimated_minutes: 60", "estimated_minutes: soon")
    with pytest.raises(ContentError) as caught:
        load_course(root)
    assert [(Path(p.file).name, p.line) for p in caught.value.problems] == [
        ("01-alpha.md", 4),
        ("course.yaml", 11),
    ]
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]
    assert str(caught.value.problems[0]) == (
        f"{root / ALPHA}:4: minutes: must be a positive whole number, got 0"
    )


def test_problems_inside_tables_lists_and_long_paragraphs_point_at_their_own_line(
    make_course: Callable[[], Path],
) -> None:
    root = make_course()
    body = (
        "## Start\n"  # line 11
        "\n"
        "| a | b |\n"
        "|---|---|\n"
        "| x | [l](lesson:bad) |\n"  # 15
        "\n"
        "- one\n"
        "- two\n"
        "  continues ![](images/flow.svg)\n"  # 19
        "\n"
        "First [k](lesson:bad) and [k](lesson:worse)\n"  # 21
        "then [k](lesson:bad)\n"  # 22
    )
    text = (root / ALPHA).read_text(encoding="utf-8")
    (root / ALPHA).write_text(text[: text.index("## Start")] + body, encoding="utf-8")
    bad_link = "lesson link 'lesson:bad' must look like lesson:module-slug/lesson-slug"
    assert problems_as_text(root) == [
        f"{ALPHA}:15: {bad_link}",
        f"{ALPHA}:19: image 'images/flow.svg' has no alt text: describe it for screen readers",
        f"{ALPHA}:21: {bad_link}",
        f"{ALPHA}:21: {bad_link.replace('bad', 'worse')}",
        f"{ALPHA}:22: {bad_link}",
    ]
