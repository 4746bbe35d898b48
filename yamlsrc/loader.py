"""A YAML loader that keeps the line of every mapping, key, value and list item.

Validation happens after loading (by JSON Schema or by hand), so the loader's one job is to
remember where things were: the data it returns is plain dicts, lists and scalars that any
validator can read, and `line_at(data, path)` turns the path of a failing value back into the
line an educator has to edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .problem import Problem

__all__ = [
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_EXPANSION",
    "Invalid",
    "Map",
    "Seq",
    "Source",
    "line_at",
    "load",
]

_FAST = getattr(yaml, "CSafeLoader", None)

# Limits that keep hostile YAML cheap to refuse. Real bank files are a few kilobytes, a few
# levels deep and use aliases sparingly; these are orders of magnitude beyond that.
MAX_CHARS = 1_000_000  # one document's text
MAX_DEPTH = 64  # nested mappings / sequences (recursion in the composer and the validators)
MAX_EXPANSION = 10_000  # values reached again through aliases ("billion laughs")


class _Refused(Exception):
    """A limit was exceeded: one problem at `line`, and nothing is loaded."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Map(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key and of each value."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]


class Seq(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


class Invalid:
    """A scalar YAML could not construct (e.g. the date 2026-02-30); validators reject it."""

    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason

    def __repr__(self) -> str:
        return repr(self.text)


@dataclass(frozen=True, slots=True)
class Source:
    """One loaded document: its data and the line that stands for the document as a whole."""

    file: str
    data: Any
    root_line: int = 1

    def line(self, path: Sequence[Any] = (), *, key: bool = True) -> int:
        """Line of the key (or value) at `path`, else of the nearest enclosing one."""
        if not path or not (isinstance(self.data, Map) and _has_key(self.data, path[0])):
            return self.root_line
        return line_at(self.data, path, key=key)


def line_at(data: Any, path: Sequence[Any], *, key: bool = False, default: int = 1) -> int:
    """Line of the value (or, with `key`, the key) at `path` in loaded data.

    A path that leaves the data (a missing field) stops at the deepest part that exists, so a
    "missing field" points at the mapping that lacks it.
    """
    line = getattr(data, "line", default)
    node = data
    for step in path:
        if isinstance(node, Map) and _has_key(node, step):
            line = (node.key_lines if key else node.value_lines).get(step, line)
            node = node[step]
        elif isinstance(node, Seq) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def _has_key(m: Map, key: Any) -> bool:
    try:
        return key in m
    except TypeError:
        return False


def load(
    text: str,
    file: str,
    problems: list[Problem],
    *,
    first_line: int = 1,
    root_line: int = 1,
    syntax_error: str = "invalid YAML",
) -> Source | None:
    """Parse one YAML document; None (and a problem) on a syntax error.

    Duplicate keys, non-text keys and recursive aliases become problems at their line while
    the rest still loads. `first_line` is the file line of the text's first line (front matter
    starts at 2); `syntax_error` begins the message of a syntax error. Text over MAX_CHARS,
    nesting deeper than MAX_DEPTH and aliases that expand to more than MAX_EXPANSION values
    are refused with one problem, in milliseconds, before anything is built.
    """
    if len(text) > MAX_CHARS:
        message = f"YAML too large: {len(text):,} characters (the limit is {MAX_CHARS:,})"
        problems.append(Problem(file, root_line, message))
        return None
    loader: yaml.SafeLoader | None = None
    try:
        _check_depth(text, first_line)
        node, loader = _compose(text)
        if node is None:
            return Source(file, None, root_line)
        build = _Builder(loader, file, first_line, problems)
        return Source(file, build.convert(node), root_line)
    except _Refused as exc:
        problems.append(Problem(file, exc.line, exc.message))
        return None
    except RecursionError:  # a safety net only: _check_depth refuses deep nesting first
        problems.append(Problem(file, root_line, f"YAML nested too deeply (limit {MAX_DEPTH})"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else root_line
        reason = exc.problem or exc.context or "cannot parse"
        problems.append(Problem(file, line, f"{syntax_error}: {reason}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(file, root_line, f"{syntax_error}: {exc}"))
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _check_depth(text: str, first_line: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the (recursive) composer sees it.

    Parser events come from an iterative state machine, so counting them costs no recursion.
    A syntax error ends the count (load() reports it); if libyaml stopped early, PyYAML's
    parser, which the error path uses, is counted too, since it may read further.
    """
    parsers = [_FAST, yaml.SafeLoader] if _FAST is not None else [yaml.SafeLoader]
    for parser in parsers:
        events = parser(text)
        depth = 0
        try:
            while events.check_event():
                kind = type(event := events.get_event())
                if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    depth += 1
                    if depth > MAX_DEPTH:
                        line = first_line + event.start_mark.line
                        raise _Refused(line, f"YAML nested too deeply (limit {MAX_DEPTH} levels)")
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    depth -= 1
            return
        except yaml.YAMLError:
            continue
        finally:
            events.dispose()


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree, and the loader that will construct its scalars.

    libyaml (when PyYAML was built with it) composes several times faster than PyYAML's pure
    Python parser and marks the same lines. On any error the pure parser reads the text again,
    so what is accepted and every message stay exactly PyYAML's.
    """
    if _FAST is not None:
        fast = _FAST(text)
        try:
            return fast.get_single_node(), fast
        except yaml.YAMLError:
            fast.dispose()
    loader = yaml.SafeLoader(text)
    return loader.get_single_node(), loader


class _Builder:
    """Turns composed YAML nodes into Map / Seq / scalars, noting lines and problems."""

    def __init__(
        self, loader: yaml.SafeLoader, file: str, first_line: int, problems: list[Problem]
    ) -> None:
        self.loader = loader
        self.file = file
        self.first_line = first_line
        self.problems = problems
        self.active: set[int] = set()  # nodes being converted: an alias to one is recursive
        self.done: set[int] = set()  # nodes converted once: meeting one again is an alias
        self.again = 0  # nested levels of a conversion reached through an alias
        self.expanded = 0  # values built again through aliases
        self.depth = 0  # nesting of the data being built (aliases can deepen it)

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def convert(self, node: yaml.Node) -> Any:
        if id(node) in self.active:
            self.problems.append(Problem(self.file, self.line(node), "recursive YAML alias"))
            return None
        alias = id(node) in self.done
        self.done.add(id(node))
        self.again += alias
        try:
            if self.again:
                self.expanded += 1
                if self.expanded > MAX_EXPANSION:
                    message = f"YAML aliases expand to more than {MAX_EXPANSION:,} values"
                    raise _Refused(self.line(node), message)
            if isinstance(node, yaml.MappingNode):
                return self._nested(node, self._mapping)
            if isinstance(node, yaml.SequenceNode):
                return self._nested(node, self._sequence)
            return self._scalar(node)
        finally:
            self.again -= alias

    def _nested(self, node: yaml.Node, build: Any) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:  # only aliases can get here: the text itself was checked
            raise _Refused(self.line(node), f"YAML nested too deeply (limit {MAX_DEPTH} levels)")
        self.active.add(id(node))
        try:
            return build(node)
        finally:
            self.active.discard(id(node))
            self.depth -= 1

    def _mapping(self, node: yaml.MappingNode) -> Map:
        self.loader.flatten_mapping(node)  # `<<: *defaults` merges, as PyYAML's own loader does
        m = Map()
        m.line, m.key_lines, m.value_lines = self.line(node), {}, {}
        for key_node, value_node in node.value:
            key_line = self.line(key_node)
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else key_node
            if not isinstance(key, str):
                shown = "a list or mapping" if key is key_node else f"{key!r} (quote it)"
                message = f"keys must be plain text names, got {shown}"
                self.problems.append(Problem(self.file, key_line, message))
                continue
            if key in m:
                self.problems.append(Problem(self.file, key_line, f"duplicate key {key!r}"))
            m[key] = self.convert(value_node)
            m.key_lines[key] = key_line
            m.value_lines[key] = self.line(value_node)
        return m

    def _sequence(self, node: yaml.SequenceNode) -> Seq:
        s = Seq(self.convert(child) for child in node.value)
        s.line = self.line(node)
        s.item_lines = [self.line(child) for child in node.value]
        return s

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            return Invalid(str(node.value), str(exc))
