"""Command-line option types shared by the study scripts."""
import argparse
import importlib
import json
import os
import sys

import study_progress


def plan(text):
    """'3:20,5:20' -> [(3, 20), (5, 20)]: cluster sizes and seeds per size."""
    out = []
    for item in text.split(","):
        nodes, sep, seeds = item.partition(":")
        try:
            pair = (int(nodes), int(seeds) if sep else 1)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected NODES:SEEDS[,NODES:SEEDS...] such as 3:20,5:10, got '{item}'")
        if pair[0] < 1 or pair[1] < 1:
            raise argparse.ArgumentTypeError(f"expected positive NODES and SEEDS, got '{item}'")
        out.append(pair)
    return out


def int_list(text):
    """'1400,1354' -> [1400, 1354]."""
    try:
        return [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers separated by commas, got '{text}'")


def float_list(text):
    """'0,0.02' -> [0.0, 0.02]."""
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got '{text}'")


def plan_text(pairs):
    return ",".join(f"{n}:{s}" for n, s in pairs)


def add_common(parser, out, workers):
    study_progress.add_options(parser)
    parser.add_argument("--ipsecsim", default="build/ipsecsim",
                        help="the ipsecsim binary (default: %(default)s)")
    parser.add_argument("--out", default=out, help="folder for the results (default: %(default)s)")
    if workers is not None:
        parser.add_argument("--workers", type=int, default=workers,
                            help="runs at once, one process each (default: %(default)s)")


def parser_for(doc):
    """The whole docstring in --help, not its first line only."""
    summary, _, rest = doc.partition("\n\n")
    return argparse.ArgumentParser(description=summary, epilog=rest,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def import_ipsecsim(binary):
    """The ipsecsim module built beside the binary (BUILD/python), for the
    studies that run on its sweep engine; its worker processes find it too."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(binary)), "python"))
    return importlib.import_module("ipsecsim")


def lifecycle_of(row):
    """(lifecycle.summary as a dict, the cause kinds of the pairs not up) of a
    row of ipsecsim.sweep_grid."""
    prefix = "lifecycle.summary."
    summary = {k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)}
    kinds = [p["cause_kind"] for p in json.loads(row["lifecycle.pairs"]) if p["final"] != "up"]
    return summary, kinds
