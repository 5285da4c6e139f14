"""Commands of the lab: headless runs, sweeps, exports, plots, generated organisations."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import (
    EXIT_INVALID,
    EXIT_USAGE,
    app,
    err,
    load_or_exit,
    resolve_scenario,
)


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
    from ..experiments.report import jsonable, objective_line, render_steps, summary
    from ..experiments.script import ScriptError, parse_script, play
    from ..scenario import Game

    path, loaded = load_or_exit(scenario)
    if seed is not None and seed < 0:
        err("--seed must be 0 or more")
        raise typer.Exit(EXIT_USAGE)
    if strategy is not None or out is not None:
        if acts is not None:
            err("--acts and --strategy/--out do not go together")
            raise typer.Exit(EXIT_USAGE)
        _run_strategy(path, strategy or "do_nothing", seed if seed is not None
                      else loaded.setup.seed, turns, out, as_json)
        return
    if turns is not None:
        err("--turns goes with --strategy")
        raise typer.Exit(EXIT_USAGE)
    if acts is not None and str(acts) == "reference":
        from ..scenario.library import reference_solution

        found = reference_solution(Path(loaded.path))
        if found is None:
            err(f"{loaded.path}: no reference solution ({Path(loaded.path).stem}.acts) "
                 "next to it")
            raise typer.Exit(EXIT_INVALID)
        acts = found
    commands: list[tuple[int, dict[str, Any]]] = []
    acts_name = str(acts) if acts else "<acts>"
    if acts is not None:
        try:
            text = acts.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            err(f"{acts}: cannot read the acts file: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
        try:
            commands = parse_script(text, acts_name)
        except ScriptError as exc:
            err(exc.message)
            raise typer.Exit(EXIT_INVALID) from None
    game = Game(loaded, seed, undo=False)
    try:
        steps = play(game, commands, file=acts_name, finish=finish)
    except ScriptError as exc:
        err(str(exc))
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
    from ..experiments.lab import RunSpec, check_strategies, run_rows, write_table

    try:
        check_strategies([strategy])
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    rows = run_rows(RunSpec(path, strategy, seed, (), turns))
    if out is not None:
        try:
            write_table(rows, out)
        except RuntimeError as exc:
            err(str(exc))
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
    from ..experiments.lab import check_strategies, parse_param, plan_sweep, run_sweep, write_table

    grid: dict[str, list[float]] = {}
    strategies = [s.strip() for s in strategy.split(",") if s.strip()]
    if config is not None:
        import yaml

        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            err(f"{config}: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
        if not isinstance(data, dict):
            err(f"{config}: expected a mapping with scenario, params, strategies, reps")
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
        err("give a scenario (or --config with `scenario:`)")
        raise typer.Exit(EXIT_USAGE)
    try:
        for text in param or []:
            name, values = parse_param(text)
            grid[name] = values
        check_strategies(strategies)
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    path, _ = load_or_exit(scenario)
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
        err(str(exc))
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
    from ..experiments.export import export_graph
    from ..scenario import ScenarioError

    try:
        export_graph(resolve_scenario(scenario), output, turn=turn, strategy=strategy,
                     seed=seed)
    except ScenarioError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    except ValueError as exc:
        err(str(exc))
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
    from ..experiments.plots import plot_network, plot_table, read_table
    from ..scenario import ScenarioError

    try:
        if network is not None:
            from ..experiments.export import game_at_turn

            plot_network(game_at_turn(resolve_scenario(network), turn, strategy), output)
        elif table is None:
            err("give a table, or --network SCENARIO")
            raise typer.Exit(EXIT_USAGE)
        else:
            plot_table(read_table(table), output, x=x, y=y, by=by or None)
    except ScenarioError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    except (ValueError, RuntimeError, OSError) as exc:
        err(str(exc))
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
    from ..experiments.generate import OrgOptions, generate_org, write_org

    if not str(output).endswith(".npz"):
        err(f"{output}: the compact format's file name ends in .npz")
        raise typer.Exit(EXIT_USAGE)
    if span_min > span_max:
        err("--span-min must not exceed --span-max")
        raise typer.Exit(EXIT_USAGE)
    options = OrgOptions(people=people, seed=seed, span_min=span_min, span_max=span_max,
                         density=density, cross_ties=cross_ties, homophily=homophily,
                         turns=turns)
    org = generate_org(options)
    write_org(org, str(output))
    typer.echo(f"wrote {output}: {org.n:,} people, {len(org.team_lead):,} teams, "
               f"{len(org.tie_src):,} ties; player {org.ids()[org.player]}")
