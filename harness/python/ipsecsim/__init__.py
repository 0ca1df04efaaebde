"""ipsecsim: IPsec in OpenShift/OKD OVN-Kubernetes clusters, simulated.

    import ipsecsim
    report = ipsecsim.run_file("scenarios/flow-matrix.yaml")
    for flow in report["flows"]:
        print(flow["name"], flow["verdict"])

Every function runs in this process; for sweeps across machines, submit
run_text calls to Dask workers (python3-distributed). A scenario and seed
give the same report here as `ipsecsim run` gives, whatever ran before in
the process: each run assigns the random streams it draws from.
"""

from ._ipsecsim import __build__, __version__
from ._ipsecsim import ScenarioError, esp_decrypt, esp_encrypt, run_file, run_text

__all__ = ["ScenarioError", "esp_decrypt", "esp_encrypt", "run_file", "run_text", "verdicts"]


def verdicts(report):
    """{flow name: verdict} of a report returned by run_file or run_text."""
    return {flow["name"]: flow["verdict"] for flow in report["flows"]}
