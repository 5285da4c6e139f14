"""A plain-networkx reference for ``bench_core.py``: the same work, written the obvious way.

Every relationship is an edge of an ``nx.DiGraph`` whose attribute dict holds ``trust``,
``strength``, ``baseline``, ``kind`` (within, cross, reporting), ``border`` (the tie crosses
a team border), ``scar`` and ``used``; every rule is a Python loop
over dicts. Nothing here is used by the game. It exists so the benchmark can say how much
the game's layout (networkx for topology, numpy arrays for per-edge state) buys over the
idiomatic one, and :func:`check_against` verifies both do the same arithmetic.

The formulas are those of ``simulator/core/world.py`` (``apply_signal``, ``direct``,
``spread``), ``simulator/core/acts.py`` (``quick_win``, ``feedback``) and
``simulator/core/dynamics.py`` (erosion and cohesion by team border, decay by kind, as
``World._classify`` sets them); E-I and modularity come from the graph functions of
``simulator/core/metrics.py`` (``ei_index``, ``team_modularity``), which loop over
``G.edges(data=True)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from simulator.core.metrics import (
    ei_index,
    ei_index_arrays,
    team_modularity,
    team_modularity_arrays,
)
from simulator.core.setup import CROSS, REPORTING, WITHIN, Setup

Change = tuple[str, str, float, float, str]  # truster, trustee, before, after, heard from


@dataclass
class RefGame:
    """A trust graph as plain networkx, plus the per-person values the rules read."""

    G: nx.DiGraph
    ids: list[str]
    index: dict[str, int]
    team_of: dict[int, int]
    manager: list[int]
    propensity: list[float]
    openness: list[float]
    competence: list[float]
    params: dict[str, float]
    player: int
    quick_wins: dict[tuple[int, int], int] = field(default_factory=dict)

    # -- building ----------------------------------------------------------------------

    @classmethod
    def build(cls, setup: Setup) -> RefGame:
        """The graph from a core setup: one attribute dict per edge (the load reference)."""
        people = setup.people
        ids = [p.id for p in people]
        index = {pid: i for i, pid in enumerate(ids)}
        team_index = {t.id: k for k, t in enumerate(setup.teams)}
        team_of = {i: team_index[p.team] for i, p in enumerate(people)}
        manager = [index[p.manager] if p.manager else -1 for p in people]
        game = cls(
            G=nx.DiGraph(), ids=ids, index=index, team_of=team_of, manager=manager,
            propensity=[p.propensity for p in people], openness=[p.openness for p in people],
            competence=[p.competence for p in people], params=dict(setup.params.values),
            player=index[setup.player],
        )
        G = game.G
        G.add_nodes_from(range(len(people)))
        kind, border = game.kind, game.border
        G.add_edges_from(
            (a, b, {"trust": t, "strength": s, "baseline": t, "kind": kind(a, b),
                    "border": border(a, b), "scar": 0.0, "used": False})
            for a, b, t, s in zip(setup.tie_src.tolist(), setup.tie_dst.tolist(),
                                  setup.tie_trust.tolist(), setup.tie_strength.tolist(),
                                  strict=True)
        )
        return game

    def kind(self, a: int, b: int) -> int:
        if self.manager[a] == b or self.manager[b] == a:
            return REPORTING
        return WITHIN if self.team_of[a] == self.team_of[b] else CROSS

    def border(self, a: int, b: int) -> bool:
        """Whether ``a -> b`` crosses a team border (a reporting line may, too)."""
        return self.team_of[a] != self.team_of[b]

    # -- the two rules -----------------------------------------------------------------

    def edge(self, a: int, b: int) -> dict[str, Any]:
        """The attribute dict of ``a -> b``, created as an opinion (strength 0) if needed."""
        G = self.G
        if not G.has_edge(a, b):
            value = self.propensity[a]
            G.add_edge(a, b, trust=value, strength=0.0, baseline=value, kind=self.kind(a, b),
                       border=self.border(a, b), scar=0.0, used=False)
        data: dict[str, Any] = G[a][b]
        return data

    def apply_signal(self, data: dict[str, Any], signal: float) -> tuple[float, float]:
        before = data["trust"]
        if signal >= 0:
            after = before + signal * (1.0 - before) * (1.0 - data["scar"])
        else:
            after = before + max(-1.0, signal * self.params["asymmetry"]) * before
        after = min(1.0, max(0.0, after))
        data["trust"] = after
        return before, after

    def direct(self, truster: int, trustee: int, signal: float) -> list[Change]:
        data = self.edge(truster, trustee)
        before, after = self.apply_signal(data, signal)
        data["used"] = True
        if self.G.has_edge(trustee, truster):
            self.G[trustee][truster]["used"] = True
        changes = [(self.ids[truster], self.ids[trustee], before, after, "")]
        changes += self.spread(truster, trustee, signal)
        return changes

    def spread(self, teller: int, trustee: int, signal: float) -> list[Change]:
        """Breadth first over predecessors, with the factor formula of ``World.spread``."""
        p = self.params
        bad = signal < 0
        hops = int(p["bad_news_hops"] if bad else p["max_hops"])
        if hops <= 0 or signal == 0:
            return []
        base = p["spread"] * (p["bad_news_boost"] if bad else 1.0)
        damping = p["cross_team_damping"]
        threshold = p["min_change"]
        team_of = self.team_of
        pred = self.G.pred
        visited = {teller, trustee}
        frontier: dict[int, float] = {teller: 1.0}
        changes: list[Change] = []
        abs_signal = abs(signal)
        for hop in range(1, hops + 1):
            step = base * (p["hop_decay"] if hop > 1 else 1.0)
            nxt: dict[int, tuple[float, int]] = {}
            for t, factor_t in frontier.items():
                team_t = team_of[t]
                for o, data in pred[t].items():
                    if o in visited:
                        continue
                    w = data["strength"] * data["trust"]
                    if w <= 0.0:
                        continue
                    f = factor_t * step * w
                    if team_of[o] != team_t:
                        f *= damping
                    f = min(f, 1.0)
                    if abs_signal * f < threshold:
                        continue
                    best = nxt.get(o)
                    if best is None or f > best[0]:
                        nxt[o] = (f, t)
            if not nxt:
                break
            new_frontier: dict[int, float] = {}
            for o, (f, t) in nxt.items():
                before, after = self.apply_signal(self.edge(o, trustee), signal * f)
                changes.append((self.ids[o], self.ids[trustee], before, after, self.ids[t]))
                new_frontier[o] = f
                visited.add(o)
            frontier = new_frontier
        return changes

    # -- two acts ----------------------------------------------------------------------

    def quick_win(self, target: int) -> list[Change]:
        p = self.params
        key = (self.player, target)
        n = self.quick_wins.get(key, 0)
        self.quick_wins[key] = n + 1
        signal = p["quick_win"] / (1.0 + p["quick_win_repeat"] * n)
        return self.direct(target, self.player, signal)

    def feedback(self, target: int) -> list[Change]:
        p = self.params
        G = self.G
        trust_in_giver = (G[target][self.player]["trust"] if G.has_edge(target, self.player)
                          else self.propensity[target])
        openness_weight = p.get("feedback_openness", 0.2)
        receptivity = trust_in_giver + openness_weight * (self.openness[target] - 0.5)
        signal = p["feedback"] * (receptivity - p["feedback_threshold"]) * 2.0
        signal = max(-p["feedback"], min(p["feedback"], signal))
        changes = self.direct(target, self.player, signal)
        if receptivity >= p["feedback_threshold"]:
            before = self.competence[target]
            gain = p["feedback_competence"] * self.openness[target]
            self.competence[target] = min(1.0, before + gain * (1.0 - before))
        return changes

    # -- end of turn -------------------------------------------------------------------

    def end_turn(self) -> dict[str, Any]:
        """Drift, erosion, cohesion, decay and healing edge by edge, then E-I and modularity."""
        p = self.params
        drift, erosion, cohesion = p["drift"], p["silo_erosion"], p["team_cohesion"]
        heal = 1.0 - p["scar_heal"]
        decay_of = {WITHIN: p["within_team_decay"], CROSS: p["cross_team_decay"],
                    REPORTING: 0.0}
        before_sum = after_sum = 0.0
        edges = weakened = 0
        for _, _, d in self.G.edges(data=True):
            t = d["trust"]
            s = d["strength"]
            before_sum += t
            t += drift * (d["baseline"] - t)
            if d["border"]:
                t -= erosion * (1.0 - s) * t
            else:
                t += cohesion * s * (1.0 - t)
            t = min(1.0, max(0.0, t))
            d["trust"] = t
            after_sum += t
            if d["used"]:
                d["used"] = False
            else:
                decay = decay_of[d["kind"]]
                if decay > 0.0 and s > 0.0:
                    d["strength"] = s * (1.0 - decay)
                    weakened += 1
            d["scar"] *= heal
            edges += 1
        ei = ei_index(self.G, self.team_of)
        finite = [v for v in ei.values() if not math.isnan(v)]
        return {
            "ei": ei,
            "ei_mean": sum(finite) / len(finite) if finite else math.nan,
            "modularity": team_modularity(self.G, self.team_of),
            "mean_trust_change": (after_sum - before_sum) / edges if edges else 0.0,
            "ties_weakened": weakened,
        }


def check_against(setup: Setup, report: str) -> dict[str, Any]:
    """Run the same acts and one end of turn on the game and on the reference; compare.

    Returns the largest differences found (0.0 up to rounding means same arithmetic).
    """
    from simulator.core import Simulation

    sim = Simulation(setup, undo=False)
    sim.capacity_left = 10**9
    ref = RefGame.build(setup)
    target = ref.index[report]
    ours = sim.act("quick_win", report).changes + sim.act("feedback", report).changes
    theirs = ref.quick_win(target) + ref.feedback(target)
    ours_set = {(c.truster, c.trustee): c.after for c in ours}
    theirs_set = {(a, b): after for a, b, _, after, _ in theirs}
    act_diff = max((abs(ours_set[k] - v) for k, v in theirs_set.items() if k in ours_set),
                   default=0.0)
    sim.end_turn()
    ref_metrics = ref.end_turn()
    w = sim.world
    n = w.n_edges
    trust_diff = 0.0
    strength_diff = 0.0
    G = ref.G
    for a, b, t, s in zip(w.src[:n].tolist(), w.dst[:n].tolist(), w.trust[:n].tolist(),
                          w.strength[:n].tolist(), strict=True):
        d = G[a][b]
        trust_diff = max(trust_diff, abs(d["trust"] - t))
        strength_diff = max(strength_diff, abs(d["strength"] - s))
    metrics = sim.history[-1]
    ei_diff = max((abs(metrics["ei"][tid] - ref_metrics["ei"][k])
                   for k, tid in enumerate(w.team_ids)
                   if not math.isnan(ref_metrics["ei"][k])), default=0.0)
    # the numpy twins of metrics.py on the game's own arrays, to tell a difference of
    # arithmetic from a difference of definition
    weight = w.trust[:n] * w.strength[:n]
    twin_ei = ei_index_arrays(w.src_team[:n], w.dst_team[:n], weight, len(w.team_ids))
    twin_ei_diff = max((abs(float(twin_ei[k]) - v) for k, v in ref_metrics["ei"].items()
                        if not math.isnan(v)), default=0.0)
    twin_mod = team_modularity_arrays(w.src_team[:n], w.dst_team[:n], weight,
                                      len(w.team_ids))
    return {
        "act_records_same_pairs": set(ours_set) == set(theirs_set),
        "act_records": len(ours),
        "act_max_diff": act_diff,
        "edges_same": n == G.number_of_edges(),
        "trust_max_diff": trust_diff,
        "strength_max_diff": strength_diff,
        "ei_max_diff": ei_diff,
        "modularity_diff": abs(metrics["modularity"] - ref_metrics["modularity"]),
        "arrays_twin_ei_max_diff": twin_ei_diff,
        "arrays_twin_modularity_diff": abs(twin_mod - ref_metrics["modularity"]),
    }
