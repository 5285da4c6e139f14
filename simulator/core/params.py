"""Every model parameter, declared once.

Each :class:`Param` carries its default, its bounds, a one-line description and the
source that motivates it. The same declarations drive scenario validation (the
``params:`` block), the JSON Schema, ``docs/model.md`` and :class:`Params` itself.

>>> p = Params.from_overrides({"asymmetry": 4.0})
>>> p.asymmetry, p.drift
(4.0, 0.08)
>>> round(sum(p.base_weights), 6)
1.0
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
    # -- trust and its three bases -------------------------------------------------------
    Param("weight_ability", 0.3, 0.0, 1.0,
          "Weight of ability (can they do the job?) in trust; the three weights are "
          "normalised to sum to 1.",
          "Mayer, Davis and Schoorman 1995 (ability)", "trust"),
    Param("weight_benevolence", 0.3, 0.0, 1.0,
          "Weight of benevolence (do they mean well by me?) in trust.",
          "Mayer, Davis and Schoorman 1995 (benevolence)", "trust"),
    Param("weight_integrity", 0.4, 0.0, 1.0,
          "Weight of integrity (do they keep their word?) in trust; the largest, as "
          "integrity weighs most early in a relationship.",
          "Mayer, Davis and Schoorman 1995 (integrity)", "trust"),
    Param("asymmetry", 3.0, 1.0, 10.0,
          "How many times more a negative signal weighs than a positive one of the same "
          "size, at every level of trust.",
          "Slovic 1993, trust asymmetry", "trust"),
    Param("scar_weight", 1.2, 0.0, 2.0,
          "Scar a violation leaves on the tie, per unit of felt violation (signal x "
          "asymmetry); a scar slows every later gain and recovery.",
          "Slovic 1993; seed 004 (being let down causes deep and lasting distrust)", "trust"),
    Param("scar_heal", 0.1, 0.0, 1.0,
          "Share of a scar that heals at each end of turn.",
          "Slovic 1993", "trust"),
    # -- memory ------------------------------------------------------------------------------
    Param("drift", 0.08, 0.0, 1.0,
          "Share of the gap to the anchor that trust closes at each end of turn (upwards, "
          "slowed by the scar).",
          "regression to a learned level (Lewicki and Bunker 1996)", "memory"),
    Param("memory", 0.15, 0.0, 1.0,
          "Share of the gap to trust that the anchor closes at each end of turn: the level "
          "trust returns to moves with experience (upwards, slowed by the scar).",
          "Lewicki and Bunker 1996 (trust develops with experience); seed 004", "memory"),
    Param("anchor_drop", 0.5, 0.0, 1.0,
          "Share of the drop in trust from a broken or lapsed promise that the anchor "
          "loses too, so the damage lasts.",
          "seed 004 (mistrust builds year on year); Slovic 1993", "memory"),
    Param("anchor_headroom", 0.15, 0.0, 1.0,
          "Coaching, landed feedback and introductions raise the anchor only while it is "
          "below trust plus this: nothing ratchets to 1.",
          "design rule (no ratchet)", "memory"),
    # -- acts ------------------------------------------------------------------------------
    Param("quick_win", 0.5, 0.0, 1.0,
          "Benevolence signal of a quick win to one person (ability gets half of it).",
          "seed 004 (quick wins kick-start trust)", "acts"),
    Param("quick_win_flat", 0.3, 0.0, 1.0,
          "Chance that a quick win falls flat is this x (1 - the actor's competence); known "
          "at the end of the turn, when it is delivered or not.",
          "Mayer, Davis and Schoorman 1995 (ability)", "acts"),
    Param("quick_win_flat_cost", 0.25, 0.0, 1.0,
          "A quick win that falls flat sends this x its signal (negative) on the receiver's "
          "view of the actor's ability, instead of half its signal (positive).",
          "Mayer, Davis and Schoorman 1995 (ability)", "acts"),
    Param("quick_win_team_share", 0.25, 0.0, 1.0,
          "Share of the quick-win signal each member gets when the whole team is the target.",
          "seed 004 (one-to-one gestures beat broadcasts)", "acts"),
    Param("quick_win_repeat", 0.6, 0.0, 5.0,
          "Diminishing returns: the n-th repeat on one person is divided by 1 + this x n.",
          "seed 004 (consistency over repetition)", "acts"),
    Param("feedback", 0.20, 0.0, 1.0,
          "Size of the feedback signal; its sign depends on the receiver's trust in the "
          "giver. Landed, it shows integrity (candour) and half as much ability and "
          "benevolence; backfired, it hurts benevolence.",
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
    Param("feedback_anchor", 0.04, 0.0, 0.5,
          "Rise of the receiver's anchor when feedback lands: honest feedback that helps "
          "builds lasting trust (within the headroom).",
          "seed 003 (trust is built by honest feedback)", "acts"),
    Param("feedback_repeat", 0.6, 0.0, 5.0,
          "Landed feedback wears off when repeated on one person: divided by 1 + this x "
          "(recent landed feedback to them).",
          "seed 003; diminishing returns of repeated advice", "acts"),
    Param("feedback_scar", 0.3, 0.0, 1.0,
          "Share of a full scar that feedback which backfires leaves.",
          "seed 003; Slovic 1993", "acts"),
    Param("delegate_base", 0.2, 0.0, 1.0,
          "Chance that a delegated task succeeds when the report's competence is 0.",
          "seed 001 (smart empowerment: risk and reward)", "acts"),
    Param("delegate_competence_weight", 0.75, 0.0, 1.0,
          "How much the report's competence adds to the chance of success.",
          "Mayer, Davis and Schoorman 1995 (ability)", "acts"),
    Param("delegate_support", 0.15, 0.0, 1.0,
          "Chance added when the manager supported the report (coached them, or gave "
          "feedback that landed, this turn or the one before).",
          "seed 000 (set up right to ensure success); seed 002 (coaching)", "acts"),
    Param("delegate_signal", 0.2, 0.0, 1.0,
          "Benevolence signal for the report from being trusted with the work, at once.",
          "seed 000 (delegation and empowerment go together); reciprocity", "acts"),
    Param("delegate_success", 0.15, 0.0, 1.0,
          "Ability signal in the manager's view of the report when the task succeeds "
          "(times 0.5 + the manager's trust in the report).",
          "Mayer, Davis and Schoorman 1995 (ability)", "acts"),
    Param("delegate_credit", 0.1, 0.0, 1.0,
          "Signal in the report's trust in the manager when the task succeeds; it spreads.",
          "seed 001 (risk and reward)", "acts"),
    Param("delegate_failure", 0.08, 0.0, 1.0,
          "Ability signal (negative) in the manager's view of the report when the task fails.",
          "seed 001 (risk of empowerment)", "acts"),
    Param("delegate_blame", 0.06, 0.0, 1.0,
          "Signal (negative) in the report's trust in the manager when a task fails without "
          "support: set up to fail. It spreads to the team.",
          "seed 000 (set up right to ensure success)", "acts"),
    Param("delegate_growth", 0.02, 0.0, 0.5,
          "Competence a report gains from a delegated task that succeeds (bounded growth).",
          "seed 000 (empowerment builds capability)", "acts"),
    Param("promise_break", 0.35, 0.0, 1.0,
          "Integrity signal (negative) when a promise is broken; benevolence takes a third.",
          "seed 004; Mayer, Davis and Schoorman 1995 (integrity)", "acts"),
    Param("promise_lapse", 1.3, 1.0, 3.0,
          "A promise left to lapse at its due turn costs this many times a broken one.",
          "seed 004 (being let down)", "acts"),
    Param("promise_early", 0.4, 0.0, 1.0,
          "Saying early that a promise cannot be kept costs less: the cost is multiplied by "
          "1 - this x (turns left / turns it ran).",
          "seed 003 (open communication)", "acts"),
    Param("promise_keep", 0.3, 0.0, 1.0,
          "Integrity signal when a promise is kept (only once it has been open over an end "
          "of turn).",
          "Mayer, Davis and Schoorman 1995 (integrity)", "acts"),
    Param("promise_make", 0.03, 0.0, 1.0,
          "Small benevolence signal when a promise is made (hope, not yet proof).",
          "seed 004", "acts"),
    Param("promise_due_default", 3, 1, 50,
          "Turns until a promise made during play falls due, unless the act says otherwise.",
          "design default", "acts", integer=True),
    Param("recognise", 0.3, 0.0, 1.0,
          "Benevolence signal of recognition for the recognised person.",
          "seed 003 (recognition and appreciation)", "acts"),
    Param("recognise_repeat", 0.6, 0.0, 5.0,
          "Recognition wears off: divided by 1 + this x (recent recognitions of the same "
          "person).",
          "seed 003; the hedonic treadmill of praise", "acts"),
    Param("repeat_memory", 0.7, 0.0, 1.0,
          "Share of the count of recent recognitions (and landed feedback) given to one "
          "person kept at each end of turn: praise and feedback wear off when repeated.",
          "design default", "acts"),
    Param("recognise_credibility", 0.35, 0.01, 1.0,
          "Praise counts fully only from someone trusted at least this much; below, in "
          "proportion.",
          "Mayer, Davis and Schoorman 1995 (a source's credibility)", "acts"),
    Param("recognise_envy", 0.03, 0.0, 0.5,
          "Benevolence signal (negative) for each teammate passed over, per recognition "
          "they were already behind the person singled out again (recent recognitions, "
          "fading): recognising people in turn costs nothing.",
          "Adams 1965 (equity: singling out invites comparison)", "acts"),
    Param("recognise_envy_max", 3, 0, 50,
          "At most this many teammates notice each recognition.",
          "design default", "acts", integer=True),
    Param("recognise_team", 0.05, 0.0, 1.0,
          "Ability signal in each teammate's view of the recognised person (it is public).",
          "seed 003 (recognition and appreciation)", "acts"),
    Param("coach", 0.12, 0.0, 1.0,
          "Benevolence signal for the report from coaching (ability gets half).",
          "seed 002 (coaching relationships)", "acts"),
    Param("coach_baseline", 0.05, 0.0, 1.0,
          "Rise of the report's anchor from coaching (within the headroom), so trust keeps "
          "growing over the turns that follow.",
          "seed 002 (coaching relationships)", "acts"),
    Param("coach_competence", 0.05, 0.0, 0.5,
          "Competence the report gains from coaching (bounded growth).",
          "seed 002 (continuous development)", "acts"),
    Param("connect_strength", 0.35, 0.0, 1.0,
          "Tie strength added, both ways, between two people from different teams who are "
          "connected.",
          "seed 002 (peer support and action learning across teams)", "acts"),
    Param("connect_trust", 0.2, 0.0, 1.0,
          "Benevolence and ability signal, both ways, between the two people connected.",
          "seed 002; seed 001 (integration across departments)", "acts"),
    Param("connect_baseline", 0.075, 0.0, 1.0,
          "Rise of the anchor, both ways, between two people connected (within the headroom).",
          "seed 002 (peer support)", "acts"),
    Param("apology_ability", 0.6, 0.0, 1.0,
          "Share of the ability the actor's own failures cost that an apology restores.",
          "Kim, Ferrin, Cooper and Dirks 2004 (apology repairs competence violations)",
          "acts"),
    Param("apology_benevolence", 0.4, 0.0, 1.0,
          "Share of the benevolence the actor's own failures cost that an apology restores.",
          "Kim, Ferrin, Cooper and Dirks 2004", "acts"),
    Param("apology_integrity", 0.2, 0.0, 1.0,
          "Share of the integrity the actor's own failures cost that an apology restores.",
          "Kim, Ferrin, Cooper and Dirks 2004 (apology repairs integrity violations poorly)",
          "acts"),
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
          "Slovic 1993; Baumeister et al. 2001 (bad is stronger than good)", "spread",
          integer=True),
    Param("bad_news_boost", 1.5, 1.0, 5.0,
          "Extra weight bad news keeps at each hop compared with good news.",
          "Slovic 1993; Baumeister et al. 2001", "spread"),
    Param("cross_team_damping", 0.4, 0.0, 1.0,
          "Share of the news that crosses a team border at each hop, and again when it is "
          "about an outsider the listener barely knows (low values feed silos).",
          "seed 001 (departmental tunnel vision)", "spread"),
    Param("outsider_tie", 0.2, 0.0, 1.0,
          "A listener whose tie to the person the news is about is weaker than this, and "
          "who is in another team, discounts the news once more.",
          "seed 001; Tajfel and Turner 1979 (outgroup discount)", "spread"),
    Param("gossip_strength", 0.5, 0.0, 5.0,
          "News carried over a tie between two teams uses it (no decay that turn) and adds "
          "this x the size of what it carried to its strength.",
          "Burt 2005 (bridges are kept by use)", "spread"),
    Param("min_change", 0.002, 0.0, 0.1,
          "A listener whose hearsay signal would be weaker than this hears nothing and passes "
          "nothing on (keeps spread local and fast).",
          "design default", "spread"),
    # -- end of turn -----------------------------------------------------------------
    Param("within_team_decay", 0.02, 0.0, 1.0,
          "Share of tie strength an unused tie inside a team loses at each end of turn.",
          "seed 001", "turn"),
    Param("cross_team_decay", 0.10, 0.0, 1.0,
          "Share of tie strength an unused cross-team tie loses at each end of turn.",
          "Burt 2002 (bridges decay faster); seed 001", "turn"),
    Param("strong_tie_slow", 0.5, 0.0, 1.0,
          "Decay is multiplied by 1 - this x strength: strong ties last longer.",
          "Burt 2002 (strong ties decay more slowly)", "turn"),
    Param("embedded_slow", 0.6, 0.0, 1.0,
          "Decay is multiplied by 1 - this x embeddedness: ties with shared contacts last "
          "longer.",
          "Burt 2002 (embedded ties decay more slowly)", "turn"),
    Param("embedded_contacts", 3, 1, 50,
          "Shared contacts at which a tie counts as fully embedded (embeddedness = shared "
          "contacts / this, at most 1).",
          "Burt 2002", "turn", integer=True),
    Param("silo_erosion", 0.05, 0.0, 1.0,
          "Cross-team trust lost per turn in proportion to how weak the tie has become.",
          "seed 001 (turf protection, tunnel vision)", "turn"),
    Param("team_cohesion", 0.02, 0.0, 1.0,
          "Trust gained per turn inside a team in proportion to the tie's strength.",
          "Krackhardt and Stern 1988 (inward cohesion of silos)", "turn"),
    Param("crisis_cushion", 0.7, 0.0, 1.0,
          "An event's blow to a tie is multiplied by 1 - this x strength x trust: strong "
          "friendships cushion a crisis.",
          "Krackhardt and Stern 1988 (friendships across units help in a crisis)", "turn"),
    Param("closure_rate", 0.05, 0.0, 1.0,
          "Chance per turn that a shared contact k introduces a and b: this x S(a,k) x "
          "S(k,b) (x closure_across between two teams). Triadic closure.",
          "Granovetter 1973; Kossinets and Watts 2006 (triadic closure)", "turn"),
    Param("closure_threshold", 0.5, 0.05, 1.0,
          "A shared contact k closes the triad a - k - b only if both a's tie to k and k's "
          "tie to b are at least this strong (reporting lines do not count).",
          "Granovetter 1973 (strong ties close triads)", "turn"),
    Param("closure_across", 0.5, 0.0, 1.0,
          "Closure between two people of different teams is multiplied by this (homophily).",
          "McPherson, Smith-Lovin and Cook 2001 (homophily)", "turn"),
    Param("closure_strength", 0.3, 0.01, 1.0,
          "Strength, both ways, of the tie closure forms: an acquaintance, not a friend.",
          "Granovetter 1973 (weak ties)", "turn"),
    Param("random_events", 0.0, 0.0, 1.0,
          "Chance per turn of an unscripted event (a rumour, a budget squeeze).",
          "design default", "turn"),
    Param("event_size", 0.15, 0.0, 1.0,
          "Size of the trust signal of an unscripted event.",
          "design default", "turn"),
)

#: The version of the model's rules. Saves record it; a save of another version is refused.
MODEL_VERSION = 2

PARAMS_BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}


def _defaults() -> dict[str, float]:
    return {p.name: p.default for p in PARAMS}


@dataclass(frozen=True)
class Params:
    """The model parameters in force for one game (defaults, then scenario overrides)."""

    values: dict[str, float] = field(default_factory=_defaults)
    #: (ability, benevolence, integrity) weights, normalised to sum to 1
    base_weights: tuple[float, float, float] = field(init=False, repr=False, compare=False,
                                                     default=(0.3, 0.3, 0.4))

    def __post_init__(self) -> None:
        # plain instance attributes: the hot loops read parameters millions of times, and
        # an attribute costs a tenth of a call to __getattr__
        for name, value in self.values.items():
            object.__setattr__(self, name, value)
        weights = (self.values["weight_ability"], self.values["weight_benevolence"],
                   self.values["weight_integrity"])
        total = sum(weights)
        object.__setattr__(self, "base_weights",
                           tuple(w / total for w in weights) if total > 0 else (1 / 3,) * 3)

    def __getattr__(self, name: str) -> float:
        if name.startswith("_") or name in ("values", "base_weights"):
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


__all__ = ["MODEL_VERSION", "PARAMS", "PARAMS_BY_NAME", "Param", "Params"]
