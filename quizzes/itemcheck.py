"""Item-writing checks: cues that let a test-wise learner find the key without the knowledge.

These are warnings, not errors: a file with warnings is still a valid bank file, and the
import accepts it. `postrx scenarios check` prints them after the errors (`--strict` makes them
fail the check) and the editor's preview lists them. Each warning is a `Problem` naming the
file and line, as the loader's errors do, with lines taken from the same line-tracking YAML
loader.

The key of a `single` item is the option that reaches the top level on every assessed
criterion (with no rubric at hand: the options marked `correct: true`); the key of a `multi`
item is every option marked `correct: true`. Thresholds (see docs/authoring.md):

- the longest option is a key and has more than LONGEST_RATIO x the mean length of the other
  options, in words or in characters (learners see characters);
- across the bank, the key is the longest single-choice option (by characters) in more than
  LONGEST_SHARE of the single items, or the longest half of the options (by characters)
  holds every correct option in more than LONGEST_SHARE of the multi items (only across
  MIN_ITEMS_FOR_SKEW items or more);
- one option position holds more than POSITION_SHARE of the single-choice keys, or in more
  than half of the multi items every correct option comes before every incorrect one (only
  across MIN_ITEMS_FOR_SKEW items or more: below that one item already decides the share);
- a distractor repeats STEM_OVERLAP or more content words of the situation and prompt
  (4+ letters, not stopwords, plurals folded) that no key repeats;
- a distractor uses an absolute word (always, never, ...) that no key uses;
- an option has no feedback;
- a free_text or post_draft debrief has no "**Model answer:**".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .bank import (
    Bank,
    BankError,
    Problem,
    _collect,
    _is_bank_root,
    _parse_yaml,
    loads_rubric,
    loads_scenario,
)
from .model import Option, Rubric, Scenario

__all__ = [
    "ABSOLUTE_WORDS",
    "LONGEST_RATIO",
    "LONGEST_SHARE",
    "MIN_ITEMS_FOR_SKEW",
    "MODEL_ANSWER",
    "POSITION_SHARE",
    "STEM_OVERLAP",
    "check_items",
    "check_paths",
    "check_scenario",
    "format_warning",
    "key_is_longest",
    "keyed_options",
    "longest_half_holds_keys",
]

LONGEST_RATIO = 1.25
# Chance that the key is the longest of four options is 25%; "pick the longest" must not beat
# chance by much across the bank.
LONGEST_SHARE = 0.30
POSITION_SHARE = 0.40
MIN_ITEMS_FOR_SKEW = 5
# Three shared words that the key lacks: one or two are unavoidable (the platform, the person's
# name), three or more means the distractor borrows the stem's wording and the key does not.
STEM_OVERLAP = 3
ABSOLUTE_WORDS: tuple[str, ...] = (
    "always",
    "never",
    "only",
    "all",
    "none",
    "every",
    "completely",
    "guaranteed",
    "zero",
    "nothing",
)
MODEL_ANSWER = "**Model answer:**"
TEXT_TYPES = ("free_text", "post_draft")

_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)*")
# Function words of 4+ letters: sharing them with the stem says nothing about the wording.
_STOPWORD_TEXT = """
    about above after again against almost along also although among another anyone anything
    around away back because been before being below between both cannot come could does doing
    done down during each either else even ever everyone everything from further gets getting
    give given goes going gone have having here hers herself himself into itself just keep know
    last less like made make many maybe might more most much must myself need needs next none
    once only onto other others ought ours ourselves over own really said same says seen should
    since some someone something soon still such take tell than that their theirs them
    themselves then there these they thing things think this those though through till under
    until upon very want well were what whatever when where whether which while whom whose will
    with within without would your yours yourself yourselves
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def format_warning(p: Problem) -> str:
    """`FILE:LINE: warning: message`, so a warning never reads as an error."""
    return f"{p.file}:{p.line}: warning: {p.message}"


# --------------------------------------------------------------------------- words


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _word_count(text: str) -> int:
    return len(_tokens(text))


def _char_count(text: str) -> int:
    """What the learner sees: characters, with runs of whitespace counted as one."""
    return len(" ".join(text.split()))


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _content_words(text: str) -> set[str]:
    out: set[str] = set()
    for tok in _tokens(text):
        if tok.endswith(("'s", "\u2019s")):
            tok = tok[:-2]
        if "'" in tok or "\u2019" in tok or tok.isdigit():
            continue  # contractions (don't, you're) are function words
        if len(tok) >= 4 and tok not in _STOPWORDS:
            out.add(_fold(tok))
    return out


def _absolutes(text: str) -> set[str]:
    return set(_tokens(text)) & set(ABSOLUTE_WORDS)


# --------------------------------------------------------------------------- keys and lines


def keyed_options(scenario: Scenario, rubric: Rubric | None = None) -> tuple[Option, ...]:
    """The options a learner should choose (see the module docstring); () when none is."""
    if scenario.type == "single" and rubric is not None:
        top = []
        for o in scenario.options:
            try:
                best = all(
                    o.level_for(c) == rubric.criterion(c).highest.id for c in scenario.criteria
                )
            except KeyError:
                best = False
            if best:
                top.append(o)
        if top:
            return tuple(top)
    return tuple(o for o in scenario.options if o.correct is True)


class _Lines:
    """Lines of a scenario's fields and options in its YAML (1 when unknown)."""

    def __init__(self, doc: Any = None) -> None:
        self.doc = doc if isinstance(doc, dict) else {}

    @staticmethod
    def _value_line(m: Any, key: str, default: int) -> int:
        line: int = getattr(m, "value_lines", {}).get(key, default)
        return line

    def field(self, key: str) -> int:
        return self._value_line(self.doc, key, getattr(self.doc, "line", 1))

    def option(self, option_id: str, key: str | None = None) -> int:
        opts = self.doc.get("options")
        if not isinstance(opts, list):
            return self.field("options")
        for i, od in enumerate(opts):
            if isinstance(od, dict) and od.get("id") == option_id:
                items = getattr(opts, "item_lines", [])
                line = items[i] if i < len(items) else getattr(od, "line", 1)
                return self._value_line(od, key, line) if key else line
        return self.field("options")


# --------------------------------------------------------------------------- one item


def _where(o: Option) -> str:
    return f"option {o.id!r}"


def check_scenario(
    scenario: Scenario,
    rubric: Rubric | None = None,
    *,
    file: str = "<scenario>",
    doc: Any = None,
) -> list[Problem]:
    """The warnings about one item; `doc` is its line-tracking YAML (bank loader) for lines."""
    lines = _Lines(doc)
    out: list[Problem] = []

    def warn(line: int, message: str) -> None:
        out.append(Problem(file, line, message))

    for o in scenario.options:
        if not (o.feedback or "").strip():
            warn(
                lines.option(o.id, "feedback"),
                f"{_where(o)} has no feedback: say why it is right or wrong",
            )
    if scenario.type in TEXT_TYPES:
        debrief = scenario.debrief or ""
        at = debrief.lower().find(MODEL_ANSWER.lower())
        if at < 0 or not debrief[at + len(MODEL_ANSWER) :].strip():
            warn(
                lines.field("debrief"),
                f"the debrief has no model answer: start a paragraph with {MODEL_ANSWER} "
                "and write the answer you would give full marks",
            )
    if scenario.type not in ("single", "multi") or len(scenario.options) < 2:
        return out
    keys = keyed_options(scenario, rubric)
    if not keys:
        return out
    key_ids = {k.id for k in keys}
    distractors = [o for o in scenario.options if o.id not in key_ids]

    for unit, measure in (("words", _word_count), ("characters", _char_count)):
        counts = {o.id: measure(o.text) for o in scenario.options}
        longest = max(scenario.options, key=lambda o: counts[o.id])
        others = [counts[o.id] for o in scenario.options if o.id != longest.id]
        if longest.id not in key_ids or not all(counts[longest.id] > n for n in others):
            continue
        mean = sum(others) / len(others)
        if counts[longest.id] > LONGEST_RATIO * mean:
            warn(
                lines.option(longest.id, "text"),
                f"{_where(longest)} is a key and the longest option by a wide margin "
                f"({counts[longest.id]} {unit}; the others average {mean:.0f}): test-wise "
                "learners pick the longest option; trim it or flesh out the distractors",
            )
            break  # one warning per item, in words if both measures show it

    stem = _content_words(f"{scenario.situation}\n{scenario.prompt}")
    key_words = set().union(*(_content_words(k.text) for k in keys)) & stem
    key_absolutes = set().union(*(_absolutes(k.text) for k in keys))
    for o in distractors:
        echoed = (_content_words(o.text) & stem) - key_words
        if len(echoed) >= STEM_OVERLAP:
            warn(
                lines.option(o.id, "text"),
                f"{_where(o)} repeats {len(echoed)} words of the situation and prompt that no "
                f"key repeats ({', '.join(sorted(echoed))}): reword it, or let the key echo "
                "the story too",
            )
        absolute = sorted(_absolutes(o.text) - key_absolutes)
        if absolute:
            words = ", ".join(repr(w) for w in absolute)
            warn(
                lines.option(o.id, "text"),
                f"{_where(o)} uses the absolute word(s) {words} and no key does: test-wise "
                "learners rule such options out; qualify the wording or use it in a key too",
            )
    return out


# --------------------------------------------------------------------------- across items


def _skew(items: Sequence[tuple[Scenario, Rubric | None]], file: str) -> list[Problem]:
    out: list[Problem] = []
    positions: Counter[int] = Counter()
    for s, r in items:
        if s.type != "single":
            continue
        keys = {k.id for k in keyed_options(s, r)}
        first = next((i for i, o in enumerate(s.options, 1) if o.id in keys), None)
        if first is not None:
            positions[first] += 1
    total = sum(positions.values())
    if total >= MIN_ITEMS_FOR_SKEW:
        pos, n = max(sorted(positions.items()), key=lambda kv: kv[1])
        if n / total > POSITION_SHARE:
            spread = ", ".join(f"{p}: {c}" for p, c in sorted(positions.items()))
            out.append(
                Problem(
                    file,
                    1,
                    f"option position {pos} holds the key of {n} of {total} single-choice "
                    f"items ({n / total:.0%}; keys by position {spread}): spread the keys over "
                    "the positions",
                )
            )
    eligible = front = 0
    for s, _ in items:
        if s.type != "multi":
            continue
        right = [i for i, o in enumerate(s.options) if o.correct is True]
        wrong = [i for i, o in enumerate(s.options) if o.correct is not True]
        if not right or not wrong:
            continue
        eligible += 1
        front += max(right) < min(wrong)
    if eligible >= MIN_ITEMS_FOR_SKEW and front > eligible / 2:
        out.append(
            Problem(
                file,
                1,
                f"in {front} of {eligible} multi items every correct option comes before "
                "every incorrect one: mix the correct options in among the others",
            )
        )
    return out


def _longest_picks_keys(scenario: Scenario, keys: Sequence[Option], picks: int) -> bool:
    """Choosing the `picks` longest options (by characters) chooses every key.

    Ties go against the learner: a distractor as long as the shortest key is picked first.
    """
    if not keys or len(keys) >= len(scenario.options) or len(keys) > picks:
        return False
    key_ids = {k.id for k in keys}
    shortest = min(_char_count(k.text) for k in keys)
    rivals = sum(
        1 for o in scenario.options if o.id not in key_ids and _char_count(o.text) >= shortest
    )
    return len(keys) + rivals <= picks


def key_is_longest(scenario: Scenario, rubric: Rubric | None = None) -> bool:
    """A single item's key is longer (in characters) than every distractor."""
    return _longest_picks_keys(scenario, keyed_options(scenario, rubric), 1)


def longest_half_holds_keys(scenario: Scenario) -> bool:
    """Picking the longest half (rounded up) of a multi item's options picks every correct one."""
    right = [o for o in scenario.options if o.correct is True]
    return _longest_picks_keys(scenario, right, math.ceil(len(scenario.options) / 2))


def _longest(items: Sequence[tuple[Scenario, Rubric | None]], file: str) -> list[Problem]:
    out: list[Problem] = []
    singles = [(s, r) for s, r in items if s.type == "single" and keyed_options(s, r)]
    hits = [s.id for s, r in singles if key_is_longest(s, r)]
    total = len(singles)
    if total >= MIN_ITEMS_FOR_SKEW and len(hits) / total > LONGEST_SHARE:
        out.append(
            Problem(
                file,
                1,
                f"the key is the longest option (by characters) in {len(hits)} of {total} "
                f"single-choice items ({len(hits) / total:.0%}; chance is about 25%): "
                f"{', '.join(sorted(hits))}: test-wise learners pick the longest option; trim "
                "the keys or give the distractors the same detail",
            )
        )
    multis = [
        s
        for s, _ in items
        if s.type == "multi" and len({o.correct is True for o in s.options}) == 2
    ]
    hits = [s.id for s in multis if longest_half_holds_keys(s)]
    total = len(multis)
    if total >= MIN_ITEMS_FOR_SKEW and len(hits) / total > LONGEST_SHARE:
        out.append(
            Problem(
                file,
                1,
                f"the longest half of the options (by characters) holds every correct option "
                f"in {len(hits)} of {total} multi items ({len(hits) / total:.0%}): "
                f"{', '.join(sorted(hits))}: test-wise learners pick the longest options; "
                "trim the correct options or give the incorrect ones the same detail",
            )
        )
    return out


def _doc(path: Path) -> Any:
    try:
        return _parse_yaml(path.read_text(encoding="utf-8"), str(path), [])
    except (OSError, UnicodeDecodeError):
        return None


def check_items(
    items: Bank | Iterable[Scenario],
    rubrics: Mapping[str, Rubric] | None = None,
    *,
    files: Mapping[str, str | Path] | None = None,
    folder: str | Path | None = None,
) -> list[Problem]:
    """Warnings for every item, then the key-position and key-length checks across all of them.

    A `Bank` brings its rubrics and files (read again for lines). For plain scenarios,
    `rubrics` finds each one's rubric, `files` maps scenario id -> file (lines come from it)
    and `folder` names the bank-wide warnings (default: the files' common folder).
    """
    if isinstance(items, Bank):
        bank = items
        scenarios: list[Scenario] = list(bank.scenarios.values())
        rubrics = bank.rubrics
        files = {s.id: bank.root / "scenarios" / f"{s.id}.yaml" for s in scenarios}
        folder = folder or bank.root / "scenarios"
    else:
        scenarios = list(items)
    rubrics = rubrics or {}
    files = files or {}
    out: list[Problem] = []
    pairs: list[tuple[Scenario, Rubric | None]] = []
    for s in scenarios:
        rubric = rubrics.get(s.rubric)
        path = files.get(s.id)
        doc = _doc(Path(path)) if path is not None else None
        out.extend(check_scenario(s, rubric, file=str(path or s.id), doc=doc))
        pairs.append((s, rubric))
    if folder is None:
        parents = {str(Path(p).parent) for p in files.values()}
        folder = parents.pop() if len(parents) == 1 else "<bank>"
    out.extend(_skew(pairs, str(folder)))
    out.extend(_longest(pairs, str(folder)))
    return out


# --------------------------------------------------------------------------- files and folders


def _within(path: Path, target: Path) -> bool:
    p, t = path.resolve(), target.resolve()
    return p == t or t in p.parents


def _bank_warnings(root: Path, within: Path | None = None) -> list[Problem]:
    bank, _errors = _collect(root)  # the errors are `quizzes.check`'s to report
    files = {s.id: root / "scenarios" / f"{s.id}.yaml" for s in bank.scenarios.values()}
    chosen = [s for s in bank.scenarios.values() if within is None or _within(files[s.id], within)]
    return check_items(
        chosen, bank.rubrics, files={s.id: files[s.id] for s in chosen}, folder=root / "scenarios"
    )


def _loose_warnings(paths: Sequence[Path]) -> list[Problem]:
    """Loose files: rubrics among them grade the scenarios among them (else no rubric)."""
    texts: list[tuple[Path, str, Any]] = []
    for p in paths:
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        data = _parse_yaml(text, str(p), [])
        if isinstance(data, dict):
            texts.append((p, text, data))
    rubrics: dict[str, Rubric] = {}
    for p, text, data in texts:
        if "criteria" in data and "type" not in data:
            try:
                r = loads_rubric(text, str(p))
            except BankError:
                continue
            rubrics[r.id] = r
    scenarios: list[Scenario] = []
    files: dict[str, Path] = {}
    for p, text, data in texts:
        if "type" not in data:
            continue
        try:
            s = loads_scenario(text, str(p), rubric=rubrics.get(str(data.get("rubric"))))
        except BankError:
            continue
        scenarios.append(s)
        files[s.id] = p
    return check_items(scenarios, rubrics, files=files)


def check_paths(paths: Iterable[Path | str]) -> list[Problem]:
    """Warnings for the files and folders `quizzes.check` accepts, read the same way.

    Files with errors are left out (their errors come from `quizzes.check`).
    """
    out: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            continue
        if _is_bank_root(p):
            out.extend(_bank_warnings(p))
        elif p.is_dir() and p.name in ("rubrics", "scenarios") and _is_bank_root(p.parent):
            out.extend(_bank_warnings(p.parent, p))
        elif (
            p.is_file()
            and p.parent.name in ("rubrics", "scenarios")
            and _is_bank_root(p.parent.parent)
        ):
            out.extend(_bank_warnings(p.parent.parent, p))
        elif p.is_file() and p.name == "quizzes.yaml":
            continue
        elif p.is_dir():
            roots = sorted(
                {q.parent for q in p.rglob("quizzes.yaml")}
                | {q.parent for n in ("rubrics", "scenarios") for q in p.rglob(n) if q.is_dir()}
            )
            if roots:
                for r in roots:
                    out.extend(_bank_warnings(r))
            else:
                out.extend(_loose_warnings(sorted(p.rglob("*.yaml"))))
        else:
            out.extend(_loose_warnings([p]))
    seen: set[Problem] = set()
    unique = []
    for w in out:
        if w not in seen:
            seen.add(w)
            unique.append(w)
    return unique
