"""Where the runs of a sweep go: local worker processes, or the workers of a
Dask distributed cluster. Either way the results come back in job order.

A simulation holds ns-3's process-wide simulator, so threads would not run
two at once: locally each run is in a process of a spawn pool (a fresh
interpreter, whatever this process ran before); on Dask, one worker process
runs one simulation at a time, whatever its thread count.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, List, Optional, Sequence

Progress = Optional[Callable[[int, int], None]]


def is_client(dask: Any) -> bool:
    return hasattr(dask, "submit") and hasattr(dask, "gather")


def run_all(fn: Callable[[Any], Any], jobs: Sequence[Any], *, dask: Any = None,
            processes: Optional[int] = None, progress: Progress = None) -> List[Any]:
    """[fn(job) for job in jobs], on `processes` local processes (default:
    the CPU count) or on a Dask cluster: a distributed.Client, or a scheduler
    address such as tcp://scheduler:8786. fn must be importable by the workers.
    progress(done, total) is called here as each run ends."""
    if not jobs:
        return []
    if dask is not None:
        if processes is not None:
            raise ValueError("processes= is for local processes; a Dask cluster has its own "
                             "workers (give one or the other)")
        if is_client(dask):
            return _on_dask(dask, fn, jobs, progress)
        if not isinstance(dask, str):
            raise TypeError("dask= is a distributed.Client or a scheduler address such as "
                            f"tcp://scheduler:8786, got {type(dask).__name__}")
        from distributed import Client

        with Client(dask) as client:
            return _on_dask(client, fn, jobs, progress)
    if processes is not None and (isinstance(processes, bool) or not isinstance(processes, int)
                                  or processes < 1):
        raise ValueError(f"processes: expected a number of processes of at least 1, "
                         f"got {processes!r}")
    workers = min(processes or os.cpu_count() or 1, len(jobs))
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        from concurrent.futures import as_completed

        futures = [pool.submit(fn, job) for job in jobs]
        _follow(as_completed(futures), len(jobs), progress)
        return [f.result() for f in futures]


def _on_dask(client: Any, fn: Callable[[Any], Any], jobs: Sequence[Any],
             progress: Progress) -> List[Any]:
    from distributed import as_completed

    # pure=False: two runs of one job are two runs, never one cached result.
    futures = [client.submit(fn, job, pure=False) for job in jobs]
    _follow(as_completed(futures), len(jobs), progress)
    return client.gather(futures)


def _follow(completed: Any, total: int, progress: Progress) -> None:
    for done, _ in enumerate(completed, start=1):
        if progress is not None:
            progress(done, total)
