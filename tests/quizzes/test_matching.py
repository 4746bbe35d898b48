from __future__ import annotations

import pytest

from quizzes.matching import PhraseError, compile_phrases, edit_distance, find_phrases, tokenize


def hits(text: str, *phrases: str) -> set[str]:
    return set(find_phrases(text, phrases).hits)


def test_matching_is_case_insensitive_and_on_word_boundaries():
    assert hits("DELETE THE POST now", "delete the post") == {"delete the post"}
    assert hits("undelete the posting", "delete the post") == set()


@pytest.mark.parametrize(
    "text",
    [
        "I would not share it.",
        "I'd never share it",
        "I don't share it",
        "I don’t share it",
        "I wouldn't share it",
        "I wouldn’t share it",
        "I won't share it",
        "you shouldn't share it",
        "I can't share it",
        "I cannot share it",
        "do it without share it",
        "I refuse to share it",
        "avoid share it",
        "no way I share it",
        "instead of share it",
        "I would not under any circumstances go on to share it",  # a clause, not three words
        "I would never, ever share it",
        "I would not, under any circumstances, share it",
        "Nor would I share it",
        "I don't think I should share it",  # a verb of thinking carries the negation over
        "I won't say I'd share it",
    ],
)
def test_negation_blocks_the_match_to_the_end_of_its_clause(text):
    ms = find_phrases(text, ["share it"])
    assert "share it" not in ms.hits
    assert ms.negated["share it"][0].text == "share it"


@pytest.mark.parametrize(
    "text",
    [
        "I would not ever, in any way, then share it",  # "then" opens a new clause
        "I will not hesitate. Share it.",  # sentence boundary
        "No, share it",  # 'No,' answers a question
        "no matter what, share it",
        "not only share it but also report",
        "I wouldn't wait, but share it",
        "I would not delete it; I would share it",
        "I would not delete it and I would share it",
        "I would not delete it, I would share it",
        "I wouldn't delete it, share it",  # a comma that does not carry a list on
        "I would not delete it because I share it",
    ],
)
def test_negation_does_not_reach_past_its_clause(text):
    assert hits(text, "share it") == {"share it"}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("tell the privacy oficer", "privacy officer"),  # deletion, 7 letters
        ("tell the privacy offcier", "privacy officer"),  # transposition counts as one edit
        ("report it to the manger", "manager"),
        ("keep it confidentaly", "confidentially"),  # two edits in a 14-letter word
        ("escalte to the managre", "escalate to the manager"),
    ],
)
def test_long_words_tolerate_typos(text, phrase):
    ms = find_phrases(text, [phrase])
    assert phrase in ms.hits
    assert ms.hits[phrase][0].fuzzy


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("posts", "post"),
        ("pist it", "post it"),
        ("delete the psot", "delete the post"),  # 'post' is short: exact only
        ("share ot", "share it"),
        ("the privcya officer", "privacy officer"),  # two edits in a 7-letter word
        ("managerial", "manager"),
    ],
)
def test_short_words_and_too_many_edits_do_not_match_loosely(text, phrase):
    assert hits(text, phrase) == set()


def test_prefix_stems_match_any_ending():
    assert hits("I'd be removing the photo", "remov* the photo") == {"remov* the photo"}
    assert hits("removal of the photo", "remov* the photo") == set()
    assert hits("remember the photo", "remov* the photo") == set()


def test_matches_carry_spans_into_the_original_text():
    text = "First, TAKE it DOWN. Then call the Privacy Officer."
    ms = find_phrases(text, ["take it down", "privacy officer"])
    for phrase, expected in (
        ("take it down", "TAKE it DOWN"),
        ("privacy officer", "Privacy Officer"),
    ):
        m = ms.hits[phrase][0]
        assert text[m.start : m.end] == expected == m.text


def test_apostrophes_are_optional_and_both_kinds_are_equal():
    assert hits("I dont know", "don't know") == {"don't know"}
    assert hits("I don’t know", "don't know") == {"don't know"}
    assert [t for t, _, _ in tokenize("It’s Rosa's")] == ["its", "rosas"]


def test_compiled_matcher_counts_words_and_is_reusable():
    m = compile_phrases(["report", "report", "privacy officer"])
    assert m.phrases == ("report", "privacy officer")
    assert m.find("report it now").word_count == 3
    assert set(m.find("no").hits) == set()
    assert set(m.find("Report it to the privacy officer").hits) == {"report", "privacy officer"}


@pytest.mark.parametrize("bad", ["", "...", "re*move", "r*", "*"])
def test_unusable_phrases_are_refused(bad):
    with pytest.raises(PhraseError):
        compile_phrases([bad])


def test_edit_distance_is_damerau_and_bounded():
    assert edit_distance("officer", "offcier", 2) == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # stops at limit + 1


def test_fuzzy_matches_name_the_words_they_took_for_typos():
    ms = find_phrases(
        "Ask for her content and tell the privacy oficer",
        ["ask for her consent", "privacy officer", "tell"],
    )
    consent = ms.hits["ask for her consent"][0]
    assert consent.fuzzy and consent.typos == (("content", "consent"),)
    officer = ms.hits["privacy officer"][0]
    assert officer.typos == (("oficer", "officer"),)
    assert ms.hits["tell"][0].typos == ()


def test_common_words_are_known_and_misspellings_are_not():
    from quizzes.vocabulary import is_common_word

    assert is_common_word("content") and is_common_word("managed")
    assert not is_common_word("oficer") and not is_common_word("manger")
    assert not is_common_word("the")  # too short to be a typo candidate at all
