"""Many runs on local processes: a simulation holds the GIL (and ns-3 its
own process-wide simulator), so threads would not run two at once."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .scenario import ScenarioLike, as_yaml, label


def _run_one(job: Tuple[str, str, Optional[int]]) -> Dict[str, Any]:
    from ._ipsecsim import run_text

    yaml, name, seed = job
    return run_text(yaml, name, seed=seed)


def sweep(scenarios: Iterable[ScenarioLike], *, seeds: Optional[Sequence[int]] = None,
          processes: Optional[int] = None,
          progress: Optional[Callable[[int, int], None]] = None) -> List[Dict[str, Any]]:
    """Run every scenario (for every seed of `seeds`, if given) in a pool of
    `processes` worker processes (default: the CPU count) and return the
    reports in order: scenario by scenario, seed by seed within one.

    Each report is the one `run` gives for the same scenario and seed: a run
    draws only from the random streams it assigns itself. A scenario that
    does not load raises ScenarioError before anything runs.

    `progress`, if given, is called as progress(done, total) each time a run
    ends, in the calling process, in the order the runs end.
    """
    jobs = []
    for scenario in scenarios:
        yaml, name = as_yaml(scenario), label(scenario)
        _check(yaml, name)
        for seed in (seeds if seeds is not None else [None]):
            jobs.append((yaml, name, seed))
    if not jobs:
        return []
    workers = min(processes or os.cpu_count() or 1, len(jobs))
    # spawn: a fresh interpreter per worker, whatever this process ran before.
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_run_one, job) for job in jobs]
        if progress is not None:
            for done, _ in enumerate(as_completed(futures), start=1):
                progress(done, len(jobs))
        return [f.result() for f in futures]


def _check(yaml: str, name: str) -> None:
    from ._ipsecsim import load_text

    load_text(yaml, name)
