"""`ipsecsim run` on a terminal and off one: the progress line under a pty,
silence in a pipe, --progress/--quiet, and the same results either way."""

import json
import os
import pathlib
import pty
import select
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ["IPSECSIM_BINARY"]

# Enabling IPsec on six nodes: about 3 s of wall-clock time, enough for
# several redraws of the progress line.
LONG = """
name: term-life
seed: 1
duration: 900s
cluster:
  version: "4.15"
  host_mtu: 1500
  cluster_mtu: 1354
  pools:
    - {name: master, nodes: 3}
    - {name: worker, nodes: 3}
lifecycle:
  probes: {interval: 1s, size: 100}
  procedure:
    start: 60s
    steps:
      - merge_patch: '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}}'
expect:
  - {metric: pairs_up, equals: 15}
"""

# The same patch on three nodes, stopped during the rollout: one pair still
# in clear, two with a node rebooting.
SHORT = """
name: term-short
seed: 3
duration: 200s
cluster:
  version: "4.15"
  host_mtu: 1500
  cluster_mtu: 1354
  pools: [{name: worker, nodes: 3}]
lifecycle:
  probes: {interval: 1s, size: 100}
  procedure:
    start: 150s
    steps:
      - merge_patch: '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}}'
expect:
  - {metric: clear_pairs, equals: 1}
"""


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def run_in_pty(args, columns="100", stderr_to=None):
    """Runs args with stdout and stderr (unless stderr_to names a file) on a
    pseudo-terminal; returns (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["COLUMNS"] = columns
        if stderr_to:
            os.dup2(os.open(stderr_to, os.O_WRONLY | os.O_CREAT), 2)
        os.execv(BINARY, [BINARY] + args)
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


def test_progress_line_on_a_terminal(tmp_path):
    scenario = write(tmp_path, LONG)
    code, out = run_in_pty(["run", str(scenario), "--out", str(tmp_path / "pty")])
    assert code == 0, out
    assert "\r" in out and "\x1b[K" in out, out[:500]
    drawn = [d.split("\x1b[K")[0] for d in out.split("\r")[1:] if d.startswith("term-life  sim")]
    assert len(drawn) >= 3, out[:2000]
    for line in drawn:
        assert " / 900.0 s (" in line and "events/s" in line, line
        if not line.startswith("term-life  sim 0.0 s"):
            assert "ETA " in line, line
    # The lifecycle step appears once the procedure has started.
    assert "step 1/1: oc patch" in out
    # Erased before the table.
    assert "\r\x1b[Kscenario term-life" in out


def test_progress_lines_fit_a_narrow_terminal(tmp_path):
    scenario = write(tmp_path, SHORT)
    code, out = run_in_pty(["run", str(scenario), "--out", str(tmp_path / "pty")], columns="20")
    assert code == 0, out
    drawn = [d.split("\x1b[K")[0] for d in out.split("\r")[1:] if d.startswith("term-")]
    assert drawn
    for text in drawn:
        assert len(text) <= 19, text
    assert "PASS" in out


def test_quiet_on_a_terminal_and_silence_in_a_pipe(tmp_path):
    scenario = write(tmp_path, SHORT)
    code, out = run_in_pty(["run", str(scenario), "--out", str(tmp_path / "q"), "--quiet"])
    assert code == 0 and "events/s" not in out, out[:500]
    # stdout on a terminal, stderr to a file: nothing drawn into the file.
    err = tmp_path / "stderr.txt"
    code, out = run_in_pty(["run", str(scenario), "--out", str(tmp_path / "e")],
                           stderr_to=str(err))
    assert code == 0 and "events/s" not in out and err.read_text() == ""
    piped = subprocess.run([BINARY, "run", str(scenario), "--out", str(tmp_path / "p")],
                           capture_output=True, text=True)
    assert piped.returncode == 0, piped.stdout
    assert piped.stderr == "" and "events/s" not in piped.stdout
    forced = subprocess.run([BINARY, "run", str(scenario), "--out", str(tmp_path / "f"),
                             "--progress"], capture_output=True, text=True)
    assert forced.returncode == 0 and "term-short  sim 0.0 s / 200.0 s (0%)" in forced.stderr
    # The progress event changes nothing the run measures.
    for name in ("report.json", "timeline.csv"):
        assert ((tmp_path / "p/term-short" / name).read_text()
                == (tmp_path / "f/term-short" / name).read_text()), name


def test_lifecycle_terminal_output_is_summarised_and_has_no_empty_sections(tmp_path):
    scenario = write(tmp_path, SHORT)
    quiet = subprocess.run([BINARY, "run", str(scenario), "--out", str(tmp_path / "o")],
                           capture_output=True, text=True)
    assert quiet.returncode == 0, quiet.stdout
    assert "FLOW " not in quiet.stdout  # no flows: no flow table
    assert "  pair worker-" not in quiet.stdout
    verbose = subprocess.run([BINARY, "run", str(scenario), "--out", str(tmp_path / "v"),
                              "--verbose"], capture_output=True, text=True)
    report = json.loads((tmp_path / "v/term-short/report.json").read_text())
    not_up = [p for p in report["lifecycle"]["pairs"] if p["final"] != "up"]
    assert len(not_up) == 3
    assert "  1 pair clear since 1.0 s, cause ipsec-off\n" in quiet.stdout, quiet.stdout
    assert "  2 pairs node-down since 180.0 s" in quiet.stdout, quiet.stdout
    assert verbose.stdout.count("  pair worker-") == 3, verbose.stdout
