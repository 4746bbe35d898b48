"""JSON Schema errors as FILE:LINE problems, worded from the schema itself.

The schema is the single description of a file format; this module only translates. The path
of each failing value is looked up in the line-tracking data (`line_at`), the noun phrase after
"must be" is the failing subschema's `description` (or is derived from its keyword), and a
caller-supplied `label` names the thing that holds the value ("criterion 'tone'", "quiz 'x'").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator

from .loader import Invalid, line_at
from .problem import Problem

__all__ = ["Label", "Override", "missing_fields", "schema_problems", "show", "validator_for"]

#: Names the object at a path ((), ("criteria", 2), …) for the start of a message.
Label = Callable[[Any, tuple[Any, ...]], str]
#: Translates one error itself: (line, message) pairs, or None to use the general wording.
Override = Callable[[ValidationError, Any], list[tuple[int, str]] | None]

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "empty",
}


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    # ECMA-262's `$` (the dialect JSON Schema uses) ends the input; Python's `$` also matches
    # before a final newline, which would let "abc\n" pass as a slug.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(
    validator: Validator, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# extend() keeps everything else of Draft 2020-12 (meta schema, format and type checkers).
_Validator: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]  # unannotated in types-jsonschema
    Draft202012Validator, {"pattern": _pattern}
)


def validator_for(schema: Mapping[str, Any]) -> Validator:
    """A Draft 2020-12 validator for `schema` (with ECMA-262 end-of-input `$`)."""
    return _Validator(schema)


def show(value: Any) -> str:
    """A value as a message quotes it: scalars as written, containers by kind."""
    if isinstance(value, Invalid):
        return f"{value.text!r} ({value.reason})"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if value is None:
        return "nothing"
    return repr(value)


def schema_problems(
    validator: Validator,
    data: Any,
    file: str,
    *,
    label: Label,
    override: Override | None = None,
) -> list[Problem]:
    """Every schema error in `data` (line-tracking YAML) as a Problem, in schema order."""
    out: list[Problem] = []
    reported: set[tuple[Any, ...]] = set()  # paths that already have a "must be" problem
    for error in validator.iter_errors(data):
        pairs = override(error, data) if override is not None else None
        if pairs is None:
            pairs = _translate(error, data, label, reported)
        for line, message in pairs:
            problem = Problem(file, line, message)
            if problem not in out:
                out.append(problem)
    return out


def _translate(
    error: ValidationError, doc: Any, label: Label, reported: set[tuple[Any, ...]]
) -> list[tuple[int, str]]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        return _missing(error, doc, path, label)
    if keyword == "additionalProperties" and error.validator_value is False:
        return _unknown(error, doc, path, label)
    if keyword == "not" and error.validator_value == {} and path:  # `{"not": {}}`: forbidden
        where = label(doc, path[:-1])
        return [(line_at(doc, path, key=True), f"{where}: field {path[-1]!r} is not allowed here")]
    if keyword in ("oneOf", "anyOf"):
        if path in reported:  # the value is not even a mapping, and that was said
            return []
        return [(line_at(doc, path), f"{label(doc, path)}: give {_choice(error)}")]
    if keyword == "uniqueItems":
        return _twice(error, doc, path, label)
    if path in reported:
        return []
    reported.add(path)
    return [
        (
            line_at(doc, path),
            f"{_subject(doc, path, label)} must be {_want(error)}, got {show(error.instance)}",
        )
    ]


def _missing(
    error: ValidationError, doc: Any, path: tuple[Any, ...], label: Label
) -> list[tuple[int, str]]:
    where = label(doc, path)
    line = line_at(doc, path)
    return [(line, f"{where}: missing required field {name!r}") for name in missing_fields(error)]


def missing_fields(error: ValidationError) -> list[str]:
    """The names a `required` error's mapping lacks, in the schema's order (one problem each)."""
    # A validator sets both on every error it yields (Unset is only the constructor's default).
    required: Sequence[str] = _keyword_value(error)
    instance: Mapping[str, Any] = _instance(error)
    return [name for name in required if name not in instance]


def _keyword_value(error: ValidationError) -> Any:
    """What the failing keyword is set to in the schema: a JSON value of any shape."""
    value: Any = error.validator_value
    return value


def _instance(error: ValidationError) -> Any:
    """The failing part of the document: a JSON value of any shape."""
    instance: Any = error.instance
    return instance


def _subschema(error: ValidationError) -> Mapping[str, Any]:
    """The failing subschema's keywords; `{}` for a boolean schema, which has none."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _unknown(
    error: ValidationError, doc: Any, path: tuple[Any, ...], label: Label
) -> list[tuple[int, str]]:
    known = list(_subschema(error).get("properties", {}))
    patterns = [re.compile(p) for p in _subschema(error).get("patternProperties", {})]
    where = label(doc, path)
    out = []
    instance: Mapping[Any, Any] = _instance(error)
    for name in instance:
        if name in known or any(p.search(name) for p in patterns):
            continue
        hint = difflib.get_close_matches(str(name), known, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        out.append(
            (line_at(doc, (*path, name), key=True), f"{where}: unknown field {name!r}{extra}")
        )
    return out


def _twice(
    error: ValidationError, doc: Any, path: tuple[Any, ...], label: Label
) -> list[tuple[int, str]]:
    items: Sequence[Any] = _instance(error)
    first = next(j for j in range(len(items)) if items[j] in items[:j])
    name = f"{path[-1]!r}" if path and isinstance(path[-1], str) else "the list"
    where = label(doc, path[:-1]) if path else label(doc, ())
    return [(line_at(doc, (*path, first)), f"{where}: {name} lists {items[first]!r} twice")]


def _subject(doc: Any, path: tuple[Any, ...], label: Label) -> str:
    """What must be something: "scenario: 'title'", "criterion 'x': 'guidelines' item"."""
    if not path:
        return label(doc, ())
    if isinstance(path[-1], str):
        return f"{label(doc, path[:-1])}: {path[-1]!r}"
    holder = path[:-1]
    if holder and isinstance(holder[-1], str):
        return f"{label(doc, holder[:-1])}: {holder[-1]!r} item"
    return f"{label(doc, holder)}: item {path[-1] + 1}"


def _want(error: ValidationError) -> str:
    """The schema's own words for what the value must be."""
    described = _subschema(error).get("description")
    if described:
        return str(described)
    value = _keyword_value(error)
    derived: dict[str, Callable[[], str]] = {
        "type": lambda: " or ".join(_TYPE_WORDS.get(t, t) for t in _listed(value)),
        "enum": lambda: "one of " + ", ".join(str(v) for v in value),
        "const": lambda: repr(value),
        "pattern": lambda: f"text matching {value}",
        "minLength": lambda: f"text of at least {value} characters",
        "maxLength": lambda: f"text of at most {value} characters",
        "minimum": lambda: f"a number >= {value}",
        "maximum": lambda: f"a number <= {value}",
        "exclusiveMinimum": lambda: f"a number > {value}",
        "exclusiveMaximum": lambda: f"a number < {value}",
        "minItems": lambda: f"a list of at least {value}",
        "maxItems": lambda: f"a list of at most {value}",
        "minProperties": lambda: f"a mapping of at least {value} entries",
    }
    make = derived.get(str(error.validator))
    return make() if make is not None else f"valid ({error.message})"


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _choice(error: ValidationError) -> str:
    described = _subschema(error).get("description")
    if described:
        return str(described)
    branches: Sequence[Mapping[str, Any]] = _keyword_value(error)
    names = [" and ".join(map(repr, b.get("required", ()))) or "…" for b in branches]
    return f"either {' or '.join(names)} (exactly one)"
