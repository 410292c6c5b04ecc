#!/usr/bin/env bash
# Installs the Debian 12 packages chatbus builds with, if any are missing.
# Sourced by tools/run.sh and tools/test.sh; safe to run on its own.
set -euo pipefail

CHATBUS_PACKAGES=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev libboost-url1.81-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus python3-prometheus-client
  libssl-dev openssl
)

# tools/container-smoke.sh: podman and buildah with the runc runtime (crun
# fails on hybrid cgroup hosts), catatonit for --init, debootstrap for the
# base image when no registry is reachable.
CHATBUS_CONTAINER_PACKAGES=(
  podman buildah runc catatonit conmon containernetworking-plugins
  debootstrap fuse-overlayfs slirp4netns uidmap
)

# tools/check-deploy.sh: a YAML parser and systemd-analyze.
CHATBUS_DEPLOY_PACKAGES=(python3 python3-yaml systemd)

missing_packages() {
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      echo "$package"
    fi
  done
}

install_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  # shellcheck disable=SC2086
  echo "chatbus: installing missing Debian packages:" $missing >&2
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=sudo
    else
      echo "chatbus: error: need root (or sudo) to install:" $missing >&2
      exit 1
    fi
  else
    SUDO=
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "chatbus: error: apt-get not found; this script expects Debian 12 (bookworm). Install by hand:" $missing >&2
    exit 1
  fi
  if ! $SUDO apt-get update -qq; then
    echo "chatbus: error: 'apt-get update' failed; check the network or the apt sources" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2; then
    echo "chatbus: error: could not install:" $missing >&2
    exit 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  install_packages "${CHATBUS_PACKAGES[@]}" "$@"
fi
