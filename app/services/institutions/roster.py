"""Roster import: create or update an institution's members from a CSV, all rows or none.

Linear in the rows, whatever the size of the institution: the file is validated in one
streamed pass (sets and dicts, no list scans); the accounts and memberships it names are read
in chunks with IN (...); then each chunk of rows is written with a handful of Core executemany
statements (users, their learner role, memberships, updates) instead of a flush per row. Nothing
is committed here: the caller's transaction makes the import all or nothing, and the
password-set messages come back in `RosterResult.messages` to be sent once it has committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Select, Table, func, insert, select, update
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.models import Department, Institution, Membership, Role, User, UserRole
from app.models.base import utcnow
from app.services import audit
from app.services.accounts import reset_token
from app.services.institutions.common import among, chunks
from app.services.institutions.roster_file import (
    PROGRESS_EVERY,
    Progress,
    RosterError,
    RosterProblem,
    RosterRow,
    RosterSource,
    parse_roster,
)
from app.services.mail import Message
from app.urls import external_url

UNUSABLE_PREFIX = "!unusable$"
LOOKUP_CHUNK = 5000  # ids or emails per IN (...): well under SQLite's and PostgreSQL's limits
_PROFILE = ("print_name", "credentials", "profession")
_MARKER = "ROSTERTOKEN"
# Core tables for the bulk INSERTs: an ORM bulk insert costs ~10 µs more per row, for nothing
# the import needs (the declarative base types __table__ as a FromClause, hence the casts).
_USERS = cast(Table, User.__table__)
_ROLES = cast(Table, UserRole.__table__)
_MEMBERSHIPS = cast(Table, Membership.__table__)


@dataclass(slots=True)
class RosterResult:
    """What an import did, and the password-set mail to send after the commit."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


@dataclass(slots=True)
class _Account:
    """The columns of an existing account the import compares against."""

    id: int
    claimed: bool
    print_name: str
    credentials: str
    profession: str


@dataclass(slots=True)
class _Member:
    id: int
    department_id: int | None
    employee_id: str | None


@dataclass(frozen=True, slots=True)
class _NewAccount:
    """Just what `reset_url` reads from a user (id, password hash), without an ORM object."""

    id: int
    password_hash: str


def unusable_password_hash() -> str:
    """A hash no password matches (argon2 rejects it), random so reset tokens differ."""
    return UNUSABLE_PREFIX + secrets.token_hex(24)


def import_roster(
    org: Institution,
    actor: User | None,  # None: the CLI (audited as such)
    source: RosterSource,
    filename: str = "roster.csv",
    *,
    progress: Progress | None = None,
) -> RosterResult:
    """Create or update members from a roster CSV (bytes or a binary file): all rows or none.

    A person is matched by email, so uploading again updates instead of duplicating. Profile
    fields (name, credentials, profession) are only overwritten on accounts the person has not
    claimed yet; once they set a password the profile is theirs. New accounts get an unusable
    password and a message with a link to set one (in the result; the caller sends it).

    `progress(done, total)` is called every ~1,000 rows: each row counts once when validated
    and once when written, so `total` is twice the rows (estimated from the line count until
    the file has been read) and the last call is `(total, total)`.
    """
    rows = parse_roster(source, filename, progress=_validation_progress(progress))
    accounts = _accounts(rows)
    members = _members(org, [a.id for a in accounts.values()])
    _check_employee_ids(org, rows, accounts, filename)
    result = RosterResult()
    depts = _departments(org, rows, result)
    writer = _Writer(org, depts, accounts, members, result)
    total = 2 * len(rows)
    for done, batch in enumerate(chunks(rows, PROGRESS_EVERY), start=1):
        writer.write(batch)
        if progress is not None:
            progress(min(len(rows) + done * PROGRESS_EVERY, total), total)
    writer.forget_stale_objects()
    audit.record(
        "org.roster",
        actor=actor,
        subject=f"institution:{org.id}",
        created=result.created,
        updated=result.updated,
    )
    return result


def _validation_progress(progress: Progress | None) -> Progress | None:
    """Validation is the first half of the work: rows read of twice the rows expected."""
    if progress is None:
        return None
    report = progress

    def validated(done: int, expected: int) -> None:
        report(done, 2 * expected)

    return validated


def _accounts(rows: list[RosterRow]) -> dict[str, _Account]:
    """Existing accounts by lower-cased email.

    Emails are stored lower-cased, so the unique email index finds them (LOOKUP_CHUNK at a
    time). Accounts stored with capitals (before emails were normalised) are matched without
    regard to case in one pass over just those: `lower(email) IN (...)` cannot use the index,
    so it would scan every account once per chunk.
    """
    found: dict[str, _Account] = {}
    columns = (User.id, User.email, User.password_hash, *(getattr(User, a) for a in _PROFILE))

    def add(query: Select[Any], wanted: set[str] | None = None) -> None:
        for uid, email, password_hash, name, creds, prof in db.session.execute(query):
            key = email.lower()
            if (wanted is None or key in wanted) and key not in found:
                claimed = not password_hash.startswith(UNUSABLE_PREFIX)
                found[key] = _Account(uid, claimed, name, creds, prof)

    for batch in chunks((r.email for r in rows), LOOKUP_CHUNK):
        add(select(*columns).where(among(User.email, batch)))
    add(select(*columns).where(User.email != func.lower(User.email)), {r.email for r in rows})
    return found


def _members(org: Institution, user_ids: list[int]) -> dict[int, _Member]:
    """This institution's memberships of those accounts, by user id."""
    found: dict[int, _Member] = {}
    columns = (Membership.user_id, Membership.id, Membership.department_id, Membership.employee_id)
    for batch in chunks(user_ids, LOOKUP_CHUNK):
        query = select(*columns).where(
            Membership.institution_id == org.id, among(Membership.user_id, batch)
        )
        for uid, mid, dept_id, emp in db.session.execute(query):
            found[uid] = _Member(mid, dept_id, emp)
    return found


def _check_employee_ids(
    org: Institution, rows: list[RosterRow], accounts: dict[str, _Account], filename: str
) -> None:
    """Refuse an employee_id that another member of the institution already has.

    One pass over the institution's employee ids (employee_id has no index, so IN lookups in
    chunks would each scan the members again).
    """
    wanted = {r.employee_id for r in rows if r.employee_id}
    if not wanted:
        return
    query = select(Membership.employee_id, Membership.user_id).where(
        Membership.institution_id == org.id, Membership.employee_id.is_not(None)
    )
    owner = {emp: uid for emp, uid in db.session.execute(query) if emp in wanted}
    problems = []
    for r in rows:
        if r.employee_id and r.employee_id in owner:
            account = accounts.get(r.email)
            if account is None or owner[r.employee_id] != account.id:
                message = "already used by another member of this institution"
                problems.append(RosterProblem(r.line, "employee_id", message))
    if problems:
        raise RosterError(filename, problems)


def _departments(org: Institution, rows: list[RosterRow], result: RosterResult) -> dict[str, int]:
    """Department ids by lower-cased name, adding the roster's new ones (first spelling wins)."""
    depts = {
        name.lower(): did
        for did, name in db.session.execute(
            select(Department.id, Department.name).where(Department.institution_id == org.id)
        )
    }
    new: dict[str, str] = {}
    for r in rows:
        key = r.department.lower()
        if r.department and key not in depts and key not in new:
            new[key] = r.department
    if new:
        result.departments_created.extend(new.values())
        stmt = insert(Department).returning(Department.id, Department.name)
        params = [{"institution_id": org.id, "name": name} for name in new.values()]
        for did, name in db.session.execute(stmt, params):
            depts[name.lower()] = did
        db.session.expire(org, ["departments"])
    return depts


class _Writer:
    """Writes one chunk of validated rows with a few executemany statements."""

    def __init__(
        self,
        org: Institution,
        depts: dict[str, int],
        accounts: dict[str, _Account],
        members: dict[int, _Member],
        result: RosterResult,
    ) -> None:
        self.org = org
        self.depts = depts
        self.accounts = accounts
        self.members = members
        self.result = result
        self.subject = f"{org.name} has enrolled you in PostRx"
        # The reset link built once around a marker, so each new account costs a token, not a
        # URL build as well (tokens are URL-safe: they go into the path as they are).
        # The same URL as accounts.reset_url(); the tests follow a link to its account.
        link = external_url("auth.reset_password", token=_MARKER)
        before, _marker, after = link.partition(_MARKER)
        self.link_around = (before, after)
        self.updated_users: list[int] = []
        self.updated_members: list[int] = []

    def write(self, rows: list[RosterRow]) -> None:
        new_ids = self._create_accounts([r for r in rows if r.email not in self.accounts])
        profile_updates: list[dict[str, Any]] = []
        new_members: list[dict[str, Any]] = []
        member_updates: list[dict[str, Any]] = []
        for r in rows:
            dept_id = self.depts[r.department.lower()] if r.department else None
            uid = new_ids.get(r.email)
            if uid is not None:
                new_members.append(self._membership(uid, dept_id, r.employee_id))
                self.result.created += 1
                continue
            account = self.accounts[r.email]
            changed = self._profile_change(account, r, profile_updates)
            member = self.members.get(account.id)
            if member is None:
                new_members.append(self._membership(account.id, dept_id, r.employee_id))
                changed = True
            elif self._member_change(member, dept_id, r.employee_id, member_updates):
                changed = True
            if changed:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        self._execute(profile_updates, new_members, member_updates)

    def _create_accounts(self, rows: list[RosterRow]) -> dict[str, int]:
        """Insert the accounts, their learner role, and queue their password-set messages."""
        if not rows:
            return {}
        hashes = {r.email: unusable_password_hash() for r in rows}
        now = utcnow()
        params = [
            {
                "email": r.email,
                "password_hash": hashes[r.email],
                "print_name": r.name,
                "credentials": r.credentials,
                "profession": r.profession,
                "created_at": now,
                "password_changed_at": now,
            }
            for r in rows
        ]
        # A plain executemany, then the ids by the unique email index: on PostgreSQL that is
        # twice as fast as INSERT ... RETURNING, whose long many-VALUES statements psycopg
        # re-parses every time (0.14 s against 0.25 s per 1,000 accounts).
        db.session.execute(insert(_USERS), params)
        query = select(User.id, User.email).where(among(User.email, [r.email for r in rows]))
        ids = {email: uid for uid, email in db.session.execute(query)}
        roles = [{"user_id": uid, "role": Role.LEARNER.value} for uid in ids.values()]
        db.session.execute(insert(_ROLES), roles)
        before, after = self.link_around
        for r in rows:
            # reset_token reads only the id and the password hash.
            token = reset_token(cast(User, _NewAccount(ids[r.email], hashes[r.email])))
            link = before + token + after
            self.result.messages.append((r.email, self.subject, self._body(r.name, link)))
        return ids

    def _body(self, name: str, link: str) -> str:
        org = self.org.name
        return (
            f"Hello {name},\n\n{org} has added you to PostRx, its social media training "
            "for healthcare staff. Choose your password with this link (it works for a limited "
            f"time; you can ask for a new one on the sign-in page):\n\n{link}\n"
        )

    def _membership(self, uid: int, dept_id: int | None, emp: str | None) -> dict[str, Any]:
        return {
            "user_id": uid,
            "institution_id": self.org.id,
            "department_id": dept_id,
            "employee_id": emp,
        }

    def _profile_change(
        self, account: _Account, r: RosterRow, updates: list[dict[str, Any]]
    ) -> bool:
        """Queue a profile update for an unclaimed account whose roster details changed."""
        wanted = (r.name, r.credentials, r.profession)
        current = (account.print_name, account.credentials, account.profession)
        if account.claimed or current == wanted:
            return False
        account.print_name, account.credentials, account.profession = wanted
        updates.append({"id": account.id, **dict(zip(_PROFILE, wanted, strict=True))})
        self.updated_users.append(account.id)
        return True

    def _member_change(
        self,
        member: _Member,
        dept_id: int | None,
        emp: str | None,
        updates: list[dict[str, Any]],
    ) -> bool:
        """Queue a move to another department and a new employee_id (an empty one keeps it)."""
        new_emp = emp or member.employee_id
        if member.department_id == dept_id and member.employee_id == new_emp:
            return False
        member.department_id, member.employee_id = dept_id, new_emp
        updates.append({"id": member.id, "department_id": dept_id, "employee_id": new_emp})
        self.updated_members.append(member.id)
        return True

    def _execute(
        self,
        profile_updates: list[dict[str, Any]],
        new_members: list[dict[str, Any]],
        member_updates: list[dict[str, Any]],
    ) -> None:
        # ORM bulk statements: one executemany each (UPDATE ... WHERE id = ?), no flush.
        if profile_updates:
            db.session.execute(update(User), profile_updates)
        if new_members:
            db.session.execute(insert(_MEMBERSHIPS), new_members)
        if member_updates:
            db.session.execute(update(Membership), member_updates)

    def forget_stale_objects(self) -> None:
        """Expire loaded User/Membership objects the Core UPDATEs changed behind the session."""
        for model, ids in ((User, self.updated_users), (Membership, self.updated_members)):
            for pk in ids:
                obj = db.session.identity_map.get(identity_key(model, pk))
                if obj is not None:
                    db.session.expire(obj)
