"""ipsecsim.__version__ is the version the command line and reports give."""

import os
import subprocess

import ipsecsim


def test_module_version_is_the_command_lines():
    out = subprocess.run([os.environ["IPSECSIM_BINARY"], "--version"],
                         capture_output=True, text=True, check=True).stdout
    # "ipsecsim 0.1.0 (git a2ed182, GNU 12.2.0, RelWithDebInfo)"
    assert out == "ipsecsim " + ipsecsim.__build__ + "\n"
    assert out.split()[1] == ipsecsim.__version__
    assert ipsecsim.__version__.count(".") == 2


def test_reports_carry_the_module_build():
    report = ipsecsim.run_text("""
name: py-version
cluster:
  pools: [{name: worker, nodes: 2}]
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: ab, from: a, to: b, protocol: udp, port: 8080, packets: 2, size: 100}
""")
    build = report["ipsecsim"]
    assert build["version"] == ipsecsim.__version__
    assert ipsecsim.__build__ == "{} (git {}, {}, {})".format(
        build["version"], build["git"], build["compiler"], build["build_type"])
