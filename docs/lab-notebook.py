# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The lab from Python: do managers who build bridges slow silo formation?
#
# A worked notebook: load an organisation, play it, sweep a condition over replicates,
# summarize with confidence intervals over runs, plot, and take the network to networkx.
# It is a [Jupytext](https://jupytext.readthedocs.io) notebook: open it in Jupyter with
# `jupytext --to notebook docs/lab-notebook.py`, or run it as a script
# (`python docs/lab-notebook.py`); the test suite runs it, so it stays true.
# It needs the lab extra: `pip install 'trustsim[lab]'`.

# %%
import os
import tempfile
from pathlib import Path

import networkx as nx

from simulator.experiments.export import game_at_turn, organisation_graph
from simulator.experiments.generate import OrgOptions, generate_org, write_org
from simulator.experiments.lab import RunSpec, plan_sweep, run_rows, run_sweep, write_table
from simulator.experiments.plots import plot_table
from simulator.experiments.stats import summarize

work = Path(os.environ.get("TRUSTSIM_NOTEBOOK_DIR") or tempfile.mkdtemp())
PEOPLE = int(os.environ.get("TRUSTSIM_NOTEBOOK_PEOPLE", "120"))  # 300 or 3000 for real
REPS = int(os.environ.get("TRUSTSIM_NOTEBOOK_REPS", "4"))  # 20 or more for a thesis
TURNS = 10

# %% [markdown]
# ## 1. An organisation
# `generate_org` grows a management tree of teams (each manager inside the team they lead),
# grouped in departments, with ties inside and across teams. Same options, same
# organisation. The compact `.npz` file records how it was made, so a sweep can regenerate
# it with another seed for each replicate (`org_seeds=True`, `--org-seeds`).

# %%
org = generate_org(OrgOptions(people=PEOPLE, seed=1, turns=TURNS))
path = str(work / "org.npz")
write_org(org, path)
print(f"{org.n} people in {len(org.team_lead)} teams")

# %% [markdown]
# ## 2. One run: 30% of managers bridge
# A run plays the player's strategy (`do_nothing` here: a run without the player) and lets
# a share of the other managers act by a policy. The table has one row per turn x team,
# with the E-I index (external minus internal tie weight, over their sum: below 0 means
# inward-looking teams) and what moved trust (`moved_*`).

# %%
rows = run_rows(RunSpec(path, "do_nothing", seed=7, policies=(("build_bridges", 0.3),)))
one = rows.to_pandas()
last = one[one.turn == one.turn.max()]
print("mean E-I at the last turn:", round(last.ei.mean(), 3))
print("trust moved by bridging, all turns:", round(one.moved_connect.sum(), 2))

# %% [markdown]
# ## 3. A sweep: with and without bridging managers, over replicates
# Each replicate regenerates the organisation (`org_seeds=True`), and replicate *r* uses
# the same organisation in both conditions (a paired design). Who gets the policy is drawn
# from each run's seed, so replicates differ for a reason.

# %%
runs = plan_sweep(path, {}, ["do_nothing"], REPS, seed=1, turns=TURNS, org_seeds=True,
                  policies=[(), (("build_bridges", 0.3),)])
table = run_sweep(runs, jobs=1)
write_table(table, work / "bridges.csv")
print(len(runs), "runs,", len(table), "rows")

# %% [markdown]
# ## 4. Summarize: a mean per condition, a 95% CI over runs, the effect against nobody
# Each run's team rows first become one value (the mean over teams), so teams never count
# as replicates.

# %%
summary = summarize(table.to_pandas(), ["policy"], "ei", baseline="none")
print(summary.to_markdown())
effect = next(c for c in summary.records() if c["policy"] != "none")
print("effect of 30% bridging on E-I:", round(effect["effect"], 3))

# %% [markdown]
# ## 5. Plot: E-I over turns, one line per condition, its band a 95% CI over runs

# %%
figure = work / "bridges.png"
plot_table(table.to_pandas(), figure, x="turn", y="ei", by="policy")
print("wrote", figure)

# %% [markdown]
# ## 6. To networkx: the organisation at the last turn
# Edge `weight` is trust x strength, what the table's measures use, so networkx gives the
# same E-I as the table.

# %%
spec = runs[-1]
game = game_at_turn(spec, TURNS)
G = organisation_graph(game)
team = nx.get_node_attributes(G, "team")
internal: dict[str, float] = {}
external: dict[str, float] = {}
for a, b, w in G.edges(data="weight"):  # an edge counts for its source's team
    side = internal if team[a] == team[b] else external
    side[team[a]] = side.get(team[a], 0.0) + w
ei = {t: (external.get(t, 0.0) - internal.get(t, 0.0))
      / (external.get(t, 0.0) + internal.get(t, 0.0)) for t in set(team.values())}
rows_now = table.to_pandas()
rows_now = rows_now[(rows_now.run == spec.key) & (rows_now.turn == TURNS)]
gap = max(abs(ei[t] - v) for t, v in zip(rows_now.team, rows_now.ei, strict=True))
print(f"E-I per team in networkx vs the table: largest difference {gap:.1e}")
assert gap < 1e-9
print("modularity by team:", round(nx.community.modularity(
    G.to_undirected(), [{n for n in G if team[n] == t} for t in set(team.values())]), 3))
