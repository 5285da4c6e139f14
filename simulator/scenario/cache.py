"""A cache of validated scenarios for the interface.

Checking a scenario file means importing pydantic and building the schema's models, which
costs more than everything else the interface does before its first screen. A file that
was valid before, byte for byte, under the same code, need not be checked again: its
loaded :class:`~simulator.scenario.model.Scenario` is kept in the user's cache folder
(``TRUSTSIM_HOME/cache`` when that is set) under a digest of the file's bytes and of the
code that checks it, and read back in milliseconds without importing the checker at all.

Only valid files are cached; an invalid one is checked every time, so its problems are
always current. The cache is a convenience: a cache entry that cannot be read (damaged,
written by another version, a full disk) is ignored and rewritten, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from .model import Scenario
from .text import find_unsafe

#: Files above this are loaded directly (hashing them costs as much as the check).
MAX_CACHED_BYTES = 2 * 1024 * 1024

_APP = "trustsim"


def cache_dir() -> Path:
    override = os.environ.get("TRUSTSIM_HOME")
    if override:
        return Path(override) / "cache" / "scenarios"
    import platformdirs

    return Path(platformdirs.user_cache_dir(_APP)) / "scenarios"


@lru_cache(maxsize=1)
def _code_stamp() -> bytes:
    """The version plus the size and time of every module that shapes a loaded scenario,
    so an upgrade or an edited checkout never reads an entry an older checker wrote."""
    from .. import __version__

    here = Path(__file__).resolve().parent
    parts = [__version__]
    for folder in (here, here.parent / "core"):
        for module in sorted(folder.glob("*.py")):
            st = module.stat()
            parts.append(f"{module.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def load_scenario_cached(path: str | os.PathLike[str]) -> Scenario:
    """:func:`~simulator.scenario.loader.load_scenario`, answered from the cache when this
    exact file was valid before. Raises :class:`ScenarioError` like the loader."""
    name = os.fspath(path)
    if find_unsafe(name, one_line=True) is not None:
        return _load(name)  # refused for its name, whatever the cache knows of its bytes
    data: bytes | None = None
    with contextlib.suppress(OSError):
        if os.path.isfile(name) and os.path.getsize(name) <= MAX_CACHED_BYTES:
            with open(name, "rb") as fh:
                data = fh.read(MAX_CACHED_BYTES + 1)
    if data is None or len(data) > MAX_CACHED_BYTES:
        return _load(name)
    digest = hashlib.sha256(_code_stamp() + b"\0" + name.rsplit(".", 1)[-1].encode()
                            + b"\0" + data).hexdigest()
    entry = cache_dir() / f"{digest}.pickle"
    try:
        with open(entry, "rb") as fh:
            cached = pickle.load(fh)  # our own folder, written by the function below
        if isinstance(cached, Scenario):
            return dataclasses.replace(cached, path=name)
    except Exception:  # any damaged or foreign entry is simply rebuilt
        pass
    scenario = _load(name)
    _store(entry, dataclasses.replace(scenario, spec=None))
    return scenario


def _load(name: str) -> Scenario:
    from .loader import load_scenario

    return load_scenario(name)


def _store(entry: Path, scenario: Scenario) -> None:
    """Write an entry (temporary file, then rename: readers never see half of one)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(scenario, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a read-only or full cache folder costs speed, nothing else


__all__ = ["cache_dir", "load_scenario_cached"]
