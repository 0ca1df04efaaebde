"""The Python API against the same oracles as the command line."""

import pathlib

import pytest

import ipsecsim

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT.parent / "shared" / "reference" / "vectors" / "gcm-esp-vectors.txt"

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
