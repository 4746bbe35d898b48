"""Join PDF files page after page, streaming: memory does not grow with the number of parts.

ReportLab builds a whole document in memory and formats all of it at `save()`, so a
2,300-page completion report would grow the process by ~1 KB per learner. The report is
therefore drawn in parts of a few hundred pages (each a small, complete PDF) that this module
joins into one file: it reads one part at a time with pypdf, renumbers the objects its pages
use after the ones already written, hangs its pages under one page tree and writes streams as
they were read (still compressed, never decoded). Only the object offsets and page numbers are
kept, a few bytes per object.

pypdf's `PdfWriter` would hold every part's objects until `write()`; here only pypdf's public
object layer is used (`PdfReader.get_object`, the `generic` objects and their
`write_to_stream`), the layer that `PdfWriter` itself serialises with.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Sequence
from typing import IO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    PdfObject,
    StreamObject,
)

__all__ = ["join_pdfs"]

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
_CATALOG, _TREE, _INFO = 1, 2, 3  # the joined file's own objects; the parts' follow


class _Out:
    """A binary file that knows its offset (the cross-reference table needs each object's)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.fh.write(data)
        self.offset += len(data)
        return len(data)


class _Numbering:
    """New object numbers for one part, given out on first reference, in the order found.

    Walking from the pages copies exactly what they use (content, resources, fonts) and drops
    what only the part's catalog pointed at (its outline, its info).
    """

    def __init__(self, first: int, skip: Sequence[int]) -> None:
        self.next = first
        # A stray reference to the part's catalog or page tree points at the new tree.
        self.new: dict[int, int] = dict.fromkeys(skip, _TREE)
        self.pending: deque[int] = deque()

    def __call__(self, old: int) -> int:
        if old not in self.new:
            self.new[old] = self.next
            self.next += 1
            self.pending.append(old)
        return self.new[old]


def _renumbered(obj: PdfObject, number: _Numbering) -> PdfObject:
    """`obj` with every indirect reference in it renumbered.

    Dictionaries and arrays are copied (a direct object may be shared, e.g. an attribute pypdf
    copied from the page tree to each page); a stream, always an object of its own, keeps its
    data and gets its dictionary's values replaced.
    """
    if isinstance(obj, IndirectObject):
        return IndirectObject(number(obj.idnum), 0, obj.pdf)
    if isinstance(obj, StreamObject):
        for key in list(obj):
            obj[key] = _renumbered(obj.raw_get(key), number)
        return obj
    if isinstance(obj, DictionaryObject):
        return _renumbered_dict(obj, number)
    if isinstance(obj, ArrayObject):
        return ArrayObject(_renumbered(item, number) for item in obj)
    return obj


def _renumbered_dict(obj: DictionaryObject, number: _Numbering) -> DictionaryObject:
    """A copy of the dictionary `obj` with every indirect reference in it renumbered."""
    copy = DictionaryObject()
    for key in obj:
        copy[key] = _renumbered(obj.raw_get(key), number)
    return copy


def _copy_part(path: str, out: _Out, offsets: dict[int, int], first: int) -> tuple[list[int], int]:
    """Write one part's pages and what they use, numbered from `first`; returns the pages'
    new numbers, in order, and the next free number."""
    reader = PdfReader(path)
    root = reader.trailer.raw_get("/Root")
    number = _Numbering(first, (root.idnum, root.get_object().raw_get("/Pages").idnum))
    # `reader.pages` gives each page with what it inherits from its part's page tree
    # (/Resources, /MediaBox, ...) copied in: under the new tree it inherits nothing.
    by_id = {page.indirect_reference.idnum: page for page in reader.pages}  # type: ignore[union-attr]  # a page read from a file always has one
    pages = [number(old) for old in by_id]
    while number.pending:
        old = number.pending.popleft()
        if old in by_id:  # its /Parent may be a nested tree of the part: the new tree instead
            page = by_id[old]
            own = DictionaryObject({k: page.raw_get(k) for k in page if k != "/Parent"})
            page_dict = _renumbered_dict(own, number)
            page_dict[NameObject("/Parent")] = IndirectObject(_TREE, 0, None)
            found: PdfObject = page_dict
        else:
            obj = reader.get_object(old)
            found = NullObject() if obj is None else _renumbered(obj, number)
        offsets[number.new[old]] = out.offset
        out.write(b"%d 0 obj\n" % number.new[old])
        found.write_to_stream(out)  # type: ignore[arg-type]  # pypdf only calls .write()
        out.write(b"\nendobj\n")
    return pages, number.next


def join_pdfs(paths: Sequence[str], out_fh: IO[bytes], *, title: str, author: str) -> int:
    """Write the pages of `paths`, in order, as one PDF to `out_fh`; returns the page count.

    Each part's pages and what they use come first, numbered from 4; objects 1-3, the new
    catalog, page tree and info, are written last, once every page has its number.
    """
    out = _Out(out_fh)
    out.write(_HEADER)
    offsets: dict[int, int] = {}
    kids: list[int] = []
    next_number = _INFO + 1
    for path in paths:
        pages, next_number = _copy_part(path, out, offsets, next_number)
        kids.extend(pages)
        # pypdf's objects point back at their reader (a cycle): collect now, or every part's
        # parsed objects stay until the cyclic collector happens to run (29 MB for 12 parts).
        gc.collect()
    offsets[_CATALOG] = out.offset
    out.write(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    offsets[_TREE] = out.offset
    out.write(b"2 0 obj\n<< /Type /Pages /Count %d /Kids [" % len(kids))
    for i in range(0, len(kids), 16):
        out.write(b" ".join(b"%d 0 R" % k for k in kids[i : i + 16]) + b"\n")
    out.write(b"] >>\nendobj\n")
    offsets[_INFO] = out.offset
    info = b"<< /Title %s /Author %s /Producer (PostRx) >>" % (_text(title), _text(author))
    out.write(b"3 0 obj\n" + info + b"\nendobj\n")
    xref = out.offset
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % next_number)
    for n in range(1, next_number):
        out.write(b"%010d 00000 n \n" % offsets[n])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\n" % next_number)
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return len(kids)


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, hex-encoded (any script, no escaping)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
