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
    say,
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
    room: Annotated[Path | None, typer.Option("--room")] = None,
    seat: Annotated[int, typer.Option("--seat")] = 1,
    peer: Annotated[str, typer.Option("--peer")] = "",
) -> None:
    """One browser session of `trustsim serve` (its own saves, no resume prompt); with
    --room, its save and status go to the room's folder for the trainer's view."""
    from ..scenario.library import find_scenarios, library_dir
    from ..ui import storage

    storage.use_session_saves(room, seat, peer)

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

    # -P: the sessions run the trustsim that is installed, never a `simulator/` folder in
    # the current directory (a clone, say, whose catalogues are not compiled)
    command = [sys.executable, "-P", "-m", "simulator.cli", "session"]
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
    import secrets
    import socket

    # the port first: a busy one is said plainly, before anything is made or printed
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        err(f"cannot listen on {host or '*'}:{port}: {exc.strerror or exc} (another "
            f"`trustsim serve` there? choose another --port)")
        raise typer.Exit(EXIT_USAGE) from None

    from ..experiments.room import Room, write_room_link
    from ..ui import storage

    room = Room.create(storage.data_dir() / "rooms")
    token = secrets.token_hex(8)
    write_room_link(storage.state_dir(), address, token, room.folder)
    browsers = "browser" if max_sessions == 1 else "browsers"
    typer.echo(f"trustsim: serving on {address} to at most {max_sessions} {browsers} at once "
               f"({reach}; Ctrl+C to stop)")
    if host in WILDCARDS:
        typer.echo(f"  listening on every address of this machine: {', '.join(urls)}")
    typer.echo(f"  the room view, for you only: {address}/room?token={token}")
    typer.echo("    or `trustsim room` in a terminal on this machine; p pauses the room, "
               "d writes the debrief report of every session")
    typer.echo(f"  the room's saves and report: {room.folder}")
    RoomServer(shlex.join(command), max_sessions=max_sessions, host=host, port=port,
               title="trustsim", public_url=public_url, room=room, token=token).serve()


@app.command()
def room(
    url: Annotated[str | None, typer.Argument(
        help="The room's address, as `trustsim serve` printed it (default: the room "
        "served on this machine).", show_default=False)] = None,
    token: Annotated[str | None, typer.Option(
        "--token", help="The room's token, as `trustsim serve` printed it (default: the "
        "room served on this machine).", show_default=False)] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="Print the room once and stop (also without a terminal).")] = False,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Write the debrief report of every session to this file and stop.",
        show_default=False)] = None,
) -> None:
    """The trainer's view of the room that `trustsim serve` runs, live (p pause, d debrief).

    One row per trainee: the scenario, the turn, each objective on track or not, trust in
    them, the last act and how long since their last move. p pauses or resumes the room; d
    writes the debrief report of every session.
    """
    from ..experiments.room import read_room_link
    from ..ui import storage
    from ..ui.roomview import COLUMNS, RoomApp, RoomClient, RoomError, headline_text, row_cells

    if url is not None and Path(url).is_dir():  # a room's folder: its report, without the server
        from ..experiments.room import Room

        folder = Path(url)
        if not (folder / "status").is_dir():
            err(f"{url} is a folder but not a room's (rooms/DATE-TIME in trustsim's data "
                "folder, as `trustsim serve` printed it)")
            raise typer.Exit(EXIT_USAGE)
        if report is None:
            err(f"{url}: a room's folder gives its report (--report FILE); the live view "
                "needs the address `trustsim serve` printed")
            raise typer.Exit(EXIT_USAGE)
        from ..scenario.files import atomic_write_text

        atomic_write_text(report, Room(folder).report())
        say(f"wrote {report}")
        return
    link = read_room_link(storage.state_dir())
    linked = url is None and token is None  # the room served on this machine
    if url is None or token is None:
        if link is None:
            err("no room is served on this machine: give its address and token, as "
                "`trustsim serve` printed them: trustsim room http://HOST:PORT --token TOKEN")
            raise typer.Exit(EXIT_USAGE)
        url, token = url or link["url"], token or link["token"]
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    # the address may be the room view's own, with ?token= at its end
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    try:
        valid = bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # a port that is not a number
        valid = False
    if not valid or any(c.isspace() for c in url):
        err(f"{url!r} is not an address: give the one `trustsim serve` printed, as in "
            "http://192.168.1.20:8000")
        raise typer.Exit(EXIT_USAGE)
    token = parse_qs(parts.query).get("token", [token])[0]
    client = RoomClient(f"{parts.scheme}://{parts.netloc}", token)
    if report is not None:
        from ..scenario.files import atomic_write_text

        try:
            atomic_write_text(report, client.report())
        except RoomError as exc:
            err(str(exc))
            raise typer.Exit(EXIT_INVALID) from None
        except OSError as exc:
            err(f"{report}: {exc.strerror or exc}")
            raise typer.Exit(EXIT_INVALID) from None
        say(f"wrote {report}")
        return
    if once or not sys.stdout.isatty():
        try:
            state = client.state()
        except RoomError as exc:
            err(str(exc))
            raise typer.Exit(EXIT_INVALID) from None
        from rich.console import Console
        from rich.table import Table

        table = Table(title=headline_text(state), title_justify="left")
        for column in COLUMNS:
            table.add_column(column)
        for row in state["sessions"]:
            table.add_row(*row_cells(row))
        # in a pipe or a file, wide enough for a row a line (a terminal gives its width)
        Console(width=None if sys.stdout.isatty() else 160).print(table)
        if not state["sessions"]:
            say("Nobody has joined yet: trainees open the address `trustsim serve` printed "
                "first.")
        return
    try:
        client.state()
    except RoomError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    def relink() -> RoomClient | None:
        fresh = read_room_link(storage.state_dir())
        return RoomClient(fresh["url"], fresh["token"]) if fresh else None

    RoomApp(client, relink=relink if linked else None).run()
