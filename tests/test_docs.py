"""docs/model.md cannot drift from the code: its parameter table and worked example are checked."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from simulator.core import Simulation, explain
from simulator.core.testing import tiny_setup

ROOT = Path(__file__).resolve().parents[1]
MODEL_MD = ROOT / "docs" / "model.md"


def _docs_script(name: str) -> ModuleType:
    """One of the generators in docs/ (``gen_params``, ``gen_validation``), imported."""
    path = ROOT / "docs" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"docs_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gen_params() -> ModuleType:
    return _docs_script("gen_params")


def _between_markers(text: str) -> str:
    start_marker, end_marker = "<!-- params:start -->", "<!-- params:end -->"
    assert text.count(start_marker) == 1 and text.count(end_marker) == 1
    start = text.index(start_marker) + len(start_marker)
    end = text.index(end_marker)
    assert start <= end, "the params:end marker comes before params:start"
    return text[start:end].strip("\n") + "\n"


def test_parameter_table_matches_the_code() -> None:
    table = _gen_params().params_table()
    pasted = _between_markers(MODEL_MD.read_text(encoding="utf-8"))
    assert pasted == table, (
        "the parameter table in docs/model.md is stale: run `python docs/gen_params.py --write`")


def test_parameter_table_lists_every_parameter() -> None:
    from simulator.core.params import PARAMS

    table = _gen_params().params_table()
    for p in PARAMS:
        assert f"| `{p.name}` |" in table


def _printed(act: str, target: str) -> list[str]:
    sim = Simulation(tiny_setup(), seed=3)
    names = sim.world.name_map()
    result = sim.act(act, target)
    return [f"{c.truster} -> {c.trustee}: {c.before:.4f} -> {c.after:.4f} "
            f"({c.delta:+.4f})  {explain(c.cause, names)}" for c in result.changes]


def test_worked_example_numbers_match_the_code() -> None:
    text = MODEL_MD.read_text(encoding="utf-8")
    for act, target in (("quick_win", "ben"), ("break_promise", "p1")):
        lines = _printed(act, target)
        assert len(lines) >= 2  # the direct change and at least one listener
        block = "\n".join(lines)
        assert block in text, f"docs/model.md does not show the real output of {act}:\n{block}"


def _gen_validation() -> ModuleType:
    return _docs_script("gen_validation")


def test_validation_report_is_generated_from_the_lessons() -> None:
    current = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert current == _gen_validation().report(), (
        "docs/validation.md is stale: run `python docs/gen_validation.py --write`")
    assert "**no**" not in current  # every lesson holds everywhere it is measured
