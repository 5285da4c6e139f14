"""Where the interface keeps things: autosaves, exports and its log (platformdirs)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from ..experiments.room import Room

APP = "trustsim"


def data_dir() -> Path:
    """The user's data folder (``TRUSTSIM_HOME`` overrides it, for tests and kiosks)."""
    override = os.environ.get("TRUSTSIM_HOME")
    return Path(override) / "data" if override else Path(platformdirs.user_data_dir(APP))


def state_dir() -> Path:
    override = os.environ.get("TRUSTSIM_HOME")
    return Path(override) / "state" if override else Path(platformdirs.user_state_dir(APP))


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "scenario"


def autosave_path(scenario_path: str) -> Path:
    """One autosave per scenario file (per session under `trustsim serve`)."""
    if _SESSION is not None:
        if ROOM is not None:  # in the room's folder, where the trainer's report reads it:
            # the latest game of this scenario (the one to resume)
            name = slug(Path(scenario_path).stem)
            latest = ROOM.room.games_saved(ROOM.seat, _SESSION, name)
            return ROOM.room.save_file(ROOM.seat, _SESSION, name, max(1, latest))
        return data_dir() / "sessions" / f"{slug(Path(scenario_path).stem)}-{_SESSION}.json"
    # the stem for people, a digest of the full path so same-named files never share a save
    digest = hashlib.sha256(os.path.realpath(scenario_path).encode()).hexdigest()[:8]
    return data_dir() / "saves" / f"{slug(Path(scenario_path).stem)}-{digest}-autosave.json"


def new_game_path(scenario_path: str) -> Path:
    """Where a new game of the scenario is saved: in a room, a file of its own, so that no
    game a trainee played is overwritten by the next (the trainer's report has them all);
    elsewhere the scenario's one autosave."""
    if _SESSION is not None and ROOM is not None:
        name = slug(Path(scenario_path).stem)
        games = ROOM.room.games_saved(ROOM.seat, _SESSION, name)
        return ROOM.room.save_file(ROOM.seat, _SESSION, name, games + 1)
    return autosave_path(scenario_path)


def export_dir() -> Path:
    return data_dir() / "exports"


def log_path() -> Path:
    return state_dir() / "trustsim.log"


def logger() -> logging.Logger:
    """A file logger in the user's state folder (never the screen)."""
    log = logging.getLogger("trustsim.ui")
    if not log.handlers:
        try:
            path = log_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


#: The interface's settings and their defaults (``settings.json`` in the data folder).
SETTINGS: dict[str, object] = {
    # ending a turn with acts left asks first
    "confirm_end_turn": True,
}

_SESSION: str | None = None
#: settings changed in this process: under `trustsim serve` they stay with the session
#: (one trainee's choice is not everyone's), and here when settings.json cannot be written
_SESSION_SETTINGS: dict[str, object] = {}


def settings_path() -> Path:
    return data_dir() / "settings.json"


def setting(name: str) -> object:
    """A setting's value: the session's own (under `trustsim serve`), else the one in
    ``settings.json``, else its default. A damaged settings file counts as absent."""
    if name in _SESSION_SETTINGS:
        return _SESSION_SETTINGS[name]
    if _SESSION is None:
        import json

        try:
            saved = json.loads(settings_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        if isinstance(saved, dict) and name in saved \
                and isinstance(saved[name], type(SETTINGS[name])):
            return saved[name]
    return SETTINGS[name]


def set_setting(name: str, value: object) -> None:
    """Change a setting; it is kept in ``settings.json`` (in memory only under `trustsim
    serve`). A file that cannot be written leaves the change for this run only."""
    if name not in SETTINGS:
        raise KeyError(name)
    if _SESSION is not None:
        _SESSION_SETTINGS[name] = value
        return
    import json

    from ..scenario.files import atomic_write_text

    path = settings_path()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    if not isinstance(saved, dict):
        saved = {}
    saved[name] = value
    try:
        atomic_write_text(path, json.dumps(saved, indent=1) + "\n")
    except OSError as exc:
        logger().warning("could not save the settings: %s", exc)
        _SESSION_SETTINGS[name] = value  # for the rest of this run, then


def use_session_saves(room: Path | None = None, seat: int = 0, peer: str = "") -> None:
    """Give this process its own autosaves (one browser session of `trustsim serve`); in a
    ``room`` folder, the save and a status the trainer's view reads sit there."""
    global _SESSION, ROOM
    import datetime as dt

    _SESSION = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    if room is not None:
        from ..experiments.room import Room

        ROOM = Seat(Room(room), max(1, seat), _SESSION, peer)


def in_session() -> bool:
    """Whether this process is one browser session of `trustsim serve`."""
    return _SESSION is not None


@dataclass(slots=True)
class Seat:
    """This process's place in a room of `trustsim serve`."""

    room: Room
    seat: int
    session: str
    peer: str
    name: str = ""  # the trainee's name, if they gave one
    joined_at: float = field(default_factory=time.time)
    moved_at: float = field(default_factory=time.time)


#: this process's seat in a room (a session of `trustsim serve --room`), else None
ROOM: Seat | None = None
