"""The organisation of a lab run as a graph file: GraphML, GEXF (Gephi), node-link JSON.

An export is drawn from the very run whose rows ``trustsim run --out`` writes (it is
played by :func:`~simulator.experiments.lab.run_rows`), so what networkx or Gephi compute
on the file agrees with the tables:

- an edge's ``weight`` is ``trust * strength``, the weight the silo metrics use
  (:func:`simulator.core.metrics.tie_weight`), and ``trust`` and ``strength`` come with
  it. A relationship of strength 0 is an *opinion* (one person's view of someone they do
  not work with): it weighs nothing, and ``ties_only`` leaves it out;
- nodes carry ``name``, ``team``, ``role``, ``manager`` (true for anyone with direct
  reports), ``reports_to`` (their manager's id, or empty), ``player`` and the traits;
- the run is recorded in the file (:func:`run_metadata`): its id (the tables' ``run``
  column), scenario, strategy, seed, parameters, turns, the model's version and
  trustsim's. GraphML and JSON keep them as graph attributes; GEXF has none, so they are
  the JSON in its ``<meta>`` description (:func:`gexf_metadata` reads them back).

:func:`export_dynamic` writes every turn of a run as one dynamic GEXF for Gephi's timeline.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.params import MODEL_VERSION
from ..core.simulation import Simulation
from .lab import RunSpec, model_version, replay_spec, run_rows

if TYPE_CHECKING:  # networkx is imported lazily: it costs 0.2 s of start-up
    import networkx as nx

FORMATS = (".graphml", ".gexf", ".json")
#: how an edge's ``weight`` is made, recorded in every export
WEIGHT = "trust * strength"
#: prefixes of the flat graph attributes for RunSpec fields that are (name, value) pairs
#: (GraphML attributes are scalars): ``param_asymmetry`` as in the tables
_PAIR_PREFIX = {"params": "param", "policies": "policy"}
_KINDS = ("within", "cross", "reporting")


class _Stop(Exception):
    """Raised from the run's turn hook once the wanted turn is captured."""


def check_output(output: str | Path, *, dynamic: bool = False) -> Path:
    """``output`` as a Path if its suffix is a format we write, else ``ValueError``."""
    output = Path(output)
    if dynamic:
        if output.suffix != ".gexf":
            raise ValueError(f"{output}: every turn goes into one dynamic GEXF file: "
                             "name it *.gexf")
    elif output.suffix not in FORMATS:
        raise ValueError(f"{output}: expected one of {', '.join(FORMATS)}")
    return output


def last_turn(spec: RunSpec) -> int:
    """The last turn the run plays (its ``turns``, else the scenario's)."""
    from .lab import _load

    return spec.turns or _load(spec.scenario).setup.turns


def game_at_turn(run: RunSpec | str, turn: int, strategy: str = "do_nothing",
                 seed: int | None = None) -> Simulation:
    """The game of a run after ``turn`` turns (0: the start), exactly as the run's table
    row of that turn measured it. ``run`` is a :class:`RunSpec`, or a scenario path played
    by ``strategy`` with ``seed`` (default: the scenario's)."""
    spec = run if isinstance(run, RunSpec) else replay_spec(run, strategy, seed)
    end = last_turn(spec)
    if not 0 <= turn <= end:
        raise ValueError(f"turn {turn} is not in the run (turns 0 to {end})")
    found: list[Simulation] = []

    def stop(game: Simulation) -> None:
        if game.turn - 1 == turn:
            found.append(game)
            raise _Stop

    try:
        run_rows(spec, on_turn=stop)
    except _Stop:
        return found[0]
    raise ValueError(f"the run ended before turn {turn}")


def run_metadata(spec: RunSpec) -> dict[str, Any]:
    """What identifies a run, as recorded in every export: its id (``run``, the tables'
    column), every field of the :class:`RunSpec` (``scenario`` as the tables name it, its
    path as ``scenario_path``; pairs such as ``params`` as mappings), the model's version
    (``model``, :data:`~simulator.core.params.MODEL_VERSION`), trustsim's
    (``model_version``, as in the tables) and how edge weights are made."""
    meta: dict[str, Any] = {"run": spec.key}
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        if f.name == "scenario":
            meta["scenario"] = Path(value).stem
            meta["scenario_path"] = str(value)
        elif f.name in _PAIR_PREFIX or (value and _is_pairs(value)):
            meta[f.name] = {str(k): v for k, v in value}
        else:
            meta[f.name] = list(value) if isinstance(value, tuple) else value
    if "policies" in meta:  # as the tables' `policy` column names them
        from .policies import policy_label

        meta["policy"] = policy_label(tuple(meta["policies"].items()))
    meta["last_turn"] = last_turn(spec)
    meta.update(model=MODEL_VERSION, model_version=model_version(), weight=WEIGHT)
    return meta


def _is_pairs(value: Any) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value)


def _flat(meta: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Scalar graph attributes for GraphML: None left out, lists as JSON, mappings as JSON
    and as one attribute per entry (``param_asymmetry``)."""
    flat: dict[str, str | int | float | bool] = {}
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, dict):
            flat[key] = json.dumps(value, sort_keys=True)
            prefix = _PAIR_PREFIX.get(key, key)
            for name, item in value.items():
                flat[f"{prefix}_{name}"] = item
        elif isinstance(value, list):
            flat[key] = json.dumps(value)
        else:
            flat[key] = value
    return flat


def organisation_graph(game: Simulation, *, ties_only: bool = False) -> nx.DiGraph:
    """The organisation now as a networkx ``DiGraph`` with the export's attributes
    (edge ``weight`` = trust x strength; without the opinions if ``ties_only``)."""
    w = game.world
    G = w.graph()
    for _, _, data in G.edges(data=True):
        data["weight"] = data["trust"] * data["strength"]
    if ties_only:
        G.remove_edges_from([(u, v) for u, v, s in G.edges(data="strength") if s <= 0])
    managing = _has_reports(w.manager).tolist()
    for i, pid in enumerate(w.ids):
        node = G.nodes[pid]
        boss = int(w.manager[i])
        node["manager"] = managing[i]
        node["reports_to"] = w.ids[boss] if boss >= 0 else ""
        node["player"] = i == game.player
    return G


def _mark_policies(G: nx.DiGraph, spec: RunSpec) -> None:
    """Give every node the policy it acted by in run ``spec`` (``policy``; "" for those who
    had none: the player, people without reports, managers left out of the shares)."""
    names: dict[str, str] = {}
    if spec.policies:
        from .policies import assign_policies

        start = game_at_turn(spec, 0)  # as the run drew them, before anyone acted
        ids = start.world.ids
        names = {ids[m]: name for m, name in
                 assign_policies(start, spec.policies, spec.seed).items()}
    for pid, data in G.nodes(data=True):
        data["policy"] = names.get(pid, "")


def _has_reports(manager: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """For each person, whether anyone reports to them (``manager`` is each one's boss)."""
    found = np.zeros(len(manager), bool)
    found[manager[manager >= 0]] = True
    return found


def export_graph(spec: RunSpec, output: str | Path, *, turn: int = 0,
                 ties_only: bool = False) -> nx.DiGraph:
    """Write the organisation of run ``spec`` after ``turn`` turns to ``output`` (the format
    from its suffix); returns the graph written."""
    output = check_output(output)
    game = game_at_turn(spec, turn)
    G = organisation_graph(game, ties_only=ties_only)
    _mark_policies(G, spec)
    meta = {**run_metadata(spec), "turn": turn, "ties_only": ties_only,
            "title": game.setup.title}
    G.graph["name"] = _title(meta)
    G.graph.update(_flat(meta) if output.suffix == ".graphml" else meta)
    _write(G, output, meta)
    return G


# -- every turn of a run: a dynamic GEXF ----------------------------------------------------


@dataclass
class _Frame:
    """The state an export needs at the end of one turn."""

    turn: int
    n_people: int
    n_edges: int
    team: np.ndarray[Any, Any]
    manager: np.ndarray[Any, Any]
    managing: np.ndarray[Any, Any]
    trust: np.ndarray[Any, Any]
    strength: np.ndarray[Any, Any]


def export_dynamic(spec: RunSpec, output: str | Path, *, ties_only: bool = False
                   ) -> nx.DiGraph:
    """Write every turn of run ``spec`` (0 to the last) to ``output`` as one dynamic GEXF:
    Gephi's timeline plays the run. Edge ``weight``, ``trust`` and ``strength`` are
    dynamic attributes, one value per turn (each an interval ``[t, t]``; equal values of
    consecutive turns merged); an edge exists over the turns it existed (with
    ``ties_only``: the turns its strength was above 0), a node over the turns the person
    was in the organisation; ``team``, ``manager`` and ``reports_to`` are dynamic too.
    Returns the networkx graph written (attributes as ``(value, start, end)`` lists)."""
    import networkx as nx

    output = check_output(output, dynamic=True)
    frames: list[_Frame] = []
    games: list[Simulation] = []

    def snap(game: Simulation) -> None:
        w = game.world
        n = w.n_edges
        frames.append(_Frame(game.turn - 1, w.n_people, n, w.team.copy(), w.manager.copy(),
                             _has_reports(w.manager), w.trust[:n].copy(), w.strength[:n].copy()))
        if not games:
            games.append(game)

    run_rows(spec, on_turn=snap)
    w = games[0].world
    turns = [f.turn for f in frames]
    G = nx.DiGraph()
    for i, pid in enumerate(w.ids):
        present = [k for k, f in enumerate(frames) if i < f.n_people]
        teams = [w.team_ids[int(frames[k].team[i])] for k in present]
        bosses = [int(frames[k].manager[i]) for k in present]
        managing = [bool(frames[k].managing[i]) for k in present]
        at = [turns[k] for k in present]
        G.add_node(pid, name=w.names[i], role=w.roles[i],
                   player=i == games[0].player, start=at[0], end=at[-1],
                   team=_intervals(at, teams), manager=_intervals(at, managing),
                   reports_to=_intervals(at, [w.ids[b] if b >= 0 else "" for b in bosses]),
                   competence=float(w.competence[i]), openness=float(w.openness[i]),
                   propensity=float(w.propensity[i]))
    src, dst, kind = w.src[:w.n_edges].tolist(), w.dst[:w.n_edges].tolist(), \
        w.kind[:w.n_edges].tolist()
    for e, (a, b) in enumerate(zip(src, dst, strict=True)):
        present = [k for k, f in enumerate(frames) if e < f.n_edges
                   and (not ties_only or f.strength[e] > 0)]
        if not present:
            continue
        at = [turns[k] for k in present]
        trust = [float(frames[k].trust[e]) for k in present]
        strength = [float(frames[k].strength[e]) for k in present]
        G.add_edge(w.ids[a], w.ids[b], kind=_KINDS[kind[e]], spells=_spells(at),
                   # "weight" would become GEXF's static edge weight: renamed when written
                   dynamic_weight=_intervals(at, [t * s for t, s in
                                                  zip(trust, strength, strict=True)]),
                   trust=_intervals(at, trust), strength=_intervals(at, strength))
    _mark_policies(G, spec)
    meta = {**run_metadata(spec), "turns_exported": [turns[0], turns[-1]],
            "ties_only": ties_only, "title": games[0].setup.title}
    G.graph.update(meta, name=_title(meta), mode="dynamic")
    _write(G, output, meta)
    for _, _, data in G.edges(data=True):
        data["weight"] = data.pop("dynamic_weight")
    return G


def _intervals(turns: Sequence[int], values: Sequence[Any]) -> list[tuple[Any, int, int]]:
    """``(value, start, end)`` per run of equal values over consecutive turns (inclusive).

    >>> _intervals([0, 1, 2, 4], ["a", "a", "b", "b"])
    [('a', 0, 1), ('b', 2, 2), ('b', 4, 4)]
    """
    out: list[tuple[Any, int, int]] = []
    for t, v in zip(turns, values, strict=True):
        if out and out[-1][0] == v and out[-1][2] == t - 1:
            out[-1] = (v, out[-1][1], t)
        else:
            out.append((v, t, t))
    return out


def _spells(turns: Sequence[int]) -> list[tuple[int, int]]:
    """Runs of consecutive turns as inclusive ``(start, end)`` spells.

    >>> _spells([0, 1, 2, 5, 6])
    [(0, 2), (5, 6)]
    """
    return [(start, end) for _, start, end in _intervals(turns, [None] * len(turns))]


# -- writing ---------------------------------------------------------------------------------


def _title(meta: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v:g}" for k, v in meta.get("params", {}).items())
    return " · ".join(str(part) for part in (
        meta["scenario"], meta["strategy"], f"seed {meta['seed']}", params) if part)


def _write(G: nx.DiGraph, output: Path, meta: dict[str, Any]) -> None:
    import io

    import networkx as nx

    from ..scenario.files import atomic_write_bytes

    if output.suffix == ".json":
        linked: Any = nx.node_link_data(G, edges="links")
        atomic_write_bytes(output, json.dumps(linked, ensure_ascii=False, indent=1,
                                              default=str).encode())
        return
    buffer = io.BytesIO()
    if output.suffix == ".graphml":
        nx.write_graphml(G, buffer)
    else:
        _write_gexf(G, buffer, meta)
    atomic_write_bytes(output, buffer.getvalue())


def _write_gexf(G: nx.DiGraph, buffer: Any, meta: dict[str, Any]) -> None:
    """networkx's GEXF 1.2 writer, then what it cannot say: the run in ``<meta>``, the
    timeformat ``integer`` (turns; networkx writes ``long``, which GEXF does not define)
    and the dynamic ``weight`` (networkx makes any ``weight`` the static XML attribute)."""
    from xml.etree.ElementTree import SubElement

    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    # indenting a dynamic file (an element per value per turn) doubles the time to write it
    writer = GEXFWriter(version="1.2draft", prettyprint=G.graph.get("mode") != "dynamic")
    writer.add_graph(G)
    graph = writer.graph_element
    if graph.get("mode") == "dynamic":
        graph.set("timeformat", "integer")
    for attributes in graph.findall("attributes"):
        for attribute in attributes.findall("attribute"):
            if attribute.get("title") == "dynamic_weight":
                attribute.set("title", "weight")
    head = writer.xml.find("meta")
    assert head is not None
    creator = head.find("creator")
    assert creator is not None
    creator.text = (f"trustsim {meta['model_version']} (model {meta['model']}), "
                    f"NetworkX {nx.__version__}")
    keywords = ["trustsim", meta["scenario"], str(meta["strategy"]), f"seed {meta['seed']}"]
    SubElement(head, "keywords").text = ", ".join(keywords)
    SubElement(head, "description").text = json.dumps(meta, ensure_ascii=False,
                                                      sort_keys=True)
    writer.write(buffer)


def gexf_metadata(path: str | Path) -> dict[str, Any]:
    """The run recorded in a GEXF export (the JSON of its ``<meta>`` description)."""
    from xml.etree.ElementTree import parse

    root = parse(path).getroot()
    namespace = root.tag.partition("}")[0] + "}" if root.tag.startswith("{") else ""
    description = root.find(f"{namespace}meta/{namespace}description")
    if description is None or not description.text:
        raise ValueError(f"{path}: no run recorded (not a trustsim export?)")
    found: dict[str, Any] = json.loads(description.text)
    return found
