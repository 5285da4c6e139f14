"""Render results as an explained text log or as JSON-able data."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.records import (
    OBJECTIVE_DECIMALS,
    ActResult,
    ChoiceResult,
    ObjectiveStatus,
    PromiseChanged,
    TaskSettled,
    TieChanged,
    TraitChanged,
    TrustChanged,
    TurnReport,
    explain,
)
from ..core.simulation import Simulation
from ..i18n import Messages, number
from .script import Step, describe

STATE_LABEL = {"met": "met", "failed": "FAILED", "on_track": "on track", "at_risk": "at risk"}
STATE_MARK = {"met": "✓", "failed": "✗", "on_track": "·", "at_risk": "!"}


def jsonable(value: Any) -> Any:
    """Records and results as plain JSON values (NaN becomes null)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        out["type"] = type(value).__name__
        if hasattr(value, "delta") and isinstance(value, TrustChanged | TieChanged | TraitChanged):
            out["delta"] = value.delta
        return out
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def trust_line(change: TrustChanged, names: dict[str, str]) -> str:
    """``Ben → Ana -0.120 (0.50 → 0.38) [integrity -0.30]: broken promise by Ana``: the
    base a direct change was mostly about is named in brackets."""
    who = names.get(change.truster, change.truster)
    whom = names.get(change.trustee, change.trustee)
    base = ""
    named = change.singled_out
    if named is not None and not change.cause.via and change.cause.kind != "drift":
        size = change.bases[("ability", "benevolence", "integrity").index(named)]
        if abs(size) >= 0.005:
            base = f" [{named} {size:+.2f}]"
    delta = number(change.delta, "+.3f")
    return (f"{who} → {whom} {delta} ({change.before:.2f} → {change.after:.2f})"
            f"{base}: {explain(change.cause, names)}")


#: a change of tie strength smaller than this (gossip wearing a path) is not listed
TIE_SHOWN = 0.005


def worth_a_line(record: Any) -> bool:
    """Whether a record other than trust is worth a line."""
    return not (isinstance(record, TieChanged) and abs(record.delta) < TIE_SHOWN)


def other_line(record: Any, names: dict[str, str]) -> str:
    if isinstance(record, PromiseChanged):
        p = record.promise
        return (f"promise {p.id} ({names.get(p.by, p.by)} to {names.get(p.to, p.to)}: "
                f"{p.what}) {p.status}")
    if isinstance(record, TraitChanged):
        return (f"{names.get(record.person, record.person)} {record.trait} "
                f"{number(record.delta, '+.3f')}: {explain(record.cause, names)}")
    if isinstance(record, TieChanged):
        return (f"tie {names.get(record.source, record.source)} → "
                f"{names.get(record.other, record.other)} strength {record.before:.2f} → "
                f"{record.after:.2f}: {explain(record.cause, names)}")
    if isinstance(record, TaskSettled):
        if record.act == "quick_win":
            return (f"quick win {names.get(record.manager, record.manager)} → "
                    f"{names.get(record.report, record.report)} {record.cause.detail}")
        support = ", supported" if record.supported else ", unsupported"
        return (f"task {names.get(record.manager, record.manager)} → "
                f"{names.get(record.report, record.report)} {record.outcome} "
                f"(chance {record.chance:.0%}{support})")
    return repr(record)


#: objectives that count (promises), shown as whole numbers
COUNTED = ("promises_kept", "no_broken_promises")


def objective_line(status: ObjectiveStatus, language: str = "en") -> str:
    """``✓ Trust across the floors ...: met, 0.30 (target 0.30 by turn 10)``: the value and
    the target with the decimals the objective is judged on. In the scenario's own
    language when it is not English: its objective's text is followed by words and
    numbers of the same language (``gehaald, 0,59 (doel 0,56, beurt 8)``)."""
    spec = ".0f" if status.kind in COUNTED else f".{OBJECTIVE_DECIMALS}f"
    mark = STATE_MARK[status.state]
    t = Messages(language)
    if t.language != "en":
        state = t(f"objective.{status.state}")
        if status.state == "failed":
            state = state.upper()
        if status.value is None or status.target is None:
            return f"{mark} {status.text}: {state}, {t.num(status.value, spec)}"
        told = t("objective.value", value=t.num(status.value, spec),
                 target=t.num(status.target, spec), by=status.by)
        return f"{mark} {status.text}: {state}, {told}"
    value = "n/a" if status.value is None else number(status.value, spec)
    target = "" if status.target is None else \
        f" (target {number(status.target, spec)} by turn {status.by})"
    return f"{mark} {status.text}: {STATE_LABEL[status.state]}, {value}{target}"


def render_steps(game: Simulation, steps: Iterable[Step], *, limit: int = 12) -> list[str]:
    """The explained turn-by-turn log of a headless run."""
    names = game.world.name_map()
    lines: list[str] = []
    turn = 1
    lines.append(f"Turn {turn}")
    for step in steps:
        result = step.result
        where = f"[line {step.line}] " if step.line else ""
        if isinstance(result, ActResult):
            outcome = f" ({result.outcome})" if result.outcome else ""
            lines.append(f"  {where}{describe(step.command)}{outcome}")
            shown = sorted(result.changes, key=lambda c: (not c.direct, -abs(c.delta)))
            for change in shown[:limit]:
                lines.append(f"    {trust_line(change, names)}")
            if len(shown) > limit:
                lines.append(f"    … and {len(shown) - limit} smaller changes")
            for record in result.other:
                if worth_a_line(record):
                    lines.append(f"    {other_line(record, names)}")
        elif isinstance(result, ChoiceResult):
            auto = " (chosen automatically)" if step.automatic else ""
            lines.append(f"  {where}choose {result.event}: {result.option}{auto}")
            for change in result.changes[:limit]:
                lines.append(f"    {trust_line(change, names)}")
        elif isinstance(result, TurnReport):
            lines += render_turn_report(result, names, limit=limit,
                                        language=game.setup.language)
            turn = result.turn + 1
            if not result.over:
                lines.append(f"Turn {turn}")
    return lines


def render_turn_report(report: TurnReport, names: dict[str, str], *, limit: int = 12,
                       language: str = "en") -> list[str]:
    lines = [f"  end of turn {report.turn}"]
    if report.drift is not None:
        d = report.drift
        lines.append(f"    drift: trust inside teams {number(d.mean_within_change, '+.4f')}, "
                     f"across teams {number(d.mean_cross_change, '+.4f')} on average; "
                     f"{d.ties_weakened} unused {'tie' if d.ties_weakened == 1 else 'ties'} "
                     "weakened" + (f"; {d.ties_formed} new acquaintances (closure)"
                                   if d.ties_formed else ""))
    for record in report.other:
        if worth_a_line(record):
            lines.append(f"    {other_line(record, names)}")
    for event in report.events:
        tag = "dilemma" if event.is_dilemma else "event"
        lines.append(f"    {tag}: {event.title}: {event.text}".rstrip(": "))
        for option_id, label in event.options:
            lines.append(f"      option {option_id}: {label}")
    direct = [c for c in report.changes if c.cause.kind != "drift"]
    drift = sorted((c for c in report.changes if c.cause.kind == "drift"),
                   key=lambda c: -abs(c.delta))
    for change in direct[:limit]:
        lines.append(f"    {trust_line(change, names)}")
    for change in drift[: max(0, min(5, limit - len(direct)))]:
        lines.append(f"    {trust_line(change, names)}")
    m = report.metrics
    lines.append(f"    metrics: trust in player {_num(m.get('trust_in_player'))}, cross-team "
                 f"trust {_num(m.get('cross_team_trust'))}, mean E-I "
                 f"{_num(m.get('ei_mean'))}, modularity {_num(m.get('modularity'))}")
    for status in report.objectives:
        lines.append(f"    {objective_line(status, language)}")
    return lines


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:.3f}"


def summary(game: Simulation) -> dict[str, Any]:
    """End-of-run summary: objectives, won, final metrics."""
    return {
        "title": game.setup.title,
        "seed": game.seed,
        "turn": game.turn,
        "over": game.over,
        "won": game.over and game.won,
        "objectives": jsonable(list(game.objectives())),
        "metrics": jsonable(game.history[-1]),
    }
