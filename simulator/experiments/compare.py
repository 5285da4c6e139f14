"""After a workshop: trainees' saved sessions side by side (``trustsim debrief``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenario.game import Game
from ..scenario.text import safe_lines, safe_text
from .debrief import describe_command, told_turning_points
from .narrate import Narrator, acts_by_turn, turning_points


@dataclass(slots=True)
class Session:
    name: str
    game: Game


def load_sessions(paths: Sequence[str | Path]) -> list[Session]:
    """Load every save; raises SaveError for the first that cannot be loaded. A session is
    named after its file, control characters escaped (it is printed and written)."""
    stems = [Path(p).stem for p in paths]
    names = [safe_text(str(Path(p).with_suffix("")) if stems.count(Path(p).stem) > 1
                       else Path(p).stem) for p in paths]
    return [Session(name, Game.load(p, undo=False)) for name, p in zip(names, paths,
                                                                         strict=True)]


def _turn_acts(game: Game, narrator: Narrator) -> list[str]:
    turns = acts_by_turn(game.log)[: game.setup.turns]
    return [" · ".join(describe_command(c, narrator, game.world.promises) for c in cmds)
            or "–" for cmds in turns]


def divergence(sessions: Sequence[Session]) -> dict[str, int | None]:
    """For each session, the first turn whose acts differ from what most others did."""
    plans = {s.name: [tuple(sorted(str(sorted(c.items())) for c in cmds))
                      for cmds in acts_by_turn(s.game.log)] for s in sessions}
    out: dict[str, int | None] = {}
    turns = max((len(p) for p in plans.values()), default=0)
    for name, plan in plans.items():
        out[name] = None
        for turn in range(turns):
            common = Counter(p[turn] for p in plans.values() if len(p) > turn).most_common(1)
            mine = plan[turn] if len(plan) > turn else ()
            if common and mine != common[0][0]:
                out[name] = turn + 1
                break
    return out


def compare_rows(sessions: Sequence[Session]) -> list[dict[str, Any]]:
    rows = []
    for s in sessions:
        g = s.game
        last = g.history[-1]
        rows.append({
            "session": s.name, "scenario": g.setup.title, "turn": min(g.turn, g.turns),
            "over": g.over, "won": g.over and g.won,
            "objectives_met": sum(1 for o in g.objectives() if o.state == "met"),
            "objectives": len(g.setup.objectives),
            "trust_in_player": last["trust_in_player"],
            "cross_team_trust": last["cross_team_trust"],
            "promises_broken": sum(1 for p in g.promises("broken") if p.by == g.player_id),
        })
    return rows


def compare_markdown(sessions: Sequence[Session]) -> str:
    """The room's debrief report, in the scenario's language."""
    if not sessions:
        return ""
    first = sessions[0].game
    narrator = Narrator.for_game(first)
    t = narrator.t
    rows = compare_rows(sessions)
    split = divergence(sessions)
    lines = [f"# {t('debrief.title', title=first.setup.title)}", "",
             f"| {t('report.session')} | {t('debrief.objectives')} | "
             f"{t('debrief.trust_everyone')} | {t('trends.cross_team_trust')} | "
             f"{t('status.broken')} | {t('report.diverged')} |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        mark = "✓" if row["won"] else ("…" if not row["over"] else "✗")
        lines.append(f"| {row['session']} | {mark} {row['objectives_met']}/{row['objectives']} "
                     f"| {t.num(row['trust_in_player'])} | {t.num(row['cross_team_trust'])} | "
                     f"{row['promises_broken']} | {split[row['session']] or '–'} |")
    lines += ["", f"## {t('debrief.acts')}", ""]
    width = max(len(_turn_acts(s.game, narrator)) for s in sessions)
    lines.append(f"| {t('report.turn')} | " + " | ".join(s.name for s in sessions) + " |")
    lines.append("| ---: |" + " --- |" * len(sessions))
    acts = {s.name: _turn_acts(s.game, narrator) for s in sessions}
    for turn in range(width):
        cells = [acts[s.name][turn] if turn < len(acts[s.name]) else "" for s in sessions]
        lines.append(f"| {turn + 1} | " + " | ".join(cells) + " |")
    lines += ["", f"## {t('debrief.turning_points')}", ""]
    kinds = {o.id: o.kind for o in first.setup.objectives}
    texts = {o.id: o.text for o in first.setup.objectives}
    for s in sessions:
        # each objective's biggest mover in this session, after the objective it moved
        described = "; ".join(
            f"{texts[key]}: {told}" if key in texts else told
            for key, points in turning_points(s.game).items()
            for told in told_turning_points(points, kinds.get(key, ""), narrator,
                                            s.game.world.promises, limit=1)) or "–"
        lines.append(f"- **{s.name}**: {described}")
    if first.setup.debrief:
        lines += ["", f"## {t('debrief.questions')}", ""]
        lines += [f"{i}. {q}" for i, q in enumerate(first.setup.debrief, 1)]
    return safe_lines("\n".join(lines)) + "\n"
