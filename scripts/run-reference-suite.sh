#!/usr/bin/env bash
# Installs, builds, and runs the main job: every reference scenario in
# scenarios/, printing each flow's verdict and writing results/<scenario>/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
build/ipsecsim run scenarios/*.yaml --out results "$@"
