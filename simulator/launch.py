"""The ``trustsim`` entry point.

Starting the interface is what trainees do most, so that path skips the command-line
machinery (typer and click cost about 50 ms before anything is drawn): ``trustsim``,
``trustsim --dir FOLDER --lang nl`` and ``trustsim play SCENARIO [--lang nl] [--watch]``
in a terminal go straight to the app. Every other command line (help, headless commands,
anything unusual or wrong) goes to :mod:`simulator.cli`, which parses and reports it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

# One BLAS thread: see simulator/cli/common.py (set here too: the interface never imports it).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


@dataclass
class Plan:
    """An interface start the launcher understood: what to open, in which language."""

    play: str | None = None
    folders: list[Path] = field(default_factory=list)
    language: str | None = None
    watch: bool = False  # `play FILE --watch`: reload the file when it changes


def interface_plan(argv: list[str]) -> Plan | None:
    """The plan for ``argv`` if it only starts the interface in a simple way, else ``None``
    (and the full command line parser takes over)."""
    plan = Plan()
    args = list(argv)
    if args[:1] == ["play"]:
        args.pop(0)
        if not args or args[0].startswith("-"):
            return None
        plan.play = args.pop(0)
    while args:
        option = args.pop(0)
        if option == "--watch" and plan.play is not None and not plan.watch:
            plan.watch = True
            continue
        name, eq, value = option.partition("=")
        if not eq:
            if not args:
                return None
            value = args.pop(0)
        if not value or value.startswith("-"):
            return None
        if name == "--lang" and plan.language is None:
            plan.language = value
        elif name == "--dir" and plan.play is None and Path(value).is_dir():
            plan.folders.append(Path(value))
        else:
            return None
    return plan


def main() -> None:
    """Entry point: the interface directly when that is all that was asked, else the CLI."""
    plan = interface_plan(sys.argv[1:]) if sys.stdin.isatty() and sys.stdout.isatty() \
        else None
    if plan is None:
        from .cli import main as cli_main

        cli_main()
        return
    try:
        from .ui.run import default_paths, run_interface

        if plan.play is not None:
            from .scenario.cache import load_scenario_cached
            from .scenario.errors import ScenarioError
            from .scenario.library import resolve_scenario

            path = Path(resolve_scenario(plan.play))
            try:  # a broken file is reported here, as `trustsim validate` would
                load_scenario_cached(path)
            except ScenarioError as exc:
                print(exc, file=sys.stderr)
                sys.exit(1)
            code = run_interface([path], language=plan.language, single=True,
                                 watch=plan.watch)
        else:
            code = run_interface(default_paths(plan.folders), language=plan.language,
                                 single=False)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the app shows and logs its own errors; this is before it
        from .scenario.text import safe_lines  # a message may quote a file: escaped

        print(safe_lines(f"trustsim: unexpected error: {type(exc).__name__}: {exc}\n"
                         "Please report it with the command you ran."), file=sys.stderr)
        sys.exit(70)
    sys.exit(code)


__all__ = ["Plan", "interface_plan", "main"]
