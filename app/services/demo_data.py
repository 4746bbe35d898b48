"""Synthetic institutions for demos and benchmarks (`postrx demo-data`).

Fast enough for 100,000 learners: rows are built as plain dicts and written with bulk
`insert(Model)` executes in batches; the one password hash is computed once; certificate
snapshots share one provider/signer block (no images, so rows stay small).
Everything is fictitious: names are drawn from lists of common given and family names.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, text

from app.extensions import db
from app.models import Department, Institution, Membership, User, UserRole
from app.models.certificate import Certificate
from app.models.learning import Enrollment, LessonProgress
from app.models.org import Assignment
from app.models.quiz import Attempt, QuizDefinition
from app.services import records
from app.services.accounts import hash_password
from app.services.demo import DEMO_PASSWORD
from app.services.institutions import COURSE_SLUG

BATCH = 5000
FINAL_QUIZ = "final-assessment"
DEPARTMENTS = (
    "Emergency Department",
    "Intensive Care Unit",
    "Medical-Surgical Unit",
    "Paediatrics",
    "Maternity",
    "Pharmacy",
    "Outpatient Clinics",
    "Physiotherapy",
    "Radiology",
    "Medical Students",
)
PROFESSIONS = (
    ("nurse", "RN", 45),
    ("physician", "MD", 15),
    ("pharmacist", "PharmD", 10),
    ("allied_health", "PT", 15),
    ("student", "", 10),
    ("other", "", 5),
)
_GIVEN = (
    "Ana Maya Samuel Priya Alex Tom Grace Olu Chen Fatima Liam Noah Emma Zoë Ingrid Mateo "
    "Aisha Kenji Elena Sipho Nia Rahul Hana Omar Lucía Jonas Mei Kwame Sofia Ivan Ewa Dara "
    "Niamh Tariq Yusuf Leila Rosa Anders Chloé Nguyễn Ελένη Анна"
)
GIVEN = tuple(_GIVEN.split())
_FAMILY = (
    "Souza Fernández Okoye Raman Chen Reid Kowalski Adeyemi Wang Haddad Murphy Smith Jones "
    "Brown Taylor Nakamura Rossi Müller Dubois Silva Mensah Patel Kim Ali García Novak Larsen "
    "O'Brien Costa Ivanova Nowak Byrne Yilmaz Sato Moreau Khan Eriksen Petrov Tran Papadopoulos"
)
FAMILY = tuple(_FAMILY.split())
# Criteria per scenario of the final assessment (id, guidelines, weight, max points).
CRITERIA = (
    ("consent", [1], 2.0, 3),
    ("confidentiality", [2], 3.0, 3),
    ("accuracy", [3], 1.0, 3),
    ("boundaries", [4], 1.0, 3),
    ("reputation", [5, 6], 1.0, 3),
    ("jurisdiction", [7], 1.0, 3),
)
DIFFICULTY = {"consent": -0.12, "jurisdiction": -0.18, "confidentiality": 0.05, "reputation": -0.05}
SCENARIOS = ("sm-case-photo", "sm-patient-friend-request", "sm-vaccine-claim", "sm-complaint-reply")


@dataclass(frozen=True, slots=True)
class DemoStats:
    institution: str
    learners: int
    enrollments: int
    attempts: int
    certificates: int


def _batched(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterable[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    table = model.__table__  # Core insert: no ORM bookkeeping per row
    for batch in _batched(rows):
        db.session.execute(insert(table), batch)


def _result_json(rng: random.Random, skill: float) -> tuple[dict[str, Any], float]:
    """A plausible graded final-assessment result (scenarios -> criteria) and its score."""
    scenarios = []
    got = possible = 0.0
    for sid in SCENARIOS:
        criteria = []
        s_got = s_max = 0.0
        for cid, guidelines, weight, mx in CRITERIA:
            # Some guidelines are harder than others (consent and jurisdiction most of all).
            level = skill + DIFFICULTY.get(cid, 0.0)
            pts = max(0, min(mx, round(rng.gauss(level * mx, 0.8))))
            criteria.append(
                {
                    "criterion_id": cid,
                    "level_id": f"L{pts}",
                    "points": float(pts),
                    "max_points": float(mx),
                    "weight": weight,
                    "guidelines": guidelines,
                    "critical": cid == "confidentiality",
                    "is_lowest": pts == 0,
                }
            )
            s_got += weight * pts
            s_max += weight * mx
        got += s_got
        possible += s_max
        scenarios.append(
            {
                "scenario_id": sid,
                "version": 1,
                "score": round(s_got / s_max, 4),
                "passed_criticals": True,
                "criteria": criteria,
            }
        )
    score = round(got / possible, 4)
    return (
        {
            "quiz_id": FINAL_QUIZ,
            "score": score,
            "passed": score >= 0.8,
            "pass_mark": 0.8,
            "scenarios": scenarios,
            "critical_failures": [],
            "missing": [],
            "needs_review": False,
        },
        score,
    )


def demo_credit() -> Decimal:
    """What each demo certificate awards: the course's maximum credit."""
    from app.services.learning import get_course

    return Decimal(str(get_course().max_credit_hours)).quantize(Decimal("0.01"))


def _snapshot_base() -> dict[str, Any]:
    """A certificate snapshot as this install would issue it (configured provider, signer and
    logo, the loaded course); each demo certificate then gets its own number, name and dates.
    The certificates' statements and credit lines therefore agree with each other."""
    from flask import current_app

    from app.services.certificates import credit_lines, logo_png, provider_info, signer_info
    from app.services.learning import get_course
    from certificates.model import CertificateData

    course = get_course()
    data = CertificateData(
        number="PRX-0000-0000-0000-0",
        learner_name="Placeholder",
        course_title=course.title,
        course_version=course.version,
        completion_date=date(2026, 1, 1),
        issue_date=date(2026, 1, 1),
        credits=credit_lines("nurse", demo_credit()),
        provider=provider_info(current_app.config["BASE_URL"]),
        signer=signer_info(),
        logo=logo_png(),
    )
    return data.to_dict()


def generate(slug: str, learners: int, *, seed: int = 2026, today: date | None = None) -> DemoStats:
    """Create the institution if needed and add `learners` synthetic members with progress."""
    from certificates.numbers import new_number
    from modules import default_content_root, load_course

    today = today or datetime.now(UTC).date()
    now = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=12)
    course = load_course(default_content_root() / COURSE_SLUG)
    lessons = [(m.slug, lesson.slug) for m in course.modules for lesson in m.lessons]

    org = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if org is None:
        org = Institution(slug=slug, name=slug.replace("-", " ").title())
        db.session.add(org)
        db.session.flush()
    existing_depts = {d.name for d in org.departments}
    for name in DEPARTMENTS:
        if name not in existing_depts:
            db.session.add(Department(institution_id=org.id, name=name))
    db.session.flush()
    dept_ids = list(
        db.session.scalars(select(Department.id).where(Department.institution_id == org.id))
    )
    if not db.session.scalar(select(Assignment.id).where(Assignment.institution_id == org.id)):
        # Everyone: yearly, next due in two months. Two departments: a one-off deadline
        # that passed a month ago, so their unfinished people show as overdue.
        db.session.add(
            Assignment(
                institution_id=org.id,
                course_slug=COURSE_SLUG,
                due_date=today + timedelta(days=60),
                recurrence="yearly",
            )
        )
        for dept_id in dept_ids[:2]:
            db.session.add(
                Assignment(
                    institution_id=org.id,
                    department_id=dept_id,
                    course_slug=COURSE_SLUG,
                    due_date=today - timedelta(days=30),
                    recurrence="none",
                )
            )
    if (
        db.session.scalar(select(QuizDefinition.id).where(QuizDefinition.quiz_key == FINAL_QUIZ))
        is None
    ):
        db.session.add(
            QuizDefinition(
                quiz_key=FINAL_QUIZ,
                title="Final assessment",
                is_final=True,
                pass_mark=0.8,
                scenario_keys=list(SCENARIOS),
            )
        )
    db.session.flush()

    start = (
        db.session.scalar(
            select(func.count()).select_from(Membership).where(Membership.institution_id == org.id)
        )
        or 0
    )
    rng = random.Random(f"{seed}-{slug}-{start}-{learners}")  # extending never repeats
    password = hash_password(DEMO_PASSWORD)
    weights = [w for _, _, w in PROFESSIONS]
    token = secrets.token_hex(3)
    users: list[dict[str, Any]] = []
    people: list[tuple[str, str]] = []
    for i in range(start, start + learners):
        prof, cred, _ = rng.choices(PROFESSIONS, weights)[0]
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        name = f"{given} {family}"
        created = now - timedelta(days=rng.randint(30, 700))
        users.append(
            {
                "email": f"{given.lower()}.{i}.{token}@{slug}.demo.example.org".replace("'", ""),
                "password_hash": password,
                "print_name": name,
                "credentials": cred,
                "profession": prof,
                "created_at": created,
                "password_changed_at": created,
            }
        )
        people.append((name, cred))
    _bulk(User, users)
    pattern = f"%.{token}@{slug}.demo.example.org"
    by_email = dict(
        db.session.execute(select(User.email, User.id).where(User.email.like(pattern))).all()
    )
    user_ids = [by_email[u["email"]] for u in users]
    _bulk(UserRole, [{"user_id": uid, "role": "learner"} for uid in user_ids])
    _bulk(
        Membership,
        [
            {
                "user_id": uid,
                "institution_id": org.id,
                "department_id": rng.choice(dept_ids),
                "employee_id": f"E{start + n + 1:07d}",
                "is_admin": False,
                "joined_at": users[n]["created_at"],
                "updated_at": users[n]["created_at"],
            }
            for n, uid in enumerate(user_ids)
        ],
    )
    users.clear()

    # Progress: 15 % never started; the rest got through part or all of the lessons.
    enrol_rows: list[dict[str, Any]] = []
    plans: list[tuple[int, int, datetime, float]] = []  # (user index, lessons done, start, skill)
    for n, uid in enumerate(user_ids):
        if rng.random() < 0.15:
            continue
        started = now - timedelta(days=rng.randint(1, 420), minutes=rng.randint(0, 1440))
        done = len(lessons) if rng.random() < 0.6 else rng.randint(0, len(lessons) - 1)
        skill = min(0.98, max(0.3, rng.gauss(0.88, 0.1)))
        plans.append((n, done, started, skill))
        enrol_rows.append(
            {
                "user_id": uid,
                "course_slug": COURSE_SLUG,
                "course_version": course.version,
                "cycle": 1,
                "started_at": started,
                "last_seen_at": started + timedelta(days=done // 4),
                "lessons_completed_at": (
                    started + timedelta(days=done // 4) if done == len(lessons) else None
                ),
                "completed_at": None,
            }
        )
    _bulk(Enrollment, enrol_rows)
    by_user = dict(
        db.session.execute(
            select(Enrollment.user_id, Enrollment.id)
            .join(User, User.id == Enrollment.user_id)
            .where(User.email.like(pattern), Enrollment.course_slug == COURSE_SLUG)
        ).all()
    )
    enrollment_ids = [by_user[r["user_id"]] for r in enrol_rows]

    def progress_rows() -> Iterable[dict[str, Any]]:
        for (_, done, started, _), eid in zip(plans, enrollment_ids, strict=True):
            for k in range(min(done + 1, len(lessons))):
                at = started + timedelta(hours=k * 3)
                yield {
                    "enrollment_id": eid,
                    "module_slug": lessons[k][0],
                    "lesson_slug": lessons[k][1],
                    "first_opened_at": at,
                    "last_opened_at": at,
                    "completed_at": at + timedelta(minutes=9) if k < done else None,
                    "seconds_spent": 420 + (k * 37) % 300,
                }

    for batch in _batched(progress_rows()):
        db.session.execute(insert(LessonProgress.__table__), batch)

    attempts: list[dict[str, Any]] = []
    certs: list[dict[str, Any]] = []
    completions: list[tuple[int, datetime]] = []
    base = _snapshot_base()
    credit = demo_credit()
    for (n, done, started, skill), eid in zip(plans, enrollment_ids, strict=True):
        if done < len(lessons):
            continue
        uid = user_ids[n]
        at = started + timedelta(days=done // 4, hours=2)
        for _try in range(2):
            result, score = _result_json(rng, skill)
            passed = score >= 0.8
            attempts.append(
                {
                    "enrollment_id": eid,
                    "user_id": uid,
                    "quiz_key": FINAL_QUIZ,
                    "quiz_version": 1,
                    "pass_mark": 0.8,
                    "status": "graded",
                    "started_at": at,
                    "submitted_at": at + timedelta(minutes=25),
                    "graded_at": at + timedelta(minutes=25),
                    "score": score,
                    "passed": passed,
                    "scenario_version_ids": [],
                    "result": result,
                }
            )
            if passed:
                issued = at + timedelta(minutes=40)
                if issued > now:
                    break
                number = new_number(rng)
                name, cred = people[n]
                snap = dict(base)
                snap.update(
                    number=number,
                    learner_name=name,
                    credentials=cred,
                    completion_date=issued.date().isoformat(),
                    issue_date=issued.date().isoformat(),
                    expiry_date=(issued.date() + timedelta(days=730)).isoformat(),
                )
                certs.append(
                    {
                        "number": number,
                        "enrollment_id": eid,
                        "user_id": uid,
                        "course_slug": COURSE_SLUG,
                        "course_version": course.version,
                        "issued_at": issued,
                        "completion_date": issued.date(),
                        "expires_on": issued.date() + timedelta(days=730),
                        "credit_hours": credit,
                        "snapshot": snap,
                        "status": "valid",
                        "credential_id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                        "subject_identifier": "sha256$" + secrets.token_hex(32),
                        "subject_salt": secrets.token_hex(8),
                    }
                )
                completions.append((eid, issued))
                break
            at += timedelta(days=rng.randint(1, 10))
    _bulk(Attempt, attempts)
    _bulk(Certificate, certs)
    if completions:
        from sqlalchemy import bindparam, update

        stmt = (
            update(Enrollment.__table__)
            .where(Enrollment.__table__.c.id == bindparam("eid"))
            .values(completed_at=bindparam("done"))
        )
        for batch in _batched([{"eid": e, "done": d} for e, d in completions]):
            db.session.execute(stmt, batch)
    # Core inserts bypass the session hook that keeps completion records current.
    records.refresh(select(Membership.user_id).where(Membership.institution_id == org.id))
    db.session.commit()
    # Fresh statistics: without them the planner misjudges the report's aggregates after a
    # bulk load (PostgreSQL picked nested loops: 220 s instead of 3 s for 100,000 learners).
    # (Not on SQLite: with sqlite_stat1 present it chose a worse join order, 7 s -> 212 s.)
    if db.engine.dialect.name == "postgresql":
        tables = (
            "user",
            "membership",
            "enrollment",
            "lesson_progress",
            "attempt",
            "certificate",
            "completion_record",
        )
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(text(f'ANALYZE "{table}"'))
    return DemoStats(org.slug, len(user_ids), len(enrollment_ids), len(attempts), len(certs))
