"""A game's debrief as Markdown: objectives, turning points, measures, acts, questions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..core.effects import PLAYER
from ..core.records import PromiseChanged, TaskSettled
from ..core.setup import ObjectiveSetup
from ..core.simulation import Command, Simulation
from .narrate import (
    BASE_NAMES,
    MARK,
    MOVED,
    Narrator,
    TurningPoint,
    acts_by_turn,
    bases_ledger,
    turning_points,
)

if TYPE_CHECKING:
    from ..core.records import Promise

METRICS = ("trust_in_player", "cross_team_trust", "within_team_trust", "ei_mean", "modularity")


def describe_command(cmd: Mapping[str, Any], narrator: Narrator,
                     promises: Mapping[str, Promise] | None = None) -> str:
    """One command in words: "Quick win Tomás Ruiz", "Keep promise “a rota” to Tomás Ruiz"
    (a promise by what it says, when ``promises`` knows it, not by its id)."""
    t = narrator.t
    if cmd["do"] == "choose":
        label = narrator.options.get((cmd["event"], cmd["option"]), cmd["option"])
        return t("log.choice", option=label)
    act = t(f"act.{cmd['act']}")
    if cmd["act"] == "make_promise" and cmd.get("what") and cmd.get("target"):
        return f"{act} " + t("cmd.promise", what=cmd["what"], to=narrator.name(cmd["target"]))
    who = [narrator.name(str(cmd[k])) for k in ("target", "other") if cmd.get(k)]
    if cmd.get("promise"):
        promise = (promises or {}).get(str(cmd["promise"]))
        who.append(t("cmd.promise", what=promise.what, to=narrator.name(promise.to))
                   if promise is not None else str(cmd["promise"]))
    return f"{act} {' + '.join(who)}".strip()


def _other_courses(game: Simulation, branches: Sequence[Sequence[Command]]
                   ) -> list[Sequence[Command]]:
    """The courses abandoned by a rewind that differ from the one played (a course
    replayed act for act after its rewind is the same course) and from each other."""
    log = [dict(c) for c in game.log]
    out: list[Sequence[Command]] = []
    for branch in branches:
        steps = [dict(c) for c in branch]
        if steps == log[: len(steps)] or any(steps == [dict(c) for c in o] for o in out):
            continue
        out.append(branch)
    return out


def branch_outcome(game: Simulation, log: Sequence[Command]) -> Simulation:
    """Replay another course of the same game (a what-if branch) to its end."""
    other = Simulation(game.setup, game.seed, undo=False)
    for cmd in log:
        other.execute(cmd)
    return other


def _bases_section(game: Simulation, narrator: Narrator) -> list[str]:
    """The three bases of everyone's trust in the player, start and end (means over
    everyone), and what built and what damaged each most (summed over everyone)."""
    t = narrator.t
    others = [pid for pid in game.world.ids if pid != game.player_id]
    if not others:
        return []
    start = game.history[0]["trust_in_player"]  # every tie starts with equal bases
    end = {base: 0.0 for base in BASE_NAMES}
    for pid in others:
        for base, value in game.bases(pid, "player")._asdict().items():
            end[base] += value / len(others)
    ledger = bases_ledger(game, narrator)
    lines = ["", f"## {t('debrief.bases')}", "",
             f"| {t('debrief.base')} | {t('debrief.first')} | {t('debrief.last')} | "
             f"{t('debrief.built')} | {t('debrief.damaged')} |",
             "| --- | ---: | ---: | --- | --- |"]
    for base in BASE_NAMES:
        moves = ledger[base]
        built = max(moves.items(), key=lambda kv: kv[1], default=None)
        damaged = min(moves.items(), key=lambda kv: kv[1], default=None)
        built_text = f"{built[0]} ({t.num(built[1], '+.2f')})" \
            if built and built[1] > 0.005 else "–"
        damaged_text = f"{damaged[0]} ({t.num(damaged[1], '+.2f')})" \
            if damaged and damaged[1] < -0.005 else "–"
        lines.append(f"| {t(f'base.{base}')} | {t.num(start)} | {t.num(end[base])} | "
                     f"{built_text} | {damaged_text} |")
    lines += ["", t("debrief.bases.note")]
    return lines


#: measures a row of the table reads: (the game, metrics of a turn) -> value
Measure = Callable[[Simulation, Mapping[str, Any]], float | None]


def _metric(key: str) -> Measure:
    return lambda game, metrics: metrics.get(key)


def _team_trust(team: str) -> Measure:
    return lambda game, metrics: metrics["team_trust_in_player"].get(team)


def _team_ei(team: str) -> Measure:
    return lambda game, metrics: metrics["ei"].get(team)


def _person_trust(person: str) -> Measure:
    return lambda game, metrics: game.trust(person, PLAYER)


def _objective_measure(game: Simulation, narrator: Narrator, objective: ObjectiveSetup
                       ) -> tuple[str, str, Measure] | None:
    """What an objective measures, as a row of the table: (a key that says which measure
    it is, its label, how to read it); ``None`` for objectives that count promises."""
    t, who = narrator.t, objective.who
    if objective.kind == "trust_in_player" and who is not None:
        name = narrator.names.get(who, who)
        if who in game.world.team_index:
            return f"team:{who}", t("trends.team", team=name), _team_trust(who)
        return f"person:{who}", t("trends.team", team=name), _person_trust(who)
    if objective.kind == "team_ei":
        if who is None:
            return "ei_mean", t("trends.ei_mean"), _metric("ei_mean")
        return f"ei:{who}", t("debrief.team_ei", team=narrator.names.get(who, who)), \
            _team_ei(who)
    if objective.kind in ("cross_team_trust", "modularity"):
        return objective.kind, t(f"trends.{objective.kind}"), _metric(objective.kind)
    return None


def measure_rows(game: Simulation, narrator: Narrator) -> list[tuple[str, Measure, bool]]:
    """The rows of the table from first to last turn: first what the objectives measure
    (an objective on one team's trust in you shows that team, marked as your objective),
    then the organisation's measures and each team's trust in you, each measure once.
    Each row: its label, how to read it, and whether it reads the game's state (a
    person's trust) rather than a turn's metrics."""
    t = narrator.t
    rows: list[tuple[str, Measure, bool]] = []
    seen: set[str] = set()
    for objective in game.setup.objectives:
        found = _objective_measure(game, narrator, objective)
        if found is None or found[0] in seen:
            continue
        key, label, measure = found
        seen.add(key)
        rows.append((t("debrief.objective_row", measure=label), measure,
                     key.startswith("person:")))
    for key in METRICS:
        if key not in seen:
            label = t("debrief.trust_everyone") if key == "trust_in_player" \
                else t(f"trends.{key}")
            rows.append((label, _metric(key), False))
    for team_id, team_name in zip(game.world.team_ids, game.world.team_names, strict=True):
        if f"team:{team_id}" not in seen:
            rows.append((t("trends.team", team=team_name), _team_trust(team_id), False))
    return rows


def tell_step(point: TurningPoint, narrator: Narrator,
              promises: Mapping[str, Promise] | None = None) -> str:
    """What a turning point's step was: the act or choice in words, or what happened at
    an end of turn (its events, the promises that fell due, the work that came back, or
    only the drift)."""
    if point.command is not None:
        return describe_command(point.command, narrator, promises)
    told: list[str] = []
    if point.report is not None:
        told += [event.title for event in point.report.events]
        for record in point.report.other:
            if isinstance(record, PromiseChanged) and record.promise.status == "broken":
                told.append(narrator.other(record))
            elif isinstance(record, TaskSettled):
                told.append(narrator.cause(record.cause))
    return "; ".join(dict.fromkeys(told)) or narrator.t("debrief.drift")


def tell_move(delta: float, kind: str, narrator: Narrator) -> str:
    """How far a measure moved: ``+0.04``; promises are counted (``1 kept``,
    ``1 broken``)."""
    t = narrator.t
    if kind == "promises_kept":
        return t("debrief.kept", count=round(delta))
    if kind == "no_broken_promises":
        return t("objective.broken", value=round(delta))
    return t.num(delta, "+.2f")


def tell_turning_point(point: TurningPoint, kind: str, narrator: Narrator,
                       promises: Mapping[str, Promise] | None = None) -> str:
    """``Turn 9: Connect you + Ben Adler (+0.02)``; ``End of turn 4: Budget review
    (-0.03)``."""
    key = "debrief.turning_point" if point.command is not None else \
        "debrief.turning_point_end"
    return narrator.t(key, turn=point.turn, what=tell_step(point, narrator, promises),
                      delta=tell_move(point.delta, kind, narrator))


def _shown(delta: float, kind: str) -> bool:
    """A move that reads as one (not 0.00, not 0 promises)."""
    if kind in ("promises_kept", "no_broken_promises"):
        return round(delta) != 0
    return abs(delta) >= MOVED


def told_turning_points(points: Sequence[TurningPoint], kind: str, narrator: Narrator,
                        promises: Mapping[str, Promise] | None = None, *,
                        limit: int = 4) -> list[str]:
    """One objective's turning points, biggest first: an act played more than once that
    moved the measure is told once with what it moved in all ("Connect, 12 times (+0.31
    in all)"), so are the ends of turn at which only the drift moved it; choices, events
    and acts played once are told one by one."""
    t = narrator.t
    groups: dict[str, list[TurningPoint]] = {}
    for point in points:
        if point.drift_only:
            groups.setdefault("", []).append(point)
        elif point.command is not None and point.command.get("do") == "act":
            groups.setdefault(str(point.command["act"]), []).append(point)
        else:
            groups.setdefault(f"#{len(groups)}", []).append(point)
    told: list[tuple[float, str]] = []
    for key, found in groups.items():
        total = sum(p.delta for p in found)
        if not _shown(total, kind):
            continue
        if len(found) == 1:
            told.append((total, tell_turning_point(found[0], kind, narrator, promises)))
        elif key == "":
            told.append((total, t("debrief.drift_group", count=len(found),
                                  delta=tell_move(total, kind, narrator))))
        else:
            told.append((total, t("debrief.act_group", act=t(f"act.{key}"), count=len(found),
                                  delta=tell_move(total, kind, narrator))))
    told.sort(key=lambda item: -abs(item[0]))
    return [text for _, text in told[:limit]]


def turning_point_lines(game: Simulation, narrator: Narrator) -> list[str]:
    """The debrief's turning points: for each objective, what moved its measure most
    (Markdown list lines)."""
    t = narrator.t
    kinds = {o.id: o.kind for o in game.setup.objectives}
    texts = {o.id: o.text for o in game.setup.objectives} or \
        {"": t("debrief.trust_everyone")}
    lines: list[str] = []
    for key, points in turning_points(game).items():
        lines.append(f"- {texts[key]}:")
        told = told_turning_points(points, kinds.get(key, ""), narrator, game.world.promises)
        lines += [f"    - {text}" for text in told or [t("debrief.nothing_moved")]]
    lines += ["", t("debrief.turning_points.note")]
    return lines


def debrief_markdown(game: Simulation, *, language: str | None = None,
                     branches: Sequence[Sequence[Command]] = ()) -> str:
    """The debrief of ``game`` in its scenario's language (or ``language``)."""
    narrator = Narrator.for_game(game, language)
    t = narrator.t
    lines = [f"# {t('debrief.title', title=game.setup.title)}", ""]
    lines.append(t("debrief.result.won") if game.over and game.won
                 else t("debrief.result.lost"))
    lines += ["", f"## {t('debrief.objectives')}", ""]
    for status in game.objectives():
        lines.append(f"- {MARK[status.state]} {narrator.objective(status)}")
    lines += ["", f"## {t('debrief.turning_points')}", ""]
    lines += turning_point_lines(game, narrator)
    lines += _bases_section(game, narrator)
    branches = _other_courses(game, branches)
    others = [branch_outcome(game, b) for b in branches]
    header = f"| {t('debrief.metric')} | {t('debrief.first')} | {t('debrief.last')} |"
    rule = "| --- | ---: | ---: |"
    for i, other in enumerate(others, 1):
        # a course left before the end shows where it had got to
        header += (f" {t('debrief.branch')} {i} |" if other.over else
                   f" {t('debrief.branch_at', n=i, turn=other.turn)} |")
        rule += " ---: |"
    lines += ["", f"## {t('debrief.metrics')}", "", header, rule]
    start: Simulation | None = None
    for label, measure, needs_state in measure_rows(game, narrator):
        if needs_state and start is None:  # a person's trust: the game as it began
            start = Simulation(game.setup, game.seed, undo=False, keep_results=False)
        before = measure(start if start is not None else game, game.history[0])
        row = f"| {label} | {t.num(before)} | {t.num(measure(game, game.history[-1]))} |"
        for other in others:
            row += f" {t.num(measure(other, other.history[-1]))} |"
        lines.append(row)
    lines += ["", f"## {t('debrief.acts')}", ""]
    for turn, cmds in enumerate(acts_by_turn(game.log), 1):
        if turn > game.setup.turns:
            break
        acts = " · ".join(describe_command(c, narrator, game.world.promises) for c in cmds) \
            or t("debrief.no_acts")
        lines.append(f"- {t('debrief.turn_acts', turn=turn, acts=acts)}")
    for i, (branch, other) in enumerate(zip(branches, others, strict=True), 1):
        lines += ["", f"### {t('debrief.branch')} {i}", ""]
        for turn, cmds in enumerate(acts_by_turn(branch), 1):
            if turn > game.setup.turns:
                break
            acts = " · ".join(describe_command(c, narrator, other.world.promises)
                              for c in cmds) or t("debrief.no_acts")
            lines.append(f"- {t('debrief.turn_acts', turn=turn, acts=acts)}")
    if game.setup.debrief:
        lines += ["", f"## {t('debrief.questions')}", ""]
        lines += [f"{i}. {q}" for i, q in enumerate(game.setup.debrief, 1)]
    return "\n".join(lines) + "\n"
