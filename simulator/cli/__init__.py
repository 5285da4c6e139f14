"""The ``trustsim`` command: one module per kind of user.

- :mod:`.workshop`: trainees and the room (the interface, ``play``, ``serve``);
- :mod:`.author`: scenario authors and trainers (``new``, ``validate``, ``check``,
  ``show``, ``schema``, ``import``, ``balance``, ``debrief``);
- :mod:`.lab`: students (``run``, ``sweep``, ``summarize``, ``export``, ``plot``,
  ``generate``, ``sensitivity``).

Headless commands import only what they need; the Textual interface is imported lazily
so ``trustsim validate`` or ``trustsim run`` never load Textual.
"""

from __future__ import annotations

import importlib
import sys

from .common import app, err

# the modules register their commands on import; help lists them in this order
for _module in ("workshop", "author", "lab"):
    importlib.import_module(f"{__name__}.{_module}")


def main() -> None:
    """Entry point: never shows a traceback to a user."""
    try:
        app()
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        err(f"trustsim: unexpected error: {type(exc).__name__}: {exc}\n"
            "Please report it with the command you ran.")
        sys.exit(70)


__all__ = ["app", "main"]
