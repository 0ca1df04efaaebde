"""Many runs at once: sweep() returns reports, sweep_grid() a table of a
scenario over a grid of parameters and seeds. Both run on local processes
or on a Dask cluster (see engine.py) and give the same results in the same
order on either."""
from __future__ import annotations

import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import engine, table
from . import grid as _grid
from .scenario import ScenarioLike, as_yaml, label

# (the point, (YAML text, file name, seed)) of each run, in run order
Plan = List[Tuple[Dict[str, Any], Tuple[str, str, Optional[int]]]]


def _run_one(job: Tuple[str, str, Optional[int]]) -> Dict[str, Any]:
    from ._ipsecsim import run_text

    yaml, name, seed = job
    return run_text(yaml, name, seed=seed)


def _run_flat(job: Tuple[str, str, Optional[int]]) -> Tuple[Dict[str, Any], float]:
    # Flattened in the worker: a row travels back smaller than its report.
    started = time.monotonic()
    report = _run_one(job)
    return table.flatten(report), round(time.monotonic() - started, 3)


def sweep(scenarios: Iterable[ScenarioLike], *, seeds: Optional[Sequence[int]] = None,
          processes: Optional[int] = None, dask: Any = None,
          progress: Optional[Callable[[int, int], None]] = None) -> List[Dict[str, Any]]:
    """Run every scenario (for every seed of `seeds`, if given) and return the
    reports in order: scenario by scenario, seed by seed within one.

    The runs go to `processes` local worker processes (default: the CPU
    count), or with `dask` (a distributed.Client or a scheduler address such
    as tcp://scheduler:8786) to a Dask cluster whose workers import this
    module. Each report is the one `run` gives for the same scenario and
    seed. A scenario that does not load raises ScenarioError before anything
    runs. `progress(done, total)`, if given, is called here as each run ends.
    """
    jobs = []
    for scenario in scenarios:
        yaml, name = as_yaml(scenario), label(scenario)
        _check(yaml, name)
        for seed in (seeds if seeds is not None else [None]):
            jobs.append((yaml, name, seed))
    return engine.run_all(_run_one, jobs, dask=dask, processes=processes, progress=progress)


def sweep_grid(scenario: _grid.ScenarioSource,
               grid: Union[Dict[str, Iterable[Any]], Sequence[Dict[str, Any]], None] = None, *,
               seeds: Optional[Iterable[int]] = None, dask: Any = None,
               processes: Optional[int] = None,
               progress: Union[None, bool, Callable[[int, int], None]] = None
               ) -> List[Dict[str, Any]]:
    """Run a scenario at every point of a grid, for every seed, and return one
    row per run (a dict; ipsecsim.as_frame makes a pandas DataFrame).

    `scenario` is YAML text, a dict, a Scenario, an os.PathLike file, or a
    function that takes the parameters as keyword arguments and returns one.
    `grid` is {parameter: values}, run as their product with the last
    parameter changing fastest, or a list of points ({parameter: value}),
    run in that order; a parameter is a path into the scenario's keys such
    as "cluster.pools[1].nodes" or "cluster.pools[name=worker].nodes" (see
    ipsecsim.grid), or the function's keyword. Every seed of `seeds` runs at
    every point, the seed changing fastest; without seeds, each point runs at
    its scenario's seed, or at its own "seed" (a point such as {"nodes": 3,
    "seed": 7}, for plans with more seeds at some points than at others).

    Every point is set and loaded before anything runs: a path that does not
    resolve or a value the loader refuses raises ParameterError (a
    ScenarioError) naming the parameter.

    A row holds `scenario` (the report's name), each parameter, `seed`,
    every report field under a dotted key (ipsecsim.table) and
    `wall_seconds`, the run's wall time, the one column that differs between
    two sweeps of one grid. The rows are in grid order, seed by seed, on
    local processes as on Dask. `progress` is True for the progress line on
    stderr, or a function called as progress(done, total).
    """
    plan = plan_runs(scenario, grid, seeds)
    if progress is True:
        from .progress import Progress

        progress = Progress(len(plan), enabled=True)
    return run_plan(plan, dask=dask, processes=processes, progress=progress or None)


def run_plan(plan: Plan, *, dask: Any = None, processes: Optional[int] = None,
             progress: Optional[Callable[[int, int], None]] = None) -> List[Dict[str, Any]]:
    """The rows of a plan_runs plan (sweep_grid's second half)."""
    results = engine.run_all(_run_flat, [job for _, job in plan], dask=dask,
                             processes=processes, progress=progress)
    return [table.row(point, fields, wall) for (point, _), (fields, wall) in zip(plan, results)]


def plan_runs(scenario: _grid.ScenarioSource, grid: Any, seeds: Optional[Iterable[int]]
              ) -> Plan:
    """[(the point of a run, its job)] in run order, every point loaded
    (sweep_grid's first half)."""
    base, name = _grid.base_document(scenario)
    points = _grid.points(grid)
    seed_list = _grid.seed_list(seeds)
    plan, loaded = [], set()
    for point in points:
        for reserved in ("scenario", table.MEASURED):
            if reserved in point:
                raise _grid.ParameterError(reserved, f"'{reserved}' is a column of every row; "
                                                     "name the parameter otherwise")
        point = dict(point)
        own = [point.pop("seed")] if "seed" in point else None
        if own is not None and seeds is not None:
            raise _grid.ParameterError("seed", "a point's seed and seeds= both set the seed; "
                                               "give one or the other")
        yaml = _grid.point_yaml(base, point)
        if yaml not in loaded:
            _grid.check_point(yaml, name, point)
            loaded.add(yaml)
        plan.extend((point, (yaml, name, seed))
                    for seed in (_grid.seed_list(own) if own is not None else seed_list))
    return plan


def _check(yaml: str, name: str) -> None:
    from ._ipsecsim import load_text

    load_text(yaml, name)
