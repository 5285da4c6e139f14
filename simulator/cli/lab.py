"""Commands of the lab: headless runs, sweeps, exports, plots, generated organisations,
sensitivity analysis."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import (
    EXIT_INVALID,
    EXIT_USAGE,
    app,
    err,
    load_or_exit,
    resolve_scenario,
    say,
)

if TYPE_CHECKING:
    from ..experiments.lab import RunSpec

# options that several lab commands share, declared once
OrgSeed = Annotated[int | None, typer.Option(
    "--org-seed", min=0, help="Regenerate a generated organisation (.npz) with this seed (a "
    "sweep row's org_seed).", show_default=False)]
ManagerCapacity = Annotated[int | None, typer.Option(
    "--manager-capacity", min=1, max=20, help="Acts a turn of each manager acting by policy "
    "(default: the scenario's capacity).", show_default=False)]
Where = Annotated[list[str] | None, typer.Option(
    "--where", help="Keep rows where COL=VALUE (or COL=V1,V2); repeatable.",
    show_default=False)]
Team = Annotated[str | None, typer.Option(
    "--team", help="One team's value per run (default: the mean over teams).")]
Weighted = Annotated[bool, typer.Option(
    "--weighted", help="Weight the mean over teams by team size.")]

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
    policy: Annotated[str | None, typer.Option(
        "--policy", help="Let the other managers act: shares by policy, e.g. "
        "build_bridges=0.3,keep_promises=0.7 (see docs/lab.md).", show_default=False)
    ] = None,
    org_seed: OrgSeed = None,
    manager_capacity: ManagerCapacity = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="NAME=VALUE, one value (repeatable; the names of a sweep's --param, "
        "kappa = asymmetry).", show_default=False)] = None,
    measures: Annotated[str | None, typer.Option(
        "--measures", help="Network measures to add per turn, comma-separated, or `all`: "
        "constraint, effective_size, cross_betweenness, reciprocity, persistence, nmi "
        "(slow on large organisations; see docs/lab.md).", show_default=False)] = None,
) -> None:
    """Play a scenario headlessly (acts file or strategy); print the explained log."""
    from ..experiments.report import jsonable, objective_line, render_steps, summary
    from ..experiments.script import ScriptError, parse_script, play
    from ..scenario import Game
    from ..scenario.text import safe_json

    path, loaded = load_or_exit(scenario)
    if seed is not None and seed < 0:
        err("--seed must be 0 or more")
        raise typer.Exit(EXIT_USAGE)
    if (strategy is not None or out is not None or policy is not None or org_seed is not None
            or param or measures is not None or manager_capacity is not None):
        if acts is not None:
            err("--acts and --strategy/--out/--policy/--org-seed/--param/--measures do not go "
                "together")
            raise typer.Exit(EXIT_USAGE)
        _run_strategy(path, strategy or "do_nothing", seed if seed is not None
                      else loaded.setup.seed, turns, out, as_json, policy=policy,
                      org_seed=org_seed, params=param or [], measures=measures,
                      manager_capacity=manager_capacity)
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
        typer.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=1)))
        return
    # the scenario and the acts were checked when read; escaped again here all the same
    say(f"{loaded.title} (seed {game.seed})")
    for line in render_steps(game, steps, limit=detail):
        say(line)
    typer.echo("")
    typer.echo("Result: " + ("all objectives met" if game.over and game.won else
                             "game over, objectives not all met" if game.over else
                             f"stopped at turn {game.turn}"))
    for status in game.objectives():
        say(f"  {objective_line(status, game.setup.language)}")


def _one_run(path: str, strategy: str, seed: int | None, params: list[str],
             turns: int | None, policy: str | None, org_seed: int | None,
             manager_capacity: int | None) -> RunSpec:
    """The sweep's RunSpec for one run's options (the same run, the same `run` id), as
    `run --strategy` and `export` name it; ValueError for options that cannot be."""
    from ..experiments.lab import check_org_seeds, replay_spec
    from ..experiments.policies import parse_policies

    shares = parse_policies(policy) if policy is not None else ()
    if org_seed is not None:
        check_org_seeds(path)
    return replay_spec(path, strategy, seed, params, turns, policies=shares,
                       org_seed=org_seed, manager_capacity=manager_capacity)


def _run_strategy(path: str, strategy: str, seed: int, turns: int | None, out: Path | None,
                  as_json: bool, *, policy: str | None = None,
                  org_seed: int | None = None, params: list[str] | None = None,
                  measures: str | None = None, manager_capacity: int | None = None) -> None:
    import dataclasses

    from ..experiments.lab import run_rows, write_table
    from ..experiments.measures import parse_measures

    try:
        spec = _one_run(path, strategy, seed, params or [], turns, policy, org_seed,
                        manager_capacity)
        spec = dataclasses.replace(spec, measures=parse_measures(measures or ""))
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    rows = run_rows(spec)
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
    resume: Annotated[bool, typer.Option(
        "--resume/--no-resume", help="Keep finished runs in OUT.parts/ as they finish, so "
        "the same command resumes an interrupted sweep.")] = True,
    policy: Annotated[list[str] | None, typer.Option(
        "--policy", help="Let the other managers act by policy, e.g. build_bridges=0.3 "
        "(repeatable: each is a condition; `none` for nobody).", show_default=False)
    ] = None,
    org_seeds: Annotated[bool, typer.Option(
        "--org-seeds", help="Regenerate the (generated) organisation for each replicate.")
    ] = False,
    manager_capacity: ManagerCapacity = None,
    measures: Annotated[str | None, typer.Option(
        "--measures", help="Network measures to add per turn, comma-separated, or `all`: "
        "constraint, effective_size, cross_betweenness, reciprocity, persistence, nmi "
        "(slow on large organisations; see docs/lab.md).", show_default=False)] = None,
) -> None:
    """Sweep model parameters x strategies x replicates; resumable, parallel, tidy output."""
    from ..experiments.lab import (
        check_org_seeds,
        check_strategies,
        identical_replicates,
        parse_param,
        plan_sweep,
    )
    from ..experiments.measures import parse_measures
    from ..experiments.policies import parse_policies

    grid: dict[str, list[float]] = {}
    wanted: str | list[str] = measures or ""
    strategies = [s.strip() for s in strategy.split(",") if s.strip()]
    if config is not None:
        import yaml

        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            err(f"{config}: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
        known = ("scenario", "params", "strategies", "reps", "seed", "turns", "measures",
                 "policies", "org_seeds")
        if not isinstance(data, dict):
            err(f"{config}: expected a mapping with {', '.join(known)}")
            raise typer.Exit(EXIT_INVALID)
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            err(f"{config}: unknown key(s) {', '.join(unknown)}; a sweep file has "
                f"{', '.join(known)}")
            raise typer.Exit(EXIT_INVALID)
        scenario = scenario or data.get("scenario")
        try:
            for name, values in (data.get("params") or {}).items():
                text = values if isinstance(values, str) else ",".join(str(v) for v in values)
                param = [*(param or []), f"{name}={text}"]
            listed = data.get("strategies", strategies)
            strategies = [listed] if isinstance(listed, str) else [str(s) for s in listed]
            reps = int(data.get("reps", reps))
            seed = int(data.get("seed", seed))
            found_turns = data.get("turns", turns)
            turns = None if found_turns is None else int(found_turns)
            listed = data.get("policies") or []
            policy = [*(policy or []), *([listed] if isinstance(listed, str)
                                        else [str(p) for p in listed])]
        except (TypeError, ValueError, AttributeError) as exc:
            err(f"{config}: params is a mapping of NAME: [values], strategies and policies "
                f"are lists, reps, seed and turns whole numbers ({exc})")
            raise typer.Exit(EXIT_INVALID) from None
        org_seeds = org_seeds or data.get("org_seeds") is True
        wanted = measures or data.get("measures") or ""
    if scenario is None:
        err("give a scenario (or --config with `scenario:`)")
        raise typer.Exit(EXIT_USAGE)
    try:
        for text in param or []:
            name, values = parse_param(text)
            grid[name] = values
        check_strategies(strategies)
        settings = [() if text.strip() == "none" else parse_policies(text)
                    for text in policy or ["none"]]
        chosen = parse_measures(wanted)
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    path, _ = load_or_exit(scenario)
    if org_seeds:
        try:
            check_org_seeds(path)
        except ValueError as exc:
            err(str(exc))
            raise typer.Exit(EXIT_USAGE) from None
    runs = plan_sweep(path, grid, strategies, reps, seed=seed, turns=turns,
                      policies=settings, org_seeds=org_seeds,
                      manager_capacity=manager_capacity)
    if chosen:
        import dataclasses

        runs = [dataclasses.replace(r, measures=chosen) for r in runs]
    rows = _sweep(runs, out, jobs=jobs, cluster=cluster, resume=resume)
    typer.echo(f"wrote {out}: {len(runs)} runs, {len(rows)} rows")
    same = identical_replicates(rows)
    if same:
        err(f"note: {same}")


def _sweep(runs: list[Any], out: Path, *, jobs: int, cluster: str | None, resume: bool
           ) -> Any:
    """Run a sweep with progress on stderr (a bar on a terminal, else a line now and
    then), write its table, and end with one line and exit code 130 on Ctrl-C."""
    from ..experiments.lab import SweepInterrupted, run_sweep, write_table

    parts = out.with_name(out.name + ".parts") if resume else None
    if parts is not None:
        parts.mkdir(parents=True, exist_ok=True)
    try:
        if sys.stderr.isatty():
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(TextColumn("runs"), BarColumn(), TextColumn(
                    "{task.completed}/{task.total}"), TimeRemainingColumn(),
                    transient=True) as bar:
                task = bar.add_task("runs", total=len(runs))
                rows = run_sweep(runs, jobs=jobs, parts=parts, cluster=cluster,
                                 progress=lambda done, total: bar.update(
                                     task, completed=done, total=total))
        else:
            rows = run_sweep(runs, jobs=jobs, parts=parts, cluster=cluster,
                             progress=ProgressLines())
        write_table(rows, out)
    except SweepInterrupted as stop:
        _interrupted(stop.kept, stop.total, stop.resumable)
    except KeyboardInterrupt:  # writing the table: every run is in the parts already
        _interrupted(len(runs) if parts is not None else 0, len(runs), parts is not None)
    except RuntimeError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    if parts is not None:
        import shutil

        shutil.rmtree(parts, ignore_errors=True)
    return rows


def _interrupted(kept: int, total: int, resumable: bool) -> None:
    if resumable:
        err(f"kept {kept:,} of {total:,} runs; run the same command to resume")
    else:
        err(f"stopped; no runs kept (--no-resume): {total:,} runs to do again")
    raise typer.Exit(130)


class ProgressLines:
    """Progress of a sweep as plain lines on stderr (for logs and pipes, where a bar
    would be a mess): ``runs 250/1,000 (25%), 3.1 s elapsed`` at each tenth of the runs,
    at least every ``every`` seconds in between, and at the end; first, when a sweep
    resumes, how many runs were kept from before."""

    def __init__(self, every: float = 10.0) -> None:
        import time

        self.clock = time.monotonic
        self.start = self.last = self.clock()
        self.every = every
        self.done: int | None = None
        self.tenth = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        tenth = done * 10 // max(total, 1)
        share = f"{done:,}/{total:,} ({done * 100 // max(total, 1)}%)"
        if self.done is None:  # the first call: the runs already done
            self.done, self.tenth = done, tenth
            if done:
                err(f"runs {share} kept from before; resuming")
            return
        if done == self.done or not (done == total or tenth > self.tenth
                                     or now - self.last >= self.every):
            return
        self.done, self.tenth, self.last = done, tenth, now
        err(f"runs {share}, {now - self.start:.1f} s elapsed")


@app.command()
def export(
    scenario: Annotated[str, typer.Argument(help="Scenario file or shipped name.",
                                            show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="File to write: .graphml, .gexf or .json.",
                                         show_default=False)],
    turn: Annotated[int | None, typer.Option(
        "--turn", min=0, help="Export the organisation after this many turns (default 0, "
        "the start).", show_default=False)] = None,
    dynamic: Annotated[bool, typer.Option(
        "--dynamic", help="Every turn of the run in one dynamic GEXF, for Gephi's timeline.")
    ] = False,
    ties_only: Annotated[bool, typer.Option(
        "--ties-only", help="Leave out opinions (relationships of strength 0: no weight).")
    ] = False,
    strategy: Annotated[str, typer.Option("--strategy", help="The run, as `run --strategy`.")
                        ] = "do_nothing",
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Seed (default: the "
                                             "scenario's).", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="NAME=VALUE, one value (repeatable; as `run --param`).",
        show_default=False)] = None,
    turns: Annotated[int | None, typer.Option("--turns", min=1, max=1000,
                                              help="The run's length (as `run --turns`).",
                                              show_default=False)] = None,
    policy: Annotated[str | None, typer.Option(
        "--policy", help="As `run --policy`.", show_default=False)] = None,
    org_seed: OrgSeed = None,
    manager_capacity: ManagerCapacity = None,
) -> None:
    """Export a run's organisation for Gephi or networkx (weight = trust x strength)."""
    from ..experiments.export import check_output, export_dynamic, export_graph

    try:
        check_output(output, dynamic=dynamic)
        if dynamic and turn is not None:
            raise ValueError("--dynamic exports every turn: leave out --turn")
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    path, _ = load_or_exit(scenario)
    try:
        spec = _one_run(path, strategy, seed, param or [], turns, policy, org_seed,
                        manager_capacity)
        if dynamic:
            G = export_dynamic(spec, output, ties_only=ties_only)
        else:
            G = export_graph(spec, output, turn=turn or 0, ties_only=ties_only)
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    what = "every turn" if dynamic else f"turn {turn or 0}"
    typer.echo(f"wrote {output}: {what} of run {spec.key}, {G.number_of_nodes():,} people, "
               f"{G.number_of_edges():,} relationships")


@app.command()
def plot(
    table: Annotated[Path | None, typer.Argument(
        help="A table from `run --out` or `sweep` (.csv or .parquet).", show_default=False,
        exists=True, dir_okay=False)] = None,
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="Figure to write: .png, .svg or .pdf.",
                                         show_default=False)] = Path("figure.png"),
    x: Annotated[str, typer.Option("--x", help="Column on the x axis (turn, or a param_ "
                                               "column for final outcomes).")] = "turn",
    y: Annotated[str, typer.Option("--y", help="Measure to plot.")] = "ei",
    by: Annotated[str | None, typer.Option("--by", help="One line per value of this "
                                                         "column.")] = "strategy",
    facet: Annotated[str | None, typer.Option("--facet", help="One panel per value of "
                                                              "this column.")] = None,
    where: Where = None,
    team: Team = None,
    weighted: Weighted = False,
    network: Annotated[str | None, typer.Option(
        "--network", help="Instead: draw this scenario's trust network by team.")] = None,
    turn: Annotated[int | None, typer.Option(
        "--turn", min=0, help="With --network: after this many turns (default 0); with "
        "an --x other than turn: this turn (default: each run's last).")] = None,
    strategy: Annotated[str, typer.Option("--strategy", help="With --network.")
                        ] = "do_nothing",
) -> None:
    """Plot a measure over turns or against a parameter (95% CI over runs), or the network."""
    from ..experiments.plots import plot_file, plot_network
    from ..scenario import ScenarioError

    try:
        if network is not None:
            from ..experiments.export import game_at_turn

            plot_network(game_at_turn(resolve_scenario(network), turn or 0, strategy),
                         output)
        elif table is None:
            err("give a table, or --network SCENARIO")
            raise typer.Exit(EXIT_USAGE)
        else:
            plot_file(table, output, x=x, y=y, by=by or None, facet=facet, where=where or [],
                      team=team, weighted=weighted, turn=turn)
            _end_soon()
    except ScenarioError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    except (ValueError, RuntimeError, OSError) as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE if isinstance(exc, ValueError) else EXIT_INVALID) \
            from None
    typer.echo(f"wrote {output}")


def _end_soon() -> None:
    """At exit, move every object to the collector's permanent generation first, so the
    collections of the interpreter's shutdown skip pandas, pyarrow and matplotlib's objects:
    0.2 s of CPU saved on a command of 1 to 2 s (bench/bench_lab_tables.py). Registered at
    exit, not done now, so a process that goes on (a test) collects as usual."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@app.command()
def summarize(
    table: Annotated[Path, typer.Argument(
        help="A table from `run --out` or `sweep` (.csv or .parquet).", show_default=False,
        exists=True, dir_okay=False)],
    by: Annotated[str, typer.Option(
        "--by", help="Comma-separated columns whose combinations are the cells.")
    ] = "strategy",
    outcome: Annotated[str, typer.Option("--outcome", help="The measure to summarize.")
                       ] = "ei",
    turn: Annotated[int | None, typer.Option(
        "--turn", min=0, help="The turn to summarize (default: the table's last).")] = None,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", help="VALUE of the first --by column (or COL=VALUE) to compare every "
        "cell with.")] = None,
    where: Where = None,
    team: Team = None,
    weighted: Weighted = False,
    fmt: Annotated[str, typer.Option("--format", help="markdown, csv or json.")
                   ] = "markdown",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write to this file instead of printing.")] = None,
) -> None:
    """Mean per cell with a 95% CI over runs, n, and the effect against a baseline."""
    from ..experiments import stats

    if fmt not in ("markdown", "csv", "json"):
        err(f"--format {fmt}: expected markdown, csv or json")
        raise typer.Exit(EXIT_USAGE)
    columns = [c.strip() for c in by.split(",") if c.strip()]
    try:
        needed = ["run", "turn", outcome, *columns,
                  *(stats.parse_where(w)[0] for w in where or []),
                  *(["team"] if team is not None else []),
                  *(["team_size"] if weighted else [])]
        frame = stats.read_table(table, needed, conditions=True)
        summary = stats.summarize(frame, columns, outcome, turn=turn, baseline=baseline,
                                  where=where or [], team=team, weighted=weighted)
    except (ValueError, RuntimeError, OSError) as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE if isinstance(exc, ValueError) else EXIT_INVALID) \
            from None
    text = {"markdown": summary.to_markdown, "csv": summary.to_csv,
            "json": summary.to_json}[fmt]()
    _end_soon()
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from ..scenario.files import atomic_write_text

    atomic_write_text(output, text)
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
        min=0.0, max=1.0, help="Share of cross-team ties inside one's department (the rest "
        "go to other departments).")] = 0.7,
    departments: Annotated[int, typer.Option(
        min=0, max=100_000, help="Departments of teams (0: one per branch under the top "
        "executive).")] = 0,
    manager_team: Annotated[str, typer.Option(
        "--manager-team", help="A manager's team: `own` (the team they lead) or `above` "
        "(their manager's team: the earlier layout).")] = "own",
    turns: Annotated[int, typer.Option(min=1, max=1000, help="Turns of the scenario.")] = 20,
) -> None:
    """Make a synthetic organisation (management tree, teams, ties) as a compact file."""
    from ..experiments.generate import MANAGER_TEAMS, OrgOptions, generate_org, write_org

    if not str(output).endswith(".npz"):
        err(f"{output}: the compact format's file name ends in .npz")
        raise typer.Exit(EXIT_USAGE)
    if span_min > span_max:
        err("--span-min must not exceed --span-max")
        raise typer.Exit(EXIT_USAGE)
    if manager_team not in MANAGER_TEAMS:
        err(f"--manager-team: {manager_team!r} is not one of {', '.join(MANAGER_TEAMS)}")
        raise typer.Exit(EXIT_USAGE)
    options = OrgOptions(people=people, seed=seed, span_min=span_min, span_max=span_max,
                         density=density, cross_ties=cross_ties, homophily=homophily,
                         turns=turns, manager_team=manager_team, departments=departments)
    try:
        org = generate_org(options)
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    write_org(org, str(output))
    typer.echo(f"wrote {output}: {org.n:,} people, {len(org.team_lead):,} teams in "
               f"{int(org.department.max()) + 1:,} departments, {len(org.tie_src):,} ties; "
               f"player {org.ids()[org.player]}")


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Scenario file or shipped name.",
                                            show_default=False)],
    outcome: Annotated[str, typer.Option(
        "--outcome", help="Column of the tidy table, averaged over teams: ei, trust_within, "
        "trust_across, cross_team_trust, modularity, trust_in_player, promises_broken.")
    ] = "ei",
    method: Annotated[str, typer.Option(
        "--method", help="morris (screening: mu*, sigma) or sobol (S1 and ST indices).")
    ] = "morris",
    params: Annotated[str, typer.Option(
        "--params", help="Comma-separated parameters, group:NAME (trust, memory, acts, "
        "spread, turn), -NAME to leave one out, or all (every parameter with a range).")
    ] = "all",
    samples: Annotated[int | None, typer.Option(
        "--samples", help="Morris trajectories r (default 10; r x (k+1) runs) or Sobol base "
        "samples N, a power of 2 (default 64; N x (k+2) runs).", show_default=False)
    ] = None,
    strategy: Annotated[str, typer.Option("--strategy", help="The player's strategy.")
                        ] = "do_nothing",
    turns: Annotated[int | None, typer.Option(
        "--turns", min=1, max=1000, help="Play this many turns (default: the scenario's).",
        show_default=False)] = None,
    turn: Annotated[int | None, typer.Option(
        "--turn", min=0, help="Read the outcome at this turn (default: the last).",
        show_default=False)] = None,
    seed: Annotated[int, typer.Option(
        "--seed", min=0, help="Seed of every run (common random numbers) and of the "
        "sampling.")] = 0,
    jobs: Annotated[int, typer.Option("--jobs", min=1, max=512, help="Local processes.")
                    ] = max(1, os.cpu_count() or 1),
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Dask scheduler address, or `local` for a LocalCluster.")] = None,
    out: Annotated[Path, typer.Option(
        "--out", help="Table of every run (.csv or .parquet); runs resume from OUT.parts/, "
        "and an OUT holding every run is read instead of running.")
    ] = Path("sensitivity.parquet"),
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write the ranking here too (.md, or .json).",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the ranking as JSON.")
                       ] = False,
    figure: Annotated[Path | None, typer.Option(
        "--plot", help="Bar chart of mu* or ST with 95% intervals (.png, .svg, .pdf).",
        show_default=False)] = None,
    yes: Annotated[bool, typer.Option(
        "--yes", help="Run a design of more than 20,000 runs.")] = False,
) -> None:
    """Rank the model's parameters by their effect on an outcome (SALib: Morris, Sobol)."""
    from ..experiments import sensitivity as sa
    from ..experiments.plots import FORMATS

    try:
        sa.check_design(method, sa.DEFAULT_SAMPLES.get(method, 2) if samples is None
                        else samples, outcome)
        names = sa.select_params(params)
        if figure is not None and figure.suffix not in FORMATS:
            raise ValueError(f"--plot {figure}: the figure's name ends in "
                             f"{', '.join(FORMATS)}")
        if out.suffix not in (".csv", ".parquet"):
            raise ValueError(f"--out {out}: the table's name ends in .csv or .parquet")
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    path, loaded = load_or_exit(scenario)
    horizon = turns or loaded.setup.turns
    if turn is not None and turn > horizon:
        err(f"--turn {turn}: the runs end at turn {horizon}")
        raise typer.Exit(EXIT_USAGE)
    size = sa.run_count(method, len(names), samples or sa.DEFAULT_SAMPLES[method])
    if size > sa.MAX_RUNS and not yes:
        err(f"this design takes {size:,} runs (more than {sa.MAX_RUNS:,}): use fewer "
            "--samples or --params, or add --yes to run it anyway")
        raise typer.Exit(EXIT_USAGE)
    try:
        design = sa.plan(path, method=method, params=names, samples=samples,
                         strategy=strategy, seed=seed, turns=turns)
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    parts = out.with_name(out.name + ".parts")
    done = sa.finished(design, out, parts)
    err(sa.describe(design, outcome, turn if turn is not None else horizon))
    unique = len(design.unique_runs())
    err(f"{unique:,} distinct runs" + (f" ({done:,} already done)" if done else "") +
        f"; table: {out}")
    parts.mkdir(parents=True, exist_ok=True)
    try:
        if sys.stderr.isatty() and done < unique:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(TextColumn("runs"), BarColumn(), TextColumn("{task.completed}/"
                          "{task.total}"), TimeRemainingColumn(), transient=True) as bar:
                task = bar.add_task("runs", total=unique)
                means = sa.run_design(design, jobs=jobs, cluster=cluster, parts=parts,
                                      out=out, progress=lambda n, total: bar.update(
                                          task, completed=n, total=total))
        else:
            means = sa.run_design(design, jobs=jobs, cluster=cluster, parts=parts, out=out)
    except KeyboardInterrupt:
        err(f"interrupted: kept {sa.finished(design, None, parts):,} of {unique:,} runs; "
            "run the same command to resume")
        raise typer.Exit(130) from None
    except RuntimeError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    import shutil

    shutil.rmtree(parts, ignore_errors=True)
    try:
        values = sa.outcome_values(design, means, outcome, turn)
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    ranking = sa.analyse(design, values, outcome=outcome,
                         turn=sa.last_turn(design, means, turn))
    text = json.dumps(ranking.as_dict(), indent=1) + "\n" if as_json else ranking.markdown()
    typer.echo(text, nl=False)
    if output is not None:
        from ..scenario.files import atomic_write_text

        atomic_write_text(output, json.dumps(ranking.as_dict(), indent=1) + "\n"
                          if output.suffix == ".json" else ranking.markdown())
        err(f"wrote {output}")
    if figure is not None:
        sa.plot_ranking(ranking, figure)
        err(f"wrote {figure}")
