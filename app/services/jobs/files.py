"""A job's files, stored in the database in chunks so that every web host can read them.

Written from a stream in 1 MiB pieces and read back one piece at a time: a 50 MB report costs
the worker and the web process about one chunk of memory, whichever host built it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models.job import JobChunk

CHUNK = 1024 * 1024


def write_stream(job_id: str, part: str, stream: BinaryIO) -> int:
    """Store everything left in `stream` as the job's `part` ("in" or "out"); returns bytes."""
    db.session.execute(delete(JobChunk).where(JobChunk.job_id == job_id, JobChunk.part == part))
    size = 0
    seq = 0
    while True:
        data = stream.read(CHUNK)
        if not data:
            break
        db.session.add(JobChunk(job_id=job_id, part=part, seq=seq, data=data))
        db.session.flush()
        _forget_chunks()
        size += len(data)
        seq += 1
    return size


def _forget_chunks() -> None:
    """Drop flushed chunk objects from the session so a large file is not held in memory."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, JobChunk):
            db.session.expunge(obj)


def write_bytes(job_id: str, part: str, data: bytes) -> int:
    return write_stream(job_id, part, io.BytesIO(data))


def iter_chunks(job_id: str, part: str) -> Iterator[bytes]:
    """The stored bytes, one chunk per query (the web host never holds the whole file)."""
    count = db.session.scalar(
        select(func.count()).where(JobChunk.job_id == job_id, JobChunk.part == part)
    )
    for seq in range(count or 0):
        data = db.session.scalar(
            select(JobChunk.data).where(
                JobChunk.job_id == job_id, JobChunk.part == part, JobChunk.seq == seq
            )
        )
        if data is None:  # deleted while being read (cleanup): stop rather than send a gap
            return
        yield bytes(data)


class ChunkReader(io.RawIOBase):
    """A read-only binary file over a job's stored part, for code that wants a file object."""

    def __init__(self, job_id: str, part: str) -> None:
        self._chunks = iter_chunks(job_id, part)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]  # buffer protocol
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def open_part(job_id: str, part: str) -> BinaryIO:
    """A buffered binary reader over the stored part."""
    return io.BufferedReader(ChunkReader(job_id, part), buffer_size=CHUNK)
