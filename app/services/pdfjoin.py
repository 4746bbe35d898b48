"""Join PDF files page after page, streaming: memory does not grow with the number of parts.

ReportLab builds a whole document in memory and formats all of it at `save()`, so a
2,300-page completion report grows the process by ~0.35 KB per learner. The report is therefore
drawn in parts of a few hundred pages (each a small, complete PDF) that this module joins into
one file: it reads one part at a time with pypdf, renumbers its objects after the ones already
written, hangs its pages under one page tree and copies stream data as it is (no decoding).
Only the object offsets and page numbers are kept, a few bytes per object.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

__all__ = ["join_pdfs"]

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


class _Out:
    """A binary file that knows its offset."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.fh.write(data)
        self.offset += len(data)
        return len(data)


def _write(obj: Any, out: _Out, renumber: dict[int, int]) -> None:
    """Serialise a pypdf object with its indirect references renumbered."""
    if isinstance(obj, IndirectObject):
        out.write(b"%d 0 R" % renumber[obj.idnum])
    elif isinstance(obj, StreamObject):
        data = obj._data  # the encoded bytes, copied as they are
        _write_dict(obj, out, renumber, {NameObject("/Length"): len(data)})
        out.write(b"\nstream\n")
        out.write(data)
        out.write(b"\nendstream")
    elif isinstance(obj, DictionaryObject):
        _write_dict(obj, out, renumber, {})
    elif isinstance(obj, ArrayObject):
        out.write(b"[")
        for i, item in enumerate(obj):
            if i:
                out.write(b" ")
            _write(item, out, renumber)
        out.write(b"]")
    else:
        obj.write_to_stream(out)


def _write_dict(
    obj: DictionaryObject, out: _Out, renumber: dict[int, int], override: dict[NameObject, Any]
) -> None:
    out.write(b"<<")
    for key, value in obj.items():
        if key in override:
            continue
        key.write_to_stream(out)
        out.write(b" ")
        _write(value, out, renumber)
        out.write(b"\n")
    for key, raw in override.items():
        key.write_to_stream(out)
        out.write(b" %d\n" % raw if isinstance(raw, int) else b" " + raw + b"\n")
    out.write(b">>")


def _pages_in_order(reader: PdfReader) -> list[int]:
    return [page.indirect_reference.idnum for page in reader.pages]  # type: ignore[union-attr]


def join_pdfs(paths: Sequence[str], out_fh: IO[bytes], *, title: str, author: str) -> int:
    """Write the pages of `paths`, in order, as one PDF to `out_fh`; returns the page count.

    Objects 1-3 are the new catalog, page tree and info; every part's objects follow, except
    its own catalog, page tree and info. Each page's /Parent becomes the new page tree.
    """
    out = _Out(out_fh)
    out.write(_HEADER)
    offsets: dict[int, int] = {}
    kids: list[int] = []
    next_number = 4
    for path in paths:
        reader = PdfReader(path)
        root = reader.trailer.raw_get("/Root")
        skip = {root.idnum, root.get_object().raw_get("/Pages").idnum}
        if "/Info" in reader.trailer:
            skip.add(reader.trailer.raw_get("/Info").idnum)
        numbers = sorted(n for n, _gen in _object_numbers(reader) if n not in skip and n != 0)
        renumber = {n: next_number + i for i, n in enumerate(numbers)}
        renumber.update(dict.fromkeys(skip, 2))  # a stray reference to the old root: the new tree
        order = _pages_in_order(reader)
        pages = set(order)
        for n in numbers:
            obj = reader.get_object(n)
            offsets[renumber[n]] = out.offset
            out.write(b"%d 0 obj\n" % renumber[n])
            if n in pages:
                _write_dict(obj, out, renumber, {NameObject("/Parent"): b"2 0 R"})
            else:
                _write(obj, out, renumber)
            out.write(b"\nendobj\n")
        kids.extend(renumber[n] for n in order)
        next_number += len(numbers)
        # pypdf's objects point back at their reader (a cycle): collect now, or every part's
        # parsed objects stay until the cyclic collector happens to run (29 MB for 12 parts).
        del reader, root, obj
        gc.collect()
    offsets[1] = out.offset
    out.write(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    offsets[2] = out.offset
    out.write(b"2 0 obj\n<< /Type /Pages /Count %d /Kids [" % len(kids))
    for i in range(0, len(kids), 16):
        out.write(b" ".join(b"%d 0 R" % k for k in kids[i : i + 16]) + b"\n")
    out.write(b"] >>\nendobj\n")
    offsets[3] = out.offset
    info = b"<< /Title %s /Author %s /Producer (PostRx) >>" % (_text(title), _text(author))
    out.write(b"3 0 obj\n" + info + b"\nendobj\n")
    xref = out.offset
    size = next_number
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[n])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\n" % size)
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return len(kids)


def _object_numbers(reader: PdfReader) -> list[tuple[int, int]]:
    """Every (object number, generation) in the part's cross-reference table."""
    found: list[tuple[int, int]] = []
    for gen, table in reader.xref.items():
        found.extend((n, gen) for n in table)
    return found


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, hex-encoded (any script, no escaping)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
