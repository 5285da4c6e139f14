"""The ``trustsim`` command.

Headless commands import only what they need; the Textual interface is imported lazily
so ``trustsim validate`` or ``trustsim run`` never load Textual.
"""

from __future__ import annotations

import json
import os
import sys

# One BLAS thread: the core's dot products are memory-bound, and a second BLAS thread on a
# shared 2-core machine doubled the CPU cost of an end of turn for no gain (bench/).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
from pathlib import Path
from typing import Annotated, Any

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


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _resolve_scenario(name: str) -> str:
    """A path, or the name of a shipped scenario (``two-floors``)."""
    from .scenario.library import resolve_scenario

    return resolve_scenario(name)


def _print_scenarios(folders: list[Path] | None = None) -> None:
    from .scenario import ScenarioError, load_scenario
    from .scenario.library import shipped_scenarios

    typer.echo("trustsim: a simulator of trust and silos at work.\n")
    typer.echo("Commands:")
    for command in app.registered_commands:
        callback = command.callback
        doc = (callback.__doc__ or "").strip().splitlines()[0] if callback else ""
        name = command.name or (callback.__name__ if callback else "")
        typer.echo(f"  trustsim {name:<10} {doc}")
    groups: list[tuple[str, list[Path]]] = [(
        "Shipped scenarios (play one with `trustsim play NAME`, or headlessly with "
        "`trustsim run NAME`):", shipped_scenarios())]
    if folders:
        from .scenario.library import find_scenarios

        for folder in folders:
            groups.append((f"Scenario files in {folder}:", find_scenarios([folder], [])))
    for heading, paths in groups:
        typer.echo(f"\n{heading}")
        if not paths:
            typer.echo("  (none)")
        for path in paths:
            try:
                scenario = load_scenario(path)
            except ScenarioError as exc:
                typer.echo(f"  {path.stem:<22} INVALID: {exc.problems[0]}")
                continue
            setup = scenario.setup
            typer.echo(f"  {path.stem:<22} {setup.title} ({setup.language}, "
                       f"{len(setup.people)} people, {setup.turns} turns)")
            if setup.summary:
                typer.echo(f"  {'':<22} {setup.summary}")
    typer.echo("\nTry: trustsim run new-in-the-chair --acts reference\n"
               "More: trustsim COMMAND --help")


def _run_app(paths: list[Path], *, language: str | None, single: bool,
             resume: bool = True, session: bool = False) -> None:
    if not session and not (sys.stdin.isatty() and sys.stdout.isatty()):
        _err("trustsim's interface needs a terminal; `trustsim scenarios` lists the "
             "scenarios and `trustsim run` plays one headlessly.")
        raise typer.Exit(EXIT_USAGE)
    from .ui.run import run_interface

    raise typer.Exit(run_interface(paths, language=language, single=single, resume=resume,
                                   session=session))


def _load_or_exit(name: str) -> tuple[str, Any]:
    """Resolve and load a scenario; its problems end the command with exit code 1."""
    from .scenario import ScenarioError, load_scenario

    path = _resolve_scenario(name)
    try:
        return path, load_scenario(path)
    except ScenarioError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None


@app.callback()
def main_callback(
    ctx: typer.Context,
    folder: Annotated[list[Path] | None, typer.Option(
        "--dir", help="Also offer the scenario files in this folder (repeatable).",
        show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the interface (default: each scenario's own).")] = None,
) -> None:
    """Without a command: the interface on the shipped scenarios (and --dir folders)."""
    if ctx.invoked_subcommand is not None:
        return
    for f in folder or []:
        if not f.is_dir():
            _err(f"--dir {f}: no such folder")
            raise typer.Exit(EXIT_USAGE)
    if not sys.stdout.isatty():
        _print_scenarios(folder)
        return
    from .scenario.library import find_scenarios, library_dir

    _run_app(find_scenarios([library_dir(), *(folder or [])], []), language=lang,
             single=False)


@app.command()
def scenarios() -> None:
    """List the commands and the shipped scenarios (no interface)."""
    _print_scenarios()


@app.command()
def play(
    scenario: Annotated[str, typer.Argument(help="Scenario file, or a shipped scenario's name.",
                                            show_default=False)],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the interface (default: the scenario's).")] = None,
) -> None:
    """Play one scenario file in the interface (its problems, if any, are printed instead)."""
    from .scenario import ScenarioError
    from .scenario.cache import load_scenario_cached

    path = Path(_resolve_scenario(scenario))
    try:
        load_scenario_cached(path)  # the app reads it back from the cache in milliseconds
    except ScenarioError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    _run_app([path], language=lang, single=True)


@app.command(hidden=True)
def session(
    lang: Annotated[str | None, typer.Option("--lang")] = None,
    folder: Annotated[list[Path] | None, typer.Option("--dir")] = None,
) -> None:
    """One browser session of `trustsim serve` (its own saves, no resume prompt)."""
    from .scenario.library import find_scenarios, library_dir

    _run_app(find_scenarios([library_dir(), *(folder or [])], []), language=lang,
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
        "--public-url", help="The address browsers use, if not http://HOST:PORT.")] = None,
    max_sessions: Annotated[int, typer.Option(
        "--max-sessions", min=1, max=1000,
        help="Most browsers playing at once; the next ones get a 'room is full' page.")] = 30,
) -> None:
    """Serve the interface to browsers (each browser gets its own game, in its own process).

    Listens on 127.0.0.1 (this machine only) unless --host says otherwise.
    """
    import shlex

    from .ui.serve import RoomServer

    command = [sys.executable, "-m", "simulator.cli", "session"]
    for f in folder or []:
        if not f.is_dir():
            _err(f"--dir {f}: no such folder")
            raise typer.Exit(EXIT_USAGE)
        command += ["--dir", str(f.resolve())]
    if lang:
        command += ["--lang", lang]
    if public_url is None and host in ("0.0.0.0", "::", ""):
        # browsers need a real address, not "every interface"
        import socket

        try:
            names = socket.gethostbyname_ex(socket.gethostname())[2]
        except OSError:
            names = []
        lan = next((a for a in names if not a.startswith("127.")), None)
        if lan is None:
            _err("cannot tell this machine's network address: give it with "
                 f"--public-url http://ADDRESS:{port}")
            raise typer.Exit(EXIT_USAGE)
        public_url = f"http://{lan}:{port}"
    address = public_url or f"http://{host}:{port}"
    local = host.startswith("127.") or host in ("localhost", "::1")
    reach = ("this machine only: --host 0.0.0.0 serves the room" if local and not public_url
             else "hand this address out")
    typer.echo(f"trustsim: serving on {address} to at most {max_sessions} browsers at once "
               f"({reach}; Ctrl+C to stop)")
    RoomServer(shlex.join(command), max_sessions=max_sessions, host=host, port=port,
               title="trustsim", public_url=public_url).serve()


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.",
                                                show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check scenario files; print every problem as file:line:col: path: message."""
    from .scenario import ScenarioError, load_scenario

    results: list[dict[str, Any]] = []
    failed = False
    for file in files:
        try:
            scenario = load_scenario(str(file))
        except ScenarioError as exc:
            failed = True
            results.append({"file": str(file), "valid": False,
                            "problems": [p.as_dict() for p in exc.problems]})
            if not as_json:
                for problem in exc.problems:
                    typer.echo(str(problem))
            continue
        results.append({"file": str(file), "valid": True, "problems": [],
                        "title": scenario.title, "people": scenario.people})
        if not as_json:
            typer.echo(f"{file}: ok ({scenario.title}, {scenario.people} people, "
                       f"{scenario.setup.turns} turns)")
    if as_json:
        typer.echo(json.dumps({"valid": not failed, "files": results}, indent=2,
                              ensure_ascii=False))
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of the scenario format (for editor completion)."""
    from .scenario.files import atomic_write_text
    from .scenario.schema import schema_text

    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        typer.echo(f"wrote {output}", err=True)


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario file, or a shipped scenario's name.",
                                            show_default=False)],
    acts: Annotated[Path | None, typer.Option(
        "--acts", help="Acts file, one act a line; `reference` plays the scenario's own "
        "reference solution.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed (default: the scenario's).")
                    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON.")] = False,
    finish: Annotated[bool, typer.Option("--finish/--no-finish",
                                         help="End the remaining turns after the acts.")
                      ] = True,
    detail: Annotated[int, typer.Option("--detail", min=0,
                                        help="Changes shown per act in the text log.")] = 12,
    strategy: Annotated[str | None, typer.Option(
        "--strategy", help="Play with a built-in strategy instead of an acts file.")] = None,
    turns: Annotated[int | None, typer.Option("--turns", min=1, max=1000,
                                              help="Play this many turns (with --strategy).")
                     ] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write a tidy table (one row per turn x team) as .csv or .parquet.")
    ] = None,
) -> None:
    """Play a scenario headlessly (acts file or strategy); print the explained log."""
    from .experiments.report import jsonable, objective_line, render_steps, summary
    from .experiments.script import ScriptError, parse_script, play
    from .scenario import Game

    path, loaded = _load_or_exit(scenario)
    if seed is not None and seed < 0:
        _err("--seed must be 0 or more")
        raise typer.Exit(EXIT_USAGE)
    if strategy is not None or out is not None:
        if acts is not None:
            _err("--acts and --strategy/--out do not go together")
            raise typer.Exit(EXIT_USAGE)
        _run_strategy(path, strategy or "do_nothing", seed if seed is not None
                      else loaded.setup.seed, turns, out, as_json)
        return
    if turns is not None:
        _err("--turns goes with --strategy")
        raise typer.Exit(EXIT_USAGE)
    if acts is not None and str(acts) == "reference":
        from .scenario.library import reference_solution

        found = reference_solution(Path(loaded.path))
        if found is None:
            _err(f"{loaded.path}: no reference solution ({Path(loaded.path).stem}.acts) "
                 "next to it")
            raise typer.Exit(EXIT_INVALID)
        acts = found
    commands: list[tuple[int, dict[str, Any]]] = []
    acts_name = str(acts) if acts else "<acts>"
    if acts is not None:
        try:
            text = acts.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _err(f"{acts}: cannot read the acts file: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
        try:
            commands = parse_script(text, acts_name)
        except ScriptError as exc:
            _err(exc.message)
            raise typer.Exit(EXIT_INVALID) from None
    game = Game(loaded, seed, undo=False)
    try:
        steps = play(game, commands, file=acts_name, finish=finish)
    except ScriptError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    if as_json:
        data = {
            **summary(game),
            "steps": [{"line": s.line, "command": s.command, "automatic": s.automatic,
                       "result": jsonable(s.result)} for s in steps],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    typer.echo(f"{loaded.title} (seed {game.seed})")
    for line in render_steps(game, steps, limit=detail):
        typer.echo(line)
    typer.echo("")
    typer.echo("Result: " + ("all objectives met" if game.over and game.won else
                             "game over, objectives not all met" if game.over else
                             f"stopped at turn {game.turn}"))
    for status in game.objectives():
        typer.echo(f"  {objective_line(status)}")


def _run_strategy(path: str, strategy: str, seed: int, turns: int | None, out: Path | None,
                  as_json: bool) -> None:
    from .experiments.lab import RunSpec, check_strategies, run_rows, write_table

    try:
        check_strategies([strategy])
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    rows = run_rows(RunSpec(path, strategy, seed, (), turns))
    if out is not None:
        try:
            write_table(rows, out)
        except RuntimeError as exc:
            _err(str(exc))
            raise typer.Exit(EXIT_INVALID) from None
        typer.echo(f"wrote {out}: {len(rows)} rows", err=as_json)
    if as_json:
        typer.echo(json.dumps(list(rows), indent=1, allow_nan=False, default=str)
                   .replace("NaN", "null"))
    elif out is None:
        last = [r for r in rows if r["turn"] == rows[-1]["turn"]]
        typer.echo(f"{Path(path).stem} · {strategy} · seed {seed} · turn {rows[-1]['turn']}")
        for row in last:
            typer.echo(f"  {row['team']:<16} within {row['trust_within']:.3f}  across "
                       f"{row['trust_across']:.3f}  E-I {row['ei']:+.3f}")


@app.command()
def sweep(
    scenario: Annotated[str | None, typer.Argument(
        help="Scenario file or shipped name (or give --config).", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="NAME=V1,V2 or NAME=START:STOP:COUNT (repeatable; kappa = "
        "asymmetry).", show_default=False)] = None,
    strategy: Annotated[str, typer.Option("--strategy",
                                          help="Comma-separated strategies.")] = "do_nothing",
    reps: Annotated[int, typer.Option("--reps", min=1, max=1_000_000,
                                      help="Replicates per combination.")] = 10,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Base seed of the sweep.")] = 0,
    turns: Annotated[int | None, typer.Option("--turns", min=1, max=1000)] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1, max=512, help="Local processes.")
                    ] = max(1, os.cpu_count() or 1),
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Dask scheduler address, or `local` for a LocalCluster.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Table to write (.csv or .parquet).")
                   ] = Path("sweep.csv"),
    config: Annotated[Path | None, typer.Option("--config", help="A YAML sweep file.")
                      ] = None,
) -> None:
    """Sweep model parameters x strategies x replicates; resumable, parallel, tidy output."""
    from .experiments.lab import check_strategies, parse_param, plan_sweep, run_sweep, write_table

    grid: dict[str, list[float]] = {}
    strategies = [s.strip() for s in strategy.split(",") if s.strip()]
    if config is not None:
        import yaml

        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            _err(f"{config}: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
        if not isinstance(data, dict):
            _err(f"{config}: expected a mapping with scenario, params, strategies, reps")
            raise typer.Exit(EXIT_INVALID)
        scenario = scenario or data.get("scenario")
        for name, values in (data.get("params") or {}).items():
            text = values if isinstance(values, str) else ",".join(str(v) for v in values)
            param = [*(param or []), f"{name}={text}"]
        strategies = data.get("strategies", strategies)
        reps = int(data.get("reps", reps))
        seed = int(data.get("seed", seed))
        turns = data.get("turns", turns)
    if scenario is None:
        _err("give a scenario (or --config with `scenario:`)")
        raise typer.Exit(EXIT_USAGE)
    try:
        for text in param or []:
            name, values = parse_param(text)
            grid[name] = values
        check_strategies(strategies)
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    path, _ = _load_or_exit(scenario)
    runs = plan_sweep(path, grid, strategies, reps, seed=seed, turns=turns)
    parts = out.with_name(out.name + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    if sys.stderr.isatty():
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("runs"), BarColumn(), TextColumn("{task.completed}/"
                      "{task.total}"), TimeRemainingColumn(), transient=True) as bar:
            task = bar.add_task("runs", total=len(runs))
            rows = run_sweep(runs, jobs=jobs, parts=parts, cluster=cluster,
                             progress=lambda done, total: bar.update(task, completed=done,
                                                                     total=total))
    else:
        rows = run_sweep(runs, jobs=jobs, parts=parts, cluster=cluster)
    try:
        write_table(rows, out)
    except RuntimeError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    import shutil

    shutil.rmtree(parts, ignore_errors=True)
    typer.echo(f"wrote {out}: {len(runs)} runs, {len(rows)} rows")


@app.command()
def export(
    scenario: Annotated[str, typer.Argument(help="Scenario file or shipped name.",
                                            show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="File to write: .graphml, .gexf or .json.",
                                         show_default=False)],
    turn: Annotated[int, typer.Option("--turn", min=0, help="Export after this many turns.")
                    ] = 0,
    strategy: Annotated[str, typer.Option("--strategy")] = "do_nothing",
    seed: Annotated[int | None, typer.Option("--seed")] = None,
) -> None:
    """Export the organisation (trust as edge weight, team as node attribute) for Gephi."""
    from .experiments.export import export_graph
    from .scenario import ScenarioError

    try:
        export_graph(_resolve_scenario(scenario), output, turn=turn, strategy=strategy,
                     seed=seed)
    except ScenarioError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(f"wrote {output}")


@app.command()
def plot(
    table: Annotated[Path | None, typer.Argument(
        help="A table from `run --out` or `sweep` (.csv or .parquet).", show_default=False)
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="Figure to write: .png, .svg or .pdf.",
                                         show_default=False)] = Path("figure.png"),
    x: Annotated[str, typer.Option("--x", help="Column on the x axis (turn, or a param_ "
                                               "column for final outcomes).")] = "turn",
    y: Annotated[str, typer.Option("--y", help="Measure to plot.")] = "ei",
    by: Annotated[str | None, typer.Option("--by", help="One line per value of this "
                                                         "column.")] = "strategy",
    network: Annotated[str | None, typer.Option(
        "--network", help="Instead: draw this scenario's trust network by team.")] = None,
    turn: Annotated[int, typer.Option("--turn", min=0, help="With --network: after this "
                                                             "many turns.")] = 0,
    strategy: Annotated[str, typer.Option("--strategy", help="With --network.")
                        ] = "do_nothing",
) -> None:
    """Plot a measure over turns or against a parameter, or the trust network."""
    from .experiments.plots import plot_network, plot_table, read_table
    from .scenario import ScenarioError

    try:
        if network is not None:
            from .experiments.export import game_at_turn

            plot_network(game_at_turn(_resolve_scenario(network), turn, strategy), output)
        elif table is None:
            _err("give a table, or --network SCENARIO")
            raise typer.Exit(EXIT_USAGE)
        else:
            plot_table(read_table(table), output, x=x, y=y, by=by or None)
    except ScenarioError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    except (ValueError, RuntimeError, OSError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE if isinstance(exc, ValueError) else EXIT_INVALID) \
            from None
    typer.echo(f"wrote {output}")


@app.command()
def generate(
    output: Annotated[Path, typer.Option("-o", "--output", help="Compact .npz file to write.",
                                         show_default=False)],
    people: Annotated[int, typer.Option("--people", min=3, max=2_000_000,
                                        help="How many people.")] = 300,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
    span_min: Annotated[int, typer.Option(min=2, help="Fewest direct reports a manager has.")
                        ] = 5,
    span_max: Annotated[int, typer.Option(min=2, help="Most direct reports a manager has.")
                        ] = 8,
    density: Annotated[float, typer.Option(min=0.0, max=1.0,
                                           help="Chance of a tie between two teammates.")
                       ] = 0.9,
    cross_ties: Annotated[int, typer.Option(min=0, max=100,
                                            help="Mutual cross-team ties per person.")] = 2,
    homophily: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Share of cross-team ties inside one's department.")] = 0.7,
    turns: Annotated[int, typer.Option(min=1, max=1000, help="Turns of the scenario.")] = 20,
) -> None:
    """Make a synthetic organisation (management tree, teams, ties) as a compact file."""
    from .experiments.generate import OrgOptions, generate_org, write_org

    if not str(output).endswith(".npz"):
        _err(f"{output}: the compact format's file name ends in .npz")
        raise typer.Exit(EXIT_USAGE)
    if span_min > span_max:
        _err("--span-min must not exceed --span-max")
        raise typer.Exit(EXIT_USAGE)
    options = OrgOptions(people=people, seed=seed, span_min=span_min, span_max=span_max,
                         density=density, cross_ties=cross_ties, homophily=homophily,
                         turns=turns)
    org = generate_org(options)
    write_org(org, str(output))
    typer.echo(f"wrote {output}: {org.n:,} people, {len(org.team_lead):,} teams, "
               f"{len(org.tie_src):,} ties; player {org.ids()[org.player]}")


def _write_scenario(path: Path, text: str) -> None:
    """Write a scenario, and the JSON Schema beside it (for editors) if there is none."""
    from .scenario.files import atomic_write_text
    from .scenario.schema import schema_text

    atomic_write_text(path, text)
    schema = path.parent / "schema.json"
    if not schema.exists():
        atomic_write_text(schema, schema_text())


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the scenario file to create.",
                                        show_default=False)],
    people: Annotated[int, typer.Option("--people", min=2, max=500,
                                        help="How many people.")] = 8,
    teams: Annotated[int, typer.Option("--teams", min=1, max=50, help="How many teams.")] = 2,
    language: Annotated[str, typer.Option("--language", help="Language code (en, nl, ...).")
                        ] = "en",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")
                     ] = False,
) -> None:
    """Write a commented starter scenario (and schema.json beside it) that validates."""
    import re

    from .experiments.starter import starter_yaml

    path = Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if path.exists() and not force:
        _err(f"{path} already exists (use --force to overwrite it)")
        raise typer.Exit(EXIT_INVALID)
    if not re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2,4})?", language):
        _err(f"--language {language!r}: expected a language code such as en or nl")
        raise typer.Exit(EXIT_USAGE)
    try:
        text = starter_yaml(path.stem, people=people, teams=teams, language=language)
        from .scenario import load_scenario_text

        load_scenario_text(text, str(path))  # what we write must validate
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    _write_scenario(path, text)
    typer.echo(f"wrote {path} ({people} people in {teams} teams); next: trustsim check {path}")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.",
                                                show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")
                      ] = False,
) -> None:
    """Validate and lint scenarios: problems, then warnings a trainer wants first."""
    from .experiments.lint import lint
    from .scenario import ScenarioError, load_scenario

    failed = warned = False
    for file in files:
        try:
            scenario = load_scenario(str(file))
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(str(problem))
            continue
        warnings = lint(scenario)
        warned = warned or bool(warnings)
        for warning in warnings:
            typer.echo(str(warning))
        typer.echo(f"{file}: {'ok' if not warnings else f'{len(warnings)} warning(s)'}")
    raise typer.Exit(EXIT_INVALID if failed or (strict and warned) else EXIT_OK)


@app.command()
def balance(
    scenario: Annotated[str, typer.Argument(help="Scenario file, or a shipped scenario's name.",
                                            show_default=False)],
    seeds: Annotated[int, typer.Option("--seeds", min=1, max=100_000,
                                       help="Seeds per strategy (0..N-1).")] = 200,
    strategies: Annotated[str | None, typer.Option(
        "--strategies", help="Comma-separated strategies (default: all built-in).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1, max=256,
                                      help="Parallel processes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the runs as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the runs as CSV.")] = False,
) -> None:
    """Play a scenario with built-in strategies over many seeds; a table per strategy."""
    from .experiments.balance import DEFAULT_STRATEGIES, as_records, summarise
    from .experiments.balance import balance as run_balance
    from .experiments.strategies import STRATEGIES

    if as_json and as_csv:
        _err("choose one of --json and --csv")
        raise typer.Exit(EXIT_USAGE)
    path, _ = _load_or_exit(scenario)
    chosen = tuple(s.strip() for s in strategies.split(",") if s.strip()) if strategies \
        else DEFAULT_STRATEGIES
    unknown = [s for s in chosen if s not in STRATEGIES]
    if unknown:
        _err(f"unknown strategies: {', '.join(unknown)} (known: {', '.join(STRATEGIES)})")
        raise typer.Exit(EXIT_USAGE)
    from .scenario.library import reference_solution

    if "reference" in chosen and reference_solution(Path(path)) is None:
        if strategies:
            _err(f"{path}: no reference solution ({Path(path).stem}.acts) beside it")
            raise typer.Exit(EXIT_INVALID)
        chosen = tuple(s for s in chosen if s != "reference")
    if "reference" in chosen:
        from .experiments.script import ScriptError, parse_script

        script = reference_solution(Path(path))
        assert script is not None
        try:
            parse_script(script.read_text(encoding="utf-8"), str(script))
        except (ScriptError, OSError, UnicodeDecodeError) as exc:
            _err(f"the reference solution cannot be read:\n{exc}")
            raise typer.Exit(EXIT_INVALID) from None
    quiet = as_json or as_csv or not sys.stderr.isatty()
    if quiet:
        results = run_balance(path, chosen, range(seeds), jobs=jobs)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("playing", total=len(chosen) * seeds)
            results = run_balance(path, chosen, range(seeds), jobs=jobs,
                                  progress=lambda done, total: bar.update(task, completed=done,
                                                                     total=total))
    if as_json:
        from .experiments.report import jsonable

        typer.echo(json.dumps(jsonable({"summary": summarise(results),
                                        "runs": as_records(results)}), indent=1))
        return
    if as_csv:
        import csv

        records = as_records(results)
        teams = sorted(records[0]["ei"]) if records else []
        goals = list(records[0]["objectives"]) if records else []
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["strategy", "seed", "choices", "won", "objectives_met",
                         "trust_in_player", "cross_team_trust", "promises_broken",
                         *[f"ei_{t}" for t in teams], *[f"objective_{g}" for g in goals]])
        for r in records:
            choices = ";".join(f"{k}={v}" for k, v in r["choices"].items())
            values = [r["objectives"][g] for g in goals]
            writer.writerow([r["strategy"], r["seed"], choices, int(r["won"]),
                             r["objectives_met"], f"{r['trust_in_player']:.6f}",
                             f"{r['cross_team_trust']:.6f}", r["promises_broken"],
                             *[f"{r['ei'][t]:.6f}" for t in teams],
                             *["" if v is None else f"{v:.6f}" for v in values]])
        return
    from rich.console import Console
    from rich.table import Table

    from .scenario.loader import load_scenario

    rows = summarise(results)
    teams = list(rows[0]["ei"]) if rows else []
    answers = max((row["answers"] for row in rows), default=1)
    title = f"{Path(path).stem}: {seeds} seeds per strategy"
    if answers > 1:
        title += f", each under {answers} sets of answers to the dilemmas"
    table = Table(title=title)
    for column in ("strategy", "win rate", "worst answers", "trust in player",
                   "cross-team trust", *[f"E-I {t}" for t in teams[:3]], "promises broken"):
        table.add_column(column, justify="left" if column == "strategy" else "right",
                         no_wrap=column == "strategy")
    for row in rows:
        name = row["strategy"] + (" (exploit)" if row["exploit"] else "")
        worst = f"{row['win_rate_worst']:.0%}" if row["answers"] > 1 else "-"
        table.add_row(name, f"{row['win_rate']:.0%}", worst,
                      f"{row['trust_in_player']:.2f}±{row['trust_in_player_sd']:.2f}",
                      f"{row['cross_team_trust']:.2f}",
                      *[f"{row['ei'][t]:+.2f}" for t in teams[:3]],
                      f"{row['promises_broken']:.1f}")
    console = Console()
    console.print(table)
    objectives = load_scenario(path).setup.objectives
    if objectives and rows:
        goal_table = Table(title="Objectives as judged: mean (lowest to highest over seeds), "
                       "with each strategy's best answers")
        goal_table.add_column("strategy", no_wrap=True)
        for objective in objectives:
            target = objective.at_least if objective.at_least is not None else \
                objective.at_most
            sign = ">=" if objective.at_least is not None else "<="
            header = objective.id if target is None else f"{objective.id} {sign} {target:g}"
            goal_table.add_column(header, justify="right")
        for row in rows:
            cells = []
            for objective in objectives:
                found = row["objectives"].get(objective.id, {})
                if found.get("mean") is None:
                    cells.append("-")
                else:
                    cells.append(f"{found['mean']:.2f} ({found['min']:.2f} to "
                                 f"{found['max']:.2f})")
            goal_table.add_row(row["strategy"], *cells)
        console.print(goal_table)
    if any(row["answers"] > 1 for row in rows):
        console.print("Dilemmas: strategies that do not answer them themselves were played "
                      "under every set of answers; each row shows its best answers, 'worst "
                      "answers' the win rate under its worst. --json names the answers.")


@app.command()
def debrief(
    saves: Annotated[list[Path], typer.Argument(help="Saved sessions to compare.",
                                                show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write the Markdown report here.")
                      ] = None,
) -> None:
    """Compare trainees' saved sessions side by side; print a table, write a report."""
    from .experiments.compare import compare_markdown, compare_rows, load_sessions
    from .scenario import SaveError
    from .scenario.files import atomic_write_text

    try:
        sessions = load_sessions(saves)
    except SaveError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    titles = {s.game.setup.title for s in sessions}
    if len(titles) > 1:
        _err(f"these saves come from different scenarios: {', '.join(sorted(titles))}")
        raise typer.Exit(EXIT_INVALID)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=next(iter(titles)))
    for column in ("session", "result", "objectives", "trust in player", "cross-team trust",
                   "promises broken"):
        table.add_column(column, justify="left" if column == "session" else "right")
    for row in compare_rows(sessions):
        result = "won" if row["won"] else ("lost" if row["over"] else f"turn {row['turn']}")
        table.add_row(row["session"], result, f"{row['objectives_met']}/{row['objectives']}",
                      f"{row['trust_in_player']:.2f}", f"{row['cross_team_trust']:.2f}",
                      str(row["promises_broken"]))
    Console().print(table)
    report = compare_markdown(sessions)
    target = output or Path("debrief.md")
    atomic_write_text(target, report)
    typer.echo(f"wrote {target}")


@app.command("import")
def import_orgchart(
    orgchart: Annotated[Path, typer.Argument(help="People CSV: id, name, team, role, manager, "
                                                  "traits, trust columns.",
                                             show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Scenario file to write.",
                                         show_default=False)],
    ties: Annotated[Path | None, typer.Option("--ties", help="Ties CSV: from, to, trust, "
                                                             "strength, mutual.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Scenario title.")] = None,
    player: Annotated[str | None, typer.Option(
        "--player", help="Id of the person the trainee plays (default: the manager with "
        "the most reports).")] = None,
    turns: Annotated[int, typer.Option("--turns", min=1, max=1000)] = 10,
    language: Annotated[str, typer.Option("--language")] = "en",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")
                     ] = False,
) -> None:
    """Build a scenario from an org-chart CSV; every bad row reported with its line."""
    from .experiments.orgchart import orgchart_yaml, read_orgchart
    from .scenario import ScenarioError, load_scenario_text

    if output.exists() and not force:
        _err(f"{output} already exists (use --force to overwrite it)")
        raise typer.Exit(EXIT_INVALID)
    try:
        chart = read_orgchart(orgchart, ties)
        text = orgchart_yaml(chart, title=title or orgchart.stem, player=player, turns=turns,
                             language=language)
        load_scenario_text(text, str(output))  # what we write must validate
    except ScenarioError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    _write_scenario(output, text)
    typer.echo(f"wrote {output}: {len(chart.people)} people in {len(chart.teams)} teams, "
               f"{len(chart.ties)} extra ties; next: edit the brief and objectives, then "
               f"trustsim check {output}")


def main() -> None:
    """Entry point: never shows a traceback to a user."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        _err(f"trustsim: unexpected error: {type(exc).__name__}: {exc}\n"
             "Please report it with the command you ran.")
        sys.exit(70)


if __name__ == "__main__":  # pragma: no cover
    main()
