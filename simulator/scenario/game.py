"""``Game``: a simulation of a loaded scenario that can be saved and loaded.

A save is versioned JSON holding the scenario (its text, or its path and digest for
compact files), the seed, the command log and the version of the model's rules that
played it (a save of another model version is refused with a message naming it).
Loading replays the log and checks the result against the fingerprint stored at save
time, so a save that does not reproduce its game is reported, never silently accepted.
Saves are written atomically.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Callable
from typing import Any

from ..core.errors import ActNotAllowed
from ..core.params import MODEL_VERSION
from ..core.simulation import Simulation
from .errors import SaveError, ScenarioError
from .files import atomic_write_text
from .loader import Scenario, load_scenario, load_scenario_text
from .model import SAVE_FORMAT
from .text import find_unsafe, safe_json, what_is_wrong

SAVE_VERSION = 1
MAX_SAVE_BYTES = 64 * 1024 * 1024

#: Migrations from older save versions: version -> function returning the next version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _model_version() -> str:
    from .. import __version__

    return __version__


class Game(Simulation):
    """A game of a scenario: ``Game(load_scenario(path), seed=7)``.

    ``scenario`` may also be a path. ``seed`` defaults to the scenario's own.
    """

    def __init__(self, scenario: Scenario | str | os.PathLike[str], seed: int | None = None,
                 *, undo: bool = True) -> None:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        self.scenario = scenario
        super().__init__(scenario.setup, seed, undo=undo)

    # -- saving ----------------------------------------------------------------------------

    def to_save(self) -> dict[str, Any]:
        """The save as a JSON-able dict."""
        sc = self.scenario
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "trustsim": _model_version(),
            "model": MODEL_VERSION,
            "saved_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "scenario": {"title": sc.title, "path": sc.path, "sha256": sc.sha256,
                         "text": sc.text},
            "seed": self.seed,
            "turn": self.turn,
            "over": self.over,
            "log": list(self.log),
            "fingerprint": self.fingerprint(),
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the game to ``path`` atomically (the previous file stays until it is whole)."""
        atomic_write_text(path, safe_json(json.dumps(self.to_save(), ensure_ascii=False,
                                                     indent=1)) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, undo: bool = True) -> Game:
        """Load a save, replaying its log. Raises :class:`SaveError`; the file is never changed."""
        name = os.fspath(path)
        try:
            size = os.path.getsize(name)
            if size > MAX_SAVE_BYTES:
                raise SaveError(name, f"the file is {size / 1e6:.0f} MB, too big to be a save")
            with open(name, "rb") as fh:
                raw = fh.read()
        except FileNotFoundError:
            raise SaveError(name, "no such file") from None
        except OSError as exc:
            raise SaveError(name, f"cannot read it: {exc.strerror}") from None
        try:
            source = raw.decode("utf-8")
            data = json.loads(source)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SaveError(name, f"not a trustsim save (damaged or truncated JSON: {exc})") \
                from None
        return cls.from_save(data, name, undo=undo, source=source)

    @classmethod
    def from_save(cls, data: Any, name: str = "<save>", *, undo: bool = True,
                  source: str | None = None) -> Game:
        """A game from a save's data; ``source``, the save's text, places a refused
        character at its line and column."""
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise SaveError(name, "not a trustsim save (no `format: trustsim-save`)")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise SaveError(name, f"unknown save version {version!r}")
        while version < SAVE_VERSION:
            if version not in MIGRATIONS:
                raise SaveError(name, f"no migration from save version {version}")
            data = MIGRATIONS[version](data)
            version = data["version"]
        if version > SAVE_VERSION:
            raise SaveError(name, f"save version {version} comes from a newer trustsim "
                            f"(this one reads up to {SAVE_VERSION}); update trustsim")
        try:
            scenario_info = data["scenario"]
            seed = int(data["seed"])
            log = data["log"]
            if not isinstance(log, list) or not all(isinstance(c, dict) for c in log):
                raise TypeError("log")
        except (KeyError, TypeError, ValueError) as exc:
            raise SaveError(name, f"the save is incomplete or was edited by hand ({exc})") \
                from None
        model = data.get("model", 1)
        if model != MODEL_VERSION:
            made = data.get("trustsim", "an older trustsim")
            raise SaveError(name, f"it was played under model v{model} (trustsim {made}); "
                            f"this trustsim plays model v{MODEL_VERSION}, whose rules "
                            "differ, so the game cannot be replayed: start the scenario "
                            "afresh")
        _check_text(log, name, source)
        scenario = _scenario_of(scenario_info, name)
        game = cls(scenario, seed, undo=undo)
        for i, cmd in enumerate(log):
            try:
                game.execute(cmd)
            except (ActNotAllowed, KeyError, TypeError, ValueError) as exc:
                raise SaveError(name, f"step {i + 1} of the log ({cmd!r}) cannot be replayed: "
                                f"{exc}") from None
        expected = data.get("fingerprint")
        if expected is not None and expected != game.fingerprint():
            raise SaveError(name, "replaying the save does not give the saved state (it was "
                            f"made by trustsim {data.get('trustsim', '?')} with a different "
                            "model, or edited by hand)")
        return game


def _check_text(log: list[dict[str, Any]], name: str, source: str | None) -> None:
    """A save is text from a file like any other: a control or bidirectional character in
    its log (an act's text, an id) is refused, as in a scenario (see .text)."""
    for i, cmd in enumerate(log):
        for key, value in cmd.items():
            for text in (key, value):
                index = find_unsafe(text) if isinstance(text, str) else None
                if index is not None:
                    char = text[index]
                    line, col = _json_position(source, char) if source else (None, None)
                    raise SaveError(name, f"step {i + 1} of the log (`{key}`) contains "
                                    f"{what_is_wrong(char)}: the save was edited or "
                                    "damaged, and is not replayed", line, col)


def _json_position(source: str, char: str) -> tuple[int | None, int | None]:
    """Where ``char`` is written in a save's log, raw or as a ``\\u`` escape."""
    key = re.search(r'"log"\s*:\s*\[', source)
    start = key.start() if key else 0
    forms = [char, f"\\u{ord(char):04x}", f"\\u{ord(char):04X}"]
    forms += {"\n": ["\\n"], "\t": ["\\t"], "\r": ["\\r"], "\b": ["\\b"],
              "\f": ["\\f"]}.get(char, [])
    found = [i for i in (source.find(f, start) for f in forms) if i >= 0]
    if not found:
        return None, None
    at = min(found)
    return source.count("\n", 0, at) + 1, at - source.rfind("\n", 0, at)


def _scenario_of(info: Any, name: str) -> Scenario:
    if not isinstance(info, dict):
        raise SaveError(name, "the save has no scenario")
    text, path = info.get("text"), info.get("path") or "<scenario>"
    if not isinstance(path, str) or find_unsafe(path, one_line=True) is not None:
        raise SaveError(name, "the save names its scenario file with a control character; "
                        "it was edited or damaged")
    try:
        if isinstance(text, str):
            return load_scenario_text(text, str(path))
        scenario = load_scenario(str(path))
    except ScenarioError as exc:
        raise SaveError(name, f"its scenario is not valid any more:\n{exc}") from None
    if info.get("sha256") and info["sha256"] != scenario.sha256:
        raise SaveError(name, f"the scenario file {path} has changed since the game was saved")
    return scenario
