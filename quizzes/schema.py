"""The JSON Schema of the bank's three file kinds: the one description of their structure.

`python -m quizzes schema` publishes these documents for educators and their editors; the bank
loader validates every file against them (Draft 2020-12, with `jsonschema`) and words each error
from the schema's own `description`s, at the line the YAML loader recorded for the failing value.
What a schema cannot say (a level id exists in the named rubric, options cover the criteria, a
quiz's scenarios belong to its module…) is checked by hand in `quizzes.bank`, after this.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator

from yamlsrc import (
    SLUG_PATTERN,
    Problem,
    line_at,
    missing_fields,
    schema_problems,
    validator_for,
)

from .model import (
    GUIDELINES,
    MODULES,
    PRIVACY_RISKS,
    PROFESSIONS,
    RELEASE_MODES,
    REVIEW_SHOWS,
    RISKS,
    SCENARIO_TYPES,
    Attempts,
    ReviewOptions,
)

__all__ = ["COMMON_FIELDS", "JSON_SCHEMA", "TYPE_FIELDS", "validate"]

QUIZ_ORDERS = ("fixed", "random")
QUIZ_KEEP = ("best", "latest")
QUIZ_REVIEW = ("low-confidence", "all", "none")
COMMON_FIELDS = (
    "id",
    "version",
    "title",
    "type",
    "rubric",
    "profession",
    "platform",
    "module",
    "guidelines",
    "risks",
    "situation",
    "prompt",
    "debrief",
    "criteria",
)
#: type -> (required, optional) fields beyond the common ones.
TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single": (("options",), ()),
    "multi": (("options", "mapping"), ()),
    "free_text": (("concepts",), ("min_words",)),
    "post_draft": (("concepts", "privacy_criterion", "privacy_levels"), ("min_words",)),
}
ALL_TYPE_FIELDS = (
    "options",
    "mapping",
    "min_words",
    "concepts",
    "privacy_criterion",
    "privacy_levels",
)

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ATTEMPTS, _REVIEW = Attempts(), ReviewOptions()  # their defaults are the schema's


def _slug(what: str = "a lowercase slug like 'my-id-2'") -> dict[str, Any]:
    return {"type": "string", "pattern": SLUG_PATTERN, "description": what}


def _slugs(what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": 1,
        "uniqueItems": True,
        "items": _slug(),
        "description": what,
    }


def _whole(minimum: int, default: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if default is not None:
        out["default"] = default
    return {**out, "description": f"a whole number >= {minimum}"}


def _enum(values: tuple[str, ...], default: str | None = None) -> dict[str, Any]:
    return {"enum": list(values)} | ({"default": default} if default is not None else {})


# Forbids a field (as `false` would; jsonschema loses the path of a `false` subschema's error).
_UNUSED = {"not": {}, "$comment": "not used by this scenario type"}
_TEXT = {"type": "string", "pattern": r"\S", "description": "text (not blank)"}
_BOOL = {"type": "boolean", "description": "true or false"}
_LEVEL_ID = _slug("a level id (a lowercase slug)")
_GUIDELINES = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {
        "type": "integer",
        "minimum": min(GUIDELINES),
        "maximum": max(GUIDELINES),
        "description": f"a guideline number {min(GUIDELINES)}..{max(GUIDELINES)}",
    },
    "description": f"a non-empty list of guideline numbers {min(GUIDELINES)}..{max(GUIDELINES)}",
}
_PHRASES = {
    "type": "array",
    "minItems": 1,
    "items": {**_TEXT, "description": "a phrase (text, not blank)"},
    "description": "a non-empty list of phrases",
}


def _object(required: list[str], properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    """An object schema in the order errors should be reported: unknown, missing, values."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        **more,
        "properties": properties,
    }


def _rules(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": {
            "type": "array",
            "minItems": 1,
            "items": rule,
            "description": "a non-empty list of rules",
        },
        "description": "a mapping from criterion id to rules",
    }


# --------------------------------------------------------------------------- rubric

_LEVEL = _object(
    ["id", "points", "descriptor", "feedback"],
    {
        "id": _slug(),
        "points": {"type": "number", "minimum": 0, "description": "a number >= 0"},
        "descriptor": _TEXT,
        "feedback": _TEXT,
    },
)
_CRITERION = _object(
    ["id", "title", "guidelines", "weight", "levels"],
    {
        "id": _slug(),
        "title": _TEXT,
        "guidelines": _GUIDELINES,
        "weight": {"type": "number", "exclusiveMinimum": 0, "description": "a number > 0"},
        "critical": {**_BOOL, "default": False},
        "levels": {
            "type": "array",
            "minItems": 2,
            "items": _LEVEL,
            "description": "a list of 2+ levels, lowest first",
        },
    },
)
_RUBRIC: dict[str, Any] = {
    "$schema": _DIALECT,
    "$id": "https://postrx.example/schema/rubric.json",
    "title": "PostRx rubric",
    "$comment": (
        "Also checked by the bank loader: criterion and level ids are unique, the first level "
        "has 0 points and points increase strictly, the id matches the file name."
    ),
    **_object(
        ["id", "version", "title", "criteria"],
        {
            "id": _slug(),
            "version": _whole(1),
            "title": _TEXT,
            "description": {"type": "string", "description": "text"},
            "criteria": {
                "type": "array",
                "minItems": 1,
                "items": _CRITERION,
                "description": "a non-empty list of criteria",
            },
        },
    ),
}

# --------------------------------------------------------------------------- scenario


def _options(kind: str) -> dict[str, Any]:
    properties: dict[str, Any] = {"id": _slug(), "text": _TEXT, "feedback": _TEXT}
    if kind == "single":
        properties["levels"] = {
            "type": "object",
            "additionalProperties": _LEVEL_ID,
            "description": "a mapping from each assessed criterion to a level id",
        }
    properties["correct"] = _BOOL
    properties["pinned"] = {**_BOOL, "default": False}
    last = "levels" if kind == "single" else "correct"
    return {
        "type": "array",
        "minItems": 2,
        "items": _object(["id", "text", "feedback", last], properties),
        "description": "a list of 2+ options",
    }


_WHEN = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        k: {
            "type": "array",
            "minItems": 1,
            "items": _slug("an option id"),
            "description": "a non-empty list of option ids",
        }
        for k in ("all", "any", "none")
    },
    "description": "a mapping with at least one of all / any / none",
}
_MULTI_RULE = _object(["level"], {"when": _WHEN, "level": _LEVEL_ID})
_CONCEPT_RULE = _object(
    ["level"],
    {
        "level": _LEVEL_ID,
        "phrases": _PHRASES,
        "all_of": {
            "type": "array",
            "minItems": 1,
            "items": _PHRASES,
            "description": "a non-empty list of phrase lists",
        },
    },
)
_PRIVACY_LEVELS = {
    **_object(list(PRIVACY_RISKS), dict.fromkeys(PRIVACY_RISKS, _LEVEL_ID)),
    "description": f"a mapping from risk ({'/'.join(PRIVACY_RISKS)}) to a level id",
}


def _when_type(*types: str) -> dict[str, Any]:
    return {"required": ["type"], "properties": {"type": {"enum": list(types)}}}


def _only(*fields: str) -> dict[str, Any]:
    """The type fields a type does not use, forbidden."""
    return {f: _UNUSED for f in ALL_TYPE_FIELDS if f not in fields}


_SCENARIO: dict[str, Any] = {
    "$schema": _DIALECT,
    "$id": "https://postrx.example/schema/scenario.json",
    "title": "PostRx scenario",
    "$comment": (
        "Also checked by the bank loader: the rubric exists and has every criterion listed, the "
        "guidelines are measured by those criteria, every option, rule and privacy level names "
        "levels the rubric has, options cover every criterion, rules name existing options and "
        "end with a default, phrases are well formed, the id matches the file name."
    ),
    "type": "object",
    "additionalProperties": False,
    "required": list(COMMON_FIELDS),
    "properties": {
        "id": _slug(),
        "version": _whole(1),
        "title": _TEXT,
        "type": _enum(SCENARIO_TYPES),
        "rubric": _slug(),
        "profession": _enum(PROFESSIONS),
        "platform": _TEXT,
        "module": {
            "enum": [*MODULES, "final"],
            "description": f"a module slug ({', '.join(MODULES)}) or 'final'",
        },
        "guidelines": _GUIDELINES,
        "risks": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": _enum(RISKS),
            "description": "a non-empty list of risk slugs",
        },
        "situation": _TEXT,
        "prompt": _TEXT,
        "debrief": _TEXT,
        "criteria": _slugs("a non-empty list of criterion ids"),
        **{key: {} for key in ALL_TYPE_FIELDS},  # any value; the type's `then` says which
    },
    "allOf": [
        {
            "if": _when_type("single"),
            "then": {
                "required": ["options"],
                "properties": _only("options") | {"options": _options("single")},
            },
        },
        {
            "if": _when_type("multi"),
            "then": {
                "required": ["options", "mapping"],
                "properties": _only("options", "mapping")
                | {"options": _options("multi"), "mapping": _rules(_MULTI_RULE)},
            },
        },
        {
            "if": _when_type("free_text", "post_draft"),
            "then": {
                "required": ["concepts"],
                "properties": {
                    "options": _UNUSED,
                    "mapping": _UNUSED,
                    "min_words": _whole(0, default=0),
                    "concepts": _rules(_CONCEPT_RULE),
                },
            },
        },
        {
            "if": _when_type("free_text"),
            "then": {"properties": {"privacy_criterion": _UNUSED, "privacy_levels": _UNUSED}},
        },
        {
            "if": _when_type("post_draft"),
            "then": {
                "required": ["privacy_criterion", "privacy_levels"],
                "properties": {
                    "privacy_criterion": _slug("a criterion id"),
                    "privacy_levels": _PRIVACY_LEVELS,
                },
            },
        },
    ],
}

# --------------------------------------------------------------------------- quizzes.yaml

_SLOT = _object(
    ["from"],
    {"title": _TEXT, "from": _slugs("a non-empty list of scenario ids"), "pick": _whole(1, 1)},
)
_QUIZ = _object(
    ["id", "title", "pass_mark"],
    {
        "id": _slug(),
        "title": _TEXT,
        "module": {"enum": list(MODULES), "description": f"a module slug ({', '.join(MODULES)})"},
        "final": _BOOL,
        "scenarios": _slugs("a non-empty list of scenario ids"),
        "draw": {
            "type": "array",
            "minItems": 1,
            "items": _SLOT,
            "description": "a non-empty list of slots",
        },
        "pass_mark": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "a fraction between 0 and 1",
        },
        "order": _enum(QUIZ_ORDERS, "fixed"),
        "attempts": _object(
            [],
            {
                "max": _whole(1, _ATTEMPTS.max),
                "cooldown_hours": {
                    "type": "number",
                    "minimum": 0,
                    "default": _ATTEMPTS.cooldown_hours,
                    "description": "a number >= 0",
                },
                "keep": _enum(QUIZ_KEEP, _ATTEMPTS.keep),
            },
        ),
        "review": _enum(QUIZ_REVIEW, "low-confidence"),
        "review_options": _object(
            [],
            {
                "failed": _enum(REVIEW_SHOWS, _REVIEW.failed),
                "passed": _enum(REVIEW_SHOWS, _REVIEW.passed),
                "exhausted": _enum(REVIEW_SHOWS, _REVIEW.exhausted),
            },
        ),
        "release": _enum(RELEASE_MODES, "confirmed"),
    },
    allOf=[
        {
            "description": "either 'module' or 'final: true' (exactly one)",
            "oneOf": [
                {"required": ["module"]},
                {"required": ["final"], "properties": {"final": {"const": True}}},
            ],
        },
        {
            "description": "either 'scenarios' or 'draw' (exactly one)",
            "oneOf": [{"required": ["scenarios"]}, {"required": ["draw"]}],
        },
    ],
)
_QUIZZES: dict[str, Any] = {
    "$schema": _DIALECT,
    "$id": "https://postrx.example/schema/quizzes.json",
    "title": "PostRx quizzes.yaml",
    "$comment": (
        "Also checked by the bank loader: quiz ids are unique, every scenario exists and belongs "
        "to the quiz's module, a scenario is in one slot only, a slot picks no more than it has, "
        "the final assessment covers all seven guidelines whatever is drawn."
    ),
    **_object(
        ["quizzes"],
        {
            "quizzes": {
                "type": "array",
                "minItems": 1,
                "items": _QUIZ,
                "description": "a non-empty list of quizzes",
            }
        },
    ),
}

JSON_SCHEMA: dict[str, dict[str, Any]] = {
    "rubric": _RUBRIC,
    "scenario": _SCENARIO,
    "quizzes": _QUIZZES,
}

# --------------------------------------------------------------------------- errors → problems


@cache
def _validator(kind: str) -> Validator:
    return validator_for(JSON_SCHEMA[kind])


def validate(kind: str, data: Any, file: str) -> list[Problem]:
    """Structural problems of one loaded file (`kind`: rubric, scenario or quizzes)."""
    label, override = _LABELS[kind], _scenario_override if kind == "scenario" else None
    return schema_problems(_validator(kind), data, file, label=label, override=override)


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            doc = doc[step]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def _named(noun: str, doc: Any, path: tuple[Any, ...]) -> str:
    """ "option 'c'" when the item has a usable id, else "option 2"."""
    item = _at(doc, path)
    ident = item.get("id") if isinstance(item, dict) else None
    return f"{noun} {ident!r}" if isinstance(ident, str) else f"{noun} {path[-1] + 1}"


def _fallback(label: Any, doc: Any, path: tuple[Any, ...]) -> str:
    step = path[-1]
    return f"{label(doc, path[:-1])} {step if isinstance(step, str) else f'item {step + 1}'}"


def _rubric_label(doc: Any, path: tuple[Any, ...]) -> str:
    match path:
        case ():
            return "rubric"
        case ("criteria", int()):
            return _named("criterion", doc, path)
        case ("criteria", int(), "levels", int()):
            return f"{_rubric_label(doc, path[:2])} {_named('level', doc, path)}"
    return _fallback(_rubric_label, doc, path)


def _scenario_label(doc: Any, path: tuple[Any, ...]) -> str:
    match path:
        case ():
            return "scenario"
        case ("options", int()):
            return _named("option", doc, path)
        case (("mapping" | "concepts") as key, str(cid)):
            return f"{key} for {cid!r}"
        case (("mapping" | "concepts"), str(), int(i)):
            return f"{_scenario_label(doc, path[:2])} rule {i + 1}"
        case (("mapping" | "concepts"), str(), int(), str(key)):
            return f"{_scenario_label(doc, path[:3])} {key!r}"
        case ("concepts", str(), int(), "all_of", int(j)):
            return f"{_scenario_label(doc, path[:4])} group {j + 1}"
    return _fallback(_scenario_label, doc, path)


def _quizzes_label(doc: Any, path: tuple[Any, ...]) -> str:
    match path:
        case ():
            return "quizzes.yaml"
        case ("quizzes", int()):
            return _named("quiz", doc, path)
        case ("quizzes", int(), "draw", int(j)):
            return f"{_quizzes_label(doc, path[:2])} slot {j + 1}"
    return _fallback(_quizzes_label, doc, path)


_LABELS = {"rubric": _rubric_label, "scenario": _scenario_label, "quizzes": _quizzes_label}


def _scenario_override(error: ValidationError, doc: Any) -> list[tuple[int, str]] | None:
    """Two messages clearer in the scenario's own terms than in the schema's."""
    path = tuple(error.absolute_path)
    if error.validator == "not" and len(path) == 1 and isinstance(doc, dict):
        line = line_at(doc, path, key=True)
        return [(line, f"scenario: field {path[0]!r} is not used by type {doc.get('type')!r}")]
    if error.validator == "required" and path == ("privacy_levels",):
        line = line_at(doc, path)
        return [
            (line, f"scenario: privacy_levels gives no level for risk {risk!r}")
            for risk in missing_fields(error)
        ]
    return None
