"""The committed JSON Schema is current and documents every field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.scenario.schema import scenario_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_not_stale() -> None:
    committed = (ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: trustsim schema -o scenarios/schema.json"


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, model in [("<root>", schema), *schema.get("$defs", {}).items()]:
        for prop, body in model.get("properties", {}).items():
            found.append((f"{name}.{prop}", body))
    return found


def test_every_field_has_a_description() -> None:
    schema = scenario_schema()
    missing = [name for name, body in _properties(schema)
               if not body.get("description") and name.split(".")[-1] != "kind"]
    assert missing == []


def test_schema_validates_the_shipped_scenarios() -> None:
    import jsonschema
    import yaml

    validator = jsonschema.Draft202012Validator(scenario_schema())
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(json.loads(json.dumps(data))), key=str)
        assert errors == [], (path, errors[:3])
