#!/usr/bin/env bash
# Builds chatbusd and the chatbus client (optimised) and runs the daemon in
# the foreground with config/chatbusd.toml on 127.0.0.1:7420 (admin endpoint
# on 127.0.0.1:7421). Extra arguments go to chatbusd,
# e.g. `tools/run.sh --log-level debug`.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_PACKAGES[@]}"

cmake --preset release >/dev/null
cmake --build --preset release --target chatbusd chatbus
exec build/release/chatbusd --config config/chatbusd.toml "$@"
