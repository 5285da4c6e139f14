"""Each team's strongest links to other teams (the map's team edges and the team view)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from simulator.core.metrics import team_links_arrays
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario

SANDBOX = Path(__file__).resolve().parents[2] / "scenarios" / "sandbox.yaml"


def test_team_links_match_a_brute_force_count_over_the_ties() -> None:
    game = Game(load_scenario(SANDBOX))
    game.act("connect", "efua-m", other="pilar-j")  # a tie made in play counts too
    w = game.world
    ties: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for e in range(w.n_edges):
        a, b = w.team_ids[int(w.src_team[e])], w.team_ids[int(w.dst_team[e])]
        if a != b and w.strength[e] > 0:
            ties[a][b].append(float(w.trust[e]))
    links = game.team_links(limit=3)
    assert set(links) == set(ties)
    for team, found in links.items():
        # the most ties first; equal counts in the teams' order
        expected = sorted(ties[team], key=lambda b: (-len(ties[team][b]), w.team_index[b]))
        assert [other for other, _, _ in found] == expected[:3]
        for other, value, count in found:
            assert count == len(ties[team][other])
            assert abs(value - sum(ties[team][other]) / count) < 1e-9


def test_no_ties_across_teams_means_no_links() -> None:
    same = np.array([0, 1, 1])
    assert team_links_arrays(same, same, np.array([0.5, 0.5, 0.5]), 2) == {}
