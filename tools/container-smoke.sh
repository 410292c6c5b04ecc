#!/usr/bin/env bash
# Builds the chatbusd container image with podman and smoke-tests it on
# loopback: the daemon comes up ready, the image's HEALTHCHECK passes, a
# message published with the image's `chatbus pub` reaches `chatbus sub` (in
# a second container) and a raw protocol subscriber, and `podman stop`
# (SIGTERM) makes chatbusd send BYE shutdown and exit 0.
#
# Without a registry, tools/container-base.sh makes the debian:bookworm base
# with debootstrap. Needs root (rootful podman, debootstrap). Prints the
# image size and the time of each phase; exits non-zero with a message on
# the first failure and always removes the containers it started.
#
# Environment: CHATBUS_IMAGE (default localhost/chatbus:smoke), and
# CHATBUS_CACHE_DIR, CHATBUS_DEBIAN_MIRROR for tools/container-base.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh

image=${CHATBUS_IMAGE:-localhost/chatbus:smoke}
log_dir=build/container
server=chatbus-smoke-$$
subscriber=chatbus-smoke-sub-$$
started=$SECONDS

fail() {
  echo "=== chatbus: container smoke FAILED: $*" >&2
  exit 1
}

# Every podman call that creates a container names runc: crun cannot set up
# cgroups on this kernel's hybrid hierarchy.
pm() {
  podman --runtime runc "$@"
}

cleanup() {
  pm rm --force --ignore "$server" "$subscriber" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# True when something accepts connections on 127.0.0.1:$1.
port_in_use() {
  local fd
  if { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    exec {fd}>&-
    return 0
  fi
  return 1
}

# Sets port and admin_port: the defaults 7420/7421 when both are free, else
# a free pair of neighbours.
pick_ports() {
  port=7420
  local tries=0
  while port_in_use "$port" || port_in_use $((port + 1)); do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || fail "found no two free neighbouring ports on 127.0.0.1"
    port=$((20000 + RANDOM % 40000))
  done
  admin_port=$((port + 1))
}

# Prints the response (status line, headers, body) to GET $1 on the admin port.
http_get() {
  local fd response=
  { exec {fd}<>"/dev/tcp/127.0.0.1/$admin_port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&"$fd"
  IFS= read -r -d '' -t 5 response <&"$fd" || true
  exec {fd}>&-
  printf '%s' "$response"
}

server_running() {
  [ "$(podman inspect --format '{{.State.Running}}' "$server" 2>/dev/null)" = true ]
}

server_log_tail() {
  echo "--- last lines of the chatbusd container's log:" >&2
  podman logs "$server" 2>&1 | tail -30 >&2 || true
}

# Polls $2 (a command) until it succeeds, for at most $1 seconds; used only
# for processes outside this shell (containers coming up, a second
# container's output), never for the daemon's replies on our own sockets.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

ready() {
  server_running || return 0 # stop waiting; the caller sees it exited
  if [ "$has_admin" = yes ]; then
    bash deploy/chatbus-healthcheck /readyz "$admin_port" 2>/dev/null
  else
    # Before the admin endpoint: PING on the client port.
    local fd reply=
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    printf 'PING\n' >&"$fd"
    IFS= read -r -t 5 reply <&"$fd" || true
    exec {fd}>&-
    [[ $reply == PONG* ]]
  fi
}

# The raw subscriber and the CLI's: two subscribers on the topic.
subscribed() {
  http_get "/v1/stats?topics_prefix=$topic" | grep -Eq '"subscribers": *2[,}]'
}

subscriber_saw() {
  podman logs "$subscriber" 2>/dev/null | grep -Eq "$1"
}

# --- the image ---------------------------------------------------------------

[ "$(id -u)" -eq 0 ] || fail "needs root (rootful podman and debootstrap)"
install_packages "${CHATBUS_CONTAINER_PACKAGES[@]}"
mkdir -p "$log_dir"
# podman's stderr from starting and stopping the server: on a machine without
# systemd it complains there that it cannot manage health check timers.
: >"$log_dir/podman.log"

phase=$SECONDS
bash tools/container-base.sh || fail "no debian:bookworm base image"
base_seconds=$((SECONDS - phase))

phase=$SECONDS
echo "=== chatbus: podman build $image (log: $log_dir/build.log)"
# --format docker keeps HEALTHCHECK; --network host because the build's
# apt-get needs no network of its own.
if ! pm build --pull=never --format docker --network host --tag "$image" . >"$log_dir/build.log" 2>&1; then
  tail -40 "$log_dir/build.log" >&2
  fail "podman build failed (log: $log_dir/build.log)"
fi
build_seconds=$((SECONDS - phase))
size=$(podman images --format '{{.Size}}' "$image" | head -1)
echo "=== chatbus: built $image, $size (${build_seconds}s)"

# What the image promises, read back from its configuration.
config=$(podman image inspect --format \
  '{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.ExposedPorts}}|{{json .Config.Env}}|{{json .HealthCheck}}' "$image")
IFS='|' read -r user entrypoint exposed env healthcheck <<<"$config"
[ "$user" = 7420:7420 ] || fail "image user is '$user', not 7420:7420"
[[ $entrypoint == '["/usr/local/bin/chatbusd",'* ]] || fail "entrypoint is not the exec form of chatbusd: $entrypoint"
[[ $exposed == *'"7420/tcp"'* && $exposed == *'"7421/tcp"'* ]] || fail "image does not expose 7420 and 7421: $exposed"
[[ $env == *'"CHATBUS_BIND=0.0.0.0"'* && $env == *'"CHATBUS_ADMIN_BIND=0.0.0.0"'* ]] \
  || fail "image does not bind both ports on 0.0.0.0: $env"
[[ $healthcheck == *chatbus-healthcheck* ]] || fail "image has no HEALTHCHECK (built without --format docker?): $healthcheck"

# Podman's default rlimits are refused on these hosts; set them.
run_options=(--network host --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
features=$(pm run --rm --no-healthcheck "${run_options[@]}" --entrypoint /bin/sh "$image" -c \
  'if command -v chatbus >/dev/null; then echo cli; fi; if chatbusd --help | grep -q -- --admin-port; then echo admin; fi') \
  || fail "cannot run a shell in $image"
has_cli=no has_admin=no
if grep -qx cli <<<"$features"; then has_cli=yes; fi
if grep -qx admin <<<"$features"; then has_admin=yes; fi
echo "=== chatbus: image has the chatbus CLI: $has_cli, the admin endpoint: $has_admin"

# --- the smoke test ----------------------------------------------------------

phase=$SECONDS
pick_ports
topic=smoke:$$-$RANDOM
token=smoke-$$-$RANDOM
payload="{\"smoke\":\"$token\"}"
echo "=== chatbus: starting $server on 127.0.0.1:$port (admin $admin_port)"
# Bound to loopback: with --network host, the image's 0.0.0.0 would be
# every interface of this machine.
# No health check timer (podman runs it from systemd, which this machine may
# lack); `podman healthcheck run` below runs it once on demand.
pm run --detach --name "$server" --init --health-interval disable "${run_options[@]}" \
  -e CHATBUS_BIND=127.0.0.1 -e CHATBUS_ADMIN_BIND=127.0.0.1 \
  -e CHATBUS_PORT="$port" -e CHATBUS_ADMIN_PORT="$admin_port" \
  "$image" >/dev/null 2>>"$log_dir/podman.log" || fail "podman run failed (log: $log_dir/podman.log)"

if ! wait_until 30 ready || ! server_running; then
  server_log_tail
  fail "chatbusd did not become ready within 30 s"
fi
echo "=== chatbus: ready after $((SECONDS - phase))s"

if [ "$has_admin" = yes ]; then
  pm healthcheck run "$server" >/dev/null || { server_log_tail; fail "the image's HEALTHCHECK reports unhealthy"; }
  echo "=== chatbus: HEALTHCHECK healthy"
fi

# A subscriber on the raw protocol, for the exact lines. Commands started
# while it is open get `{raw}>&-`: a copy of the socket in a podman or
# conmon process would keep the connection open after we close it.
exec {raw}<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to 127.0.0.1:$port"
printf 'SUB %s\n' "$topic" >&"$raw"
IFS= read -r -t 5 line <&"$raw" || true
[ "$line" = "OK $topic" ] || fail "SUB $topic got '$line'"

if [ "$has_cli" = yes ]; then
  pm run --detach --name "$subscriber" --no-healthcheck "${run_options[@]}" --entrypoint chatbus "$image" \
    sub --addr "127.0.0.1:$port" --json "$topic" >/dev/null {raw}>&- || fail "podman run of chatbus sub failed"
  # The raw subscriber is one, the CLI's makes two.
  wait_until 15 subscribed || fail "chatbus sub did not subscribe within 15 s (podman logs $subscriber)"
  pm run --rm --no-healthcheck "${run_options[@]}" --entrypoint chatbus "$image" \
    pub --addr "127.0.0.1:$port" "$topic" "$payload" >/dev/null {raw}>&- || fail "chatbus pub failed"
else
  # Before the CLI: publish on the raw protocol too.
  exec {publisher}<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to 127.0.0.1:$port"
  printf 'PUB %s %s\n' "$topic" "$payload" >&"$publisher"
  IFS= read -r -t 5 line <&"$publisher" || true
  [ "$line" = "OK 1" ] || fail "PUB $topic got '$line', not 'OK 1'"
  exec {publisher}>&-
fi

IFS= read -r -t 5 line <&"$raw" || true
[ "$line" = "MSG $topic 1 $payload" ] || fail "the raw subscriber got '$line', not 'MSG $topic 1 $payload'"
if [ "$has_cli" = yes ]; then
  wait_until 10 subscriber_saw "$token" || fail "chatbus sub did not print the message (podman logs $subscriber)"
fi
echo "=== chatbus: published and received on $topic"

# podman stop sends the image's STOPSIGNAL (SIGTERM) and kills only after
# 10 s. The raw subscriber closes once it has its BYE, as a client should,
# so chatbusd need not wait out its linger for it (and the background
# podman must not hold a copy of the socket).
pm stop --time 10 "$server" >/dev/null 2>>"$log_dir/podman.log" {raw}>&- &
stopping=$!
IFS= read -r -t 10 line <&"$raw" || true
exec {raw}>&-
wait "$stopping" || fail "podman stop failed (log: $log_dir/podman.log)"
[ "$line" = "BYE shutdown" ] || fail "the raw subscriber got '$line' at shutdown, not 'BYE shutdown'"
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$server")
[ "$exit_code" = 0 ] || { server_log_tail; fail "chatbusd exited with $exit_code after SIGTERM, not 0"; }
if [ "$has_cli" = yes ]; then
  wait_until 10 subscriber_saw '"type": *"bye".*"reason": *"shutdown"|"reason": *"shutdown".*"type": *"bye"' \
    || fail "chatbus sub did not print the BYE shutdown (podman logs $subscriber)"
fi
echo "=== chatbus: SIGTERM: BYE shutdown to the subscribers, exit code 0"
smoke_seconds=$((SECONDS - phase))

echo "=== chatbus: container smoke passed: image $image $size;" \
  "base image ${base_seconds}s, build ${build_seconds}s, smoke ${smoke_seconds}s, total $((SECONDS - started))s"
