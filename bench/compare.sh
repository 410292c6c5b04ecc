#!/usr/bin/env bash
# compare.sh: chatbus vs NATS vs Redis pub/sub, side by side, on this machine.
#
# Installs what is missing (Debian packages), builds chatbusd and
# chatbus-bench (release preset), re-executes itself in a private network
# namespace, then for every repetition and scenario runs the brokers
# interleaved (chatbus, nats, redis, chatbus, …), each started fresh per run,
# pinned to CPU 0 with the generator on CPU 1, and writes
# bench/results/<date>.md (+ .png chart, .jsonl raw runs, .log). See
# bench/README.md. Only processes this script started are stopped, by PID.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bash bench/compare.sh [--reps N] [--scenarios "A B C D E"] [--duration 5s]
                             [--unpinned-2thread] [--no-relay] [--skip-build]
  --reps N              repetitions of every (scenario, broker) run (default 3, at least 1)
  --scenarios LIST      scenarios to run, in order (default "A B C D E")
  --duration D          publishing time per run (default 5s)
  --unpinned-2thread    also run chatbusd --threads 2 without taskset (for information)
  --no-relay            skip the generator-ceiling runs against the bare relay
  --skip-build          use the binaries already in build/release
EOF
}

REPS=3
SCENARIOS="A B C D E"
DURATION=5s
UNPINNED=0
RELAY=1
SKIP_BUILD=0
ORIGINAL_ARGS=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) REPS="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --unpinned-2thread) UNPINNED=1; shift ;;
    --no-relay) RELAY=0; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --reps must be a positive integer" >&2; exit 2; }
for s in $SCENARIOS; do
  [[ "$s" =~ ^[A-E]$ ]] || { echo "compare.sh: unknown scenario '$s' (A-E)" >&2; exit 2; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/release"
CHATBUSD="$BUILD/chatbusd"
BENCH="$BUILD/bench/load/chatbus-bench"

die() { echo "compare.sh: $*" >&2; exit 1; }

# --- outside the namespace: packages and build --------------------------------
install_missing() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nats-server >/dev/null || missing+=(nats-server)
  command -v gnuplot >/dev/null || missing+=(gnuplot-nox)  # gnuplot without X; has pngcairo
  command -v unshare >/dev/null && command -v taskset >/dev/null || missing+=(util-linux)
  command -v ip >/dev/null || missing+=(iproute2)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "missing ${missing[*]}; run as root (apt-get install) or install them"
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  echo "compare.sh: installing ${missing[*]}" >&2
  apt-get update -q >&2 || die "apt-get update failed (no access to Debian's mirrors?)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
    die "apt-get install ${missing[*]} failed"
}

build() {
  [[ $SKIP_BUILD -eq 1 ]] && return 0
  (cd "$ROOT" && cmake --preset release >/dev/null &&
    cmake --build --preset release --target chatbusd chatbus-bench -j 2) >&2 ||
    die "build failed (cmake --preset release && cmake --build --preset release --target chatbusd chatbus-bench)"
}

if [[ -z "${CHATBUS_BENCH_NETNS:-}" ]]; then
  install_missing
  build
  [[ -x "$CHATBUSD" && -x "$BENCH" ]] || die "no $CHATBUSD or $BENCH"
  # A private network namespace: only our loopback, no host firewall/conntrack.
  exec unshare -n -- env CHATBUS_BENCH_NETNS=1 bash "${BASH_SOURCE[0]}" "${ORIGINAL_ARGS[@]}"
fi

# --- inside the namespace -----------------------------------------------------
ip link set lo up || die "cannot bring up lo in the private network namespace"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

DATE="$(date +%F)"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
RUNS="$OUT/$DATE.jsonl"
LOG="$OUT/$DATE.log"
REPORT="$OUT/$DATE.md"
CHART="$OUT/$DATE.png"
WORK="$(mktemp -d /tmp/chatbus-compare.XXXXXX)"
: >"$RUNS"
: >"$LOG"

BROKER_PID=""
cleanup() {
  if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "$*" | tee -a "$LOG" >&2; }

cat >"$WORK/nats.conf" <<'EOF'
# Roomy limits, so NATS is not cut short by its own defaults (64 MiB pending,
# 10 s write deadline) where chatbusd would announce drops instead.
max_pending: 1073741824
write_deadline: "60s"
max_connections: 20000
EOF

declare -A PORT=([chatbus]=17420 [nats]=14222 [redis]=16379 [relay]=17500)

broker_command() {  # broker variant → the command line, one word per line
  case "$1" in
    chatbus) printf '%s\n' "$CHATBUSD" --bind 127.0.0.1 --port "${PORT[chatbus]}" --threads 1 \
      --log-level warn --max-connections 20000 --max-subs 20000 ;;
    chatbus2) printf '%s\n' "$CHATBUSD" --bind 127.0.0.1 --port "${PORT[chatbus]}" --threads 2 \
      --log-level warn --max-connections 20000 --max-subs 20000 ;;
    nats) printf '%s\n' nats-server -a 127.0.0.1 -p "${PORT[nats]}" -c "$WORK/nats.conf" ;;
    redis) printf '%s\n' redis-server --port "${PORT[redis]}" --bind 127.0.0.1 --save '' \
      --appendonly no --protected-mode no --client-output-buffer-limit 'pubsub 0 0 0' \
      --maxclients 15000 --logfile "$WORK/redis.log" ;;
    relay) printf '%s\n' "$BENCH" relay --host 127.0.0.1 --port "${PORT[relay]}" ;;
  esac
}

wait_for_port() {  # port → 0 once something accepts on it (10 s at most)
  local i
  for ((i = 0; i < 200; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$BROKER_PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

start_broker() {  # variant pin(0|1) → BROKER_PID
  local variant="$1" pin="$2" cmd=()
  mapfile -t cmd < <(broker_command "$variant")
  local pinning=()
  [[ "$pin" -eq 1 ]] && pinning=(taskset -c 0)
  if [[ "$variant" == nats ]]; then
    GOMAXPROCS=1 "${pinning[@]}" "${cmd[@]}" >>"$WORK/broker.log" 2>&1 &
  else
    "${pinning[@]}" "${cmd[@]}" >>"$WORK/broker.log" 2>&1 &
  fi
  BROKER_PID=$!
}

stop_broker() {
  [[ -n "$BROKER_PID" ]] || return 0
  kill -TERM "$BROKER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$BROKER_PID" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$BROKER_PID" 2>/dev/null && kill -KILL "$BROKER_PID" 2>/dev/null
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

INVALID=0
json_text() { sed 's/\\/\\\\/g; s/"/\\"/g' | tr -d '\n\r\t' | cut -c1-300; }
record_failure() {  # protocol scenario label message → a JSON line marking the run invalid
  printf '{"broker":"%s","scenario":"%s","label":"%s","valid":false,"dropped":0,"errors":["%s"]}\n' \
    "$1" "$2" "$3" "$(printf '%s' "$4" | json_text)" >>"$RUNS"
}

run_one() {  # variant protocol scenario label pin
  local variant="$1" protocol="$2" scenario="$3" label="$4" pin="$5"
  local port="${PORT[$variant]:-${PORT[chatbus]}}"
  start_broker "$variant" "$pin"
  if ! wait_for_port "$port"; then
    log "!! $variant did not start listening on $port; see its log:"
    tail -5 "$WORK/broker.log" | tee -a "$LOG" >&2
    stop_broker
    record_failure "$protocol" "$scenario" "$label" "$variant did not start: $(tail -1 "$WORK/broker.log")"
    INVALID=$((INVALID + 1))
    return 0
  fi
  local generator=("$BENCH")
  [[ "$pin" -eq 1 ]] && generator=(taskset -c 1 "$BENCH")
  local rc=0
  "${generator[@]}" --broker "$protocol" --port "$port" --scenario "$scenario" \
    --duration "$DURATION" --broker-pid "$BROKER_PID" --label "$label" --json \
    >"$WORK/run.json" 2>"$WORK/run.err" || rc=$?
  stop_broker
  if [[ -s "$WORK/run.json" ]]; then
    cat "$WORK/run.json" >>"$RUNS"
  else
    record_failure "$protocol" "$scenario" "$label" "chatbus-bench exited with $rc: $(head -1 "$WORK/run.err")"
  fi
  sed "s/^/[$label] /" "$WORK/run.err" | tee -a "$LOG" >&2
  if [[ $rc -ne 0 ]]; then INVALID=$((INVALID + 1)); fi
}

# CPU busy share of the whole machine over one second (other users distort runs).
machine_busy_percent() {
  local a b
  read -r -a a < <(head -1 /proc/stat)
  sleep 1
  read -r -a b < <(head -1 /proc/stat)
  local total=0 idle i
  for ((i = 1; i < ${#a[@]}; i++)); do total=$((total + b[i] - a[i])); done
  idle=$(( (b[4] - a[4]) + (b[5] - a[5]) ))
  [[ $total -gt 0 ]] && echo $(( 100 * (total - idle) / total )) || echo 0
}

BUSY_BEFORE="$(machine_busy_percent)"
START_TS="$(date +%s)"
log "compare.sh: reps=$REPS scenarios='$SCENARIOS' duration=$DURATION; machine busy before start: ${BUSY_BEFORE}%"

if [[ $RELAY -eq 1 ]]; then
  for s in $SCENARIOS; do
    [[ "$s" =~ [ABCD] ]] && run_one relay chatbus "$s" relay 1
  done
fi
for ((rep = 1; rep <= REPS; rep++)); do
  for s in $SCENARIOS; do
    for b in chatbus nats redis; do
      log "-- rep $rep/$REPS scenario $s broker $b"
      run_one "$b" "$b" "$s" pinned 1
    done
  done
done
if [[ $UNPINNED -eq 1 ]]; then
  for s in $SCENARIOS; do
    log "-- unpinned chatbusd --threads 2, scenario $s"
    run_one chatbus2 chatbus "$s" unpinned-2thread 0
  done
fi
BUSY_AFTER="$(machine_busy_percent)"
ELAPSED=$(( $(date +%s) - START_TS ))

# --- the report ---------------------------------------------------------------
"$BENCH" summarize --runs "$RUNS" --chart-data "$WORK/chart.dat" >"$WORK/tables.md"

chatbus_version="$("$CHATBUSD" --version 2>&1 | head -1)"
git_rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet HEAD -- src include 2>/dev/null || git_rev="$git_rev + uncommitted changes in src/ include/"
nats_version="$(nats-server --version 2>&1 | head -1)"
redis_version="$(redis-server --version 2>&1 | head -1)"
model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
quoted_args=""
for a in "${ORIGINAL_ARGS[@]}"; do quoted_args+=" $(printf '%q' "$a")"; done

{
  echo "# chatbus vs NATS vs Redis pub/sub — $DATE"
  echo
  echo "- Command: \`bash bench/compare.sh$quoted_args\` ($ELAPSED s)"
  echo "- Machine: $(nproc) × $model, $mem, Linux $(uname -r); CPU busy with other work just before the runs: ${BUSY_BEFORE}%, just after: ${BUSY_AFTER}%"
  echo "- chatbusd: $chatbus_version (git $git_rev); $nats_version; $redis_version"
  echo "- Method: private network namespace (\`unshare -n\`, loopback only); broker pinned to CPU 0 and generator (chatbus-bench, one thread) to CPU 1 with \`taskset\`; every run starts a fresh broker; brokers interleaved (chatbus, NATS, Redis) within each repetition; $REPS repetition(s), $DURATION of publishing per run; ~100-byte canonical \`chat:stream:\` payloads on \`chat:stream:<uuid>\` topics for every broker. See bench/README.md."
  echo "- Broker command lines:"
  for v in chatbus nats redis; do
    line="$(broker_command "$v" | sed "s|$ROOT/||; s|$WORK/|/tmp/…/|" | while read -r w; do printf '%q ' "$w"; done)"
    [[ $v == nats ]] && line="GOMAXPROCS=1 $line"
    echo "  - \`${line% }\`"
  done
  echo "  - nats.conf: \`max_pending: 1073741824\`, \`write_deadline: \"60s\"\`, \`max_connections: 20000\`"
  echo
  echo "## Results"
  cat "$WORK/tables.md"
  echo
  if [[ -s "$WORK/chart.dat" ]]; then
    echo "![deliveries/s (A–C) and p99 latency (D) per broker]($DATE.png)"
    echo
  fi
  echo "## Caveats"
  echo
  echo "- Redis runs with \`client-output-buffer-limit pubsub 0 0 0\` (no limit): its default (32 MB hard, 8 MB for 60 s) would disconnect subscribers that fall behind, making runs invalid; without the limit a slow subscriber's backlog grows in Redis's memory instead."
  echo "- NATS runs with \`max_pending\` 1 GiB and \`write_deadline\` 60 s instead of 64 MiB / 10 s, for the same reason (a NATS slow consumer is disconnected: an invalid run). Core NATS has no PUB acknowledgement: the publisher's window counts PONGs to a PING sent every 100 PUBs."
  echo "- chatbusd runs with its defaults otherwise (\`max_pending\` 8 MiB): a subscriber that falls that far behind gets \`DROPPED\` instead of the messages; drops are announced, so the run stays valid, but only delivered messages count in deliveries/s (see the drops row)."
  echo "- The CPU cost per delivery comes from /proc/<pid>/stat (utime+stime, 10 ms ticks) over the measured interval; for D (100k deliveries/s) it is dominated by per-message overhead at low load."
  echo "- Other processes on this machine compete for the same two cores: the busy figures above and each row's CPU pressure (PSI: time some task waited for a core) tell how much. Where they are not near 0 %, prefer CPU/delivery and the ratios over absolute rates and latencies."
  echo "- Latency (D) on this VM includes waking the broker's idle vCPU for every message (tens of µs); the generator busy-polls so that its own wake-ups are not added. The bare relay's D row is the floor."
  echo
  echo "Raw runs: \`$DATE.jsonl\` (one JSON object per run); generator output: \`$DATE.log\`."
} >"$REPORT"

if [[ -s "$WORK/chart.dat" ]]; then
  has_d=0
  awk '/block 1/ {b = 1; next} b && NF == 2 && $2 != "-" {found = 1} END {exit !found}' "$WORK/chart.dat" && has_d=1
  has_abc=0
  awk '/block 1/ {exit} /^[ABC] / {found = 1} END {exit !found}' "$WORK/chart.dat" && has_abc=1
  {
    echo "set terminal pngcairo size 1200,520 font 'sans,10'"
    echo "set output '$CHART'"
    echo "set datafile missing '-'"
    echo "set style fill solid 0.85 border -1"
    echo "set grid ytics"
    echo "set yrange [0:*]"
    echo "set multiplot layout 1,$((has_abc + has_d)) title 'chatbus vs NATS vs Redis, $DATE (medians of valid runs; broker on 1 pinned core)'"
    if [[ $has_abc -eq 1 ]]; then
      echo "set title 'Throughput (A: 100 subs, B: 1000 subs, C: 1000 topics)'"
      echo "set ylabel 'deliveries/s (millions)'"
      echo "set style data histograms"
      echo "set style histogram clustered gap 1"
      echo "set key top right"
      echo "plot '$WORK/chart.dat' index 0 using 2:xtic(1) title 'chatbus' lc rgb '#1f77b4', '' index 0 using 3 title 'NATS' lc rgb '#2ca02c', '' index 0 using 4 title 'Redis' lc rgb '#d62728'"
    fi
    if [[ $has_d -eq 1 ]]; then
      echo "set title 'Latency p99, D: 1000 msgs/s to 100 subscribers'"
      echo "set ylabel 'p99 (microseconds)'"
      echo "set style data boxes"
      echo "set boxwidth 0.6"
      echo "set xrange [-0.6:2.6]"
      echo "unset key"
      echo "plot '$WORK/chart.dat' index 1 using 0:2:(\$0 == 0 ? 0x1f77b4 : \$0 == 1 ? 0x2ca02c : 0xd62728):xtic(1) with boxes lc rgb variable"
    fi
    echo "unset multiplot"
  } >"$WORK/chart.gp"
  gnuplot "$WORK/chart.gp" 2>>"$LOG" || log "gnuplot failed; no chart"
fi

log "compare.sh: wrote $REPORT ($ELAPSED s); $INVALID run(s) invalid or failed"
[[ $INVALID -eq 0 ]]
