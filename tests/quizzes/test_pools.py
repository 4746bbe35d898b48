"""Pools and parallel forms: drawing scenarios per attempt, shuffled options, review options."""

from __future__ import annotations

from collections import Counter

import pytest

from quizzes import (
    BankError,
    Option,
    Quiz,
    ReviewOptions,
    Slot,
    draw,
    dump_quizzes,
    load_bank,
    loads_quizzes,
    option_order,
    ordered_options,
    pool_ratio,
)

from .conftest import edit

POOL = Quiz(
    id="q",
    title="Q",
    scenarios=("a", "b", "c", "d", "e", "f"),
    module="04-risks",
    slots=(Slot(("a", "b", "c")), Slot(("d", "e", "f"), pick=2)),
)


def _options(n: int, pinned: int | None = None) -> tuple[Option, ...]:
    return tuple(Option(chr(97 + i), f"text {i}", "fb", pinned=(i == pinned)) for i in range(n))


def test_a_draw_takes_pick_scenarios_from_each_slot():
    for seed in range(50):
        drawn = draw(POOL, seed)
        assert len(drawn) == POOL.shown == 3
        assert len([s for s in drawn if s in "abc"]) == 1
        assert len([s for s in drawn if s in "def"]) == 2


def test_the_same_seed_draws_the_same_scenarios_and_different_seeds_vary():
    assert draw(POOL, 7) == draw(POOL, 7)
    assert len({draw(POOL, seed) for seed in range(40)}) > 3


def test_a_retake_draws_the_scenarios_seen_least():
    first = draw(POOL, 1)
    seen = Counter(first)
    for seed in range(30):
        second = draw(POOL, seed, seen)
        slot_one = [s for s in second if s in "abc"]
        assert slot_one[0] not in seen  # two unseen candidates remain in slot one
        # slot two had one unseen candidate left: it must be drawn
        unseen_two = [s for s in "def" if s not in seen]
        assert all(s in second for s in unseen_two)


def test_random_order_shuffles_the_drawn_scenarios_and_fixed_keeps_slot_order():
    fixed = Quiz(id="q", title="Q", scenarios=tuple("abcdef"), module="04-risks")
    assert all(draw(fixed, seed) == tuple("abcdef") for seed in range(10))
    shuffled = Quiz(id="q", title="Q", scenarios=tuple("abcdef"), module="04-risks", order="random")
    orders = {draw(shuffled, seed) for seed in range(20)}
    assert len(orders) > 5 and all(sorted(o) == list("abcdef") for o in orders)


def test_option_order_is_a_seeded_permutation_that_varies_across_attempts():
    opts = _options(4)
    orders = {option_order(opts, seed, "s1") for seed in range(40)}
    assert len(orders) > 10
    assert all(sorted(o) == ["a", "b", "c", "d"] for o in orders)
    assert option_order(opts, 3, "s1") == option_order(opts, 3, "s1")
    # The key is not always first: every position holds "a" for some seed.
    assert {o.index("a") for o in orders} == {0, 1, 2, 3}


def test_a_pinned_option_keeps_its_written_position():
    opts = _options(5, pinned=4)
    for seed in range(30):
        assert option_order(opts, seed, "s")[4] == "e"


def test_attempts_without_a_seed_show_the_written_order():
    opts = _options(4)
    assert [o.id for o in ordered_options(opts, None, "s")] == ["a", "b", "c", "d"]


def test_pool_ratio_is_pool_over_shown():
    assert pool_ratio(POOL) == pytest.approx(2.0)


# ----------------------------------------------------------------------------- quizzes.yaml

DRAW_YAML = """\
quizzes:
  - id: quiz-04-risks
    title: "Module 4 quiz: Risks"
    module: 04-risks
    draw:
      - title: "Choice"
        from: [night-shift-selfie, selfie-cleanup]
      - from: [selfie-reply, thank-you-post]
        pick: 2
    pass_mark: 0.8
    order: random
    review_options: {failed: score, passed: feedback}
    release: provisional
"""


def test_draw_slots_review_options_and_release_load_and_round_trip(bank_copy):
    (bank_copy / "quizzes.yaml").write_text(DRAW_YAML)
    quiz = load_bank(bank_copy).quizzes["quiz-04-risks"]
    assert quiz.slots == (
        Slot(("night-shift-selfie", "selfie-cleanup"), 1, "Choice"),
        Slot(("selfie-reply", "thank-you-post"), 2, ""),
    )
    assert quiz.scenarios == (
        "night-shift-selfie",
        "selfie-cleanup",
        "selfie-reply",
        "thank-you-post",
    )
    assert quiz.shown == 3
    assert quiz.review_options == ReviewOptions(failed="score", passed="feedback")
    assert quiz.release == "provisional"
    again = loads_quizzes(dump_quizzes([quiz]), "quizzes.yaml")
    assert again == (quiz,)


def _problems(root) -> list[str]:
    with pytest.raises(BankError) as exc:
        load_bank(root)
    return [p.message for p in exc.value.problems]


def test_a_scenario_in_two_slots_is_refused(bank_copy):
    f = bank_copy / "quizzes.yaml"
    f.write_text(DRAW_YAML)
    edit(f, "from: [selfie-reply, thank-you-post]", "from: [selfie-reply, selfie-cleanup]")
    assert "quiz 'quiz-04-risks': scenario 'selfie-cleanup' is in more than one slot" in (
        _problems(bank_copy)
    )


def test_a_quiz_with_both_scenarios_and_draw_is_refused(bank_copy):
    (bank_copy / "quizzes.yaml").write_text(
        DRAW_YAML.replace("    draw:\n", "    scenarios: [night-shift-selfie]\n    draw:\n")
    )
    assert _problems(bank_copy) == [
        "quiz 'quiz-04-risks': give either 'scenarios' or 'draw' (exactly one)"
    ]


def test_a_slot_that_picks_more_than_it_has_is_refused_with_its_line(bank_copy):
    f = bank_copy / "quizzes.yaml"
    f.write_text(DRAW_YAML.replace("pick: 2", "pick: 3"))
    with pytest.raises(BankError) as exc:
        load_bank(bank_copy)
    (problem,) = exc.value.problems
    assert problem.message == "quiz 'quiz-04-risks' slot 2: picks 3 of 2 candidates"
    assert problem.line == 9  # the "pick: 3" line


def test_an_unknown_review_option_is_refused(bank_copy):
    f = bank_copy / "quizzes.yaml"
    f.write_text(DRAW_YAML)
    edit(f, "failed: score", "failed: everything")
    problems = _problems(bank_copy)
    assert any(
        p.startswith("quiz 'quiz-04-risks' review_options: 'failed' must be")
        and "score, feedback, answers" in p
        and "'everything'" in p
        for p in problems
    ), problems


def test_a_final_whose_draws_can_miss_a_guideline_is_refused(bank_copy):
    f = bank_copy / "quizzes.yaml"
    text = DRAW_YAML.replace("module: 04-risks", "final: true")
    f.write_text(text)
    (message,) = _problems(bank_copy)
    assert message.startswith(
        "quiz 'quiz-04-risks': the final assessment must cover all seven guidelines; missing"
    )
    assert "some draws miss them" in message
