"""Reading the sentence: negation and hedging scope at clause level, judgements and quotes."""

from __future__ import annotations

import pytest

from quizzes.matching import find_phrases, read


def negated(text: str, phrase: str) -> bool:
    ms = find_phrases(text, [phrase])
    assert phrase in ms.hits or phrase in ms.negated, f"{phrase!r} not in {text!r}"
    return phrase not in ms.hits


def hedged(text: str, phrase: str) -> str:
    ms = find_phrases(text, [phrase])
    return ms.hits[phrase][0].hedged_by


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I would not call managers clowns.", "clowns"),
        ("I wouldn't call the managers clowns, that just makes it easy to dismiss.", "clowns"),
        ("I did not name, tag or picture her.", "picture"),
        ("I did not name, tag or picture her.", "tag"),
        ("Instead of posting it, I would talk to a colleague.", "posting it"),
        ("I would talk to a colleague rather than post it.", "post it"),
        ("I'd avoid posting anything about him.", "posting anything"),
        ("I refuse to share the page.", "share the page"),
        ("I'd stop posting about patients.", "posting about patients"),
        ("I can't say I'm one of his nurses.", "one of his nurses"),
        ("I won't confirm she was my patient.", "my patient"),
        ("Calling them clowns would be unprofessional.", "clowns"),
        ("It would be unprofessional to call them clowns.", "clowns"),
        ("She said yes at clinic, but that's not enough.", "said yes"),
        ("A selfie is not consent.", "a selfie"),
        ("no wouldnt post it, not worth my job", "post it"),
    ],
)
def test_a_phrase_inside_a_negated_clause_is_negated(text, phrase):
    assert negated(text, phrase)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Instead of posting it, I would talk to a colleague.", "talk to a colleague"),
        ("Instead of posting it I'd talk to a colleague.", "talk to a colleague"),
        ("I would not post it but remove the bed number.", "remove the bed number"),
        ("I would not post it and would delete the draft.", "delete the draft"),
        ("I would not post it and then I'd delete the draft.", "delete the draft"),
        ("I would avoid posting anything that could identify him.", "could identify"),
        ("I wouldn't post it without her written consent.", "written consent"),  # two negators
        ("It would be wrong not to report it.", "report it"),
        ("I'd stop and think, then delete the draft.", "delete the draft"),
        ("I'd stop and delete the draft.", "delete the draft"),  # "stop" negates gerunds only
        ("I wouldn't post it, it's too risky for my job.", "my job"),
        ("not worth my job", "my job"),
        ("No, I'd delete it.", "delete it"),
    ],
)
def test_scope_ends_with_its_clause(text, phrase):
    assert not negated(text, phrase)


def test_a_judged_clause_already_negated_stays_negated():
    # "it's too risky" judges the posting, which "wouldn't" already refused
    text = "Wouldn't post it, it's too risky for my job."
    assert "wouldn't post" in find_phrases(text, ["wouldn't post"]).hits


@pytest.mark.parametrize(
    ("text", "phrase", "by"),
    [
        ("Maybe I would post it.", "post it", "maybe"),
        ("I might post it tomorrow.", "post it", "might"),
        ("I would post it if she agreed.", "post it", "if"),
        ("If she agreed, I would post it.", "post it", "if"),
        ("I'm not sure whether to post it.", "post it", "sure"),
    ],
)
def test_hedges_and_conditions_mark_what_they_cover(text, phrase, by):
    assert hedged(text, phrase) == by


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I'd probably still post it.", "post it"),  # an intention, not a hedge
        ("I'd post it tomorrow once I've calmed down.", "post it"),
        ("Give her 5 ml, but call 111 if she gets worse.", "5 ml"),  # the "if" is past "but"
        ("If you notice these signs, message me.", "message me"),  # advice, not a condition
        ("Even if she agreed I would post it.", "post it"),
    ],
)
def test_what_is_not_a_hedge(text, phrase):
    assert hedged(text, phrase) == ""


def test_quotes_are_marked_and_endorsement_lifts_the_mark():
    ms = find_phrases("Calling him a 'frequent flyer' is unkind.", ["frequent flyer"])
    assert ms.negated["frequent flyer"][0].quoted
    ms = find_phrases("'Clowns who gamble with lives' is accurate.", ["clowns"])
    assert not ms.hits["clowns"][0].quoted


def test_a_plural_is_not_a_different_word_but_a_negating_prefix_is():
    ms = find_phrases("It was unprofessional. Tell the privacy officers.", ["professional"])
    assert "professional" not in ms.hits
    ms = find_phrases("Tell the privacy officers.", ["privacy officer"])
    assert ms.hits["privacy officer"][0].typos == (("officers", "officer"),)


def test_reading_answers_where_a_span_is_negated():
    text = "I did not name, tag or picture her. Photo of the team."
    r = read(text)
    assert r.negation_at(text.index("picture")) == "not"
    assert r.negation_at(text.index("Photo")) is None
    assert r.index_at(len(text) + 5) == -1
