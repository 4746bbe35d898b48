"""The shared line-tracking loader: plain data, and the line of every key, value and item."""

from __future__ import annotations

import textwrap

import pytest

import yamlsrc
from modules.catalog import default_content_root
from quizzes import default_bank_root
from yamlsrc import Invalid, Map, Problem, Seq, line_at, load, validator_for

DOC = textwrap.dedent(
    """\
    # a comment first
    id: night-shift
    levels: {a: 1,
      b: 2}
    items:
      - one
      - two: 2
        three: 3
    text: |
      block
    """
)


def loaded(text: str, **kw) -> tuple[object, list[Problem]]:
    problems: list[Problem] = []
    source = load(text, "f.yaml", problems, **kw)
    return (source.data if source else None), problems


def test_data_is_plain_dicts_and_lists_that_remember_their_lines():
    data, problems = loaded(DOC)
    assert problems == []
    assert data == {
        "id": "night-shift",
        "levels": {"a": 1, "b": 2},
        "items": ["one", {"two": 2, "three": 3}],
        "text": "block\n",
    }
    assert isinstance(data, Map) and isinstance(data["items"], Seq)
    assert data.line == 2
    assert line_at(data, ("levels", "b")) == 4
    assert line_at(data, ("items",)) == 6  # a block list's value starts at its first item
    assert line_at(data, ("items",), key=True) == 5
    assert line_at(data, ("items", 1, "three")) == 8
    assert line_at(data, ("text",)) == 9


def test_a_path_that_leaves_the_data_stops_at_the_deepest_part_that_exists():
    data, _ = loaded(DOC)
    assert line_at(data, ("items", 1, "missing")) == 7
    assert line_at(data, ("items", 9)) == 6
    assert line_at(data, ()) == 2


def test_source_lines_default_to_the_root_line_for_the_document_itself():
    problems: list[Problem] = []
    source = load("slug: a\ntitle: b\n", "f.md", problems, first_line=2, root_line=1)
    assert source is not None
    assert source.line(("title",)) == 3  # front matter starts on the file's line 2
    assert source.line(("summary",)) == 1
    assert source.line(()) == 1


def test_duplicate_and_non_text_keys_are_problems_at_their_line():
    data, problems = loaded("a: 1\nb: 2\na: 3\n1: x\n? [k]\n: v\n")
    assert data == {"a": 3, "b": 2}
    assert [str(p) for p in problems] == [
        "f.yaml:3: duplicate key 'a'",
        "f.yaml:4: keys must be plain text names, got 1 (quote it)",
        "f.yaml:5: keys must be plain text names, got a list or mapping",
    ]


def test_a_syntax_error_names_its_line_with_the_callers_wording():
    data, problems = loaded("a: 1\nb: [open\n", syntax_error="YAML syntax error")
    assert data is None
    assert len(problems) == 1 and problems[0].line == 3
    assert problems[0].message.startswith("YAML syntax error: ")


def test_an_empty_document_loads_as_nothing_without_a_problem():
    assert loaded("# only a comment\n") == (None, [])


def test_a_recursive_alias_is_a_problem_not_a_hang():
    data, problems = loaded("a: &x\n  b: *x\n")
    assert [p.message for p in problems] == ["recursive YAML alias"]
    assert data == {"a": {"b": None}}


def test_merge_keys_merge_as_in_pyyaml():
    data, problems = loaded("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n")
    assert problems == []
    assert data["item"] == {"x": 1, "y": 2}


def test_a_scalar_yaml_cannot_construct_is_kept_as_invalid():
    data, problems = loaded("day: 2029-02-30\n")
    assert problems == []
    assert isinstance(data["day"], Invalid) and data["day"].text == "2029-02-30"
    assert "out of range" in data["day"].reason


@pytest.mark.parametrize(
    "text",
    [
        DOC,
        "a:\n- 1\n-   - 2\n    - 3\n",
        "k: >\n  folded\n  text\n\nnext: 'q'\n",
        "x: &a [1, 2]\ny: *a\n",
        "? complex\n: value\n",
    ],
)
def test_libyaml_and_pure_python_parsers_give_the_same_data_and_lines(text, monkeypatch):
    fast, _ = loaded(text)
    monkeypatch.setattr(yamlsrc.loader, "_FAST", None)
    slow, _ = loaded(text)
    assert fast == slow
    assert _lines(fast) == _lines(slow)


def _lines(data: object) -> object:
    if isinstance(data, Map):
        kids = {k: _lines(v) for k, v in data.items()}
        return (data.line, data.key_lines, data.value_lines, kids)
    if isinstance(data, Seq):
        return (data.line, data.item_lines, [_lines(v) for v in data])
    return None


def test_pattern_dollar_ends_the_input_as_in_ecma_262():
    v = validator_for({"type": "string", "pattern": yamlsrc.SLUG_PATTERN})
    assert v.is_valid("abc-2")
    assert not v.is_valid("abc\n")  # Python's own `$` would let this through


def test_both_parsers_agree_on_every_bundled_yaml_file(monkeypatch):
    files = [*default_bank_root().rglob("*.yaml"), *default_content_root().rglob("*.yaml")]
    assert len(files) > 20
    fast = [_lines(loaded(f.read_text(encoding="utf-8"))[0]) for f in files]
    monkeypatch.setattr(yamlsrc.loader, "_FAST", None)
    slow = [_lines(loaded(f.read_text(encoding="utf-8"))[0]) for f in files]
    assert fast == slow
