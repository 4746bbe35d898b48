"""Completion reports: filters, CSV injection, XLSX, PDF, certificate ZIP and the CLI."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import openpyxl
from pypdf import PdfReader

from app.services import reports
from app.services.institutions import create_assignment
from app.services.learning import get_course
from app.services.reports import ReportFilters, pdf_out
from tests.app.institution.conftest import NOW, add_learner, job_download
from vocab import guideline_name

TODAY = NOW.date()


def _people(org, admin, make_user):
    er, pharmacy = org.departments[0], org.departments[1]
    create_assignment(org, admin, due_date=TODAY + timedelta(days=10))
    create_assignment(org, admin, due_date=TODAY - timedelta(days=1), department_id=er.id)
    add_learner(org, make_user, name='=HYPERLINK("http://evil")', department=er)
    add_learner(
        org,
        make_user,
        name="Pat Pharm",
        profession="pharmacist",
        state="certified",
        department=pharmacy,
    )
    add_learner(org, make_user, name="Nia Nurse", state="in_progress")
    add_learner(
        org,
        make_user,
        name="Old Done",
        state="completed",
        department=er,
        completed_at=NOW - timedelta(days=90),
    )


def test_report_filters_by_department_status_profession_and_date(app, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    er, pharmacy = org.departments[0], org.departments[1]

    def names(**kw):
        rows, _ = reports.report_page(org, ReportFilters(**kw), today=TODAY)
        return sorted(r.name for r in rows)

    assert names(department_id=pharmacy.id) == ["Pat Pharm"]
    assert names(status="in_progress") == ["Nia Nurse"]
    assert names(profession="pharmacist") == ["Pat Pharm"]
    assert names(status="completed", date_from=TODAY - timedelta(days=30)) == ["Pat Pharm"]
    assert names(date_to=TODAY - timedelta(days=60)) == ["Old Done"]
    assert names(department_id=er.id, status="overdue") == ['=HYPERLINK("http://evil")']
    rows, total = reports.report_page(
        org, ReportFilters(sort="name", descending=True), per_page=2, today=TODAY
    )
    assert total == 5 and [r.name for r in rows] == ["Pat Pharm", "Old Done"]


def test_the_report_page_shows_rows_and_paginates(client, login, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    login(admin)
    html = client.get(f"/org/{org.slug}/report?status=in_progress").get_data(as_text=True)
    assert "Nia Nurse" in html and "Pat Pharm" not in html and "1 person matches" in html


def test_csv_cells_that_start_a_formula_are_quoted(app, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    text = b"".join(reports.write_csv(org, today=TODAY)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Name" and len(rows) == 6
    cells = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in cells
    for dangerous in ("=", "+", "-", "@", "\t", "\r"):
        assert reports.csv_safe(dangerous + "x") == "'" + dangerous + "x"
    assert reports.csv_safe("Ana") == "Ana"


def test_xlsx_has_typed_cells_a_frozen_header_and_an_autofilter(app, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    data = b"".join(reports.write_xlsx(org, today=TODAY))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L6"
    header = [c.value for c in ws[1]]
    assert header[0] == "Name" and header[-1] == "Status"
    pat = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Pat Pharm")
    assert isinstance(pat[4].value, int) and pat[6].value is True
    assert pat[8].is_date and pat[9].value == 3.0
    evil = next(r for r in ws.iter_rows(min_row=2) if "HYPERLINK" in str(r[0].value))
    assert evil[0].data_type == "s" and evil[0].value.startswith("'=")


def test_the_pdf_opens_with_the_summary_first_then_the_table(app, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    reader = PdfReader(io.BytesIO(b"".join(reports.write_pdf(org, today=TODAY))))
    first = reader.pages[0].extract_text()
    assert "Completed: 2 (completion rate 40.0%)" in first
    assert "Course: " + get_course().title in first
    assert "Overdue: 1" in first
    assert f"1. {guideline_name(1)}" in first and "100%" in first  # guideline 1 scored 3/3
    assert f"2. {guideline_name(2)}" in first and "25%" in first  # guideline 2 scored 1/4
    assert "Pat Pharm" in reader.pages[1].extract_text()


def test_the_pdf_table_fits_the_page_and_its_streams_are_compressed(app, admin_org, make_user):
    _admin, org = admin_org
    for i in range(60):  # more than one table page
        add_learner(
            org,
            make_user,
            name=f"Learner {i:02d} with a rather long name indeed",
            email=f"learner.{i:02d}.with.a.long.address@hospital-a.example",
            state="completed" if i % 2 else "in_progress",
        )
    reader = PdfReader(io.BytesIO(b"".join(reports.write_pdf(org, today=TODAY))))
    assert len(reader.pages) == 3  # summary + 2 table pages of at most 47 rows
    width = float(reader.pages[1].mediabox.width)
    assert 30 + sum(w for _, w in reports.PDF_COLUMNS) <= width - 30
    for page in reader.pages:
        stream = page["/Contents"].get_object()
        assert stream["/Filter"] in ("/FlateDecode", ["/FlateDecode"])
    table = reader.pages[1].extract_text()
    assert "Quiz scores" in table and "final-assessment 90%" in table
    # The table's fonts are ASCII-readable (ASCII written as itself: smaller for long tables).
    stream = reader.pages[1].get_contents().get_data()
    assert b"(Name)" in stream and b"(final-assessment 90%)" in stream
    assert "Learner 00 with a rather" in table and "…" in table  # cut, not overflowing
    assert "Learner 59" in reader.pages[2].extract_text()


def test_a_long_table_is_drawn_in_parts_of_at_most_pdf_part_pages(
    app, admin_org, make_user, monkeypatch
):
    # What keeps a 2,300-page report's memory flat: ReportLab holds one part at a time
    # (bench/reports.py measures the effect); the parts are joined into one file.
    _admin, org = admin_org
    for i in range(100):  # summary + 3 table pages
        add_learner(org, make_user, name=f"Learner {i:03d}", state="completed")
    from app.services.reports import pdfjoin

    joined: list[list[int]] = []
    real_join = pdfjoin.join_pdfs

    def spy(paths, fh, **kw):
        joined.append([len(PdfReader(p).pages) for p in paths])
        return real_join(paths, fh, **kw)

    monkeypatch.setattr(pdfjoin, "join_pdfs", spy)
    monkeypatch.setattr(pdf_out, "PDF_PART_PAGES", 2)
    reader = PdfReader(io.BytesIO(b"".join(reports.write_pdf(org, today=TODAY))), strict=True)
    assert joined == [[2, 2]]
    assert len(reader.pages) == 4
    assert "Completion report" in reader.pages[0].extract_text()
    assert "Learner 099" in reader.pages[-1].extract_text()


def test_cells_are_cut_to_their_column_width():
    from certificates.fonts import text_width

    long = "learner.00.with.a.very.long.address@hospital-a.example"
    cut = pdf_out._fit(long, 6.5, 116)
    assert cut.endswith("…") and len(cut) < len(long)
    assert text_width(cut, "sans", 6.5) <= 116
    assert pdf_out._fit("Nurse", 6.5, 58) == "Nurse"


def test_the_zip_has_one_pdf_per_certificate(client, login, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    add_learner(org, make_user, name="Second Cert", state="certified")
    login(admin)
    resp = job_download(client, f"/jobs/org/{org.slug}/certificates.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = zf.namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert PdfReader(io.BytesIO(zf.read(names[0]))).pages[0].extract_text()


def test_downloads_stream_each_format(client, login, admin_org, make_user):
    admin, org = admin_org
    _people(org, admin, make_user)
    login(admin)
    for fmt, magic in (("csv", b"\xef\xbb\xbfName"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        resp = job_download(client, f"/jobs/org/{org.slug}/report.{fmt}", {"status": "overdue"})
        assert resp.status_code == 200 and resp.is_streamed and resp.data.startswith(magic)
        assert resp.headers["Content-Type"] == reports.FORMATS[fmt].mimetype
        assert "attachment" in resp.headers["Content-Disposition"]
    assert client.post(f"/jobs/org/{org.slug}/report.exe").status_code == 404


def test_the_cli_writes_one_header_row_and_one_row_per_member(
    runner, admin_org, make_user, tmp_path
):
    admin, org = admin_org
    _people(org, admin, make_user)
    out = tmp_path / "report.csv"
    result = runner.invoke(
        args=["reports", "completion", "--org", org.slug, "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0][:2] == ["Name", "Email"] and len(rows) == 1 + 5
    result = runner.invoke(args=["reports", "completion", "--org", "nope", "--out", str(out)])
    assert result.exit_code != 0 and "No institution" in result.output
    result = runner.invoke(args=["reports", "completion", "--org", org.slug])  # to stdout
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfName,Email")
    assert result.stdout_bytes.count(b"\n") == 1 + 5


def test_demo_data_builds_a_reportable_institution(runner):
    result = runner.invoke(args=["demo-data", "--org", "demo-org", "--learners", "60"])
    assert result.exit_code == 0, result.output
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Institution

    org = db.session.scalar(select(Institution).where(Institution.slug == "demo-org"))
    summary = reports.summary(org, guidelines=True)
    assert summary.members == 60
    assert set(summary.by_status) >= {"completed", "overdue"}
    assert set(summary.guideline_scores) == set(range(1, 8))


def test_quiz_scores_round_down_so_a_shown_pass_mark_means_a_pass(app, admin_org, make_user):
    org, _admin = admin_org
    add_learner(org, make_user, name="Just Short", state="completed", score=0.797)
    add_learner(org, make_user, name="Just Made", state="completed", score=0.8)
    add_learner(org, make_user, name="Half Way", state="completed", score=0.85)
    add_learner(org, make_user, name="Float Edge", state="completed", score=0.29)
    page, _total = reports.report_page(org, ReportFilters(), today=TODAY)
    rows = {r.name: r for r in page}
    assert rows["Just Short"].quiz_scores == "final-assessment 79%"
    assert rows["Just Made"].quiz_scores == "final-assessment 80%"
    assert rows["Half Way"].quiz_scores == "final-assessment 85%"
    assert rows["Float Edge"].quiz_scores == "final-assessment 29%"
