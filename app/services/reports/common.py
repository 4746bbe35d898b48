"""What every report writer shares: formula-safe cells, text every format can carry, and the
temporary files that large outputs are built in before they are streamed (one process's disk,
never its memory)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset("".join(_DANGEROUS))


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: text starting with = + - @ tab or CR gets a quote."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe_text(value: str | None) -> str:
    """csv_safe for text cells (None as empty), cheap enough for the CSV's hot loop."""
    if not value:
        return ""
    return "'" + value if value[0] in _FORMULA_STARTS else value


# XML 1.0 (so XLSX) cannot carry C0 controls other than tab, LF and CR, U+FFFE, U+FFFF or lone
# surrogates; a PDF text line shows no control character at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_PDF = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """Text without the characters XML cannot hold (dropped), so one bad name cannot break an
    XLSX; other values unchanged."""
    if isinstance(value, str) and _NOT_XML.search(value):
        return _NOT_XML.sub("", value)
    return value


def pdf_safe(text: str) -> str:
    """Text a PDF line can show: control characters become spaces, lone surrogates go."""
    if text.isprintable():
        return text
    return _NOT_PDF.sub(lambda m: "" if m.group() >= "\ud800" else " ", text)


def as_date(value: Any) -> date | None:
    """A date from what the driver returns (a date, a datetime, or SQLite's ISO text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def iso_date(value: Any) -> str:
    """`as_date(value)` as ISO 8601 text, "" for None (the CSV's date cells)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def temp_path(suffix: str) -> str:
    """A new, empty temporary file's path; whoever streams it deletes it (`file_chunks`)."""
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="postrx-report-")
    os.close(fd)
    return path


def file_chunks(path: str, size: int = 64 * 1024) -> Iterator[bytes]:
    """The file's bytes in chunks; the file is deleted once read (or the reader gives up)."""
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(size):
                yield chunk
    finally:
        os.unlink(path)
