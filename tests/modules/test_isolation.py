"""The modules package stays framework-free (DESIGN principle 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_modules_does_not_load_flask_or_sqlalchemy() -> None:
    code = (
        "import sys, modules, modules.model, modules.catalog, modules.render\n"
        "course = modules.catalog.load_course(\n"
        "    modules.catalog.default_content_root() / 'social-media-for-hcps')\n"
        "modules.render.render_markdown(course.modules[0].lessons[0].body)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'app', 'werkzeug'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_check_command_prints_file_line_problems_and_fails(tmp_path: Path) -> None:
    lesson = tmp_path / "01-broken.md"
    lesson.write_text("---\nslug: broken\ntitle: 'B'\nminutes: 0\nsummary: 'S'\n---\n\n# H1\n")
    result = subprocess.run(
        [sys.executable, "-m", "modules", "check", str(lesson)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{lesson}:4: minutes: must be a positive whole number, got 0",
        f"{lesson}:8: H1 heading in the body: the page prints the title; start at ##",
    ]


def test_the_check_command_succeeds_on_the_bundled_content() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "modules", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")
