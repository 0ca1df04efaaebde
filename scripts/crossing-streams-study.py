#!/usr/bin/python3
"""Crossing-streams study: how often a pair is left without its SAs when every
node's pluto starts at once, against cluster size, start spread and libreswan.

A cluster installed with IPsec on, where every node's ovn-ipsec-containerized
pod starts its pluto within SPREAD seconds of the others (pod_start_jitter),
and both ends start both connections of every pair: the situation of
libreswan issue #1903. For each node count and spread, many seeds, with each
libreswan build (4.6 has the crossing-streams defect, 5.x does not). Writes
OUT/study.csv (one row per run), summary.csv and study.png, and prints the
wall time. The runs are an ipsecsim.sweep_grid of the module built beside
--ipsecsim; with --dask, they go to a Dask distributed scheduler, whose
workers need that module on their PYTHONPATH.

example:
    /usr/bin/python3 scripts/crossing-streams-study.py --plan 4s=3:4,10:2 --plan 0s=5:4
"""
import argparse
import csv
import math
import os
import time

import study_options
import study_progress

# (nodes, seeds) per spread.
PLAN = {"0s": [(3, 20), (5, 20), (10, 10), (20, 5), (30, 3), (50, 2)],
        "4s": [(3, 30), (5, 20), (10, 20), (20, 10), (30, 4), (50, 2)],
        "16s": [(3, 20), (10, 10), (20, 5)]}
QUICK_PLAN = {"4s": [(3, 4), (10, 2)]}
BUILDS = ("4.6", "5.x")
VERSION = "4.14"
MASTERS = 3
DURATION = "150s"
POD_START = "8s"
# libreswan/libreswan#1903: P(at least one SA not established) with every
# node starting at once, libreswan 4.6 - 4.15.
ISSUE_1903 = [(3, 1 / 30, 1 / 20), (10, 0.5, 0.5), (20, 1.0, 1.0), (50, 1.0, 1.0)]


def scenario(nodes, spread, build, shape):
    version, masters, duration, pod_start = shape
    masters = min(masters, nodes)
    workers = nodes - masters
    pools = f"    - {{name: master, nodes: {masters}}}\n"
    if workers:
        pools += f"    - {{name: worker, nodes: {workers}}}\n"
    unshipped = "  libreswan_unshipped: true\n" if build == "5.x" else ""
    return (
        f"name: crossing-{nodes}-{spread}-{build}\n"
        f"duration: {duration}\n"
        "cluster:\n"
        f"  version: \"{version}\"\n"
        "  pools:\n" + pools +
        "  ipsec: {}\n"
        "lifecycle:\n"
        f"  libreswan: \"{build}\"\n" + unshipped +
        "  modelled_crypto: true\n"
        "  probes: {interval: 0s}\n"
        "  sample_interval: 5s\n"
        f"  daemonset: {{pod_start: {pod_start}, pod_start_jitter: {spread}}}\n")


def study_row(row):
    """The study's columns of one row of ipsecsim.sweep_grid."""
    s, kinds = study_options.lifecycle_of(row)
    return {"nodes": row["nodes"], "spread": row["spread"], "libreswan": row["build"],
            "seed": row["seed"],
            "pairs": s["pairs"], "pairs_up": s["pairs_up"], "broken_pairs": s["broken_pairs"],
            "black_holed_pairs": s["black_holed_pairs"],
            "not_up": s["pairs"] - s["pairs_up"],
            "crossing_streams": kinds.count("crossing-streams"),
            "wall_seconds": round(row["wall_seconds"], 2)}


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def summarise(rows):
    out = []
    keys = sorted({(r["libreswan"], r["spread"], r["nodes"]) for r in rows},
                  key=lambda k: (k[0], float(k[1].rstrip("s")), k[2]))
    for build, spread, nodes in keys:
        g = [r for r in rows if (r["libreswan"], r["spread"], r["nodes"]) == (build, spread, nodes)]
        k = sum(1 for r in g if r["not_up"] > 0)
        low, high = wilson(k, len(g))
        out.append({"libreswan": build, "spread": spread, "nodes": nodes, "runs": len(g),
                    "runs_with_a_pair_not_up": k, "p": round(k / len(g), 3),
                    "p_low": round(low, 3), "p_high": round(high, 3),
                    "mean_pairs_not_up": round(sum(r["not_up"] for r in g) / len(g), 2),
                    "mean_broken_pairs": round(sum(r["broken_pairs"] for r in g) / len(g), 2)})
    return out


def plot(summary, path, builds=BUILDS, version=VERSION):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 4.5))
    styles = {"4.6": ("#c62828", "o-"), "5.x": ("#2e7d32", "s--")}
    for number, build in enumerate(builds):
        for spread in sorted({r["spread"] for r in summary}, key=lambda s: float(s.rstrip("s"))):
            s = [r for r in summary if r["libreswan"] == build and r["spread"] == spread]
            if not s:
                continue
            colour, fmt = styles.get(build, (f"C{number}", "d-."))
            alpha = {"0s": 1.0, "4s": 0.7, "16s": 0.4}.get(spread, 0.8)
            err = [[r["p"] - r["p_low"] for r in s], [r["p_high"] - r["p"] for r in s]]
            ax.errorbar([r["nodes"] for r in s], [r["p"] for r in s], yerr=err, fmt=fmt,
                        color=colour, alpha=alpha, capsize=3,
                        label=f"libreswan {build}, starts within {spread}")
    for nodes, low, high in ISSUE_1903:
        ax.plot([nodes, nodes], [low, high], color="black", lw=3)
    ax.plot([n for n, _, _ in ISSUE_1903], [(lo + hi) / 2 for _, lo, hi in ISSUE_1903], "k*",
            ms=10, label="libreswan #1903 (4.6-4.15, all at once)")
    ax.set_xlabel("nodes")
    ax.set_ylabel("P(at least one pair not up)")
    ax.set_ylim(-0.05, 1.05)
    ax.set_title(f"Every node's pluto starts at once ({version} install, both ends initiate)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def spread_plan(text):
    """'4s=3:30,10:20' -> ('4s', [(3, 30), (10, 20)])."""
    spread, sep, sizes = text.partition("=")
    if not sep or not spread.endswith("s"):
        raise argparse.ArgumentTypeError(
            f"expected SPREAD=NODES:SEEDS,... such as 4s=3:30,10:20, got '{text}'")
    return spread, study_options.plan(sizes)


def plan_help(plan):
    return " ".join(f"{spread}={study_options.plan_text(sizes)}" for spread, sizes in plan.items())


def main():
    parser = study_options.parser_for(__doc__)
    study_options.add_common(parser, "results/crossing-streams", 2)
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="address of a Dask distributed scheduler, such as "
                             "tcp://scheduler:8786 (default: local processes)")
    parser.add_argument("--plan", type=spread_plan, action="append", metavar="SPREAD=NODES:SEEDS,...",
                        help="a start spread and its cluster sizes with seeds per size; repeat "
                             f"for more spreads (default: {plan_help(PLAN)})")
    parser.add_argument("--quick", action="store_true",
                        help=f"the plan {plan_help(QUICK_PLAN)}, for a smoke test")
    parser.add_argument("--max-nodes", type=int, default=1000,
                        help="leave out clusters larger than this (default: %(default)s)")
    parser.add_argument("--masters", type=int, default=MASTERS,
                        help="master nodes; the rest of each size are workers "
                             "(default: %(default)s)")
    parser.add_argument("--builds", default=",".join(BUILDS), metavar="BUILD,...",
                        help="libreswan builds, each run on every size (default: %(default)s)")
    parser.add_argument("--version", default=VERSION,
                        help="the cluster's OpenShift version (default: %(default)s)")
    parser.add_argument("--duration", default=DURATION,
                        help="simulated time of each run (default: %(default)s)")
    parser.add_argument("--pod-start", default=POD_START,
                        help="time from pod creation to pluto's start (default: %(default)s)")
    args = parser.parse_args()
    ipsecsim = study_options.import_ipsecsim(args.ipsecsim)
    plan = QUICK_PLAN if args.quick else dict(args.plan) if args.plan else PLAN
    builds = args.builds.split(",")
    shape = (args.version, args.masters, args.duration, args.pod_start)
    points = [{"nodes": nodes, "spread": spread, "build": build, "seed": seed}
              for spread, sizes in plan.items() for nodes, seeds in sizes
              if nodes <= args.max_nodes for build in builds for seed in range(1, seeds + 1)]
    points.sort(key=lambda p: -p["nodes"])
    started = time.monotonic()
    rows = ipsecsim.sweep_grid(
        lambda **p: scenario(p["nodes"], p["spread"], p["build"], shape),
        points, dask=args.dask, processes=None if args.dask else args.workers,
        progress=study_progress.Progress(len(points), args.progress))
    rows = [study_row(r) for r in rows]
    wall = time.monotonic() - started
    rows.sort(key=lambda r: (r["libreswan"], r["spread"], r["nodes"], r["seed"]))
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "study.csv"), rows)
    summary = summarise(rows)
    write_csv(os.path.join(args.out, "summary.csv"), summary)
    plot(summary, os.path.join(args.out, "study.png"), builds, args.version)
    for r in summary:
        print(f"libreswan {r['libreswan']} spread {r['spread']:>4} {r['nodes']:3} nodes: "
              f"{r['runs_with_a_pair_not_up']}/{r['runs']} runs with a pair not up "
              f"(P {r['p']:.2f} [{r['p_low']:.2f}, {r['p_high']:.2f}]), "
              f"mean {r['mean_pairs_not_up']} pairs")
    print(f"{len(points)} runs in {wall:.0f} s wall with {args.workers} workers")


if __name__ == "__main__":
    main()
