"""Commands of scenario authors and trainers: write, check, import, balance, debrief."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    app,
    err,
    load_or_exit,
    say,
    write_scenario,
)


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

    from ..experiments.starter import starter_yaml

    path = Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if path.exists() and not force:
        err(f"{path} already exists (use --force to overwrite it)")
        raise typer.Exit(EXIT_INVALID)
    if not re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2,4})?", language):
        err(f"--language {language!r}: expected a language code such as en or nl")
        raise typer.Exit(EXIT_USAGE)
    try:
        text = starter_yaml(path.stem, people=people, teams=teams, language=language)
        from ..scenario import load_scenario_text

        load_scenario_text(text, str(path))  # what we write must validate
    except ValueError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    write_scenario(path, text)
    from ..i18n import Messages

    en = Messages("en")
    typer.echo(f"wrote {path} ({en.count('person', people)} in {en.count('team', teams)}); "
               f"next: trustsim check {path}")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.",
                                                show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check scenario files; print every problem as file:line:col: path: message."""
    from ..i18n import Messages
    from ..scenario import ScenarioError, load_scenario
    from ..scenario.text import safe_json, safe_text

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
            en = Messages("en")
            say(f"{safe_text(str(file))}: ok ({safe_text(scenario.title)}, "
                f"{en.count('person', scenario.people)}, "
                f"{en.count('turn', scenario.setup.turns)})")
    if as_json:
        typer.echo(safe_json(json.dumps({"valid": not failed, "files": results}, indent=2,
                                        ensure_ascii=False)))
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.",
                                                show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")
                      ] = False,
) -> None:
    """Validate and lint scenarios: problems, then warnings a trainer wants first."""
    from ..experiments.lint import lint
    from ..scenario import ScenarioError, load_scenario
    from ..scenario.text import safe_text

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
        say(f"{safe_text(str(file))}: "
            f"{'ok' if not warnings else f'{len(warnings)} warning(s)'}")
    raise typer.Exit(EXIT_INVALID if failed or (strict and warned) else EXIT_OK)


#: How the terminal view's style tags look (the symbols and numbers say it all without).
_SHOW_STYLES = {"band0": "red", "band1": "dark_orange", "band2": "yellow", "band3": "green3",
                "band4": "green", "you": "bold magenta", "bold": "bold", "dim": "dim",
                "italic": "italic", "": ""}


@app.command()
def show(
    scenario: Annotated[str, typer.Argument(help="Scenario file, or a shipped scenario's name.",
                                            show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Draw the trust network to this file instead (.svg or .png; "
        "needs the lab extra).", show_default=False)] = None,
    turn: Annotated[int, typer.Option(
        "--turn", min=0, help="After this many turns in which you do nothing (dilemmas "
        "answered with their first option); 0 is the start.")] = 0,
    ties: Annotated[int, typer.Option(
        "--ties", min=0, max=100, help="How many of the strongest and of the weakest "
        "ties across teams to list.")] = 5,
) -> None:
    """Draw the organisation and its trust: teams, people, reporting lines, ties.

    In the terminal: each team with its people along their reporting lines, how much each
    trusts you (a symbol and a number), the mean trust within the team and towards the
    others, its links to other teams, and the strongest and weakest ties across teams.
    With -o, a figure of the network: people coloured by team, each tie coloured by its
    trust and as wide as trust x strength, you as a star.
    """
    from ..experiments.preview import FIGURE_FORMATS, advance, draw_figure, preview
    from ..scenario.game import Game

    if output is not None and output.suffix.lower() not in FIGURE_FORMATS:
        err(f"-o {output}: the figure's name must end in {' or '.join(FIGURE_FORMATS)}")
        raise typer.Exit(EXIT_USAGE)
    path, loaded = load_or_exit(scenario)
    if turn > loaded.setup.turns:
        err(f"--turn {turn}: {Path(path).name} lasts {loaded.setup.turns} turns "
            f"(give 0 to {loaded.setup.turns})")
        raise typer.Exit(EXIT_USAGE)
    game = advance(Game(loaded, undo=False), turn)
    if output is not None:
        try:
            draw_figure(game, output)
        except RuntimeError as exc:  # no matplotlib: the lab extra is missing
            err(f"trustsim show -o: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
        except OSError as exc:
            err(f"cannot write {output}: {exc.strerror or exc}")
            raise typer.Exit(EXIT_INVALID) from None
        typer.echo(f"wrote {output} ({loaded.people} people in {len(loaded.setup.teams)} "
                   f"teams)")
        return
    from rich.console import Console
    from rich.text import Text

    from ..experiments.preview import preview_lines

    console = Console(highlight=False, soft_wrap=True)
    for line in preview_lines(preview(game, ties=ties), width=min(console.width, 100)):
        text = Text()
        for piece, style in line:
            text.append(piece, style=_SHOW_STYLES.get(style, ""))
        console.print(text)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of the scenario format (for editor completion)."""
    from ..scenario.files import atomic_write_text
    from ..scenario.schema import schema_text

    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        typer.echo(f"wrote {output}", err=True)


def _import_help() -> str:
    from ..experiments.orgchart import columns_help

    return ("Build a scenario from an org-chart CSV; every bad row reported with its line."
            "\n\n" + columns_help())


@app.command("import", help=_import_help())
def import_orgchart(
    orgchart: Annotated[Path, typer.Argument(help="People CSV: id, name, team (required), "
                                                  "role, manager, traits, trust (below).",
                                             show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Scenario file to write.",
                                         show_default=False)],
    ties: Annotated[Path | None, typer.Option("--ties", help="Ties CSV: from, to (required), "
                                                             "trust, strength, mutual.")
                    ] = None,
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
    from ..experiments.orgchart import orgchart_yaml, read_orgchart
    from ..scenario import ScenarioError, load_scenario_text
    from ..scenario.text import safe_text

    if output.exists() and not force:
        err(f"{output} already exists (use --force to overwrite it)")
        raise typer.Exit(EXIT_INVALID)
    try:
        chart = read_orgchart(orgchart, ties)
        if player is not None and player not in {p["id"] for p in chart.people}:
            from ..experiments.orgchart import suggest_person

            err(f"--player {player!r} is nobody in {orgchart}"
                f"{suggest_person(player, {p['id']: p['name'] for p in chart.people})}")
            raise typer.Exit(EXIT_USAGE)
        # a control character in a file's name is written into the title escaped
        text = orgchart_yaml(chart, title=title or safe_text(orgchart.stem), player=player,
                             turns=turns, language=language)
        load_scenario_text(text, str(output))  # what we write must validate
    except ScenarioError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    write_scenario(output, text)
    # the ids made from the teams' names, which the file's objectives and events use
    say("teams: " + ", ".join(name if name == tid else f"{name} -> {tid}"
                              for tid, name in chart.team_names.items()))
    count = len(chart.ties)
    say(f"wrote {output}: {len(chart.people)} people in {len(chart.teams)} "
        f"team{'s' if len(chart.teams) != 1 else ''}, {count} extra "
        f"tie{'s' if count != 1 else ''}; next: edit the brief and objectives, then "
        f"trustsim show {output} and trustsim check {output}")


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
    from ..experiments.balance import DEFAULT_STRATEGIES, as_records, summarise
    from ..experiments.balance import balance as run_balance
    from ..experiments.strategies import STRATEGIES

    if as_json and as_csv:
        err("choose one of --json and --csv")
        raise typer.Exit(EXIT_USAGE)
    path, _ = load_or_exit(scenario)
    chosen = tuple(s.strip() for s in strategies.split(",") if s.strip()) if strategies \
        else DEFAULT_STRATEGIES
    unknown = [s for s in chosen if s not in STRATEGIES]
    if unknown:
        err(f"unknown strategies: {', '.join(unknown)} (known: {', '.join(STRATEGIES)})")
        raise typer.Exit(EXIT_USAGE)
    from ..scenario.library import reference_solution

    if "reference" in chosen and reference_solution(Path(path)) is None:
        if strategies:
            err(f"{path}: no reference solution ({Path(path).stem}.acts) beside it")
            raise typer.Exit(EXIT_INVALID)
        chosen = tuple(s for s in chosen if s != "reference")
    if "reference" in chosen:
        from ..experiments.script import ScriptError, parse_script

        script = reference_solution(Path(path))
        assert script is not None
        try:
            parse_script(script.read_text(encoding="utf-8"), str(script))
        except (ScriptError, OSError, UnicodeDecodeError) as exc:
            err(f"the reference solution cannot be read:\n{exc}")
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
        from ..experiments.report import jsonable

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

    from ..scenario.loader import load_scenario

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
                elif objective.kind in ("promises_kept", "no_broken_promises"):
                    # promises are counted: whole numbers, the mean to one decimal
                    cells.append(f"{found['mean']:.1f} ({found['min']:.0f} to "
                                 f"{found['max']:.0f})")
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
    from ..experiments.compare import compare_markdown, compare_rows, load_sessions
    from ..scenario import SaveError
    from ..scenario.files import atomic_write_text
    from ..scenario.text import safe_text

    try:
        sessions = load_sessions(saves)
    except SaveError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INVALID) from None
    titles = {s.game.setup.title for s in sessions}
    if len(titles) > 1:
        err(f"these saves come from different scenarios: {', '.join(sorted(titles))}")
        raise typer.Exit(EXIT_INVALID)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=safe_text(next(iter(titles))))
    for column in ("session", "result", "objectives", "trust in player", "cross-team trust",
                   "promises broken"):
        table.add_column(column, justify="left" if column == "session" else "right")
    for row in compare_rows(sessions):
        result = "won" if row["won"] else ("lost" if row["over"] else f"turn {row['turn']}")
        table.add_row(safe_text(row["session"]), result,
                      f"{row['objectives_met']}/{row['objectives']}",
                      f"{row['trust_in_player']:.2f}", f"{row['cross_team_trust']:.2f}",
                      str(row["promises_broken"]))
    Console().print(table)
    report = compare_markdown(sessions)
    target = output or Path("debrief.md")
    atomic_write_text(target, report)
    say(f"wrote {target}")
