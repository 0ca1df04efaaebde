"""ipsecsim: IPsec in OpenShift/OKD OVN-Kubernetes clusters, simulated.

    import ipsecsim
    report = ipsecsim.run_file("scenarios/flow-matrix.yaml")
    for flow in report["flows"]:
        print(flow["name"], flow["verdict"])

A scenario is YAML text, a dict with the keys of a scenario file, or an
ipsecsim.Scenario built call by call; run() takes any of them, sweep() runs
many and sweep_grid() runs one over a grid of parameters and seeds into a
table (one row per run; write_table, as_frame). A run is in the calling
process; a sweep's are in local worker processes, or on the workers of a
Dask cluster (python3-distributed). A scenario and seed give the same report here
as `ipsecsim run` gives, whatever ran before in the process: each run assigns
the random streams it draws from.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Optional

from ._ipsecsim import __build__, __version__
from ._ipsecsim import ScenarioError, esp_decrypt, esp_encrypt, run_file, run_text
from .scenario import Scenario, ScenarioLike, as_yaml, label, to_yaml
from .grid import ParameterError
from .sweep import sweep, sweep_grid
from .table import as_frame
from .table import write as write_table

ScenarioError.__doc__ = ("A scenario that does not load: the message is FILE:LINE: KEY: what was "
                         "expected, as `ipsecsim run` prints it before exiting 2.")

__all__ = ["ParameterError", "Scenario", "ScenarioError", "as_frame", "esp_decrypt",
           "esp_encrypt", "run", "run_file", "run_text", "sweep", "sweep_grid", "to_yaml",
           "verdicts", "write_table"]


def run(scenario: ScenarioLike, *, name: Optional[str] = None, out: str = "",
        pcap: bool = False, certs: bool = False, seed: Optional[int] = None) -> Dict[str, Any]:
    """Run a scenario given as YAML text, a dict or a Scenario; returns
    report.json as a dict. `name` is the file name error messages and the
    report's scenario_file give it; out, pcap, certs and seed are those of
    `ipsecsim run`. For a file, use run_file or pass an os.PathLike."""
    if isinstance(scenario, os.PathLike):
        return run_file(os.fspath(scenario), out=out, pcap=pcap, certs=certs, seed=seed)
    return run_text(as_yaml(scenario), name or label(scenario), out=out, pcap=pcap,
                    certs=certs, seed=seed)


def verdicts(report: Dict[str, Any]) -> Dict[str, str]:
    """{flow name: verdict} of a report returned by run, run_file or run_text."""
    return {flow["name"]: flow["verdict"] for flow in report["flows"]}
