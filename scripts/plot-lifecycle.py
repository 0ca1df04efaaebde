#!/usr/bin/python3
"""Draws a lifecycle run's timeline: each node pair's SA state over time,
the procedure's events, and the probes lost per second.

    /usr/bin/python3 scripts/plot-lifecycle.py results/<scenario>   # -> timeline.png

Reads DIR/timeline.csv, which `ipsecsim run` writes for scenarios with a
lifecycle section. Needs Debian's python3-matplotlib (use /usr/bin/python3).
"""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {
    "up": "#2e7d32",
    "incomplete": "#f9a825",
    "black-holed": "#c62828",
    "clear": "#90a4ae",
    "node-down": "#212121",
}
STEP_PREFIXES = ("oc patch", "oc delete", "update the cluster")


def load(path):
    pairs = defaultdict(list)
    losses = []
    events = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            start, end = float(row["from"]), float(row["to"])
            if row["kind"] == "pair":
                pairs[(row["a"], row["b"])].append((start, end, row["state"]))
            elif row["kind"] == "loss":
                losses.append((start, end, int(row["packets"])))
            elif row["kind"] == "event":
                events.append((start, row["state"]))
    return pairs, losses, events


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    pairs, losses, events = load(os.path.join(directory, "timeline.csv"))
    if not pairs:
        sys.exit(f"{directory}/timeline.csv has no pair intervals")
    end = max(e for intervals in pairs.values() for _, e, _ in intervals)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(12, 3 + 0.25 * len(pairs)), sharex=True,
        gridspec_kw={"height_ratios": [max(3, len(pairs) // 3), 1]})
    names = sorted(pairs)
    for row, key in enumerate(names):
        for start, stop, state in pairs[key]:
            top.broken_barh([(start, max(stop - start, 0.5))], (row - 0.4, 0.8),
                            color=COLOURS.get(state, "white"))
    top.set_yticks(range(len(names)))
    top.set_yticklabels([f"{a} ↔ {b}" for a, b in names], fontsize=7)
    top.set_ylim(-0.6, len(names) - 0.4)
    steps = [(at, text) for at, text in events if text.startswith(STEP_PREFIXES)]
    for number, (at, text) in enumerate(steps, 1):
        for axis in (top, bottom):
            axis.axvline(at, color="black", linestyle="--", linewidth=0.8)
        top.annotate(str(number), (at, len(names) - 0.4), fontsize=8, xytext=(2, 2),
                     textcoords="offset points", va="bottom")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    top.legend(handles, COLOURS.keys(), loc="upper center", ncol=5, fontsize=8,
               bbox_to_anchor=(0.5, -0.02 - 0.6 / max(len(names), 1)))
    top.set_title(os.path.basename(os.path.normpath(directory)) + ": SA state of each node pair")
    lost = defaultdict(int)
    for start, stop, packets in losses:
        if packets == 0:
            continue
        step = (stop - start) / max(packets - 1, 1)
        for k in range(packets):
            lost[int(start + k * step)] += 1
    seconds = list(range(int(end) + 1))
    bottom.plot(seconds, [lost.get(s, 0) for s in seconds], color="#c62828", linewidth=0.8)
    bottom.set_ylabel("probes lost / s", fontsize=8)
    bottom.set_xlabel("simulated time (s)")
    bottom.set_xlim(0, end)
    legend = "\n".join(f"{n}: {t if len(t) <= 110 else t[:107] + '...'} (at {a:.0f} s)"
                        for n, (a, t) in enumerate(steps, 1))
    fig.tight_layout(rect=(0, 0.035 * len(steps), 1, 1))
    fig.text(0.01, 0.005, legend, fontsize=7, va="bottom", family="monospace")
    out = os.path.join(directory, "timeline.png")
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
