"""Loading a scenario file: bytes, YAML, schema, meaning, then a core setup.

Every problem is reported at once, each as ``file:line:col: dotted.path: message``;
syntax problems stop the reading (nothing after them can be trusted), schema and meaning
problems are all collected.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import hashlib
import os
import stat
from typing import Any

from pydantic import BaseModel, ValidationError

from . import spec as specs
from .build import build_setup, check_meaning
from .errors import Problem, ScenarioError
from .model import Scenario
from .spec import ScenarioSpec
from .text import find_unsafe, what_is_wrong
from .yamlsource import Positions, YamlProblem, load_yaml

Path = tuple[str | int, ...]

#: Hand-written scenarios larger than this are refused (generated ones use .npz).
MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 200


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load and validate a scenario file (.yaml, .yml, .json or compact .npz).

    Raises :class:`ScenarioError` listing every problem found.
    """
    name = os.fspath(path)
    bad = find_unsafe(name, one_line=True)
    if bad is not None:  # the name is printed wherever the scenario is: it obeys the rule
        raise ScenarioError([Problem(name, f"the file's name contains "
                                     f"{what_is_wrong(name[bad])}: rename the file (or its "
                                     "folder)", kind="file")])
    if name.endswith(".npz"):
        from .compact import load_compact

        loaded: Scenario = load_compact(name)
        return loaded
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(name)
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
            raise ScenarioError([Problem(name, "not a regular file (a pipe, socket or device); "
                                         "give a scenario file", kind="file")])
        size = info.st_size
        if size > MAX_YAML_BYTES:
            raise ScenarioError([Problem(
                name, f"the file is {size / 1e6:.1f} MB; scenario files written by hand may be "
                f"at most {MAX_YAML_BYTES // (1024 * 1024)} MB (large generated organisations "
                "use the compact .npz format)", kind="file")])
        with open(name, "rb") as fh:
            data = fh.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError([Problem(name, "no such file", kind="file")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(name, "this is a folder, not a file", kind="file")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, f"cannot read the file: {exc.strerror}",
                                     kind="file")]) from None
    return load_scenario_bytes(data, name)


def decode(data: bytes, filename: str) -> str:
    """UTF-8 text (a BOM is allowed), or a ScenarioError pointing at the bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                          (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(bom):
            raise ScenarioError([Problem(filename, f"the file is {encoding} text; save it as "
                                         "UTF-8", kind="file")])
    if b"\x00" in data[:8192]:
        raise ScenarioError([Problem(filename, "this looks like a binary file, not a YAML "
                                     "scenario (it contains NUL bytes)", kind="file")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError([Problem(
            filename, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be "
            "decoded); save it as UTF-8", line=line, col=col, kind="file")]) from None


def load_scenario_bytes(data: bytes, filename: str = "<scenario>") -> Scenario:
    text = decode(data, filename)
    spec = parse_spec(text, filename)
    return Scenario(build_setup(spec), filename, text, hashlib.sha256(data).hexdigest(), spec)


def load_scenario_text(text: str, filename: str = "<scenario>") -> Scenario:
    """Load a scenario from YAML text already in memory."""
    return load_scenario_bytes(text.encode("utf-8"), filename)


def parse_spec(text: str, filename: str) -> ScenarioSpec:
    """YAML text to a validated :class:`ScenarioSpec`, or a ScenarioError with every problem."""
    try:
        data, positions, problems = load_yaml(text, filename)
    except YamlProblem as exc:
        raise ScenarioError([exc.problem]) from None
    if data is None:
        raise ScenarioError([Problem(filename, "the file is empty: a scenario starts with "
                                     "`version: 1`", line=1, col=1, kind="schema")])
    if not isinstance(data, dict):
        top = positions.find(()) or (1, 1)
        raise ScenarioError([Problem(filename, "a scenario is a mapping of fields "
                                     "(`version: 1`, `title: ...`), not "
                                     f"{_kind_of(data)}", line=top[0], col=top[1])])
    version = data.get("version", 1)
    if version != 1 or isinstance(version, bool):
        line, col = positions.find(("version",)) or (None, None)
        if isinstance(version, str) and version.strip() == "1":
            message = "expected the number 1 (got the text '1'; remove the quotes)"
        else:
            message = (f"unsupported format version {_got(version)} (this trustsim reads "
                       "version 1)")
        raise ScenarioError([*problems, Problem(filename, message, "version", line, col)])
    meaning: list[Problem] = []
    refused: list[Path] = []

    def report(path: Path, message: str) -> None:
        # a problem of meaning inside something the schema refused would only echo it
        if any(path[: len(r)] == r for r in refused):
            return
        line, col = positions.find(path) or (None, None)
        meaning.append(Problem(filename, message, dotted(path), line, col, "meaning"))

    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        problems += pydantic_problems(exc, data, positions, filename, ScenarioSpec)
        # every problem at once: the rest of the file, without what the schema refused,
        # is checked for meaning too (an unknown team beside a misspelt field)
        rest = _without_refused(data, exc, refused)
        if rest is not None:
            with contextlib.suppress(ValidationError):
                check_meaning(ScenarioSpec.model_validate(rest), report)
        raise ScenarioError(_sorted(problems + meaning)) from None
    check_meaning(spec, report)
    problems += meaning
    if problems:
        raise ScenarioError(_sorted(problems))
    return spec


_MISSING = object()


def _child(node: Any, part: int | str) -> Any:
    """``node[part]`` in the YAML's data, or ``_MISSING``."""
    if isinstance(node, dict):
        return node.get(part, _MISSING)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return _MISSING


def _without_refused(data: dict[str, Any], error: ValidationError,
                     refused: list[Path]) -> dict[str, Any] | None:
    """A copy of ``data`` without the fields the schema refused (an unknown or a wrong
    field), if each can be found and removed; their owners are added to ``refused``.
    None when the file cannot be checked further (a refusal that is not a field)."""
    rest = copy.deepcopy(data)
    for detail in error.errors():
        loc = tuple(detail["loc"])
        node: Any = rest
        for part in loc[:-1]:
            node = _child(node, part)
            if node is _MISSING:
                return None
        if not loc or not isinstance(node, dict) or loc[-1] not in node:
            return None
        del node[loc[-1]]
        # an unknown field meant nothing, so without it the rest reads as written; a wrong
        # value may have meant something, so its owner (a person, an event) is not judged
        unknown = detail["type"] == "extra_forbidden"
        refused.append(loc if unknown or len(loc) == 1 else loc[:-1])
    return rest


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: (p.line or 0, p.col or 0))
    return unique[:MAX_PROBLEMS]


def dotted(path: Path) -> str:
    """``("people", 3, "traits", "competence")`` -> ``people[3].traits.competence``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# -- turning pydantic errors into problems -------------------------------------------------------


def _real_path(loc: tuple[Any, ...], data: Any) -> Path:
    """The path into the data for a pydantic ``loc`` (drops union tags and the like)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            if part not in node and node.get("kind") == part:
                continue  # the discriminator's tag, not a key
            path.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            path.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(part, str) and not isinstance(node, dict | list):
            path.append(part)
            node = None
        # else: a tag pydantic added (discriminator value, function name): skip it
    return tuple(path)


def _model_at(model: type[BaseModel], path: Path, data: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``path`` (to list its fields)."""
    current: Any = model
    node = data
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = _field(current, part)
        if field is None:
            return None
        node = node.get(part) if isinstance(node, dict) else None
        current = _unwrap(field.annotation, node)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field
    return None


def _unwrap(annotation: Any, node: Any) -> Any:
    """Find the model inside list[...] / X | None / discriminated unions."""
    import typing

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _unwrap(args[0], node)
    if origin in (list, tuple):
        item = node[0] if isinstance(node, list) and node else None
        return _unwrap(args[0], node if not isinstance(node, list) else item) if args else None
    if args:  # a union
        kind = node.get("kind") if isinstance(node, dict) else None
        for arg in args:
            inner = _unwrap(arg, node)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                kind_field = inner.model_fields.get("kind")
                if kind is None or kind_field is None or kind in typing.get_args(
                        kind_field.annotation):
                    return inner
        return None
    return annotation


def _kinds_at(root: type[BaseModel], path: Path, data: Any) -> str:
    """The allowed `kind` values of the union at ``path`` (for a missing `kind`)."""
    import typing

    if not path:
        return ""
    if isinstance(path[-1], int):
        if len(path) < 2:
            return ""
        container, key = path[:-2], path[-2]
    else:
        container, key = path[:-1], path[-1]
    parent = _model_at(root, container, data)
    if parent is None:
        return ""
    field = _field(parent, str(key))
    if field is None:
        return ""
    kinds: list[str] = []

    def walk(annotation: Any) -> None:
        for arg in typing.get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                kind_field = arg.model_fields.get("kind")
                if kind_field is not None:
                    kinds.extend(repr(k) for k in typing.get_args(kind_field.annotation))
            else:
                walk(arg)

    walk(field.annotation)
    return ", ".join(kinds)


def _fields_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def pydantic_problems(exc: ValidationError, data: Any, positions: Positions, filename: str,
                      root: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = _real_path(loc, data)
        kind = error["type"]
        if kind == "union_tag_invalid":
            path = (*path, "kind")
        message = _message(error, path, data, root)
        line_col = positions.find(path, key=kind == "extra_forbidden")
        if kind in ("unsafe_text", "string_pattern_mismatch") and path in positions.chars:
            line_col = positions.chars[path]  # the control character itself
        if kind == "missing" or kind.startswith("union_tag") or kind == "model_attributes_type":
            line_col = positions.find(path[:-1] if kind == "missing" else path)
        line, col = line_col or (None, None)
        problems.append(Problem(filename, message, dotted(path), line, col, "schema"))
    return problems


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a line of text"
    if isinstance(value, list):
        return "a list"
    return "a value of another kind"


def _got(value: Any) -> str:
    raw = getattr(value, "raw", None)
    if isinstance(raw, str):
        return raw
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(error: Any, path: Path, data: Any, root: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        model = _model_at(root, path[:-1], data)
        doc = ""
        if model is not None:
            field = _field(model, str(path[-1]))
            if field is not None and field.description:
                doc = f" ({field.description.rstrip('.')})"
        return f"required field `{path[-1]}` is missing{doc}"
    if kind == "extra_forbidden":
        model = _model_at(root, path[:-1], data)
        key = str(path[-1]) if path else "?"
        if model is not None:
            allowed = _fields_of(model)
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`? " if close else ""
            return f"unknown field `{key}` ({hint}expected one of: {', '.join(allowed)})"
        return f"unknown field `{key}`"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        limit = next(iter(ctx.values()), "?")
        return f"must be {words} {limit} (got {_got(value)})"
    if kind == "finite_number":
        return f"must be a finite number (got {_got(value)})"
    if kind == "union_tag_invalid":
        expected = ctx.get("expected_tags", "")
        return f"unknown kind {_got(ctx.get('tag'))} (expected one of: {expected})"
    if kind == "union_tag_not_found":
        kinds = _kinds_at(root, path, data)
        listed = f" (expected one of: {kinds})" if kinds else ""
        return f"needs a `kind` field saying what this is{listed}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {_got(value)})"
    if kind == "string_pattern_mismatch":
        if path and path[-1] == "language":
            return f"expected a language code such as en or nl (got {_got(value)})"
        return (f"{_got(value)} is not a valid id (no spaces, no invisible characters and "
                "none of : * , # ' \")")
    if kind in ("string_type", "int_type", "float_type", "bool_type", "list_type",
                "dict_type", "model_type", "int_parsing", "float_parsing", "int_from_float",
                "bool_parsing", "tuple_type", "model_attributes_type"):
        expected = {"string_type": "text", "int_type": "a whole number",
                    "int_parsing": "a whole number", "int_from_float": "a whole number",
                    "float_type": "a number", "float_parsing": "a number",
                    "bool_type": "true or false", "bool_parsing": "true or false",
                    "list_type": "a list", "tuple_type": "a list",
                    "dict_type": "a mapping", "model_type": "a mapping",
                    "model_attributes_type": "a mapping"}[kind]
        return f"expected {expected} (got {_got(value)})"
    if kind == "unsafe_text":
        return str(ctx.get("message", error["msg"]))
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        text = kind.startswith("string") or isinstance(value, str)
        limit = ctx.get("min_length", ctx.get("max_length"))
        actual = ctx.get("actual_length", len(value) if hasattr(value, "__len__") else "?")
        unit = "character" if text else "item"
        plural = "" if limit == 1 else "s"
        bound = "at least" if kind.endswith("short") else "at most"
        return (f"the {'text' if text else 'list'} should have {bound} {limit} "
                f"{unit}{plural}, not {actual}")
    return f"{error['msg']} (got {_got(value)})"


__all__ = ["Scenario", "dotted", "load_scenario", "load_scenario_text", "parse_spec", "specs"]
