"""No account enumeration: known and unknown e-mails get the same answer in the same time.

The timing tests give argon2 a real cost (the suite's default makes hashing nearly free, which
would hide a path that skips it) and interleave the two paths so load affects both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher

from app.extensions import limiter
from app.services.accounts import passwords

TRIES = 15
FORM = {
    "password": "a-long-secret-99",
    "confirm": "a-long-secret-99",
    "print_name": "Nadia Haddad",
    "profession": "nurse",
}


@pytest.fixture
def costly_hashing() -> Iterator[None]:
    """About 20-60 ms a hash: enough that skipping it on one path shows."""
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=2, memory_cost=32768, parallelism=1)
    yield
    passwords._hasher = original


@pytest.fixture
def web(make_app, costly_hashing):
    # As in production: a queued mail is sent later by a worker, not inside the request (the
    # suite's eager jobs would time the sending of the mail too).
    app = make_app(JOBS_EAGER=False)
    with app.app_context():
        yield app


def _same_time(known: Callable[[int], object], unknown: Callable[[int], object]) -> None:
    """Medians of interleaved tries within 30 % or 25 ms of each other."""
    known(-1), unknown(-1)  # warm up (dummy hash, templates)
    a: list[float] = []
    b: list[float] = []
    for i in range(TRIES):
        for do, out in ((known, a), (unknown, b)) if i % 2 else ((unknown, b), (known, a)):
            limiter.reset()  # 30 tries are more than the rate limits allow a prober
            start = time.perf_counter()
            do(i)
            out.append(time.perf_counter() - start)
    ma, mb = statistics.median(a), statistics.median(b)
    assert abs(ma - mb) <= max(0.30 * max(ma, mb), 0.025), f"known {ma:.4f}s, unknown {mb:.4f}s"


def test_registration_takes_the_same_time_for_known_and_new_emails(web, make_user):
    make_user(email="known@example.org")
    client = web.test_client()

    def known(_i: int) -> None:
        assert (
            client.post("/register", data={**FORM, "email": "known@example.org"}).status_code == 200
        )

    def unknown(i: int) -> None:
        email = f"new{i + 1}@example.org"
        assert client.post("/register", data={**FORM, "email": email}).status_code == 200

    _same_time(known, unknown)


def test_sign_in_takes_the_same_time_for_known_and_unknown_emails(web, make_user):
    make_user(email="known@example.org")
    client = web.test_client()

    def attempt(email: str) -> Callable[[int], None]:
        def do(_i: int) -> None:
            resp = client.post("/login", data={"email": email, "password": "not-the-password"})
            assert "do not match an account" in resp.get_data(as_text=True)

        return do

    _same_time(attempt("known@example.org"), attempt("nobody@example.org"))


def test_a_reset_request_takes_the_same_time_for_known_and_unknown_emails(web, make_user):
    make_user(email="known@example.org")
    client = web.test_client()
    pages: dict[str, str] = {}

    def attempt(email: str) -> Callable[[int], None]:
        def do(_i: int) -> None:
            resp = client.post("/reset", data={"email": email}, follow_redirects=True)
            pages[email] = resp.get_data(as_text=True)

        return do

    _same_time(attempt("known@example.org"), attempt("nobody@example.org"))
    assert pages["known@example.org"] == pages["nobody@example.org"]
