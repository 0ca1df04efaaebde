#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds ipsecsim in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mkdir -p build
log=build/build.log
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
  cmake --build build -j"$(nproc)"; } > "$log" 2>&1; then
  tail -60 "$log"
  echo "ipsecsim: build failed; the whole log is in $log" >&2
  exit 1
fi
