"""What the background jobs build on: exports and the certificates ZIP report their progress and
write to a file, with the same bytes as the downloads."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.services import reports
from app.services.reports import query, zip_out
from tests.app.institution.conftest import NOW, add_learner

TODAY = NOW.date()


def _learners(org, make_user, n: int, state: str = "completed") -> None:
    for i in range(n):
        add_learner(org, make_user, name=f"Learner {i:02d}", state=state)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_an_export_reports_rows_done_of_the_total_after_each_batch(
    app, admin_org, make_user, monkeypatch, fmt
):
    _admin, org = admin_org
    _learners(org, make_user, 5)
    monkeypatch.setattr(query, "YIELD_PER", 2)  # batches of 2 instead of 500
    calls: list[tuple[int, int]] = []
    out = io.BytesIO()
    size = reports.export(org, fmt, out, progress=lambda done, total: calls.append((done, total)))
    # 6 members: the admin and five learners.
    assert calls == [(0, 6), (2, 6), (4, 6), (6, 6)]
    assert size == len(out.getvalue()) > 0


def test_progress_changes_nothing_in_the_file(app, admin_org, make_user) -> None:
    _admin, org = admin_org
    _learners(org, make_user, 3)
    plain, watched = io.BytesIO(), io.BytesIO()
    reports.export(org, "csv", plain)
    reports.export(org, "csv", watched, progress=lambda done, total: None)
    assert plain.getvalue() == watched.getvalue()
    assert plain.getvalue().decode("utf-8-sig").count("\n") == 1 + 4


def test_progress_counts_only_the_filtered_rows(app, admin_org, make_user) -> None:
    _admin, org = admin_org
    _learners(org, make_user, 2, state="in_progress")
    _learners(org, make_user, 1, state="not_started")
    calls: list[tuple[int, int]] = []
    filters = reports.ReportFilters(status="in_progress")
    reports.export(org, "csv", io.BytesIO(), filters, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 2), (2, 2)]


def test_an_unknown_format_is_a_domain_error_that_writes_nothing(app, admin_org) -> None:
    _admin, org = admin_org
    out = io.BytesIO()
    with pytest.raises(reports.UnknownFormat, match="'docx'"):
        reports.export(org, "docx", out)
    assert out.getvalue() == b""


def test_the_certificates_zip_written_to_a_file_is_the_streamed_zip(
    app, admin_org, make_user, monkeypatch
):
    _admin, org = admin_org
    _learners(org, make_user, 3, state="certified")
    _learners(org, make_user, 1, state="in_progress")  # no certificate
    monkeypatch.setattr(zip_out, "PROGRESS_EVERY", 2)
    calls: list[tuple[int, int]] = []
    out = io.BytesIO()
    size = reports.write_certificates_zip(
        org, "https://postrx.example", out, progress=lambda d, t: calls.append((d, t))
    )
    streamed = b"".join(reports.certificates_zip(org, "https://postrx.example"))
    assert out.getvalue() == streamed and size == len(streamed)
    assert calls == [(0, 3), (2, 3), (3, 3)]  # start, every 2nd, and the last
    names = zipfile.ZipFile(io.BytesIO(streamed)).namelist()
    assert len(names) == 3 and all(n.endswith(".pdf") for n in names)


def test_an_institution_without_certificates_gets_an_empty_zip_and_one_call(app, admin_org) -> None:
    _admin, org = admin_org
    calls: list[tuple[int, int]] = []
    out = io.BytesIO()
    reports.write_certificates_zip(
        org, "https://x.example", out, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(0, 0)]
    assert zipfile.ZipFile(out).namelist() == []
