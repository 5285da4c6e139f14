"""The JSON Schema of scenario format v1, generated from the pydantic specs."""

from __future__ import annotations

import json
from typing import Any

from .spec import ScenarioSpec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema() -> dict[str, Any]:
    """The schema editors use for completion and hover text (``trustsim schema``)."""
    schema = ScenarioSpec.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema}


def schema_text() -> str:
    """The schema as JSON text. Characters that print as nothing (the invisible ones an id
    may not contain, written into its pattern) are ``\\u`` escapes, so the file shows them."""
    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False, sort_keys=False)
    return "".join(c if c.isprintable() or c == "\n" else json.dumps(c)[1:-1]
                   for c in text) + "\n"
