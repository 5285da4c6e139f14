"""The organisation as a graph file: GraphML and GEXF (Gephi), node-link JSON."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from ..core.simulation import Simulation
from ..scenario.loader import load_scenario
from .strategies import STRATEGIES, play_strategy

FORMATS = (".graphml", ".gexf", ".json")


def game_at_turn(path: str, turn: int, strategy: str = "do_nothing",
                 seed: int | None = None) -> Simulation:
    """The game of ``path`` after ``turn`` turns played by ``strategy``."""
    if strategy not in STRATEGIES or strategy == "reference":
        raise ValueError(f"unknown strategy {strategy!r} (known: "
                         f"{', '.join(s for s in STRATEGIES if s != 'reference')})")
    scenario = load_scenario(path)
    game = Simulation(scenario.setup, seed, undo=False)
    if turn > game.turns:
        raise ValueError(f"turn {turn} is after the last turn ({game.turns})")

    class Stop(Exception):
        pass

    def stop(g: Simulation) -> None:
        if g.turn > turn:
            raise Stop

    if turn > 0:
        with contextlib.suppress(Stop):
            play_strategy(game, strategy, seed=game.seed, on_turn=stop)
    return game


def export_graph(path: str, output: str | Path, *, turn: int = 0,
                 strategy: str = "do_nothing", seed: int | None = None) -> None:
    """Write the organisation at ``turn`` to ``output`` (format from its suffix)."""
    import networkx as nx

    from ..scenario.files import atomic_write_bytes

    output = Path(output)
    if output.suffix not in FORMATS:
        raise ValueError(f"{output}: expected one of {', '.join(FORMATS)}")
    game = game_at_turn(path, turn, strategy, seed)
    G = game.world.graph()
    for _, _, data in G.edges(data=True):
        data["weight"] = data["trust"]
    G.graph.update({"scenario": game.setup.title, "turn": game.turn - 1, "seed": game.seed})
    if output.suffix == ".json":
        linked: Any = nx.node_link_data(G, edges="links")
        atomic_write_bytes(output, json.dumps(linked, ensure_ascii=False, indent=1).encode())
        return
    import io

    buffer = io.BytesIO()
    if output.suffix == ".graphml":
        nx.write_graphml(G, buffer)
    else:
        nx.write_gexf(G, buffer)
    atomic_write_bytes(output, buffer.getvalue())
