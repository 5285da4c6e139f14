"""The worked notebook of docs/ runs from top to bottom (a Jupytext percent script)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "lab-notebook.py"


def test_the_lab_notebook_runs_and_its_numbers_agree(tmp_path: Path) -> None:
    pytest.importorskip("pandas", reason="the notebook needs the lab extra")
    env = {**os.environ, "TRUSTSIM_NOTEBOOK_DIR": str(tmp_path), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(NOTEBOOK)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "effect vs none" in done.stdout  # the summary table
    assert "largest difference" in done.stdout  # networkx agrees with the table
    assert (tmp_path / "bridges.png").stat().st_size > 10_000
    assert (tmp_path / "bridges.csv").exists()
    effect = next(line for line in done.stdout.splitlines()
                  if line.startswith("effect of 30% bridging"))
    assert float(effect.rsplit(":", 1)[1]) > 0  # bridging managers slow silos here
