"""Every model parameter, declared once.

Each :class:`Param` carries its default, its bounds, a one-line description and the
source that motivates it. The same declarations drive scenario validation (the
``params:`` block), the JSON Schema, ``docs/model.md`` and :class:`Params` itself.

>>> p = Params.from_overrides({"asymmetry": 4.0})
>>> p.asymmetry, p.drift
(4.0, 0.08)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Param:
    """The declaration of one tunable model parameter."""

    name: str
    default: float
    lo: float
    hi: float
    description: str
    source: str
    group: str
    integer: bool = False


PARAMS: tuple[Param, ...] = (
    # -- how one signal moves trust -------------------------------------------------
    Param("asymmetry", 3.0, 1.0, 10.0,
          "How many times more a negative event weighs than a positive one of the same size.",
          "Slovic 1993, trust asymmetry", "trust"),
    Param("scar_weight", 0.6, 0.0, 1.0,
          "Share of a broken promise's drop that stays as a scar, slowing later gains.",
          "Slovic 1993; seed 004 (mistrust builds year on year)", "trust"),
    Param("scar_heal", 0.1, 0.0, 1.0,
          "Share of a scar that heals at each end of turn.",
          "Slovic 1993", "trust"),
    # -- acts ------------------------------------------------------------------------
    Param("delegate_base", 0.2, 0.0, 1.0,
          "Chance that a delegated task succeeds when the report's competence is 0.",
          "seed 001 (smart empowerment: risk and reward)", "acts"),
    Param("delegate_competence_weight", 0.75, 0.0, 1.0,
          "How much the report's competence adds to the chance of success.",
          "Mayer, Davis and Schoorman 1995 (ability)", "acts"),
    Param("delegate_signal", 0.10, 0.0, 1.0,
          "Gain in the report's trust in the manager from being trusted with the work.",
          "seed 000 (delegation and empowerment go together); reciprocity", "acts"),
    Param("delegate_success", 0.15, 0.0, 1.0,
          "Gain in the manager's trust in the report when the task succeeds.",
          "Mayer, Davis and Schoorman 1995 (ability)", "acts"),
    Param("delegate_growth", 0.02, 0.0, 0.5,
          "Competence a report gains from a delegated task that succeeds (bounded growth).",
          "seed 000 (empowerment builds capability)", "acts"),
    Param("delegate_failure", 0.08, 0.0, 1.0,
          "Drop (before asymmetry) in the manager's trust in the report when the task fails.",
          "seed 001 (risk of empowerment)", "acts"),
    Param("quick_win", 0.30, 0.0, 1.0,
          "Signal of a quick win to one person; bounded growth makes it strongest where trust "
          "is low.",
          "seed 004 (quick wins kick-start trust)", "acts"),
    Param("quick_win_team_share", 0.25, 0.0, 1.0,
          "Share of the quick-win signal each member gets when the whole team is the target.",
          "seed 004 (one-to-one gestures beat broadcasts)", "acts"),
    Param("quick_win_repeat", 0.6, 0.0, 5.0,
          "Diminishing returns: the n-th repeat on one person is divided by 1 + this x n.",
          "seed 004 (consistency over repetition)", "acts"),
    Param("feedback", 0.20, 0.0, 1.0,
          "Size of the feedback signal; its sign depends on the receiver's trust in the giver.",
          "seed 003 (open communication and honest feedback)", "acts"),
    Param("feedback_threshold", 0.5, 0.0, 1.0,
          "Trust (adjusted for openness) above which feedback lands well; below, it backfires.",
          "seed 003; Mayer, Davis and Schoorman 1995", "acts"),
    Param("feedback_openness", 0.2, 0.0, 1.0,
          "How much openness shifts receptivity: receptivity = trust + this x (openness - 0.5).",
          "Mayer, Davis and Schoorman 1995 (propensity); seed 003", "acts"),
    Param("feedback_competence", 0.04, 0.0, 0.5,
          "Competence a receiver gains from feedback that lands well, scaled by openness "
          "(bounded growth).",
          "seed 003 (continuous development)", "acts"),
    Param("promise_break", 0.25, 0.0, 1.0,
          "Drop (before asymmetry) in the receiver's trust when a promise is broken.",
          "seed 004; Mayer, Davis and Schoorman 1995 (integrity)", "acts"),
    Param("promise_keep", 0.15, 0.0, 1.0,
          "Gain in the receiver's trust when a promise is kept.",
          "Mayer, Davis and Schoorman 1995 (integrity)", "acts"),
    Param("promise_make", 0.03, 0.0, 1.0,
          "Small gain in trust when a promise is made (hope, not yet proof).",
          "seed 004", "acts"),
    Param("promise_due_default", 3, 1, 50,
          "Turns until a promise made during play falls due, unless the act says otherwise.",
          "design default", "acts", integer=True),
    Param("recognise", 0.15, 0.0, 1.0,
          "Gain in the recognised person's trust in the one who recognised them.",
          "seed 003 (recognition and appreciation)", "acts"),
    Param("recognise_team", 0.05, 0.0, 1.0,
          "Gain in each teammate's trust in the recognised person (the recognition is public).",
          "seed 003 (recognition and appreciation)", "acts"),
    Param("coach", 0.06, 0.0, 1.0,
          "Immediate gain in the report's trust in the coach.",
          "seed 002 (coaching relationships)", "acts"),
    Param("coach_baseline", 0.05, 0.0, 1.0,
          "Rise of the report's baseline trust in the coach, so trust keeps growing over turns.",
          "seed 002 (coaching relationships)", "acts"),
    Param("coach_competence", 0.05, 0.0, 0.5,
          "Competence the report gains from coaching (bounded growth).",
          "seed 002 (continuous development)", "acts"),
    Param("connect_strength", 0.35, 0.0, 1.0,
          "Tie strength added, both ways, between two people from different teams who are "
          "connected.",
          "seed 002 (peer support and action learning across teams)", "acts"),
    Param("connect_trust", 0.15, 0.0, 1.0,
          "Trust signal, both ways, between the two people connected.",
          "seed 002; seed 001 (integration across departments)", "acts"),
    Param("connect_baseline", 0.075, 0.0, 1.0,
          "Rise of the baseline trust, both ways, between two people connected: the "
          "relationship lasts.",
          "seed 002 (peer support)", "acts"),
    # -- spread ----------------------------------------------------------------------
    Param("spread", 0.5, 0.0, 1.0,
          "Share of a direct change passed on to each listener at full tie strength and trust.",
          "reputation spreads through ties", "spread"),
    Param("hop_decay", 0.5, 0.0, 1.0,
          "Extra attenuation for each further hop the news travels.",
          "reputation spreads through ties", "spread"),
    Param("max_hops", 2, 0, 6,
          "How many hops good news travels from the person it happened to.",
          "reputation spreads through ties", "spread", integer=True),
    Param("bad_news_hops", 3, 0, 6,
          "How many hops bad news travels (bad news is passed on more widely).",
          "Slovic 1993 (negative events are more widely passed on)", "spread", integer=True),
    Param("bad_news_boost", 1.5, 1.0, 5.0,
          "Extra weight bad news keeps at each hop compared with good news.",
          "Slovic 1993", "spread"),
    Param("cross_team_damping", 0.4, 0.0, 1.0,
          "Share of the news that crosses a team border at each hop (low values feed silos).",
          "seed 001 (departmental tunnel vision)", "spread"),
    Param("min_change", 0.002, 0.0, 0.1,
          "A listener whose hearsay signal would be weaker than this hears nothing and passes "
          "nothing on (keeps spread local and fast).",
          "design default", "spread"),
    # -- end of turn -----------------------------------------------------------------
    Param("drift", 0.08, 0.0, 1.0,
          "Share of the gap to the baseline that trust closes at each end of turn.",
          "design default (regression to disposition)", "turn"),
    Param("within_team_decay", 0.02, 0.0, 1.0,
          "Share of tie strength an unused tie inside a team loses at each end of turn.",
          "seed 001", "turn"),
    Param("cross_team_decay", 0.10, 0.0, 1.0,
          "Share of tie strength an unused cross-team tie loses at each end of turn.",
          "seed 001 (the natural pull towards silos)", "turn"),
    Param("silo_erosion", 0.05, 0.0, 1.0,
          "Cross-team trust lost per turn in proportion to how weak the tie has become.",
          "seed 001 (turf protection, tunnel vision)", "turn"),
    Param("team_cohesion", 0.02, 0.0, 1.0,
          "Trust gained per turn inside a team in proportion to the tie's strength.",
          "Krackhardt and Stern 1988 (inward cohesion of silos)", "turn"),
    Param("random_events", 0.0, 0.0, 1.0,
          "Chance per turn of an unscripted event (a rumour, a budget squeeze).",
          "design default", "turn"),
    Param("event_size", 0.15, 0.0, 1.0,
          "Size of the trust signal of an unscripted event.",
          "design default", "turn"),
)

PARAMS_BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}


def _defaults() -> dict[str, float]:
    return {p.name: p.default for p in PARAMS}


@dataclass(frozen=True)
class Params:
    """The model parameters in force for one game (defaults, then scenario overrides)."""

    values: dict[str, float] = field(default_factory=_defaults)

    def __post_init__(self) -> None:
        # plain instance attributes: the hot loops read parameters millions of times, and
        # an attribute costs a tenth of a call to __getattr__
        for name, value in self.values.items():
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> float:
        if name.startswith("_") or name == "values":
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None = None) -> Params:
        """Defaults with ``overrides`` applied; raises ``ValueError`` naming every bad entry."""
        values = _defaults()
        problems: list[str] = []
        for name, raw in (overrides or {}).items():
            spec = PARAMS_BY_NAME.get(name)
            if spec is None:
                problems.append(f"{name}: unknown model parameter")
                continue
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
                problems.append(f"{name}: expected a finite number, got {raw!r}")
                continue
            if not spec.lo <= raw <= spec.hi:
                problems.append(f"{name}: {raw} is outside [{spec.lo}, {spec.hi}]")
                continue
            if spec.integer and raw != int(raw):
                problems.append(f"{name}: expected a whole number, got {raw}")
                continue
            values[name] = int(raw) if spec.integer else float(raw)
        if problems:
            raise ValueError("; ".join(problems))
        return cls(values)

    def overrides(self) -> dict[str, float]:
        """The values that differ from the defaults."""
        return {k: v for k, v in self.values.items() if PARAMS_BY_NAME[k].default != v}


__all__ = ["PARAMS", "PARAMS_BY_NAME", "Param", "Params"]
