"""`trustsim summarize` and `trustsim plot` on a 1M-row sweep table, timed as a student runs them.

The table has a real sweep's schema and values: a real ``trustsim sweep`` of a generated
300-person organisation (42 teams, 20 turns; ``kappa=1,2,3,5`` x ``do_nothing,build_bridges``,
one replicate each) gives 8 runs of 21 x 42 rows with every column of a sweep table, and
each run is repeated as replicates with their own run ids and seeds, and a per-replicate
offset and per-row noise on the measures (what ``--org-seeds`` gives a sweep), until the
table has ``--rows`` rows (default 1,000,000: 8 x 142 = 1,136 runs, 1,001,952 rows). It is
written with the lab's own writer as Parquet and CSV.

Every figure is the wall clock of a whole command line (a subprocess: Python start-up,
imports, reading the file, the statistics, drawing and writing the figure), median and
fastest of ``--repeat`` runs, against the 2 s target.

Run: ``python bench/bench_lab_tables.py [--repeat 5] [--folder DIR] [--rows 1000000]``
(``--folder`` keeps the tables for another run; they are reused when present).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from simulator.experiments.generate import OrgOptions, generate_org, write_org  # noqa: E402
from simulator.experiments.lab import Rows, write_table  # noqa: E402

TARGET_S = 2.0
ORG_WIDE = {"modularity", "cross_team_trust"}
MEASURES = {"trust_within": (0.0, 1.0), "trust_across": (0.0, 1.0), "ei": (-1.0, 1.0),
            "trust_in_player": (0.0, 1.0), "modularity": (-0.5, 1.0),
            "cross_team_trust": (0.0, 1.0)}


def trustsim() -> list[str]:
    """The installed ``trustsim`` beside this Python, else ``python -m simulator``."""
    script = Path(sys.executable).parent / "trustsim"
    found = str(script) if script.exists() else shutil.which("trustsim")
    return [found] if found else [sys.executable, "-m", "simulator"]


def make_tables(folder: Path, rows: int) -> tuple[Path, Path, int]:
    """A table of at least ``rows`` rows as ``table.parquet`` and ``table.csv`` in
    ``folder`` (reused when there)."""
    parquet, csv = folder / "table.parquet", folder / "table.csv"
    if parquet.exists() and csv.exists():
        import pyarrow.parquet as pq

        return parquet, csv, pq.ParquetFile(parquet).metadata.num_rows
    org = folder / "org300.npz"
    write_org(generate_org(OrgOptions(people=300, seed=1, turns=20)), str(org))
    seed_table = folder / "seed.parquet"
    subprocess.run([*trustsim(), "sweep", str(org), "--param", "kappa=1,2,3,5", "--strategy",
                    "do_nothing,build_bridges", "--reps", "1", "--turns", "20", "--jobs", "1",
                    "--out", str(seed_table)], check=True, stdout=subprocess.DEVNULL)
    import pyarrow.parquet as pq

    base = pq.read_table(seed_table).to_pydict()
    runs = list(dict.fromkeys(base["run"]))
    rng = np.random.default_rng(7)
    columns: dict[str, list[object] | np.ndarray] = {}
    per_run = {r: np.flatnonzero(np.asarray(base["run"]) == r) for r in runs}
    runs_per_cell = -(-rows // len(base["run"]))
    order = np.concatenate([np.tile(per_run[r], runs_per_cell) for r in runs])
    total = len(order)
    rows_per_run = len(per_run[runs[0]])
    replicate = np.repeat(np.arange(len(runs) * runs_per_cell), rows_per_run)
    n_replicates = len(runs) * runs_per_cell
    ids = [f"{v:016x}" for v in rng.integers(0, 2**63, n_replicates)]
    seeds = rng.integers(0, 2**63, n_replicates)
    for name, values in base.items():
        column = np.asarray(values)[order]
        if name == "run":
            columns[name] = [ids[i] for i in replicate]
        elif name == "seed":
            columns[name] = seeds[replicate]
        elif name in MEASURES:
            lo, hi = MEASURES[name]
            offset = rng.normal(0.0, 0.03, n_replicates)[replicate]
            # organisation-wide measures are one value per run and turn: no per-row noise
            noise = 0.0 if name in ORG_WIDE else rng.normal(0.0, 0.01, total)
            noisy = column + offset + noise
            columns[name] = np.clip(noisy, lo, hi)
        elif column.dtype.kind in "iuf":
            columns[name] = column
        else:
            columns[name] = column.tolist()
    table = Rows(columns)
    write_table(table, parquet)
    write_table(table, csv)
    return parquet, csv, total


def time_command(args: list[str], repeat: int) -> tuple[float, float, float]:
    """Median and fastest wall clock of ``repeat`` runs, and the median CPU time (user +
    system, all threads) the command used: on a shared machine, wall clock above CPU
    time is time spent waiting for a core."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")
    return statistics.median(walls), min(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="trustsim-tables-"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    parquet, csv, total = make_tables(folder, args.rows)
    print(f"table: {total:,} rows ({parquet.stat().st_size / 2**20:.1f} MiB Parquet, "
          f"{csv.stat().st_size / 2**20:.1f} MiB CSV) in {folder} "
          f"({time.perf_counter() - start:.1f} s to make)")
    command = trustsim()
    figure = str(folder / "figure.png")
    cases = [("trustsim --help (start-up floor)", [*command, "--help"], None)]
    for table in (parquet, csv):
        kind = table.suffix.lstrip(".")
        cases += [
            (f"summarize {kind}: --by strategy,param_asymmetry --baseline do_nothing",
             [*command, "summarize", str(table), "--by", "strategy,param_asymmetry",
              "--outcome", "ei", "--baseline", "do_nothing"], TARGET_S),
            (f"plot {kind}: ei over turns by strategy",
             [*command, "plot", str(table), "--y", "ei", "--by", "strategy", "-o", figure],
             TARGET_S),
            (f"plot {kind}: ei vs kappa, --facet strategy, --where",
             [*command, "plot", str(table), "--x", "param_asymmetry", "--y", "ei", "--by",
              "strategy", "--facet", "strategy", "--where", "param_asymmetry=1,2,3",
              "-o", figure], TARGET_S),
        ]
    print(f"\n{'command (subprocess; wall clock median, fastest; CPU time)':<68} "
          f"{'median':>7} {'fastest':>8} {'CPU':>6}  target (median)")
    for name, argv, target in cases:
        median, fastest, cpu = time_command(argv, args.repeat)
        verdict = "" if target is None else (
            f"<= {target:.0f} s {'PASS' if median <= target else 'MISS'}")
        print(f"{name:<68} {median:>6.2f}s {fastest:>7.2f}s {cpu:>5.2f}s  {verdict}")
    print(f"\nload average now: {', '.join(f'{v:.2f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if args.folder is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
