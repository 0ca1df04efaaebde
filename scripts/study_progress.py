"""The progress line of a study: ipsecsim's own (runs done of all, wall
time, ETA, on a terminal only), read from the source tree so that the
scripts that run the binary rather than the module share it."""
import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "ipsecsim_progress", os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                      "harness", "python", "ipsecsim", "progress.py"))
_progress = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_progress)
Progress = _progress.Progress
line = _progress.line
duration = _progress.duration


def add_options(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", dest="progress", action="store_true", default=None,
                       help="draw the progress line even when stderr is not a terminal")
    group.add_argument("--quiet", dest="progress", action="store_false",
                       help="no progress line, even on a terminal")
