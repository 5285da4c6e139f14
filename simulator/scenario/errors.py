"""Problems found in a scenario file, reported like a compiler: ``file:line:col: path: message``.

A problem is one line whatever the file held: its file name, path and message are escaped
when it is made (a key with a newline, a title with an escape sequence; see
:mod:`simulator.scenario.text`), so every output (terminal, JSON, the interface) shows them
escaped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..core.errors import TrustsimError
from .text import safe_lines, safe_text


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in a file. ``line``/``col`` are 1-based."""

    file: str
    message: str
    path: str = ""
    line: int | None = None
    col: int | None = None
    kind: Literal["syntax", "schema", "meaning", "file", "warning"] = "schema"

    def __post_init__(self) -> None:
        for name in ("file", "message", "path"):
            value = getattr(self, name)
            escaped = safe_text(value)
            if escaped is not value:
                object.__setattr__(self, name, escaped)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        label = "warning: " if self.kind == "warning" else ""
        return f"{where}: {label}{self.path + ': ' if self.path else ''}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ScenarioError(TrustsimError):
    """A scenario file that cannot be used. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def file(self) -> str:
        return self.problems[0].file if self.problems else ""


class SaveError(TrustsimError):
    """A saved game that cannot be loaded (the file is left as it is)."""

    def __init__(self, path: str, message: str, line: int | None = None,
                 col: int | None = None) -> None:
        self.path = path
        where = safe_text(path) + (f":{line}:{col}" if line is not None else "")
        super().__init__(f"{where}: {safe_lines(message)}")
