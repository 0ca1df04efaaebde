#!/usr/bin/python3
"""Draw a lifecycle run's timeline: each node pair's SA state over time, the
procedure's steps, and the probes lost per second.

Reads DIR/timeline.csv and DIR/report.json, which `ipsecsim run` writes for
scenarios with a lifecycle section, and writes DIR/timeline.png. Up to
--heatmap-above nodes, each pair is a row of coloured bars; beyond, the pairs
are the rows of a heat map of their state over time. Pairs sort naturally
(worker-8 before worker-16). Needs Debian's python3-matplotlib: run it with
/usr/bin/python3.

example:
    /usr/bin/python3 scripts/plot-lifecycle.py results/lifecycle-enable-after-install
"""
import argparse
import csv
import json
import os
import re
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

COLOURS = {
    "up": "#2e7d32",
    "incomplete": "#f9a825",
    "black-holed": "#c62828",
    "clear": "#90a4ae",
    "node-down": "#212121",
}
NO_STATE = "#ffffff"
STEP_PREFIXES = ("oc patch", "oc delete", "update the cluster", "time passes")
QUIET_START = "time passes"
STEP_TEXT_WIDTH = 110


def natural_key(text):
    """worker-8 before worker-16: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def pair_key(pair):
    return (natural_key(pair[0]), natural_key(pair[1]))


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


def scenario_name(directory):
    """The scenario's name from report.json; the folder's name without one."""
    try:
        with open(os.path.join(directory, "report.json")) as f:
            return json.load(f)["scenario"]
    except (OSError, ValueError, KeyError):
        return os.path.basename(os.path.normpath(directory))


def node_count(pairs):
    return len({node for pair in pairs for node in pair})


def draw_bars(axis, names, pairs):
    """One row of bars per pair: one broken_barh call per pair and state."""
    for row, key in enumerate(names):
        by_state = defaultdict(list)
        for start, stop, state in pairs[key]:
            by_state[state].append((start, max(stop - start, 0.5)))
        for state, spans in by_state.items():
            axis.broken_barh(spans, (row - 0.4, 0.8), color=COLOURS.get(state, NO_STATE))


def draw_heatmap(axis, names, pairs, end, columns):
    """Pairs as rows, time in `columns` bins; a bin takes the state that
    starts last in it, so a short state stays visible."""
    states = list(COLOURS)
    grid = np.full((len(names), columns), len(states), dtype=np.int16)
    scale = columns / end
    for row, key in enumerate(names):
        for start, stop, state in pairs[key]:
            first = min(int(start * scale), columns - 1)
            last = max(first + 1, int(np.ceil(stop * scale)))
            grid[row, first:last] = states.index(state) if state in COLOURS else len(states)
    colours = ListedColormap(list(COLOURS.values()) + [NO_STATE])
    axis.imshow(grid, aspect="auto", interpolation="nearest", cmap=colours,
                vmin=-0.5, vmax=len(states) + 0.5, extent=(0, end, len(names) - 0.5, -0.5))


def quiet_spans(events):
    """The advance steps' quiet time: from each "time passes" event to the
    next "step N done" one."""
    spans = []
    for i, (at, text) in enumerate(events):
        if not text.startswith(QUIET_START):
            continue
        ends = [a for a, t in events[i + 1:] if t.startswith("step ") and " done after " in t]
        if ends and ends[0] > at:
            spans.append((at, ends[0]))
    return spans


class TimeAxis:
    """Simulated time as the plot shows it: each quiet span (years, where
    nothing is probed) squeezed to a short stretch, so that the steps around
    it stay readable; the identity without quiet time."""

    def __init__(self, spans, end):
        self.spans = spans
        active = end - sum(b - a for a, b in spans)
        self.width = max(30.0, 0.04 * active) if spans else 0.0

    def __call__(self, t):
        x = t
        for a, b in self.spans:
            if t > a:
                x -= min(t, b) - a - self.width * min(1.0, (min(t, b) - a) / (b - a))
        return x


def lost_per_second(losses, end):
    seconds = np.zeros(int(end) + 1)
    for start, stop, packets in losses:
        if packets > 0:
            at = np.linspace(start, stop, packets).astype(int).clip(0, len(seconds) - 1)
            np.add.at(seconds, at, 1)
    return seconds


def plot(directory, out, title, heatmap_above, columns, dpi):
    pairs, losses, events = load(os.path.join(directory, "timeline.csv"))
    if not pairs:
        sys.exit(f"{directory}/timeline.csv has no pair intervals")
    end = max(e for intervals in pairs.values() for _, e, _ in intervals)
    axis_time = TimeAxis(quiet_spans(events), end)
    if axis_time.spans:
        pairs = {k: [(axis_time(a), axis_time(b), st) for a, b, st in v] for k, v in pairs.items()}
        losses = [(axis_time(a), axis_time(b), n) for a, b, n in losses]
    shown_end = axis_time(end)
    names = sorted(pairs, key=pair_key)
    heatmap = node_count(pairs) > heatmap_above
    steps = [(at, text) for at, text in events if text.startswith(STEP_PREFIXES)]
    pair_height = 5.5 if heatmap else max(1.5, 0.25 * len(names))
    fig = plt.figure(figsize=(12, 2.6 + pair_height + 0.16 * len(steps)), layout="constrained")
    grid = fig.add_gridspec(3, 1, height_ratios=[pair_height, 1.4, 0.16 * len(steps) + 0.05])
    top = fig.add_subplot(grid[0])
    bottom = fig.add_subplot(grid[1], sharex=top)
    notes = fig.add_subplot(grid[2])
    notes.axis("off")

    if heatmap:
        draw_heatmap(top, names, pairs, shown_end, columns)
    else:
        draw_bars(top, names, pairs)
    # At most about 60 labelled rows: beyond, every k-th pair is named.
    every = max(1, -(-len(names) // 60))
    rows = range(0, len(names), every)
    top.set_yticks(list(rows))
    top.set_yticklabels([f"{names[r][0]} ↔ {names[r][1]}" for r in rows],
                        fontsize=7 if every == 1 and len(names) <= 45 else 5)
    top.set_ylim(len(names) - 0.5, -0.5)
    top.set_ylabel(f"node pairs ({len(names)})", fontsize=8)
    top.tick_params(labelbottom=False)
    for a, b in axis_time.spans:
        for axis in (top, bottom):
            axis.axvspan(axis_time(a), axis_time(b), color="#eeeeee", zorder=3)
        years = (b - a) / (365 * 86400)
        span = f"{years:.3g} y" if years >= 0.1 else f"{(b - a) / 86400:.3g} d"
        bottom.annotate(span, ((axis_time(a) + axis_time(b)) / 2, 0.5), fontsize=7,
                        ha="center", va="center", xycoords=("data", "axes fraction"), zorder=4)
    for number, (at, _) in enumerate(steps, 1):
        for axis in (top, bottom):
            axis.axvline(axis_time(at), color="black", linestyle="--", linewidth=0.8)
        top.annotate(str(number), (axis_time(at), -0.5), fontsize=8, xytext=(2, 2),
                     textcoords="offset points", va="bottom", annotation_clip=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    # Right of the pair panel, outside every axis: it covers no data, nor
    # the step numbers above the panel, nor the title.
    top.legend(handles, COLOURS.keys(), loc="upper left", bbox_to_anchor=(1.005, 1.0),
               fontsize=8, frameon=False, borderaxespad=0, title="pair state",
               title_fontsize=8)
    top.set_title(f"{title}: SA state of each node pair", loc="left", pad=14)

    lost = lost_per_second(losses, shown_end)
    bottom.plot(np.arange(len(lost)), lost, color="#c62828", linewidth=0.8)
    bottom.set_ylabel("probes lost / s", fontsize=8)
    bottom.set_xlabel("simulated time (s)" if not axis_time.spans else
                      "simulated time (s) outside the advance steps; each grey band is one, "
                      "squeezed")
    bottom.set_xlim(0, shown_end)

    legend = "\n".join(
        f"{n}: {t if len(t) <= STEP_TEXT_WIDTH else t[:STEP_TEXT_WIDTH - 3] + '...'} (at {a:.0f} s)"
        for n, (a, t) in enumerate(steps, 1))
    notes.text(0, 1, legend, fontsize=7, va="top", family="monospace", transform=notes.transAxes)
    fig.savefig(out, dpi=dpi)
    plt.close(fig)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory",
                        help="the run's output folder (holds timeline.csv and report.json)")
    parser.add_argument("--out", help="the image to write (default: DIRECTORY/timeline.png)")
    parser.add_argument("--title",
                        help="the title (default: the scenario's name from report.json)")
    parser.add_argument("--heatmap-above", type=int, default=10, metavar="NODES",
                        help="draw a heat map when the cluster has more nodes than this "
                             "(default: %(default)s; 0: always)")
    parser.add_argument("--columns", type=int, default=600,
                        help="time bins of the heat map (default: %(default)s)")
    parser.add_argument("--dpi", type=int, default=110,
                        help="resolution of the image (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.columns < 1:
        parser.error("--columns must be at least 1")
    path = os.path.join(args.directory, "timeline.csv")
    if not os.path.exists(path):
        parser.error(f"{path} does not exist: run a scenario with a lifecycle section into "
                     f"{args.directory} first")
    out = args.out or os.path.join(args.directory, "timeline.png")
    print(plot(args.directory, out, args.title or scenario_name(args.directory),
               args.heatmap_above, args.columns, args.dpi))


if __name__ == "__main__":
    main()
