"""sweep_grid: a scenario over a grid of parameters and seeds, into rows; the
same rows on local processes and on a Dask cluster."""

import csv
import json
import os
import pathlib
import subprocess

import pytest

import ipsecsim
from ipsecsim import table

ROOT = pathlib.Path(__file__).resolve().parents[2]

TINY = {
    "name": "tiny",
    "cluster": {"version": "4.15", "pools": [{"name": "worker", "nodes": 2}],
                "ipsec": {"mode": "Full"}},
    "pods": [{"name": "a", "node": "worker-0"}, {"name": "b", "node": "worker-1"}],
    "flows": [{"name": "cross", "from": "a", "to": "b", "protocol": "udp", "port": 8080,
               "packets": 5, "size": 200}],
}
GRID = {"cluster.ipsec.mode": ["Full", "Disabled"]}


def without_wall(rows):
    return [{k: v for k, v in r.items() if k != table.MEASURED} for r in rows]


def test_rows_hold_the_point_the_seed_and_every_report_field():
    rows = ipsecsim.sweep_grid(TINY, grid=GRID, seeds=[1, 2], processes=2)
    assert [(r["cluster.ipsec.mode"], r["seed"]) for r in rows] == [
        ("Full", 1), ("Full", 2), ("Disabled", 1), ("Disabled", 2)]
    assert [r["flows.cross.verdict"] for r in rows] == [
        "encrypted", "encrypted", "plaintext", "plaintext"]
    assert list(rows[0])[:3] == ["scenario", "cluster.ipsec.mode", "seed"]
    assert rows[0]["scenario"] == "tiny" and rows[0]["ipsec_mode"] == "Full"
    assert rows[0]["nodes.worker-0.sa_count"] > 0 and rows[2]["nodes.worker-0.sa_count"] == 0
    # Not keyed by a name: JSON text.
    assert json.loads(rows[0]["nodes.worker-0.ike_sas"])[0]["state"]
    assert rows[0][table.MEASURED] > 0
    # The report of the same scenario and seed run alone, field for field.
    alone = table.flatten(ipsecsim.run(TINY, seed=2))
    got = rows[1]
    assert {k: got[k] for k in alone if k not in ("scenario", "seed")} == \
        {k: v for k, v in alone.items() if k not in ("scenario", "seed")}


def test_a_dask_cluster_gives_the_local_rows_row_for_row():
    distributed = pytest.importorskip("distributed")
    local = ipsecsim.sweep_grid(TINY, grid=GRID, seeds=[1, 2], processes=2)
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as tasks:
            seen = []
            on_dask = ipsecsim.sweep_grid(TINY, grid=GRID, seeds=[1, 2], dask=client,
                                          progress=lambda done, total: seen.append((done, total)))
            reports = ipsecsim.sweep([TINY], seeds=[3], dask=client)
    assert len(tasks.data) == 5
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert without_wall(on_dask) == without_wall(local)
    assert reports == [ipsecsim.run(TINY, seed=3)]


def test_runs_from_two_threads_take_turns_and_report_as_alone():
    from concurrent.futures import ThreadPoolExecutor

    alone = [ipsecsim.run(TINY, seed=seed) for seed in (1, 2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(lambda seed: ipsecsim.run(TINY, seed=seed), (1, 2)))
    assert together == alone


def test_a_file_sweeps_as_it_runs_and_keeps_its_scalars_as_written(tmp_path):
    scenario = tmp_path / "plain.yaml"
    scenario.write_text("name: plain\ncluster:\n  version: 4.15\n  host_mtu: 1500\n"
                        "  pools: [{name: worker, nodes: 2}]\n  ipsec: {mode: Full}\n"
                        "pods:\n  - {name: a, node: worker-0}\n  - {name: b, node: worker-1}\n"
                        "flows:\n  - {name: ab, from: a, to: b, protocol: udp, port: 9,"
                        " packets: 3, size: 100}\n")
    [row] = ipsecsim.sweep_grid(scenario, processes=1)
    alone = table.flatten(ipsecsim.run_file(str(scenario)))
    assert without_wall([row]) == [{"scenario": "plain", "seed": 1,
                                    **{k: v for k, v in alone.items()
                                       if k not in ("scenario", "seed")}}]
    assert row["version"] == "4.15" and row["scenario_file"] == str(scenario)


def test_a_function_of_the_parameters_with_seeds_per_point():
    def scenario(nodes):
        s = dict(TINY, cluster=dict(TINY["cluster"], pools=[{"name": "worker", "nodes": nodes}]))
        return s

    rows = ipsecsim.sweep_grid(scenario, [{"nodes": 3, "seed": 5}, {"nodes": 2, "seed": 6}],
                               processes=2)
    assert [(r["nodes"], r["seed"], len([k for k in r if k.endswith(".sa_count")]))
            for r in rows] == [(3, 5, 3), (2, 6, 2)]


def test_paths_select_list_items_by_index_or_name_and_make_missing_maps():
    doc = json.loads(json.dumps(TINY))
    ipsecsim.grid.set_path(doc, "cluster.pools[name=worker].nodes", 3)
    ipsecsim.grid.set_path(doc, "cluster.ipsec.full.encapsulation", "Always")
    ipsecsim.grid.set_path(doc, "flows[0].packets", 9)
    assert doc["cluster"]["pools"][0]["nodes"] == 3
    assert doc["cluster"]["ipsec"] == {"mode": "Full", "full": {"encapsulation": "Always"}}
    assert doc["flows"][0]["packets"] == 9


@pytest.mark.parametrize("grid,parameter,message", [
    ({"cluster..nodes": [1]}, "cluster..nodes",
     "'..nodes' at character 8 is not .KEY, [INDEX] or [KEY=VALUE]"),
    ({"cluster.pools[1].nodes": [3]}, "cluster.pools[1].nodes",
     "expected an index from 0 to 0 at cluster.pools, which has 1 items, got 1"),
    ({"cluster.pools[name=infra].nodes": [3]}, "cluster.pools[name=infra].nodes",
     "expected one item of cluster.pools with name infra, found 0 (its names: worker)"),
    ({"cluster.version.minor": [1]}, "cluster.version.minor",
     "expected a map at cluster.version to hold 'minor', the scenario has '4.15' there"),
    ({"cluster.nodez": [3]}, "cluster.nodez=3", "cluster.nodez: unknown key 'nodez'"),
    ({"cluster.ipsec.mode": ["Full"], "cluster.pools[0].nodes": [2, 0]},
     "cluster.ipsec.mode=Full, cluster.pools[0].nodes=0",
     "cluster.pools[0].nodes: expected a node count from 1 to 5000, got 0"),
    ({"cluster.ipsec.mode": []}, "cluster.ipsec.mode", "expected at least one value"),
    ({"cluster.ipsec.mode": "Full"}, "cluster.ipsec.mode", "expected a list of values"),
])
def test_a_bad_parameter_is_refused_before_any_run(grid, parameter, message):
    runs = []
    with pytest.raises(ipsecsim.ParameterError) as err:
        ipsecsim.sweep_grid(TINY, grid=grid, progress=lambda done, total: runs.append(done))
    assert err.value.parameter == parameter
    assert str(err.value).startswith(parameter + ": ")
    assert message in str(err.value)
    assert isinstance(err.value, ipsecsim.ScenarioError) and runs == []


def test_a_path_deeper_than_a_scenario_nests_is_refused_and_shown_short():
    deep = "a" + ".a" * 5000  # was a RecursionError in json.dumps, exit 1
    with pytest.raises(ipsecsim.ParameterError) as err:
        ipsecsim.sweep_grid(TINY, grid={deep: [1]})
    assert err.value.parameter == deep
    assert "expected a path of at most 64 keys and indexes" in str(err.value)
    assert "(10001 bytes in all)" in str(err.value) and len(str(err.value)) < 1300


@pytest.mark.parametrize("kwargs,message", [
    ({"seeds": [0]}, "seeds: expected seeds from 1 to 4294967295, got 0"),
    ({"seeds": []}, "seeds: expected at least one seed"),
    ({"grid": [{"seed": 3}], "seeds": [1]}, "seed: a point's seed and seeds= both set"),
    ({"grid": {"scenario": [1]}}, "scenario: 'scenario' is a column of every row"),
])
def test_bad_seeds_are_refused_before_any_run(kwargs, message):
    with pytest.raises(ipsecsim.ParameterError) as err:
        ipsecsim.sweep_grid(TINY, **kwargs)
    assert message in str(err.value)


def test_a_table_has_every_column_of_every_row_and_csv_or_parquet_only(tmp_path):
    rows = [{"scenario": "s", "a": 1}, {"scenario": "s", "b": True}]
    ipsecsim.write_table(rows, str(tmp_path / "t.csv"))
    assert (tmp_path / "t.csv").read_text() == "scenario,a,b\ns,1,\ns,,True\n"
    assert list(ipsecsim.as_frame(rows).columns) == ["scenario", "a", "b"]
    with pytest.raises(ValueError, match="expected a table name ending in .csv or .parquet"):
        ipsecsim.write_table(rows, str(tmp_path / "t.txt"))


def sweep_command(*args):
    return subprocess.run([os.environ["IPSECSIM_BINARY"], "sweep", *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_the_command_writes_the_rows_of_the_python_api(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(ipsecsim.to_yaml(TINY))
    done = sweep_command(str(scenario), "--param", "cluster.ipsec.mode=Full,Disabled",
                         "--param", "flows[0].packets=4", "--seeds", "1-2",
                         "--out", str(tmp_path / "cli.csv"), "--processes", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    assert f"{tmp_path / 'cli.csv'}: 4 runs (2 points x 2 seeds)" in done.stdout
    rows = ipsecsim.sweep_grid(scenario, {"cluster.ipsec.mode": ["Full", "Disabled"],
                                          "flows[0].packets": [4]}, seeds=[1, 2])
    ipsecsim.write_table(rows, str(tmp_path / "api.csv"))

    def read(name):
        with open(tmp_path / name, newline="") as f:
            return [{k: v for k, v in r.items() if k != table.MEASURED}
                    for r in csv.DictReader(f)]
    assert read("cli.csv") == read("api.csv")
    assert [r["flows.cross.sent"] for r in read("cli.csv")] == ["4"] * 4


@pytest.mark.parametrize("args,message", [
    (["--param", "cluster.nodez=3"], "ipsecsim: cluster.nodez=3: cluster.nodez: unknown key"),
    (["--param", "cluster.pools[2].nodes=3"],
     "ipsecsim: cluster.pools[2].nodes: expected an index from 0 to 0"),
    (["--param", "cluster.ipsec.mode=Full,Sometimes"],
     "ipsecsim: cluster.ipsec.mode=Sometimes: cluster.ipsec.mode: expected one of"),
    (["--param", "a" + ".a" * 5000 + "=1"], "expected a path of at most 64 keys and indexes"),
])
def test_the_command_refuses_a_bad_parameter_before_any_run(tmp_path, args, message):
    done = sweep_command("tests/data/bad/good.yaml", *args, "--out", str(tmp_path / "t.csv"))
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "t.csv").exists()


def test_the_command_refuses_parquet_without_pyarrow(tmp_path):
    pytest.importorskip("pandas")
    try:
        import pyarrow  # noqa: F401
        pytest.skip("pyarrow is importable")
    except ImportError:
        pass
    done = sweep_command("tests/data/bad/good.yaml", "--out", str(tmp_path / "t.parquet"))
    assert done.returncode == 2
    assert "a .parquet table needs pyarrow (python3-pyarrow)" in done.stderr


def test_a_report_field_named_like_a_parameter_is_kept_beside_it():
    rows = ipsecsim.sweep_grid(ROOT / "tests" / "data" / "bad" / "good-lifecycle.yaml",
                               {"lifecycle.daemon_fixes": ["stock", "fixed"]}, processes=2)
    assert [(r["lifecycle.daemon_fixes"], r["report.lifecycle.daemon_fixes"]) for r in rows] == \
        [("stock", "stock"), ("fixed", "fixed")]
    # IPsec is off in this scenario: the one pair is in clear.
    assert [p["final"] for p in json.loads(rows[0]["lifecycle.pairs"])] == ["clear"]
