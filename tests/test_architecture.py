"""The layers stay honest: the headless core never loads Textual or Rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_headless_layers_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import simulator, simulator.core, simulator.scenario, simulator.experiments\n"
        "import simulator.experiments.script, simulator.experiments.report\n"
        "import simulator.experiments.generate, simulator.scenario.compact\n"
        "from simulator import load_scenario, Game\n"
        "g = Game(load_scenario('scenarios/two-floors.yaml')); g.end_turn()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "", f"headless layers imported: {out.stdout}"


def test_core_does_no_yaml_or_file_io() -> None:
    code = (
        "import sys, builtins\n"
        "import simulator.core\n"
        "from simulator.core.testing import tiny_setup\n"
        "real_open = builtins.open\n"
        "def no_open(*a, **k):\n"
        "    raise AssertionError(f'core opened a file: {a}')\n"
        "builtins.open = no_open\n"
        "sim = simulator.core.Simulation(tiny_setup())\n"
        "sim.act('quick_win', 'ben'); sim.end_turn(); sim.undo()\n"
        "builtins.open = real_open\n"
        "print('yaml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():  # the dev extra installs it; CI runs it as its own step too
        raise AssertionError("lint-imports missing: install the dev extra")
    out = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
