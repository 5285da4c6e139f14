"""Every command: --help works; missing or wrong arguments give usage and exit 2, never a
traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli import app

runner = CliRunner()
COMMANDS = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
            if not c.hidden]


def test_every_command_is_listed() -> None:
    assert {"validate", "schema", "run", "generate", "new", "check", "balance", "debrief",
            "import", "play", "serve", "sweep", "plot", "export", "scenarios"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_everywhere(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize("args", [
    ["validate"], ["run"], ["generate"], ["new"], ["check"], ["balance"], ["debrief"],
    ["import"], ["import", "x.csv"], ["play"], ["export", "two-floors"],
    ["generate", "-o", "x.npz", "--people", "abc"], ["run", "two-floors", "--seed", "x"],
    ["balance", "two-floors", "--seeds", "0"], ["serve", "--port", "70000"],
    ["sweep", "two-floors", "--reps", "0"], ["no-such-command"], ["run", "--no-such-option"],
])
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("args", [
    ["run", "two-floors", "--acts", "a.acts", "--strategy", "random"],
    ["run", "two-floors", "--turns", "3"],
    ["balance", "two-floors", "--json", "--csv"],
    ["generate", "-o", "x.npz", "--span-min", "8", "--span-max", "3"],
    ["generate", "-o", "x.txt"],
])
def test_conflicting_arguments_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
