"""Scenarios as dicts and builder objects, and sweeps on processes."""

import pytest

import ipsecsim

YAML = """
name: py-values
cluster:
  version: "4.16"
  link_loss: 0.05
  pools: [{name: worker, nodes: 2}]
  ipsec: {mode: Full, full: {encapsulation: Always}}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: cross, from: a, to: b, protocol: udp, port: 8080, packets: 40, size: 300}
expect:
  - {flow: cross, verdict: encrypted}
"""

DICT = {
    "name": "py-values",
    "cluster": {
        "version": "4.16",
        "link_loss": 0.05,
        "pools": [{"name": "worker", "nodes": 2}],
        "ipsec": {"mode": "Full", "full": {"encapsulation": "Always"}},
    },
    "pods": [{"name": "a", "node": "worker-0"}, {"name": "b", "node": "worker-1"}],
    "flows": [{"name": "cross", "from": "a", "to": "b", "protocol": "udp", "port": 8080,
               "packets": 40, "size": 300}],
    "expect": [{"flow": "cross", "verdict": "encrypted"}],
}


def built():
    return (ipsecsim.Scenario("py-values", version="4.16", link_loss=0.05)
            .pool("worker", 2)
            .ipsec("Full", encapsulation="Always")
            .pod("a", "worker-0").pod("b", "worker-1")
            .flow("cross", "a", "b", protocol="udp", port=8080, packets=40, size=300)
            .expect(flow="cross", verdict="encrypted"))


def without_lines(value):
    """A report without its source lines (an expectation's `line` in the text run)."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


def test_a_dict_a_builder_and_their_yaml_give_identical_reports():
    from_yaml = ipsecsim.run(YAML, name="s.yaml")
    assert from_yaml["flows"][0]["verdict"] == "encrypted"
    assert from_yaml["all_expectations_pass"]
    from_dict = ipsecsim.run(DICT, name="s.yaml")
    # Everything but where in the text each expectation stands.
    assert from_dict != from_yaml
    assert without_lines(from_dict) == without_lines(from_yaml)
    assert from_yaml["expectations"][0]["line"] == 14
    # The dict's lines are those of its YAML text.
    assert from_dict == ipsecsim.run(ipsecsim.to_yaml(DICT), name="s.yaml")
    lines = ipsecsim.to_yaml(DICT).splitlines()
    at = from_dict["expectations"][0]["line"]  # the line that opens its map
    assert lines[at - 1].strip() == "{" and '"flow": "cross"' in lines[at]
    assert built().to_dict() == DICT
    assert ipsecsim.run(built(), name="s.yaml") == from_dict


def test_a_bad_dict_names_its_key_and_line():
    bad = {**DICT, "cluster": {**DICT["cluster"], "ipsec": {"mode": "Sometimes"}}}
    with pytest.raises(ipsecsim.ScenarioError) as err:
        ipsecsim.run(bad)
    message = str(err.value)
    assert message.startswith("<dict>:")
    assert "cluster.ipsec.mode" in message
    line = int(message.split(":")[1])
    assert '"Sometimes"' in ipsecsim.to_yaml(bad).splitlines()[line - 1]


def test_a_sweep_over_seeds_equals_solo_runs():
    seeds = [3, 4, 5]
    swept = ipsecsim.sweep([DICT], seeds=seeds, processes=2)
    solo = [ipsecsim.run(DICT, seed=s) for s in seeds]
    assert [r["seed"] for r in swept] == seeds
    assert swept == solo
    # The seeds draw different losses: the comparison is not of equal reports.
    assert len({r["flows"][0]["delivered"] for r in solo}) == 3


def test_a_sweep_keeps_the_order_of_its_scenarios():
    other = built().set("name", "py-values-off").ipsec("Disabled")
    reports = ipsecsim.sweep([YAML, other, DICT], processes=2)
    assert [r["scenario"] for r in reports] == ["py-values", "py-values-off", "py-values"]
    assert [ipsecsim.verdicts(r)["cross"] for r in reports][1] == "plaintext"


def test_a_sweep_refuses_a_bad_scenario_before_running_any():
    with pytest.raises(ipsecsim.ScenarioError, match="cluster.pools"):
        ipsecsim.sweep([DICT, {"name": "x", "cluster": {}}])


def test_the_module_is_typed_and_documented():
    for name in ipsecsim.__all__:
        assert getattr(ipsecsim, name).__doc__, name
    assert "scenario" in ipsecsim.run.__annotations__
    assert "processes" in ipsecsim.sweep.__annotations__


def test_a_path_is_run_as_a_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(YAML)
    assert ipsecsim.run(path) == ipsecsim.run(YAML, name=str(path))
    with pytest.raises(TypeError, match="run_file"):
        ipsecsim.run(42)


def test_a_sweep_reports_its_progress_as_runs_end():
    calls = []
    reports = ipsecsim.sweep([DICT], seeds=[1, 2, 3], processes=2,
                             progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [r["seed"] for r in reports] == [1, 2, 3]


def test_a_pool_takes_its_own_max_unavailable():
    s = ipsecsim.Scenario("py-pools").pool("worker", 3, max_unavailable="50%")
    assert s.to_dict()["cluster"]["pools"] == [
        {"name": "worker", "nodes": 3, "max_unavailable": "50%"}]
    # Without a lifecycle no pool rolls, so the loader refuses it at its key.
    with pytest.raises(ipsecsim.ScenarioError) as err:
        ipsecsim.run(s)
    assert "cluster.pools[0].max_unavailable: expected max_unavailable only with a lifecycle" \
        in str(err.value)
