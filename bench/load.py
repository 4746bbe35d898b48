"""A bounded load test: simulated learners against gunicorn + PostgreSQL + Redis + a worker.

    .venv/bin/python bench/load.py                          # 200 users, 60 s (the measurement)
    .venv/bin/python bench/load.py --users 20 --time 10s    # a short check

Needs the bench extra's Locust (`.venv/bin/pip install 'locust>=2.20'`), PostgreSQL on
127.0.0.1:5432 (trust auth, user postgres) and Redis on 127.0.0.1:6379. It:

1. creates a database of its own (`--db`, dropped at the end) and runs `postrx setup --demo`,
   then `postrx demo-data` for `--learners` synthetic members of one institution (bulk inserts,
   one password hash for everyone; varied progress, attempts and certificates);
2. uses a Redis database number of its own (`--redis-db`, flushed before and after) for the
   Celery broker and the rate-limit storage;
3. starts gunicorn (`-w` 2 x cores, gthread) and one `postrx worker`, on loopback;
4. runs Locust headless (bench/load/locustfile.py: learners + institution admins exporting the
   report as a job), after an unmeasured warm-up run (`--warmup`, 20 users: each web worker
   loads its caches on first use), and then, as the baseline, the same number of requests to `/healthz` at the
   same concurrency and pacing;
5. prints req/s, failures and p50/p95/p99 overall and per endpoint next to the baseline, the
   CPU seconds the web workers, the database backends and the job worker used per request, and
   the load average before and after; then stops everything it started.

Goals (docs/performance.md, "Load test"): 0 errors, p99 < 500 ms at 200 users.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
ORG = "load-hospital"
ADMIN_EMAIL = "orgadmin@demo.example.org"
PASSWORD = "postrx-demo-2026"  # app.services.demo.DEMO_PASSWORD, shared by demo-data's people
GOAL_P99_MS = 500.0


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _pg(dbname: str, *statements: str) -> list[tuple[Any, ...]]:
    """Run statements on the server in autocommit; returns the last one's rows (if any)."""
    import psycopg

    rows: list[tuple[Any, ...]] = []
    with psycopg.connect(f"{PG_SERVER}/{dbname}", autocommit=True) as conn:
        for sql in statements:
            cur = conn.execute(sql)
            rows = cur.fetchall() if cur.description else []
    return rows


def _redis(db: int, *command: str) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db)
    client.execute_command(*command)
    client.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")


def prepare(dbname: str, env: dict[str, str], learners: int, accounts: Path) -> float:
    """Fresh database, setup --demo, demo-data; writes the learners' emails (shuffled)."""
    _pg("test", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)", f"CREATE DATABASE {dbname}")
    started = time.perf_counter()
    _run([str(BIN / "postrx"), "setup", "--demo"], env)
    _run([str(BIN / "postrx"), "demo-data", "--org", ORG, "--learners", str(learners)], env)
    # The demo institution admin also administers the load-test institution (its report job).
    _pg(
        dbname,
        "INSERT INTO membership (user_id, institution_id, is_admin, joined_at) "
        f"SELECT u.id, i.id, true, now() FROM \"user\" u, institution i WHERE u.email = '{ADMIN_EMAIL}' "
        f"AND i.slug = '{ORG}' ON CONFLICT DO NOTHING",
    )
    rows = _pg(
        dbname,
        'SELECT u.email FROM "user" u JOIN membership m ON m.user_id = u.id '
        f"JOIN institution i ON i.id = m.institution_id WHERE i.slug = '{ORG}' "
        f"AND u.email <> '{ADMIN_EMAIL}' ORDER BY md5(u.email)",
    )
    accounts.write_text("".join(f"{email}\n" for (email,) in rows), encoding="utf-8")
    return time.perf_counter() - started


def _processes() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds so far, command line), read from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[int, float, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        found[int(entry.name)] = (
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / tick,
            cmdline,
        )
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process and all its live descendants."""
    procs = _processes()
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in procs:
            total += procs[p][1]
            todo.extend(c for c, (parent, _, _) in procs.items() if parent == p)
    return total


def _pg_backend_cpu(dbname: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to our database (by its process title)."""
    return {
        pid: cpu
        for pid, (_, cpu, title) in _processes().items()
        if title.startswith("postgres: ") and f" {dbname} " in title
    }


def _wait_healthy(url: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"gunicorn did not answer {url}/healthz within {timeout:.0f} s:\n{tail}")


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to the process group we started (gunicorn's and celery's children included)."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def locust(
    env: dict[str, str],
    host: str,
    prefix: Path,
    classes: list[str],
    args: argparse.Namespace,
    run_time: str,
) -> list[dict[str, str]]:
    """One headless Locust run; returns the rows of its _stats.csv (Aggregated last)."""
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        run_time,
        "--host",
        host,
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
        "--stop-timeout",  # a request in flight at the end completes; users stop at their next wait
        "30",
        *classes,
    ]
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(f"locust failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    with stats.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _row(r: dict[str, str], width: int) -> str:
    name = f"{r['Type']} {r['Name']}" if r["Name"] != "Aggregated" else "all requests"
    return (
        f"{name[:width]:<{width}}{int(r['Request Count']):>8}{int(r['Failure Count']):>6}"
        f"{float(r['Requests/s']):>8.1f}{r['50%']:>7}{r['95%']:>7}{r['99%']:>7}{r['100%']:>7}"
    )


def report(
    rows: list[dict[str, str]],
    base: list[dict[str, str]],
    fails: list[dict[str, str]],
    cpu: dict[str, float],
) -> None:
    width = 52
    head = f"{'endpoint':<{width}}{'reqs':>8}{'fails':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}"
    print(f"\nLearners (+ institution admins), times in ms:\n{head}")
    for r in sorted(rows[:-1], key=lambda r: -int(r["Request Count"])):
        print(_row(r, width))
    total = rows[-1]
    print(_row(total, width))
    b = base[-1]
    print(f"\nBaseline, the same number of requests to /healthz:\n{head}\n{_row(b, width)}")
    ratio = {k: float(total[k]) / max(float(b[k]), 1.0) for k in ("50%", "95%", "99%")}
    print(
        "ratio learners / healthz: "
        + ", ".join(f"p{k[:-1]} {v:.1f}x" for k, v in ratio.items())
        + f"; req/s {float(total['Requests/s']) / max(float(b['Requests/s']), 0.01):.2f}x"
    )
    if fails:
        print("\nFailures:")
        for f in fails[:15]:
            print(f"  {f['Occurrences']:>5} x {f['Method']} {f['Name']}: {f['Error'][:150]}")
    n = int(total["Request Count"])
    print(
        f"\nCPU per learner request (ms, {n:,} requests): web {1000 * cpu['web'] / n:.1f}, "
        f"PostgreSQL {1000 * cpu['pg'] / n:.1f}, job worker {1000 * cpu['worker'] / n:.1f}, "
        f"locust {1000 * cpu['locust'] / n:.1f}; per /healthz request: web "
        f"{1000 * cpu['web_base'] / max(int(b['Request Count']), 1):.1f}"
    )
    sign_ins = sum(int(r["Request Count"]) for r in rows if r["Name"] == "/login [POST]")
    if "check" in cpu and n > sign_ins:
        rest = (cpu["web"] - sign_ins * cpu["check"]) / (n - sign_ins)
        print(
            f"web CPU per request without the {sign_ins} sign-ins' password checks "
            f"({sign_ins} x {1000 * cpu['check']:.0f} ms): {1000 * rest:.1f} ms"
        )
    p99, errors = float(total["99%"]), int(total["Failure Count"])
    print(
        f"goals: errors {errors} (0: {'met' if errors == 0 else 'NOT met'}); p99 {p99:.0f} ms "
        f"(< {GOAL_P99_MS:.0f}: {'met' if p99 < GOAL_P99_MS else 'NOT met'})"
    )


def main() -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--time", default="60s", help="Locust run time, e.g. 60s, 2m")
    parser.add_argument("--learners", type=int, default=20_000, help="demo-data members")
    parser.add_argument("--admins", type=int, default=1, help="institution admins exporting")
    parser.add_argument("--web-workers", type=int, default=2 * cores)
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--job-concurrency", type=int, default=1)
    parser.add_argument(
        "--warmup", default="20s", help="a short run first (not measured; 0s: none)"
    )
    parser.add_argument("--db", default="postrx_load")
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--csv-dir", help="keep Locust's CSV files here (default: a temp dir)")
    args = parser.parse_args()
    if args.users + 20 > args.learners:
        parser.error("--learners must exceed --users by 20 (one account per simulated learner)")

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    web = worker = None
    with tempfile.TemporaryDirectory(prefix="postrx-load-") as tmp:
        out = Path(args.csv_dir or tmp)
        out.mkdir(parents=True, exist_ok=True)
        accounts = Path(tmp) / "accounts.txt"
        env = dict(
            os.environ,
            DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}",
            REDIS_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
            SECRET_KEY=secrets.token_urlsafe(32),
            POSTRX_INSTANCE_DIR=str(Path(tmp) / "instance"),
            POSTRX_BASE_URL=host,
            POSTRX_LOG_LEVEL="WARNING",
            LOAD_ACCOUNTS=str(accounts),
            LOAD_PASSWORD=PASSWORD,
            LOAD_ADMIN_EMAIL=ADMIN_EMAIL,
            LOAD_ORG=ORG,
            LOAD_ADMINS=str(args.admins),
        )
        env.pop("CELERY_BROKER_URL", None)
        try:
            _redis(args.redis_db, "FLUSHDB")
            took = prepare(args.db, env, args.learners, accounts)
            print(f"setup --demo + demo-data ({args.learners:,} learners): {took:.1f} s")
            web_log = (out / "gunicorn.log").open("wb")
            worker_log = (out / "worker.log").open("wb")
            web = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-w",
                    str(args.web_workers),
                    "-k",
                    "gthread",
                    "--threads",
                    str(args.threads),
                    # Idle connections outlive the 1-3 s think time: with gunicorn's default
                    # of 2 s the server closes a kept-alive connection just as the client
                    # reuses it (a reset), which a proxy in front would never pass on.
                    "--keep-alive",
                    "10",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--pythonpath",
                    str(ROOT / "bench" / "load"),
                    "--log-level",
                    "warning",
                    "load_wsgi:app",
                ],
                env=env,
                cwd=ROOT,
                start_new_session=True,
                stdout=web_log,
                stderr=subprocess.STDOUT,
            )
            worker = subprocess.Popen(
                [
                    str(BIN / "postrx"),
                    "worker",
                    "--concurrency",
                    str(args.job_concurrency),
                    "--loglevel=WARNING",
                ],
                env=env,
                cwd=ROOT,
                start_new_session=True,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
            _wait_healthy(host, out / "gunicorn.log")
            print(
                f"gunicorn: {args.web_workers} workers x {args.threads} threads (gthread); "
                f"worker concurrency {args.job_concurrency}; {args.users} users, spawn "
                f"{args.spawn_rate}/s, {args.time}; load average before: {_load()}"
            )
            if args.warmup != "0s":  # every web worker loads its caches on first use
                warm = argparse.Namespace(users=min(args.users, 20), spawn_rate=args.spawn_rate)
                locust(
                    {**env, "LOAD_WARMUP": "1"},
                    host,
                    out / "warmup",
                    ["Learner"],
                    warm,
                    args.warmup,
                )
            web_cpu0, worker_cpu0 = _cpu_seconds(web.pid), _cpu_seconds(worker.pid)
            pg0, locust_cpu0 = _pg_backend_cpu(args.db), _children_cpu()
            started = time.perf_counter()
            main_prefix = out / "learners"
            results = out / "learners.json"
            rows = locust(
                {**env, "LOAD_RESULTS": str(results)},
                host,
                main_prefix,
                ["Learner", "InstitutionAdmin"],
                args,
                args.time,
            )
            seconds = time.perf_counter() - started
            pg1 = _pg_backend_cpu(args.db)
            cpu = {
                "web": _cpu_seconds(web.pid) - web_cpu0,
                "worker": _cpu_seconds(worker.pid) - worker_cpu0,
                "pg": sum(v - pg0.get(pid, 0.0) for pid, v in pg1.items()),
                "locust": _children_cpu() - locust_cpu0,
            }
            load_after = _load()
            web_cpu1 = _cpu_seconds(web.pid)
            env["LOAD_BASELINE_REQUESTS"] = rows[-1]["Request Count"]
            base = locust(env, host, out / "healthz", ["Healthz"], args, f"{3 * seconds:.0f}s")
            cpu["web_base"] = _cpu_seconds(web.pid) - web_cpu1
            print(
                f"load average after the learners' run: {load_after}; after the baseline: {_load()}"
            )
            check_cpu, check_wall = password_check_cost()
            cpu["check"] = check_cpu / 1000
            report(rows, base, _failures(main_prefix), cpu)
            print(
                f"one password check (argon2, the app's parameters), measured after the runs: "
                f"{check_cpu:.0f} ms CPU, {check_wall:.0f} ms wall"
            )
            if results.exists():
                phases = json.loads(results.read_text())
                labels = {
                    "steady": "after every user has spawned",
                    "not_sign_in": "every request but the sign-in GET and POST",
                }
                for key, label in labels.items():
                    p = phases[key]
                    print(
                        f"{label}: {p['n']:,} requests, p50 {p['p50']:.0f}, "
                        f"p95 {p['p95']:.0f}, p99 {p['p99']:.0f} ms"
                    )
            if args.csv_dir:
                print(f"Locust CSV files: {out}")
        finally:
            _stop(worker)
            _stop(web)
            _redis(args.redis_db, "FLUSHDB")
            _pg("test", f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")


def password_check_cost(n: int = 10) -> tuple[float, float]:
    """(CPU ms, wall ms) of one `verify_password`: argon2 is slow by design, and every sign-in
    pays it once; the figure the capacity plan multiplies by the sign-in rate."""
    from app.services.accounts import hash_password
    from app.services.accounts.passwords import verify_password

    stored = hash_password(PASSWORD)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        verify_password(stored, PASSWORD)
    return 1000 * (time.process_time() - cpu) / n, 1000 * (time.perf_counter() - wall) / n


def _children_cpu() -> float:
    """CPU seconds of this process's finished children so far (setup commands, Locust runs)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


if __name__ == "__main__":
    main()
