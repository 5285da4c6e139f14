"""A plain-networkx reference for ``bench_core.py``: the same work, written the obvious way.

Every relationship is an edge of an ``nx.DiGraph`` whose attribute dict holds ``trust``,
the three bases as the last act left them with the trust of that moment (``ref`` and
``ref_trust``), ``strength``, ``baseline`` (the anchor), ``kind`` (within, cross,
reporting), ``border`` (the tie crosses a team border), ``shared`` (shared contacts),
``scar`` and ``used``; every rule is a Python loop over dicts. Nothing here is used by
the game. It exists so the benchmark can say how much the game's layout (arrays over a
frozen topology) buys over the idiomatic one, and :func:`check_against` verifies both do
the same arithmetic (model version 2).

The formulas are those of ``simulator/core/world.py`` (``moved``, ``follow``,
``direct``, ``spread`` with the outsider discount and gossip), ``simulator/core/acts.py``
(``quick_win``, ``feedback``) and ``simulator/core/dynamics.py`` (memory, drift,
erosion, cohesion, decay); E-I and modularity come from the graph functions of
``simulator/core/metrics.py``. Triadic closure is switched off for the check
(``closure_rate`` 0): its own test counts triads by brute force
(tests/core/test_structure.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from simulator.core.chance import draw
from simulator.core.metrics import (
    ei_index,
    ei_index_arrays,
    team_modularity,
    team_modularity_arrays,
)
from simulator.core.setup import CROSS, REPORTING, WITHIN, Setup
from simulator.core.world import follow, moved

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
    weights: tuple[float, float, float]
    player: int
    seed: int
    quick_wins: dict[tuple[int, int], int] = field(default_factory=dict)
    feedbacks: dict[int, float] = field(default_factory=dict)
    #: quick wins waiting for the end of the turn: (receiver, signal, turn, ordinal)
    deliveries: list[tuple[int, float, int, int]] = field(default_factory=list)

    # -- building ----------------------------------------------------------------------

    @classmethod
    def build(cls, setup: Setup, seed: int | None = None) -> RefGame:
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
            weights=setup.params.base_weights, player=index[setup.player],
            seed=setup.seed if seed is None else seed,
        )
        G = game.G
        G.add_nodes_from(range(len(people)))
        kind, border = game.kind, game.border
        G.add_edges_from(
            (a, b, {"trust": t, "ref": [t, t, t], "ref_trust": t, "strength": s,
                    "baseline": t, "kind": kind(a, b), "border": border(a, b), "scar": 0.0,
                    "used": False, "shared": 0})
            for a, b, t, s in zip(setup.tie_src.tolist(), setup.tie_dst.tolist(),
                                  setup.tie_trust.tolist(), setup.tie_strength.tolist(),
                                  strict=True)
        )
        # shared contacts: people tied (strength above 0, either way) to both ends
        tied = nx.Graph()
        tied.add_nodes_from(G)
        tied.add_edges_from((a, b) for a, b, d in G.edges(data=True) if d["strength"] > 0)
        for a, b, d in G.edges(data=True):
            if tied.has_edge(a, b):
                d["shared"] = len(set(tied[a]) & set(tied[b]))
        return game

    def kind(self, a: int, b: int) -> int:
        if self.manager[a] == b or self.manager[b] == a:
            return REPORTING
        return WITHIN if self.team_of[a] == self.team_of[b] else CROSS

    def border(self, a: int, b: int) -> bool:
        """Whether ``a -> b`` crosses a team border (a reporting line may, too)."""
        return self.team_of[a] != self.team_of[b]

    # -- the rules ---------------------------------------------------------------------

    def edge(self, a: int, b: int) -> dict[str, Any]:
        """The attribute dict of ``a -> b``, created as an opinion (strength 0) if needed."""
        G = self.G
        if not G.has_edge(a, b):
            value = self.propensity[a]
            G.add_edge(a, b, trust=value, ref=[value, value, value], ref_trust=value,
                       strength=0.0, baseline=value, kind=self.kind(a, b),
                       border=self.border(a, b), scar=0.0, used=False, shared=0)
        data: dict[str, Any] = G[a][b]
        return data

    def apply_signal(self, data: dict[str, Any], signal: tuple[float, float, float]
                     ) -> tuple[float, float]:
        before = data["trust"]
        bases = [follow(x, data["ref_trust"], before) for x in data["ref"]]
        asymmetry = self.params["asymmetry"]
        bases = [moved(x, s, data["scar"], asymmetry) for x, s in zip(bases, signal,
                                                                        strict=True)]
        after = sum(w * x for w, x in zip(self.weights, bases, strict=True))
        data["ref"], data["ref_trust"], data["trust"] = bases, after, after
        return before, after

    def direct(self, truster: int, trustee: int, signal: tuple[float, float, float],
               scar: float = 0.0) -> list[Change]:
        data = self.edge(truster, trustee)
        before, after = self.apply_signal(data, signal)
        if scar > 0.0 and min(signal) < 0:
            felt = self.params["asymmetry"] * -min(signal)
            data["scar"] = min(1.0, data["scar"] + self.params["scar_weight"] * felt * scar)
        data["used"] = True
        if self.G.has_edge(trustee, truster):
            self.G[trustee][truster]["used"] = True
        changes = [(self.ids[truster], self.ids[trustee], before, after, "")]
        changes += self.spread(truster, trustee, signal)
        return changes

    def spread(self, teller: int, trustee: int, signal: tuple[float, float, float]
               ) -> list[Change]:
        """Breadth first over predecessors, with the factor formula of ``World.spread``."""
        p = self.params
        size = sum(w * s for w, s in zip(self.weights, signal, strict=True))
        bad = size < 0
        hops = int(p["bad_news_hops"] if bad else p["max_hops"])
        if hops <= 0 or size == 0:
            return []
        base = p["spread"] * (p["bad_news_boost"] if bad else 1.0)
        damping = p["cross_team_damping"]
        threshold = p["min_change"]
        team_of = self.team_of
        G = self.G
        pred = G.pred
        visited = {teller, trustee}
        frontier: dict[int, float] = {teller: 1.0}
        changes: list[Change] = []
        abs_size = abs(size)
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
                    if team_of[o] != team_of[trustee]:
                        known = G[o][trustee]["strength"] if G.has_edge(o, trustee) else None
                        if known is None or known < p["outsider_tie"]:
                            f *= damping
                    f = min(f, 1.0)
                    if abs_size * f < threshold:
                        continue
                    best = nxt.get(o)
                    if best is None or f > best[0]:
                        nxt[o] = (f, t)
            if not nxt:
                break
            new_frontier: dict[int, float] = {}
            for o, (f, t) in nxt.items():
                scaled = (signal[0] * f, signal[1] * f, signal[2] * f)
                before, after = self.apply_signal(self.edge(o, trustee), scaled)
                changes.append((self.ids[o], self.ids[trustee], before, after, self.ids[t]))
                if team_of[o] != team_of[t] and p["gossip_strength"] > 0:
                    tie = G[o][t]
                    tie["used"] = True
                    if G.has_edge(t, o):
                        G[t][o]["used"] = True
                    tie["strength"] = min(1.0, tie["strength"]
                                          + p["gossip_strength"] * abs_size * f)
                new_frontier[o] = f
                visited.add(o)
            frontier = new_frontier
        return changes

    # -- two acts ----------------------------------------------------------------------

    def quick_win(self, target: int, turn: int = 1, ordinal: int = 0) -> list[Change]:
        """The gesture now (benevolence); its delivery waits for the end of the turn."""
        p = self.params
        key = (self.player, target)
        n = self.quick_wins.get(key, 0)
        self.quick_wins[key] = n + 1
        s = p["quick_win"] / (1.0 + p["quick_win_repeat"] * n)
        self.deliveries.append((target, s, turn, ordinal))
        return self.direct(target, self.player, (0.0, s, 0.0))

    def deliver(self) -> list[Change]:
        """Quick wins delivered (or flat) at the end of the turn."""
        p = self.params
        changes: list[Change] = []
        for target, s, turn, ordinal in self.deliveries:
            luck = draw(self.seed, turn, "quick_win", self.ids[self.player], ordinal)
            if luck < p["quick_win_flat"] * (1.0 - self.competence[self.player]):
                changes += self.direct(target, self.player,
                                       (-p["quick_win_flat_cost"] * s, 0.0, 0.0))
            else:
                changes += self.direct(target, self.player, (0.5 * s, 0.0, 0.0))
        self.deliveries = []
        return changes

    def feedback(self, target: int) -> list[Change]:
        p = self.params
        G = self.G
        trust_in_giver = (G[target][self.player]["trust"] if G.has_edge(target, self.player)
                          else self.propensity[target])
        receptivity = trust_in_giver + p["feedback_openness"] * (self.openness[target] - 0.5)
        s = p["feedback"] * (receptivity - p["feedback_threshold"]) * 2.0
        s = max(-p["feedback"], min(p["feedback"], s))
        if receptivity < p["feedback_threshold"]:
            return self.direct(target, self.player, (0.0, s, 0.0), scar=p["feedback_scar"])
        n = self.feedbacks.get(target, 0.0)  # landed feedback wears off when repeated
        self.feedbacks[target] = n + 1.0
        s /= 1.0 + p["feedback_repeat"] * n
        changes = self.direct(target, self.player, (0.5 * s, 0.5 * s, s))
        data = G[target][self.player]
        ceiling = min(1.0, data["trust"] + p["anchor_headroom"])
        if data["baseline"] < ceiling:
            data["baseline"] = min(ceiling, data["baseline"] + p["feedback_anchor"])
        before = self.competence[target]
        gain = p["feedback_competence"] * self.openness[target]
        self.competence[target] = min(1.0, before + gain * (1.0 - before))
        return changes

    # -- end of turn -------------------------------------------------------------------

    def end_turn(self) -> dict[str, Any]:
        """Quick wins delivered, then memory, drift, erosion, cohesion, decay and healing
        edge by edge, then E-I and modularity."""
        self.deliver()
        p = self.params
        drift, memory = p["drift"], p["memory"]
        erosion, cohesion = p["silo_erosion"], p["team_cohesion"]
        heal = 1.0 - p["scar_heal"]
        decay_of = {WITHIN: p["within_team_decay"], CROSS: p["cross_team_decay"],
                    REPORTING: 0.0}
        before_sum = after_sum = 0.0
        edges = weakened = 0
        for _, _, d in self.G.edges(data=True):
            t, s, anchor, c = d["trust"], d["strength"], d["baseline"], d["scar"]
            before_sum += t
            gap = t - anchor
            anchor += memory * gap * ((1.0 - c) if gap > 0 else 1.0)
            d["baseline"] = anchor
            gap = anchor - t
            t += drift * gap * ((1.0 - c) if gap > 0 else 1.0)
            if d["border"]:
                t -= erosion * (1.0 - s) * t
            if d["kind"] == WITHIN:
                t += cohesion * s * (1.0 - t)
            t = min(1.0, max(0.0, t))
            d["trust"] = t
            after_sum += t
            if d["used"]:
                d["used"] = False
            else:
                embedded = min(1.0, d["shared"] / p["embedded_contacts"])
                rate = decay_of[d["kind"]] * (1.0 - p["embedded_slow"] * embedded)
                rate *= 1.0 - p["strong_tie_slow"] * s
                if rate > 0.0 and s > 0.0:
                    d["strength"] = s * (1.0 - rate)
                    weakened += 1
            d["scar"] = c * heal
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
    import dataclasses

    from simulator.core import Simulation
    from simulator.core.params import Params

    # closure draws its own chance: off here, checked by brute force in the tests
    setup = dataclasses.replace(setup, params=Params.from_overrides(
        {**setup.params.overrides(), "closure_rate": 0.0}))
    sim = Simulation(setup, undo=False)
    sim.capacity_left = 10**9
    ref = RefGame.build(setup, seed=sim.seed)
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
