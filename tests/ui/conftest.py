"""Fixtures for the Textual interface tests.

pytest-asyncio / anyio are not installed here, so ``async def`` tests are run by the small
``pytest_pyfunc_call`` hook below (one fresh event loop per test, via ``asyncio.run``,
bounded by a timeout). Every test gets its own ``TRUSTSIM_HOME`` so no real user data is
read or written. The helpers that drive the interface live in ``pilot_helpers.py``
(the suite runs with ``--import-mode=importlib``, so this folder is put on ``sys.path``).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

TEST_TIMEOUT = 90.0


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no pytest-asyncio here)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    funcargs = pyfuncitem.funcargs
    testargs = {arg: funcargs[arg] for arg in pyfuncitem._fixtureinfo.argnames}
    # a test may allow itself longer with a ``ui_timeout`` attribute (seconds)
    timeout = getattr(pyfuncitem.obj, "ui_timeout", TEST_TIMEOUT)
    asyncio.run(asyncio.wait_for(pyfuncitem.obj(**testargs), timeout=timeout))
    return True


def _drop_log_handlers() -> None:
    # the interface's file logger is created once per process, in the TRUSTSIM_HOME of the
    # moment: drop it so every test logs into its own temporary folder
    log = logging.getLogger("trustsim.ui")
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


@pytest.fixture(autouse=True)
def trustsim_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """All user data (autosaves, exports, the log) goes to a temporary folder."""
    home = tmp_path / "trustsim-home"
    monkeypatch.setenv("TRUSTSIM_HOME", str(home))
    _drop_log_handlers()
    yield home
    _drop_log_handlers()
