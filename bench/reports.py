"""Completion-report exports at scale: time and peak memory per format, vs a plain SQL query.

    .venv/bin/python bench/reports.py                      # 100,000 learners, SQLite + PostgreSQL
    .venv/bin/python bench/reports.py --learners 20000 --db sqlite

For each database it builds a fresh synthetic institution with `postrx demo-data`, then runs
every export in its own subprocess (so each peak RSS is that export's alone, read with
resource.getrusage(RUSAGE_SELF) in the child), next to a plain SQL query that streams the same
members to CSV with the DB driver and the csv module. PostgreSQL runs in a database of its
own (created on the test server, dropped afterwards). Goals: CSV within 3x of the plain query; peak RSS < 200 MB; PDF summary < 10 s.
`csv-progress` is the CSV as a background job writes it, with a progress callback (one more
query counts the rows first).
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DB = "postrx_bench_reports"
ORG = "bench-hospital"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(url: str) -> Any:
    os.environ["DATABASE_URL"] = url
    from app import create_app

    return create_app()


def child(task: str, url: str, out: str) -> None:
    """Run one export in this process and print a JSON line with seconds and peak RSS."""
    app = _app(url)
    with app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Institution
        from app.services import reports

        org = db.session.execute(select(Institution).where(Institution.slug == ORG)).scalar_one()
        base = _peak_mb()
        started = time.perf_counter()
        rows = 0
        if task == "plain":
            rows = _plain_csv(db, org.id, out)
        elif task == "csv-progress":
            calls: list[int] = []
            with open(out, "wb") as fh:
                reports.export(org, "csv", fh, progress=lambda done, total: calls.append(done))
            rows = calls[-1]
        elif task == "pdf-summary":
            with open(out, "wb") as fh:
                for chunk in reports.write_pdf(org, table=False):
                    fh.write(chunk)
        else:
            with open(out, "wb") as fh:
                reports.export(org, task, fh)
        took = time.perf_counter() - started
    print(
        json.dumps(
            {
                "task": task,
                "seconds": took,
                "peak_mb": _peak_mb(),
                "base_mb": base,
                "bytes": os.path.getsize(out),
                "rows": rows,
            }
        )
    )


def _plain_csv(db: Any, org_id: int, out: str) -> int:
    """The floor: the same members, one plain joined SELECT, streamed to CSV by the driver."""
    sql = (
        'SELECT u.print_name, u.email, d.name, u.profession FROM membership m JOIN "user" u '
        "ON u.id = m.user_id LEFT JOIN department d ON d.id = m.department_id "
        "WHERE m.institution_id = %s ORDER BY u.print_name, m.id"
    )
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        n = 0
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            if db.engine.dialect.name == "postgresql":
                cur = driver.cursor(name="plain_csv")  # server-side cursor
                cur.itersize = 2000
                cur.execute(sql, (org_id,))
            else:
                cur = driver.cursor()
                cur.execute(sql.replace("%s", "?"), (org_id,))
            while batch := cur.fetchmany(2000):
                w.writerows(batch)
                n += len(batch)
            cur.close()
        return n
    finally:
        raw.close()


def _run_child(task: str, url: str, tmp: str) -> dict[str, float]:
    out = os.path.join(tmp, f"out-{task}")
    proc = subprocess.run(
        [sys.executable, __file__, "--child", task, "--url", url, "--out", out],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{task} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _prepare(url: str, learners: int, tmp: str) -> float:
    env = dict(os.environ, DATABASE_URL=url, POSTRX_INSTANCE_DIR=tmp)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from app import create_app\nfrom app.extensions import db\n"
            "app = create_app()\nwith app.app_context(): db.create_all()",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    started = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).with_name("postrx")),
            "demo-data",
            "--org",
            ORG,
            "--learners",
            str(learners),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def _pg_database(action: str) -> None:
    """A database of its own, so concurrent test runs on `test` cannot touch it."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if action == "create":
            conn.execute(f"CREATE DATABASE {PG_DB}")


def bench(db_name: str, learners: int) -> None:
    with tempfile.TemporaryDirectory(prefix="postrx-bench-") as tmp:
        if db_name == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            _pg_database("create")
            url = PG_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
        try:
            os.environ["POSTRX_INSTANCE_DIR"] = tmp
            gen = _prepare(url, learners, tmp)
            results = {
                t: _run_child(t, url, tmp)
                for t in ("plain", "csv", "csv-progress", "xlsx", "pdf", "pdf-summary")
            }
        finally:
            if db_name == "postgresql":
                _pg_database("drop")
    plain = results["plain"]["seconds"]
    print(f"\n{db_name}: {learners:,} learners (demo-data took {gen:.1f} s)")
    print(f"{'export':<12}{'seconds':>9}{'vs plain':>10}{'peak RSS MB':>13}{'size MB':>10}")
    for task, r in results.items():
        print(
            f"{task:<12}{r['seconds']:>9.2f}{r['seconds'] / plain:>9.1f}x"
            f"{r['peak_mb']:>13.0f}{r['bytes'] / 1e6:>10.1f}"
        )
    csv_ratio = results["csv"]["seconds"] / plain
    worst = max(r["peak_mb"] for r in results.values())
    print(
        f"goals: CSV {csv_ratio:.1f}x plain (<= 3x: {'met' if csv_ratio <= 3 else 'NOT met'}); "
        f"peak RSS max {worst:.0f} MB (< 200: {'met' if worst < 200 else 'NOT met'}); "
        f"PDF summary {results['pdf-summary']['seconds']:.1f} s (< 10: "
        f"{'met' if results['pdf-summary']['seconds'] < 10 else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.out)
        return
    for name in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        bench(name, args.learners)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
