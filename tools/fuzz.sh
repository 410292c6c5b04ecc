#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in
# build/fuzz, and runs each for CHATBUS_FUZZ_SECONDS (default 60) seconds on a
# copy of its seed corpus in build/fuzz/corpus (the repository's corpus is
# never written). Prints one summary line per target; exits non-zero if any
# target crashed, found a leak or timed out. Crash inputs land in
# build/fuzz/artifacts/. CHATBUS_FUZZ_TARGETS selects targets (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}" clang libclang-rt-14-dev

seconds=${CHATBUS_FUZZ_SECONDS:-60}
targets=(${CHATBUS_FUZZ_TARGETS:-fuzz_payload fuzz_framing fuzz_commands})
build=build/fuzz
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))

CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCHATBUS_BUILD_FUZZ=ON -DCHATBUS_BUILD_TESTS=OFF -DCHATBUS_BUILD_BENCH=OFF \
  -DCHATBUS_SANITIZE=address,undefined "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link" >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

mkdir -p "$build/artifacts" "$build/logs"

# Runs one target; its exit code goes to $build/logs/<target>.rc.
fuzz_one() {
  local target=$1 corpus="$build/corpus/$1" log="$build/logs/$1.log" rc=0
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp -r "tests/fuzz/corpus/$target/." "$corpus/"
  rm -f "$build/artifacts/$target-"*
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" "$corpus" \
    >"$log" 2>&1 || rc=$?
  echo "$rc" >"$build/logs/$target.rc"
}

# All targets at once: each still fuzzes for the full time, and the run
# takes `seconds` rather than `seconds` times the number of targets.
echo "=== chatbus: fuzzing ${targets[*]} for ${seconds}s each, side by side"
pids=()
for target in "${targets[@]}"; do
  fuzz_one "$target" &
  pids+=($!)
done
wait "${pids[@]}" || true

summaries=()
status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  log="$build/logs/$target.log"
  rc=$(cat "$build/logs/$target.rc" 2>/dev/null || echo "?")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  units=$(ls "$corpus" | wc -l)
  if [ "$rc" = 0 ]; then
    verdict=ok
  else
    verdict="FAILED (exit $rc; see $log, $build/artifacts/$target-*)"
    status=1
    grep -E '^(==[0-9]+==ERROR|SUMMARY)' "$log" | head -3 >&2 || true
  fi
  summaries+=("$(printf '%-14s %s: %s runs, %s exec/s, cov %s, ft %s, corpus %s' \
    "$target" "$verdict" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$units")")
done

echo "=== chatbus: fuzz summary (${seconds}s per target)"
printf '%s\n' "${summaries[@]}"
exit $status
