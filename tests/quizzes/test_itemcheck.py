"""Item-writing checks: each cue is flagged on an item that has it and not on one that doesn't."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from quizzes import Criterion, Level, Option, Rubric, Scenario
from quizzes.itemcheck import (
    LONGEST_SHARE,
    MIN_ITEMS_FOR_SKEW,
    check_items,
    check_paths,
    check_scenario,
    format_warning,
    key_is_longest,
    keyed_options,
    longest_half_holds_keys,
)

RUBRIC = Rubric(
    id="r",
    version=1,
    title="R",
    description="",
    criteria=(
        Criterion(
            "conduct",
            "Conduct",
            (2,),
            1,
            (
                Level("low", 0, "Low.", "Low."),
                Level("mid", 1, "Mid.", "Mid."),
                Level("top", 2, "Top.", "Top."),
            ),
        ),
    ),
)
RUBRICS = {"r": RUBRIC}
SITUATION = "A colleague photographs the ward whiteboard and posts it to Instagram."
PROMPT = "What do you do?"


def single(*options: tuple[str, str, str], sid: str = "s", **kw: str) -> Scenario:
    """A single item; options are (id, text, level) and the `top` one is the key."""
    return Scenario(
        id=sid,
        version=1,
        title="T",
        type="single",
        rubric="r",
        profession="nurse",
        platform="Instagram",
        module="04-risks",
        guidelines=(2,),
        risks=("privacy",),
        situation=kw.get("situation", SITUATION),
        prompt=kw.get("prompt", PROMPT),
        debrief="Debrief.",
        criteria=("conduct",),
        options=tuple(
            Option(oid, text, kw.get("feedback", "Because."), (("conduct", lvl),))
            for oid, text, lvl in options
        ),
    )


def multi(*options: tuple[str, str, bool], sid: str = "m") -> Scenario:
    base = single(("x", "x", "top"), sid=sid)
    return replace(
        base,
        type="multi",
        options=tuple(Option(oid, text, "Because.", (), correct) for oid, text, correct in options),
    )


def written(debrief: str, stype: str = "free_text") -> Scenario:
    return replace(single(("x", "x", "top")), type=stype, options=(), debrief=debrief)


def messages(s: Scenario) -> list[str]:
    return [w.message for w in check_scenario(s, RUBRIC)]


PLAIN = single(
    ("a", "Ask her to delete it, then tell the charge nurse.", "top"),
    ("b", "Leave it up because the picture is small.", "low"),
    ("c", "Comment on the post so that she sees it soon.", "mid"),
)


def test_a_plain_item_has_no_warnings():
    assert messages(PLAIN) == []


# --------------------------------------------------------------------------- keys


def test_the_single_key_is_the_option_at_the_top_level_on_every_criterion():
    assert [o.id for o in keyed_options(PLAIN, RUBRIC)] == ["a"]


def test_without_a_rubric_the_key_is_the_option_marked_correct():
    s = replace(PLAIN, options=(PLAIN.options[0], replace(PLAIN.options[1], correct=True)))
    assert [o.id for o in keyed_options(s, None)] == ["b"]


# --------------------------------------------------------------------------- longest option


def test_a_key_much_longer_than_the_distractors_is_flagged():
    s = single(
        (
            "a",
            "Ask her to take the post down at once, then tell the charge nurse and report "
            "it to the privacy officer as the policy requires.",
            "top",
        ),
        ("b", "Leave it up because the picture is small.", "low"),
        ("c", "Comment on the post so that she sees it.", "mid"),
    )
    [w] = check_scenario(s, RUBRIC)
    assert "option 'a' is a key and the longest option" in w.message
    assert "25 words; the others average 8" in w.message


def test_a_key_only_a_little_longer_than_the_distractors_is_not_flagged():
    s = single(
        ("a", "Ask her to take it down and tell the charge nurse today.", "top"),
        ("b", "Leave it up because the picture is small and blurry.", "low"),
        ("c", "Comment on the post so that she sees it very soon.", "mid"),
    )
    assert messages(s) == []


def test_a_long_distractor_is_not_a_longest_key_cue():
    s = single(
        ("a", "Ask her to take it down.", "top"),
        ("b", "Leave it up, because the picture is small, blurry and hard to read anyway.", "low"),
    )
    assert not any("longest" in m for m in messages(s))


def test_a_multi_key_that_is_the_longest_by_far_is_flagged():
    s = multi(
        ("a", "Search your name and photos on every platform and image search engine.", True),
        ("b", "Untag photos.", True),
        ("c", "Change your name.", False),
    )
    assert any("option 'a' is a key and the longest" in m for m in messages(s))


def test_a_key_with_as_many_words_but_far_more_characters_is_flagged():
    s = single(
        (
            "a",
            "Notify information-governance immediately regarding unauthorised photography.",
            "top",
        ),
        ("b", "Leave it up, the picture is so small.", "low"),
        ("c", "Ask her if she can see who is in it.", "mid"),
    )
    assert len({len(o.text.split()) for o in s.options}) == 3  # 6, 8 and 9 words: no word cue
    [w] = check_scenario(s, RUBRIC)
    assert "option 'a' is a key and the longest option by a wide margin" in w.message
    assert "characters; the others average" in w.message


def test_a_key_a_few_characters_longer_is_not_flagged_on_its_own():
    s = single(
        ("a", "Ask her to take it down and tell the charge nurse.", "top"),
        ("b", "Leave it up because the picture is small and blurry.", "low"),
        ("c", "Comment on the post so that she sees it very soon.", "mid"),
    )
    assert messages(s) == []


# --------------------------------------------------------------------------- longest across items


def _lengths(longest_key: list[bool]) -> list[Scenario]:
    """Single items whose key is (True) or is not (False) the longest option by characters."""
    out = []
    for n, long_key in enumerate(longest_key):
        key = "Ask her to delete it." if long_key else "Ask her."
        out.append(
            single(
                ("a", "Leave it up for now.", "low"),
                ("b", key, "top"),
                ("c", "Comment on it today.", "mid"),
                ("d", "Ask the group chat.", "low"),
                sid=f"len{n}",
            )
        )
    return out


def _longest_warnings(items: list[Scenario]) -> list[str]:
    return [w.message for w in check_items(items, RUBRICS) if "longest option (by" in w.message]


def test_a_key_that_is_the_longest_in_many_items_is_flagged_once_with_the_items():
    items = _lengths([True, True, False, True, False, False, False, False, False, True])
    assert all(messages(s) == [] for s in items)  # no item shows the cue on its own
    [w] = _longest_warnings(items)
    assert "the key is the longest option (by characters) in 4 of 10 single-choice items (40%" in w
    assert "len0, len1, len3, len9" in w


def test_a_key_that_is_the_longest_in_few_items_is_not_flagged():
    n = 10
    share = int(LONGEST_SHARE * n)  # 3 of 10 is not more than 30%
    items = _lengths([True] * share + [False] * (n - share))
    assert _longest_warnings(items) == []


def test_a_key_tied_with_a_distractor_for_longest_is_not_the_longest():
    s = single(("a", "Ask her to delete it.", "top"), ("b", "Tell her to leave it.", "low"))
    assert len(s.options[0].text) == len(s.options[1].text)
    assert not key_is_longest(s, RUBRIC)


def _halves(cued: list[bool]) -> list[Scenario]:
    """Multi items whose correct options are (True) or are not (False) the longest half."""
    long, short = "Report it to the privacy officer today.", "Untag it."
    out = []
    for n, cue in enumerate(cued):
        right, wrong = (long, short) if cue else (short, long)
        out.append(
            multi(
                ("a", right, True),
                ("b", wrong, False),
                ("c", right, True),
                ("d", wrong, False),
                ("e", wrong, False),
                ("f", right + " Now.", True),
                sid=f"half{n}",
            )
        )
    return out


def _half_warnings(items: list[Scenario]) -> list[str]:
    return [w.message for w in check_items(items, RUBRICS) if "longest half" in w.message]


def test_correct_options_that_are_the_longest_half_in_many_multi_items_are_flagged_once():
    items = _halves([True, True, False, False, False])
    assert longest_half_holds_keys(items[0]) and not longest_half_holds_keys(items[2])
    [w] = _half_warnings(items)
    assert "holds every correct option in 2 of 5 multi items (40%" in w
    assert "half0, half1" in w


def test_correct_options_mixed_in_length_are_not_flagged():
    items = _halves([True, False, False, False, False])
    assert _half_warnings(items) == []


def test_the_longest_half_rounds_up_and_ties_go_against_the_learner():
    s = multi(
        ("a", "Report it to the privacy officer.", True),
        ("b", "Report it to the charge nurse now.", False),
        ("c", "Untag.", False),
    )
    assert longest_half_holds_keys(s)  # 1 correct among the 2 longest of 3
    tied = replace(s, options=(s.options[0], replace(s.options[1], text=s.options[0].text[::-1])))
    assert not longest_half_holds_keys(tied)


# --------------------------------------------------------------------------- key positions


def _singles(key_positions: list[int]) -> list[Scenario]:
    out = []
    for n, pos in enumerate(key_positions):
        opts = [(oid, f"Option {oid} text here.", "low") for oid in "abcd"]
        opts[pos - 1] = (opts[pos - 1][0], opts[pos - 1][1], "top")
        out.append(single(*opts, sid=f"s{n}"))
    return out


def test_keys_piled_on_one_position_are_flagged_once_with_the_counts():
    items = _singles([1, 1, 1, 2, 3])
    skew = [w for w in check_items(items, RUBRICS) if "position" in w.message]
    assert len(skew) == 1
    assert "option position 1 holds the key of 3 of 5 single-choice items (60%" in skew[0].message
    assert "1: 3, 2: 1, 3: 1" in skew[0].message


def test_keys_spread_over_the_positions_are_not_flagged():
    items = _singles([1, 2, 3, 4, 1])
    assert not any("position" in w.message for w in check_items(items, RUBRICS))


def test_too_few_items_to_tell_a_skew_are_not_flagged():
    items = _singles([1] * (MIN_ITEMS_FOR_SKEW - 1))
    assert not any("position" in w.message for w in check_items(items, RUBRICS))


def _multis(orders: list[str]) -> list[Scenario]:
    """Each order like 'RRW' gives right (R) and wrong (W) options in that order."""
    return [
        multi(*((f"o{i}", f"Text {i}.", ch == "R") for i, ch in enumerate(order)), sid=f"m{n}")
        for n, order in enumerate(orders)
    ]


def test_multi_items_with_every_correct_option_first_are_flagged():
    items = _multis(["RRW", "RWW", "RRWW", "RWRW", "RRRW"])
    skew = [w for w in check_items(items, RUBRICS) if "multi items" in w.message]
    assert len(skew) == 1 and "in 4 of 5 multi items" in skew[0].message


def test_multi_items_with_mixed_option_order_are_not_flagged():
    items = _multis(["RWR", "WRR", "RRW", "WRWR", "RWWR"])
    assert not any("multi items" in w.message for w in check_items(items, RUBRICS))


# --------------------------------------------------------------------------- stem echoes


def test_a_distractor_echoing_the_stem_where_the_key_does_not_is_flagged():
    s = single(
        ("a", "Ask her to delete it, then tell the charge nurse.", "top"),
        ("b", "Crop the whiteboard out and keep it on Instagram for colleagues.", "low"),
        situation="A colleague photographs the ward whiteboard and posts it to Instagram.",
    )
    [w] = check_scenario(s, RUBRIC)
    assert "option 'b' repeats 3 words" in w.message
    assert "(colleague, instagram, whiteboard)" in w.message


def test_a_distractor_echoing_fewer_than_three_stem_words_is_not_flagged():
    s = single(
        ("a", "Ask her to delete it, then tell the charge nurse.", "top"),
        ("b", "Crop the whiteboard out and keep it on Instagram.", "low"),
    )
    assert messages(s) == []


def test_stem_words_the_key_also_repeats_do_not_count():
    s = single(
        ("a", "Ask your colleague to take the Instagram post with the whiteboard down.", "top"),
        ("b", "Crop the whiteboard out and keep it on Instagram for colleagues.", "low"),
    )
    assert not any("repeats" in m for m in messages(s))


def test_function_words_and_short_words_are_not_stem_echoes():
    s = single(
        ("a", "Report it.", "top"),
        ("b", "What would they do with that from this?", "low"),
        situation="What would they do with that from this? It is on the ward.",
    )
    assert not any("repeats" in m for m in messages(s))


# --------------------------------------------------------------------------- absolute words


def test_an_absolute_word_only_a_distractor_uses_is_flagged():
    s = single(
        ("a", "Ask her to delete it, then tell the charge nurse.", "top"),
        ("b", "Leave it up, since blurred boards never identify anyone.", "low"),
    )
    [w] = check_scenario(s, RUBRIC)
    assert "option 'b' uses the absolute word(s) 'never'" in w.message


def test_an_absolute_word_a_key_uses_too_is_not_flagged():
    s = single(
        ("a", "Ask her to take it down; never post the ward board.", "top"),
        ("b", "Leave it up, since blurred boards never identify anyone.", "low"),
    )
    assert messages(s) == []


def test_absolute_words_match_whole_words_only():
    s = single(
        ("a", "Ask her to take it down.", "top"),
        ("b", "Tell everyone it is fine, it is small.", "low"),
    )
    assert messages(s) == []


# --------------------------------------------------------------------------- feedback, debrief


def test_an_option_without_feedback_is_flagged():
    s = replace(PLAIN, options=(PLAIN.options[0], replace(PLAIN.options[1], feedback="  ")))
    assert messages(s) == ["option 'b' has no feedback: say why it is right or wrong"]


def test_a_written_item_without_a_model_answer_is_flagged():
    for stype in ("free_text", "post_draft"):
        [m] = messages(written("- *Guideline 2*: keep it private.", stype))
        assert "the debrief has no model answer" in m


def test_a_model_answer_marker_with_nothing_after_it_is_flagged():
    assert messages(written("Some notes.\n\n**Model answer:**  \n")) != []


def test_a_written_item_with_a_model_answer_is_not_flagged():
    assert messages(written("**Model answer:** ask for consent first.\n")) == []


def test_a_choice_item_needs_no_model_answer():
    assert messages(replace(PLAIN, debrief="No model answer here.")) == []


# --------------------------------------------------------------------------- files and lines

RUBRIC_YAML = """\
id: r
version: 1
title: R
criteria:
  - id: conduct
    title: Conduct
    guidelines: [2]
    weight: 1
    levels:
      - {id: low, points: 0, descriptor: Low., feedback: Low.}
      - {id: top, points: 2, descriptor: Top., feedback: Top.}
"""
SCENARIO_YAML = """\
id: board
version: 1
title: The board
type: single
rubric: r
profession: nurse
platform: Instagram
module: 04-risks
guidelines: [2]
risks: [privacy]
situation: A colleague photographs the ward whiteboard and posts it to Instagram.
prompt: What do you do?
options:
  - id: a
    text: Ask her to delete it, then tell the charge nurse.
    feedback: Right.
    levels: {conduct: top}
  - id: b
    text: Leave it up, since blurred boards never identify anyone.
    feedback: Wrong.
    levels: {conduct: low}
debrief: Debrief.
criteria: [conduct]
"""


def _bank(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    (root / "rubrics").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "rubrics" / "r.yaml").write_text(RUBRIC_YAML, encoding="utf-8")
    (root / "scenarios" / "board.yaml").write_text(SCENARIO_YAML, encoding="utf-8")
    return root


def test_a_warning_names_the_file_and_the_line_of_the_option(tmp_path):
    root = _bank(tmp_path)
    [w] = check_paths([root])
    assert w.file == str(root / "scenarios" / "board.yaml") and w.line == 19
    assert format_warning(w).startswith(f"{root / 'scenarios' / 'board.yaml'}:19: warning: ")


def test_checking_one_file_of_a_bank_uses_the_bank_rubric(tmp_path):
    root = _bank(tmp_path)
    [w] = check_paths([root / "scenarios" / "board.yaml"])
    assert "'never'" in w.message


def test_loose_files_are_checked_against_a_rubric_beside_them(tmp_path):
    (tmp_path / "r.yaml").write_text(RUBRIC_YAML, encoding="utf-8")
    (tmp_path / "board.yaml").write_text(SCENARIO_YAML, encoding="utf-8")
    [w] = check_paths([tmp_path])
    assert w.file == str(tmp_path / "board.yaml") and w.line == 19


def test_a_file_with_errors_gives_no_warnings(tmp_path):
    root = _bank(tmp_path)
    path = root / "scenarios" / "board.yaml"
    path.write_text(SCENARIO_YAML.replace("type: single", "type: essay"), encoding="utf-8")
    assert check_paths([root]) == []
