"""Hostile YAML is refused quickly, with one FILE:LINE problem, and nothing is loaded."""

from __future__ import annotations

import time

import pytest

from yamlsrc import Problem, Source, load
from yamlsrc.loader import MAX_CHARS, MAX_DEPTH, MAX_EXPANSION


def _load(text: str) -> tuple[Source | None, list[Problem], float]:
    problems: list[Problem] = []
    start = time.perf_counter()
    source = load(text, "bank/x.yaml", problems)
    return source, problems, time.perf_counter() - start


def _laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000,
        "- " * 10_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(200)),
    ],
    ids=["flow-sequence", "flow-mapping-unclosed", "block-sequence-inline", "block-mapping"],
)
def test_deep_nesting_is_refused_in_milliseconds(text: str) -> None:
    source, problems, seconds = _load(text)
    assert source is None
    assert [p.message for p in problems] == [f"YAML nested too deeply (limit {MAX_DEPTH} levels)"]
    assert seconds < 1.0


def test_deep_nesting_names_the_line_where_the_limit_is_crossed() -> None:
    text = "".join(" " * i + "k:\n" for i in range(MAX_DEPTH + 5))
    _, problems, _ = _load(text)
    assert problems == [
        Problem("bank/x.yaml", MAX_DEPTH + 1, f"YAML nested too deeply (limit {MAX_DEPTH} levels)")
    ]


def test_nesting_at_the_limit_still_loads() -> None:
    source, problems, _ = _load("[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH)
    assert problems == []
    assert source is not None
    value = source.data
    for _ in range(MAX_DEPTH):
        value = value[0]
    assert value == 1


def test_billion_laughs_is_refused_in_milliseconds() -> None:
    source, problems, seconds = _load(_laughs(9))
    assert source is None
    assert [p.message for p in problems] == [
        f"YAML aliases expand to more than {MAX_EXPANSION:,} values"
    ]
    assert seconds < 1.0


def test_aliases_that_nest_deeply_are_refused() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i + 1}: &a{i + 1} [*a{i}]" for i in range(MAX_DEPTH + 5)]
    source, problems, _ = _load("\n".join(lines) + "\n")
    assert source is None
    assert [p.message for p in problems] == [f"YAML nested too deeply (limit {MAX_DEPTH} levels)"]


def test_ordinary_aliases_and_merges_still_work() -> None:
    text = "base: &b {points: 1}\nlevels:\n  - *b\n  - {<<: *b, label: high}\n"
    source, problems, _ = _load(text)
    assert problems == []
    assert source is not None
    assert source.data["levels"] == [{"points": 1}, {"points": 1, "label": "high"}]


def test_text_over_the_size_limit_is_refused_without_parsing() -> None:
    source, problems, seconds = _load("x: " + "y" * MAX_CHARS)
    assert source is None
    assert len(problems) == 1
    assert problems[0].line == 1
    assert problems[0].message.startswith("YAML too large: 1,000,003 characters")
    assert seconds < 0.1


def test_a_nul_byte_is_a_problem_not_an_exception() -> None:
    source, problems, _ = _load("title: a\x00b\n")
    assert source is None
    assert len(problems) == 1
    assert problems[0].file == "bank/x.yaml"
