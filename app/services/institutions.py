"""Institutions: who may administer them, invites, roster uploads, assignments and due dates.

Every function that reads or changes an institution's people takes the institution the caller
was authorised for (`admin_institution()`), and scopes every query by its id. Unknown and
forbidden look the same (NotFound -> 404), so identifiers cannot be probed.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Department, Institution, Membership, Profession, Role, User
from app.models.base import utcnow
from app.models.learning import Enrollment
from app.models.org import Assignment, Invite
from app.services import audit
from app.services.accounts import normalize_email, reset_url
from app.services.mail import send_mail
from vocab import COURSE_SLUG, normalise_profession

ROSTER_COLUMNS = ("email", "name", "department", "profession", "credentials")
ROSTER_OPTIONAL = ("employee_id",)
DEFAULT_ROSTER_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_ROSTER_MAX_ROWS = 100_000
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
UNUSABLE_PREFIX = "!unusable$"
STATUSES = ("not_started", "in_progress", "completed", "overdue")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
    "overdue": "Overdue",
}


class InstitutionError(ValueError):
    """A rule about institutions was broken; the message is safe to show the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- access


def admin_institutions(user: User) -> list[Institution]:
    """Institutions `user` administers (site admins: all of them)."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = select(Institution).order_by(Institution.name)
    if not user.has_role(Role.SITE_ADMIN):
        query = query.join(Membership, Membership.institution_id == Institution.id).where(
            Membership.user_id == user.id, Membership.is_admin.is_(True)
        )
    return list(db.session.scalars(query))


def admin_institution(user: User, slug: str) -> Institution:
    """The institution with `slug` if `user` administers it; NotFound otherwise (same for both)."""
    org = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if org is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    if user.has_role(Role.SITE_ADMIN):
        return org
    is_admin = db.session.scalar(
        select(Membership.is_admin).where(
            Membership.user_id == user.id, Membership.institution_id == org.id
        )
    )
    if not is_admin:
        raise NotFound()
    return org


def member_of(org: Institution, membership_id: int) -> Membership:
    """A membership of `org` by id; another institution's id is NotFound."""
    m = db.session.get(Membership, membership_id)
    if m is None or m.institution_id != org.id:
        raise NotFound()
    return m


def department_of(org: Institution, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    dept = db.session.get(Department, department_id)
    if dept is None or dept.institution_id != org.id:
        raise InstitutionError("Choose one of this institution's departments.", "department")
    return dept


def add_department(org: Institution, actor: User, name: str) -> Department:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InstitutionError("Give the department a name (up to 200 characters).", "name")
    if any(d.name.lower() == name.lower() for d in org.departments):
        raise InstitutionError("This institution already has a department with that name.", "name")
    dept = Department(institution_id=org.id, name=name)
    db.session.add(dept)
    db.session.flush()
    audit.record("org.department", actor=actor, subject=f"institution:{org.id}", name=name)
    db.session.commit()
    return dept


def members_page(
    org: Institution, *, search: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[Membership], int]:
    """One page of an institution's members (by name) and the total count."""
    query = (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.institution_id == org.id)
    )
    if search.strip():
        like = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(User.print_name).like(like) | func.lower(User.email).like(like)
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(User.print_name, Membership.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(rows), total


def member_reset_link(org: Institution, actor: User, membership_id: int) -> str:
    """A password-reset link for a member, for the admin to pass on (issue 2).

    Refused for accounts that hold powers beyond this institution (site admins, educators,
    admins of other institutions): a reset link is a way into the account.
    """
    m = member_of(org, membership_id)
    user = db.session.get(User, m.user_id)
    assert user is not None
    admin_elsewhere = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.user_id == user.id,
            Membership.institution_id != org.id,
            Membership.is_admin.is_(True),
        )
    )
    if (
        Role.SITE_ADMIN in user.roles
        or Role.EDUCATOR in user.roles
        or admin_elsewhere
        or (user.id == actor.id)
    ):
        raise InstitutionError(
            "This account has access beyond your institution; ask a site administrator to reset "
            "its password."
        )
    audit.record("org.reset_link", actor=actor, subject=f"user:{user.id}", institution_id=org.id)
    db.session.commit()
    return reset_url(user)


# ---------------------------------------------------------------- invites


def create_invite(
    org: Institution,
    actor: User,
    *,
    department_id: int | None = None,
    days_valid: int = 14,
    max_uses: int | None = None,
    now: datetime | None = None,
) -> Invite:
    """A new join code (about 128 random bits, so codes cannot be guessed)."""
    if not 1 <= days_valid <= 365:
        raise InstitutionError("An invite can be valid for 1 to 365 days.", "days_valid")
    if max_uses is not None and max_uses < 1:
        raise InstitutionError("Allow at least one use, or leave the limit empty.", "max_uses")
    dept = department_of(org, department_id)
    now = now or utcnow()
    invite = Invite(
        institution_id=org.id,
        department_id=dept.id if dept else None,
        code=secrets.token_urlsafe(16),
        expires_at=now + timedelta(days=days_valid),
        max_uses=max_uses,
        uses=0,
        created_by_id=actor.id,
    )
    db.session.add(invite)
    db.session.flush()
    audit.record("org.invite", actor=actor, subject=f"invite:{invite.id}", institution_id=org.id)
    db.session.commit()
    return invite


def list_invites(org: Institution) -> list[Invite]:
    return list(
        db.session.scalars(
            select(Invite).where(Invite.institution_id == org.id).order_by(Invite.id.desc())
        )
    )


def revoke_invite(org: Institution, actor: User, invite_id: int) -> None:
    invite = db.session.get(Invite, invite_id)
    if invite is None or invite.institution_id != org.id:
        raise NotFound()
    invite.revoked_at = utcnow()
    audit.record("org.invite_revoke", actor=actor, subject=f"invite:{invite.id}")
    db.session.commit()


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def invite_problem(invite: Invite | None, now: datetime | None = None) -> str | None:
    """Why an invite cannot be used, or None if it can."""
    now = now or utcnow()
    if invite is None or invite.revoked_at is not None:
        return "This invite link is not valid. Ask your institution for a new one."
    if _aware(invite.expires_at) <= now:
        return "This invite link has expired. Ask your institution for a new one."
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return "This invite link has been used as many times as allowed."
    return None


def invite_by_code(code: str) -> Invite | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Invite).where(Invite.code == code))


def join_with_invite(user: User, code: str, now: datetime | None = None) -> Membership:
    """Make `user` a member of the invite's institution; a use is counted atomically."""
    now = now or utcnow()
    invite = invite_by_code(code)
    problem = invite_problem(invite, now)
    if problem:
        raise InstitutionError(problem)
    assert invite is not None
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.institution_id == invite.institution_id
        )
    )
    if existing is not None:
        return existing
    # Count the use with a guarded UPDATE so two people cannot both take the last place.
    counted = db.session.execute(
        update(Invite)
        .where(
            Invite.id == invite.id,
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
            (Invite.max_uses.is_(None)) | (Invite.uses < Invite.max_uses),
        )
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if counted != 1:
        db.session.rollback()
        raise InstitutionError("This invite link has been used as many times as allowed.")
    membership = Membership(
        user_id=user.id, institution_id=invite.institution_id, department_id=invite.department_id
    )
    db.session.add(membership)
    db.session.flush()
    audit.record("org.join", actor=user, subject=f"invite:{invite.id}")
    db.session.commit()
    return membership


# ---------------------------------------------------------------- roster


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


@dataclass(slots=True)
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: list[str] = field(default_factory=list)


def parse_roster(data: bytes, filename: str = "roster.csv") -> list[RosterRow]:
    """Validate every row first; raise RosterError listing each bad line and field."""
    max_bytes = current_app.config.get("ROSTER_MAX_BYTES", DEFAULT_ROSTER_MAX_BYTES)
    max_rows = current_app.config.get("ROSTER_MAX_ROWS", DEFAULT_ROSTER_MAX_ROWS)
    if len(data) > max_bytes:
        raise RosterError(
            filename,
            [
                RosterProblem(
                    0,
                    "file",
                    f"the file is {len(data) / 1_048_576:.1f} MB; the limit is "
                    f"{max_bytes / 1_048_576:.1f} MB. Split it into smaller files.",
                )
            ],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise RosterError(
            filename, [RosterProblem(line, "file", "not UTF-8 text; save the CSV as UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(filename, [RosterProblem(1, "file", "the file is empty")]) from None
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in ROSTER_COLUMNS if c not in names]
    if missing:
        raise RosterError(
            filename,
            [RosterProblem(1, c, "column missing from the header row") for c in missing],
        )
    index = {name: i for i, name in enumerate(names)}
    problems: list[RosterProblem] = []
    rows: list[RosterRow] = []
    seen_email: dict[str, int] = {}
    seen_emp: dict[str, int] = {}
    line = 1
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(problems) >= max_rows:
            problems.append(
                RosterProblem(line, "file", f"more than {max_rows} rows; split the file")
            )
            break

        def cell(name: str, record: list[str] = record) -> str:
            i = index.get(name)
            return record[i].strip() if i is not None and i < len(record) else ""

        email = normalize_email(cell("email"))
        name = " ".join(cell("name").split())
        dept = " ".join(cell("department").split())
        prof_raw = cell("profession")
        creds = cell("credentials")
        emp = cell("employee_id") or None
        bad = False
        if not email:
            problems.append(RosterProblem(line, "email", "required"))
            bad = True
        elif len(email) > 254 or not _EMAIL.match(email):
            problems.append(RosterProblem(line, "email", f"{email!r} is not an email address"))
            bad = True
        elif email in seen_email:
            problems.append(RosterProblem(line, "email", f"same email as line {seen_email[email]}"))
            bad = True
        else:
            seen_email[email] = line
        if not name:
            problems.append(RosterProblem(line, "name", "required"))
            bad = True
        elif len(name) > 200 or any(ord(ch) < 32 for ch in name):
            problems.append(RosterProblem(line, "name", "too long or contains control characters"))
            bad = True
        if len(dept) > 200:
            problems.append(RosterProblem(line, "department", "longer than 200 characters"))
            bad = True
        profession = normalise_profession(prof_raw) if prof_raw else "other"
        if profession is None:
            allowed = ", ".join(p.value for p in Profession)
            problems.append(
                RosterProblem(line, "profession", f"{prof_raw!r} is not one of: {allowed}")
            )
            bad = True
        if len(creds) > 100:
            problems.append(RosterProblem(line, "credentials", "longer than 100 characters"))
            bad = True
        if emp is not None:
            if len(emp) > 64:
                problems.append(RosterProblem(line, "employee_id", "longer than 64 characters"))
                bad = True
            elif emp in seen_emp:
                problems.append(
                    RosterProblem(line, "employee_id", f"same employee_id as line {seen_emp[emp]}")
                )
                bad = True
            else:
                seen_emp[emp] = line
        if not bad:
            rows.append(RosterRow(line, email, name, dept, profession or "other", creds, emp))
    if problems:
        raise RosterError(filename, problems)
    if not rows:
        raise RosterError(filename, [RosterProblem(line, "file", "no rows after the header")])
    return rows


def _chunks(items: list, size: int = 500) -> Iterable[list]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield items[i : i + size]


def unusable_password_hash() -> str:
    """A hash no password matches (argon2 rejects it), random so reset tokens differ."""
    return UNUSABLE_PREFIX + secrets.token_hex(24)


def import_roster(
    org: Institution, actor: User, data: bytes, filename: str = "roster.csv"
) -> RosterResult:
    """Create or update members from a roster CSV: all rows or none.

    A person is matched by email, so uploading again updates instead of duplicating. Profile
    fields (name, credentials, profession) are only overwritten on accounts the person has not
    claimed yet; once they set a password the profile is theirs. New accounts get an unusable
    password and an email with a link to set one.
    """
    rows = parse_roster(data, filename)
    users: dict[str, User] = {}
    for chunk in _chunks([r.email for r in rows]):
        for u in db.session.scalars(select(User).where(func.lower(User.email).in_(chunk))):
            users[u.email.lower()] = u
    memberships = {
        m.user_id: m
        for m in db.session.scalars(select(Membership).where(Membership.institution_id == org.id))
    }
    emp_owner = {m.employee_id: uid for uid, m in memberships.items() if m.employee_id}
    problems = []
    for r in rows:
        if r.employee_id and r.employee_id in emp_owner:
            u = users.get(r.email)
            if u is None or emp_owner[r.employee_id] != u.id:
                problems.append(
                    RosterProblem(
                        r.line,
                        "employee_id",
                        "already used by another member of this institution",
                    )
                )
    if problems:
        raise RosterError(filename, problems)

    result = RosterResult()
    depts = {d.name.lower(): d for d in org.departments}
    try:
        for r in rows:
            if r.department and r.department.lower() not in depts:
                d = Department(institution_id=org.id, name=r.department)
                db.session.add(d)
                depts[r.department.lower()] = d
                result.departments_created.append(r.department)
        db.session.flush()
        new_users: list[User] = []
        for r in rows:
            dept_id = depts[r.department.lower()].id if r.department else None
            user = users.get(r.email)
            changed = False
            if user is None:
                user = User(
                    email=r.email,
                    password_hash=unusable_password_hash(),
                    print_name=r.name,
                    credentials=r.credentials,
                    profession=r.profession,
                )
                user.grant(Role.LEARNER)
                db.session.add(user)
                new_users.append(user)
            elif user.password_hash.startswith(UNUSABLE_PREFIX):
                for attr, value in (
                    ("print_name", r.name),
                    ("credentials", r.credentials),
                    ("profession", r.profession),
                ):
                    if getattr(user, attr) != value:
                        setattr(user, attr, value)
                        changed = True
            db.session.flush()
            m = memberships.get(user.id)
            if m is None:
                m = Membership(
                    user_id=user.id,
                    institution_id=org.id,
                    department_id=dept_id,
                    employee_id=r.employee_id,
                )
                db.session.add(m)
                memberships[user.id] = m
                if user not in new_users:
                    changed = True
            else:
                if m.department_id != dept_id:
                    m.department_id = dept_id
                    changed = True
                if r.employee_id and m.employee_id != r.employee_id:
                    m.employee_id = r.employee_id
                    changed = True
            if user in new_users:
                result.created += 1
            elif changed:
                result.updated += 1
            else:
                result.unchanged += 1
        db.session.flush()
        audit.record(
            "org.roster",
            actor=actor,
            subject=f"institution:{org.id}",
            created=result.created,
            updated=result.updated,
        )
        links = [(u.email, u.print_name, reset_url(u)) for u in new_users]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for email, name, link in links:
        send_mail(
            email,
            f"{org.name} has enrolled you in PostRx",
            f"Hello {name},\n\n{org.name} has added you to PostRx, its social media training "
            "for healthcare staff. Choose your password with this link (it works for a limited "
            f"time; you can ask for a new one on the sign-in page):\n\n{link}\n",
        )
    return result


# ---------------------------------------------------------------- assignments


def create_assignment(
    org: Institution,
    actor: User,
    *,
    due_date: date,
    department_id: int | None = None,
    recurrence: str = "none",
    course_slug: str = COURSE_SLUG,
) -> Assignment:
    """Assign the course to the institution or one department; again = new due date."""
    if recurrence not in ("none", "yearly"):
        raise InstitutionError("Recurrence is either none or yearly.", "recurrence")
    dept = department_of(org, department_id)
    existing = db.session.scalar(
        select(Assignment).where(
            Assignment.institution_id == org.id,
            Assignment.course_slug == course_slug,
            Assignment.department_id.is_(None)
            if dept is None
            else Assignment.department_id == dept.id,
        )
    )
    if existing is None:
        existing = Assignment(
            institution_id=org.id,
            department_id=dept.id if dept else None,
            course_slug=course_slug,
            created_by_id=actor.id,
        )
        db.session.add(existing)
    existing.due_date = due_date
    existing.recurrence = recurrence
    existing.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "org.assign",
        actor=actor,
        subject=f"assignment:{existing.id}",
        due=due_date.isoformat(),
        recurrence=recurrence,
    )
    db.session.commit()
    return existing


def list_assignments(org: Institution) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.institution_id == org.id)
            .order_by(Assignment.department_id.is_not(None), Assignment.id)
        )
    )


def delete_assignment(org: Institution, actor: User, assignment_id: int) -> None:
    a = db.session.get(Assignment, assignment_id)
    if a is None or a.institution_id != org.id:
        raise NotFound()
    audit.record("org.unassign", actor=actor, subject=f"assignment:{a.id}")
    db.session.delete(a)
    db.session.commit()


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _midnight_after(d: date) -> datetime:
    return datetime.combine(d + timedelta(days=1), time(0), UTC)


@dataclass(frozen=True, slots=True)
class Cycle:
    """What counts for one assignment today, as datetimes both Python and SQL compare against.

    - completed: a completion at or after `complete_from` (None: any completion counts);
    - overdue: not completed, `overdue_possible`, and no completion at or after `overdue_from`
      (None: no completion at all);
    - the due date shown is `due`, or `missed_due` when overdue.
    """

    due: date
    complete_from: datetime | None
    overdue_possible: bool
    overdue_from: datetime | None
    missed_due: date


def current_cycle(due_date: date, recurrence: str, today: date) -> Cycle:
    """The cycle in force today.

    One-off: complete with any completion; overdue once the due date has passed.
    Yearly: due dates fall on each anniversary. The current cycle runs from the day after the
    previous due date to the next one; a person who completed in the 12 months before a due
    date that has passed, or since, is only "due"; one who did not is overdue until they do.
    """
    if recurrence != "yearly":
        return Cycle(due_date, None, today > due_date, None, due_date)
    k = 0
    while _add_years(due_date, k) < today:
        k += 1
    due = _add_years(due_date, k)
    previous = _add_years(due, -1)
    if k == 0:
        return Cycle(due, _midnight_after(previous), False, None, due)
    return Cycle(
        due, _midnight_after(previous), True, _midnight_after(_add_years(previous, -1)), previous
    )


def status_for(
    cycle: Cycle | None, last_completed: datetime | None, started: datetime | None
) -> tuple[str, date | None]:
    """(status, due date shown) from the cycle and the person's latest completion and start."""
    if last_completed is not None:
        last_completed = _aware(last_completed)
    if started is not None:
        started = _aware(started)
    if cycle is None:
        if last_completed is not None:
            return "completed", None
        return ("in_progress" if started else "not_started"), None
    if last_completed is not None and (
        cycle.complete_from is None or last_completed >= cycle.complete_from
    ):
        return "completed", cycle.due
    if cycle.overdue_possible and (
        last_completed is None or cycle.overdue_from is None or last_completed < cycle.overdue_from
    ):
        return "overdue", cycle.missed_due
    if started is not None and (cycle.complete_from is None or started >= cycle.complete_from):
        return "in_progress", cycle.due
    return "not_started", cycle.due


def effective_assignment(assignments: list[Assignment], dept: int | None) -> Assignment | None:
    """A department's own assignment wins over the institution-wide one."""
    own = [a for a in assignments if a.department_id is not None and a.department_id == dept]
    if own:
        return own[0]
    wide = [a for a in assignments if a.department_id is None]
    return wide[0] if wide else None


@dataclass(frozen=True, slots=True)
class LearnerDue:
    """One assignment as a learner sees it on the dashboard."""

    institution_name: str
    course_slug: str
    due_date: date | None
    recurrence: str
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _last_completion(user_id: int, course_slug: str) -> tuple[datetime | None, datetime | None]:
    """(latest completion, latest start) of the course for one person."""
    completed, started = db.session.execute(
        select(func.max(Enrollment.completed_at), func.max(Enrollment.started_at)).where(
            Enrollment.user_id == user_id, Enrollment.course_slug == course_slug
        )
    ).one()
    cert = _latest_certificate_issued(user_id)
    if cert is not None and (completed is None or _aware(cert) > _aware(completed)):
        completed = cert
    return completed, started


def _latest_certificate_issued(user_id: int) -> datetime | None:
    try:
        from app.models.certificate import Certificate
    except ImportError:  # pragma: no cover - the certificate model lands separately
        return None
    if not hasattr(Certificate, "__table__"):
        return None
    return db.session.scalar(
        select(func.max(Certificate.issued_at)).where(
            Certificate.user_id == user_id, Certificate.status == "valid"
        )
    )


def assignments_for_user(user: User, today: date | None = None) -> list[LearnerDue]:
    """The learner's due dates across their institutions, soonest first."""
    today = today or utcnow().date()
    memberships = list(db.session.scalars(select(Membership).where(Membership.user_id == user.id)))
    if not memberships:
        return []
    result: list[LearnerDue] = []
    cache: dict[str, tuple[datetime | None, datetime | None]] = {}
    for m in memberships:
        assignments = list_assignments(m.institution)
        by_course: dict[str, list[Assignment]] = {}
        for a in assignments:
            by_course.setdefault(a.course_slug, []).append(a)
        for course, items in by_course.items():
            a = effective_assignment(items, m.department_id)
            if a is None:
                continue
            if course not in cache:
                cache[course] = _last_completion(user.id, course)
            last, started = cache[course]
            status, due = status_for(current_cycle(a.due_date, a.recurrence, today), last, started)
            result.append(LearnerDue(m.institution.name, course, due, a.recurrence, status))
    result.sort(key=lambda d: (d.due_date or date.max, d.institution_name))
    return result
