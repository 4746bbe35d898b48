"""Roster imports in bulk: same answers as row by row, a bounded number of statements, streams."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.db_tx import transaction
from app.extensions import db
from app.models import Department, Institution, Membership, User, UserRole
from app.services.institutions import RosterError, RosterResult, import_roster
from tests.conftest import PASSWORD

HEADER = "email,name,department,profession,credentials,employee_id\n"


def _roster(n: int, *, start: int = 0, name: str = "Person") -> str:
    depts = ("Pharmacy", "Radiology", "ICU")
    return HEADER + "".join(
        f"p{i}@example.org,{name} {i},{depts[i % 3]},nurse,RN,E{i}\n" for i in range(start, n)
    )


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (User, UserRole, Membership, Department)
    )


def _members(org: Institution) -> dict[str, Membership]:
    rows = db.session.execute(
        select(User.email, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.institution_id == org.id)
    )
    return dict(rows.all())


def _import(org: Institution, admin: User, source: Any) -> RosterResult:
    with transaction():
        return import_roster(org, admin, source, "staff.csv")


class _Stream(io.RawIOBase):
    """A binary stream that cannot seek (a socket, a pipe): the import must still work."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._data.read(min(len(buffer), 7))  # small reads: lines span several
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.fixture
def statements(app) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the test runs."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def test_a_2000_row_import_sends_a_bounded_number_of_statements(app, admin_org, statements):
    admin, org = admin_org
    data = _roster(2000).encode()
    statements.clear()
    result = _import(org, admin, data)
    first = len(statements)
    assert result.created == 2000 and len(_members(org)) == 2001
    assert first <= 30, statements  # row by row would be thousands
    statements.clear()
    again = _import(org, admin, _roster(2000, name="Renamed").encode())
    assert again.updated == 2000 and len(statements) <= 30, statements
    renamed = db.session.scalar(select(User.print_name).where(User.email == "p1999@example.org"))
    assert renamed == "Renamed 1999"


def test_existing_accounts_are_joined_not_duplicated_and_a_claimed_profile_is_kept(
    app, admin_org, make_user
):
    admin, org = admin_org
    nora = make_user(email="nora@example.org", name="Nora Own Name", credentials="NP")
    result = _import(
        org, admin, (HEADER + "NORA@example.org,Roster Name,ICU,nurse,RN,E1\n").encode()
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert result.messages == []  # she already has a password: no set-password mail
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(func.lower(User.email) == "nora@example.org")
        )
        == 1
    )
    db.session.expire_all()
    assert nora.print_name == "Nora Own Name" and nora.credentials == "NP"
    assert _members(org)["nora@example.org"].employee_id == "E1"
    assert (
        db.session.scalar(
            select(func.count()).select_from(UserRole).where(UserRole.user_id == nora.id)
        )
        == 1
    )  # no second learner role


def test_existing_memberships_are_moved_kept_or_left_unchanged(app, admin_org, make_org):
    admin, org = admin_org
    other = make_org("Hospital B")
    _import(
        org,
        admin,
        (
            HEADER + "a@example.org,A,Pharmacy,nurse,RN,E1\nb@example.org,B,Pharmacy,nurse,RN,E2\n"
        ).encode(),
    )
    _import(other, admin, (HEADER + "a@example.org,A,Lab,nurse,RN,X9\n").encode())
    result = _import(
        org,
        admin,
        (
            HEADER + "a@example.org,A,Emergency Department,nurse,RN,\n"
            "b@example.org,B,Pharmacy,nurse,RN,E2\n"
        ).encode(),
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    db.session.expire_all()
    mine, theirs = _members(org), _members(other)
    assert mine["a@example.org"].department.name == "Emergency Department"
    assert mine["a@example.org"].employee_id == "E1"  # an empty employee_id keeps the old one
    assert theirs["a@example.org"].department.name == "Lab"  # the other institution is untouched
    assert theirs["a@example.org"].employee_id == "X9"


def test_departments_are_linked_by_name_whatever_the_case_and_new_ones_created_once(app, admin_org):
    admin, org = admin_org
    pharmacy = db.session.scalar(select(Department).where(Department.name == "Pharmacy"))
    data = (
        HEADER
        + "a@example.org,A,pharmacy,nurse,,\n"
        + "b@example.org,B,Radiology,nurse,,\n"
        + "c@example.org,C,RADIOLOGY,nurse,,\n"
        + "d@example.org,D,,nurse,,\n"
    ).encode()
    result = _import(org, admin, data)
    assert result.departments_created == ["Radiology"]
    assert [d.name for d in org.departments] == ["Emergency Department", "Pharmacy", "Radiology"]
    m = _members(org)
    assert m["a@example.org"].department_id == pharmacy.id
    assert m["b@example.org"].department_id == m["c@example.org"].department_id is not None
    assert m["d@example.org"].department_id is None


def test_a_bad_last_line_saves_nothing_at_all(app, admin_org):
    admin, org = admin_org
    before = _counts()
    data = (_roster(1500) + "p1500@example.org,,Pharmacy,nurse,RN,E1500\n").encode()
    with pytest.raises(RosterError) as info:
        _import(org, admin, data)
    assert info.value.lines() == ["staff.csv:1502: name: required"]
    assert _counts() == before


def test_duplicate_emails_and_employee_ids_in_the_file_name_both_lines(app, admin_org):
    admin, org = admin_org
    data = (
        HEADER
        + "a@example.org,A,,nurse,,E1\n"
        + "b@example.org,B,,nurse,,E1\n"
        + " A@Example.org ,A again,,nurse,,E3\n"
    ).encode()
    with pytest.raises(RosterError) as info:
        _import(org, admin, data)
    assert info.value.lines() == [
        "staff.csv:3: employee_id: same employee_id as line 2",
        "staff.csv:4: email: same email as line 2",
    ]
    assert len(_members(org)) == 1


def test_line_numbers_count_quoted_line_breaks_blank_lines_and_old_mac_endings(app, admin_org):
    admin, org = admin_org
    quoted = (
        HEADER + 'a@example.org,A,"Pharmacy\nwest wing",nurse,,\n' + "\n" + "bad-email,B,,nurse,,\n"
    ).encode("utf-8-sig")
    with pytest.raises(RosterError) as info:
        _import(org, admin, quoted)
    assert info.value.lines() == ["staff.csv:5: email: 'bad-email' is not an email address"]
    mac = (HEADER + "a@example.org,A,,nurse,,\n" + "b@example.org,,,nurse,,\n").replace("\n", "\r")
    with pytest.raises(RosterError) as info:
        _import(org, admin, mac.encode())
    assert info.value.lines() == ["staff.csv:3: name: required"]


def test_text_that_is_not_utf8_is_reported_on_its_line_even_after_a_bad_header(app, admin_org):
    admin, org = admin_org
    data = (
        HEADER.encode()
        + b"a@example.org,A,,nurse,,\n"
        + "b@example.org,Zoë,,nurse,,\n".encode("latin-1")
    )
    with pytest.raises(RosterError) as info:
        _import(org, admin, data)
    assert info.value.lines() == ["staff.csv:3: file: not UTF-8 text; save the CSV as UTF-8"]
    with pytest.raises(RosterError) as info:
        _import(org, admin, b"email,name\n" + data)
    assert info.value.lines() == ["staff.csv:4: file: not UTF-8 text; save the CSV as UTF-8"]


def test_progress_rises_every_thousand_rows_and_ends_at_the_total(app, admin_org):
    admin, org = admin_org
    calls: list[tuple[int, int]] = []
    with transaction():
        import_roster(
            org,
            admin,
            _roster(2500).encode(),
            "staff.csv",
            progress=lambda d, t: calls.append((d, t)),
        )
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and len(calls) >= 4  # strictly increasing, ~every 1,000
    assert calls[-1] == (5000, 5000)  # each row once validated, once written
    assert all(d <= t for d, t in calls)


def test_a_binary_file_or_a_stream_that_cannot_seek_is_imported(app, admin_org, tmp_path):
    admin, org = admin_org
    path = tmp_path / "staff.csv"
    path.write_bytes(_roster(3).encode())
    with path.open("rb") as fh:
        assert _import(org, admin, fh).created == 3
    result = _import(org, admin, _Stream(_roster(6, start=3).encode()))
    assert result.created == 3 and len(_members(org)) == 7


def test_a_stream_over_the_size_limit_is_refused_whether_or_not_it_can_seek(app, admin_org):
    admin, org = admin_org
    app.config["ROSTER_MAX_BYTES"] = 1000
    data = _roster(40).encode()
    for source in (io.BytesIO(data), _Stream(data)):
        with pytest.raises(RosterError) as info:
            _import(org, admin, source)
        assert "the limit is 0.0 MB" in str(info.value) and info.value.problems[0].line == 0
    assert len(_members(org)) == 1


def test_the_import_sends_no_mail_itself_and_a_rollback_leaves_nothing_to_send(app, admin_org):
    admin, org = admin_org
    with pytest.raises(RuntimeError), transaction():
        result = import_roster(org, admin, _roster(2).encode())
        assert len(result.messages) == 2
        raise RuntimeError("something later in the same transaction failed")
    assert app.extensions.get("postrx_outbox", []) == []
    assert db.session.scalar(select(User).where(User.email == "p0@example.org")) is None


def test_the_upload_page_mails_each_new_person_once_after_the_commit(client, login, admin_org):
    admin, org = admin_org
    login(admin)
    data = {"roster": (io.BytesIO(_roster(3).encode()), "staff.csv")}
    resp = client.post(
        f"/jobs/org/{org.slug}/roster",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "staff.csv: 3 added, 0 updated" in resp.get_data(as_text=True)
    outbox = client.application.extensions["postrx_outbox"]
    assert sorted(to for to, _s, _b in outbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    db.session.rollback()  # what the view committed is really there
    assert len(_members(org)) == 4


def test_the_upload_page_sends_nothing_when_its_transaction_fails(
    client, login, admin_org, monkeypatch
):
    from app.services.institutions import roster

    admin, org = admin_org
    login(admin)

    class FailingAudit:
        @staticmethod
        def record(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(roster, "audit", FailingAudit)  # only the import's own audit step
    data = {"roster": (io.BytesIO(_roster(2).encode()), "staff.csv")}
    resp = client.post(
        f"/jobs/org/{org.slug}/roster",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "The job failed unexpectedly" in resp.get_data(as_text=True)  # the job, not the page
    assert client.application.extensions.get("postrx_outbox", []) == []
    assert db.session.scalar(select(User).where(User.email == "p0@example.org")) is None


def test_a_person_with_a_password_can_still_sign_in_after_being_rostered(
    client, admin_org, make_user
):
    admin, org = admin_org
    nurse = make_user(email="nurse@example.org")
    _import(org, admin, (HEADER + "nurse@example.org,N,,nurse,,\n").encode())
    resp = client.post("/login", data={"email": nurse.email, "password": PASSWORD})
    assert resp.status_code == 302


def test_an_account_stored_with_capitals_is_matched_whatever_the_case(app, admin_org, make_user):
    admin, org = admin_org
    old = make_user(email="Mixed.Case@Example.org", name="Old Account")
    result = _import(org, admin, (HEADER + "mixed.case@example.org,M,,nurse,,\n").encode())
    assert (result.created, result.updated) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(User)) == 2  # admin + her
    assert _members(org)["Mixed.Case@Example.org"].user_id == old.id
