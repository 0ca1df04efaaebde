#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer (leak
# detection on) in build-asan/, then runs the whole CTest suite and every
# reference scenario under them.
#   scripts/test-sanitizers.sh [CTEST-ARGS...]
# Every sanitizer report makes its process exit 86, a code no test or
# scenario uses, and this script then exits 86 too, so that a sanitizer
# finding is never mistaken for a failed expectation. Exit status: 0 clean;
# 1 a test or scenario failed without any sanitizer report; 86 a sanitizer
# reported (the reports are in build-asan/sanitizer-logs/).
set -uo pipefail
cd "$(dirname "$0")/.."
readonly sanitizer_exit=86
logs=build-asan/sanitizer-logs
export ASAN_OPTIONS="detect_leaks=1:exitcode=$sanitizer_exit:log_path=$PWD/$logs/asan:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=$sanitizer_exit:print_stacktrace=1:log_path=$PWD/$logs/ubsan"
export LSAN_OPTIONS="exitcode=$sanitizer_exit"
export CCACHE_DIR=${CCACHE_DIR:-/work/.ccache} CCACHE_BASEDIR=${CCACHE_BASEDIR:-/work} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
start=$(date +%s)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if ! { cmake -S . -B build-asan -DIPSECSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "${launcher[@]}" && cmake --build build-asan -j"${JOBS:-$(nproc)}"; } >build-asan.log 2>&1; then
  tail -40 build-asan.log
  echo "test-sanitizers: build failed; the log is build-asan.log" >&2
  exit 1
fi
rm -f build-asan.log
rm -rf "$logs" build-asan/results
mkdir -p "$logs"

status=0
ctest --test-dir build-asan -j"${JOBS:-$(nproc)}" --output-on-failure "$@" \
  >build-asan/ctest.log 2>&1 || status=1
tail -3 build-asan/ctest.log
scenarios=0
for scenario in scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  rc=0
  build-asan/ipsecsim run "$scenario" --out build-asan/results \
    >"build-asan/results-$name.log" 2>&1 || rc=$?
  scenarios=$((scenarios + 1))
  if [ "$rc" -ne 0 ]; then
    echo "scenario $name: exit $rc (log build-asan/results-$name.log)"
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
