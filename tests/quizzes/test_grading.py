from __future__ import annotations

import dataclasses
import json
import sys

import pytest

from quizzes import (
    InvalidResponse,
    PrivacyCheckerUnavailable,
    QuizResult,
    Response,
    ScenarioResult,
    apply_override,
    grade,
    grade_quiz,
)
from quizzes import postdraft as postdraft_module
from quizzes.model import LOW_CONFIDENCE


def _grade(bank, sid, **kw):
    s = bank.scenarios[sid]
    checker = kw.pop("privacy_check", None)
    return grade(s, bank.rubric_for(s), Response(**kw), privacy_check=checker)


# ----------------------------------------------------------------------------- single


def test_best_single_option_scores_full_marks_with_option_evidence(bank):
    r = _grade(bank, "night-shift-selfie", selected=("a",))
    assert r.score == 1.0
    assert r.passed_criticals and r.critical_failures == ()
    conf = r.criterion("confidentiality")
    assert conf.level_id == "met" and conf.points == 2 and conf.max_points == 2 and conf.weight == 3
    assert conf.evidence[0].kind == "option"
    assert conf.evidence[0].text.startswith("Ask her to delete it")
    assert conf.feedback == "You protected the patient."
    assert not r.needs_review


def test_critical_criterion_at_lowest_level_fails_the_scenario(bank):
    r = _grade(bank, "night-shift-selfie", selected=("b",))
    assert r.score == 0.0
    assert not r.passed_criticals
    assert r.critical_failures == ("confidentiality",)


def test_partial_single_option_scores_weighted_fraction(bank):
    r = _grade(bank, "night-shift-selfie", selected=("c",))
    # confidentiality partial 1/2 (weight 3) + escalation missed 0/1 (weight 1) = 3/7
    assert r.score == pytest.approx(3 / 7)
    assert r.passed_criticals


def test_option_feedback_explains_every_option_after_submission(bank):
    r = _grade(bank, "night-shift-selfie", selected=("b",))
    fb = {o.option_id: o for o in r.option_feedback}
    assert set(fb) == {"a", "b", "c"}
    assert fb["a"].correct and not fb["a"].selected
    assert fb["b"].selected and not fb["b"].correct
    assert fb["b"].feedback == "Blurry boards are readable and friends share."


@pytest.mark.parametrize("selected", [(), ("a", "b"), ("z",)])
def test_single_choice_needs_exactly_one_known_option(bank, selected):
    with pytest.raises(InvalidResponse):
        _grade(bank, "night-shift-selfie", selected=selected)


def test_grading_with_another_rubric_is_refused(bank):
    s = bank.scenarios["night-shift-selfie"]
    other = bank.rubric_for(s).__class__("other", 1, "Other", "", bank.rubric_for(s).criteria)
    with pytest.raises(ValueError, match="uses rubric"):
        grade(s, other, Response(selected=("a",)))


# ----------------------------------------------------------------------------- multi


@pytest.mark.parametrize(
    ("selected", "conf", "esc", "score"),
    [
        (("a", "b"), "met", "met", 1.0),
        (("a",), "met", "missed", 6 / 7),
        (("b",), "partial", "met", 4 / 7),
        ((), "partial", "missed", 3 / 7),
        (("a", "b", "c"), "breach", "met", 1 / 7),
        (("a", "b", "d"), "partial", "met", 4 / 7),
    ],
)
def test_multi_combination_rules_pick_the_first_rule_that_holds(bank, selected, conf, esc, score):
    r = _grade(bank, "selfie-cleanup", selected=selected)
    assert r.criterion("confidentiality").level_id == conf
    assert r.criterion("escalation").level_id == esc
    assert r.score == pytest.approx(score)
    assert r.passed_criticals == (conf != "breach")


def test_multi_evidence_names_the_options_behind_the_rule(bank):
    r = _grade(bank, "selfie-cleanup", selected=("a", "b", "c"))
    ev = r.criterion("confidentiality").evidence
    assert [e.detail for e in ev] == ["selected option c"]
    met = _grade(bank, "selfie-cleanup", selected=("a",)).criterion("confidentiality").evidence
    assert [e.detail for e in met] == [
        "selected option a",
        "did not select option c",
        "did not select option d",
    ]
    default = _grade(bank, "selfie-cleanup", selected=()).criterion("escalation").evidence
    assert default[0].kind == "default"


def test_multi_option_feedback_uses_correct_flags(bank):
    r = _grade(bank, "selfie-cleanup", selected=("a", "c"))
    assert [(o.option_id, o.selected, o.correct) for o in r.option_feedback] == [
        ("a", True, True),
        ("b", False, True),
        ("c", True, False),
        ("d", False, False),
    ]


def test_multi_rejects_unknown_options(bank):
    with pytest.raises(InvalidResponse, match="x"):
        _grade(bank, "selfie-cleanup", selected=("a", "x"))


# ----------------------------------------------------------------------------- free text


def test_free_text_matches_phrases_and_quotes_them_as_evidence(bank):
    text = "Tell her to take it down now and report it to the privacy officer."
    r = _grade(bank, "selfie-reply", text=text)
    assert r.score == 1.0
    conf = r.criterion("confidentiality")
    assert conf.level_id == "met"
    ev = conf.evidence[0]
    assert ev.kind == "phrase" and ev.text == "take it down"
    assert text[ev.start : ev.end] == "take it down"
    assert conf.confidence >= LOW_CONFIDENCE
    assert not r.needs_review


def test_negated_phrase_does_not_count(bank):
    r = _grade(bank, "selfie-reply", text="I wouldn't delete it, I would leave it up for now.")
    assert r.criterion("confidentiality").level_id == "breach"
    assert r.critical_failures == ("confidentiality",)


def test_typo_in_a_long_word_still_matches_with_lower_confidence(bank):
    r = _grade(bank, "selfie-reply", text="Delete it and tell the privacy oficer straight away.")
    esc = r.criterion("escalation")
    assert esc.level_id == "met"
    assert "typo" in esc.evidence[0].detail
    assert LOW_CONFIDENCE <= esc.confidence < r.criterion("confidentiality").confidence


def test_a_typo_that_is_another_common_word_goes_to_review(bank):
    # "managed" is one letter from the listed phrase "manager", but it is a word of its own:
    # the answer never mentions a manager, so an educator decides rather than the matcher.
    r = _grade(bank, "selfie-reply", text="Delete it. I managed it on my own last time.")
    esc = r.criterion("escalation")
    assert esc.level_id == "met"
    assert "'managed' is a different word from 'manager'" in esc.evidence[0].detail
    assert esc.confidence < LOW_CONFIDENCE
    assert r.needs_review
    # A misspelling that is not a common word stays a forgiven typo.
    r = _grade(bank, "selfie-reply", text="Delete it and tell her manger today.")
    assert r.criterion("escalation").confidence >= LOW_CONFIDENCE
    assert not r.needs_review


def test_only_the_default_rule_sends_the_answer_to_review(bank):
    r = _grade(bank, "selfie-reply", text="I am not sure what the right thing is here.")
    conf = r.criterion("confidentiality")
    assert conf.level_id == "partial"
    assert conf.evidence[0].kind == "default"
    assert conf.confidence < LOW_CONFIDENCE
    assert r.needs_review


def test_a_breach_outweighs_a_crediting_phrase_and_goes_to_review(bank):
    text = "Delete it, or just leave it up and tell a manager."
    r = _grade(bank, "selfie-reply", text=text)
    conf = r.criterion("confidentiality")
    assert conf.level_id == "breach"  # the breach rule wins, wherever it is listed
    assert "outweighs 'Delete it' (met)" in conf.evidence[-1].detail
    assert conf.confidence < LOW_CONFIDENCE
    assert r.needs_review and r.critical_failures == ("confidentiality",)


def test_a_hedged_breach_is_neither_credited_nor_failed(bank):
    text = "Maybe delete it, or maybe just leave it up and tell a manager."
    r = _grade(bank, "selfie-reply", text=text)
    conf = r.criterion("confidentiality")
    assert conf.level_id == "partial"  # one above the breach, never the top
    assert "hedged ('maybe')" in conf.evidence[-1].detail
    assert conf.confidence < LOW_CONFIDENCE
    assert r.needs_review and r.passed_criticals


def test_answer_shorter_than_min_words_is_graded_on_what_it_says_for_review(bank):
    r = _grade(bank, "selfie-reply", text="delete it")
    conf = r.criterion("confidentiality")
    assert conf.level_id == "met"
    assert "at least 3" in conf.evidence[0].detail
    assert r.needs_review


def test_answer_shorter_than_min_words_that_says_nothing_gets_lowest_levels(bank):
    r = _grade(bank, "selfie-reply", text="no idea")
    assert r.criterion("confidentiality").level_id == "breach"
    assert "at least 3" in r.criterion("confidentiality").evidence[0].detail
    assert not r.needs_review


# ----------------------------------------------------------------------------- post draft


def test_post_draft_privacy_checker_sets_the_confidentiality_criterion(bank, fake_checker):
    text = "Proud of my team tonight, even the patient in bed 4 smiled."
    r = _grade(bank, "thank-you-post", text=text, privacy_check=fake_checker)
    conf = r.criterion("confidentiality")
    assert conf.level_id == "breach"
    assert conf.evidence[0].kind == "identifier"
    assert conf.evidence[0].text == "bed 4"
    assert (conf.evidence[0].start, conf.evidence[0].end) == (
        text.index("bed 4"),
        text.index("bed 4") + 5,
    )
    assert "guideline 2" in conf.evidence[0].detail
    assert not r.passed_criticals
    assert fake_checker.calls == [text]


def test_post_draft_concept_rules_set_the_other_criteria(bank, fake_checker):
    text = "Thank you, team, for a hard week. Post checked with my manager first."
    r = _grade(bank, "thank-you-post", text=text, privacy_check=fake_checker)
    assert r.criterion("confidentiality").level_id == "met"
    assert r.criterion("confidentiality").evidence[0].kind == "default"
    assert r.criterion("escalation").level_id == "met"
    assert r.score == 1.0


def test_post_draft_maps_low_risk_through_privacy_levels(bank, fake_checker):
    r = _grade(bank, "thank-you-post", text="Great shift today, team!", privacy_check=fake_checker)
    assert r.criterion("confidentiality").level_id == "met"
    assert r.criterion("confidentiality").evidence[0].text == "today"


def test_post_draft_without_privacy_package_raises_a_clear_error(bank, monkeypatch):
    monkeypatch.setitem(sys.modules, "privacy", None)
    monkeypatch.setattr(postdraft_module, "_default_checker", None)
    with pytest.raises(PrivacyCheckerUnavailable, match="privacy_check="):
        _grade(bank, "thank-you-post", text="Thanks team")


def test_post_draft_uses_privacy_check_post_by_default(bank, monkeypatch, fake_checker):
    import types

    fake_module = types.ModuleType("privacy")
    fake_module.check_post = fake_checker
    monkeypatch.setitem(sys.modules, "privacy", fake_module)
    monkeypatch.setattr(postdraft_module, "_default_checker", None)
    r = _grade(bank, "thank-you-post", text="bed 7 was fun")
    assert r.criterion("confidentiality").level_id == "breach"
    assert fake_checker.calls == ["bed 7 was fun"]


# ----------------------------------------------------------------------------- quiz


def _all_results(bank, fake_checker, single="a"):
    return [
        _grade(bank, "night-shift-selfie", selected=(single,)),
        _grade(bank, "selfie-cleanup", selected=("a", "b")),
        _grade(bank, "selfie-reply", text="Take it down and tell the privacy officer now."),
        _grade(
            bank,
            "thank-you-post",
            text="Thanks team, checked with my manager.",
            privacy_check=fake_checker,
        ),
    ]


def test_quiz_passes_at_pass_mark_with_no_critical_failure(bank, fake_checker):
    q = grade_quiz(bank.quizzes["quiz-04-risks"], _all_results(bank, fake_checker))
    assert q.score == 1.0 and q.passed and q.missing == () and q.critical_failures == ()


def test_quiz_fails_on_a_critical_failure_even_above_pass_mark(bank, fake_checker):
    quiz = bank.quizzes["quiz-04-risks"]
    results = _all_results(bank, fake_checker, single="b")
    q = grade_quiz(dataclasses.replace(quiz, pass_mark=0.7), results)
    assert q.score == pytest.approx(0.75)
    assert q.critical_failures == ("night-shift-selfie",)
    assert not q.passed


def test_quiz_below_pass_mark_fails(bank, fake_checker):
    results = _all_results(bank, fake_checker, single="c")
    q = grade_quiz(dataclasses.replace(bank.quizzes["quiz-04-risks"], pass_mark=0.9), results)
    assert q.score == pytest.approx((3 / 7 + 3) / 4)
    assert not q.passed and q.critical_failures == ()


def test_quiz_counts_missing_scenarios_as_zero_and_rejects_strangers(bank, fake_checker):
    quiz = bank.quizzes["quiz-04-risks"]
    results = _all_results(bank, fake_checker)[:3]
    q = grade_quiz(quiz, {r.scenario_id: r for r in results})
    assert q.missing == ("thank-you-post",) and q.score == 0.75 and not q.passed
    stranger = ScenarioResult("elsewhere", 1, "r", 1, 1.0, True, (), ())
    with pytest.raises(ValueError, match="elsewhere"):
        grade_quiz(quiz, [*results, stranger])
    with pytest.raises(ValueError, match="two results"):
        grade_quiz(quiz, [results[0], results[0]])


# ----------------------------------------------------------------------------- overrides


def test_override_changes_the_level_and_recomputes_the_score(bank):
    s = bank.scenarios["selfie-reply"]
    rubric = bank.rubric_for(s)
    r = _grade(bank, "selfie-reply", text="I am not sure what the right thing is here.")
    assert r.needs_review
    o = apply_override(r, "confidentiality", "met", "Learner clearly means removal.", rubric)
    assert o.criterion("confidentiality").level_id == "met"
    assert o.criterion("confidentiality").override_note == "Learner clearly means removal."
    assert o.criterion("confidentiality").feedback == "You protected the patient."
    assert o.score == pytest.approx(6 / 7)
    assert r.criterion("escalation").confidence < LOW_CONFIDENCE
    assert o.needs_review  # escalation still unreviewed
    o2 = apply_override(o, "escalation", "missed", "Confirmed.", rubric)
    assert not o2.needs_review and o2.score == pytest.approx(6 / 7)


def test_override_to_the_lowest_critical_level_fails_the_scenario(bank):
    rubric = bank.rubric_for(bank.scenarios["night-shift-selfie"])
    r = _grade(bank, "night-shift-selfie", selected=("a",))
    o = apply_override(r, "confidentiality", "breach", "Saw the original post.", rubric)
    assert o.critical_failures == ("confidentiality",) and o.score == pytest.approx(1 / 7)
    assert o.option_feedback == r.option_feedback


def test_override_needs_a_note_a_known_level_and_the_same_rubric(bank):
    rubric = bank.rubric_for(bank.scenarios["night-shift-selfie"])
    r = _grade(bank, "night-shift-selfie", selected=("a",))
    with pytest.raises(ValueError, match="note"):
        apply_override(r, "confidentiality", "met", "  ", rubric)
    with pytest.raises(KeyError):
        apply_override(r, "confidentiality", "excellent", "x", rubric)
    newer = rubric.__class__(rubric.id, 2, rubric.title, rubric.description, rubric.criteria)
    with pytest.raises(ValueError, match="v1"):
        apply_override(r, "confidentiality", "met", "x", newer)


# ----------------------------------------------------------------------------- serialisation


def test_results_survive_a_json_round_trip(bank, fake_checker):
    results = _all_results(bank, fake_checker, single="b")
    q = grade_quiz(bank.quizzes["quiz-04-risks"], results)
    back = QuizResult.from_dict(json.loads(json.dumps(q.to_dict())))
    assert back == q
    for r in results:
        assert ScenarioResult.from_dict(json.loads(json.dumps(r.to_dict()))) == r


def test_public_view_leaks_no_answers_feedback_or_debrief(bank):
    for s in bank.scenarios.values():
        public = json.dumps(s.public_view().to_dict())
        secrets = [s.debrief.strip()]
        for o in s.options:
            secrets.append(o.feedback)
        for _cid, rules in s.concepts:
            for rule in rules:
                secrets.extend(rule.phrases)
        for word in ("correct", "levels", "mapping", "concepts", "feedback", "debrief", "criteria"):
            assert f'"{word}"' not in public
        for secret in secrets:
            assert secret not in public, (s.id, secret)
        assert s.situation.strip() in json.loads(public)["situation"]
    assert [
        o["id"] for o in bank.scenarios["selfie-cleanup"].public_view().to_dict()["options"]
    ] == ["a", "b", "c", "d"]


def test_privacy_package_report_types_provide_what_the_protocol_needs():
    privacy_model = pytest.importorskip("privacy.model")
    finding = {f.name for f in dataclasses.fields(privacy_model.Finding)}
    report = {f.name for f in dataclasses.fields(privacy_model.PrivacyReport)}
    assert {"category", "start", "end", "text", "explanation", "guideline"} <= finding
    assert {"risk", "findings"} <= report
