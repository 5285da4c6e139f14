"""The launcher sends simple interface starts straight to the app and all else to the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.launch import Plan, interface_plan


def test_simple_interface_starts_skip_the_cli(tmp_path: Path) -> None:
    assert interface_plan([]) == Plan()
    assert interface_plan(["play", "two-floors"]) == Plan(play="two-floors")
    assert interface_plan(["play", "x.yaml", "--lang", "nl"]) == Plan(play="x.yaml",
                                                                      language="nl")
    assert interface_plan(["play", "x.yaml", "--lang=nl"]) == Plan(play="x.yaml", language="nl")
    assert interface_plan(["--dir", str(tmp_path), "--lang", "en"]) == Plan(
        folders=[tmp_path], language="en")


@pytest.mark.parametrize("argv", [
    ["--help"], ["-h"], ["play"], ["play", "--help"], ["play", "a", "b"],
    ["play", "a", "--dir", "."], ["--dir", "/no/such/folder"], ["--dir"], ["--lang"],
    ["--lang", "nl", "--lang", "en"], ["--lang", "--dir"], ["validate", "x.yaml"],
    ["run", "two-floors"], ["serve"], ["--version"], ["play", "a", "--lang", ""],
])
def test_everything_else_goes_to_the_cli(argv: list[str]) -> None:
    assert interface_plan(argv) is None


def test_without_a_terminal_the_cli_answers() -> None:
    done = subprocess.run([sys.executable, "-m", "simulator", "play", "two-floors"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert "Traceback" not in done.stderr
