"""The plots students want most, with matplotlib (the lab extra).

* a measure over turns, or against a parameter at one turn, one line per group. Each
  run's team rows first become one value per run (:func:`.stats.per_run`: the mean over
  teams, weighted by size on request, or one team's value); the line is the mean over
  runs and the band its 95% confidence interval over runs (teams are never replicates).
  ``where`` filters rows, ``facet`` draws one panel per value of a column, and the figure
  says in a caption how the numbers were made and how many runs each point has;
* the trust network coloured by team.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import stats

FORMATS = (".png", ".svg", ".pdf")


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise RuntimeError("plots need matplotlib: pip install 'trustsim[lab]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _figure(**options: Any) -> Any:
    """A matplotlib Figure without pyplot (no GUI backend, less to import)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise RuntimeError("plots need matplotlib: pip install 'trustsim[lab]'") from None
    return Figure(**options)


def read_table(path: str | Path, columns: Sequence[str] | None = None) -> Any:
    """A tidy table written by ``trustsim run --out`` or ``trustsim sweep`` (CSV or
    Parquet) as a pandas DataFrame; see :func:`.stats.read_table`."""
    return stats.read_table(path, columns)


def _check_output(output: Path) -> None:
    if output.suffix not in FORMATS:
        raise ValueError(f"{output}: expected one of {', '.join(FORMATS)}")


def _label(column: str) -> str:
    return column.removeprefix("param_").replace("_", " ")


def table_columns(*, x: str = "turn", y: str = "ei", by: str | None = "strategy",
                  facet: str | None = None, where: Sequence[str] = (),
                  team: str | None = None, weighted: bool = False) -> list[str]:
    """The columns a table plot reads (so a large file is read in part)."""
    names = ["run", "turn", x, y, *(c for c in (by, facet) if c)]
    names += [stats.parse_where(w)[0] for w in where]
    if team is not None:
        names.append("team")
    if weighted:
        names.append("team_size")
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Plotted:
    """What a table plot drew: its points (one :class:`.stats.Cell` per line x panel x
    x value, keyed by ``keys``) and the caption printed under it."""

    caption: str
    keys: tuple[str, ...]
    cells: list[stats.Cell]


def plot_file(path: str | Path, output: str | Path, **options: Any) -> Plotted:
    """:func:`plot_table` of the table in ``path``, reading only the columns it needs."""
    _check_output(Path(output))
    keep = {k: v for k, v in options.items()
            if k in ("x", "y", "by", "facet", "where", "team", "weighted")}
    frame = stats.read_table(path, table_columns(**keep), conditions=True)
    return plot_table(frame, output, **options)


def plot_table(table: Any, output: str | Path, *, x: str = "turn", y: str = "ei",
               by: str | None = "strategy", facet: str | None = None,
               where: Sequence[str] = (), team: str | None = None, weighted: bool = False,
               turn: int | None = None, title: str | None = None,
               confidence: float = stats.CONFIDENCE) -> Plotted:
    """Plot ``y`` against ``x``, one line per value of ``by`` (and one panel per value of
    ``facet``), and write the figure to ``output``; returns what it drew.

    ``table`` is a pandas DataFrame, a pyarrow Table, the lab's ``Rows`` or row dicts.
    With ``x == "turn"`` every turn is a point; with another column (a swept parameter)
    one turn counts: ``turn``, or else each run's last turn. Each point is the mean over
    runs of each run's value (:func:`.stats.per_run`) with a ``confidence`` interval over
    runs as its band.
    """
    output = Path(output)
    _check_output(output)
    table = stats.as_frame(table)
    groups = [c for c in (by, facet) if c]
    stats._check_columns(table, ["run", "turn", x, y, *groups])
    if not stats._is_numeric(table[x]):
        raise stats.StatsError(f"--x {x} is not a number column; use it as --by or --facet")
    table = stats.select(table, where)
    if x == "turn":
        if turn is not None:
            raise stats.StatsError("--turn picks the turn of an --x other than turn")
        when = "at each turn"
    elif turn is not None:
        table, turn = stats.at_turn(table, turn)
        when = f"at turn {turn}"
    else:
        table = stats.at_last_turn_of_each_run(table)
        when = "at each run's last turn"
    keys = list(dict.fromkeys([*groups, x]))
    at = keys.index(x)
    pooled = stats.pooled_over(table, keys)
    values = stats.per_run(table, y, keys, team=team, weighted=weighted)
    cells = stats.describe(values, keys, confidence)
    lines_of = by or None
    panels = _distinct([c.key[keys.index(facet)] for c in cells]) if facet else [None]
    names = _distinct([c.key[keys.index(lines_of)] for c in cells]) if lines_of else [None]
    counts = [c.n for c in cells]
    identical = sum(c.identical for c in cells)
    level = f"{confidence:.0%}"
    n_text = (f"n = {counts[0]} runs per point" if min(counts) == max(counts)
              else f"n = {min(counts)} to {max(counts)} runs per point")
    caption = (f"line: mean over runs of {values.aggregation}, {when}\n"
               f"band: {level} CI over runs (t), {n_text}")
    if identical:
        caption += (f"; replicates identical at {identical} of {len(cells)} points "
                    "(zero-width band)")
    if any(c.n == 1 for c in cells):
        caption += "; one run: no band"
    if pooled:
        caption += ("\npooled over " + ", ".join(f"{_label(c)} ({k} values)" for c, k in pooled)
                    + ": use --where or --facet to separate them")
    where_text = f" ({', '.join(where)})" if where else ""
    heading = title or (f"{_label(y)} over turns{where_text}" if x == "turn"
                        else f"{_label(y)} against {_label(x)}{where_text}")
    columns = min(3, len(panels))
    rows = math.ceil(len(panels) / columns)
    fig = _figure(figsize=(4.2 * columns + 2.6 * (columns == 1), 3.3 * rows + 1.0),
                  dpi=120, layout="constrained")
    bottom = (0.06 + 0.03 * caption.count("\n")) / rows + 0.03
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    palette = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    handles: dict[Any, Any] = {}
    for i, panel in enumerate(panels):
        ax = axes[i // columns][i % columns]
        for j, name in enumerate(names):
            mine = [c for c in cells
                    if (facet is None or c.key[keys.index(facet)] == panel)
                    and (lines_of is None or c.key[keys.index(lines_of)] == name)]
            if not mine:
                continue
            mine.sort(key=lambda c: c.key[at])
            xs = [c.key[at] for c in mine]
            colour = palette[j % len(palette)]
            (line,) = ax.plot(xs, [c.mean for c in mine], color=colour,
                              marker="o" if x != "turn" else None, markersize=4,
                              label=stats._fmt_key(name) if lines_of else None)
            handles.setdefault(name, line)
            ax.fill_between(xs, [c.low for c in mine], [c.high for c in mine], color=colour,
                            alpha=0.2, linewidth=0)
        if facet:
            ax.set_title(f"{_label(facet)} = {stats._fmt_key(panel)}", fontsize="medium")
        if i // columns == rows - 1 or i + columns >= len(panels):
            ax.set_xlabel(_label(x))
            ax.xaxis.set_tick_params(labelbottom=True)
        if i % columns == 0:
            ax.set_ylabel(_label(y))
        if x == "turn":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.margins(x=0)
        ax.grid(alpha=0.3)
    for k in range(len(panels), rows * columns):
        axes[k // columns][k % columns].set_visible(False)
    if lines_of:
        axes[0][0].legend(handles=list(handles.values()), title=_label(lines_of),
                          fontsize="small")
    fig.suptitle(heading)
    fig.text(0.01, 0.01, caption, fontsize="small", ha="left", va="bottom", color="0.25")
    fig.savefig(output)
    return Plotted(caption, tuple(keys), cells)


def _distinct(values: Sequence[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def plot_network(game: Any, output: str | Path, *, seed: int = 0) -> None:
    """The trust network coloured by team; edge width follows trust x strength."""
    import networkx as nx

    output = Path(output)
    _check_output(output)
    G = game.world.graph()
    plt = _pyplot()
    teams = sorted({d["team"] for _, d in G.nodes(data=True)})
    cmap = plt.get_cmap("tab20")
    colour = {t: cmap(i % 20) for i, t in enumerate(teams)}
    for _, _, d in G.edges(data=True):
        d["w"] = d["trust"] * d["strength"]
    pos = nx.spring_layout(G, seed=seed, weight="w")
    fig, ax = plt.subplots(figsize=(7, 6), dpi=120)
    widths = [2.0 * d["trust"] * d["strength"] for _, _, d in G.edges(data=True)]
    nx.draw_networkx_edges(G, pos, ax=ax, width=widths, alpha=0.35, arrows=False)
    nx.draw_networkx_nodes(G, pos, ax=ax, node_size=60 if len(G) > 60 else 240,
                           node_color=[colour[d["team"]] for _, d in G.nodes(data=True)])
    if len(G) <= 60:
        nx.draw_networkx_labels(G, pos, ax=ax, font_size=7,
                                labels={n: d["name"].split()[0] for n, d in G.nodes(data=True)})
    for team in teams[:20]:
        ax.scatter([], [], color=colour[team], label=team)
    ax.legend(fontsize="small", loc="best")
    ax.set_title(f"{game.setup.title}: trust network, turn {game.turn - 1}")
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(output)
    plt.close(fig)
