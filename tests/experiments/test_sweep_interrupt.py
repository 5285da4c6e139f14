"""Ctrl-C during a sweep, as a terminal sends it: SIGINT to the whole process group.

Serially, with a process pool and on a Dask LocalCluster, the command prints one line
("kept N of M runs; run the same command to resume"), exits 130 and shows no traceback
(neither the parent's nor a worker's); running it again resumes (it starts from the kept
runs) and writes the same table as a sweep that was never interrupted. Progress goes to
stderr as plain lines, since stderr is a pipe here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")
#: about 200 short runs: long enough to interrupt after the first tenth, short enough
#: to finish quickly when resumed
SWEEP = ["sweep", FLOORS, "--param", "kappa=1,2,3,5", "--strategy", "do_nothing",
         "--reps", "50", "--seed", "4"]
TOTAL = 200
KEPT = re.compile(r"kept (\d+) of 200 runs; run the same command to resume")
PROGRESS = re.compile(r"runs \d+/200 \(\d+%\)(, \d+\.\d s elapsed| kept from before; "
                      r"resuming)")


def trustsim(args: list[str], cwd: Path, *, interrupt: bool = False
             ) -> tuple[int, list[str]]:
    """Run ``trustsim ARGS`` in its own process group; with ``interrupt``, send SIGINT to
    the group as soon as the first progress line shows runs kept. Returns the exit code
    and stderr's lines."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "simulator", *args], cwd=cwd,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    lines: list[str] = []
    try:
        assert process.stderr is not None
        if interrupt:
            for line in process.stderr:
                lines.append(line.rstrip("\n"))
                if PROGRESS.fullmatch(lines[-1]):
                    os.killpg(process.pid, signal.SIGINT)
                    break
        _, rest = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    lines += rest.splitlines()
    return process.returncode, lines


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("whole")
    code, lines = trustsim([*SWEEP, "--jobs", "1", "--out", "whole.csv"], folder)
    assert code == 0, lines
    return (folder / "whole.csv").read_bytes()


@pytest.mark.parametrize("how", [["--jobs", "1"], ["--jobs", "2"],
                                 ["--jobs", "2", "--cluster", "local"]],
                         ids=["serial", "processes", "dask"])
def test_ctrl_c_keeps_runs_says_one_line_and_resumes(how: list[str], tmp_path: Path,
                                                    uninterrupted: bytes) -> None:
    if "--cluster" in how:
        pytest.importorskip("dask.distributed", reason="the lab extra (dask) is missing")
    args = [*SWEEP, *how, "--out", "sweep.csv"]
    code, lines = trustsim(args, tmp_path, interrupt=True)
    others = [line for line in lines if not PROGRESS.fullmatch(line)]
    assert code == 130, lines
    assert len(others) == 1 and KEPT.fullmatch(others[0]), lines  # no traceback, no noise
    kept = int(KEPT.fullmatch(others[0]).group(1))  # type: ignore[union-attr]
    assert 0 < kept < TOTAL
    assert not (tmp_path / "sweep.csv").exists()
    assert [p for p in (tmp_path / "sweep.csv.parts").iterdir() if p.name.startswith("runs-")]

    code, lines = trustsim(args, tmp_path)
    assert code == 0, lines
    assert f"runs {kept}/200 ({kept * 100 // TOTAL}%) kept from before; resuming" in lines \
        or kept < TOTAL // 10  # resumed from the kept runs, not from scratch
    assert not [line for line in lines if "Traceback" in line]
    assert (tmp_path / "sweep.csv").read_bytes() == uninterrupted
    assert not (tmp_path / "sweep.csv.parts").exists()


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    code, lines = trustsim([*SWEEP, "--jobs", "1", "--no-resume", "--out", "s.csv"],
                           tmp_path)
    assert code == 0, lines
    progress = [line for line in lines if PROGRESS.fullmatch(line)]
    assert progress[-1].startswith("runs 200/200 (100%), ")
    assert 2 <= len(progress) <= 11  # each tenth at most (and the end), never per run
    assert not (tmp_path / "s.csv.parts").exists()  # --no-resume keeps no parts


# -- the parts folder ----------------------------------------------------------------------


def small_runs() -> list[tuple[str, dict[str, object]]]:
    from simulator.experiments.lab import parse_param, plan_sweep, run_rows

    specs = plan_sweep(FLOORS, dict([parse_param("kappa=1,3")]), ["build_bridges"], 2)
    runs: list[tuple[str, dict[str, object]]] = [(s.key, dict(run_rows(s).columns))
                                                  for s in specs]
    key, columns = runs[0]
    n = len(columns["turn"])  # type: ignore[arg-type]
    runs[0] = (key, {**columns, "odd": [None, 1.5, "x", 7] * (n // 4)
                     + [None] * (n % 4)})  # neither numbers nor text: stored as JSON
    return runs


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "npz"])
def test_a_batch_reads_back_exactly(arrow: bool, tmp_path: Path) -> None:
    if arrow:
        pytest.importorskip("pyarrow", reason="the lab extra (pyarrow) is missing")
    from simulator.experiments.lab import Rows
    from simulator.experiments.parts import pack, unpack

    runs = small_runs()
    data, suffix = pack(runs, arrow=arrow)
    path = tmp_path / f"runs-1{suffix}"
    path.write_bytes(data)
    back = unpack(path)
    assert [k for k, _ in back] == [k for k, _ in runs]
    for (_, got), (_, want) in zip(back, runs, strict=True):
        assert list(got) == list(want)
        assert Rows(got) == Rows(want)  # type: ignore[arg-type]
        for name, column in want.items():  # numbers stay numpy arrays of the same dtype
            if hasattr(column, "dtype"):
                assert got[name].dtype == column.dtype  # type: ignore[union-attr]


def test_store_skips_damaged_and_temporary_files(tmp_path: Path) -> None:
    from simulator.experiments.parts import RunStore

    runs = small_runs()
    store = RunStore(tmp_path, every=3600)
    for key, columns in runs[:2]:
        store.add(key, columns)  # type: ignore[arg-type]
    assert store.keys() == set()  # pending until the batch is due or flushed
    store.flush()
    (written,) = list(tmp_path.glob("runs-*"))
    (tmp_path / f"runs-9-cut{written.suffix}").write_bytes(written.read_bytes()[:500])
    (tmp_path / ".tmp-x.part").write_bytes(written.read_bytes())  # an unfinished write
    again = RunStore(tmp_path)
    assert again.keys() == {k for k, _ in runs[:2]}
    assert set(again.read([k for k, _ in runs])) == {k for k, _ in runs[:2]}
