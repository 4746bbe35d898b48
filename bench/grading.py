"""Grading throughput per response type, against a no-op baseline measured in the same run.

Single process, fixed iteration counts, time.perf_counter. Goals: 20,000 gradings/s for
single/multi, 2,000/s for free_text/post_draft. Run: .venv/bin/python bench/grading.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes import Response, grade, loads_rubric, loads_scenario
from quizzes.scorers import compiled_matcher

RUBRIC = loads_rubric(
    """
id: bench
version: 1
title: Bench
criteria:
  - id: confidentiality
    title: Keeps patient information private
    guidelines: [2, 1]
    weight: 3
    critical: true
    levels:
      - {id: breach, points: 0, descriptor: d, feedback: f}
      - {id: partial, points: 1, descriptor: d, feedback: f}
      - {id: met, points: 2, descriptor: d, feedback: f}
  - id: escalation
    title: Escalates
    guidelines: [7]
    weight: 1
    levels:
      - {id: missed, points: 0, descriptor: d, feedback: f}
      - {id: met, points: 1, descriptor: d, feedback: f}
  - id: tone
    title: Respectful
    guidelines: [6]
    weight: 1
    levels:
      - {id: harsh, points: 0, descriptor: d, feedback: f}
      - {id: kind, points: 1, descriptor: d, feedback: f}
"""
)

COMMON = """
version: 1
title: Bench
rubric: bench
profession: nurse
platform: Instagram
module: 04-risks
guidelines: [2, 1, 7, 6]
risks: [privacy]
situation: A colleague posted a selfie with the tracking board behind.
prompt: What do you do?
debrief: Delete and report.
criteria: [confidentiality, escalation, tone]
"""

SINGLE = loads_scenario(
    "id: s1\ntype: single\n"
    + COMMON
    + """
options:
"""
    + "".join(
        f"""  - id: {o}
    text: Option {o}
    feedback: Why {o}
    levels: {{confidentiality: {c}, escalation: {e}, tone: {t}}}
"""
        for o, c, e, t in [
            ("a", "met", "met", "kind"),
            ("b", "breach", "missed", "harsh"),
            ("c", "partial", "missed", "kind"),
            ("d", "partial", "met", "harsh"),
        ]
    ),
    rubric=RUBRIC,
)

MULTI = loads_scenario(
    "id: s2\ntype: multi\n"
    + COMMON
    + """
options:
"""
    + "".join(
        f"  - {{id: {o}, text: Option {o}, feedback: Why {o}, correct: {str(o in 'ab').lower()}}}\n"
        for o in "abcdef"
    )
    + """
mapping:
  confidentiality:
    - when: {any: [c, e]}
      level: breach
    - when: {all: [a], none: [c, d, e]}
      level: met
    - level: partial
  escalation:
    - when: {all: [b]}
      level: met
    - level: missed
  tone:
    - when: {any: [f]}
      level: harsh
    - level: kind
""",
    rubric=RUBRIC,
)

CONCEPTS = """
concepts:
  confidentiality:
    - level: met
      phrases: ["delete the post", "take it down", "remov* the photo", "delete it", "take the photo down",
                "ask her to delete", "get it removed", "remove the post"]
    - level: breach
      phrases: ["leave it up", "share it", "keep it up", "repost", "it is fine", "nobody can read"]
    - level: partial
  escalation:
    - level: met
      phrases: ["privacy officer", "manager", "report*", "charge nurse", "compliance team"]
      all_of: [["today", "now", "immediately", "right away", "straight away"]]
    - level: missed
  tone:
    - level: harsh
      phrases: ["stupid", "idiot", "call her out", "shame her", "public comment"]
    - level: kind
"""

FREE = loads_scenario(
    "id: s3\ntype: free_text\n" + COMMON + "min_words: 5\n" + CONCEPTS, rubric=RUBRIC
)
POST = loads_scenario(
    "id: s4\ntype: post_draft\n"
    + COMMON
    + "privacy_criterion: confidentiality\n"
    + "privacy_levels: {none: met, low: met, medium: partial, high: breach}\n"
    + CONCEPTS.replace("  confidentiality:", "  unused:", 1).split("  unused:")[0]
    + CONCEPTS[CONCEPTS.index("  escalation:") :],
    rubric=RUBRIC,
)

FRAGMENTS = [
    "I would quietly ask her to delete the post as soon as possible",
    "then I would report it to the privacy officer right away",
    "I would not share it with anyone else on the unit",
    "the board shows names and room numbers so it cannot stay up",
    "I'd take it down myself if I had access to the account",
    "my manager needs to know about this today",
    "honestly I think nobody can read the board because it is blurry",
    "I would never call her out in a public comment",
    "we should remind the whole team about the social media policy",
    "patients trust us with their information and this breaks that trust",
    "I would talk to her privately and kindly at the end of the shift",
    "the compliance team can check whether anyone saved a copy",
]


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 6 or rng.random() > 0.15:
        return word
    i = rng.randrange(1, len(word) - 1)
    return (
        word[:i] + word[i + 1 :]
        if rng.random() < 0.5
        else word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    )


def answers(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        sentences = rng.sample(FRAGMENTS, rng.randint(3, 6))
        text = ". ".join(" ".join(typo(w, rng) for w in s.split()) for s in sentences) + "."
        out.append(text[0].upper() + text[1:])
    return out


def privacy_checker():
    try:
        from privacy import check_post

        return check_post, "real privacy.check_post"
    except ImportError as exc:
        from dataclasses import dataclass

        @dataclass(frozen=True)
        class Report:
            risk: str = "none"
            findings: tuple = ()

        report = Report()
        return (lambda _text: report), f"STUB checker (privacy not importable: {exc})"


def noop(scenario, rubric, response, *, privacy_check=None):
    return None


def rate(fn, scenario, responses, iterations: int, **kw) -> float:
    n = len(responses)
    t0 = time.perf_counter()
    for i in range(iterations):
        fn(scenario, RUBRIC, responses[i % n], **kw)
    return iterations / (time.perf_counter() - t0)


def grade_cold(scenario, rubric, response, *, privacy_check=None):
    """Grade with the matcher's per-word cache emptied first: the worst case, every word new."""
    compiled_matcher(scenario)._cache.clear()
    return grade(scenario, rubric, response, privacy_check=privacy_check)


def main() -> None:
    texts = answers(500)
    checker, checker_name = privacy_checker()
    cases = [
        ("single", SINGLE, [Response(selected=(o,)) for o in "abcd"], 50_000, {}, 20_000),
        (
            "multi",
            MULTI,
            [Response(selected=s) for s in (("a", "b"), ("a",), ("c", "f"), (), ("a", "b", "d"))],
            50_000,
            {},
            20_000,
        ),
        ("free_text", FREE, [Response(text=t) for t in texts], 10_000, {}, 2_000),
        (
            "post_draft",
            POST,
            [Response(text=t) for t in texts],
            5_000,
            {"privacy_check": checker},
            2_000,
        ),
    ]
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(
        f"python {sys.version.split()[0]}; free-text answers: {len(texts)} distinct, ~{words:.0f} words"
    )
    print(f"post_draft uses: {checker_name}")
    print(
        f"{'type':<11} {'iterations':>10} {'gradings/s':>12} {'no-op/s':>12} {'x no-op':>8} {'goal':>8}"
    )
    cases.insert(3, ("free_text*", FREE, cases[2][2], 5_000, {}, 2_000))
    for name, scenario, responses, iterations, kw, goal in cases:
        fn = grade_cold if name.endswith("*") else grade
        grade(scenario, RUBRIC, responses[0], **kw)  # warm up (compiles phrases once)
        base = rate(noop, scenario, responses, iterations, **kw)
        got = rate(fn, scenario, responses, iterations, **kw)
        verdict = "ok" if got >= goal else "SLOW"
        print(
            f"{name:<11} {iterations:>10} {got:>12,.0f} {base:>12,.0f} {base / got:>8.1f} "
            f"{goal:>8,} {verdict}"
        )
    print("free_text* = per-word match cache emptied before every grading (worst case)")


if __name__ == "__main__":
    main()
