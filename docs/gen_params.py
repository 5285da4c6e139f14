"""Print the parameter table of docs/model.md from the declarations in the code.

The table is generated, never edited by hand: ``simulator.core.params.PARAMS`` is the one
place every model parameter is declared. tests/test_docs.py fails when the table pasted in
docs/model.md (between the ``params:start`` and ``params:end`` markers) differs from what
:func:`params_table` returns.

Usage (from the repository root)::

    python docs/gen_params.py            # print the table
    python docs/gen_params.py --write    # replace the table in docs/model.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.core.params import PARAMS, Param

START = "<!-- params:start -->"
END = "<!-- params:end -->"
MODEL_MD = Path(__file__).resolve().parent / "model.md"

#: Headings for the groups declared in params.py; an unknown group is shown by its key.
GROUP_TITLES = {
    "trust": "Trust, its three bases, and how one signal moves them",
    "memory": "Memory: the anchor trust returns to",
    "acts": "Acts",
    "spread": "Spread (hearsay)",
    "turn": "End of turn",
}


def _number(value: float, integer: bool) -> str:
    return str(int(value)) if integer else f"{value:g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _row(p: Param) -> str:
    kind = " (whole number)" if p.integer else ""
    value_range = f"{_number(p.lo, p.integer)} to {_number(p.hi, p.integer)}{kind}"
    return (f"| `{p.name}` | {_number(p.default, p.integer)} | {value_range} | "
            f"{_cell(p.description)} | {_cell(p.source)} |")


def params_table() -> str:
    """The Markdown table of every model parameter, grouped as declared in params.py."""
    groups: dict[str, list[Param]] = {}
    for p in PARAMS:
        groups.setdefault(p.group, []).append(p)
    lines: list[str] = []
    for group, params in groups.items():
        if lines:
            lines.append("")
        lines.append(f"**{GROUP_TITLES.get(group, group)}** (group `{group}`)")
        lines.append("")
        lines.append("| name | default | range | what it does | source |")
        lines.append("| --- | --- | --- | --- | --- |")
        lines.extend(_row(p) for p in params)
    return "\n".join(lines) + "\n"


def between_markers(text: str) -> str:
    """The text between the markers of ``text`` (without the newlines next to them)."""
    start = text.index(START) + len(START)
    end = text.index(END, start)
    return text[start:end].strip("\n") + "\n"


def write(path: Path = MODEL_MD) -> None:
    """Replace the table between the markers of ``path`` with a fresh one."""
    text = path.read_text(encoding="utf-8")
    start = text.index(START) + len(START)
    end = text.index(END, start)
    path.write_text(text[:start] + "\n" + params_table() + text[end:], encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        write()
    elif not argv:
        sys.stdout.write(params_table())
    else:
        sys.stderr.write("usage: python docs/gen_params.py [--write]\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
