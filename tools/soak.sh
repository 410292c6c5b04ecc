#!/usr/bin/env bash
# Builds chatbusd and chatbus-soak, then runs the soak against a fresh daemon
# on 127.0.0.1 (docs/soak.md). Arguments go to the soak:
#   tools/soak.sh                                   # 60 s, 200 connections, seed 1
#   tools/soak.sh --duration 1800 --connections 1000 --seed 7
# CHATBUS_SOAK_PRESET picks the build (default dev; release is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}"

preset=${CHATBUS_SOAK_PRESET:-dev}
echo "=== chatbus: build chatbusd and chatbus-soak, preset '$preset'"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" --target chatbusd chatbus-soak
echo "=== chatbus: soak"
exec "build/$preset/tests/soak/chatbus-soak" "$@"
