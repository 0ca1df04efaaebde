#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ (clang; every project library
# instrumented with coverage, ASan and UBSan) and runs each of them in turn for
# SECONDS on its committed seed corpus tests/fuzz/corpus/<target>/, which the
# run only reads: new inputs go to build-fuzz/corpus/<target>/.
#   scripts/fuzz.sh SECONDS [TARGET...]
# Prints one line per target (runs, coverage, features, corpus, outcome) and
# keeps each log in build-fuzz/logs/<target>.log. Exit status: 0 when no
# target found anything, 1 when one crashed, leaked, timed out or ran out of
# memory (the reproducer is build-fuzz/findings/<target>/). FUZZ_PARALLEL=N
# runs N targets at a time (default 1); each still runs for SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
all=(fuzz_scenario fuzz_oc_patch fuzz_esp_cli fuzz_ike_message fuzz_ike_decrypt fuzz_packets
  fuzz_classifier fuzz_x509 fuzz_report_writers fuzz_libreswan_conf fuzz_butane fuzz_pkcs12
  fuzz_pluto_conns)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

if [ ! -f build-fuzz/CMakeCache.txt ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DIPSECSIM_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
cmake --build build-fuzz -j"${FUZZ_JOBS:-2}" --target "${targets[@]}" >build-fuzz-build.log 2>&1 ||
  { tail -40 build-fuzz-build.log; exit 1; }
rm -f build-fuzz-build.log

mkdir -p build-fuzz/logs
# Inputs as long as the scenario loader's limits (1024-character scalars,
# nesting 64 deep) need to reach them; packets up to a jumbo frame.
declare -A max_len=([fuzz_scenario]=16384 [fuzz_oc_patch]=8192 [fuzz_esp_cli]=4096
  [fuzz_ike_message]=9216 [fuzz_ike_decrypt]=9216 [fuzz_packets]=9216 [fuzz_classifier]=16384
  [fuzz_x509]=8192 [fuzz_report_writers]=8192 [fuzz_libreswan_conf]=8192 [fuzz_butane]=8192
  [fuzz_pkcs12]=8192 [fuzz_pluto_conns]=8192)
# One target's run; its summary line goes to build-fuzz/logs/<target>.line,
# and its exit status is 1 when it found something.
fuzz_one() {
  local target=$1 work=build-fuzz/corpus/$1 findings=build-fuzz/findings/$1
  local log=build-fuzz/logs/$1.log rc=0 seeds=tests/fuzz/corpus/$1
  mkdir -p "$work" "$findings"
  [ -d "$seeds" ] || seeds=
  build-fuzz/tests/fuzz/"$target" "$work" $seeds \
    -max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || rc=$?
  local runs last cov ft corpus outcome=clean
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  if [ "$rc" -ne 0 ]; then
    outcome="FOUND: $(grep -m1 -E 'ERROR: |==[0-9]+==|deadly signal|Timeout|out-of-memory' "$log" |
      head -c 160)"
  fi
  printf '%-20s %5ss runs %-10s cov %-6s ft %-7s corpus %-6s %s\n' "$target" "$seconds" \
    "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$outcome" >"build-fuzz/logs/$target.line"
  [ "$rc" -eq 0 ]
}

parallel=${FUZZ_PARALLEL:-1}
status=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
for target in "${targets[@]}"; do cat "build-fuzz/logs/$target.line"; done
exit "$status"
