"""The shipped scenario library (the repository's ``scenarios/`` folder, installed as
the package ``simulator.library``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def library_dir() -> Path:
    """The folder holding the shipped scenarios.

    Installed, they are the package ``simulator.library``. Run from a source tree that
    shadows the installed package (``python -m simulator.cli`` in the repository), that
    package does not exist and the repository's ``scenarios/`` folder is used instead.
    """
    try:
        return Path(str(resources.files("simulator.library")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "scenarios"


def shipped_scenarios() -> list[Path]:
    """Paths of the shipped scenario files, sorted by name."""
    return sorted(library_dir().glob("*.yaml"))


def reference_solution(scenario: Path) -> Path | None:
    """The scripted reference solution kept next to a scenario (``NAME.acts``), if any."""
    acts = scenario.with_suffix(".acts")
    return acts if acts.exists() else None


def resolve_scenario(name: str) -> str:
    """A path as given, or the path of the shipped scenario called ``name`` (``two-floors``
    or ``two-floors.yaml``); an unknown name comes back unchanged for the loader to refuse."""
    if Path(name).exists():
        return name
    for path in shipped_scenarios():
        if path.stem == name or path.name == name:
            return str(path)
    return name


SUFFIXES = (".yaml", ".yml", ".json", ".npz")


def find_scenarios(folders: list[Path], files: list[Path]) -> list[Path]:
    """The files given, then the scenario files in each folder (not the schema, and not
    saved games: a trainer's folder of collected sessions is not a folder of scenarios)."""
    found: list[Path] = list(files)
    for folder in folders:
        found += sorted(p for p in folder.glob("*")
                        if p.suffix in SUFFIXES and p.is_file() and p.name != "schema.json"
                        and not _is_save(p))
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _is_save(path: Path) -> bool:
    if path.suffix != ".json":
        return False
    from .model import SAVE_FORMAT

    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return f'"format": "{SAVE_FORMAT}"'.encode() in head
