"""`ipsecsim sweep`'s engine half: the C++ command checks the command line
and the scenario file and hands over here (python3 -m ipsecsim.sweep_cli).

    python3 -m ipsecsim.sweep_cli SCENARIO.yaml [--param PATH=V1,V2 ...]
        [--seeds 1-3,7] --out TABLE.csv|.parquet [--dask ADDRESS | --processes N]
        [--progress | --quiet]

A value is text, but for a decimal integer, which is a number in the table
(the loader reads both alike). Exit 0 with the table written, 2 on bad input
before any run, 3 when a run failed.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
from typing import Any, Dict, List, Optional

from . import ScenarioError, table
from .progress import Progress
from .sweep import plan_runs, run_plan


def value(text: str) -> Any:
    try:
        number = int(text)
    except ValueError:
        return text
    return number if str(number) == text else text


def seed_list(text: str) -> List[int]:
    """'1-3,7' -> [1, 2, 3, 7]."""
    seeds: List[int] = []
    for item in text.split(","):
        low, _, high = item.partition("-")
        seeds.extend(range(int(low), int(high or low) + 1))
    return seeds


def parameter_grid(params: List[str]) -> Dict[str, List[Any]]:
    out: Dict[str, List[Any]] = {}
    for param in params:
        path, sep, values = param.partition("=")
        if not sep or not path or not values:
            raise ScenarioError(f"--param {param}: expected PATH=VALUE[,VALUE...] such as "
                                "cluster.pools[1].nodes=3,10")
        if path in out:
            raise ScenarioError(f"--param {param}: {path} is already a parameter; give its "
                                "values in one --param")
        out[path] = [value(v) for v in values.split(",")]
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="ipsecsim sweep")
    parser.add_argument("scenario")
    parser.add_argument("--param", action="append", default=[])
    parser.add_argument("--seeds")
    parser.add_argument("--out", required=True)
    parser.add_argument("--dask")
    parser.add_argument("--processes", type=int)
    parser.add_argument("--progress", action="store_true", default=None)
    parser.add_argument("--quiet", dest="progress", action="store_false")
    args = parser.parse_args(argv)
    seeds = seed_list(args.seeds) if args.seeds else None
    try:
        table.check_output(args.out)
        # Every point is set and loaded before the first run.
        plan = plan_runs(pathlib.Path(args.scenario), parameter_grid(args.param), seeds)
        dask = _connect(args.dask) if args.dask else None
    except (ScenarioError, ValueError, OSError) as e:
        print(f"ipsecsim: {e}", file=sys.stderr)
        return 2
    progress = Progress(len(plan), args.progress)
    started = time.monotonic()
    try:
        rows = run_plan(plan, dask=dask, processes=args.processes, progress=progress)
    except Exception as e:  # a run that failed: no table rather than a partial one
        progress.close()
        print(f"ipsecsim: a run failed, no table written: {type(e).__name__}: {e}",
              file=sys.stderr)
        return 3
    finally:
        if dask is not None:
            dask.close()
    wall = time.monotonic() - started
    table.write(rows, args.out)
    failing = sum(1 for r in rows if r.get("all_expectations_pass") is False)
    runs_per_point = len(seeds) if seeds else 1
    where = (f"the Dask cluster at {args.dask}" if args.dask else
             f"{min(args.processes or os.cpu_count() or 1, len(rows))} local processes")
    print(f"{args.out}: {len(rows)} runs ({len(rows) // runs_per_point} points x "
          f"{runs_per_point} seeds), {len(table.columns(rows))} columns, {wall:.1f} s on "
          f"{where}; {failing} with a failed expectation")
    return 0


def _connect(address: str) -> Any:
    from distributed import Client

    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise OSError(f"--dask {address}: expected a reachable Dask scheduler: {e}") from None


if __name__ == "__main__":
    sys.exit(main())
