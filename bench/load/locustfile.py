"""Learner behaviour for the load test (run by bench/load.py; see docs/performance.md).

Each simulated learner signs in once with an account of its own, then repeats a study session:
dashboard, course overview, a module page, a few lessons (each with one time-on-task
heartbeat, as learn.js sends them), marks one lesson complete, takes that module's quiz (start,
answer every scenario, review, submit, result) and opens "My certificates", downloading the PDF
when it has one. Every form's CSRF token is read from the page that shows the form, as a
browser would. Redirects are followed by hand so each URL is timed as its own request.

A few institution admins (``LOAD_ADMINS``, default 1) open their completion report and ask
for the CSV export, which a worker builds as a background job; they poll the job as the
progress bar does and download the file. `Healthz` is the baseline: bench/load.py runs it
alone, for the same number of requests, in a second run.

Environment (set by bench/load.py): LOAD_ACCOUNTS (a file of learner emails, one a line),
LOAD_PASSWORD, LOAD_ADMIN_EMAIL, LOAD_ORG (the institution's slug), LOAD_ADMINS, and
LOAD_WARMUP (set: take accounts from the end of the list, so the measured run's are fresh).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import time
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
LESSON_LINK = re.compile(r'href="(/course/([\w-]+)/([\w-]+))"')
MODULE_LINK = re.compile(r'href="/course/([\w-]+)/"')
OPTION = re.compile(
    r'<input type="(radio|checkbox)" id="opt-[^"]*" name="selected" value="([^"]+)"'
)
MIN_WORDS = re.compile(r'name="text"[^>]*data-min-words="(\d+)"')
OF_N = re.compile(r"Scenario (\d+) of (\d+)")
HEARTBEAT = re.compile(r'data-heartbeat-url="([^"]+)"')
CERT_PDF = re.compile(r'href="(/certificates/[^"/]+/certificate\.pdf)"')
CONTINUE = re.compile(r'href="(/quiz/attempt/\d+/\d+)">Continue your attempt')
QUIZ_LINK = re.compile(r'href="/quiz/(quiz-[\w-]+)"')
# A fluent, generic paragraph (what a hurried learner writes); length is padded to the minimum.
PARAGRAPH = (
    "I would not post this because it could identify the patient and breach confidentiality. "
    "Instead I would share general, evidence-based advice, check the facts against a trusted "
    "source, keep professional boundaries, follow my employer's policy and ask a colleague."
)
WORDS = PARAGRAPH.split()

SIGN_IN = ("/login", "/login [POST]")

# Every response time, for percentiles Locust's CSV cannot give: the steady state (after every
# user has spawned) and everything but signing in. Written to LOAD_RESULTS when Locust quits.
_times: dict[str, list[float]] = {"all": [], "steady": [], "not_sign_in": []}
_spawned = {"done": False}


@events.spawning_complete.add_listener
def _on_spawned(user_count: int, **_: Any) -> None:
    _spawned["done"] = True


@events.request.add_listener
def _on_request(name: str, response_time: float, **_: Any) -> None:
    _times["all"].append(response_time)
    if _spawned["done"]:
        _times["steady"].append(response_time)
    if name not in SIGN_IN:
        _times["not_sign_in"].append(response_time)


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


@events.quitting.add_listener
def _on_quit(**_: Any) -> None:
    path = os.environ.get("LOAD_RESULTS")
    if not path:
        return
    summary = {}
    for key, values in _times.items():
        values.sort()
        summary[key] = {"n": len(values)} | {
            f"p{q}": _percentile(values, q / 100) for q in (50, 95, 99)
        }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(summary, fh)


_accounts = itertools.count()
_emails: list[str] = []


def _account() -> str:
    """The next unused learner email (each simulated learner signs in as a different person)."""
    if not _emails:
        with open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8") as fh:
            _emails.extend(line.strip() for line in fh if line.strip())
        if os.environ.get("LOAD_WARMUP"):  # the warm-up run signs in from the other end
            _emails.reverse()
    n = next(_accounts)
    if n >= len(_emails):
        raise StopUser(f"only {len(_emails)} accounts in LOAD_ACCOUNTS")
    return _emails[n]


def _csrf(text: str) -> str:
    match = CSRF.search(text)
    if not match:
        raise ValueError("no csrf_token in the page")
    return match.group(1)


def _paragraph(min_words: int) -> str:
    words = list(WORDS)
    while len(words) < min_words + 5:
        words.extend(WORDS)
    return " ".join(words[: max(min_words + 5, len(WORDS))])


class _Browser(HttpUser):
    """Shared helpers: GET/POST with a readable request name, redirects followed by hand."""

    abstract = True

    def _get(self, url: str, name: str, *, expect: str | None = None) -> Any:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{url}: HTTP {resp.status_code} {resp.error or ''}")
            elif expect is not None and expect not in resp.text:
                resp.failure(f"{url}: {expect!r} not on the page")
            return resp

    def _post(self, url: str, data: dict[str, Any], name: str, **kw: Any) -> str | None:
        """POST a form; a 302 is success and its Location is returned (None on failure)."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True, **kw
        ) as resp:
            if resp.status_code != 302:
                resp.failure(f"{url}: HTTP {resp.status_code} {resp.error or ''}, not a redirect")
                return None
            return str(resp.headers["Location"])

    def _sign_in(self, email: str, password: str) -> None:
        page = self._get("/login", "/login")
        where = self._post(
            "/login",
            {"csrf_token": _csrf(page.text), "email": email, "password": password},
            "/login [POST]",
        )
        if where is None or "/login" in where:
            raise StopUser(f"could not sign in as {email}")
        self._get(where, "/dashboard", expect="Dashboard")


class Learner(_Browser):
    """One learner studying in deadline week: think time 1-3 s between pages."""

    weight = 100
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = _account()
        self._sign_in(self.email, os.environ.get("LOAD_PASSWORD", "postrx-demo-2026"))
        self.modules: list[str] = []

    @task
    def study_session(self) -> None:
        self._get("/dashboard", "/dashboard")
        self.wait()
        overview = self._get("/course/", "/course/")
        if not self.modules:
            self.modules = list(dict.fromkeys(MODULE_LINK.findall(overview.text)))
        if not self.modules:
            return
        module = random.choice(self.modules)
        self.wait()
        page = self._get(f"/course/{module}/", "/course/[module]/")
        lessons = [url for url, m, _ in LESSON_LINK.findall(page.text) if m == module]
        for url in lessons[: random.randint(1, 3)]:
            self.wait()
            self._lesson(url)
        quiz = QUIZ_LINK.search(page.text)  # the module's quiz card (module 1 has none)
        if quiz:
            self.wait()
            self._quiz(quiz.group(1))
        self.wait()
        self._certificates()

    def _lesson(self, url: str) -> None:
        page = self._get(url, "/course/[module]/[lesson]")
        if page.status_code != 200:
            return
        token = _csrf(page.text)
        beat = HEARTBEAT.search(page.text)
        if beat:
            self.client.post(
                html.unescape(beat.group(1)),
                headers={"X-CSRFToken": token, "X-Requested-With": "fetch"},
                name="/course/[module]/[lesson]/heartbeat",
            )
        if random.random() < 0.5:
            where = self._post(
                f"{url}/complete", {"csrf_token": token}, "/course/[module]/[lesson]/complete"
            )
            if where is not None:
                self._get(where, "/course/[next lesson or module]")

    def _quiz(self, quiz_key: str) -> None:
        landing = self._get(f"/quiz/{quiz_key}", "/quiz/[quiz]")
        if landing.status_code != 200:
            return
        resume = CONTINUE.search(landing.text)
        if resume:
            where: str | None = resume.group(1)
        elif f'action="/quiz/{quiz_key}/start"' in landing.text:
            self.wait()
            where = self._post(
                f"/quiz/{quiz_key}/start", {"csrf_token": _csrf(landing.text)}, "/quiz/[quiz]/start"
            )
        else:
            return  # attempts used up (cool-down): nothing to take today
        while where is not None and "/review" not in where and re.search(r"/\d+$", where):
            page = self._get(where, "/quiz/attempt/[id]/[n]")
            if page.status_code != 200:
                return
            where = self._answer(where, page.text)
        if where is None:
            return
        review = self._get(where, "/quiz/attempt/[id]/review", expect="Review your answers")
        if review.status_code != 200:
            return
        self.wait()
        submit = where.replace("/review", "/submit")
        result = self._post(submit, {"csrf_token": _csrf(review.text)}, "/quiz/attempt/[id]/submit")
        if result is not None:
            self._get(result, "/quiz/attempt/[id] (result)", expect="Your result")

    def _answer(self, url: str, text: str) -> str | None:
        """Fill one scenario's page like a learner does and press "Save and next"."""
        self.wait()
        of = OF_N.search(text)
        last = of is None or of.group(1) == of.group(2)
        data: dict[str, Any] = {"csrf_token": _csrf(text), "action": "review" if last else "next"}
        options = OPTION.findall(text)
        if options:
            values = [v for _, v in options]
            if options[0][0] == "radio":
                data["selected"] = random.choice(values)
            else:
                data["selected"] = random.sample(values, k=random.randint(1, len(values)))
        else:
            words = MIN_WORDS.search(text)
            data["text"] = _paragraph(int(words.group(1)) if words else 40)
        return self._post(url, data, "/quiz/attempt/[id]/[n] [POST]")

    def _certificates(self) -> None:
        page = self._get("/certificates/", "/certificates/")
        pdf = CERT_PDF.search(page.text) if page.status_code == 200 else None
        if pdf:
            self.wait()
            with self.client.get(
                pdf.group(1), name="/certificates/[number]/certificate.pdf", catch_response=True
            ) as resp:
                if resp.status_code != 200 or not resp.content.startswith(b"%PDF"):
                    resp.failure(f"certificate download: HTTP {resp.status_code}")


class InstitutionAdmin(_Browser):
    """An institution admin who exports the completion report (a background job) now and then."""

    fixed_count = int(os.environ.get("LOAD_ADMINS", "1"))
    wait_time = between(5, 10)

    def on_start(self) -> None:
        self.org = os.environ.get("LOAD_ORG", "load-hospital")
        self._sign_in(
            os.environ.get("LOAD_ADMIN_EMAIL", "orgadmin@demo.example.org"),
            os.environ.get("LOAD_PASSWORD", "postrx-demo-2026"),
        )

    @task
    def export_report(self) -> None:
        page = self._get(f"/org/{self.org}/report", "/org/[slug]/report")
        if page.status_code != 200:
            return
        self.wait()
        where = self._post(
            f"/jobs/org/{self.org}/report.csv",
            {"csrf_token": _csrf(page.text)},
            "/jobs/org/[slug]/report.csv [POST]",
        )
        if where is None:
            return
        self._get(where, "/jobs/[id]")
        started = time.monotonic()
        while time.monotonic() - started < 60:
            time.sleep(1)  # the progress bar polls about once a second
            status = self.client.get(f"{where}.json", name="/jobs/[id].json")
            body = status.json() if status.status_code == 200 else {}
            if body.get("state") == "done" and body.get("download"):
                self.client.get(body["download"], name="/jobs/[id]/download")
                return
            if body.get("state") == "failed":
                self.environment.events.request.fire(
                    request_type="JOB",
                    name="report job",
                    response_time=0,
                    response_length=0,
                    exception=RuntimeError(str(body.get("message"))),
                )
                return


_baseline = itertools.count(1)


class Healthz(HttpUser):
    """The baseline: a trivial endpoint (one database round trip) with the learners' pacing.

    Only bench/load.py's baseline run selects it (``locust … Healthz``); the run stops after
    LOAD_BASELINE_REQUESTS requests, the number the learners' run made."""

    wait_time = between(1, 3)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")
        if next(_baseline) >= int(os.environ.get("LOAD_BASELINE_REQUESTS", "0") or 10**9):
            runner = self.environment.runner
            if runner is not None:
                runner.quit()
            raise StopUser()
