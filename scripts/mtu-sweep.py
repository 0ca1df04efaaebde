#!/usr/bin/python3
"""MTU sweep: goodput, fragments per packet and delivered fraction against UDP
payload size, pod MTU, protection, underlay loss and the underlay's family.

Underlay family (IPv4, IPv6) x UDP payload size x pod MTU x protection (IPsec
off, ESP, ESP in UDP 4500) x underlay loss, each run by `ipsecsim run`,
measured by its wire oracle, and one TCP bulk flow per family, protection and
pod MTU. Writes OUT/sweep.csv, OUT/tcp.csv and OUT/mtu.png, and exits 1 if
the measured thresholds do not land where the byte arithmetic puts them or
if TCP fragments its own segments.

The pod MTUs default to the underlay MTU less 100 (Geneve: not reduced for
IPsec) and less 146 (reduced by the documented 46 bytes); the TCP pod MTUs
to the underlay MTU less 300, 200, 146 and 100. The arithmetic assumes that
a pod packet of the pod MTU fits the underlay once encapsulated; where it
does not (ESP in UDP 4500 with the pod MTU left at 8901 on 9001: the tunnel
refuses the first full-size datagram, as scenarios/mtu-natt-9001-unreduced.yaml
shows), the sweep reports the rows as MISMATCH and exits 1.

example:
    /usr/bin/python3 scripts/mtu-sweep.py --ipsecsim build/ipsecsim --underlay-mtu 9001 \\
        --families ipv4 --losses 0 --out /tmp/mtu-9001
"""
import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time

import study_options
import study_progress

HOST_MTU = 1500
FAMILIES = ["ipv4", "ipv6"]  # underlay (node IP) family; pods stay IPv4
OUTER_IP = {"ipv4": 20, "ipv6": 40}
# encapsulation: Always needs 4.16+; IPv4 rows come out the same as on the default version.
VERSION = "4.16"
POD_MTUS = [1400, 1354]  # not reduced, and reduced by the documented 46 bytes
SERIES = {
    "off": "",
    "esp": "  ipsec: {mode: Full}\n",
    "esp-in-udp": "  ipsec: {mode: Full, full: {encapsulation: Always}}\n",
}
# cluster.link_loss: per-frame loss on each node's uplink.
LOSSES = [0.0, 0.02]
PACKETS = 200
NODES = 2  # worker-0 sends to worker-1; more nodes only add IPsec peers
# One datagram of every size every INTERVAL. The underlay links are ns-3 CSMA: a NIC
# waits out the 25 us propagation (plus backoff) between frames, about 30 frames per
# ms; more in a burst fill its 100-packet queue and drop before the wire. So each run
# holds at most 8 sizes (the pod-step sizes, then the host-step sizes) at 1 ms.
INTERVAL = "1ms"
LOSSY_HOPS = 1  # link_loss applies on the sender's uplink, once per underlay packet
LARGEST_SIZE = 4000
# IPv6 routers never fragment; the sending host does, at HOST_MTU: each fragment
# carries IPv6 40 + Fragment header 8 + at most this many bytes (a multiple of 8).
IPV6_FRAGMENT_DATA = (HOST_MTU - 40 - 8) // 8 * 8


def chunk_of(pod_mtu):
    """Bytes of the inner UDP datagram (header + payload) in each full pod fragment."""
    return (pod_mtu - 20) // 8 * 8


def pod_pieces(payload, pod_mtu):
    """Inner IPv4 packet lengths the pod sends for one UDP datagram (RFC 791 fragments)."""
    if payload + 28 <= pod_mtu:
        return [payload + 28]
    chunk, data, pieces = chunk_of(pod_mtu), payload + 8, []
    while data > chunk:
        pieces.append(20 + chunk)
        data -= chunk
    return pieces + [20 + data]


def expected_pieces(payload, pod_mtu):
    return len(pod_pieces(payload, pod_mtu))


def outer_ip_length(inner, series, family="ipv4"):
    """Byte arithmetic: inner IPv4 packet -> Geneve (38 + outer IP 20 or 40) -> ESP
    (34 + pad) [-> UDP 4500]."""
    segment = inner + 38  # UDP 6081 segment: inner + Ethernet 14 + Geneve 8 + option 8 + UDP 8
    if series == "off":
        return OUTER_IP[family] + segment
    pad = (4 - (segment + 2) % 4) % 4
    return OUTER_IP[family] + segment + 34 + pad + (8 if series == "esp-in-udp" else 0)


def underlay_split(length, family):
    """(packets, largest packet) for one outer IP packet of `length` bytes at HOST_MTU.
    IPv4: the grid never exceeds the MTU, one packet (any fragment is a mismatch).
    IPv6: the sending host fragments: ceil((L - 40) / 1448) packets, the first 1496."""
    if family == "ipv4" or length <= HOST_MTU:
        return 1, length
    return -(-(length - 40) // IPV6_FRAGMENT_DATA), 40 + 8 + IPV6_FRAGMENT_DATA


def expected_wire(payload, pod_mtu, series, family):
    """Per datagram: underlay packets, underlay IP fragments, largest packet."""
    packets = fragments = largest = 0
    for inner in pod_pieces(payload, pod_mtu):
        n, big = underlay_split(outer_ip_length(inner, series, family), family)
        packets += n
        fragments += n if n > 1 else 0
        largest = max(largest, big)
    return packets, fragments, largest


def largest_payload_in_one_packet(series, family="ipv4"):
    inner = HOST_MTU - 38 - OUTER_IP[family]
    while outer_ip_length(inner, series, family) > HOST_MTU:
        inner -= 1
    return inner - 28


def pod_steps(pod_mtu):
    """Payloads after which the pod sends one more piece."""
    return [p for p in range(1, LARGEST_SIZE)
            if expected_pieces(p + 1, pod_mtu) != expected_pieces(p, pod_mtu)]


def host_steps(pod_mtu, series, family):
    """Payloads after which the underlay packet count grows with the same pod pieces:
    a piece's ESP packet passes HOST_MTU and the (IPv6) host fragments it."""
    return [p for p in range(1, LARGEST_SIZE)
            if expected_pieces(p + 1, pod_mtu) == expected_pieces(p, pod_mtu)
            and expected_wire(p + 1, pod_mtu, series, family)[0]
            != expected_wire(p, pod_mtu, series, family)[0]]


def sizes_for(pod_mtu):
    """Payload sizes around the pod's own steps (the same for every family)."""
    whole = pod_mtu - 28  # largest UDP payload the pod sends unfragmented
    chunk = chunk_of(pod_mtu)
    # The oracle attributes a packet to its flow by a whole 16-byte marker, so
    # the sizes past each pod step leave at least 31 payload bytes in the last piece.
    past = 31
    return sorted({200, 800, whole - 1, whole, whole + past, chunk * 2 - 8, chunk * 2 - 8 + past,
                   LARGEST_SIZE})


def host_step_sizes_for(pod_mtu):
    """Both sides of every step where the host fragments (IPv6 ESP), for every family
    alike; the pod pieces there are large, so the marker rule holds."""
    sizes = set()
    for family in FAMILIES:
        for series in SERIES:
            for p in host_steps(pod_mtu, series, family):
                sizes |= {p, p + 1}
    return sorted(sizes - set(sizes_for(pod_mtu)))


def scenario(family, pod_mtu, series, loss, sizes):
    flows = "".join(
        f"  - {{name: s{size}, from: a, to: b, port: {10000 + i}, packets: {PACKETS}, "
        f"size: {size}, interval: {INTERVAL}}}\n"
        for i, size in enumerate(sizes))
    loss_line = f"  link_loss: {loss}\n" if loss > 0 else ""
    family_line = "  ip_family: ipv6\n" if family == "ipv6" else ""
    return (f"name: sweep-{family}-{pod_mtu}-{series}-{loss}-{sizes[0]}\nseed: 5\ncluster:\n"
            f"  version: \"{VERSION}\"\n{family_line}"
            f"  host_mtu: {HOST_MTU}\n  cluster_mtu: {pod_mtu}\n{loss_line}"
            f"  pools:\n    - {{name: worker, nodes: {NODES}}}\n{SERIES[series]}"
            f"pods:\n  - {{name: a, node: worker-0}}\n  - {{name: b, node: worker-1}}\n"
            f"flows:\n{flows}")


def udp_runs():
    """(family, pod MTU, series, loss, sizes) of each UDP run."""
    return [(family, pod_mtu, series, loss, sizes)
            for family, pod_mtu, series, loss in itertools.product(FAMILIES, POD_MTUS, SERIES,
                                                                   LOSSES)
            for sizes in (sizes_for(pod_mtu), host_step_sizes_for(pod_mtu)) if sizes]


def tcp_runs():
    return list(itertools.product(FAMILIES, SERIES, TCP_POD_MTUS))


def run_all(ipsecsim, workdir, progress):
    rows = []
    for family, pod_mtu, series, loss, sizes in udp_runs():
        name = f"sweep-{family}-{pod_mtu}-{series}-{loss}-{sizes[0]}"
        path = os.path.join(workdir, name + ".yaml")
        with open(path, "w") as f:
            f.write(scenario(family, pod_mtu, series, loss, sizes))
        out = os.path.join(workdir, "out", name)
        subprocess.run([ipsecsim, "run", path, "--out", os.path.dirname(out)], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
        if report.get("ip_family", family) != family:
            sys.exit(f"{name}: report says ip_family {report['ip_family']}")
        for flow in report["flows"]:
            w = flow["wire"]
            rows.append({
                "family": family,
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
        progress.tick(name)
    return rows


def check(rows):
    """The measured steps and sizes must be exactly the arithmetic's."""
    problems = []
    for r in rows:
        k, fragments, largest = expected_wire(r["payload"], r["pod_mtu"], r["protection"],
                                              r["family"])
        if r["loss"] == 0:
            if r["packets_per_datagram"] != k:
                problems.append(f"{r}: {k} packets per datagram expected")
            if r["delivered_fraction"] != 1.0:
                problems.append(f"{r}: lossless run lost packets")
            if r["largest_packet"] != largest:
                problems.append(f"{r}: largest packet {largest} expected")
        # Counted where packets enter the underlay, before the loss: exact in every row.
        if r["ip_fragments"] != fragments * r["sent"]:
            problems.append(f"{r}: {fragments * r['sent']} underlay fragments expected")
        expected = (1 - r["loss"]) ** (LOSSY_HOPS * k)
        tolerance = 4 * (expected * (1 - expected) / PACKETS) ** 0.5 + 0.02
        if abs(r["delivered_fraction"] - expected) > tolerance:
            problems.append(f"{r}: delivered {r['delivered_fraction']:.3f}, "
                            f"(1-p)^k = {expected:.3f}")
    return problems


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    panels = [(f, m) for f in FAMILIES for m in POD_MTUS]
    fig, axes = plt.subplots(len(panels), 4, figsize=(22, 4.6 * len(panels)), squeeze=False)
    # Measured: markers (big hollow to small filled, so coinciding series stay visible);
    # the arithmetic: thin lines computed at every payload.
    markers = {"off": ("o", 10, "none"), "esp": ("s", 6, "full"), "esp-in-udp": ("^", 4, "full")}
    colors = {"off": "C0", "esp": "C1", "esp-in-udp": "C2"}
    every = range(150, LARGEST_SIZE + 1)
    for i, (family, pod_mtu) in enumerate(panels):
        ax_goodput, ax_packets, ax_zoom, ax_delivered = axes[i]
        whole = pod_mtu - 28
        steps = {s: host_steps(pod_mtu, s, family) for s in SERIES}
        first = min([whole] + [p for ps in steps.values() for p in ps])
        zoom = (first - 25, whole + 40)
        for series in SERIES:
            marker, size, fill = markers[series]
            style = dict(marker=marker, markersize=size, fillstyle=fill, color=colors[series])
            k = [expected_wire(p, pod_mtu, series, family)[0] for p in every]
            for ax in (ax_packets, ax_zoom):
                ax.plot(every, k, "-", drawstyle="steps-mid", color=colors[series], linewidth=0.8,
                        alpha=0.7,
                        label=f"{series}: arithmetic")
            ax_delivered.plot(every, [(1 - LOSSES[-1]) ** (LOSSY_HOPS * n) for n in k], "-",
                              drawstyle="steps-mid",
                              color=colors[series], linewidth=0.8, alpha=0.7,
                              label=f"{series}: (1-{LOSSES[-1]:g})^k")
            for loss in LOSSES:
                pts = sorted((r for r in rows if r["family"] == family and
                              r["pod_mtu"] == pod_mtu and r["protection"] == series and
                              r["loss"] == loss), key=lambda r: r["payload"])
                x = [r["payload"] for r in pts]
                if loss == 0:
                    ax_goodput.plot(x, [r["goodput"] for r in pts], linestyle="-",
                                    label=series, **style)
                    for ax in (ax_packets, ax_zoom):
                        ax.plot(x, [r["packets_per_datagram"] for r in pts], linestyle="none",
                                label=f"{series}: measured", **style)
                ax_delivered.plot(x, [r["delivered_fraction"] for r in pts], linestyle="none",
                                  alpha=0.35 if loss == 0 else 1.0,
                                  label=f"{series}, loss {loss:g}: measured", **style)
        for ax in axes[i]:
            for j, p in enumerate(pod_steps(pod_mtu)):
                ax.axvline(p + 0.5, color="grey", linestyle=":",
                           label="pod cuts one more piece above" if j == 0 else None)
            for series, ps in steps.items():
                for j, p in enumerate(ps):
                    ax.axvline(p + 0.5, color=colors[series], linestyle="--", linewidth=1,
                               label=f"{series}: host fragments above" if j == 0 else None)
        ax_zoom.set_xlim(*zoom)
        labels = [(p, "pod", "grey") for p in pod_steps(pod_mtu)]
        labels += [(p, series, colors[series]) for series, ps in steps.items() for p in ps]
        for p, what, color in labels:
            if zoom[0] < p < zoom[1]:
                ax_zoom.annotate(f"{what} > {p}", (p + 0.5, 0.02),
                                 xycoords=("data", "axes fraction"), rotation=90, fontsize=8,
                                 va="bottom", ha="right", color=color)
        where = f"{family} underlay {HOST_MTU}, pod MTU {pod_mtu}"
        for ax, title in zip(axes[i], ["goodput (payload / wire bytes), lossless",
                                       "underlay packets per datagram (k)",
                                       "k, zoom on the first steps",
                                       "delivered fraction"]):
            ax.set_title(f"{where}: {title}", fontsize=10)
            ax.set_xlabel("UDP payload (bytes)")
            ax.grid(alpha=0.25)
        ax_goodput.legend(fontsize=7, loc="lower right")
        ax_packets.legend(fontsize=7, loc="upper left")
        ax_zoom.legend(fontsize=7, loc="upper left")
        ax_delivered.legend(fontsize=6, loc="lower left", ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


# TCP: one bulk flow per pod MTU. Linux sizes every full segment to the
# route's MTU (MSS = MTU - 40, less 12 for the timestamp option) and sets DF,
# so the pod never fragments and the overhead falls as the pod MTU grows.
TCP_POD_MTUS = [1200, 1300, 1354, 1400]
TCP_WRITES, TCP_WRITE = 20, 20000


def tcp_scenario(family, pod_mtu, series):
    family_line = "  ip_family: ipv6\n" if family == "ipv6" else ""
    return (f"name: sweep-tcp-{family}-{pod_mtu}-{series}\nseed: 5\ncluster:\n"
            f"  version: \"{VERSION}\"\n{family_line}"
            f"  host_mtu: {HOST_MTU}\n  cluster_mtu: {pod_mtu}\n"
            f"  pools:\n    - {{name: worker, nodes: {NODES}}}\n{SERIES[series]}"
            f"pods:\n  - {{name: a, node: worker-0}}\n  - {{name: b, node: worker-1}}\n"
            f"flows:\n  - {{name: bulk, from: a, to: b, protocol: tcp, port: 9000, "
            f"packets: {TCP_WRITES}, size: {TCP_WRITE}}}\n")


def run_tcp(ipsecsim, workdir, progress):
    rows = []
    for family, series, pod_mtu in tcp_runs():
        name = f"sweep-tcp-{family}-{pod_mtu}-{series}"
        path = os.path.join(workdir, name + ".yaml")
        with open(path, "w") as f:
            f.write(tcp_scenario(family, pod_mtu, series))
        out = os.path.join(workdir, "out", name)
        subprocess.run([ipsecsim, "run", path, "--out", os.path.dirname(out)], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "report.json")) as f:
            flow = json.load(f)["flows"][0]
        w = flow["wire"]
        rows.append({"family": family, "pod_mtu": pod_mtu, "protection": series,
                     "delivered_bytes": flow["bytes_delivered"],
                     "wire_bytes": w["wire_bytes"],
                     "overhead": w["wire_bytes_per_payload_byte"],
                     "underlay_packets": w["underlay_packets"],
                     "ip_fragments": w["ip_fragments"],
                     "largest_packet": w["largest_packet"]})
        progress.tick(name)
    return rows


def check_tcp(rows):
    """No IPv4 TCP row fragments, all deliver, and the overhead falls with the pod MTU
    wherever the underlay does not fragment (an IPv6 host fragments ESP packets over
    1500 bytes: that is the tunnel, not TCP)."""
    problems = []
    for r in rows:
        if r["delivered_bytes"] != TCP_WRITES * TCP_WRITE:
            problems.append(f"tcp {r}: not all delivered")
        if r["family"] == "ipv4" and r["ip_fragments"] != 0:
            problems.append(f"tcp {r}: IP fragments")
    for family, series in itertools.product(FAMILIES, SERIES):
        cell = sorted((r for r in rows if r["family"] == family and r["protection"] == series
                       and r["ip_fragments"] == 0), key=lambda r: r["pod_mtu"])
        for lower, higher in zip(cell, cell[1:]):
            if higher["overhead"] > lower["overhead"]:
                problems.append(f"tcp {family} {series}: overhead rises from pod MTU "
                                f"{lower['pod_mtu']} to {higher['pod_mtu']}")
    return problems


def configure(args):
    """The sweep's grid from the command line; the functions above read it."""
    global HOST_MTU, FAMILIES, VERSION, POD_MTUS, LOSSES, PACKETS, NODES, TCP_POD_MTUS
    global IPV6_FRAGMENT_DATA, LARGEST_SIZE
    HOST_MTU = args.underlay_mtu
    FAMILIES = args.families
    VERSION = args.version
    POD_MTUS = args.pod_mtus or [HOST_MTU - 100, HOST_MTU - 146]
    TCP_POD_MTUS = args.tcp_pod_mtus or [HOST_MTU - d for d in (300, 200, 146, 100)]
    LOSSES = args.losses
    PACKETS = args.packets
    NODES = args.nodes
    IPV6_FRAGMENT_DATA = (HOST_MTU - 40 - 8) // 8 * 8
    # Past the pod's second step at any MTU (4000 at 1500).
    LARGEST_SIZE = max(4000, 2 * HOST_MTU + 1000)


def parse_args(argv=None):
    parser = study_options.parser_for(__doc__)
    study_options.add_common(parser, "results/mtu", None)
    parser.add_argument("--underlay-mtu", type=int, default=HOST_MTU,
                        help="the nodes' MTU, cluster.host_mtu (default: %(default)s)")
    parser.add_argument("--pod-mtus", type=study_options.int_list, metavar="MTU,...",
                        help="pod MTUs of the UDP grid, cluster.cluster_mtu (default: the "
                             "underlay MTU less 100 and less 146)")
    parser.add_argument("--tcp-pod-mtus", type=study_options.int_list, metavar="MTU,...",
                        help="pod MTUs of the TCP flows (default: the underlay MTU less 300, "
                             "200, 146 and 100)")
    parser.add_argument("--families", type=lambda t: t.split(","), default=FAMILIES,
                        metavar="FAMILY,...",
                        help="underlay families, ipv4 and/or ipv6 (default: %s)" %
                             ",".join(FAMILIES))
    parser.add_argument("--losses", type=study_options.float_list, default=LOSSES,
                        metavar="P,...",
                        help="cluster.link_loss values; the last one draws the (1-p)^k curve "
                             "(default: %s)" % ",".join(f"{v:g}" for v in LOSSES))
    parser.add_argument("--packets", type=int, default=PACKETS,
                        help="datagrams per size and run (default: %(default)s)")
    parser.add_argument("--nodes", type=int, default=NODES,
                        help="worker nodes; the flows go from worker-0 to worker-1 "
                             "(default: %(default)s)")
    parser.add_argument("--version", default=VERSION,
                        help="the cluster's OpenShift version; ESP in UDP 4500 needs 4.16 "
                             "(default: %(default)s)")
    args = parser.parse_args(argv)
    if args.nodes < 2:
        parser.error("--nodes must be at least 2")
    if any(f not in OUTER_IP for f in args.families):
        parser.error(f"--families: expected ipv4 and/or ipv6, got {','.join(args.families)}")
    if not args.losses or any(not 0 <= p < 0.5 for p in args.losses):
        parser.error("--losses: expected probabilities from 0 to below 0.5")
    return args


def main():
    args = parse_args()
    configure(args)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ipsecsim-mtu-") as workdir:
        progress = study_progress.Progress(len(udp_runs()) + len(tcp_runs()), args.progress)
        rows = run_all(os.path.abspath(args.ipsecsim), workdir, progress)
        tcp_rows = run_tcp(os.path.abspath(args.ipsecsim), workdir, progress)
        progress.close()
    wall = time.monotonic() - started
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "sweep.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with open(os.path.join(args.out, "tcp.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(tcp_rows[0]))
        writer.writeheader()
        writer.writerows(tcp_rows)
    for r in tcp_rows:
        print(f"tcp {r['family']} {r['protection']:10s} pod MTU {r['pod_mtu']}: overhead "
              f"{r['overhead']:.4f}, {r['ip_fragments']} fragments, largest {r['largest_packet']}")
    plot(rows, os.path.join(args.out, "mtu.png"))
    for family in FAMILIES:
        for series in SERIES:
            print(f"largest UDP payload in one {HOST_MTU}-byte {family} underlay packet, "
                  f"{series}: {largest_payload_in_one_packet(series, family)}")
    for family in FAMILIES:
        for pod_mtu in POD_MTUS:
            for series in SERIES:
                steps = host_steps(pod_mtu, series, family)
                if steps:
                    print(f"{family}, pod MTU {pod_mtu}, {series}: the host fragments one more "
                          f"piece above {', '.join(map(str, steps))} bytes of UDP payload")
    for pod_mtu in POD_MTUS:
        print(f"pod MTU {pod_mtu}: the pod fragments above {pod_mtu - 28} bytes of UDP payload")
    print(f"{len(rows)} flows, wall time {wall:.1f} s")
    problems = check(rows) + check_tcp(tcp_rows)
    for p in problems:
        print("MISMATCH", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
