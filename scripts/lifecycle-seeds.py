#!/usr/bin/python3
"""Every lifecycle reference scenario over many seeds: how much of what each
shows depends on the timings.

The seed draws the pod-start and reboot jitters, so one seed is one
realisation of the timings. Each run is the scenario as committed (`ipsecsim
run --seed N`); its expectations are ignored here (they state seed 1). Writes
OUT/seeds.csv (one row per run, saved as runs finish) and summary.csv (per
scenario), and prints the wall time.

example:
    /usr/bin/python3 scripts/lifecycle-seeds.py --seeds 6 scenarios/lifecycle-enable-after-install.yaml
"""
import csv
import glob
import json
import os
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import study_options
import study_progress


def run_one(job):
    ipsecsim, path, seed = job
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([ipsecsim, "run", path, "--out", tmp, "--seed", str(seed)],
                              capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{path} seed {seed}: exit {done.returncode}: {done.stderr}")
        # DIR/<scenario name>/report.json, the run's only scenario
        with open(glob.glob(os.path.join(tmp, "*", "report.json"))[0]) as f:
            life = json.load(f)["lifecycle"]
    s = life["summary"]
    kinds = [p["cause_kind"] for p in life["pairs"] if p["final"] != "up"]
    return {"scenario": os.path.basename(path)[:-5], "seed": seed, "pairs": s["pairs"],
            "pairs_up": s["pairs_up"], "black_holed_pairs": s["black_holed_pairs"],
            "clear_pairs": s["clear_pairs"], "broken_pairs": s["broken_pairs"],
            "probes_lost": s["probes_lost"], "longest_loss_window": s["longest_loss_window"],
            "rollout_seconds": s["rollout_seconds"],
            "causes": " ".join(sorted(kinds))}


def summarise(rows):
    out = []
    for name in sorted({r["scenario"] for r in rows}):
        g = sorted((r for r in rows if r["scenario"] == name), key=lambda r: r["seed"])
        not_up = [r["pairs"] - r["pairs_up"] - r["clear_pairs"] for r in g]
        out.append({"scenario": name, "seeds": len(g),
                    "seeds_with_a_pair_broken_or_black_holed": sum(1 for n in not_up if n > 0),
                    "pairs_not_up_per_seed": " ".join(str(n) for n in not_up),
                    "max_pairs_not_up": max(not_up),
                    "seeds_all_clear": sum(1 for r in g if r["clear_pairs"] == r["pairs"]),
                    "mean_probes_lost": round(sum(r["probes_lost"] for r in g) / len(g)),
                    "mean_rollout_seconds": round(sum(r["rollout_seconds"] for r in g) / len(g), 1),
                    "causes": " ".join(sorted({c for r in g for c in r["causes"].split()}))})
    return out


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main():
    parser = study_options.parser_for(__doc__)
    study_options.add_common(parser, "results/lifecycle-seeds", 2)
    parser.add_argument("--seeds", type=int, default=20,
                        help="how many seeds for every scenario, from --first-seed (default: %(default)s)")
    parser.add_argument("--first-seed", type=int, default=1,
                        help="the first seed, to extend a study (default: %(default)s)")
    parser.add_argument("scenarios", nargs="*", default=sorted(glob.glob("scenarios/lifecycle-*.yaml")),
                        metavar="SCENARIO",
                        help="lifecycle scenario files (default: scenarios/lifecycle-*.yaml)")
    args = parser.parse_args()
    ipsecsim = os.path.abspath(args.ipsecsim)
    jobs = [(ipsecsim, os.path.abspath(p), seed) for p in args.scenarios
            for seed in range(args.first_seed, args.first_seed + args.seeds)]
    started = time.monotonic()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    # Seed by seed across the scenarios, and saved as they finish: a run cut
    # short still leaves whole seeds of every scenario.
    jobs.sort(key=lambda j: (j[2], j[1]))
    progress = study_progress.Progress(len(jobs), args.progress)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for row in pool.map(run_one, jobs):
            rows.append(row)
            write_csv(os.path.join(args.out, "seeds.csv"), rows)
            progress.tick(f"{row['scenario']} seed {row['seed']}")
    progress.close()
    wall = time.monotonic() - started
    rows.sort(key=lambda r: (r["scenario"], r["seed"]))
    write_csv(os.path.join(args.out, "seeds.csv"), rows)
    summary = summarise(rows)
    write_csv(os.path.join(args.out, "summary.csv"), summary)
    for r in summary:
        print(f"{r['scenario']}: {r['seeds_with_a_pair_broken_or_black_holed']}/{r['seeds']} seeds "
              f"with a pair broken or black-holed (per seed: {r['pairs_not_up_per_seed']}); "
              f"all clear in {r['seeds_all_clear']}; causes: {r['causes'] or '-'}")
    print(f"{len(jobs)} runs in {wall:.0f} s wall with {args.workers} workers")


if __name__ == "__main__":
    main()
