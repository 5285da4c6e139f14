"""YAML to plain Python values, keeping the position of every node.

PyYAML composes the node tree (with libyaml's C parser when available); this module then
builds dicts, lists and scalars itself so that it can

* remember the line and column of every value and key (``Positions``),
* reject duplicate keys (PyYAML silently keeps the last one),
* resolve plain scalars with YAML 1.2 core rules: ``no``, ``on``, ``yes`` stay text,
  timestamps stay text, ``1_000`` stays text; numbers keep their source text so that
  ``id: 007`` or ``name: 1.10`` can be read back as written,
* bound alias expansion (billion-laughs files) and nesting depth,
* refuse keys with control characters (a key is printed in problem lists) and remember
  where in the file the first control character of every text is (see
  :mod:`simulator.scenario.text`), so that a problem points at the character itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml when built in, pure Python otherwise
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import Problem
from .text import UNSAFE_IN_TEXT, UNSAFE_ON_A_LINE, unsafe_message

Path = tuple[str | int, ...]

MAX_NODES = 500_000  # a 300-person scenario has about 20,000 values
MAX_DEPTH = 64

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_TAGS = {f"tag:yaml.org,2002:{t}" for t in
         ("null", "bool", "int", "float", "timestamp", "str", "map", "seq", "merge")}
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class RawInt(int):
    """An int read from YAML that remembers how it was written."""

    raw: str


class RawFloat(float):
    """A float read from YAML that remembers how it was written."""

    raw: str


def raw_text(value: Any) -> Any:
    """The source text of a number read from YAML, else the value unchanged."""
    raw = getattr(value, "raw", None)
    return raw if isinstance(raw, str) else value


@dataclass(slots=True)
class Positions:
    """Line and column (1-based) of each value and of each mapping key, by path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    #: where the first control or bidirectional character of a text value is
    chars: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path, *, key: bool = False) -> tuple[int, int] | None:
        """Position of ``path``, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        p = path
        while True:
            if p in self.values:
                return self.values[p]
            if not p:
                return None
            p = p[:-1]


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def load_yaml(text: str, filename: str) -> tuple[Any, Positions, list[Problem]]:
    """Parse ``text`` into values, their positions and the duplicate-key problems found.

    Raises :class:`YamlProblem` for problems that stop reading (syntax, alias bombs).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context and "duplicate anchor" in exc.context and exc.context_mark and mark:
            message = _duplicate_anchor(text, exc.context_mark, mark)
        elif exc.context:
            message = f"{message} ({exc.context})"
        if mark is not None and _tab_near(text, mark.line, mark.column):
            message += " (YAML does not allow tabs for indentation: use spaces)"
        raise YamlProblem(Problem(
            filename, f"YAML syntax error: {message}",
            line=mark.line + 1 if mark else None, col=mark.column + 1 if mark else None,
            kind="syntax")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(filename, f"YAML syntax error: {exc}", kind="syntax")) from None
    except RecursionError:
        raise YamlProblem(Problem(filename, "the file nests too deeply to be a scenario",
                                  kind="syntax")) from None
    positions = Positions()
    if node is None:
        return None, positions, []
    # aliases can make a small file expand to billions of values: count first, build after
    sizes: dict[int, int] = {}
    if _expanded(node, sizes, 0) > MAX_NODES:
        worst = node
        while isinstance(worst, yaml.MappingNode | yaml.SequenceNode) and worst.value:
            children = [v for _, v in worst.value] if isinstance(worst, yaml.MappingNode) \
                else list(worst.value)
            biggest = max(children, key=lambda c: sizes.get(id(c), 1))
            if sizes.get(id(biggest), 1) <= MAX_NODES:
                break
            worst = biggest
        raise YamlProblem(Problem(
            filename, f"the file expands to more than {MAX_NODES:,} values (too many aliases?)",
            line=worst.start_mark.line + 1, col=worst.start_mark.column + 1, kind="syntax"))
    builder = _Builder(filename, positions, text)
    return builder.build(node, (), 0), positions, builder.problems


def _expanded(node: yaml.Node, sizes: dict[int, int], depth: int) -> int:
    """How many values ``node`` becomes once every alias is expanded (capped just above
    the limit); each distinct node is counted once, so a bomb costs its own size."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    size = 1
    if depth <= MAX_DEPTH:  # deeper: the builder reports the nesting itself
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                size += _expanded(item, sizes, depth + 1)
                if size > MAX_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                size += _expanded(key, sizes, depth + 1) + _expanded(value, sizes, depth + 1)
                if size > MAX_NODES:
                    break
    size = min(size, MAX_NODES + 1)
    sizes[id(node)] = size
    return size


class _Builder:
    def __init__(self, filename: str, positions: Positions, text: str = "") -> None:
        self.filename = filename
        self.positions = positions
        self.text = text
        self.count = 0
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str, kind: str = "syntax") -> YamlProblem:
        return YamlProblem(Problem(self.filename, message, line=node.start_mark.line + 1,
                                   col=node.start_mark.column + 1, kind=kind))  # type: ignore[arg-type]

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if node.tag not in _TAGS:
            problem = self.fail(node, f"unsupported YAML tag {_short_tag(node.tag)!r}; "
                                      "scenario files use plain values", "schema").problem
            raise YamlProblem(Problem(problem.file, problem.message, _dotted(path),
                                      problem.line, problem.col, "schema"))
        if self.count > MAX_NODES:
            raise self.fail(node, f"the file expands to more than {MAX_NODES:,} values "
                                  "(too many aliases?)")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"values nest more than {MAX_DEPTH} levels deep")
        if path not in self.positions.values:
            self.positions.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node)
            if isinstance(value, str) and path not in self.positions.chars:
                found = UNSAFE_IN_TEXT.search(value)
                if found:
                    self.positions.chars[path] = self.char_position(node, found.group())
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = (value_node.value if isinstance(value_node, yaml.SequenceNode)
                           else [value_node])
                for source in sources:
                    value = self.build(source, path, depth + 1)
                    if not isinstance(value, dict):
                        raise self.fail(source, "'<<' merges only mappings")
                    for k, v in value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be plain text, not a list or mapping",
                                "schema")
            key = key_node.value
            bad = UNSAFE_ON_A_LINE.search(key)
            if bad:  # a key is a field's name: it never needs one, and it gets printed
                line, col = self.char_position(key_node, bad.group())
                self.problems.append(Problem(
                    self.filename, unsafe_message(bad.group(), key=True),
                    _dotted((*path, key)), line, col, "schema"))
                continue
            if key in result:
                first = self.positions.keys.get((*path, key))
                where = f" (first at line {first[0]})" if first else ""
                problem = self.fail(key_node, f"duplicate key {key!r}{where}: each key may "
                                              "appear once", "schema").problem
                self.problems.append(Problem(problem.file, problem.message,
                                             _dotted((*path, key)), problem.line, problem.col,
                                             "schema"))
                continue
            self.positions.keys[(*path, key)] = (key_node.start_mark.line + 1,
                                                 key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        for k, v in merged.items():
            result.setdefault(k, v)
        return result

    def char_position(self, node: yaml.ScalarNode, char: str) -> tuple[int, int]:
        """Line and column of ``char`` in the scalar ``node``: where the character itself
        is in the file, or the escape (``\\e``, ``\\x9b``, ``\\u202e``) that wrote it in a
        double-quoted text; the scalar's start if neither is found."""
        start = node.start_mark
        source = self.text[start.index:node.end_mark.index]
        offset = -1
        if node.style == '"':
            for token in _QUOTED_TOKEN.finditer(source):
                if _unescape(token.group()) == char:
                    offset = token.start()
                    break
        else:
            offset = source.find(char)
        if offset < 0:
            return start.line + 1, start.column + 1
        newlines = source.count("\n", 0, offset)
        if not newlines:
            return start.line + 1, start.column + offset + 1
        return start.line + newlines + 1, offset - source.rfind("\n", 0, offset)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        if node.style or (node.tag == "tag:yaml.org,2002:str" and _explicit(node)):
            return text  # quoted or block scalars are text
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if _INT.match(text) or _OCT.match(text) or _HEX.match(text):
            value = RawInt(int(text, 8) if text.startswith("0o") else
                           int(text, 16) if text.startswith("0x") else int(text))
            value.raw = text
            return value
        if _FLOAT.match(text) or _INF.match(text) or _NAN.match(text):
            number = RawFloat(float(text.replace(".inf", "inf").replace(".Inf", "inf")
                                    .replace(".INF", "inf").replace(".nan", "nan")
                                    .replace(".NaN", "nan").replace(".NAN", "nan")))
            number.raw = text
            return number
        return text


#: one character, or one escape, of a double-quoted YAML scalar
_QUOTED_TOKEN = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|.", re.S)
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}


def _unescape(token: str) -> str:
    """The character a token of a double-quoted scalar stands for."""
    if len(token) < 2 or token[0] != "\\":
        return token
    if token[1] in "xuU" and len(token) > 2:
        return chr(int(token[2:], 16))
    return _ESCAPES.get(token[1], token[1])


def _duplicate_anchor(text: str, first: Any, second: Any) -> str:
    """libyaml says "second occurrence (found duplicate anchor; first occurrence)" without
    saying where the first one is: name the anchor and both places."""
    found = re.match(r"&([^\s,\[\]{}]+)", text[second.index:second.index + 200])
    name = f"&{found.group(1)} " if found else ""
    return (f"the anchor {name}is defined twice: first at line {first.line + 1}, column "
            f"{first.column + 1}, again at line {second.line + 1}, column "
            f"{second.column + 1}; give each anchor its own name")


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _tab_near(text: str, line: int, column: int) -> bool:
    """Whether the error's line has a tab before or at the error's column."""
    lines = text.splitlines()
    return 0 <= line < len(lines) and "\t" in lines[line][: column + 1]


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _explicit(node: yaml.ScalarNode) -> bool:
    """True when a plain scalar carries an explicit ``!!str`` tag (not an implicit one)."""
    resolved = yaml.resolver.Resolver().resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, node.value, (True, False))
    return bool(resolved != "tag:yaml.org,2002:str")
