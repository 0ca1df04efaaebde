#!/usr/bin/python3
"""MTU sweep: UDP payload size x pod MTU x protection (IPsec off, ESP, ESP in
UDP 4500) x underlay loss, each run by `ipsecsim run`, measured by its wire
oracle. Writes results/mtu/sweep.csv and results/mtu/mtu.png, and checks
that the measured thresholds land where the byte arithmetic puts them.

    /usr/bin/python3 scripts/mtu-sweep.py [--ipsecsim build-mtu/ipsecsim] [--out results/mtu]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

HOST_MTU = 1500
POD_MTUS = [1400, 1354]  # not reduced, and reduced by the documented 46 bytes
SERIES = {
    "off": "",
    "esp": "  ipsec: {mode: Full}\n",
    "esp-in-udp": "  ipsec: {mode: Full, full: {encapsulation: Always}}\n",
}
# cluster.link_loss: per-frame loss on each node's uplink.
LOSSES = [0.0, 0.02]
PACKETS = 200
LOSSY_HOPS = 1  # link_loss applies on the sender's uplink, once per underlay packet


def sizes_for(pod_mtu):
    whole = pod_mtu - 28  # largest UDP payload the pod sends unfragmented
    chunk = (pod_mtu - 20) // 8 * 8
    # The oracle attributes a packet to its flow by a whole 16-byte marker, so
    # the sizes past each step leave at least 31 payload bytes in the last piece.
    past = 31
    return sorted({200, 800, whole - 1, whole, whole + past, chunk * 2 - 8, chunk * 2 - 8 + past,
                   4000})


def outer_ip_length(inner, series):
    """Byte arithmetic: inner IPv4 packet -> Geneve (58) -> ESP (34 + pad) [-> UDP 4500]."""
    segment = inner + 38  # UDP 6081 segment: inner + Ethernet 14 + Geneve 8 + option 8 + UDP 8
    if series == "off":
        return 20 + segment
    pad = (4 - (segment + 2) % 4) % 4
    return 20 + segment + 34 + pad + (8 if series == "esp-in-udp" else 0)


def expected_pieces(payload, pod_mtu):
    chunk = (pod_mtu - 20) // 8 * 8
    return 1 if payload + 28 <= pod_mtu else -(-(payload + 8) // chunk)


def largest_payload_in_one_packet(series, underlay=HOST_MTU):
    inner = underlay - 58
    while outer_ip_length(inner, series) > underlay:
        inner -= 1
    return inner - 28


def scenario(pod_mtu, series, loss):
    flows = "".join(
        f"  - {{name: s{size}, from: a, to: b, port: {10000 + i}, packets: {PACKETS}, "
        f"size: {size}, interval: 1ms}}\n"
        for i, size in enumerate(sizes_for(pod_mtu)))
    loss_line = f"  link_loss: {loss}\n" if loss > 0 else ""
    return (f"name: sweep-{pod_mtu}-{series}-{loss}\nseed: 5\ncluster:\n"
            f"  host_mtu: {HOST_MTU}\n  cluster_mtu: {pod_mtu}\n{loss_line}"
            f"  pools:\n    - {{name: worker, nodes: 2}}\n{SERIES[series]}"
            f"pods:\n  - {{name: a, node: worker-0}}\n  - {{name: b, node: worker-1}}\n"
            f"flows:\n{flows}")


def run_all(ipsecsim, workdir):
    rows = []
    for pod_mtu in POD_MTUS:
        for series in SERIES:
            for loss in LOSSES:
                name = f"sweep-{pod_mtu}-{series}-{loss}"
                path = os.path.join(workdir, name + ".yaml")
                with open(path, "w") as f:
                    f.write(scenario(pod_mtu, series, loss))
                out = os.path.join(workdir, "out", name)
                subprocess.run([ipsecsim, "run", path, "--out", out], check=True,
                               stdout=subprocess.DEVNULL)
                with open(os.path.join(out, "report.json")) as f:
                    report = json.load(f)
                for flow in report["flows"]:
                    w = flow["wire"]
                    rows.append({
                        "pod_mtu": pod_mtu, "protection": series, "loss": loss,
                        "payload": int(flow["name"][1:]),
                        "sent": flow["sent"], "delivered": flow["delivered"],
                        "verdict": flow["verdict"],
                        "delivered_fraction": flow["delivered"] / flow["sent"],
                        "payload_bytes_delivered": w["payload_bytes_delivered"],
                        "wire_bytes": w["wire_bytes"],
                        "goodput": (w["payload_bytes_delivered"] / w["wire_bytes"]
                                    if w["wire_bytes"] else 0.0),
                        "underlay_packets": w["underlay_packets"],
                        "packets_per_datagram": w["underlay_packets"] / max(flow["sent"], 1),
                        "ip_fragments": w["ip_fragments"],
                        "largest_packet": w["largest_packet"],
                    })
    return rows


def check(rows):
    """The measured steps and sizes must be exactly the arithmetic's."""
    problems = []
    for r in rows:
        pieces = expected_pieces(r["payload"], r["pod_mtu"])
        chunk = (r["pod_mtu"] - 20) // 8 * 8
        inner = r["payload"] + 28 if pieces == 1 else 20 + chunk  # the first inner fragment
        if r["loss"] == 0:
            if r["packets_per_datagram"] != pieces:
                problems.append(f"{r}: {pieces} packets per datagram expected")
            if r["delivered_fraction"] != 1.0:
                problems.append(f"{r}: lossless run lost packets")
            if r["largest_packet"] != outer_ip_length(inner, r["protection"]):
                problems.append(f"{r}: largest packet {outer_ip_length(inner, r['protection'])}"
                                " expected")
        if r["ip_fragments"] != 0:
            problems.append(f"{r}: underlay fragments")
        expected = (1 - r["loss"]) ** (LOSSY_HOPS * pieces)
        tolerance = 4 * (expected * (1 - expected) / PACKETS) ** 0.5 + 0.02
        if abs(r["delivered_fraction"] - expected) > tolerance:
            problems.append(f"{r}: delivered {r['delivered_fraction']:.3f}, "
                            f"(1-p)^k = {expected:.3f}")
    return problems


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(POD_MTUS), 3, figsize=(15, 4.2 * len(POD_MTUS)), squeeze=False)
    styles = {"off": "o-", "esp": "s-", "esp-in-udp": "^-"}
    for i, pod_mtu in enumerate(POD_MTUS):
        for series in SERIES:
            for loss in LOSSES:
                pts = sorted((r for r in rows if r["pod_mtu"] == pod_mtu and
                              r["protection"] == series and r["loss"] == loss),
                             key=lambda r: r["payload"])
                x = [r["payload"] for r in pts]
                label = f"{series}, loss {loss:g}"
                if loss == 0:
                    axes[i][0].plot(x, [r["goodput"] for r in pts], styles[series], label=label)
                    axes[i][1].plot(x, [r["packets_per_datagram"] for r in pts], styles[series],
                                    label=label)
                axes[i][2].plot(x, [r["delivered_fraction"] for r in pts], styles[series],
                                label=label, alpha=0.5 + loss * 8)
        whole = pod_mtu - 28
        for ax, title in zip(axes[i], ["goodput (payload / wire bytes)",
                                       "underlay packets per datagram sent", "delivered fraction"]):
            ax.axvline(whole + 0.5, color="grey", linestyle=":")
            ax.set_title(f"pod MTU {pod_mtu}, underlay {HOST_MTU}: {title}", fontsize=9)
            ax.set_xlabel("UDP payload (bytes)")
            ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ipsecsim", default="build-mtu/ipsecsim")
    parser.add_argument("--out", default="results/mtu")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ipsecsim-mtu-") as workdir:
        rows = run_all(os.path.abspath(args.ipsecsim), workdir)
    wall = time.monotonic() - started
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "sweep.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, os.path.join(args.out, "mtu.png"))
    for series in SERIES:
        print(f"largest UDP payload in one {HOST_MTU}-byte underlay packet, {series}: "
              f"{largest_payload_in_one_packet(series)}")
    for pod_mtu in POD_MTUS:
        print(f"pod MTU {pod_mtu}: the pod fragments above {pod_mtu - 28} bytes of UDP payload")
    print(f"{len(rows)} flows, wall time {wall:.1f} s")
    problems = check(rows)
    for p in problems:
        print("MISMATCH", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
