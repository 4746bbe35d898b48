"""Every valid certificate of an institution's members as PDFs in one ZIP, built one PDF at a
time: as a stream of chunks for a download (`certificates_zip`) or into a file for a job
(`write_certificates_zip`), from the same code, byte for byte the same archive.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from sqlalchemy import Select, select

from app.extensions import db
from app.models import Institution, Membership
from app.models.certificate import Certificate
from app.services.reports.query import Progress, count_rows

PROGRESS_EVERY = 500  # certificates between two progress calls
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed member dates: the same certificates, the same bytes


class _Pipe:
    """A write-only file for zipfile that hands written bytes to a generator."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def _certificates(org: Institution) -> Select[Any]:
    members = select(Membership.user_id).where(Membership.institution_id == org.id)
    return (
        select(Certificate.number, Certificate.snapshot)
        .where(Certificate.user_id.in_(members), Certificate.status == "valid")
        .order_by(Certificate.id)
    )


def certificates_zip(
    org: Institution, base_url: str, *, progress: Progress | None = None
) -> Iterator[bytes]:
    """The ZIP, streamed: each PDF is rendered from its snapshot, written, and handed on before
    the next (memory holds one certificate whatever their number).

    `progress(done, total)` is called before the first certificate, every `PROGRESS_EVERY`
    certificates and after the last; the total is counted only when it is given."""
    from certificates.model import CertificateData
    from certificates.render import render_pdf

    stmt = _certificates(org)
    total = count_rows(stmt) if progress is not None else 0
    if progress is not None:
        progress(0, total)
    done = 0
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as zf:
        result = db.session.execute(stmt.execution_options(yield_per=100))
        try:
            for number, snapshot in result:
                pdf = render_pdf(CertificateData.from_dict(snapshot), base_url)
                zf.writestr(zipfile.ZipInfo(f"{number}.pdf", date_time=_ZIP_DATE), pdf)
                yield pipe.take()
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, max(total, done))
        finally:
            result.close()
    yield pipe.take()
    if progress is not None and done % PROGRESS_EVERY:
        progress(done, max(total, done))


def write_certificates_zip(
    org: Institution, base_url: str, out: BinaryIO, *, progress: Progress | None = None
) -> int:
    """Write the ZIP to a binary file object (a job's output file); returns bytes written."""
    written = 0
    for chunk in certificates_zip(org, base_url, progress=progress):
        if chunk:
            out.write(chunk)
            written += len(chunk)
    return written
