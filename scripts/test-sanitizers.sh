#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer (leak
# detection on), then runs the whole CTest suite and every reference scenario
# under them.
#   scripts/test-sanitizers.sh [CTEST-ARGS...]
# The tree is build-fuzz/, which scripts/fuzz.sh shares: clang, every library
# with ASan and UBSan (plus libFuzzer's coverage hooks, which do nothing
# outside a fuzz target), so one build serves both. SANITIZER_TREE=DIR with
# SANITIZER_CONFIG="-DIPSECSIM_SANITIZE=ON" builds a tree of its own with the
# default compiler instead.
# Every sanitizer report makes its process exit 86, a code no test or
# scenario uses, and this script then exits 86 too, so that a sanitizer
# finding is never mistaken for a failed expectation. Exit status: 0 clean;
# 1 a test or scenario failed without any sanitizer report; 86 a sanitizer
# reported (the reports are in build-fuzz/sanitizer-logs/).
set -uo pipefail
cd "$(dirname "$0")/.."
readonly sanitizer_exit=86
tree=${SANITIZER_TREE:-build-fuzz}
logs=$tree/sanitizer-logs
export ASAN_OPTIONS="detect_leaks=1:exitcode=$sanitizer_exit:log_path=$PWD/$logs/asan:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=$sanitizer_exit:print_stacktrace=1:log_path=$PWD/$logs/ubsan"
export LSAN_OPTIONS="exitcode=$sanitizer_exit"
export CCACHE_DIR=${CCACHE_DIR:-/work/.ccache} CCACHE_BASEDIR=${CCACHE_BASEDIR:-/work} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
start=$(date +%s)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
configure=(-DIPSECSIM_FUZZ=ON)
compilers=(CC=clang CXX=clang++)
if [ -n "${SANITIZER_CONFIG:-}" ]; then
  read -ra configure <<<"$SANITIZER_CONFIG"
  compilers=()
fi
buildlog=$tree-build.log
if [ ! -f "$tree/CMakeCache.txt" ]; then
  env "${compilers[@]}" cmake -S . -B "$tree" "${configure[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "${launcher[@]}" >"$buildlog" 2>&1 || { tail -40 "$buildlog"; exit 1; }
fi
if ! cmake --build "$tree" -j"${JOBS:-$(nproc)}" >"$buildlog" 2>&1; then
  tail -40 "$buildlog"
  echo "test-sanitizers: build failed; the log is $buildlog" >&2
  exit 1
fi
rm -f "$buildlog"
rm -rf "$logs" "$tree/results"
mkdir -p "$logs"

status=0
ctest --test-dir "$tree" -j"${JOBS:-$(nproc)}" --output-on-failure "$@" \
  >"$tree/ctest.log" 2>&1 || status=1
tail -3 "$tree/ctest.log"
scenarios=0
for scenario in scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  rc=0
  "$tree/ipsecsim" run "$scenario" --out "$tree/results" \
    >"$tree/results-$name.log" 2>&1 || rc=$?
  scenarios=$((scenarios + 1))
  if [ "$rc" -ne 0 ]; then
    echo "scenario $name: exit $rc (log $tree/results-$name.log)"
    status=1
  fi
done
echo "$scenarios reference scenarios run"

reports=$(find "$logs" -type f | wc -l)
minutes=$((($(date +%s) - start + 59) / 60))
if [ "$reports" -gt 0 ]; then
  echo "test-sanitizers: $reports sanitizer reports in $logs/ (${minutes} min):"
  grep -h -m1 -E "ERROR: |runtime error" "$logs"/* | sort | uniq -c | head -20
  exit "$sanitizer_exit"
fi
echo "test-sanitizers: clean (${minutes} min)"
exit "$status"
