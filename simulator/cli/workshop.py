"""Commands of the workshop: the interface, one scenario, the room in browsers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import (
    EXIT_INVALID,
    EXIT_USAGE,
    app,
    err,
    print_scenarios,
    resolve_scenario,
    run_app,
)


@app.callback()
def main_callback(
    ctx: typer.Context,
    folder: Annotated[list[Path] | None, typer.Option(
        "--dir", help="Also offer the scenario files in this folder (repeatable).",
        show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the interface: en, nl, de (default: each "
        "scenario's own; the picker follows LANG).")] = None,
) -> None:
    """Without a command: the interface on the shipped scenarios (and --dir folders)."""
    if ctx.invoked_subcommand is not None:
        return
    for f in folder or []:
        if not f.is_dir():
            err(f"--dir {f}: no such folder")
            raise typer.Exit(EXIT_USAGE)
    if not sys.stdout.isatty():
        print_scenarios(folder)
        return
    from ..scenario.library import find_scenarios, library_dir

    run_app(find_scenarios([library_dir(), *(folder or [])], []), language=lang,
             single=False)


@app.command()
def scenarios() -> None:
    """List the commands and the shipped scenarios (no interface)."""
    print_scenarios()


@app.command()
def play(
    scenario: Annotated[str, typer.Argument(help="Scenario file, or a shipped scenario's name.",
                                            show_default=False)],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the interface (default: the scenario's).")] = None,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Reload the scenario when its file changes, replaying the acts "
        "so far where they still apply (for authors).")] = False,
) -> None:
    """Play one scenario file in the interface (its problems, if any, are printed instead)."""
    from ..scenario import ScenarioError
    from ..scenario.cache import load_scenario_cached

    path = Path(resolve_scenario(scenario))
    try:
        load_scenario_cached(path)  # the app reads it back from the cache in milliseconds
    except ScenarioError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    run_app([path], language=lang, single=True, watch=watch)


@app.command(hidden=True)
def session(
    lang: Annotated[str | None, typer.Option("--lang")] = None,
    folder: Annotated[list[Path] | None, typer.Option("--dir")] = None,
) -> None:
    """One browser session of `trustsim serve` (its own saves, no resume prompt)."""
    from ..scenario.library import find_scenarios, library_dir

    run_app(find_scenarios([library_dir(), *(folder or [])], []), language=lang,
             single=False, resume=False, session=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    folder: Annotated[list[Path] | None, typer.Option(
        "--dir", help="Also offer the scenario files in this folder.", show_default=False)
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the interface.")
                    ] = None,
    public_url: Annotated[str | None, typer.Option(
        "--public-url", help="The address browsers are sent to (behind a proxy, say); by "
        "default, the address each browser used.")] = None,
    max_sessions: Annotated[int, typer.Option(
        "--max-sessions", min=1, max=1000,
        help="Most browsers playing at once; the next ones get a 'room is full' page.")] = 30,
) -> None:
    """Serve the interface to browsers (each browser gets its own game, in its own process).

    Listens on 127.0.0.1 (this machine only) unless --host says otherwise; with --host
    0.0.0.0 it lists this machine's addresses and says which one to hand out.
    """
    import shlex

    from ..ui.serve import WILDCARDS, RoomServer, room_urls

    command = [sys.executable, "-m", "simulator.cli", "session"]
    for f in folder or []:
        if not f.is_dir():
            err(f"--dir {f}: no such folder")
            raise typer.Exit(EXIT_USAGE)
        command += ["--dir", str(f.resolve())]
    if lang:
        command += ["--lang", lang]
    # each browser's page points back at the address that browser used, so the room works
    # whatever address a trainee types; these lines only say which one to hand out
    urls = room_urls(host, port)
    address = public_url or urls[0]
    local = host.startswith("127.") or host in ("localhost", "::1")
    if public_url:
        reach = "hand this address out"
    elif local:
        reach = "this machine only: --host 0.0.0.0 serves the room"
    elif host in WILDCARDS and len(urls) == 1:
        reach = ("no network address found, so only this machine can reach it: join the "
                 "room's network and start again, or give --public-url "
                 f"http://ADDRESS:{port}")
    else:
        reach = "hand this address out"
    typer.echo(f"trustsim: serving on {address} to at most {max_sessions} browsers at once "
               f"({reach}; Ctrl+C to stop)")
    if host in WILDCARDS:
        typer.echo(f"  listening on every address of this machine: {', '.join(urls)}")
    RoomServer(shlex.join(command), max_sessions=max_sessions, host=host, port=port,
               title="trustsim", public_url=public_url).serve()
