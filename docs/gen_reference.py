"""Print the field reference of docs/authoring.md from the scenario format's JSON Schema.

The reference is generated, never edited by hand: the pydantic specs in
``simulator/scenario/spec.py`` are the one place every field of the scenario format is
declared, with its description; ``simulator.scenario.schema.scenario_schema()`` turns them
into the JSON Schema that editors read, and this script turns that schema into Markdown
(every model in ``$defs``, every property with its type, default and description).
The text between the ``reference:start`` and ``reference:end`` markers of
docs/authoring.md must equal what :func:`reference_markdown` returns.

Usage (from the repository root)::

    python docs/gen_reference.py            # print the reference
    python docs/gen_reference.py --write    # replace the reference in docs/authoring.md
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from simulator.scenario.schema import scenario_schema

START = "<!-- reference:start -->"
END = "<!-- reference:end -->"
AUTHORING_MD = Path(__file__).resolve().parent / "authoring.md"

#: The heading of the top-level model (it is the schema itself, not one of its $defs).
TOP = "Scenario"

_REF = "#/$defs/"


def _ref_name(ref: str) -> str:
    return ref[len(_REF):] if ref.startswith(_REF) else ref


def _anchor(name: str) -> str:
    """The GitHub-style anchor of the heading ``#### `name` ``."""
    return re.sub(r"[^a-z0-9_-]", "", name.lower().replace(" ", "-"))


def _link(name: str) -> str:
    return f"[`{name}`](#{_anchor(name)})"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _flow(value: Any) -> str:
    """A default value as it would be written in YAML flow style."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, int | float):
        return _number(value)
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if text == "" else text


def _range(schema: dict[str, Any]) -> str:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if lo is not None and hi is not None:
        if hi >= 2**62:
            return f" ({_number(lo)} or more)"
        return f" from {_number(lo)} to {_number(hi)}"
    if lo is not None:
        return f" ({_number(lo)} or more)"
    if hi is not None:
        return f" (at most {_number(hi)})"
    return ""


def _length(schema: dict[str, Any], unit: str) -> str:
    lo, hi = schema.get("minLength", schema.get("minItems")), \
        schema.get("maxLength", schema.get("maxItems"))

    def units(n: int) -> str:
        return f"{n} {unit}" if n == 1 else f"{n} {unit}s"

    if lo and hi:
        return f", {lo} to {units(hi)}" if lo != hi else f", exactly {units(lo)}"
    if lo:
        return f", at least {units(lo)}"
    if hi:
        return f", at most {units(hi)}"
    return ""


def _grouped(text: str) -> str:
    """``text`` in brackets if it has commas of its own (so a list's words stay clear)."""
    return f"({text})" if "," in text else text


def type_text(schema: dict[str, Any]) -> str:
    """A property's type in plain words (models are linked to their own section)."""
    if "$ref" in schema:
        return _link(_ref_name(schema["$ref"]))
    if "const" in schema:
        return f"always `{_flow(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{_flow(v)}`" for v in schema["enum"])
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf") or []
        parts = [type_text(o) for o in options if o.get("type") != "null"]
        text = " or ".join(parts)
        if any(o.get("type") == "null" for o in options):
            text += ", or `null`"
        return text
    kind = schema.get("type")
    if isinstance(kind, list) and "string" in kind:
        kind = "string"  # text, where a number is read as the text it is written as
    if kind == "string":
        text = "text" + _length(schema, "character")
        # short patterns (a language code) are shown; the long ones (ids, texts: no
        # control or invisible characters) are said in words in "Checking"
        pattern = schema.get("pattern", "").replace("$(?!\\n)", "$")
        if pattern and len(pattern) <= 40:
            text += f", matching `{pattern}`"
        return text
    if kind == "integer":
        return "whole number" + _range(schema)
    if kind == "number":
        return "number" + _range(schema)
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "array":
        if "prefixItems" in schema:
            items = [type_text(i) for i in schema["prefixItems"]]
            if len(set(items)) == 1:
                return f"list of exactly {len(items)} items, each {_grouped(items[0])}"
            return "list of exactly " + "; ".join(_grouped(i) for i in items)
        items = schema.get("items", {})
        if "discriminator" in items:
            mapping = items["discriminator"].get("mapping", {})
            kinds = ", ".join(f"`{k}`: {_link(_ref_name(v))}" for k, v in mapping.items())
            return (f"list{_length(schema, 'item')}; each item's "
                    f"`{items['discriminator'].get('propertyName', 'kind')}` picks its shape "
                    f"({kinds})")
        return f"list of {_grouped(type_text(items))}{_length(schema, 'item')}"
    if kind == "object":
        return "mapping"
    return "any value"


def _default_text(name: str, prop: dict[str, Any], required: set[str]) -> str:
    if name in required:
        return "**required**"
    if "default" not in prop or prop["default"] is None:
        return "optional"
    return f"`{_flow(prop['default'])}`"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _refs(schema: Any) -> Iterator[str]:
    """Every $defs name referenced inside ``schema``, in document order."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                yield _ref_name(value)
            elif key == "mapping" and isinstance(value, dict):
                yield from (_ref_name(v) for v in value.values())
            else:
                yield from _refs(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _refs(item)


def model_order(schema: dict[str, Any]) -> list[str]:
    """The $defs models in reading order: as first met walking from the top, then the rest."""
    defs = schema.get("$defs", {})
    order: list[str] = []
    queue = list(_refs(schema.get("properties", {})))
    while queue:
        name = queue.pop(0)
        if name in order or name not in defs:
            continue
        order.append(name)
        queue[0:0] = [n for n in _refs(defs[name].get("properties", {})) if n not in order]
    order += [name for name in defs if name not in order]
    return order


def _model_section(name: str, model: dict[str, Any]) -> list[str]:
    lines = [f"#### `{name}`", ""]
    if model.get("description"):
        lines += [_cell(model["description"]), ""]
    properties: dict[str, Any] = model.get("properties", {})
    required = set(model.get("required", []))
    if not properties:
        return [*lines, "(no fields)", ""]
    lines += ["| field | type | required / default | description |",
              "| --- | --- | --- | --- |"]
    for prop_name, prop in properties.items():
        description = prop.get("description") or (
            "Says which kind of item this is." if "const" in prop else "–")
        lines.append(f"| `{prop_name}` | {_cell(type_text(prop))} | "
                     f"{_default_text(prop_name, prop, required)} | {_cell(description)} |")
    return [*lines, ""]


def reference_markdown() -> str:
    """The Markdown field reference: the top-level fields, then every model of ``$defs``."""
    schema = scenario_schema()
    lines = [f"Generated from the JSON Schema of the format (`trustsim schema`) by "
             f"`docs/gen_reference.py`: {len(schema.get('$defs', {})) + 1} parts, "
             "each with its fields. Types in words: *text*, *number* (a decimal or whole "
             "number), *whole number*, `true` or `false`, a *list* (`[a, b]` or one `- item` "
             "a line) or a mapping described in its own part (linked).", ""]
    lines += _model_section(TOP, schema)
    defs = schema.get("$defs", {})
    for name in model_order(schema):
        lines += _model_section(name, defs[name])
    return "\n".join(lines).rstrip("\n") + "\n"


def between_markers(text: str) -> str:
    """The text between the markers of ``text`` (without the newlines next to them)."""
    start = text.index(START) + len(START)
    end = text.index(END, start)
    return text[start:end].strip("\n") + "\n"


def write(path: Path = AUTHORING_MD) -> None:
    """Replace the reference between the markers of ``path`` with a fresh one."""
    text = path.read_text(encoding="utf-8")
    start = text.index(START) + len(START)
    end = text.index(END, start)
    path.write_text(text[:start] + "\n" + reference_markdown() + text[end:], encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        write()
    elif not argv:
        sys.stdout.write(reference_markdown())
    else:
        sys.stderr.write("usage: python docs/gen_reference.py [--write]\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
