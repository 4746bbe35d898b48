"""The published JSON Schema and the bank loader agree, because the loader validates with it.

Mutations are generated from the schema itself: for every value of the fixture bank's files,
each rule the schema states about it (required, unknown fields, type, pattern, enum, bounds,
list length, uniqueness, one-of) is broken once. Every mutant must be rejected both by an
off-the-shelf Draft 2020-12 validator on the plain dict and by `load_bank`, whose problem must
point at the line PyYAML's own node marks give for the broken value.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from quizzes import JSON_SCHEMA, BankError, default_bank_root, load_bank, loads_scenario

from .conftest import FIXTURE_BANK

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "authoring.md"
STOCK = {kind: Draft202012Validator(schema) for kind, schema in JSON_SCHEMA.items()}
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when there: same text, faster
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def kind_of(path: Path) -> str:
    return {"rubrics": "rubric", "scenarios": "scenario"}.get(path.parent.name, "quizzes")


def bank_files(root: Path) -> list[Path]:
    found = sorted([*root.glob("rubrics/*.yaml"), *root.glob("scenarios/*.yaml")])
    return [*found, root / "quizzes.yaml"]


# ----------------------------------------------------------------------------- the schema itself


def test_published_schema_is_valid_draft_2020_12_and_plain_json():
    for schema in JSON_SCHEMA.values():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert json.loads(json.dumps(JSON_SCHEMA)) == JSON_SCHEMA


def test_cli_publishes_exactly_the_schema_the_loader_uses():
    out = subprocess.run(
        [sys.executable, "-m", "quizzes", "schema", "scenario"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(out.stdout) == JSON_SCHEMA["scenario"]


@pytest.mark.parametrize("root", [default_bank_root(), FIXTURE_BANK], ids=["bundled", "fixture"])
def test_every_bank_file_validates_against_the_published_schema(root):
    files = bank_files(root)
    assert len(files) >= 3
    for f in files:
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=COMPOSER)
        errors = [e.message for e in STOCK[kind_of(f)].iter_errors(data)]
        assert errors == [], f"{f}: {errors}"


def test_every_example_in_the_authoring_guide_validates_against_the_schema():
    checked = 0
    for block in DOCS.read_text(encoding="utf-8").split("```yaml\n")[1:]:
        text = block.split("```", 1)[0]
        first = text.splitlines()[0]
        if not first.startswith("# file: "):
            continue
        target = Path(first.removeprefix("# file: ").strip())
        errors = list(STOCK[kind_of(target)].iter_errors(yaml.safe_load(text)))
        assert errors == [], f"{target}: {[e.message for e in errors]}"
        checked += 1
    assert checked >= 6


# ----------------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Mutation:
    file: str  # relative to the bank root
    rule: str  # which rule it breaks: "wrong type", "drop required", …
    doc: Any  # the mutated plain document
    path: tuple[Any, ...]  # where the problem must be reported
    at: str  # "value", "key" (of path's last step) or "object" (the mapping at path)

    def __str__(self) -> str:
        return f"{self.file}: {self.rule} at {'.'.join(map(str, self.path)) or 'top'}"


def _walk(inst: Any, schema: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple, Any, dict]]:
    """Every (path, value, subschema) the schema applies to, `if`/`then` resolved."""
    if not isinstance(schema, dict):
        return
    yield path, inst, schema
    for part in schema.get("allOf", ()):
        if "if" not in part:
            yield from _walk(inst, part, path)
        elif Draft202012Validator(part["if"]).is_valid(inst):
            yield from _walk(inst, part["then"], path)
    if isinstance(inst, dict):
        props, extra = schema.get("properties", {}), schema.get("additionalProperties")
        for k, v in inst.items():
            sub = props.get(k, extra if isinstance(extra, dict) else None)
            yield from _walk(v, sub, (*path, k))
    if isinstance(inst, list) and isinstance(schema.get("items"), dict):
        for i, v in enumerate(inst):
            yield from _walk(v, schema["items"], (*path, i))


def _wrong_type(schema: dict) -> Any:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return 12345 if "string" in types else "zz wrong type"


def _breaks(value: Any, schema: dict) -> Iterator[tuple[str, Any]]:
    """(what, replacement) pairs that each break one rule `schema` states about `value`."""
    if "type" in schema:
        yield "wrong type", _wrong_type(schema)
    if "enum" in schema:
        yield "not in enum", "zz-not-a-choice"
    if schema.get("pattern") == r"\S":
        yield "blank text", " \t "
    elif "pattern" in schema:
        yield "not a slug", "Not-A-Slug-"
    if "minimum" in schema:
        yield "below minimum", schema["minimum"] - 1
    if "exclusiveMinimum" in schema:
        yield "not above minimum", schema["exclusiveMinimum"]
    if "maximum" in schema:
        yield "above maximum", schema["maximum"] + 1
    if isinstance(value, list) and "minItems" in schema:
        yield "too short", value[: schema["minItems"] - 1]
    if isinstance(value, list) and value and schema.get("uniqueItems"):
        yield "listed twice", [*value, value[0]]
    if isinstance(value, dict) and schema.get("minProperties"):
        yield "empty mapping", {}


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(doc)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


def _drop(doc: Any, path: tuple[Any, ...], key: str) -> Any:
    out = copy.deepcopy(doc)
    target = out
    for step in path:
        target = target[step]
    del target[key]
    return out


def _mutations_of(file: str, doc: Any, schema: dict) -> Iterator[Mutation]:
    for path, value, sub in _walk(doc, schema, ()):
        if isinstance(value, dict):
            yield from _object_mutations(file, doc, path, value, sub)
        if path:
            for rule, replacement in _breaks(value, sub):
                mutated = _set(doc, path, replacement)
                yield Mutation(file, rule, mutated, _where(path, value, rule), "value")


def _object_mutations(
    file: str, doc: Any, path: tuple[Any, ...], value: dict, sub: dict
) -> Iterator[Mutation]:
    for key in sub.get("required", ()):
        if key in value:
            yield Mutation(file, f"drop required {key!r}", _drop(doc, path, key), path, "object")
    if sub.get("additionalProperties") is False:
        grown = _set(doc, (*path, "zz_unknown_field"), 1)
        yield Mutation(file, "unknown field", grown, (*path, "zz_unknown_field"), "key")
    for branch in sub.get("oneOf", ()):
        for key in branch.get("required", ()):
            if key in value:
                yield Mutation(file, f"drop one-of {key!r}", _drop(doc, path, key), path, "object")


def _where(path: tuple[Any, ...], value: Any, what: str) -> tuple[Any, ...]:
    return (*path, len(value)) if what == "listed twice" else path


def _all_mutations() -> list[Mutation]:
    """One mutation per file, rule and place in the format (the first criterion's level stands
    for every level: the same schema checks them all)."""
    out: dict[tuple[Any, ...], Mutation] = {}
    for f in bank_files(FIXTURE_BANK):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        for m in _mutations_of(str(f.relative_to(FIXTURE_BANK)), doc, JSON_SCHEMA[kind_of(f)]):
            place = tuple("*" if isinstance(step, int) else step for step in m.path)
            out.setdefault((m.file, m.rule, place), m)
    return list(out.values())


MUTATIONS = _all_mutations()


def _expected_line(text: str, path: tuple[Any, ...], at: str) -> int:
    """The line PyYAML's composer (not the bank's loader) gives for `path` in `text`."""
    node = yaml.compose(text, Loader=COMPOSER)
    key_node = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            key_node, node = next((k, v) for k, v in node.value if k.value == step)
        else:
            key_node, node = None, node.value[step]
    mark = key_node if at == "key" else node
    return mark.start_mark.line + 1


def test_mutations_cover_every_file_and_every_kind_of_rule():
    files = {m.file for m in MUTATIONS}
    assert files == {str(f.relative_to(FIXTURE_BANK)) for f in bank_files(FIXTURE_BANK)}
    rules = {m.rule.split(" '")[0] for m in MUTATIONS}
    assert rules >= {
        "drop required",
        "drop one-of",
        "unknown field",
        "wrong type",
        "not in enum",
        "blank text",
        "not a slug",
        "below minimum",
        "not above minimum",
        "above maximum",
        "too short",
        "listed twice",
    }
    assert len(MUTATIONS) > 200


@pytest.fixture(scope="module")
def bank_for(tmp_path_factory: pytest.TempPathFactory):
    """A bank holding the mutated file and what could pile on (kept small: this runs often).

    A rubric comes with every scenario that uses it, a scenario with its rubric, quizzes.yaml
    alone: its mutants are structural, so it never looks for its scenarios.
    """
    made: dict[str, Path] = {}

    def make(file: str) -> Path:
        if file not in made:
            root = tmp_path_factory.mktemp("mutants") / "bank"
            if file.startswith("rubrics/"):
                shutil.copytree(FIXTURE_BANK / "rubrics", root / "rubrics")
                shutil.copytree(FIXTURE_BANK / "scenarios", root / "scenarios")
            else:
                (root / "rubrics").mkdir(parents=True)
                shutil.copy(
                    FIXTURE_BANK / "rubrics" / "patient-confidentiality.yaml", root / "rubrics"
                )
                (root / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(FIXTURE_BANK / file, root / file)
            made[file] = root
        return made[file]

    return make


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_schema_and_loader_reject_each_mutation_at_its_line(mutation: Mutation, bank_for):
    kind = kind_of(Path(mutation.file))
    assert not STOCK[kind].is_valid(mutation.doc), "the mutation did not break the schema"
    root = bank_for(mutation.file)
    target = root / mutation.file
    original = target.read_text(encoding="utf-8")
    text = yaml.dump(mutation.doc, Dumper=DUMPER, sort_keys=False, allow_unicode=True)
    target.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(BankError) as exc:
            load_bank(root)
    finally:
        target.write_text(original, encoding="utf-8")
    mine = [p for p in exc.value.problems if p.file == str(target)]
    assert mine, f"only other files were blamed: {exc.value}"
    assert all(p.file == str(target) for p in exc.value.problems), "other files piled on"
    line = _expected_line(text, mutation.path, mutation.at)
    assert line in [p.line for p in mine], f"expected line {line}:\n{text}\n{exc.value}"


# ----------------------------------------------------------------------------- random text

SCENARIO = (FIXTURE_BANK / "scenarios" / "selfie-reply.yaml").read_text(encoding="utf-8")
PLAIN = yaml.safe_load(SCENARIO)


def _loader_accepts(doc: dict) -> bool:
    try:
        loads_scenario(yaml.dump(doc, Dumper=DUMPER, sort_keys=False, allow_unicode=True))
    except BankError:
        return False
    return True


@given(st.text(alphabet=" \t\u00a0\u2003abc-1", max_size=6))
def test_schema_and_loader_agree_on_any_title(title):
    doc = {**PLAIN, "title": title}
    assert STOCK["scenario"].is_valid(doc) == _loader_accepts(doc)


@given(st.text(alphabet="ab1-_ A", max_size=6))
def test_schema_and_loader_agree_on_any_id(ident):
    doc = {**PLAIN, "id": ident}
    assert STOCK["scenario"].is_valid(doc) == _loader_accepts(doc)
