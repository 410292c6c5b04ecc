#!/usr/bin/env bash
# Builds and runs the whole test suite: first a debug build with warnings as
# errors (benchmarks included, so they compile cleanly too), then the same
# suite under AddressSanitizer + UndefinedBehaviorSanitizer, then under
# ThreadSanitizer. Set CHATBUS_TEST_PRESETS="dev" to run only some of them.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}"

jobs=$(nproc)
status=0
for preset in ${CHATBUS_TEST_PRESETS:-dev asan tsan}; do
  echo "=== chatbus: build and test, preset '$preset'"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  if ! ctest --preset "$preset" -j "$jobs"; then
    echo "=== chatbus: tests FAILED under preset '$preset'" >&2
    status=1
  fi
done
exit $status
