"""Can a quiz be passed without understanding? Simulated test-wise learners, through the real
attempt and grading service (draw, option shuffle, grading, review options), on the bundled bank.

Strategies for choice items: always the option shown first, the longest, the shortest, one at
random (multi-select: the first / longest / shortest half of the options, or each option with
probability 1/2). Written items get a fluent generic paragraph that names no scenario detail.
"copy" is a learner who failed attempt 1 (random) and on attempt 2 reuses what the result page
of attempt 1 showed: a choice graded at the top level on every criterion is chosen again, one
that was not is avoided (random among the rest); a written item gets the rubric feedback the
page showed, pasted back. Its pass rate is compared with "random" on the same attempt number.

Goal: 0 % for first/longest/shortest, < 2 % for random, copy no better than random.
Run: .venv/bin/python bench/strategies.py [--learners N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GENERIC = (
    "As a healthcare professional I would always act in line with my professional code and "
    "my employer's social media policy. I would protect confidentiality, be respectful and "
    "professional, check that information is accurate, and keep my personal and professional "
    "accounts separate. If unsure I would ask my manager for advice before doing anything."
)


def _app():
    from app import create_app
    from app.config import TestConfig

    cfg = TestConfig()
    db_file = Path(tempfile.mkdtemp()) / "strategies.sqlite3"
    cfg.SQLALCHEMY_DATABASE_URI = f"sqlite:///{db_file}"
    return create_app(cfg)


Choice = Callable[[random.Random, list, str], list[str]]


def _half(options: list, key: Callable) -> list[str]:
    ranked = sorted(options, key=key)
    return [o.id for o in ranked[: max(1, len(options) // 2)]]


def choose(strategy: str, rng: random.Random, options: list, kind: str) -> list[str]:
    """The option ids a strategy selects from `options` (in the order shown)."""
    if kind == "single":
        if strategy == "first":
            return [options[0].id]
        if strategy == "longest":
            return [max(options, key=lambda o: len(o.text)).id]
        if strategy == "shortest":
            return [min(options, key=lambda o: len(o.text)).id]
        return [rng.choice(options).id]
    if strategy == "first":
        return [o.id for o in options[: max(1, len(options) // 2)]]
    if strategy == "longest":
        return _half(options, lambda o: -len(o.text))
    if strategy == "shortest":
        return _half(options, lambda o: len(o.text))
    picked = [o.id for o in options if rng.random() < 0.5]
    return picked or [rng.choice(options).id]


def run(learners: int, seed: int) -> dict[str, dict[str, list[bool]]]:
    """{strategy: {quiz_key: [passed per attempt]}}; 'copy' and 'random@2' are second tries."""
    from app.extensions import db
    from app.models import User
    from app.services import quiz as svc
    from app.services.enrollment import ensure_enrollment
    from quizzes import default_bank_root
    from vocab import COURSE_SLUG

    app = _app()
    out: dict[str, dict[str, list[bool]]] = {}
    with app.app_context():
        db.create_all()
        svc.import_bank([default_bank_root()])
        keys = [qd.quiz_key for qd in svc.all_definitions()]
        rng = random.Random(seed)
        now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        n = 0

        def learner():
            nonlocal n
            n += 1
            user = User(email=f"sim{n}@example.org", password_hash="x", print_name=f"Sim {n}")
            db.session.add(user)
            enrollment = ensure_enrollment(user, COURSE_SLUG, "1")
            db.session.commit()
            return user, enrollment

        def take(user, enrollment, key, pick, at):
            attempt = svc.start_attempt(user, enrollment, key, at)
            for q in svc.questions(attempt):
                if q.public.type in ("single", "multi"):
                    sel = pick(q.public.id, list(q.public.options), q.public.type)
                    svc.save_answer(attempt, q.row_id, sel, "", at)
                else:
                    svc.save_answer(attempt, q.row_id, [], text_for(q.public.id), at)
            attempt = svc.submit_attempt(attempt.id, user, at)
            return attempt

        text_for: Callable[[str], str] = lambda _sid: GENERIC  # noqa: E731

        for strategy in ("first", "longest", "shortest", "random"):
            for key in keys:
                results = out.setdefault(strategy, {}).setdefault(key, [])
                for _ in range(learners):
                    user, enrollment = learner()
                    attempt = take(
                        user,
                        enrollment,
                        key,
                        lambda _sid, opts, kind, s=strategy: choose(s, rng, opts, kind),
                        now,
                    )
                    results.append(_passed(attempt))

        # Second attempts: random again, and copying what the first result page showed.
        for key in keys:
            copy_results = out.setdefault("copy", {}).setdefault(key, [])
            rand2 = out.setdefault("random@2", {}).setdefault(key, [])
            for _ in range(learners):
                for mode in ("random@2", "copy"):
                    user, enrollment = learner()
                    first = take(
                        user,
                        enrollment,
                        key,
                        lambda _sid, opts, kind: choose("random", rng, opts, kind),
                        now,
                    )
                    if _passed(first):  # rare; counts as a pass on attempt 2 as well
                        (copy_results if mode == "copy" else rand2).append(True)
                        continue
                    shown = _shown_feedback(svc, first, now + timedelta(minutes=1))
                    later = now + timedelta(minutes=2)
                    if mode == "copy":
                        pick = _copier(rng, shown)
                        text_for = _texts_from(shown)
                    else:
                        pick = lambda _sid, opts, kind: choose("random", rng, opts, kind)  # noqa: E731
                    second = take(user, enrollment, key, pick, later)
                    text_for = lambda _sid: GENERIC  # noqa: E731
                    (copy_results if mode == "copy" else rand2).append(_passed(second))
    return out


COUNT_PROVISIONAL = False  # --provisional: count every provisional pass awaiting review


def _passed(attempt) -> bool:
    """A graded pass; an attempt awaiting an educator's review counts only if its quiz releases
    the certificate on a clear provisional pass (or with --provisional, whenever the provisional
    result passes: the learner's best hope if every review went their way)."""
    if attempt.status == "graded":
        return bool(attempt.passed)
    result = attempt.result or {}
    if COUNT_PROVISIONAL:
        return bool(result.get("passed"))
    from app.services import quiz as svc

    qd = svc.quiz_definition(attempt.quiz_key)
    return bool(qd and qd.release == "provisional" and result.get("provisional_clear_pass"))


def _texts_from(shown: dict[str, dict]) -> Callable[[str], str]:
    """The copier's free-text answer per scenario: the feedback it was shown, else the generic."""
    return lambda sid: shown.get(sid, {}).get("text", GENERIC)


def _shown_feedback(svc, attempt, at) -> dict[str, dict]:
    """What the result page showed per scenario: the choice and whether it was fully right (if
    the page showed the criteria), and the rubric feedback text."""
    page = svc.result_page(attempt, at)
    shown: dict[str, dict] = {}
    for item in page.items:
        entry: dict = {"selected": item.selected}
        if page.shows != "score" and item.criteria:
            entry["top"] = all(c.points == c.max_points for c in item.criteria)
            entry["text"] = " ".join(c.feedback for c in item.criteria)
        if page.shows == "answers" and item.result is not None:
            entry["keyed"] = [f.option_id for f in item.result.option_feedback if f.correct]
        shown[item.scenario.id] = entry
    return shown


def _copier(rng: random.Random, shown: dict[str, dict]) -> Callable:
    def pick(sid: str, options: list, kind: str) -> list[str]:
        seen = shown.get(sid)
        if seen is None:
            return choose("random", rng, options, kind)
        if seen.get("keyed"):
            return list(seen["keyed"])
        if seen.get("top"):
            return list(seen["selected"])
        rest = [o for o in options if o.id not in seen["selected"]] or options
        return choose("random", rng, rest, kind)

    return pick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=60, help="simulated learners per cell")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--provisional",
        action="store_true",
        help="count a provisional pass that awaits an educator's review as a pass",
    )
    args = parser.parse_args()
    os.environ.setdefault("POSTRX_ENV", "development")
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    global COUNT_PROVISIONAL
    COUNT_PROVISIONAL = args.provisional
    out = run(args.learners, args.seed)
    took = time.perf_counter() - t0
    keys = list(next(iter(out.values())))
    print(
        f"bench/strategies.py — {args.learners} simulated learners per strategy and quiz; "
        f"{took:.0f} s; load average at start {load:.2f}; passes counted: "
        + ("every provisional pass" if COUNT_PROVISIONAL else "graded (review confirmed)")
    )
    head = f"{'strategy':<12}" + "".join(f"{k.replace('quiz-', '')[:14]:>16}" for k in keys)
    print(head + f"{'all':>8}")
    for strategy, per_quiz in out.items():
        cells = [sum(per_quiz[k]) / len(per_quiz[k]) for k in keys]
        total = sum(sum(v) for v in per_quiz.values()) / sum(len(v) for v in per_quiz.values())
        print(f"{strategy:<12}" + "".join(f"{c:>15.1%} " for c in cells) + f"{total:>7.1%}")
    print(
        "goal: first/longest/shortest 0 %, random < 2 %, copy (attempt 2) no better than "
        "random@2 (attempt 2 after a random first attempt)"
    )


if __name__ == "__main__":
    main()
