"""`postrx content check|stats` and setup_content() on the real bundle and on broken copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.learning import setup_content
from modules.catalog import ContentError


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_content_check_passes_the_bundled_course_with_a_one_line_summary(runner) -> None:
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK: Course social-media-for-hcps 2026.1: 6 modules, 23 lessons"


ALPHA = "01-first/01-alpha.md"
BROKEN = [
    # (file, old, new, expected FILE:LINE suffix)
    (ALPHA, 'summary: "A lesson."', 'summary: "A lesson." x', ":5: YAML syntax error"),
    (ALPHA, 'summary: "A lesson."\n', "", ":1: missing required field 'summary'"),
    (ALPHA, 'title: "Lesson alpha"\n', 'title: "Lesson alpha"\nauthor: me\n', ":4: unknown field"),
    (ALPHA, "minutes: 5", "minutes: five", ":4: minutes: must be a positive whole number"),
    (ALPHA, "guidelines: [1, 2]", "guidelines: [1, 9]", ":6: guidelines: guideline numbers"),
    (ALPHA, "## Start", "# Start", ":11: H1 heading in the body"),
    (ALPHA, "Some text", "Some <b>bold</b> text", ":13: raw HTML is not allowed"),
    (ALPHA, "lesson:02-second/gamma", "lesson:02-second/nope", ":13: lesson link"),
    (ALPHA, "::: case A short case", "::: aside A short case", ":15: callout kind 'aside'"),
    (
        ALPHA,
        "## Start",
        "![](images/flow.svg)\n\n## Start",
        ":11: image 'images/flow.svg' has no alt",
    ),
    (
        ALPHA,
        "## Start",
        "![A map](images/missing.svg)\n\n## Start",
        ":11: image 'images/missing.svg'",
    ),
    (
        "course.yaml",
        "expiry_date: 2029-10-31",
        "expiry_date: 2029-02-30",
        ":16: expiry_date: invalid",
    ),
    ("01-first/module.yaml", "slug: 01-first", "slug: first", ":1: slug 'first' does not match"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_content_check_reports_each_kind_of_error_at_file_and_line(
    runner, make_course: Callable[[], Path], file: str, old: str, new: str, expected: str
) -> None:
    root = make_course()
    edit(root / file, old, new)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert any(line.startswith(f"{root / file}{expected}") for line in lines), result.output
    assert "OK" not in result.output


def test_content_check_accepts_a_valid_single_lesson_file(runner, make_course) -> None:
    root = make_course()
    result = runner.invoke(args=["content", "check", str(root / ALPHA)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 1 path(s) checked")


def test_content_check_fails_for_a_path_that_does_not_exist(runner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "01-x.md"
    result = runner.invoke(args=["content", "check", str(missing)])
    assert result.exit_code == 1
    assert str(missing) in result.output


def test_content_stats_prints_words_and_minutes_per_module(runner) -> None:
    result = runner.invoke(args=["content", "stats"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["module", "lessons", "minutes", "words"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows["03-qr-codes"][0] == "2"
    assert rows["total"][0] == "23"
    assert int(rows["total"][2]) >= 8000


def test_setup_content_summarises_the_bundled_course(app) -> None:
    assert setup_content() == "Course social-media-for-hcps 2026.1: 6 modules, 23 lessons"


def test_setup_content_refuses_broken_content_naming_file_and_line(make_app, make_course) -> None:
    root = make_course()
    edit(root / ALPHA, "minutes: 5", "minutes: 0")
    app = make_app(COURSE_CONTENT_PATH=str(root))
    with app.app_context(), pytest.raises(ContentError) as caught:
        setup_content()
    assert f"{root / ALPHA}:4: minutes: must be a positive whole number" in str(caught.value)
    assert "postrx_course" not in app.extensions
