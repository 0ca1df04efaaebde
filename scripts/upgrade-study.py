#!/usr/bin/python3
"""Upgrade study: the 4.14 -> 4.15 update with IPsec on, for clusters of 3 to
50 nodes and many seeds, with the stock daemons and with the vendor's fixed
ones. Each run is `ipsecsim run` on a generated lifecycle scenario (modelled
crypto, no probes: the per-pair SA state is read from the kernels). Writes
results/upgrade/study.csv, study.png and summary.csv, and prints the wall time.

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
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

# (nodes, seeds): more seeds where a run is cheap.
PLAN = [(3, 20), (5, 20), (8, 20), (12, 16), (20, 8), (30, 4), (50, 3)]
QUICK_PLAN = [(3, 4), (5, 4), (8, 2)]


def scenario(nodes, fixes):
    masters = 3
    workers = nodes - masters
    pools = "    - {name: master, nodes: 3}\n"
    if workers:
        pools += f"    - {{name: worker, nodes: {workers}}}\n"
    return (
        f"name: upgrade-{nodes}-{fixes}\n"
        "cluster:\n"
        "  version: \"4.14\"\n"
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
        "      - {upgrade: \"4.15\"}\n")


def run_one(job):
    ipsecsim, nodes, fixes, seed = job
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.yaml")
        with open(path, "w") as f:
            f.write(scenario(nodes, fixes))
        started = time.monotonic()
        done = subprocess.run([ipsecsim, "run", path, "--out", tmp + "/out", "--seed", str(seed)],
                              capture_output=True, text=True)
        wall = time.monotonic() - started
        if done.returncode not in (0, 1):
            raise RuntimeError(f"ipsecsim failed ({done.returncode}): {done.stderr}")
        with open(tmp + "/out/report.json") as f:
            report = json.load(f)["lifecycle"]["summary"]
    return {"nodes": nodes, "daemons": fixes, "seed": seed,
            "rollout_seconds": report["rollout_seconds"],
            "pairs": report["pairs"], "pairs_up": report["pairs_up"],
            "broken_pairs": report["broken_pairs"],
            "black_holed_pairs": report["black_holed_pairs"],
            "pairs_ever_black_holed": report["pairs_ever_black_holed"],
            "black_holed_pair_seconds": round(report["black_holed_pair_seconds"], 1),
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
    for fixes in ("stock", "fixed"):
        for nodes in sorted({r["nodes"] for r in rows}):
            group = [r for r in rows if r["nodes"] == nodes and r["daemons"] == fixes]
            if not group:
                continue
            broken = sum(1 for r in group if r["broken_pairs"] > 0)
            low, high = wilson(broken, len(group))
            out.append({"nodes": nodes, "daemons": fixes, "runs": len(group),
                        "runs_with_a_broken_pair": broken,
                        "p_broken": round(broken / len(group), 3),
                        "p_low": round(low, 3), "p_high": round(high, 3),
                        "mean_broken_fraction": round(sum(r["broken_pairs"] / r["pairs"]
                                                          for r in group) / len(group), 3),
                        "mean_rollout_seconds": round(sum(r["rollout_seconds"] for r in group)
                                                      / len(group), 1)})
    return out


def plot(summary, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for fixes, colour in (("stock", "#c62828"), ("fixed", "#2e7d32")):
        s = [r for r in summary if r["daemons"] == fixes]
        x = [r["nodes"] for r in s]
        left.plot(x, [r["mean_rollout_seconds"] / 60 for r in s], "o-", color=colour, label=fixes)
        p = [r["p_broken"] for r in s]
        err = [[r["p_broken"] - r["p_low"] for r in s], [r["p_high"] - r["p_broken"] for r in s]]
        right.errorbar(x, p, yerr=err, fmt="o-", color=colour, capsize=3,
                       label=f"{fixes}: P(at least one broken pair)")
        right.plot(x, [r["mean_broken_fraction"] for r in s], "x--", color=colour,
                   label=f"{fixes}: mean fraction of pairs broken")
    left.set_xlabel("nodes (3 masters + workers)")
    left.set_ylabel("rollout of the update (minutes)")
    left.set_title("Rollout time (MCO maxUnavailable 1 per pool)")
    left.legend()
    right.set_xlabel("nodes")
    right.set_ylim(-0.05, 1.05)
    right.set_title("Pairs broken while both daemons report up")
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
    args = parser.parse_args()
    ipsecsim = os.path.abspath(args.ipsecsim)
    jobs = [(ipsecsim, nodes, fixes, seed)
            for nodes, seeds in (QUICK_PLAN if args.quick else PLAN)
            for fixes in ("stock", "fixed") for seed in range(1, seeds + 1)]
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
    rows.sort(key=lambda r: (r["daemons"], r["nodes"], r["seed"]))
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "study.csv"), rows)
    summary = summarise(rows)
    write_csv(os.path.join(args.out, "summary.csv"), summary)
    plot(summary, os.path.join(args.out, "study.png"))
    for r in summary:
        print(f"{r['daemons']:5} {r['nodes']:3} nodes: rollout {r['mean_rollout_seconds']:7.1f} s, "
              f"P(broken pair) {r['p_broken']:.2f} [{r['p_low']:.2f}, {r['p_high']:.2f}] "
              f"over {r['runs']} runs, mean fraction broken {r['mean_broken_fraction']:.3f}")
    print(f"{len(jobs)} runs in {wall:.0f} s wall with {args.workers} workers")
    # The fixed daemons must leave no broken pair: a failure here is a finding.
    if any(r["daemons"] == "fixed" and r["runs_with_a_broken_pair"] for r in summary):
        sys.exit("fixed daemons left a broken pair")


if __name__ == "__main__":
    main()
