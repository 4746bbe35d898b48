"""Completion records: each learner's report row, kept in step with the tables it summarises.

A report of 100,000 learners used to aggregate about 1.6 million lesson-progress rows, every
graded attempt and every certificate each time it ran (5 s on SQLite). The aggregates now live
in `completion_record`, one row per learner and course, and the report is a plain join.

Keeping them right is this module's job, and it does not rely on every service remembering:

- a session hook (installed by `register(db)`, which `create_app()` calls; importing this module
  installs nothing) notes the learners whose enrollments, lesson progress, attempts or certificates
  a flush wrote, and recomputes their records right after that flush, in the same transaction
  (a rollback takes the record back with the change that caused it);
- `refresh()` recomputes any set of learners with one INSERT … SELECT … ON CONFLICT DO UPDATE,
  from the one definition of the aggregates below (`_record_select`); bulk writers that bypass
  the ORM (demo data) call it, and `postrx reports rebuild` / `postrx setup` recompute everyone
  (after a content change alters how many lessons a module has, for instance).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    CompoundSelect,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    event,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, SQLColumnExpression

from app.extensions import db
from app.models.certificate import Certificate
from app.models.learning import CompletionRecord, Enrollment, LessonProgress
from app.models.quiz import Attempt, QuizDefinition
from app.models.user import User
from app.services.institutions import COURSE_SLUG

_PENDING = "postrx.completion_records"
BATCH_USERS = 20_000  # rebuilds recompute this many learners per statement
_LOCK_SPACE = 0x50525843  # "PRXC": the advisory-lock namespace of completion records


def greatest(a: SQLColumnExpression[Any], b: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """GREATEST that ignores NULLs on SQLite and PostgreSQL alike."""
    return case((a.is_(None), b), (b.is_(None), a), (a > b, a), else_=b)


def _module_counts() -> dict[str, int]:
    from app.services.learning import get_course

    return {m.slug: len(m.lessons) for m in get_course().modules}


def _record_select(users: Any, course_slug: str, dialect: str) -> Select[Any]:
    """One row per user id in `users` (a collection or a SELECT of ids): the record's columns.

    Latest enrollment: modules whose lessons are all complete. All graded attempts: best score
    per quiz as "quiz-key NN%" and whether a final assessment was passed. Latest valid
    certificate: number, date, credits. Completed: the later of the enrollment's completion
    and that certificate.
    """
    enr = (
        select(
            Enrollment.user_id.label("user_id"),
            func.max(Enrollment.id).label("latest_id"),
            func.max(Enrollment.completed_at).label("completed_at"),
            func.max(Enrollment.started_at).label("started_at"),
        )
        .where(Enrollment.course_slug == course_slug, Enrollment.user_id.in_(users))
        .group_by(Enrollment.user_id)
        .subquery("enr")
    )
    lp = (
        select(
            LessonProgress.enrollment_id.label("enrollment_id"),
            LessonProgress.module_slug.label("module_slug"),
            func.count().label("n"),
        )
        .join(enr, enr.c.latest_id == LessonProgress.enrollment_id)
        .where(LessonProgress.completed_at.is_not(None))
        .group_by(LessonProgress.enrollment_id, LessonProgress.module_slug)
        .subquery("lp")
    )
    module_done = case(
        *[(and_(lp.c.module_slug == s, lp.c.n >= n), 1) for s, n in _module_counts().items()],
        else_=0,
    )
    mods = (
        select(lp.c.enrollment_id, func.sum(module_done).label("modules"))
        .group_by(lp.c.enrollment_id)
        .subquery("mods")
    )
    finals = select(QuizDefinition.quiz_key).where(QuizDefinition.is_final.is_(True))
    best = (
        select(
            Attempt.user_id.label("user_id"),
            Attempt.quiz_key.label("quiz_key"),
            func.max(Attempt.score).label("best"),
            func.max(
                case((and_(Attempt.passed.is_(True), Attempt.quiz_key.in_(finals)), 1), else_=0)
            ).label("passed"),
        )
        .where(Attempt.status == "graded", Attempt.user_id.in_(users))
        .group_by(Attempt.user_id, Attempt.quiz_key)
        .subquery("best")
    )
    # Percent rounded DOWN, so 79.7 % reads 79 % and a shown 80 % always means the pass mark was
    # reached. SQLite's CAST truncates; PostgreSQL's rounds, so it needs floor(). The epsilon
    # keeps 0.29 * 100 = 28.999… at 29.
    percent = best.c.best * 100 + 1e-9
    if dialect == "postgresql":
        percent = func.floor(percent)
    score_text = (
        best.c.quiz_key + literal(" ") + cast(cast(percent, Integer), String) + literal("%")
    )
    quiz = (
        select(
            best.c.user_id,
            func.aggregate_strings(score_text, "; ").label("scores"),
            func.max(best.c.passed).label("passed"),
        )
        .group_by(best.c.user_id)
        .subquery("quiz")
    )
    ranked = (
        select(
            Certificate.user_id.label("user_id"),
            Certificate.number.label("number"),
            Certificate.issued_at.label("issued_at"),
            Certificate.credit_hours.label("credit_hours"),
            func.row_number()
            .over(partition_by=Certificate.user_id, order_by=Certificate.issued_at.desc())
            .label("rn"),
        )
        .where(
            Certificate.status == "valid",
            Certificate.course_slug == course_slug,
            Certificate.user_id.in_(users),
        )
        .subquery("ranked")
    )
    cert = select(ranked).where(ranked.c.rn == 1).subquery("cert")
    now = datetime.now(UTC)
    return (
        select(
            User.id,
            literal(course_slug, String(64)),
            enr.c.started_at,
            greatest(enr.c.completed_at, cert.c.issued_at),
            func.coalesce(mods.c.modules, 0),
            quiz.c.scores,
            case((quiz.c.passed == 1, true()), else_=false()),
            cert.c.number,
            cert.c.issued_at,
            cert.c.credit_hours,
            literal(now, DateTime(timezone=True)),
        )
        .select_from(User)
        .outerjoin(enr, enr.c.user_id == User.id)
        .outerjoin(mods, mods.c.enrollment_id == enr.c.latest_id)
        .outerjoin(quiz, quiz.c.user_id == User.id)
        .outerjoin(cert, cert.c.user_id == User.id)
        .where(User.id.in_(users))
    )


_COLUMNS = (
    "user_id",
    "course_slug",
    "started_at",
    "completed_at",
    "modules_completed",
    "quiz_scores",
    "passed",
    "certificate_number",
    "certificate_issued_at",
    "certificate_credits",
    "changed_at",
)


def _upsert(conn: Connection, users: Any, course_slug: str) -> None:
    dialect = conn.dialect.name
    from sqlalchemy.dialects import postgresql, sqlite

    # Both dialects' INSERT … ON CONFLICT DO UPDATE, spelled alike (two distinct types).
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(CompletionRecord).from_select(
        _COLUMNS, _record_select(users, course_slug, dialect)
    )
    values = _COLUMNS[2:-1]
    table = CompletionRecord.__table__
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "course_slug"],
        set_={c: stmt.excluded[c] for c in (*values, "changed_at")},
        # Only rows whose values differ are written, so changed_at means "changed".
        where=or_(*[table.c[c].is_distinct_from(stmt.excluded[c]) for c in values]),
    )
    conn.execute(stmt)


def refresh(
    user_ids: Collection[int] | Select[Any],
    course_slug: str = COURSE_SLUG,
    *,
    connection: Connection | None = None,
) -> None:
    """Recompute the records of these learners (ids, or a SELECT of ids) in the current
    transaction. Does not commit: it belongs to whatever change made it necessary."""
    conn = connection or db.session.connection()
    if isinstance(user_ids, Select):
        with _bulk_plan(conn):
            _upsert(conn, user_ids, course_slug)
        return
    ids = sorted(set(user_ids))
    if conn.dialect.name == "postgresql":
        # Two transactions changing one learner at once (two tabs) would each compute the
        # record from a snapshot without the other's change, and the later write would win.
        # A per-learner lock held to the end of the transaction serialises them; the upsert
        # below then starts a fresh snapshot (READ COMMITTED) that includes the other's work.
        # In ascending id order, so two multi-learner refreshes cannot deadlock.
        # (PostgreSQL evaluates a volatile select list after ORDER BY.)
        for start in range(0, len(ids), 1000):
            locks = (
                select(func.pg_advisory_xact_lock(_LOCK_SPACE, User.id).label("locked"))
                .where(User.id.in_(ids[start : start + 1000]))
                .order_by(User.id)
                .subquery()
            )
            conn.execute(select(func.count()).select_from(locks))
    for start in range(0, len(ids), 1000):  # stay under SQLite's bound-parameter limit
        _upsert(conn, ids[start : start + 1000], course_slug)


@contextmanager
def _bulk_plan(conn: Connection) -> Iterator[None]:
    """PostgreSQL: plan a many-learner recompute for all rows, with hash joins.

    Right after a bulk load (demo data, before ANALYZE) the planner takes the grouped
    subqueries for tiny and nests loops over them: minutes instead of seconds for 100,000
    learners. Only for the block: the rest of the transaction, and one learner's refresh,
    keep the default plan (index lookups are right there)."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        if postgres:
            conn.exec_driver_sql("SET LOCAL enable_nestloop = DEFAULT")


def rebuild(course_slug: str = COURSE_SLUG) -> int:
    """Recompute every learner's record in the caller's transaction; returns how many there
    are now. `postrx reports rebuild` and `postrx setup` commit it (`app.db_tx.transaction`).

    Covers everyone with course activity or a record already (a record whose data has gone is
    emptied); accounts that never started have no record, which reads the same. Runs in slices
    of user ids so a large install's rebuild never holds one huge sort."""
    conn = db.session.connection()
    active: CompoundSelect[Any] = union(
        select(Enrollment.user_id).where(Enrollment.course_slug == course_slug),
        select(Attempt.user_id),
        select(Certificate.user_id).where(Certificate.course_slug == course_slug),
        select(CompletionRecord.user_id).where(CompletionRecord.course_slug == course_slug),
    )
    bounds = conn.execute(select(func.min(User.id), func.max(User.id))).one()
    if bounds[0] is not None:
        with _bulk_plan(conn):
            for low in range(bounds[0], bounds[1] + 1, BATCH_USERS):
                users = select(User.id).where(
                    User.id >= low, User.id < low + BATCH_USERS, User.id.in_(active)
                )
                _upsert(conn, users, course_slug)
    return int(db.session.scalar(select(func.count()).select_from(CompletionRecord)) or 0)


# ---------------------------------------------------------------- the session hook

# The columns a record is computed from. A change to anything else (a heartbeat's time on task,
# the resume point, a draft answer) leaves records alone, so the hook costs nothing there.
_RELEVANT: dict[type, frozenset[str]] = {
    Enrollment: frozenset({"user_id", "course_slug", "started_at", "completed_at"}),
    LessonProgress: frozenset({"enrollment_id", "module_slug", "lesson_slug", "completed_at"}),
    Attempt: frozenset({"user_id", "quiz_key", "status", "score", "passed"}),
    Certificate: frozenset(
        {"user_id", "course_slug", "status", "number", "issued_at", "credit_hours"}
    ),
    QuizDefinition: frozenset({"quiz_key", "is_final"}),
}


def _changed(obj: object, names: frozenset[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


def _touched(session: Session) -> tuple[set[int], set[int], set[str]]:
    """(user ids, enrollment ids, quiz keys) whose records this flush may have changed."""
    users: set[int] = set()
    enrollments: set[int] = set()
    quizzes: set[str] = set()
    changed = [(o, True) for o in session.new] + [(o, True) for o in session.deleted]
    changed += [(o, False) for o in session.dirty]
    for obj, whole in changed:
        names = _RELEVANT.get(type(obj))
        if names is None or not (whole or _changed(obj, names)):
            continue
        # Values straight from the state: reading an expired attribute here would query.
        values = inspect(obj).dict
        if isinstance(obj, LessonProgress):
            if values.get("enrollment_id") is not None:
                enrollments.add(values["enrollment_id"])
        elif isinstance(obj, QuizDefinition):
            if values.get("quiz_key") is not None:
                quizzes.add(values["quiz_key"])
        elif values.get("user_id") is not None:
            users.add(values["user_id"])
        if not isinstance(obj, LessonProgress | QuizDefinition):
            # A row moved to another learner (rare) leaves the old one to refresh as well.
            history = inspect(obj).attrs["user_id"].history
            users.update(u for u in history.deleted if u is not None)
    return users, enrollments, quizzes


def _note_changes(session: Session, _ctx: Any) -> None:
    users, enrollments, quizzes = _touched(session)
    if users or enrollments or quizzes:
        pending = session.info.setdefault(_PENDING, (set(), set(), set()))
        pending[0].update(users)
        pending[1].update(enrollments)
        pending[2].update(quizzes)


def _refresh_changed(session: Session, _ctx: Any) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    users, enrollments, quizzes = pending
    conn = session.connection()
    if enrollments:
        users |= set(
            conn.execute(select(Enrollment.user_id).where(Enrollment.id.in_(enrollments))).scalars()
        )
    if quizzes:  # a quiz became (or stopped being) the final: everyone who took it
        users |= set(
            conn.execute(
                select(Attempt.user_id).where(Attempt.quiz_key.in_(quizzes)).distinct()
            ).scalars()
        )
    if users:
        refresh(users, connection=conn)


def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)


_HOOKS = (
    ("after_flush", _note_changes),
    ("after_flush_postexec", _refresh_changed),
    ("after_soft_rollback", _forget),
)


def register(database: SQLAlchemy) -> None:
    """Keep completion records current in the sessions of `database` (`db.session`).

    Called by create_app(); safe to call again (a second app adds nothing). Scoped to that
    extension's session factory, so other SQLAlchemy sessions in the process are left alone.
    """
    for name, hook in _HOOKS:
        if not event.contains(database.session, name, hook):
            event.listen(database.session, name, hook)
