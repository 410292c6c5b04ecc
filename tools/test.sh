#!/usr/bin/env bash
# Builds and runs the whole test suite: first a debug build with warnings as
# errors, then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# Set CHATBUS_TEST_PRESETS="dev" to run only one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}"

jobs=$(nproc)
status=0
for preset in ${CHATBUS_TEST_PRESETS:-dev asan}; do
  echo "=== chatbus: build and test, preset '$preset'"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  if ! ctest --preset "$preset" -j "$jobs"; then
    echo "=== chatbus: tests FAILED under preset '$preset'" >&2
    status=1
  fi
done
exit $status
