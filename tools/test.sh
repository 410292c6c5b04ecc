#!/usr/bin/env bash
# Builds and runs the whole test suite: first a debug build with warnings as
# errors (benchmarks included, so they compile cleanly too), then the same
# suite under AddressSanitizer + UndefinedBehaviorSanitizer, then under
# ThreadSanitizer, then each libFuzzer target briefly, then the deployment
# examples (tools/check-deploy.sh) and the container image
# (tools/container-smoke.sh: build with podman, start, pub/sub, SIGTERM),
# each counted as one test. Set CHATBUS_TEST_PRESETS="dev" to run only some
# presets, CHATBUS_FUZZ_SECONDS to fuzz for other than the default 60 s per
# target, CHATBUS_SKIP_CONTAINER=1 to leave out the container smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}"

jobs=$(nproc)
status=0
passed=0
failed=0
for preset in ${CHATBUS_TEST_PRESETS:-dev asan tsan}; do
  echo "=== chatbus: build and test, preset '$preset'"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  log=$(mktemp)
  if ! ctest --preset "$preset" -j "$jobs" | tee "$log"; then
    echo "=== chatbus: tests FAILED under preset '$preset'" >&2
    status=1
  fi
  # "100% tests passed, 0 tests failed out of 373"
  if summary=$(grep -E 'tests failed out of [0-9]+' "$log" | tail -1); then
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$summary")
    bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$summary")
    passed=$((passed + total - bad))
    failed=$((failed + bad))
  else
    status=1
  fi
  rm -f "$log"
done

# The fuzz targets: built with clang, each run briefly so they keep building
# and keep their invariants (tools/fuzz.sh alone runs them for longer).
echo "=== chatbus: fuzz targets, ${CHATBUS_FUZZ_SECONDS:=60}s each"
if ! CHATBUS_FUZZ_SECONDS=$CHATBUS_FUZZ_SECONDS bash tools/fuzz.sh; then
  echo "=== chatbus: a fuzz target FAILED (inputs in build/fuzz/artifacts)" >&2
  status=1
fi

# One test each: a script that exits non-zero is a failed test.
run_script_test() {
  local what=$1
  shift
  echo "=== chatbus: $what"
  if bash "$@"; then
    passed=$((passed + 1))
  else
    echo "=== chatbus: $what FAILED" >&2
    failed=$((failed + 1))
    status=1
  fi
}

run_script_test "deployment examples" tools/check-deploy.sh
if [ "${CHATBUS_SKIP_CONTAINER:-0}" = 1 ]; then
  echo "=== chatbus: container smoke skipped (CHATBUS_SKIP_CONTAINER=1)"
else
  run_script_test "container smoke" tools/container-smoke.sh
fi

echo "tests: $passed passed, $failed failed"
exit $status
