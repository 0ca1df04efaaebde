"""The Python API against the same oracles as the command line."""

import json
import os
import pathlib
import subprocess

import pytest

import ipsecsim

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "data" / "vectors" / "gcm-esp-vectors.txt"

SMALL = """
name: py-api
cluster:
  pools: [{name: worker, nodes: 2}]
  ipsec: {mode: MODE}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
  - {name: c, node: worker-0}
flows:
  - {name: cross, from: a, to: b, protocol: udp, port: 8080, packets: 10, size: 200}
  - {name: same, from: a, to: c, protocol: udp, port: 8081, packets: 10, size: 200}
"""


def test_full_mode_encrypts_cross_node_and_the_control_sees_clear():
    full = ipsecsim.verdicts(ipsecsim.run_text(SMALL.replace("MODE", "Full")))
    off = ipsecsim.verdicts(ipsecsim.run_text(SMALL.replace("MODE", "Disabled")))
    assert full == {"cross": "encrypted", "same": "local"}
    assert off == {"cross": "plaintext", "same": "local"}


def test_an_ipv6_underlay_encrypts_the_same_flows_and_fragments_an_unreduced_mtu():
    ipv6 = SMALL.replace("MODE", "Full").replace(
        "cluster:\n", "cluster:\n  ip_family: ipv6\n  cluster_mtu: 1400\n").replace(
        "size: 200}", "size: 1372}", 1)
    report = ipsecsim.run_text(ipv6)
    assert report["ip_family"] == "ipv6"
    assert ipsecsim.verdicts(report) == {"cross": "encrypted", "same": "local"}
    cross = next(f for f in report["flows"] if f["name"] == "cross")
    # 1400-byte pod packets: 1400 + 78 (Geneve over IPv6) + 34 (ESP) = 1512 > 1500,
    # so the sending host cuts each into two IPv6 fragments of 1496 and 72 bytes.
    assert cross["wire"]["ip_fragments"] == 2 * 10
    assert cross["wire"]["largest_packet"] == 1496
    assert report["mtu_budget"]["geneve_bytes"] == 78


def test_reference_scenario_file_meets_its_expectations():
    report = ipsecsim.run_file(str(ROOT / "scenarios" / "flow-matrix.yaml"))
    assert report["all_expectations_pass"]
    assert report["keying"] == "ike"
    assert report["failed"] == 0 and report["passed"] == len(report["expectations"])


def test_bad_scenario_raises_with_line_and_key():
    with pytest.raises(ipsecsim.ScenarioError) as err:
        ipsecsim.run_text(SMALL.replace("MODE", "Sometimes"), "bad.yaml")
    assert "bad.yaml:5: cluster.ipsec.mode" in str(err.value)


def _vectors():
    cases, current, key = [], None, None
    for line in VECTORS.read_text().splitlines():
        if line.startswith("==="):
            current = {}
            cases.append(current)
        elif current is not None and "=" in line and not line.startswith(" "):
            key, value = (part.strip() for part in line.split("=", 1))
            current[key] = value
        elif current is not None and line.startswith(" ") and key:
            current[key] += line.strip()
    return [{k: bytes.fromhex(v) for k, v in c.items()} for c in cases]


def test_esp_matches_the_published_vectors_both_ways():
    cases = _vectors()
    assert len(cases) == 10
    for c in cases:
        plain = c["plaintext"]
        payload = plain[: len(plain) - 2 - plain[-2]]
        esn = len(c["seq"]) == 8
        seq = int.from_bytes(c["seq"], "big")
        spi = int.from_bytes(c["spi"], "big")
        packet = ipsecsim.esp_encrypt(spi, c["KEYMAT"], seq, c["iv"], plain[-1], payload, esn)
        assert packet == c["esp_packet"]
        nh, back = ipsecsim.esp_decrypt(c["KEYMAT"], packet, seq >> 32 if esn else None)
        assert (nh, back) == (plain[-1], payload)
        tampered = packet[:-1] + bytes([packet[-1] ^ 1])
        with pytest.raises(ValueError, match="ICV mismatch"):
            ipsecsim.esp_decrypt(c["KEYMAT"], tampered, seq >> 32 if esn else None)


def test_lifecycle_report_and_refused_procedure():
    report = ipsecsim.run_file(str(ROOT / "scenarios/lifecycle-disable-after-install.yaml"))
    life = report["lifecycle"]
    assert life["nb_global"]["ipsec"] is False
    assert life["summary"]["sa_count"] == 0
    assert all(e["pass"] for e in report["expectations"])
    with pytest.raises(ipsecsim.ScenarioError, match="older version"):
        ipsecsim.run_text(
            "name: x\ncluster: {version: \"4.15\", pools: [{name: w, nodes: 2}]}\n"
            "lifecycle: {procedure: {steps: [{upgrade: \"4.14\"}]}}\n", "x.yaml")


def test_scenarios_report_the_same_in_one_process_as_alone(tmp_path):
    """Two scenarios in both orders in this process, each against `ipsecsim run` alone."""
    names = ["lifecycle-enable-after-install", "nat-natt"]
    alone = {}
    for name in names:
        out = tmp_path / name
        subprocess.run([os.environ["IPSECSIM_BINARY"], "run", f"scenarios/{name}.yaml",
                        "--out", str(out)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        alone[name] = json.loads((out / name / "report.json").read_text())
    for order in (names, names[::-1]):
        for name in order:
            assert ipsecsim.run_file(f"scenarios/{name}.yaml") == alone[name], (order, name)
