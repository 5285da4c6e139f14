"""A game's debrief as Markdown: objectives, turning points, measures, acts, questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..core.records import Promise
from ..core.simulation import Command, Simulation
from .narrate import BASE_NAMES, MARK, Narrator, acts_by_turn, bases_ledger, turning_points

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
    points = turning_points(game)
    for turn, change in points:
        lines.append("- " + t("debrief.turning_point", turn=turn,
                                 who=narrator.name(change.truster),
                                 delta=t.num(change.delta, "+.2f"),
                                 cause=narrator.cause(change.cause)))
    if not points:
        lines.append(f"- {t('debrief.no_acts')}")
    lines += _bases_section(game, narrator)
    first, last = game.history[0], game.history[-1]
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
    for key in METRICS:
        row = f"| {t(f'trends.{key}')} | {t.num(first.get(key))} | {t.num(last.get(key))} |"
        for other in others:
            row += f" {t.num(other.history[-1].get(key))} |"
        lines.append(row)
    for team_id, team_name in zip(game.world.team_ids, game.world.team_names, strict=True):
        row = (f"| {t('trends.team', team=team_name)} | "
               f"{t.num(first['team_trust_in_player'].get(team_id))} | "
               f"{t.num(last['team_trust_in_player'].get(team_id))} |")
        for other in others:
            row += f" {t.num(other.history[-1]['team_trust_in_player'].get(team_id))} |"
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
