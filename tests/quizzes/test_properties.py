from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizzes import Criterion, Level, Option, Response, Rubric, Scenario, apply_override, grade


@st.composite
def rubric_and_choice(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    criteria = []
    choice = []
    for i in range(n):
        steps = draw(st.lists(st.integers(1, 10) | st.floats(0.1, 10), min_size=1, max_size=4))
        points = [0]
        for step in steps:
            points.append(points[-1] + step)
        levels = tuple(Level(f"l{j}", p, "d", "f") for j, p in enumerate(points))
        weight = draw(st.floats(min_value=0.01, max_value=100) | st.integers(1, 10))
        critical = draw(st.booleans())
        criteria.append(Criterion(f"c{i}", "t", (1,), weight, levels, critical))
        choice.append(draw(st.integers(0, len(levels) - 1)))
    return Rubric("r", 1, "R", "", tuple(criteria)), choice


def scenario_for(rubric: Rubric, choice: list[int]) -> Scenario:
    levels = tuple((c.id, c.levels[i].id) for c, i in zip(rubric.criteria, choice, strict=True))
    other = tuple((c.id, c.levels[0].id) for c in rubric.criteria)
    return Scenario(
        id="s",
        version=1,
        title="S",
        type="single",
        rubric="r",
        profession="any",
        platform="X",
        module="04-risks",
        guidelines=(1,),
        risks=("privacy",),
        situation="s",
        prompt="p",
        debrief="d",
        criteria=tuple(c.id for c in rubric.criteria),
        options=(Option("a", "A", "fa", levels), Option("b", "B", "fb", other)),
    )


@given(rubric_and_choice())
def test_score_is_always_between_zero_and_one(data):
    rubric, choice = data
    r = grade(scenario_for(rubric, choice), rubric, Response(selected=("a",)))
    assert 0.0 <= r.score <= 1.0
    assert r.passed_criticals == all(
        not c.critical or i > 0 for c, i in zip(rubric.criteria, choice, strict=True)
    )


@given(rubric_and_choice(), st.data())
def test_raising_one_criterion_level_never_lowers_the_score(data, draw):
    rubric, choice = data
    k = draw.draw(st.integers(0, len(choice) - 1))
    top = len(rubric.criteria[k].levels) - 1
    higher = list(choice)
    higher[k] = draw.draw(st.integers(choice[k], top))
    before = grade(scenario_for(rubric, choice), rubric, Response(selected=("a",)))
    after = grade(scenario_for(rubric, higher), rubric, Response(selected=("a",)))
    assert after.score >= before.score
    overridden = apply_override(
        before, f"c{k}", rubric.criteria[k].levels[higher[k]].id, "raised", rubric
    )
    assert overridden.score >= before.score
    assert abs(overridden.score - after.score) < 1e-9


# ----------------------------------------------------------------------------- written answers

_WORDS = st.sampled_from(
    ["post", "share", "photo", "delete", "the", "her", "board", "story", "report", "quickly"]
)
_FILLER = st.sampled_from(["It is late.", "The shift was long;", "Anyway,", "Then", "- and"])


@given(st.lists(_WORDS, min_size=1, max_size=4), st.sampled_from(["not", "never", "avoid"]))
def test_a_phrase_straight_after_a_negator_never_counts(phrase_words, negator):
    from quizzes.matching import find_phrases

    phrase = " ".join(phrase_words)
    ms = find_phrases(f"I would {negator} {phrase}.", [phrase])
    assert phrase not in ms.hits and phrase in ms.negated


@given(st.lists(_WORDS, min_size=1, max_size=4), _FILLER)
def test_a_negation_in_an_earlier_sentence_does_not_reach_a_later_one(phrase_words, filler):
    from quizzes.matching import find_phrases

    phrase = " ".join(phrase_words)
    ms = find_phrases(f"I would not wait. {filler} {phrase}.", [phrase])
    assert phrase in ms.hits


@given(st.text(max_size=300))
def test_any_text_grades_in_range_with_one_level_per_criterion(bank, text):
    for sid in ("selfie-reply", "thank-you-post"):
        s = bank.scenarios[sid]
        r = grade(
            s,
            bank.rubric_for(s),
            Response(text=text),
            privacy_check=lambda _t: _NoFindings(),
        )
        assert 0.0 <= r.score <= 1.0
        assert [c.criterion_id for c in r.criteria] == list(s.criteria)


class _NoFindings:
    risk = "none"
    findings = ()
