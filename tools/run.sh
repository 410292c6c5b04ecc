#!/usr/bin/env bash
# Builds chatbusd (optimised) and runs it in the foreground with
# config/chatbusd.toml on 127.0.0.1:7420. Extra arguments go to chatbusd,
# e.g. `tools/run.sh --log-level debug`.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}"

cmake --preset release >/dev/null
cmake --build --preset release --target chatbusd
exec build/release/chatbusd --config config/chatbusd.toml "$@"
