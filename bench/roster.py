"""Roster import at scale: `import_roster` against a plain executemany INSERT of the same users.

    .venv/bin/python bench/roster.py                    # 100,000 rows, SQLite + PostgreSQL
    .venv/bin/python bench/roster.py --rows 20000 --pg none
    .venv/bin/python bench/roster.py --db postgresql --pg postgresql+psycopg://postgres@host/db

Generates one roster CSV of N new people (ten departments, an employee_id each), then for each
database runs, in a child process of its own (so each peak RSS is that run's alone, read with
resource.getrusage(RUSAGE_SELF)):

- baseline: the CSV read with the csv module and the same user rows written with one Core
  `insert(user)` executemany, no validation, no roles, no memberships: the floor;
- import: `import_roster` from the file object, in one transaction (new accounts, roles,
  memberships, departments, password-set links), then again with the same file (every row
  matched and unchanged), which is the re-upload case.

SQLite is a fresh file; PostgreSQL a database of its own on the `--pg` server (created, then
dropped); an unreachable server is skipped with a message. Goal: 100,000 rows in <= 60 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DB = "postrx_bench_roster"
GOAL_SECONDS = 60.0
DEPARTMENTS = (
    "Emergency",
    "ICU",
    "Pharmacy",
    "Maternity",
    "Radiology",
    "Paediatrics",
    "Outpatients",
    "Physiotherapy",
    "Theatres",
    "Medical Students",
)
PROFESSIONS = (
    ("nurse", "RN"),
    ("physician", "MD"),
    ("pharmacist", "PharmD"),
    ("allied_health", "PT"),
    ("student", ""),
    ("other", ""),
)
GIVEN = ("Ana", "Maya", "Samuel", "Priya", "Alex", "Tom", "Grace", "Olu", "Chen", "Fatima")
FAMILY = ("Souza", "Okoye", "Raman", "Reid", "Kowalski", "Haddad", "Murphy", "Nakamura")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_roster(path: Path, rows: int) -> int:
    """N distinct people, one per line; returns the file's size in bytes."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(("email", "name", "department", "profession", "credentials", "employee_id"))
        for i in range(rows):
            prof, creds = PROFESSIONS[i % len(PROFESSIONS)]
            name = f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // 7) % len(FAMILY)]}"
            w.writerow(
                (
                    f"person{i:07d}@bench-hospital.example",
                    name,
                    DEPARTMENTS[i % len(DEPARTMENTS)],
                    prof,
                    creds,
                    f"E{i:07d}",
                )
            )
    return path.stat().st_size


def _app(url: str) -> Any:
    os.environ["DATABASE_URL"] = url
    from app import create_app
    from app.extensions import db

    app = create_app()
    app.config["ROSTER_MAX_BYTES"] = 1 << 30  # the bench measures speed, not the upload limit
    with app.app_context():
        db.create_all()
    return app


def child(task: str, url: str, roster: str) -> None:
    """Run one task in this process and print a JSON line with seconds and peak RSS."""
    app = _app(url)
    with app.app_context():
        base = _peak_mb()
        if task == "baseline":
            took, rows = _baseline(roster)
            out: dict[str, Any] = {"seconds": took, "rows": rows}
        else:
            out = _import_twice(roster)
        out.update(task=task, peak_mb=_peak_mb(), base_mb=base)
    print(json.dumps(out))


def _baseline(roster: str) -> tuple[float, int]:
    """The floor: the file read with csv, the user rows written with one Core executemany."""
    from sqlalchemy import Table, insert

    from app.extensions import db
    from app.models import User

    started = time.perf_counter()
    with open(roster, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        params = [
            {
                "email": r["email"],
                "password_hash": "!unusable$x",
                "print_name": r["name"],
                "credentials": r["credentials"],
                "profession": r["profession"],
            }
            for r in reader
        ]
    with db.engine.begin() as conn:
        conn.execute(insert(cast(Table, User.__table__)), params)
    return time.perf_counter() - started, len(params)


def _import_twice(roster: str) -> dict[str, Any]:
    from app.db_tx import transaction
    from app.extensions import db
    from app.models import Institution, Membership, Role, User
    from app.services.institutions import import_roster

    admin = User(email="admin@bench-hospital.example", password_hash="x", print_name="Admin")
    admin.grant(Role.INSTITUTION_ADMIN)
    org = Institution(slug="bench-hospital", name="Bench Hospital")
    db.session.add_all([admin, org])
    db.session.flush()
    db.session.add(Membership(user_id=admin.id, institution_id=org.id, is_admin=True))
    db.session.commit()
    calls: list[tuple[int, int]] = []
    out: dict[str, Any] = {}
    for label in ("first", "again"):
        started = time.perf_counter()
        with transaction(), open(roster, "rb") as fh:
            result = import_roster(
                org, admin, fh, "bench.csv", progress=lambda d, t: calls.append((d, t))
            )
        out[label] = {
            "seconds": time.perf_counter() - started,
            "created": result.created,
            "unchanged": result.unchanged,
            "messages": len(result.messages),
            "progress_calls": len(calls),
            "last_progress": calls[-1],
        }
        calls.clear()
        del result
    out["seconds"] = out["first"]["seconds"]
    out["rows"] = out["first"]["created"]
    return out


def _run_child(task: str, url: str, roster: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", task, "--url", url, "--roster", str(roster)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=dict(os.environ, POSTRX_INSTANCE_DIR=str(roster.parent)),
    )
    if proc.returncode != 0:
        raise SystemExit(f"{task} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _pg_admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _pg_database(server_url: str, action: str) -> str:
    """A database of its own on the server, so concurrent test runs cannot touch it."""
    import psycopg

    with psycopg.connect(_pg_admin_url(server_url), autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if action == "create":
            conn.execute(f"CREATE DATABASE {PG_DB}")
    return server_url.rsplit("/", 1)[0] + f"/{PG_DB}"


def _fresh_db(kind: str, tmp: str, pg: str) -> str:
    if kind == "sqlite":
        path = Path(tmp, "bench.sqlite3")
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return _pg_database(pg, "create")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default=PG_URL, help="PostgreSQL server URL, or 'none' to skip")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--roster")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.roster)
        return
    with tempfile.TemporaryDirectory(prefix="postrx-bench-roster-") as tmp:
        roster = Path(tmp, "roster.csv")
        size = write_roster(roster, args.rows)
        print(f"roster: {args.rows:,} rows, {size / 1e6:.1f} MB; load: {os.getloadavg()[0]:.2f}")
        kinds = [] if args.db == "postgresql" else ["sqlite"]
        if args.pg != "none" and args.db != "sqlite":
            try:
                _pg_database(args.pg, "drop")
                kinds.append("postgresql")
            except Exception as err:
                print(f"\npostgresql: skipped, server unreachable ({type(err).__name__}: {err})")
        for kind in kinds:
            # baseline and import each get an empty schema of their own
            results = []
            for task in ("baseline", "import"):
                url = _fresh_db(kind, tmp, args.pg)
                try:
                    results.append(_run_child(task, url, roster))
                finally:
                    if kind == "postgresql":
                        _pg_database(args.pg, "drop")
            _report(kind, args.rows, *results)


def _report(name: str, rows: int, base: dict[str, Any], imp: dict[str, Any]) -> None:
    print(f"\n{name}: {rows:,} rows")
    print(f"{'run':<22}{'seconds':>9}{'rows/s':>10}{'vs baseline':>13}{'peak RSS MB':>13}")
    floor = base["seconds"]
    lines = [
        ("baseline INSERT", base["seconds"], base["peak_mb"]),
        ("import_roster (new)", imp["first"]["seconds"], imp["peak_mb"]),
        ("import_roster (again)", imp["again"]["seconds"], imp["peak_mb"]),
    ]
    for label, secs, peak in lines:
        print(f"{label:<22}{secs:>9.2f}{rows / secs:>10,.0f}{secs / floor:>12.1f}x{peak:>13.0f}")
    first = imp["first"]
    print(
        f"created {first['created']:,}, messages {first['messages']:,}, progress calls "
        f"{first['progress_calls']} ending at {tuple(first['last_progress'])}; again: "
        f"{imp['again']['unchanged']:,} unchanged"
    )
    ok = first["seconds"] <= GOAL_SECONDS
    print(
        f"goal: {rows:,} rows in <= {GOAL_SECONDS:.0f} s: {'met' if ok else 'NOT met'} "
        f"({first['seconds']:.1f} s)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
