#!/usr/bin/env bash
# Makes docker.io/library/debian:bookworm and :bookworm-slim exist in
# podman's image store, so the Dockerfile's unchanged FROM lines resolve with
# --pull=never on a machine that cannot (or should not) reach a registry:
# debootstrap --variant=minbase from the mirror apt already uses, the result
# stripped like the official slim image, tarred into $CHATBUS_CACHE_DIR
# (/var/cache/chatbus) and imported. A cached tarball is imported as it is;
# images already present are left alone. Needs root. Run by
# tools/container-smoke.sh; CHATBUS_DEBIAN_MIRROR overrides the mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh

cache_dir=${CHATBUS_CACHE_DIR:-/var/cache/chatbus}
base_tarball=$cache_dir/debian-bookworm-minbase.tar
log_dir=build/container
rootfs=
trap 'if [ -n "$rootfs" ]; then rm -rf "$rootfs"; fi' EXIT

fail() {
  echo "=== chatbus: base image FAILED: $*" >&2
  exit 1
}

# Prints the Debian archive apt already uses (deb822 or one-line sources), so
# debootstrap works behind the same mirror or proxy. $1: "debian" or
# "debian-security".
apt_mirror() {
  {
    sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null
    sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]].*/\2/p' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
  } | grep -E "/$1/?\$" | head -1 || true
}

# Makes docker.io/library/debian:bookworm and :bookworm-slim exist locally,
# so the unchanged FROM lines resolve with --pull=never. One minbase root
# file system with the documentation stripped like the official slim image
# serves both stages.
ensure_base_image() {
  if podman image exists docker.io/library/debian:bookworm \
    && podman image exists docker.io/library/debian:bookworm-slim; then
    base_how="already present"
    return
  fi
  if [ -s "$base_tarball" ]; then
    base_how="imported from $base_tarball"
  else
    local mirror security
    mirror=${CHATBUS_DEBIAN_MIRROR:-$(apt_mirror debian)}
    mirror=${mirror:-http://deb.debian.org/debian}
    security=$(apt_mirror debian-security)
    echo "=== chatbus: debootstrap bookworm (minbase) from $mirror"
    mkdir -p "$cache_dir" "$log_dir"
    rootfs=$(mktemp -d /var/tmp/chatbus-rootfs.XXXXXX)
    if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$log_dir/debootstrap.log" 2>&1; then
      tail -20 "$log_dir/debootstrap.log" >&2
      fail "debootstrap from $mirror failed (log: $log_dir/debootstrap.log)"
    fi
    {
      echo "deb $mirror bookworm main"
      echo "deb $mirror bookworm-updates main"
      if [ -n "$security" ]; then echo "deb $security bookworm-security main"; fi
    } >"$rootfs/etc/apt/sources.list"
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
    find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
    rm -rf "$rootfs"/usr/share/{man,info,locale}/* "$rootfs"/var/cache/apt/archives/*.deb \
      "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/debootstrap
    tar --numeric-owner -C "$rootfs" -cf "$base_tarball.tmp" .
    mv "$base_tarball.tmp" "$base_tarball"
    rm -rf "$rootfs"
    rootfs=
    base_how="debootstrapped from $mirror"
  fi
  podman import --change 'CMD ["bash"]' "$base_tarball" localhost/debian:bookworm >/dev/null
  podman tag localhost/debian:bookworm docker.io/library/debian:bookworm docker.io/library/debian:bookworm-slim
}

[ "$(id -u)" -eq 0 ] || fail "needs root (rootful podman and debootstrap)"
install_packages "${CHATBUS_CONTAINER_PACKAGES[@]}"
ensure_base_image
echo "=== chatbus: base image $base_how"
