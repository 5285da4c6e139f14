"""Starting the interface (shared by the fast launcher and the ``trustsim`` commands)."""

from __future__ import annotations

from pathlib import Path


def default_paths(folders: list[Path]) -> list[Path]:
    """The shipped scenarios, then the scenario files in ``folders``."""
    from ..scenario.library import find_scenarios, library_dir

    return find_scenarios([library_dir(), *folders], [])


def run_interface(paths: list[Path], *, language: str | None, single: bool,
                  resume: bool = True, session: bool = False, watch: bool = False) -> int:
    """Run the app until the player quits; returns the exit code. ``watch``: reload the
    one scenario when its file changes (``trustsim play FILE --watch``). Without
    ``language`` the picker speaks the system's (``LANG``), each scenario its own."""
    from ..i18n import language_from_environment
    from . import storage
    from .app import TrustsimApp

    if session and not storage.in_session():
        storage.use_session_saves()
    return TrustsimApp(paths, language=language, single=single, resume=resume,
                       watch=watch, system_language=language_from_environment()).run() or 0
