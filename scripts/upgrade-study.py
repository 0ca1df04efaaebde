#!/usr/bin/python3
"""Upgrade study: the update from 4.14 to 4.15 z-streams with IPsec on, against
cluster size, many seeds each.

By default the update is 4.14.12 -> three 4.15 z-streams (4.15.0: create-wait
and a flush at every host pod start; 4.15.42: PR #2596, no flush at start;
4.15.49: PR #2658, restarts only when needed), with the stock daemons and with
the vendor's fixed ones, for clusters of 3 to 50 nodes. Each run is `ipsecsim
run` on a generated lifecycle scenario (modelled crypto, no probes: the
per-pair SA state is read from the kernels). Writes OUT/study.csv (one row per
run), summary.csv, causes.csv and study.png, and prints the wall time.

The runs are an ipsecsim.sweep_grid of the module built beside --ipsecsim;
with --dask, they go to a Dask distributed scheduler (python3-distributed),
whose workers need that module on their PYTHONPATH.

example:
    /usr/bin/python3 scripts/upgrade-study.py --plan 3:4,5:4 --variants 4.15.0:stock,4.15.49:fixed
"""
import argparse
import csv
import math
import os
import time

import study_options
import study_progress

# (nodes, seeds): more seeds where a run is cheap.
PLAN = [(3, 20), (5, 20), (8, 20), (12, 12), (20, 6), (30, 3), (50, 2)]
QUICK_PLAN = [(3, 4), (5, 4), (8, 2)]
FROM = "4.14.12"  # the newest 4.14 z-stream when 4.15.0 shipped
# (target z-stream, daemons); --variants replaces them.
VARIANTS = [("4.15.0", "stock"), ("4.15.42", "stock"), ("4.15.49", "stock"),
            ("4.15.0", "fixed"), ("4.15.49", "fixed")]
MASTERS = 3
CAUSES = ("crossing-streams", "flush-under-pluto", "stale-sa", "ipsec-off", "clear", "no-sa")


def scenario(nodes, target, fixes, source=FROM, masters=MASTERS):
    masters = min(masters, nodes)
    workers = nodes - masters
    pools = f"    - {{name: master, nodes: {masters}}}\n"
    if workers:
        pools += f"    - {{name: worker, nodes: {workers}}}\n"
    return (
        f"name: upgrade-{nodes}-{target}-{fixes}\n"
        "cluster:\n"
        f"  version: \"{source}\"\n"
        "  pools:\n" + pools +
        "  ipsec: {}\n"
        "lifecycle:\n"
        f"  daemon_fixes: {fixes}\n"
        "  modelled_crypto: true\n"
        "  probes: {interval: 0s}\n"
        "  sample_interval: 5s\n"
        "  settle: 60s\n"
        "  procedure:\n"
        "    start: 60s\n"
        "    steps:\n"
        f"      - {{upgrade: \"{target}\"}}\n")


def study_row(row):
    """The study's columns of one row of ipsecsim.sweep_grid."""
    report, kinds = study_options.lifecycle_of(row)
    return {"nodes": row["nodes"], "to": row["target"], "daemons": row["fixes"],
            "seed": row["seed"],
            "rollout_seconds": report["rollout_seconds"],
            "pairs": report["pairs"], "pairs_up": report["pairs_up"],
            "broken_pairs": report["broken_pairs"],
            "black_holed_pairs": report["black_holed_pairs"],
            "pairs_ever_black_holed": report["pairs_ever_black_holed"],
            "clear_pairs": report["clear_pairs"],
            "not_up": report["pairs"] - report["pairs_up"],
            "black_holed_pair_seconds": round(report["black_holed_pair_seconds"], 1),
            "clear_pair_seconds": round(report["clear_pair_seconds"], 1),
            **{c: kinds.count(c) for c in CAUSES},
            "wall_seconds": round(row["wall_seconds"], 2)}


def wilson(k, n, z=1.96):
    """95 % Wilson score interval of a proportion k/n."""
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def summarise(rows, variants=VARIANTS):
    out = []
    for target, fixes in variants:
        for nodes in sorted({r["nodes"] for r in rows}):
            group = [r for r in rows
                     if r["nodes"] == nodes and r["daemons"] == fixes and r["to"] == target]
            if not group:
                continue
            bad = sum(1 for r in group if r["not_up"] > 0)
            broken = sum(1 for r in group if r["broken_pairs"] > 0)
            low, high = wilson(bad, len(group))
            out.append({"to": target, "daemons": fixes, "nodes": nodes, "runs": len(group),
                        "runs_with_a_pair_not_up": bad,
                        "runs_with_a_broken_pair": broken,
                        "p_not_up": round(bad / len(group), 3),
                        "p_low": round(low, 3), "p_high": round(high, 3),
                        "mean_pairs_not_up": round(sum(r["not_up"] for r in group) / len(group), 2),
                        "mean_fraction_not_up": round(sum(r["not_up"] / r["pairs"]
                                                          for r in group) / len(group), 3),
                        "mean_rollout_seconds": round(sum(r["rollout_seconds"] for r in group)
                                                      / len(group), 1)})
    return out


def causes(rows, variants=VARIANTS):
    out = []
    for target, fixes in variants:
        group = [r for r in rows if r["daemons"] == fixes and r["to"] == target]
        if group:
            out.append({"to": target, "daemons": fixes, "runs": len(group),
                        "pairs_not_up": sum(r["not_up"] for r in group),
                        **{c: sum(r[c] for r in group) for c in CAUSES}})
    return out


COLOURS = {("4.15.0", "stock"): "#c62828", ("4.15.42", "stock"): "#ef6c00",
           ("4.15.49", "stock"): "#6a1b9a", ("4.15.0", "fixed"): "#2e7d32",
           ("4.15.49", "fixed"): "#1565c0"}


def plot(summary, path, variants=VARIANTS, source=FROM, masters=MASTERS):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for number, (target, fixes) in enumerate(variants):
        s = [r for r in summary if r["daemons"] == fixes and r["to"] == target]
        if not s:
            continue
        colour = COLOURS.get((target, fixes), f"C{number}")
        label = f"-> {target}, {fixes}"
        x = [r["nodes"] for r in s]
        left.plot(x, [r["mean_rollout_seconds"] / 60 for r in s], "o-", color=colour, label=label)
        err = [[r["p_not_up"] - r["p_low"] for r in s], [r["p_high"] - r["p_not_up"] for r in s]]
        right.errorbar(x, [r["p_not_up"] for r in s], yerr=err, fmt="o-", color=colour,
                       capsize=3, label=label)
    left.set_xlabel(f"nodes ({masters} masters + workers)")
    left.set_ylabel("rollout of the update (minutes)")
    left.set_title("Rollout time (MCO maxUnavailable 1 per pool)")
    left.legend(fontsize=7)
    right.set_xlabel("nodes")
    right.set_ylim(-0.05, 1.05)
    right.set_ylabel("P(at least one pair not up at the end)")
    right.set_title(f"Update {source} -> " + ", ".join(sorted({t for t, _ in variants})) +
                    " with IPsec on")
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def variant(text):
    target, sep, fixes = text.partition(":")
    if not sep or fixes not in ("stock", "fixed") or not target:
        raise argparse.ArgumentTypeError(
            f"expected Z-STREAM:stock or Z-STREAM:fixed such as 4.15.0:stock, got '{text}'")
    return (target, fixes)


def main():
    parser = study_options.parser_for(__doc__)
    study_options.add_common(parser, "results/upgrade", os.cpu_count() or 2)
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="address of a Dask distributed scheduler, such as "
                             "tcp://scheduler:8786 (default: local processes)")
    parser.add_argument("--plan", type=study_options.plan, default=PLAN, metavar="NODES:SEEDS,...",
                        help="cluster sizes and seeds per size (default: "
                             f"{study_options.plan_text(PLAN)})")
    parser.add_argument("--quick", action="store_true",
                        help=f"the plan {study_options.plan_text(QUICK_PLAN)}, for a smoke test")
    parser.add_argument("--max-nodes", type=int, default=1000,
                        help="leave out clusters larger than this (default: %(default)s)")
    parser.add_argument("--masters", type=int, default=MASTERS,
                        help="master nodes; the rest of each size are workers "
                             "(default: %(default)s)")
    parser.add_argument("--from", dest="source", default=FROM, metavar="VERSION",
                        help="the version installed before the update (default: %(default)s)")
    parser.add_argument("--variants", default=VARIANTS, metavar="Z-STREAM:DAEMONS,...",
                        type=lambda t: [variant(v) for v in t.split(",")],
                        help="update targets and daemons (stock or fixed) (default: " +
                             ",".join(f"{t}:{f}" for t, f in VARIANTS) + ")")
    args = parser.parse_args()
    ipsecsim = study_options.import_ipsecsim(args.ipsecsim)
    plan = QUICK_PLAN if args.quick else args.plan
    points = [{"nodes": nodes, "target": target, "fixes": fixes, "seed": seed}
              for nodes, seeds in plan
              if nodes <= args.max_nodes
              for target, fixes in args.variants for seed in range(1, seeds + 1)]
    # The biggest runs first, so that the pool is not left waiting on one.
    points.sort(key=lambda p: -p["nodes"])
    started = time.monotonic()
    rows = ipsecsim.sweep_grid(
        lambda **p: scenario(p["nodes"], p["target"], p["fixes"], args.source, args.masters),
        points, dask=args.dask, processes=None if args.dask else args.workers,
        progress=study_progress.Progress(len(points), args.progress))
    rows = [study_row(r) for r in rows]
    wall = time.monotonic() - started
    rows.sort(key=lambda r: (r["to"], r["daemons"], r["nodes"], r["seed"]))
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "study.csv"), rows)
    summary = summarise(rows, args.variants)
    write_csv(os.path.join(args.out, "summary.csv"), summary)
    write_csv(os.path.join(args.out, "causes.csv"), causes(rows, args.variants))
    plot(summary, os.path.join(args.out, "study.png"), args.variants, args.source, args.masters)
    for r in summary:
        print(f"-> {r['to']:7} {r['daemons']:5} {r['nodes']:3} nodes: rollout "
              f"{r['mean_rollout_seconds']:7.1f} s, {r['runs_with_a_pair_not_up']}/{r['runs']} runs "
              f"with a pair not up (P {r['p_not_up']:.2f} [{r['p_low']:.2f}, {r['p_high']:.2f}]), "
              f"{r['runs_with_a_broken_pair']} with a broken pair, mean {r['mean_pairs_not_up']} "
              f"pairs not up")
    for c in causes(rows, args.variants):
        print(c)
    print(f"{len(points)} runs in {wall:.0f} s wall with {args.workers} workers")


if __name__ == "__main__":
    main()
