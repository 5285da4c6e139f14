"""The shipped scenario library (the repository's ``scenarios/`` folder, installed as
the package ``simulator.library``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def library_dir() -> Path:
    """The folder holding the shipped scenarios."""
    return Path(str(resources.files("simulator.library")))


def shipped_scenarios() -> list[Path]:
    """Paths of the shipped scenario files, sorted by name."""
    return sorted(library_dir().glob("*.yaml"))


def reference_solution(scenario: Path) -> Path | None:
    """The scripted reference solution kept next to a scenario (``NAME.acts``), if any."""
    acts = scenario.with_suffix(".acts")
    return acts if acts.exists() else None
