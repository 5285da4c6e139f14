"""Spreading sweep runs over processes: a local pool, or a Dask distributed cluster (an
optional dependency).

A Ctrl-C belongs to the parent process. A terminal sends SIGINT to every process of the
foreground group, workers included, so workers never act on it: pool workers are forked
with SIGINT blocked (a Ctrl-C that arrives meanwhile reaches the parent once they are up)
and then ignore it; a LocalCluster's processes are started while the parent ignores
SIGINT, and inherit that (a Ctrl-C in that second or two is lost). They neither print a
traceback nor die half-way. The parent then stops them (a pool is terminated at once, a
cluster shut down with its logs silenced), so an interrupted sweep ends with the one line
the command prints.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

#: loggers that report a cluster going down (closed comms, cancelled tasks, a nanny
#: killing its worker): expected noise when the sweep is over or interrupted
_NOISY = ("distributed", "tornado", "asyncio", "bokeh")


def map_on_cluster(fn: Callable[[Any], Any], items: Sequence[Any], address: str, *,
                   workers: int | None = None) -> Iterator[tuple[Any, Any]]:
    """``(item, fn(item))`` for every item, computed on a Dask cluster, as they finish
    (not in item order).

    ``address`` is a scheduler address (``tcp://host:8786``) or ``local`` to start a
    LocalCluster of ``workers`` processes (default: one per CPU) on this machine for the
    duration of the call. Closing the iterator early (or an exception, Ctrl-C included)
    cancels what is left and shuts the cluster down quietly.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("--cluster needs dask.distributed: pip install 'trustsim[lab]'") \
            from None
    items = list(items)
    if not items:
        return
    cluster = client = None
    futures: list[Any] = []
    # a Ctrl-C while the client waits makes tornado log an error from Dask's own callbacks
    # (and asyncio, of tasks cut short): noise, the interruption is handled here
    with _quiet(("tornado", "asyncio"), warn=True):
        try:
            if address == "local":
                # the processes started now inherit "ignore SIGINT" (a disposition survives
                # exec, a blocked mask would not reach processes Dask starts from its own
                # threads); a worker restarted later ignores it from its preload (dask_setup)
                with sigint_ignored(), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    cluster = LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=max(1, min(workers or os.cpu_count() or 1, len(items))),
                        threads_per_worker=1, processes=True, dashboard_address=None,
                        scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
                        # a failing run reaches the caller through its future; the logs
                        # of a cluster going down (closed comms, missed heartbeats) are noise
                        silence_logs=logging.CRITICAL, preload=[__name__])
                client = Client(cluster)  # type: ignore[no-untyped-call]
            else:
                client = Client(address)  # type: ignore[no-untyped-call]
            futures = client.map(fn, items, pure=False)
            position = {future.key: i for i, future in enumerate(futures)}
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                yield items[position[future.key]], future.result()
        finally:
            with sigint_ignored(), _quiet():
                if client is not None:
                    with contextlib.suppress(Exception):
                        if futures:
                            client.cancel(futures)  # type: ignore[no-untyped-call]
                    with contextlib.suppress(Exception):
                        client.close()  # type: ignore[no-untyped-call]
                if cluster is not None:
                    with contextlib.suppress(Exception):
                        cluster.close()


@contextlib.contextmanager
def _quiet(names: Sequence[str] = _NOISY, *, warn: bool = False) -> Iterator[None]:
    """Silence these loggers (and warnings, unless ``warn``) for a moment."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            if not warn:
                warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def dask_setup(worker: Any) -> None:
    """Run by each LocalCluster worker as it starts (``preload``): ignore SIGINT."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_in_processes(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int
                     ) -> Iterator[tuple[Any, Any]]:
    """``(item, fn(item))`` for every item from ``jobs`` worker processes, as they finish.

    ``fn`` must be picklable by reference (a module-level function). Workers ignore SIGINT;
    on any exception in the caller (Ctrl-C included) or an early close, they are
    terminated at once rather than left to finish their tasks.
    """
    import multiprocessing

    chunk = max(1, min(8, len(items) // (jobs * 16)))
    with sigint_deferred():
        pool = multiprocessing.Pool(jobs, initializer=_ignore_sigint)
    try:
        yield from pool.imap_unordered(functools.partial(_with_item, fn), items,
                                       chunksize=chunk)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _with_item(fn: Callable[[Any], Any], item: Any) -> tuple[Any, Any]:
    return item, fn(item)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def sigint_deferred() -> Iterator[None]:
    """Block SIGINT while starting worker processes: they (and the threads started now)
    inherit the blocked mask and never see a Ctrl-C; one that arrives meanwhile is
    delivered to this process when the block ends. Where signal masks do not exist
    (Windows), SIGINT is ignored instead for the moment."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not hasattr(signal, "pthread_sigmask"):
        with sigint_ignored():
            yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT for a moment (in the main thread; elsewhere, do nothing): a second
    Ctrl-C must not cut short the batch of runs being written or the cluster's shutdown."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
