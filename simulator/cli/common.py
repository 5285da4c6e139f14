"""What every ``trustsim`` command shares: the typer app, exit codes, errors, loading."""

from __future__ import annotations

import os
import sys

# One BLAS thread: the core's dot products are memory-bound, and a second BLAS thread on a
# shared 2-core machine doubled the CPU cost of an end of turn for no gain (bench/).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(
    name="trustsim",
    help="A simulator of trust and silos at work: play a manager, watch trust spread.",
    add_completion=False,
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def err(message: str) -> None:
    """A message on stderr; control characters in it (a file name, a value quoted from a
    file) are printed escaped, never obeyed by the terminal."""
    from ..scenario.text import safe_lines

    typer.echo(safe_lines(message), err=True)


def say(text: str) -> None:
    """A line (or lines) on stdout, control characters escaped (see :func:`err`)."""
    from ..scenario.text import safe_lines

    typer.echo(safe_lines(text))


def resolve_scenario(name: str) -> str:
    """A path, or the name of a shipped scenario (``two-floors``)."""
    from ..scenario.library import resolve_scenario as resolve

    return resolve(name)


def print_scenarios(folders: list[Path] | None = None) -> None:
    from ..scenario import ScenarioError, load_scenario
    from ..scenario.library import shipped_scenarios
    from ..scenario.text import safe_text

    typer.echo("trustsim: a simulator of trust and silos at work.\n")
    typer.echo("Commands:")
    for command in app.registered_commands:
        if command.hidden:
            continue
        callback = command.callback
        doc = (callback.__doc__ or "").strip().splitlines()[0] if callback else ""
        name = command.name or (callback.__name__ if callback else "")
        typer.echo(f"  trustsim {name:<10} {doc}")
    groups: list[tuple[str, list[Path]]] = [(
        "Shipped scenarios (play one with `trustsim play NAME`, or headlessly with "
        "`trustsim run NAME`):", shipped_scenarios())]
    if folders:
        from ..scenario.library import find_scenarios

        for folder in folders:
            groups.append((f"Scenario files in {folder}:", find_scenarios([folder], [])))
    for heading, paths in groups:
        say(f"\n{heading}")
        if not paths:
            typer.echo("  (none)")
        for path in paths:
            try:
                scenario = load_scenario(path)
            except ScenarioError as exc:
                say(f"  {safe_text(path.stem):<22} INVALID: {exc.problems[0]}")
                continue
            setup = scenario.setup
            say(f"  {safe_text(path.stem):<22} {safe_text(setup.title)} ({setup.language}, "
                f"{len(setup.people)} people, {setup.turns} turns)")
            if setup.summary:
                say(f"  {'':<22} {setup.summary}")
    typer.echo("\nTry: trustsim run new-in-the-chair --acts reference\n"
               "More: trustsim COMMAND --help")


def run_app(paths: list[Path], *, language: str | None, single: bool,
             resume: bool = True, session: bool = False, watch: bool = False) -> None:
    if not session and not (sys.stdin.isatty() and sys.stdout.isatty()):
        err("trustsim's interface needs a terminal; `trustsim scenarios` lists the "
             "scenarios and `trustsim run` plays one headlessly.")
        raise typer.Exit(EXIT_USAGE)
    from ..ui.run import run_interface

    raise typer.Exit(run_interface(paths, language=language, single=single, resume=resume,
                                   session=session, watch=watch))


def load_or_exit(name: str) -> tuple[str, Any]:
    """Resolve and load a scenario; its problems end the command with exit code 1."""
    from ..scenario import ScenarioError, load_scenario

    path = resolve_scenario(name)
    try:
        return path, load_scenario(path)
    except ScenarioError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None


def write_scenario(path: Path, text: str) -> None:
    """Write a scenario, and the JSON Schema beside it (for editors) if there is none."""
    from ..scenario.files import atomic_write_text
    from ..scenario.schema import schema_text

    atomic_write_text(path, text)
    schema = path.parent / "schema.json"
    if not schema.exists():
        atomic_write_text(schema, schema_text())
