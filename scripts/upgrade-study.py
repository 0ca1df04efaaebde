#!/usr/bin/python3
"""Upgrade study: the 4.14 -> 4.15 update with IPsec on, for clusters of 3 to
50 nodes and many seeds, to three 4.15 z-streams (4.15.0: create-wait and a
flush at every host pod start; 4.15.42: PR #2596, no flush at start;
4.15.49: PR #2658, restarts only when needed), with the stock daemons and
with the vendor's fixed ones. Each run is `ipsecsim run` on a generated
lifecycle scenario (modelled crypto, no probes: the per-pair SA state is read
from the kernels). Writes results/upgrade/study.csv, study.png, summary.csv
and causes.csv, and prints the wall time.

    /usr/bin/python3 scripts/upgrade-study.py [--ipsecsim build/ipsecsim]
        [--out results/upgrade] [--workers 2] [--dask tcp://scheduler:8786] [--quick]

With --dask, runs go to a Dask distributed scheduler (python3-distributed);
every worker needs the same ipsecsim binary at the same path.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

# (nodes, seeds): more seeds where a run is cheap.
PLAN = [(3, 20), (5, 20), (8, 20), (12, 12), (20, 6), (30, 3), (50, 2)]
QUICK_PLAN = [(3, 4), (5, 4), (8, 2)]
FROM = "4.14.12"  # the newest 4.14 z-stream when 4.15.0 shipped
# (target z-stream, daemons)
VARIANTS = [("4.15.0", "stock"), ("4.15.42", "stock"), ("4.15.49", "stock"),
            ("4.15.0", "fixed"), ("4.15.49", "fixed")]
CAUSES = ("crossing-streams", "flush-under-pluto", "stale-sa", "ipsec-off", "clear", "no-sa")


def scenario(nodes, target, fixes):
    masters = 3
    workers = nodes - masters
    pools = "    - {name: master, nodes: 3}\n"
    if workers:
        pools += f"    - {{name: worker, nodes: {workers}}}\n"
    return (
        f"name: upgrade-{nodes}-{target}-{fixes}\n"
        "cluster:\n"
        f"  version: \"{FROM}\"\n"
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


def run_one(job):
    ipsecsim, nodes, target, fixes, seed = job
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.yaml")
        with open(path, "w") as f:
            f.write(scenario(nodes, target, fixes))
        started = time.monotonic()
        done = subprocess.run([ipsecsim, "run", path, "--out", tmp + "/out", "--seed", str(seed)],
                              capture_output=True, text=True)
        wall = time.monotonic() - started
        if done.returncode not in (0, 1):
            raise RuntimeError(f"ipsecsim failed ({done.returncode}): {done.stderr}")
        # DIR/<scenario name>/report.json, the run's only scenario
        with open(os.path.join(tmp, "out", os.listdir(tmp + "/out")[0], "report.json")) as f:
            life = json.load(f)["lifecycle"]
    report = life["summary"]
    kinds = [p["cause_kind"] for p in life["pairs"] if p["final"] != "up"]
    return {"nodes": nodes, "to": target, "daemons": fixes, "seed": seed,
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
            "wall_seconds": round(wall, 2)}


def wilson(k, n, z=1.96):
    """95 % Wilson score interval of a proportion k/n."""
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def summarise(rows):
    out = []
    for target, fixes in VARIANTS:
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


def causes(rows):
    out = []
    for target, fixes in VARIANTS:
        group = [r for r in rows if r["daemons"] == fixes and r["to"] == target]
        if group:
            out.append({"to": target, "daemons": fixes, "runs": len(group),
                        "pairs_not_up": sum(r["not_up"] for r in group),
                        **{c: sum(r[c] for r in group) for c in CAUSES}})
    return out


COLOURS = {("4.15.0", "stock"): "#c62828", ("4.15.42", "stock"): "#ef6c00",
           ("4.15.49", "stock"): "#6a1b9a", ("4.15.0", "fixed"): "#2e7d32",
           ("4.15.49", "fixed"): "#1565c0"}


def plot(summary, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for target, fixes in VARIANTS:
        s = [r for r in summary if r["daemons"] == fixes and r["to"] == target]
        if not s:
            continue
        colour = COLOURS[(target, fixes)]
        label = f"-> {target}, {fixes}"
        x = [r["nodes"] for r in s]
        left.plot(x, [r["mean_rollout_seconds"] / 60 for r in s], "o-", color=colour, label=label)
        err = [[r["p_not_up"] - r["p_low"] for r in s], [r["p_high"] - r["p_not_up"] for r in s]]
        right.errorbar(x, [r["p_not_up"] for r in s], yerr=err, fmt="o-", color=colour,
                       capsize=3, label=label)
    left.set_xlabel("nodes (3 masters + workers)")
    left.set_ylabel("rollout of the update (minutes)")
    left.set_title("Rollout time (MCO maxUnavailable 1 per pool)")
    left.legend(fontsize=7)
    right.set_xlabel("nodes")
    right.set_ylim(-0.05, 1.05)
    right.set_ylabel("P(at least one pair not up at the end)")
    right.set_title(f"Update {FROM} -> 4.15.z with IPsec on")
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ipsecsim", default="build/ipsecsim")
    parser.add_argument("--out", default="results/upgrade")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--dask", help="address of a Dask distributed scheduler")
    parser.add_argument("--quick", action="store_true", help="a small plan, for a smoke test")
    parser.add_argument("--max-nodes", type=int, default=1000, help="leave out larger clusters")
    args = parser.parse_args()
    ipsecsim = os.path.abspath(args.ipsecsim)
    jobs = [(ipsecsim, nodes, target, fixes, seed)
            for nodes, seeds in (QUICK_PLAN if args.quick else PLAN)
            if nodes <= args.max_nodes
            for target, fixes in VARIANTS for seed in range(1, seeds + 1)]
    # The biggest runs first, so that the pool is not left waiting on one.
    jobs.sort(key=lambda j: -j[1])
    started = time.monotonic()
    if args.dask:
        from distributed import Client
        client = Client(args.dask)
        rows = client.gather(client.map(run_one, jobs, pure=False))
    else:
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            rows = list(pool.map(run_one, jobs))
    wall = time.monotonic() - started
    rows.sort(key=lambda r: (r["to"], r["daemons"], r["nodes"], r["seed"]))
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "study.csv"), rows)
    summary = summarise(rows)
    write_csv(os.path.join(args.out, "summary.csv"), summary)
    write_csv(os.path.join(args.out, "causes.csv"), causes(rows))
    plot(summary, os.path.join(args.out, "study.png"))
    for r in summary:
        print(f"-> {r['to']:7} {r['daemons']:5} {r['nodes']:3} nodes: rollout "
              f"{r['mean_rollout_seconds']:7.1f} s, {r['runs_with_a_pair_not_up']}/{r['runs']} runs "
              f"with a pair not up (P {r['p_not_up']:.2f} [{r['p_low']:.2f}, {r['p_high']:.2f}]), "
              f"{r['runs_with_a_broken_pair']} with a broken pair, mean {r['mean_pairs_not_up']} "
              f"pairs not up")
    for c in causes(rows):
        print(c)
    print(f"{len(jobs)} runs in {wall:.0f} s wall with {args.workers} workers")


if __name__ == "__main__":
    main()
