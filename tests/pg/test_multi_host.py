"""Two web processes behind haproxy and two workers, one PostgreSQL and one Redis.

Consecutive requests land on different web processes (round robin, no stickiness): a sign-in
made on one is valid on the other, a report requested through one is built by a worker and
downloaded through the other, and a rate limit counted on one holds on the other.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.extensions import db
from app.models import Institution, Membership, Role, User
from app.services.accounts import hash_password
from tests.app.jobs.workers import ROOT, start_worker, stop, wait_until
from tests.conftest import require_service

REDIS = "redis://127.0.0.1:6379/13"
PASSWORD = "lighthouse-keeper-77"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_up() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
        client.flushdb()
        return bool(client.ping())
    except Exception:  # any failure means: no Redis here
        return False


def _haproxy() -> str | None:
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )


class Browser:
    """A cookie-keeping HTTP client that records which web process answered."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self, path: str, data: dict[str, str] | None = None, base: str | None = None
    ) -> Any:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request((base or self.base) + path, data=body)
        try:
            return self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as err:
            return err


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def cluster(make_app, tmp_path: Path) -> Iterator[dict[str, Any]]:
    require_service(_redis_up(), "Redis at 127.0.0.1:6379")
    haproxy = _haproxy()
    require_service(haproxy is not None, "haproxy (Debian package haproxy)")
    app = make_app(JOBS_EAGER=False, CELERY_BROKER_URL=REDIS)
    with app.app_context():
        admin = User(
            email="ops@harbour.example",
            password_hash=hash_password(PASSWORD),
            print_name="Olu Ops",
            credentials="RN",
            profession="nurse",
        )
        admin.grant(Role.INSTITUTION_ADMIN)
        org = Institution(slug="harbour", name="Harbour Hospital")
        db.session.add_all([admin, org])
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, institution_id=org.id, is_admin=True))
        db.session.commit()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": os.environ["TEST_DATABASE_URL"],
        "REDIS_URL": REDIS,
        "CELERY_BROKER_URL": REDIS,
        "SECRET_KEY": "multi-host-test-secret",
        "POSTRX_INSTANCE_DIR": str(tmp_path / "instance"),
        "POSTRX_LOG_LEVEL": "WARNING",
    }
    procs: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "cluster.log"
    ports = [_free_port(), _free_port()]
    try:
        for i, port in enumerate(ports):
            with log.open("ab") as out:
                procs.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "-w",
                            "1",
                            "--threads",
                            "4",
                            "-b",
                            f"127.0.0.1:{port}",
                            "--name",
                            f"web{i}",
                            "app:create_app()",
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        front = _free_port()
        cfg = tmp_path / "haproxy.cfg"
        cfg.write_text(
            "defaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n"
            "  timeout server 60s\n"
            f"frontend web\n  bind 127.0.0.1:{front}\n  default_backend apps\n"
            "  http-response set-header X-Web-Process %s\n"
            "backend apps\n  balance roundrobin\n"
            + "".join(f"  server web{i} 127.0.0.1:{p}\n" for i, p in enumerate(ports))
        )
        with log.open("ab") as out:
            procs.append(
                subprocess.Popen(
                    [str(haproxy), "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT
                )
            )
        worker_env = {
            k: env[k]
            for k in (
                "DATABASE_URL",
                "CELERY_BROKER_URL",
                "REDIS_URL",
                "SECRET_KEY",
                "POSTRX_INSTANCE_DIR",
                "POSTRX_LOG_LEVEL",
            )
        }
        procs.append(start_worker(worker_env, "--concurrency=1", "--hostname=w1@%h", log=log))
        procs.append(start_worker(worker_env, "--concurrency=1", "--hostname=w2@%h", log=log))

        def up() -> bool:
            for port in (*ports, front):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                except Exception:  # not yet
                    return False
            return True

        wait_until(up, 60, "two web processes and haproxy", log)
        yield {
            "front": f"http://127.0.0.1:{front}",
            "webs": [f"http://127.0.0.1:{p}" for p in ports],
            "app": app,
            "log": log,
        }
    finally:
        for proc in procs:
            stop(proc)


def test_sign_in_report_and_rate_limit_across_two_web_processes(cluster):
    front, webs, log = cluster["front"], cluster["webs"], cluster["log"]
    browser = Browser(front)
    page = browser.request("/login")
    served_login = page.headers["X-Web-Process"]
    resp = browser.request(
        "/login",
        {
            "csrf_token": _csrf(page.read().decode()),
            "email": "ops@harbour.example",
            "password": PASSWORD,
        },
    )
    assert resp.status == 302, "sign-in refused (CSRF token from the other process?)"
    assert resp.headers["X-Web-Process"] != served_login  # the token crossed processes

    served = set()
    for _ in range(4):  # the session is valid on both processes
        r = browser.request("/org/harbour/report")
        assert r.status == 200
        served.add(r.headers["X-Web-Process"])
        html = r.read().decode()
    assert served == {"web0", "web1"}

    # A report requested through web 0 is built by a worker and downloaded through web 1.
    start = browser.request(
        "/jobs/org/harbour/report.csv", {"csrf_token": _csrf(html)}, base=webs[0]
    )
    assert start.status == 302
    job_url = urllib.parse.urlparse(start.headers["Location"]).path
    status: dict[str, Any] = {}

    def done() -> bool:
        import json

        status.update(json.loads(browser.request(job_url + ".json", base=webs[1]).read()))
        return status["state"] == "done"

    wait_until(done, 60, "a worker to build the report", log)
    csv_body = browser.request(status["download"], base=webs[1]).read().decode("utf-8-sig")
    assert csv_body.startswith("Name,") and "ops@harbour.example" in csv_body

    # The login limit (10 a minute) is counted in Redis, whichever process takes the attempt.
    codes = []
    for i in range(11):
        b = Browser(webs[i % 2])
        form = b.request("/login")
        r = b.request(
            "/login",
            {
                "csrf_token": _csrf(form.read().decode()),
                "email": "nobody@x.example",
                "password": "wrong",
            },
        )
        codes.append(r.status)
    assert 429 in codes[10:], codes
