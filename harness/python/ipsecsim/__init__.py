"""ipsecsim: IPsec in OpenShift/OKD OVN-Kubernetes clusters, simulated.

    import ipsecsim
    report = ipsecsim.run_file("scenarios/flow-matrix.yaml")
    for flow in report["flows"]:
        print(flow["name"], flow["verdict"])

Every function runs in this process; for sweeps across machines, submit
run_text calls to Dask workers (python3-distributed). ns-3 numbers the random
streams it hands out from a process-wide counter, so the second scenario run
in one process draws other random numbers (CSMA backoffs, for instance) than
the same scenario alone: timings can differ by microseconds from
`ipsecsim run`, which simulates each scenario of a batch in its own process.
For byte-identical reports, run one scenario per process.
"""

from ._ipsecsim import ScenarioError, esp_decrypt, esp_encrypt, run_file, run_text

__all__ = ["ScenarioError", "esp_decrypt", "esp_encrypt", "run_file", "run_text", "verdicts"]


def verdicts(report):
    """{flow name: verdict} of a report returned by run_file or run_text."""
    return {flow["name"]: flow["verdict"] for flow in report["flows"]}
