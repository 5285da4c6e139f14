"""The editor schema (scenarios/schema.json) and the loader agree.

Editors read a scenario as YAML 1.2 (``yes`` and ``007`` stay as written) and check it
against the JSON Schema; the loader reads it the same way (simulator.scenario.yamlsource).
So both are given the same values here: what the loader's YAML reader makes of a file, as
plain JSON. The ``jsonschema`` package is the reference validator.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from simulator import ScenarioError, load_scenario
from simulator.scenario.loader import dotted, load_scenario_text
from simulator.scenario.schema import scenario_schema, schema_text
from simulator.scenario.spec import GroupRef, Id, ShortText, Text
from simulator.scenario.text import ID_FORBIDDEN, ID_PATTERN, TEXT_PATTERN
from simulator.scenario.yamlsource import YamlProblem, load_yaml

ROOT = Path(__file__).resolve().parents[2]
INVALID = sorted((Path(__file__).parent / "invalid").glob("*.yaml"))
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(scenario_schema())

MINIMAL = """version: 1
title: Minimal
brief: Lead the team.
turns: 10
player: maya
teams:
  - {id: support, name: Support}
people:
  - {id: maya, name: Maya, role: manager, team: support}
  - {id: tomas, name: Tomas, team: support, manager: maya}
"""


def as_editors_see_it(text: str) -> Any:
    """The file's values as plain JSON, read with YAML 1.2 rules (as the loader does)."""
    data, _, _ = load_yaml(text, "<test>")
    return json.loads(json.dumps(data))


def schema_errors(text: str) -> list[str]:
    """The dotted paths at which ``jsonschema`` refuses the file."""
    return sorted(dotted(tuple(e.absolute_path))
                  for e in VALIDATOR.iter_errors(as_editors_see_it(text)))


def loader_problems(text: str) -> list[str]:
    try:
        load_scenario_text(text, "<test>")
    except ScenarioError as exc:
        return [str(p) for p in exc.problems]
    return []


def _id_problem(message: str, path: str) -> bool:
    last = path.rsplit(".", 1)[-1].split("[")[0]
    return "is not a valid id" in message or (
        last in {"id", "team", "manager", "player", "by", "to", "who", "in"}
        and "characters" in message)


def test_the_schema_is_a_valid_2020_12_schema_with_patterns_python_reads() -> None:
    jsonschema.Draft202012Validator.check_schema(scenario_schema())
    assert "\\p{" not in schema_text()
    assert '"pattern"' in schema_text()
    ids = [body for name, body in _properties(scenario_schema()) if name.endswith(".id")]
    assert ids and all(body.get("pattern") == ID_PATTERN for body in ids)


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, model in [("<root>", schema), *schema.get("$defs", {}).items()]:
        for prop, body in model.get("properties", {}).items():
            found.append((f"{name}.{prop}", body))
    return found


def _refused_for_an_id(path: Path) -> list[str]:
    """The paths at which the loader refuses ``path`` for an id (bad character, length)."""
    try:
        load_scenario(str(path))
    except ScenarioError as exc:
        return [p.path for p in exc.problems
                if p.kind == "schema" and _id_problem(p.message, p.path)]
    return []


ID_CASES = [(path, refused) for path in INVALID if (refused := _refused_for_an_id(path))]


def test_the_invalid_folder_has_id_cases() -> None:
    """Several kinds of bad id are among the invalid files (a space, a zero-width space, a
    tag character, a colon, a trailing newline, too long)."""
    assert len(ID_CASES) >= 6, [path.stem for path, _ in ID_CASES]


@pytest.mark.parametrize(("path", "refused"), ID_CASES, ids=[p.stem for p, _ in ID_CASES])
def test_every_file_refused_for_an_id_is_refused_by_the_schema_too(
        path: Path, refused: list[str]) -> None:
    errors = schema_errors(path.read_text(encoding="utf-8"))
    for where in refused:
        assert where in errors, (where, errors)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_passes_both(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert loader_problems(text) == []
    assert schema_errors(text) == []


# -- numbers where text is expected, numbers where whole numbers are expected ------------------

@pytest.mark.parametrize("changes", [
    [("name: Tomas", "name: 2024")],
    [("name: Support", "name: 007"), ("title: Minimal", "title: 1.10")],
    [("id: support", "id: 007"), ("team: support", "team: 007")],
    [("id: support", "id: 1.5"), ("team: support", "team: '1.5'")],
    [("id: tomas", "id: 0x1F")],
    [("brief: Lead the team.", "brief: 42")],
])
def test_numbers_written_as_text_pass_both(changes: list[tuple[str, str]]) -> None:
    text = MINIMAL
    for old, new in changes:
        text = text.replace(old, new)
    assert text != MINIMAL
    assert loader_problems(text) == []
    assert schema_errors(text) == []


@pytest.mark.parametrize("value", ["8.0", "8", "1e1", "10.00"])
def test_a_whole_number_with_a_point_passes_both(value: str) -> None:
    text = MINIMAL.replace("turns: 10", f"turns: {value}")
    assert loader_problems(text) == []
    assert schema_errors(text) == []
    assert load_scenario_text(text).setup.turns == round(float(value))


@pytest.mark.parametrize("value", ["8.5", "true", "'8'", "ten", "0", "1001.0", ".inf"])
def test_a_number_that_is_not_a_turn_is_refused_by_both(value: str) -> None:
    text = MINIMAL.replace("turns: 10", f"turns: {value}")
    assert any(":4:8: turns:" in p for p in loader_problems(text)), loader_problems(text)
    if value != ".inf":  # not a JSON value: an editor reports the YAML itself
        assert "turns" in schema_errors(text)


def test_capacity_and_params_follow_the_same_rule() -> None:
    text = MINIMAL.replace("turns: 10", "turns: 10\ncapacity: 3.0\nparams:\n"
                           "  promise_due_default: 4.0")
    assert loader_problems(text) == [] and schema_errors(text) == []
    half = text.replace("capacity: 3.0", "capacity: 2.5")
    assert any("capacity" in p for p in loader_problems(half))
    assert "capacity" in schema_errors(half)


# -- control characters, in texts and ids ----------------------------------------------------

@pytest.mark.parametrize("escape", ["\\e]0;PWNED\\a", "\\x9b2J", "\\u202e", "\\x7f", "\\r",
                                    "\\x00", "\\u2066", "\\u200f", "\\u061c", "\\x85"])
@pytest.mark.parametrize("field", ["title", "brief", "name"])
def test_a_control_character_in_a_text_is_refused_by_both(escape: str, field: str) -> None:
    if field == "name":
        text = MINIMAL.replace("name: Tomas", f'name: "Tomas {escape}"')
        path = "people[1].name"
    else:
        old = {"title": "title: Minimal", "brief": "brief: Lead the team."}[field]
        text = MINIMAL.replace(old, f'{field}: "x {escape} y"')
        path = field
    assert any(f": {path}: contains U+" in p for p in loader_problems(text)), \
        loader_problems(text)
    assert path in schema_errors(text)


def test_newlines_and_tabs_in_texts_pass_both() -> None:
    text = MINIMAL.replace("brief: Lead the team.", 'brief: "Lead\\n\\tthe team."')
    assert loader_problems(text) == [] and schema_errors(text) == []


# -- the id rule itself, character by character ----------------------------------------------

_ID_SCHEMA = {"type": ["string", "number"], "pattern": ID_PATTERN, "minLength": 1,
              "maxLength": 64}
_ID = TypeAdapter(Id)
_GROUP = TypeAdapter(GroupRef)


def _loader_takes(adapter: TypeAdapter[str], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


_CHARS = st.characters(codec="utf-8") | st.sampled_from(
    ["\u200b", "\u202e", "\u2066", "\x1b", "\x9b", "\ufeff", "\U000e0041", "\ue000",
     "\U000f0001", "\u00ad", " ", "\u3000", "\n", "\t", ":", "*", ",", "#", "'", '"'])


@settings(max_examples=400, deadline=None)
@given(st.text(_CHARS, min_size=0, max_size=20))
def test_the_id_pattern_and_the_loader_agree_on_any_text(value: str) -> None:
    nfc = unicodedata.normalize("NFC", value)
    schema_takes = jsonschema.Draft202012Validator(_ID_SCHEMA).is_valid(nfc)
    assert _loader_takes(_ID, value) == schema_takes, repr(value)


def test_every_invisible_character_is_refused_in_an_id() -> None:
    """ID_FORBIDDEN lists, range by range, every control, format, surrogate, private use
    and space character this Python's Unicode database knows: a newer Unicode that adds a
    format character fails here, and the character is added to the list."""
    import re

    forbidden = re.compile(f"[{ID_FORBIDDEN}]")
    missing = [f"U+{cp:04X}" for cp in range(0x110000)
               if unicodedata.category(chr(cp)) in {"Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"}
               and not forbidden.match(chr(cp))]
    assert missing == []


@pytest.mark.parametrize("value", ["tomas", "Tomás", "007", "p-1_b.c", "张伟", "a😀"])
def test_good_ids(value: str) -> None:
    assert _loader_takes(_ID, value)
    assert jsonschema.Draft202012Validator(_ID_SCHEMA).is_valid(value)


@pytest.mark.parametrize("value", ["", "tomas ruiz", "a\u200bb", "a\U000e0041", "tomas\n",
                                   "a:b", "a\x1b", "x" * 65, "*"])
def test_bad_ids(value: str) -> None:
    assert not _loader_takes(_ID, value)
    assert not jsonschema.Draft202012Validator(_ID_SCHEMA).is_valid(value)


def test_everyone_is_a_group_but_not_an_id() -> None:
    assert _loader_takes(_GROUP, "*") and not _loader_takes(_ID, "*")
    assert not _loader_takes(_GROUP, "**")


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, max_size=30))
def test_the_text_pattern_and_the_loader_agree_on_any_text(value: str) -> None:
    schema = {"type": ["string", "number"], "pattern": TEXT_PATTERN, "maxLength": 20_000}
    takes = jsonschema.Draft202012Validator(schema).is_valid(value)
    try:
        TypeAdapter(Text).validate_python(value)
    except ValidationError:
        loader = False
    else:
        loader = True
    assert loader == takes, repr(value)
    if value:
        try:
            TypeAdapter(ShortText).validate_python(value)
        except ValidationError:
            assert not takes
        else:
            assert takes


def test_a_duplicate_yaml_anchor_names_both_places() -> None:
    text = MINIMAL.replace("- {id: maya,", "- &a {id: maya,").replace(
        "- {id: tomas,", "- &a {id: tomas,")
    with pytest.raises(YamlProblem) as info:
        load_yaml(text, "f.yaml")
    message = str(info.value.problem)
    assert message.startswith("f.yaml:10:5: ")
    assert "&a" in message and "line 9, column 5" in message and "line 10, column 5" in message
