#!/usr/bin/env bash
# Installs, builds, and runs the main job: every reference scenario in
# scenarios/, printing each flow's verdict and writing results/<scenario>/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
status=0
build/ipsecsim run scenarios/*.yaml --out results --strict "$@" || status=$?
# Lifecycle scenarios also get a timeline plot (Debian's matplotlib).
for timeline in results/*/timeline.csv; do
  [ -e "$timeline" ] || continue
  /usr/bin/python3 scripts/plot-lifecycle.py "$(dirname "$timeline")" >/dev/null
done
exit "$status"
