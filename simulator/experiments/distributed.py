"""Sending sweep runs to a Dask distributed cluster (an optional dependency)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any


def map_on_cluster(fn: Callable[[Any], Any], items: Sequence[Any], address: str
                   ) -> Iterator[tuple[Any, Any]]:
    """``(item, fn(item))`` for every item, computed on a Dask cluster, in item order.

    ``address`` is a scheduler address (``tcp://host:8786``) or ``local`` to start a
    LocalCluster on this machine for the duration of the call.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError("--cluster needs dask.distributed: pip install 'trustsim[lab]'") \
            from None
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1,  # type: ignore[no-untyped-call]
                               processes=True, dashboard_address=None)
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        client = Client(address)  # type: ignore[no-untyped-call]
    try:
        futures = client.map(fn, list(items), pure=False)
        for item, future in zip(items, futures, strict=True):
            yield item, future.result()
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
