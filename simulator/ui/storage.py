"""Where the interface keeps things: autosaves, exports and its log (platformdirs)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import platformdirs

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
        return data_dir() / "sessions" / f"{slug(Path(scenario_path).stem)}-{_SESSION}.json"
    # the stem for people, a digest of the full path so same-named files never share a save
    digest = hashlib.sha256(os.path.realpath(scenario_path).encode()).hexdigest()[:8]
    return data_dir() / "saves" / f"{slug(Path(scenario_path).stem)}-{digest}-autosave.json"


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


_SESSION: str | None = None


def use_session_saves() -> None:
    """Give this process its own autosaves (one browser session of `trustsim serve`)."""
    global _SESSION
    import datetime as dt

    _SESSION = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
