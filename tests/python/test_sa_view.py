"""The SA view (report.json nodes[].ike_sas and child_sas, `ipsecsim run
--sas`) against the xfrm state counts and the ESP packets on the wire."""

import os
import subprocess

import ipsecsim

FULL = """
name: sa-view
cluster:
  pools: [{name: worker, nodes: 3}]
  ipsec: {mode: Full}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
  - {name: c, node: worker-2}
flows:
  - {name: ab, from: a, to: b, protocol: udp, port: 8080, packets: 7, size: 300}
  - {name: cb, from: c, to: b, protocol: udp, port: 8081, packets: 4, size: 200}
"""


def test_child_sas_match_the_xfrm_state_and_the_wire():
    report = ipsecsim.run_text(FULL)
    nodes = report["nodes"]
    by_spi = {}
    for node in nodes:
        assert len(node["child_sas"]) == node["sa_count"] > 0
        for sa in node["child_sas"]:
            assert sa["algorithm"] == "AES-GCM-16-256"
            assert sa["mode"] == "transport" and sa["protocol"] == "ESP"
            # OVN's connections NODE-in-PEER and NODE-out-PEER each hold an in and an out SA.
            assert sa["connection"].startswith(node["node"] + "-")
            assert sa["traffic_selectors"], sa
            assert sa["hard_lifetime"] > sa["soft_lifetime"] > 0
            by_spi.setdefault(sa["spi"], {})[sa["direction"]] = (node["node"], sa)
    # In and out as the addresses say: to the node's own address, or from it.
    for node in nodes:
        local = {sa["src"] for sa in node["child_sas"] if sa["direction"] == "out"}
        assert local == {sa["dst"] for sa in node["child_sas"] if sa["direction"] == "in"}
        assert len(local) == 1
    # Each SPI is one node's out SA and its peer's in SA, which counted the same packets.
    for spi, ends in by_spi.items():
        (out_node, out_sa), (in_node, in_sa) = ends["out"], ends["in"]
        assert out_node != in_node and out_sa["dst"] == in_sa["dst"]
        assert out_sa["packets"] == in_sa["packets"], spi
    # The packets the SAs protected are the ESP packets that entered the underlay.
    sent = sum(sa["packets"] for n in nodes for sa in n["child_sas"] if sa["direction"] == "out")
    flows = {f["name"]: f for f in report["flows"]}
    on_wire = 0
    for flow in flows.values():
        sender = {"ab": "worker-0", "cb": "worker-2"}[flow["name"]]
        for link in flow["evidence"]["links"]:
            if link["link"] == sender + "/eth0":
                on_wire += link["packets"].get("esp", 0)
    assert sent == on_wire == 11
    # The IKE SAs carry every connection that is up, to the two peers.
    for node in nodes:
        carried = sum(len(sa["connections"]) for sa in node["ike_sas"])
        assert carried == node["connections_up"] == 4
        assert len({sa["peer_id"] for sa in node["ike_sas"]}) == 2
        assert all(sa["algorithms"] == "AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048"
                   for sa in node["ike_sas"])


def test_sas_in_the_terminal(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(FULL)
    out = subprocess.run([os.environ["IPSECSIM_BINARY"], "run", str(path), "--out",
                          str(tmp_path), "--sas"], capture_output=True, text=True, check=True)
    assert "worker-0: 4 IKE SAs, 8 Child SAs" in out.stdout, out.stdout
    assert "ESP:AES-GCM-16-256 transport" in out.stdout
    plain = subprocess.run([os.environ["IPSECSIM_BINARY"], "run", str(path), "--out",
                            str(tmp_path)], capture_output=True, text=True, check=True)
    assert "IKE SAs" not in plain.stdout


ENABLE = """
name: enable-end-state
duration: 400s
cluster:
  version: "4.15"
  host_mtu: 1500
  cluster_mtu: 1354
  pools: [{name: worker, nodes: 2}]
lifecycle:
  procedure:
    start: 10s
    steps:
      - merge_patch: '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}}'
"""


def test_top_level_fields_describe_the_end_and_install_the_start():
    report = ipsecsim.run_text(ENABLE)
    assert report["lifecycle"]["summary"]["pairs_up"] == 1
    assert report["ipsec_mode"] == "Full"
    assert report["mtu_budget"]["protection"] == "esp"
    assert report["install"]["ipsec_mode"] == "Disabled"
    assert report["install"]["mtu_budget"]["protection"] == "none"
    assert report["install"]["version"] == report["version"] == "4.15"
    # The end state's SAs are there too.
    assert all(len(n["child_sas"]) == n["sa_count"] == 4 for n in report["nodes"])
    assert all(len(n["ike_sas"]) == 2 for n in report["nodes"])
