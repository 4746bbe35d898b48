"""Reading a roster CSV: streamed line by line, every row validated before anything is written.

The source is bytes or a binary file object (an upload's stream, a spooled job file); it is read
once, one line at a time, so a 100,000-row roster is never held as bytes, text and rows at once.
Problems are collected for every line and raised together as one RosterError naming the file,
line and field, exactly as when the whole file was decoded up front.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from flask import current_app

from app.models import Profession
from app.services.accounts import normalize_email
from vocab import normalise_profession

ROSTER_COLUMNS = ("email", "name", "department", "profession", "credentials")
ROSTER_OPTIONAL = ("employee_id",)
DEFAULT_ROSTER_MAX_BYTES = 16 * 1024 * 1024  # 100,000 rows is about 8 MB
DEFAULT_ROSTER_MAX_ROWS = 100_000
PROGRESS_EVERY = 1000
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_LONE_CR = re.compile(r"\r(?!\n)")
_CONTROL = re.compile(r"[\x00-\x1f]")
_MB = 1_048_576

RosterSource = bytes | BinaryIO
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RosterProblem:
    line: int
    field: str
    message: str


class RosterError(ValueError):
    """The roster was rejected; nothing was saved. `problems` lists every bad row and field."""

    def __init__(self, filename: str, problems: list[RosterProblem]) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.filename}:{p.line}: {p.field}: {p.message}" for p in self.problems]


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    email: str
    name: str
    department: str
    profession: str
    credentials: str
    employee_id: str | None


class _Lines:
    """The source's text lines for csv.reader, decoded one at a time.

    Line breaks are \\n, \\r\\n or a lone \\r (as a text file opened with newline=""), so
    csv's line numbers are the ones a spreadsheet shows. A decoding error or a file over the size
    limit becomes a RosterError naming the line.
    """

    def __init__(self, source: RosterSource, filename: str, max_bytes: int) -> None:
        if isinstance(source, bytes):
            source = io.BytesIO(source)  # shares the bytes' buffer: no copy
        elif isinstance(source, io.RawIOBase):
            source = cast(BinaryIO, io.BufferedReader(source))  # lines without byte-sized reads
        self.stream: BinaryIO = source
        self.filename = filename
        self.max_bytes = max_bytes
        self.size, self.line_count = _measure(self.stream)
        if self.size is not None and self.size > max_bytes:
            self._too_big(f"the file is {self.size / _MB:.1f} MB")
        self._iter = self._decoded()

    def __iter__(self) -> Iterator[str]:
        return self._iter

    def _too_big(self, what: str) -> None:
        message = (
            f"{what}; the limit is {self.max_bytes / _MB:.1f} MB. Split it into smaller files."
        )
        raise RosterError(self.filename, [RosterProblem(0, "file", message)])

    def _decoded(self) -> Iterator[str]:
        read = 0
        for number, raw in enumerate(self.stream, start=1):
            read += len(raw)
            if read > self.max_bytes:  # only reached when the size was not known up front
                self._too_big("the file is larger than the limit")
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                problem = RosterProblem(number, "file", "not UTF-8 text; save the CSV as UTF-8")
                raise RosterError(self.filename, [problem]) from None
            body = text[:-2] if text.endswith("\r\n") else text
            if "\r" in body:
                yield from _split_lone_cr(text)
            else:
                yield text

    def drain(self) -> None:
        """Read to the end, so a decoding error further on is still the one reported."""
        for _ in self._iter:
            pass


def _measure(stream: BinaryIO) -> tuple[int | None, int | None]:
    """(bytes left, lines left) of a seekable stream, without keeping them; (None, None) if not."""
    try:
        if not stream.seekable():
            return None, None
        start = stream.tell()
    except (AttributeError, OSError, ValueError):
        return None, None
    size = lines = 0
    last = b"\n"
    while chunk := stream.read(1 << 20):
        size += len(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    stream.seek(start)
    return size, lines + (last != b"\n")


def _split_lone_cr(text: str) -> Iterator[str]:
    start = 0
    for match in _LONE_CR.finditer(text):
        yield text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield text[start:]


def parse_roster(
    source: RosterSource, filename: str = "roster.csv", *, progress: Progress | None = None
) -> list[RosterRow]:
    """Validate every row first; raise RosterError listing each bad line and field.

    `progress(rows read, rows expected)` is called every PROGRESS_EVERY good rows; the
    expectation is the file's line count less the header (never below the rows read, which is
    all there is to go on when the stream cannot be measured).
    """
    max_bytes = current_app.config.get("ROSTER_MAX_BYTES", DEFAULT_ROSTER_MAX_BYTES)
    max_rows = current_app.config.get("ROSTER_MAX_ROWS", DEFAULT_ROSTER_MAX_ROWS)
    lines = _Lines(source, filename, max_bytes)
    try:
        return _Validator(filename, max_rows).run(lines, progress)
    except RosterError:
        lines.drain()  # a later decoding error wins, as if the whole file had been decoded first
        raise


class _Validator:
    """One pass over the records: the rows that are good and the problems of the others."""

    def __init__(self, filename: str, max_rows: int) -> None:
        self.filename = filename
        self.max_rows = max_rows
        self.problems: list[RosterProblem] = []
        self.seen_email: dict[str, int] = {}
        self.seen_emp: dict[str, int] = {}

    def run(self, lines: _Lines, progress: Progress | None) -> list[RosterRow]:
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            raise RosterError(
                self.filename, [RosterProblem(1, "file", "the file is empty")]
            ) from None
        index = self._columns(header)
        positions = [index.get(c, -1) for c in _ALL]
        expected = max((lines.line_count or 1) - 1, 0)
        rows: list[RosterRow] = []
        line = 1
        for record in reader:
            line = reader.line_num
            if not "".join(record).strip():  # a blank line (the C-level test: ~1 µs a row)
                continue
            if len(rows) + len(self.problems) >= self.max_rows:
                message = f"more than {self.max_rows} rows; split the file"
                self.problems.append(RosterProblem(line, "file", message))
                break
            width = len(record)
            cells = [record[i].strip() if 0 <= i < width else "" for i in positions]
            row = self._row(line, cells)
            if row is not None:
                rows.append(row)
                if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                    progress(len(rows), max(expected, len(rows)))
        if self.problems:
            raise RosterError(self.filename, self.problems)
        if not rows:
            raise RosterError(
                self.filename, [RosterProblem(line, "file", "no rows after the header")]
            )
        return rows

    def _columns(self, header: list[str]) -> dict[str, int]:
        names = [h.strip().lower().replace(" ", "_") for h in header]
        missing = [c for c in ROSTER_COLUMNS if c not in names]
        if missing:
            problems = [RosterProblem(1, c, "column missing from the header row") for c in missing]
            raise RosterError(self.filename, problems)
        return {name: i for i, name in enumerate(names)}

    def _add(self, line: int, field: str, message: str) -> None:
        self.problems.append(RosterProblem(line, field, message))

    def _row(self, line: int, cells: list[str]) -> RosterRow | None:
        raw_email, raw_name, raw_dept, prof_raw, creds, emp_raw = cells
        before = len(self.problems)
        email = self._email(line, normalize_email(raw_email))
        name = self._name(line, " ".join(raw_name.split()))
        dept = " ".join(raw_dept.split())
        if len(dept) > 200:
            self._add(line, "department", "longer than 200 characters")
        profession = normalise_profession(prof_raw) if prof_raw else "other"
        if profession is None:
            allowed = ", ".join(p.value for p in Profession)
            self._add(line, "profession", f"{prof_raw!r} is not one of: {allowed}")
        if len(creds) > 100:
            self._add(line, "credentials", "longer than 100 characters")
        emp = self._employee_id(line, emp_raw or None)
        if len(self.problems) > before:
            return None
        return RosterRow(line, email, name, dept, profession or "other", creds, emp)

    def _email(self, line: int, email: str) -> str:
        if not email:
            self._add(line, "email", "required")
        elif len(email) > 254 or not _EMAIL.match(email):
            self._add(line, "email", f"{email!r} is not an email address")
        elif email in self.seen_email:
            self._add(line, "email", f"same email as line {self.seen_email[email]}")
        else:
            self.seen_email[email] = line
        return email

    def _name(self, line: int, name: str) -> str:
        if not name:
            self._add(line, "name", "required")
        elif len(name) > 200 or _CONTROL.search(name):
            self._add(line, "name", "too long or contains control characters")
        return name

    def _employee_id(self, line: int, emp: str | None) -> str | None:
        if emp is None:
            return None
        if len(emp) > 64:
            self._add(line, "employee_id", "longer than 64 characters")
        elif emp in self.seen_emp:
            self._add(line, "employee_id", f"same employee_id as line {self.seen_emp[emp]}")
        else:
            self.seen_emp[emp] = line
        return emp


_ALL = (*ROSTER_COLUMNS, *ROSTER_OPTIONAL)
