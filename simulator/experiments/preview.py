"""A preview of a scenario's organisation for its author (``trustsim show``).

What the trainee will face, before anyone plays: every team with its people along their
reporting lines, how much each of them trusts the player, the mean trust inside each
team and towards the others, each team's links to the others, and the strongest and
weakest ties across teams. :func:`preview` measures it (at the start, or after some turns
in which the player does nothing); :func:`preview_lines` lays it out as lines of text for
a terminal (symbols and numbers carry every value, a style tag only repeats them in
colour); :func:`draw_figure` draws the network with matplotlib (the lab extra).

Headless: no Rich, no Textual; the command renders the style tags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.simulation import Simulation

#: Trust bands, as the interface's map draws them: (upper limit, symbol).
BANDS: tuple[tuple[float, str], ...] = ((0.2, "○"), (0.4, "◔"), (0.6, "◑"), (0.8, "◕"),
                                        (1.01, "●"))

#: Figures ``draw_figure`` writes.
FIGURE_FORMATS = (".svg", ".png")

#: A line of the terminal view: (text, style tag) pieces. Tags: "" (plain), "bold",
#: "dim", "italic", "band0" to "band4" (a trust band), "you".
Line = list[tuple[str, str]]


def band(value: float) -> int:
    """The band of a trust value as shown (0.398 reads 0.40, so it is band 2).

    >>> band(0.1), band(0.398), band(0.8)
    (0, 2, 4)
    """
    shown = round(value, 2)
    return next(n for n, (limit, _) in enumerate(BANDS) if shown < limit or n == 4)


def _num(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person on a team's tree."""

    id: str
    name: str
    role: str
    guide: str                  # reporting-line guides in front of the name ("│ ├ ")
    trust: float | None         # their trust in the player (None: the player)
    reports_to: str | None = None  # their manager, when in another team: "Grace (Sales)"
    manages: tuple[str, ...] = ()  # their reports in other teams: "Daniel (Engineering)"


@dataclass(frozen=True, slots=True)
class TeamPreview:
    id: str
    name: str
    description: str
    people: list[PersonRow]
    trust_in_player: float      # the members' mean trust in the player (nan: only you)
    within: float               # mean trust over the ties inside the team
    across: float               # mean trust over the ties leaving it
    ei: float                   # E-I index: -1 all inward, +1 all outward
    links: list[tuple[str, float, int]]  # other team's name, mean trust, number of ties


@dataclass(frozen=True, slots=True)
class TiePreview:
    """Two people of different teams, and their tie (each way, where there is one)."""

    a: str                      # names, with their teams: "Priya Nair (Engineering)"
    b: str
    trust_ab: float | None      # a's trust in b
    trust_ba: float | None
    strength: float             # mean strength over the directions present
    reporting: bool = False     # one of them reports to the other

    @property
    def trust(self) -> float:
        values = [v for v in (self.trust_ab, self.trust_ba) if v is not None]
        return sum(values) / len(values)


@dataclass(slots=True)
class OrgPreview:
    title: str
    turn: int                   # turns played (0: the start)
    turns: int
    player: str                 # "Daniel Brandt"
    player_role: str
    player_team: str
    people: int
    teams: list[TeamPreview]
    trust_in_player: float
    within: float
    across: float
    modularity: float
    strongest: list[TiePreview] = field(default_factory=list)
    weakest: list[TiePreview] = field(default_factory=list)
    strongest_more: int = 0     # ties not listed with the same trust as the last listed
    weakest_more: int = 0
    cross_ties: int = 0         # pairs of people tied across teams


def advance(game: Simulation, turns: int) -> Simulation:
    """Play ``turns`` turns with no acts (each dilemma answered with its first option).

    >>> from simulator.core.testing import tiny_setup
    >>> advance(Simulation(tiny_setup(), seed=1), 2).turn
    3
    """
    while game.turn - 1 < turns and not game.over:
        if game.pending:
            event = game.pending[0]
            game.choose(event, game._event_setups[event].options[0].id)
        else:
            game.end_turn()
    return game


def preview(game: Simulation, *, ties: int = 5) -> OrgPreview:
    """The organisation of ``game`` as it stands, for :func:`preview_lines`.

    >>> from simulator.core.testing import tiny_setup
    >>> found = preview(Simulation(tiny_setup(), seed=1))
    >>> [team.name for team in found.teams], found.player
    (['Development', 'Operations'], 'Ana')
    """
    w = game.world
    metrics = game.metrics()
    team_name = w.team_names
    links = game.team_links(limit=3)

    def who(i: int) -> str:
        star = "★ " if i == game.player else ""
        return f"{star}{w.names[i]} ({team_name[int(w.team[i])]})"

    player_team = int(w.team[game.player])
    order = sorted(range(len(w.team_ids)), key=lambda t: (t != player_team, t))
    descriptions = game.setup.descriptions()
    teams = []
    for t in order:
        rows = _team_rows(game, t, who)
        tid = w.team_ids[t]
        teams.append(TeamPreview(
            tid, team_name[t], descriptions.get(tid, ""), rows,
            metrics["team_trust_in_player"][tid], metrics["team_trust_within"][tid],
            metrics["team_trust_across"][tid], metrics["ei"][tid],
            [(team_name[w.team_index[other]], value, count)
             for other, value, count in links.get(tid, [])]))
    pairs = _cross_pairs(game, who)
    strongest = sorted(pairs, key=lambda p: (-p.trust, -p.strength, p.a, p.b))[:ties]
    top = {id(p) for p in strongest}
    weakest = [p for p in sorted(pairs, key=lambda p: (p.trust, p.strength, p.a, p.b))
               if id(p) not in top][:ties]
    listed = top | {id(p) for p in weakest}

    def more(shown: list[TiePreview]) -> int:
        """How many ties not listed have the trust the last one listed shows."""
        if not shown:
            return 0
        value = round(shown[-1].trust, 2)
        return sum(1 for p in pairs if id(p) not in listed and round(p.trust, 2) == value)

    i = game.player
    return OrgPreview(
        game.setup.title, game.turn - 1, game.turns, w.names[i], w.roles[i],
        team_name[player_team], w.n_people, teams, metrics["trust_in_player"],
        metrics["within_team_trust"], metrics["cross_team_trust"], metrics["modularity"],
        strongest, weakest, more(strongest), more(weakest), len(pairs))


def _team_rows(game: Simulation, t: int, who: Any) -> list[PersonRow]:
    """A team's people along their reporting lines, as the guides of a tree (the roots are
    those whose manager is outside the team)."""
    w = game.world
    members = w.members(t)
    inside = set(members)
    rows: list[PersonRow] = []

    def add(i: int, prefix: str, last: bool | None, depth: int) -> None:
        guide = "" if last is None else prefix + ("└ " if last else "├ ")
        manager = int(w.manager[i])
        abroad = tuple(who(r) for r in w.reports(i) if int(w.team[r]) != t)
        rows.append(PersonRow(
            w.ids[i], w.names[i], w.roles[i], guide,
            None if i == game.player else game.trust(w.ids[i], "player"),
            who(manager) if manager >= 0 and manager not in inside else None, abroad))
        reports = [r for r in w.reports(i) if r in inside and r != i]
        inner = "" if last is None else prefix + ("  " if last else "│ ")
        if depth < 12:
            for n, r in enumerate(reports):
                add(r, inner, n == len(reports) - 1, depth + 1)

    for root in (m for m in members if int(w.manager[m]) not in inside):
        add(root, "", None, 0)
    return rows


def _cross_pairs(game: Simulation, who: Any) -> list[TiePreview]:
    """Every pair of people of different teams with a tie (strength above 0)."""
    w = game.world
    n = w.n_edges
    cross = (w.src_team[:n] != w.dst_team[:n]) & (w.strength[:n] > 0)
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for e in np.flatnonzero(cross).tolist():
        a, b = int(w.src[e]), int(w.dst[e])
        key = (min(a, b), max(a, b))
        entry = found.setdefault(key, {"strength": []})
        entry["ab" if a == key[0] else "ba"] = float(w.trust[e])
        entry["strength"].append(float(w.strength[e]))
    return [TiePreview(who(a), who(b), entry.get("ab"), entry.get("ba"),
                       sum(entry["strength"]) / len(entry["strength"]),
                       int(w.manager[a]) == b or int(w.manager[b]) == a)
            for (a, b), entry in found.items()]


# -- the terminal view ------------------------------------------------------------------------


def _trust(value: float | None) -> tuple[str, str]:
    if value is None or math.isnan(value):
        return "–", "dim"
    n = band(value)
    return f"{BANDS[n][1]} {value:.2f}", f"band{n}"


def _fit(line: Line, width: int) -> Line:
    """The line cut to ``width`` characters (an ellipsis marks the cut)."""
    out: Line = []
    room = width
    for text, style in line:
        if len(text) <= room:
            out.append((text, style))
            room -= len(text)
            continue
        if room > 1:
            out.append((text[: room - 1] + "…", style))
        elif room == 1:
            out.append(("…", style))
        break
    return out


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width=width, initial_indent=indent,
                         subsequent_indent=indent) or [indent]


def _flow(groups: list[Line], width: int, indent: str) -> list[Line]:
    """Groups of pieces laid on lines ``width`` wide, a group never split (one longer
    than a line is cut); a continuation line starts with ``indent``."""
    out: list[Line] = [[]]
    used = 0
    for group in groups:
        size = sum(len(text) for text, _ in group)
        if used > len(indent) and used + size > width:
            last, last_style = out[-1][-1]
            out[-1][-1] = (last.rstrip(), last_style)
            out.append([(indent, "")])
            used = len(indent)
            first, style = group[0]
            group = [(first.lstrip(" ·"), style), *group[1:]]
            size = sum(len(text) for text, _ in group)
        out[-1].extend(group)
        used += size
    return [_fit(line, width) for line in out]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def preview_lines(found: OrgPreview, *, width: int = 80) -> list[Line]:
    """The preview laid out for a terminal ``width`` characters wide (at least 40).

    >>> from simulator.core.testing import tiny_setup
    >>> lines = preview_lines(preview(Simulation(tiny_setup(), seed=1)))
    >>> "".join(text for text, _ in lines[0])
    'Tiny: 6 people in 2 teams, at the start (a game of 6 turns)'
    """
    width = max(40, width)
    lines: list[Line] = []
    when = ("at the start" if found.turn == 0 else
            f"after {_plural(found.turn, 'turn', 'turns')} with no acts")
    lines += _flow([[(found.title, "bold")],
                    [(f": {_plural(found.people, 'person', 'people')} in "
                      f"{_plural(len(found.teams), 'team', 'teams')}, ", "")],
                    [(f"{when} ", "")],
                    [(f"(a game of {_plural(found.turns, 'turn', 'turns')})", "")]],
                   width, "")
    lines += _flow([[("You play ", "")], [("★ " + found.player, "you"), (",", "")],
                    [(f" {found.player_role} in {found.player_team}.", "")]], width, "")
    lines += _flow([[("Trust in you ", ""), _trust(found.trust_in_player)],
                    [(" · within teams ", ""), _trust(found.within)],
                    [(" · across ", ""), _trust(found.across)],
                    [(f" · modularity {_num(found.modularity)}", "")]], width, "")
    legend: list[Line] = [[("Trust: ", "dim")]]
    for n, (limit, symbol) in enumerate(BANDS):
        last = n == len(BANDS) - 1
        label = f"{symbol} {BANDS[n - 1][0]:.2f} or more" if last else \
            f"{symbol} under {limit:.2f}"
        legend.append([(label, f"band{n}"), ("" if last else ", ", "dim")])
    lines += _flow(legend, width, "       ")
    lines += _flow([[("★ you", "you")], [(" · ├ └ report to the person above", "dim")],
                    [(" · ⇄ trust each way", "dim")]], width, "")
    for team in found.teams:
        lines.append([])
        head: Line = [(f"━━ {team.name} ", "bold"),
                      (f"· {_plural(len(team.people), 'person', 'people')} ", "")]
        used = sum(len(text) for text, _ in head)
        head.append(("━" * max(2, width - used), "dim"))
        lines.append(_fit(head, width))
        if team.description:
            lines += [[(text, "italic")] for text in _wrap(team.description, width, "   ")]
        ei = [] if math.isnan(team.ei) else [[(f" · E-I {team.ei:+.2f}", "")]]
        lines += _flow([[("   trusts you ", ""), _trust(team.trust_in_player)],
                        [(" · within ", ""), _trust(team.within)],
                        [(" · across ", ""), _trust(team.across)], *ei], width, "     ")
        if team.links:
            links: list[Line] = [[("   ↔ ", "dim")]]
            for n, (name, value, count) in enumerate(team.links):
                more = ", " if n < len(team.links) - 1 else ""
                links.append([(name + " ", ""), _trust(value),
                              (f" ({_plural(count, 'tie', 'ties')}){more}", "dim")])
            lines += _flow(links, width, "     ")
        else:
            lines.append([("   ↔ no ties to other teams", "dim")])
        for row in team.people:
            person: Line = [("   " + row.guide, "dim")]
            if row.trust is None:
                person += [("★ " + row.name, "you"), (" (you)", "dim")]
            else:
                person += [_trust(row.trust),
                           (" " + row.name, "bold" if row.role != "employee" else "")]
            groups = [person]
            if row.role != "employee":
                groups.append([(f" · {row.role}", "")])
            if row.reports_to:
                groups.append([(f" · reports to {row.reports_to}", "dim")])
            if len(row.manages) == 1:
                groups.append([(f" · manages {row.manages[0]}", "dim")])
            elif row.manages:
                groups.append([(f" · manages {len(row.manages)} people in other teams",
                                "dim")])
            lines += _flow(groups, width, " " * (5 + len(row.guide)))
    for heading, ties, more_count in (
            ("Strongest ties across teams", found.strongest, found.strongest_more),
            ("Weakest ties across teams", found.weakest, found.weakest_more)):
        lines.append([])
        lines.append([(heading, "bold"), (" (trust each way, strength, who)", "dim")])
        if not ties:
            lines.append([("   no ties between people of different teams", "dim")])
        for tie in ties:
            both = tie.trust_ab is not None and tie.trust_ba is not None
            trust: Line = [("   ", "")]
            trust += [_trust(tie.trust_ab), (" ⇄ ", "dim"), _trust(tie.trust_ba)] if both \
                else [_trust(tie.trust_ab if tie.trust_ab is not None else tie.trust_ba),
                      ("  one way", "dim")]
            arrow = " ↔ " if both else (" → " if tie.trust_ab is not None else " ← ")
            groups = [trust, [(f" · {tie.strength:.2f} · ", "dim")],
                      [(tie.a + arrow, "")], [(tie.b, "")]]
            if tie.reporting:
                groups.append([(" · reporting line", "dim")])
            lines += _flow(groups, width, "      ")
        if more_count > 0 and ties:
            lines.append([(f"   … and {more_count} more at ", "dim"),
                          _trust(round(ties[-1].trust, 2))])
    lines.append([(f"{_plural(found.cross_ties, 'pair', 'pairs')} of people tied across "
                   "teams.", "dim")])
    return lines


# -- the figure -----------------------------------------------------------------------------


def _layout(game: Simulation) -> dict[int, tuple[float, float]]:
    """People grouped by team: the teams on a circle (side by side when there are two),
    each team's people on a ring of its own around its head. Deterministic: no random
    layout, so the same scenario always gives the same figure."""
    w = game.world
    k = len(w.team_ids)
    members = [w.members(t) for t in range(k)]
    rings = [0.7 + 0.25 * max(0, len(m) - 1) ** 0.5 for m in members]
    widest = max(rings, default=1.0)
    big = (widest + 0.9) / math.sin(math.pi / k) if k > 1 else 0.0
    start = math.pi if k == 2 else math.pi / 2
    pos: dict[int, tuple[float, float]] = {}
    for t in range(k):
        angle = start - 2 * math.pi * t / max(1, k)
        cx, cy = big * math.cos(angle), big * math.sin(angle)
        inside = set(members[t])
        head = next((m for m in members[t] if int(w.manager[m]) not in inside),
                    members[t][0] if members[t] else None)
        ring = [m for m in members[t] if m != head]
        if head is not None:
            pos[head] = (cx, cy)
        for n, m in enumerate(ring):
            a = math.pi / 2 + math.pi / len(ring) - 2 * math.pi * n / len(ring)
            pos[m] = (cx + rings[t] * math.cos(a), cy + rings[t] * math.sin(a))
    return pos


def draw_figure(game: Simulation, output: str | Path, *, title: str | None = None) -> None:
    """The organisation's trust network as an SVG or PNG figure: people coloured by team
    (a legend names them), each tie a line whose colour is its trust and whose width is
    trust x strength, the player a large star. Raises ``RuntimeError`` without
    matplotlib (the lab extra), ``ValueError`` for another kind of file."""
    output = Path(output)
    if output.suffix.lower() not in FIGURE_FORMATS:
        raise ValueError(f"{output}: the figure's name must end in "
                         f"{' or '.join(FIGURE_FORMATS)}")
    try:
        import matplotlib
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
    except ImportError:
        raise RuntimeError("drawing a figure needs matplotlib, which comes with the lab "
                           "extra: pip install 'trustsim[lab]'") from None
    w = game.world
    pos = _layout(game)
    n = w.n_edges
    pairs: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for e in np.flatnonzero(w.strength[:n] > 0).tolist():
        a, b = int(w.src[e]), int(w.dst[e])
        pairs.setdefault((min(a, b), max(a, b)), []).append(
            (float(w.trust[e]), float(w.strength[e])))
    segments, colours, widths = [], [], []
    cmap = matplotlib.colormaps["RdYlGn"]
    # weakest first, so the strongest ties are drawn on top
    ordered = sorted(pairs.items(), key=lambda item: (
        sum(t * s for t, s in item[1]) / len(item[1]), item[0]))
    for (a, b), values in ordered:
        trust = sum(t for t, _ in values) / len(values)
        weight = sum(t * s for t, s in values) / len(values)
        segments.append([pos[a], pos[b]])
        colours.append(cmap(trust))
        widths.append(0.3 + 4.0 * weight)
    people = w.n_people
    size = 7.0 if people <= 40 else 9.0 if people <= 120 else 11.0
    fig = Figure(figsize=(size + 2.5, size), dpi=120)
    ax = fig.add_subplot()
    lines = LineCollection(segments, colors=colours, linewidths=widths, alpha=0.7,
                           zorder=1)
    ax.add_collection(lines)
    palette = matplotlib.colormaps["tab20" if len(w.team_ids) > 10 else "tab10"]
    team_colour = [palette(t % palette.N) for t in range(len(w.team_ids))]
    xs = [pos[i][0] for i in range(people)]
    ys = [pos[i][1] for i in range(people)]
    managers = [w.roles[i] != "employee" for i in range(people)]
    node = 160 if people <= 40 else 60 if people <= 120 else 30
    for i in range(people):
        if i == game.player:
            continue
        ax.scatter([xs[i]], [ys[i]], s=node * (1.6 if managers[i] else 1.0),
                   color=team_colour[int(w.team[i])], edgecolors="black",
                   linewidths=0.8 if managers[i] else 0.3, zorder=2,
                   marker="s" if managers[i] else "o")
    p = game.player
    ax.scatter([xs[p]], [ys[p]], s=node * 5, marker="*", color=team_colour[int(w.team[p])],
               edgecolors="black", linewidths=1.4, zorder=3)
    if people <= 60:
        for i in range(people):
            label = w.names[i] + (" (you)" if i == p else "")
            ax.annotate(label, (xs[i], ys[i]), xytext=(0, -9 if i != p else -13),
                        textcoords="offset points", ha="center", va="top",
                        fontsize=7 if people <= 30 else 5.5,
                        fontweight="bold" if i == p else "normal", zorder=4)
    handles = [Line2D([], [], marker="o", linestyle="", color=team_colour[t],
                      markeredgecolor="black", markeredgewidth=0.3, label=name)
               for t, name in enumerate(w.team_names[:20])]
    handles += [Line2D([], [], marker="*", linestyle="", color="white",
                       markeredgecolor="black", markersize=12, label="you"),
                Line2D([], [], marker="s", linestyle="", color="white",
                       markeredgecolor="black", label="manager or executive")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize="small", frameon=False, title="teams")
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    bar = fig.colorbar(ScalarMappable(norm=Normalize(0, 1), cmap=cmap), ax=ax,
                       shrink=0.45, anchor=(0.0, 0.0), pad=0.02)
    bar.set_label("trust (line width: trust × strength)")
    turn = game.turn - 1
    when = "at the start" if turn == 0 else f"after {turn} turns with no acts"
    ax.set_title(title or f"{game.setup.title}: trust {when}")
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.margins(0.08)
    ax.axis("off")
    fig.tight_layout()
    # the same scenario gives the same file, byte for byte
    with matplotlib.rc_context({"svg.hashsalt": "trustsim"}):
        fig.savefig(output, bbox_inches="tight",
                    metadata={"Date": None} if output.suffix.lower() == ".svg"
                    else {"Software": None})


__all__ = ["BANDS", "FIGURE_FORMATS", "Line", "OrgPreview", "PersonRow", "TeamPreview",
           "TiePreview", "advance", "band", "draw_figure", "preview", "preview_lines"]
