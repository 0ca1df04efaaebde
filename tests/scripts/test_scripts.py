"""The scripts' command lines, the studies on the smallest plan they are given, and the
timeline plotter on a small generated run."""
import importlib.util
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = ["plot-lifecycle.py", "upgrade-study.py", "mtu-sweep.py",
           "crossing-streams-study.py", "lifecycle-seeds.py"]
IPSECSIM = os.environ.get("IPSECSIM_BINARY", os.path.join(ROOT, "build", "ipsecsim"))


def script(name):
    return os.path.join(ROOT, "scripts", name)


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_")[:-3], script(name))
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    spec.loader.exec_module(module)
    return module


def options_without_help(text):
    """Options listed in --help with no words after them (on their line or the next)."""
    lines = text.split("options:", 1)[1].splitlines()
    bare = []
    for i, line in enumerate(lines):
        m = re.match(r"  (-\S+(?:, --\S+)?)(?: [A-Z_:,.=-]+)?(\s{2,}\S.*)?$", line)
        if not m or m.group(2):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not re.match(r"\s{20,}\S", following):
            bare.append(m.group(1))
    return bare


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_is_complete(name):
    done = subprocess.run(["/usr/bin/python3", script(name), "--help"], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ")
    assert "options:" in done.stdout
    assert options_without_help(done.stdout) == []
    # The whole description: the last paragraph of the docstring is there too.
    assert "example:" in done.stdout


def test_a_bad_option_value_is_refused_by_argparse():
    done = subprocess.run(["/usr/bin/python3", script("upgrade-study.py"), "--plan", "3:x"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert "expected NODES:SEEDS" in done.stderr


def test_pairs_sort_naturally():
    plot = load("plot-lifecycle.py")
    pairs = [("worker-9", "worker-16"), ("worker-16", "worker-8"), ("worker-8", "worker-9"),
             ("master-0", "worker-10")]
    assert sorted(pairs, key=plot.pair_key) == [
        ("master-0", "worker-10"), ("worker-8", "worker-9"), ("worker-9", "worker-16"),
        ("worker-16", "worker-8")]


SCENARIO = """name: plot-smoke
seed: 1
duration: 400s
cluster:
  version: "4.15"
  pools:
    - {name: master, nodes: 1}
    - {name: worker, nodes: 2}
lifecycle:
  modelled_crypto: true
  probes: {interval: 2s}
  procedure:
    start: 30s
    steps:
      - merge_patch: '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}}'
"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plot")
    (tmp / "s.yaml").write_text(SCENARIO)
    done = subprocess.run([IPSECSIM, "run", str(tmp / "s.yaml"), "--out", str(tmp / "out")],
                          capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return tmp / "out" / "plot-smoke"


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.mark.parametrize("heatmap_above", ["10", "0"])
def test_the_plotter_draws_bars_and_heat_maps(run_dir, heatmap_above):
    out = run_dir / f"timeline-{heatmap_above}.png"
    done = subprocess.run(["/usr/bin/python3", script("plot-lifecycle.py"), str(run_dir),
                           "--out", str(out), "--heatmap-above", heatmap_above],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    width, height = png_size(out)
    assert width == 1320 and 400 < height < 1200


def test_the_title_is_the_scenarios_name(run_dir):
    assert load("plot-lifecycle.py").scenario_name(str(run_dir)) == "plot-smoke"


def test_a_folder_without_a_timeline_is_a_usage_error(tmp_path):
    done = subprocess.run(["/usr/bin/python3", script("plot-lifecycle.py"), str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "timeline.csv does not exist" in done.stderr


def read_csv(path):
    import csv
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name,args", [
    ("upgrade-study.py", ["--plan", "2:1", "--masters", "1", "--variants", "4.15.49:fixed"]),
    ("crossing-streams-study.py", ["--plan", "1s=2:1", "--masters", "1", "--builds", "5.x"]),
])
def test_the_studies_run_the_plan_they_are_given(tmp_path, name, args):
    """Two nodes, one of them a master: one pair, whatever the script's defaults."""
    done = subprocess.run(["/usr/bin/python3", script(name), "--ipsecsim", IPSECSIM,
                           "--workers", "1", "--out", str(tmp_path)] + args,
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    rows = read_csv(tmp_path / "study.csv")
    assert len(rows) == 1
    assert rows[0]["nodes"] == "2" and rows[0]["pairs"] == "1"
    assert (tmp_path / "study.png").exists()


@pytest.mark.parametrize("flag,drawn", [([], False), (["--progress"], True), (["--quiet"], False)])
def test_a_study_draws_its_progress_only_on_a_terminal_or_when_asked(tmp_path, flag, drawn):
    """stderr is a pipe here: silent unless --progress forces the line."""
    done = subprocess.run(["/usr/bin/python3", script("upgrade-study.py"), "--ipsecsim", IPSECSIM,
                           "--workers", "1", "--out", str(tmp_path), "--plan", "2:2",
                           "--masters", "1", "--variants", "4.15.49:fixed"] + flag,
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert ("2/2 runs (100%)" in done.stderr) == drawn
    assert ("1/2 runs (50%)" in done.stderr) == drawn
    assert len(read_csv(tmp_path / "study.csv")) == 2


def test_the_progress_line_estimates_from_the_runs_done():
    progress = load("study_progress.py")
    assert progress.line(1, 4, 30.0) == "1/4 runs (25%)  0:30 elapsed  ETA 1:30"
    assert progress.line(4, 4, 3725.0, "done") == "4/4 runs (100%)  1:02:05 elapsed  done"
    assert progress.line(0, 4, 0.0) == "0/4 runs (0%)  0:00 elapsed"
