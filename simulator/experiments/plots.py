"""The plots students want most, with matplotlib (the lab extra).

* a measure over turns, one line per group (mean over runs and teams, with a band of one
  standard deviation);
* a parameter against a measure at the last turn, with the spread over seeds;
* the trust network coloured by team.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FORMATS = (".png", ".svg", ".pdf")


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise RuntimeError("plots need matplotlib: pip install 'trustsim[lab]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def read_table(path: str | Path) -> list[dict[str, Any]]:
    """A tidy table written by `trustsim run --out` or `trustsim sweep` (CSV or Parquet)."""
    path = Path(path)
    if path.suffix == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("reading Parquet needs pyarrow: pip install 'trustsim[lab]'") \
                from None
        return list(pq.read_table(path).to_pylist())  # type: ignore[no-untyped-call]
    from .lab import read_csv

    return read_csv(path)


def _stats(values: Sequence[float]) -> tuple[float, float]:
    finite = [v for v in values if v is not None and not math.isnan(v)]
    if not finite:
        return math.nan, math.nan
    mean = sum(finite) / len(finite)
    var = sum((v - mean) ** 2 for v in finite) / len(finite)
    return mean, math.sqrt(var)


def plot_table(rows: Sequence[dict[str, Any]], output: str | Path, *, x: str = "turn",
               y: str = "ei", by: str | None = "strategy", title: str | None = None) -> None:
    """Plot ``y`` against ``x`` grouped by ``by`` and write the figure to ``output``.

    With ``x == "turn"`` every turn is a point; with any other column (a swept parameter)
    only the last turn of each run counts, so the plot shows the final outcome.
    """
    output = Path(output)
    if output.suffix not in FORMATS:
        raise ValueError(f"{output}: expected one of {', '.join(FORMATS)}")
    if not rows:
        raise ValueError("the table is empty")
    for column in (x, y, *([by] if by else [])):
        if column not in rows[0]:
            raise ValueError(f"no column {column!r} (columns: {', '.join(rows[0])})")
    if x != "turn":
        last: dict[str, int] = {}
        for row in rows:
            last[row["run"]] = max(last.get(row["run"], 0), int(row["turn"]))
        rows = [r for r in rows if int(r["turn"]) == last[r["run"]]]
    groups: dict[Any, dict[float, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        groups[row[by] if by else "all"][float(row[x])].append(float(row[y]))
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for name in sorted(groups, key=str):
        points = sorted(groups[name])
        means, sds = zip(*(_stats(groups[name][p]) for p in points), strict=True)
        ax.plot(points, means, marker="o" if x != "turn" else None, label=str(name))
        ax.fill_between(points, [m - s for m, s in zip(means, sds, strict=True)],
                        [m + s for m, s in zip(means, sds, strict=True)], alpha=0.15)
    ax.set_xlabel(x.removeprefix("param_").replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    ax.set_title(title or f"{y.replace('_', ' ')} by {x.removeprefix('param_')}")
    if by:
        ax.legend(title=by, fontsize="small")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(output)
    plt.close(fig)


def plot_network(game: Any, output: str | Path, *, seed: int = 0) -> None:
    """The trust network coloured by team; edge width follows trust x strength."""
    import networkx as nx

    output = Path(output)
    if output.suffix not in FORMATS:
        raise ValueError(f"{output}: expected one of {', '.join(FORMATS)}")
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
