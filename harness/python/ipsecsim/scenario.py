"""Scenarios as Python values: a dict with the keys of a scenario file, or a
Scenario built call by call. Both become the YAML text the loader reads, so
they are checked by the same rules and give the same reports as the file.
"""
from __future__ import annotations

import copy
import json
from typing import Any, Dict, Optional, Union


def to_yaml(scenario: Dict[str, Any]) -> str:
    """A scenario dict as YAML the loader reads.

    JSON is YAML; indented, every key is on a line of its own, so that an
    error message's line points at the key it names.
    """
    if not isinstance(scenario, dict):
        raise TypeError(f"a scenario must be a dict, got {type(scenario).__name__}")
    return json.dumps(scenario, indent=2) + "\n"


def _keys(fields: Dict[str, Any]) -> Dict[str, Any]:
    """Python keyword arguments as scenario keys: from_ -> from; None left out."""
    return {k[:-1] if k.endswith("_") else k: v for k, v in fields.items() if v is not None}


class Scenario:
    """A scenario built in Python, with the keys of docs/scenario-reference.md.

        s = (Scenario("check", version="4.16")
             .pool("worker", 3)
             .ipsec("Full", encapsulation="Always")
             .pod("a", "worker-0").pod("b", "worker-1")
             .flow("a-to-b", "a", "b", protocol="tcp", port=8080, packets=50, size=800)
             .expect(flow="a-to-b", verdict="encrypted"))
        report = ipsecsim.run(s)

    Every method returns the scenario, so calls chain. Keyword arguments are
    the scenario's keys (`from_` for `from`); None leaves a key out.
    """

    def __init__(self, name: str, *, seed: Optional[int] = None,
                 duration: Optional[str] = None, **cluster: Any) -> None:
        """name, seed and duration are top-level keys; the other keyword
        arguments (version, platform, host_mtu, ip_family...) go in `cluster`."""
        self._doc: Dict[str, Any] = _keys({"name": name, "seed": seed, "duration": duration})
        self._doc["cluster"] = _keys(cluster)
        self._doc["cluster"]["pools"] = []

    def pool(self, name: str, nodes: int, *,
             max_unavailable: Optional[Union[int, str]] = None) -> "Scenario":
        """A machine config pool of `nodes` nodes, named name-0 .. name-(nodes-1);
        max_unavailable is its spec.maxUnavailable (a count, or "25%")."""
        self._doc["cluster"]["pools"].append(
            _keys({"name": name, "nodes": nodes, "max_unavailable": max_unavailable}))
        return self

    def ipsec(self, mode: Optional[str] = "Full", *, encapsulation: Optional[str] = None,
              nat_keepalive: Optional[str] = None) -> "Scenario":
        """cluster.ipsec; mode=None is the legacy empty object (Full on 4.14)."""
        ipsec = _keys({"mode": mode})
        full = _keys({"encapsulation": encapsulation, "nat_keepalive": nat_keepalive})
        if full:
            ipsec["full"] = full
        self._doc["cluster"]["ipsec"] = ipsec
        return self

    def pod(self, name: str, node: str, *, host_network: Optional[bool] = None) -> "Scenario":
        self._doc.setdefault("pods", []).append(
            _keys({"name": name, "node": node, "host_network": host_network}))
        return self

    def flow(self, name: str, from_: str, to: str, **fields: Any) -> "Scenario":
        """A flow from a pod or node to another (protocol, port, packets, size,
        start, interval)."""
        self._doc.setdefault("flows", []).append(
            _keys({"name": name, "from": from_, "to": to, **fields}))
        return self

    def expect(self, **fields: Any) -> "Scenario":
        """An expectation: flow=, verdict=, fragments=..., or probes=/metric=."""
        self._doc.setdefault("expect", []).append(_keys(fields))
        return self

    def lifecycle(self, **fields: Any) -> "Scenario":
        """Keys of the lifecycle section (probes, daemonset, modelled_crypto...)."""
        self._doc.setdefault("lifecycle", {}).update(_keys(fields))
        return self

    def step(self, **fields: Any) -> "Scenario":
        """A procedure step: merge_patch=, json_patch=, upgrade=, delete_daemonsets=,
        after=."""
        procedure = self._doc.setdefault("lifecycle", {}).setdefault("procedure", {})
        procedure.setdefault("steps", []).append(_keys(fields))
        return self

    def set(self, key: str, value: Any) -> "Scenario":
        """Any other key, as a dotted path such as "cluster.link_loss" or "underlay"."""
        *parents, last = key.split(".")
        node = self._doc
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
        return self

    @property
    def name(self) -> str:
        return self._doc["name"]

    def to_dict(self) -> Dict[str, Any]:
        """The scenario as a dict (a copy), the form a scenario file takes."""
        return copy.deepcopy(self._doc)

    def to_yaml(self) -> str:
        return to_yaml(self._doc)

    def __repr__(self) -> str:
        return f"Scenario({self.to_dict()!r})"


ScenarioLike = Union[str, Dict[str, Any], Scenario]


def as_yaml(scenario: ScenarioLike) -> str:
    """YAML text of a scenario given as YAML text, a dict or a Scenario."""
    if isinstance(scenario, Scenario):
        return scenario.to_yaml()
    if isinstance(scenario, dict):
        return to_yaml(scenario)
    if isinstance(scenario, str):
        return scenario
    raise TypeError("a scenario is YAML text, a dict or an ipsecsim.Scenario, got "
                    f"{type(scenario).__name__} (use run_file for a path)")


def label(scenario: ScenarioLike) -> str:
    """The file name error messages give a scenario that has no file."""
    if isinstance(scenario, Scenario):
        return "<Scenario>"
    if isinstance(scenario, dict):
        return "<dict>"
    return "<string>"
