"""Load and validate course content (course.yaml, module.yaml, lesson Markdown files).

Every problem names FILE:LINE so an educator can jump straight to it. The same reader serves
`load_course()` (all or nothing) and `check()` (report everything, also for a single file).
Nothing is cached here: the web layer loads once at startup and keeps the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from modules.model import (
    BENEFITS,
    GUIDELINES,
    RISKS,
    Course,
    Faculty,
    Lesson,
    Module,
    Reference,
)
from vocab import MODULE_AUDIENCES
from yamlsrc import SLUG_BODY, Invalid, Source, is_slug, load
from yamlsrc import Problem as Problem  # re-exported: callers import it from here

CALLOUT_KINDS = ("note", "tip", "warning", "example", "do", "dont", "case")
AUDIENCES = tuple(MODULE_AUDIENCES)
IMAGE_SUFFIXES = (".svg", ".png")
MAX_VALIDITY_YEARS = 3

# One slug rule (yamlsrc) for slugs, folder and file names, as for the scenario bank's ids.
_MODULE_DIR = re.compile(rf"^\d{{2}}-{SLUG_BODY}\Z")
_LESSON_FILE = re.compile(rf"^(\d{{2}})-({SLUG_BODY})\.md\Z")
_LESSON_LINK = re.compile(rf"^lesson:({SLUG_BODY})/({SLUG_BODY})(#[A-Za-z0-9_-]*)?\Z")
_CLOSING_FENCE = re.compile(r"^[>\s]*:{3,}\s*$")


class ContentError(Exception):
    """Raised by load_course(); `problems` lists every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def default_content_root() -> Path:
    """The content folder bundled with the package (one sub-folder per course)."""
    return Path(__file__).resolve().parent / "content"


def load_course(path: Path) -> Course:
    """Load the course in folder `path` (or its course.yaml); raise ContentError on any problem."""
    path = Path(path)
    course_dir = path.parent if path.name == "course.yaml" else path
    if not course_dir.is_dir():
        raise ContentError([Problem(str(course_dir), 0, "no such course folder")])
    problems: list[Problem] = []
    course = _read_course(course_dir, problems)
    if problems or course is None:
        raise ContentError(
            _sorted(problems) or [Problem(str(course_dir), 0, "course could not be loaded")]
        )
    return course


def check(paths: Sequence[Path] = ()) -> list[Problem]:
    """Validate a content root, a course, a module folder or single files; [] means all good.

    A lone lesson file is checked for its front matter and body (links are resolved against
    the lesson files on disk when the file sits inside a course); a course folder also gets the
    cross-file checks (module list, unique slugs).
    """
    problems: list[Problem] = []
    for path in paths or [default_content_root()]:
        _check_path(Path(path), problems)
    return _sorted(problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Group by file, then by line, keeping discovery order for ties (stable)."""
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.line))


# --------------------------------------------------------------------------------------------
# YAML with line numbers


def _load_yaml(
    text: str, file: str, problems: list[Problem], *, first_line: int = 1, root_line: int = 1
) -> Source | None:
    return load(
        text,
        file,
        problems,
        first_line=first_line,
        root_line=root_line,
        syntax_error="YAML syntax error",
    )


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), 1, f"file is not UTF-8 text ({exc.reason})"))
    except OSError as exc:
        problems.append(Problem(str(path), 0, f"cannot read file: {exc.strerror}"))
    return None


# --------------------------------------------------------------------------------------------
# Field schema


_MISSING = object()


class _Fields:
    """Typed access to one YAML mapping; every bad value becomes a Problem at its line."""

    def __init__(
        self,
        doc: Source,
        problems: list[Problem],
        path: tuple[Any, ...],
        allowed: Iterable[str],
        label: str = "",
    ) -> None:
        self.doc = doc
        self.problems = problems
        self.path = path
        self.label = label
        data = doc.data
        for step in path:
            data = data[step]
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        allowed = tuple(allowed)
        if not self.ok:
            what = "empty" if data is None else f"a {_kind(data)}"
            self.fail(path, f"{label or 'document'} must be a mapping of fields, got {what}")
            return
        for key in self.data:
            if key not in allowed:
                self.fail(
                    (*path, key),
                    f"unknown field '{self.name(key)}' (allowed: {', '.join(allowed)})",
                )

    def name(self, key: str) -> str:
        return f"{self.label}.{key}" if self.label else key

    def fail(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), message))

    def get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None:
            if required and self.ok:
                self.fail(self.path, f"missing required field '{self.name(key)}'")
            return _MISSING
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            message = f"{self.name(key)}: must be text (quote it), got {_show(value)}"
            self.fail((*self.path, key), message)
            return None
        if not value.strip():
            self.fail((*self.path, key), f"{self.name(key)}: must not be empty")
            return None
        return value.strip()

    def slug(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not is_slug(value):
            self.fail(
                (*self.path, key),
                f"{self.name(key)}: '{value}' is not a slug (lowercase letters and digits "
                "joined by single hyphens)",
            )
            return None
        return value

    def positive_int(self, key: str) -> int | None:
        value = self.get(key, True)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(
                (*self.path, key),
                f"{self.name(key)}: must be a positive whole number, got {_show(value)}",
            )
            return None
        return value

    def positive_number(self, key: str) -> float | None:
        value = self.get(key, True)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            message = f"{self.name(key)}: must be a positive number, got {_show(value)}"
            self.fail((*self.path, key), message)
            return None
        return float(value)

    def date(self, key: str) -> date | None:
        value = self.get(key, True)
        if value is _MISSING:
            return None
        where = (*self.path, key)
        if isinstance(value, Invalid):
            self.fail(where, f"{self.name(key)}: invalid date '{value.text}' ({value.reason})")
            return None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.fail(where, f"{self.name(key)}: '{value}' is not a date (YYYY-MM-DD)")
                return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(where, f"{self.name(key)}: must be a date (YYYY-MM-DD), got {_show(value)}")
            return None
        return value

    def items(self, key: str, required: bool, *, non_empty: bool) -> list[Any] | None:
        value = self.get(key, required)
        if value is _MISSING:
            return [] if not required else None
        if not isinstance(value, list):
            self.fail((*self.path, key), f"{self.name(key)}: must be a list, got {_show(value)}")
            return None
        if non_empty and not value:
            self.fail((*self.path, key), f"{self.name(key)}: must list at least one entry")
            return None
        return value

    def text_list(
        self,
        key: str,
        *,
        required: bool = True,
        non_empty: bool = True,
        allowed: Sequence[str] | None = None,
        what: str = "value",
    ) -> tuple[str, ...] | None:
        values = self.items(key, required, non_empty=non_empty)
        if values is None:
            return None
        out: list[str] = []
        ok = True
        for index, value in enumerate(values):
            where = (*self.path, key, index)
            if not isinstance(value, str) or not value.strip():
                self.fail(where, f"{self.name(key)}: entry {index + 1} must be non-empty text")
                ok = False
            elif allowed is not None and value not in allowed:
                self.fail(
                    where,
                    f"{self.name(key)}: unknown {what} '{value}' (known: {', '.join(allowed)})",
                )
                ok = False
            elif value in out:
                self.fail(where, f"{self.name(key)}: '{value}' is listed twice")
                ok = False
            else:
                out.append(value.strip())
        return tuple(out) if ok else None

    def guideline_list(self, key: str) -> tuple[int, ...] | None:
        values = self.items(key, False, non_empty=False)
        if values is None:
            return None
        out: list[int] = []
        ok = True
        for index, value in enumerate(values):
            where = (*self.path, key, index)
            if isinstance(value, bool) or not isinstance(value, int) or value not in GUIDELINES:
                self.fail(where, f"{key}: guideline numbers run from 1 to 7, got {_show(value)}")
                ok = False
            elif value in out:
                self.fail(where, f"{key}: guideline {value} is listed twice")
                ok = False
            else:
                out.append(value)
        return tuple(out) if ok else None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, Invalid):
        return repr(value.text)
    if isinstance(value, dict | list):
        return f"a {_kind(value)}"
    return repr(value)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --------------------------------------------------------------------------------------------
# Course


_COURSE_FIELDS = (
    "slug",
    "title",
    "version",
    "summary",
    "audience",
    "faculty",
    "estimated_minutes",
    "max_credit_hours",
    "participation",
    "release_date",
    "last_review_date",
    "expiry_date",
    "modules",
)
_FACULTY_FIELDS = ("name", "credentials", "role", "disclosure")
_MODULE_FIELDS = ("slug", "title", "summary", "objectives", "takeaways", "references")
_REFERENCE_FIELDS = ("body", "title", "year", "url")
_LESSON_FIELDS = ("slug", "title", "minutes", "summary", "guidelines", "risks", "benefits")


def _check_path(path: Path, problems: list[Problem]) -> None:
    if not path.exists():
        problems.append(Problem(str(path), 0, "no such file or directory"))
    elif path.is_dir():
        if (path / "course.yaml").is_file():
            _read_course(path, problems)
        elif (path / "module.yaml").is_file():
            _read_module(path, 1, problems, _index_for(path.resolve().parent))
        else:
            courses = sorted(p for p in path.iterdir() if (p / "course.yaml").is_file())
            if not courses:
                problems.append(Problem(str(path), 0, "no course.yaml or module.yaml here"))
            for course_dir in courses:
                _read_course(course_dir, problems)
    elif path.name == "course.yaml":
        _read_course(path.parent, problems)
    elif path.name == "module.yaml":
        _read_module_yaml(path, path.resolve().parent.name, problems)
    elif path.suffix == ".md":
        lesson_files = _lesson_files(path.parent)
        position = lesson_files.index(path) + 1 if path in lesson_files else 1
        module_dir = path.resolve().parent
        _read_lesson(path, module_dir.name, position, problems, _index_for(module_dir.parent))
    else:
        problems.append(Problem(str(path), 0, "not a course.yaml, module.yaml or lesson .md file"))


def _module_dirs(course_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in course_dir.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "images"
    )


def _lesson_files(module_dir: Path) -> list[Path]:
    return sorted(p for p in module_dir.glob("*.md") if p.is_file())


def _index_for(course_dir: Path) -> dict[str, set[str]] | None:
    """Module slug -> lesson slugs, from the file names on disk, for resolving lesson: links."""
    if not (course_dir / "course.yaml").is_file():
        return None
    index: dict[str, set[str]] = {}
    for module_dir in _module_dirs(course_dir):
        slugs = set()
        for lesson_file in _lesson_files(module_dir):
            match = _LESSON_FILE.match(lesson_file.name)
            if match:
                slugs.add(match.group(2))
        index[module_dir.name] = slugs
    return index


def _read_course(course_dir: Path, problems: list[Problem]) -> Course | None:
    yaml_path = course_dir / "course.yaml"
    file = str(yaml_path)
    if not yaml_path.is_file():
        problems.append(Problem(file, 0, "missing course.yaml"))
        return None
    start = len(problems)
    text = _read_text(yaml_path, problems)
    doc = _load_yaml(text, file, problems) if text is not None else None
    if doc is None:
        return None
    f = _Fields(doc, problems, (), _COURSE_FIELDS)
    slug = f.slug("slug")
    folder = course_dir.resolve().name
    if slug is not None and slug != folder:
        f.fail(("slug",), f"slug '{slug}' does not match the folder name '{folder}'")
    title = f.text("title")
    version = f.text("version")
    summary = f.text("summary")
    audience = f.text_list("audience", allowed=AUDIENCES, what="audience")
    faculty = _read_faculty(f)
    estimated_minutes = f.positive_int("estimated_minutes")
    max_credit_hours = f.positive_number("max_credit_hours")
    _check_hours(f, estimated_minutes, max_credit_hours)
    participation = f.text("participation")
    release = f.date("release_date")
    review = f.date("last_review_date")
    expiry = f.date("expiry_date")
    _check_dates(f, release, review, expiry)
    module_slugs = f.text_list("modules", what="module")
    modules = _read_course_modules(f, course_dir, module_slugs) if module_slugs else []
    if len(problems) > start:
        return None
    assert slug and title and version and summary and participation  # for type checkers
    assert audience is not None and faculty is not None and release and review and expiry
    assert estimated_minutes is not None and max_credit_hours is not None
    return Course(
        slug=slug,
        title=title,
        version=version,
        summary=summary,
        audience=audience,
        faculty=faculty,
        estimated_minutes=estimated_minutes,
        max_credit_hours=max_credit_hours,
        participation=participation,
        release_date=release,
        last_review_date=review,
        expiry_date=expiry,
        modules=tuple(modules),
        source_path=course_dir,
    )


def _check_hours(f: _Fields, minutes: int | None, hours: float | None) -> None:
    if minutes and hours and hours * 60 > minutes:
        f.fail(
            ("max_credit_hours",),
            f"max_credit_hours: {hours:g} hours is more than the estimated {minutes} minutes",
        )


def _check_dates(
    f: _Fields, release: date | None, review: date | None, expiry: date | None
) -> None:
    """Expiry after review (within MAX_VALIDITY_YEARS of it) and after release."""
    if review and expiry:
        if expiry <= review:
            f.fail(("expiry_date",), "expiry_date must be after last_review_date")
        elif expiry > _add_years(review, MAX_VALIDITY_YEARS):
            f.fail(
                ("expiry_date",),
                f"expiry_date {expiry} is more than {MAX_VALIDITY_YEARS} years after "
                f"last_review_date {review}",
            )
    if release and expiry and expiry <= release and not (review and expiry <= review):
        f.fail(("expiry_date",), "expiry_date must be after release_date")


def _read_course_modules(
    f: _Fields, course_dir: Path, module_slugs: tuple[str, ...]
) -> list[Module]:
    """The listed modules, checked against the folders on disk (same names, same order)."""
    on_disk = [p.name for p in _module_dirs(course_dir)]
    for index, module_slug in enumerate(module_slugs):
        if module_slug not in on_disk:
            f.fail(("modules", index), f"modules: no folder '{module_slug}' for this module")
    for name in on_disk:
        if name not in module_slugs:
            f.fail(("modules",), f"modules: folder '{name}' is not listed in modules")
    listed = [slug for slug in module_slugs if slug in on_disk]
    if listed != sorted(listed):
        f.fail(("modules",), "modules: list the modules in folder-name order")
    index_map = _index_for(course_dir)
    modules: list[Module] = []
    for position, module_slug in enumerate(module_slugs, start=1):
        if module_slug in on_disk:
            module = _read_module(course_dir / module_slug, position, f.problems, index_map)
            if module is not None:
                modules.append(module)
    return modules


def _read_faculty(f: _Fields) -> tuple[Faculty, ...] | None:
    entries = f.items("faculty", True, non_empty=True)
    if entries is None:
        return None
    out: list[Faculty] = []
    for index in range(len(entries)):
        g = _Fields(f.doc, f.problems, ("faculty", index), _FACULTY_FIELDS, f"faculty[{index + 1}]")
        if not g.ok:
            continue
        values = [value for name in _FACULTY_FIELDS if (value := g.text(name))]
        if len(values) == len(_FACULTY_FIELDS):
            out.append(Faculty(*values))
    return tuple(out) if len(out) == len(entries) else None


# --------------------------------------------------------------------------------------------
# Module


@dataclass(slots=True)
class _ModuleYaml:
    slug: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    takeaways: tuple[str, ...]
    references: tuple[Reference, ...]
    slug_line: int


def _read_module_yaml(yaml_path: Path, folder: str, problems: list[Problem]) -> _ModuleYaml | None:
    file = str(yaml_path)
    start = len(problems)
    text = _read_text(yaml_path, problems)
    doc = _load_yaml(text, file, problems) if text is not None else None
    if doc is None:
        return None
    f = _Fields(doc, problems, (), _MODULE_FIELDS)
    slug = f.slug("slug")
    if slug is not None and slug != folder:
        f.fail(("slug",), f"slug '{slug}' does not match the folder name '{folder}'")
    title = f.text("title")
    summary = f.text("summary")
    objectives = f.text_list("objectives")
    takeaways = f.text_list("takeaways")
    references = _read_references(f)
    if len(problems) > start:
        return None
    assert slug and title and summary and objectives and takeaways and references is not None
    return _ModuleYaml(slug, title, summary, objectives, takeaways, references, doc.line(("slug",)))


def _read_references(f: _Fields) -> tuple[Reference, ...] | None:
    entries = f.items("references", True, non_empty=True)
    if entries is None:
        return None
    out: list[Reference] = []
    for index in range(len(entries)):
        path = ("references", index)
        g = _Fields(f.doc, f.problems, path, _REFERENCE_FIELDS, f"references[{index + 1}]")
        if not g.ok:
            continue
        body, title, url = g.text("body"), g.text("title"), g.text("url", required=False)
        year = g.get("year", False)
        if year is _MISSING:
            year = None
        elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            g.fail((*path, "year"), f"{g.name('year')}: must be a year, got {_show(year)}")
            continue
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            g.fail((*path, "url"), f"{g.name('url')}: must be an http(s) address")
            continue
        if body and title:
            out.append(Reference(body, title, year, url))
    return tuple(out) if len(out) == len(entries) else None


def _read_module(
    module_dir: Path,
    position: int,
    problems: list[Problem],
    index: dict[str, set[str]] | None,
) -> Module | None:
    yaml_path = module_dir / "module.yaml"
    start = len(problems)
    folder = module_dir.resolve().name
    if not _MODULE_DIR.match(folder):
        problems.append(Problem(str(module_dir), 0, "module folder names must look like NN-slug"))
    meta = None
    if yaml_path.is_file():
        meta = _read_module_yaml(yaml_path, folder, problems)
    else:
        problems.append(Problem(str(yaml_path), 0, "missing module.yaml"))

    lesson_files = _lesson_files(module_dir)
    if not lesson_files:
        problems.append(Problem(str(yaml_path), 1, "module has no lesson files (NN-slug.md)"))
    lessons: list[Lesson] = []
    prefixes: dict[str, Path] = {}
    slugs: dict[str, Path] = {}
    for lesson_position, lesson_path in enumerate(lesson_files, start=1):
        match = _LESSON_FILE.match(lesson_path.name)
        if match:
            prefix = match.group(1)
            if prefix in prefixes:
                problems.append(
                    Problem(
                        str(lesson_path),
                        1,
                        f"number prefix {prefix} is also used by {prefixes[prefix].name}",
                    )
                )
            prefixes.setdefault(prefix, lesson_path)
        lesson = _read_lesson(lesson_path, folder, lesson_position, problems, index)
        if lesson is None:
            continue
        if lesson.slug in slugs:
            problems.append(
                Problem(
                    str(lesson_path),
                    _field_line(lesson_path, "slug"),
                    f"slug '{lesson.slug}' is also used by {slugs[lesson.slug].name}",
                )
            )
        slugs.setdefault(lesson.slug, lesson_path)
        lessons.append(lesson)
    if len(problems) > start or meta is None:
        return None
    return Module(
        slug=meta.slug,
        title=meta.title,
        summary=meta.summary,
        objectives=meta.objectives,
        takeaways=meta.takeaways,
        references=meta.references,
        lessons=tuple(lessons),
        position=position,
        source_path=yaml_path,
    )


def _field_line(path: Path, name: str) -> int:
    """Line of a top-level front-matter field, for problems found after loading."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith(f"{name}:"):
                return number
    return 1


# --------------------------------------------------------------------------------------------
# Lesson


def _read_lesson(
    path: Path,
    module_slug: str,
    position: int,
    problems: list[Problem],
    index: dict[str, set[str]] | None,
) -> Lesson | None:
    file = str(path)
    start = len(problems)
    match = _LESSON_FILE.match(path.name)
    if not match:
        problems.append(Problem(file, 1, "lesson file names must look like NN-slug.md"))
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(file, 1, "a lesson must start with '---' front matter"))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.append(Problem(file, 1, "front matter is not closed with '---'"))
        return None
    body = "".join(lines[end + 1 :])
    body_line = end + 2
    doc = _load_yaml("".join(lines[1:end]), file, problems, first_line=2, root_line=1)
    meta: dict[str, Any] = {}
    if doc is not None:
        f = _Fields(doc, problems, (), _LESSON_FIELDS)
        meta["slug"] = f.slug("slug")
        if meta["slug"] is not None and match and meta["slug"] != match.group(2):
            f.fail(
                ("slug",),
                f"slug '{meta['slug']}' does not match the file name "
                f"(expected '{match.group(2)}' for {path.name})",
            )
        meta["title"] = f.text("title")
        meta["minutes"] = f.positive_int("minutes")
        meta["summary"] = f.text("summary")
        meta["guidelines"] = f.guideline_list("guidelines")
        meta["risks"] = f.text_list(
            "risks", required=False, non_empty=False, allowed=tuple(RISKS), what="risk"
        )
        meta["benefits"] = f.text_list(
            "benefits", required=False, non_empty=False, allowed=tuple(BENEFITS), what="benefit"
        )
    check_body(body, file, body_line, problems, module_dir=path.parent, index=index)
    if len(problems) > start or doc is None:
        return None
    return Lesson(
        module_slug=module_slug,
        body=body,
        source_path=path,
        body_line=body_line,
        position=position,
        **meta,
    )


class _KeepLinks(MarkdownIt):
    """Keeps every link, so the checker reports a bad one instead of the parser dropping it."""

    def validateLink(self, url: str) -> bool:
        return True


def _body_parser() -> MarkdownIt:
    md = _KeepLinks("commonmark", {"html": True, "linkify": False}).enable("table")
    md.use(container_plugin, name="callout", validate=lambda params, markup: True)
    return md


@dataclass(slots=True)
class _BodyWalk:
    file: str
    body_line: int
    lines: list[str]
    problems: list[Problem]
    module_dir: Path | None
    index: dict[str, set[str]] | None
    cursor: dict[int, tuple[int, int]] = field(default_factory=dict)

    def report(self, offset: int, message: str) -> None:
        self.problems.append(Problem(self.file, self.body_line + offset, message))

    def locate(self, block: list[int] | None, needles: Sequence[str]) -> int:
        """0-based body line of the next occurrence of a needle, moving forward in the block."""
        first, last = (block[0], block[1]) if block else (0, len(self.lines))
        line, column = self.cursor.get(first, (first, 0))
        for low, low_column, high in ((line, column, last), (first, 0, last), (0, 0, None)):
            for offset in range(low, min(high or len(self.lines), len(self.lines))):
                start = low_column if offset == low else 0
                found = [
                    at
                    for needle in needles
                    if needle and (at := self.lines[offset].find(needle, start)) >= 0
                ]
                if found:
                    self.cursor[first] = (offset, min(found) + 1)
                    return offset
        return first


def check_body(
    body: str,
    file: str,
    body_line: int,
    problems: list[Problem],
    *,
    module_dir: Path | None = None,
    index: dict[str, set[str]] | None = None,
) -> None:
    """Check one Markdown body; lines are reported as body_line + offset in `file`."""
    walk = _BodyWalk(file, body_line, body.splitlines(), problems, module_dir, index)
    _walk_tokens(_body_parser().parse(body), walk, None)


def _walk_tokens(tokens: Sequence[Token], walk: _BodyWalk, block: list[int] | None) -> None:
    for token in tokens:
        if token.map is not None:
            block = token.map
        line = block[0] if block else 0
        if token.type == "heading_open" and token.tag == "h1":
            walk.report(line, "H1 heading in the body: the page prints the title; start at ##")
        elif token.type == "html_block":
            walk.report(line, f"raw HTML is not allowed (it is stripped): {_snippet(token)}")
        elif token.type == "html_inline":
            at = walk.locate(block, [token.content])
            walk.report(at, f"raw HTML is not allowed (it is stripped): {_snippet(token)}")
        elif token.type == "container_callout_open":
            _check_callout(token, walk, line)
        elif token.type == "link_open":
            _check_link(str(token.attrGet("href") or ""), walk, block)
        elif token.type == "image":
            _check_image(token, walk, block)
        if token.children:
            _walk_tokens(token.children, walk, block)


def _snippet(token: Token) -> str:
    text = " ".join(token.content.split())
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


def _check_callout(token: Token, walk: _BodyWalk, line: int) -> None:
    kind = token.info.strip().split(" ", 1)[0] if token.info.strip() else ""
    if kind not in CALLOUT_KINDS:
        shown = f"'{kind}'" if kind else "missing"
        walk.report(line, f"callout kind {shown}: use one of {', '.join(CALLOUT_KINDS)}")
    assert token.map is not None
    close = token.map[1]
    if close >= len(walk.lines) or not _CLOSING_FENCE.match(walk.lines[close]):
        walk.report(line, "callout is not closed with ':::'")


def _check_link(href: str, walk: _BodyWalk, block: list[int] | None) -> None:
    at = walk.locate(block, [href, unquote(href)])
    scheme = urlsplit(href).scheme.lower()
    if scheme == "lesson":
        match = _LESSON_LINK.match(unquote(href))
        if not match:
            walk.report(at, f"lesson link '{href}' must look like lesson:module-slug/lesson-slug")
        elif walk.index is not None:
            module, lesson = match.group(1), match.group(2)
            if module not in walk.index:
                walk.report(at, f"lesson link '{href}': no module '{module}'")
            elif lesson not in walk.index[module]:
                walk.report(at, f"lesson link '{href}': no lesson '{lesson}' in {module}")
    elif scheme in ("http", "https", "mailto"):
        return
    elif scheme:
        walk.report(at, f"link '{href}': only http, https, mailto and lesson: links are allowed")
    elif not href.startswith("#"):
        walk.report(
            at, f"link '{href}': use lesson:module/lesson for lessons or a full https:// address"
        )


def _check_image(token: Token, walk: _BodyWalk, block: list[int] | None) -> None:
    src = str(token.attrGet("src") or "")
    at = walk.locate(block, [src, unquote(src)])
    if not token.content.strip():
        walk.report(at, f"image '{src}' has no alt text: describe it for screen readers")
    if urlsplit(src).scheme or src.startswith(("/", "//")):
        walk.report(at, f"image '{src}' must be a file in the module folder (e.g. images/x.svg)")
        return
    relative = unquote(src)
    if not relative.lower().endswith(IMAGE_SUFFIXES):
        walk.report(at, f"image '{src}' must be an SVG or PNG file")
    if walk.module_dir is None:
        return
    root = walk.module_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        walk.report(at, f"image '{src}' points outside the module folder")
    elif not target.is_file():
        walk.report(at, f"image '{src}' does not exist in {walk.module_dir.name}/")
