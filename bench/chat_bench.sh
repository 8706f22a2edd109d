#!/usr/bin/env bash
# bench/chat_bench.sh: the chat fan-out benchmark. Starts forumcast (Release) and
# the Node `ws` broadcast peer on loopback, drives both with bench/chat_load in
# the same run, and prints one table. Bounded: fixed connection counts, each load
# under `timeout`, servers stopped by PID on exit.
#
#   bench/chat_bench.sh                 # full run (10,000 and 1,000 viewers)
#   QUICK=1 bench/chat_bench.sh         # small smoke run (1,000 / 200 viewers)
#   PIN=1 bench/chat_bench.sh           # server and generator on separate cores
#
# Needs: cmake + ninja (builds build/chat-release if missing), node + npm ci in
# bench/peers/node-ws, python3 (table), taskset (PIN=1 only).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build/chat-release}"
BIG="${BIG:-10000}"; BIG_RATE="${BIG_RATE:-1}"; BIG_SECS="${BIG_SECS:-20}"
SMALL="${SMALL:-1000}"; SMALL_RATE="${SMALL_RATE:-400}"; SMALL_SECS="${SMALL_SECS:-10}"; POSTERS="${POSTERS:-8}"
if [[ -n "${QUICK:-}" ]]; then BIG=1000; BIG_SECS=5; SMALL=200; SMALL_RATE=100; SMALL_SECS=3; fi

ulimit -n "$(ulimit -Hn)" || true
if (( $(ulimit -n) < BIG + 200 )); then
  echo "open-file limit $(ulimit -n) is too low for $BIG viewers; lowering to fit" >&2
  BIG=$(( $(ulimit -n) - 200 ))
fi

if [[ ! -x "$BUILD/server/forumcast" || ! -x "$BUILD/bench/chat_load/chat_load" ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORUMCAST_TESTS=OFF >/dev/null
  cmake --build "$BUILD" -j2 --target forumcast chat_load
fi
if [[ ! -d "$ROOT/bench/peers/node-ws/node_modules/ws" ]]; then
  (cd "$ROOT/bench/peers/node-ws" && npm ci --no-audit --no-fund >/dev/null)
fi

WORK="$(mktemp -d /tmp/forumcast-chat-bench-XXXXXX)"
FC_PID=""; NODE_PID=""
cleanup() {
  [[ -n "$FC_PID" ]] && kill "$FC_PID" 2>/dev/null || true
  [[ -n "$NODE_PID" ]] && kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# PIN=1: server on core 0, generator on core 1 (only meaningful on an otherwise idle machine).
SRV_PIN=(); GEN_PIN=()
if [[ -n "${PIN:-}" ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  SRV_PIN=(taskset -c 0); GEN_PIN=(taskset -c 1)
fi

# forumcast: demo forum (without its in-process x264 test-pattern publisher, which would
# compete for the CPU), limits raised for the load, comments not rate-limited.
"${SRV_PIN[@]}" "$BUILD/server/forumcast" serve --demo --listen 127.0.0.1:0 --data "$WORK/data" \
  --ready-file "$WORK/ready" --log-level warn \
  --limits.max_connections $((BIG + 500)) --limits.max_connections_per_ip $((BIG + 500)) \
  --chat.comment_burst 1000000000 --chat.comment_refill_ms 0 --stream.demo_source false >"$WORK/forumcast.log" 2>&1 &
FC_PID=$!
for _ in $(seq 100); do [[ -s "$WORK/ready" ]] && break; sleep 0.1; done
FC_PORT=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["http_port"])' "$WORK/ready")
DEVICE=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$FC_PORT/api/v1/device" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["device_token"])')

"${SRV_PIN[@]}" node "$ROOT/bench/peers/node-ws/server.js" 0 >"$WORK/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/node.log" 2>/dev/null && break; sleep 0.1; done
NODE_PORT=$(awk '/listening/{print $2}' "$WORK/node.log")

load() {  # label port pid extra-args...
  local label=$1 port=$2 pid=$3; shift 3
  timeout 300 "${GEN_PIN[@]}" "$BUILD/bench/chat_load/chat_load" --port "$port" --pid "$pid" --label "$label" "$@" \
    2>>"$WORK/load.log" | grep '^RESULT ' | sed 's/^RESULT //' >>"$WORK/results.jsonl" || echo "load $label failed" >&2
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "running: $BIG viewers at $BIG_RATE/s for ${BIG_SECS}s; $SMALL viewers at $SMALL_RATE/s for ${SMALL_SECS}s ($POSTERS posters)"
load "forumcast $BIG viewers" "$FC_PORT" "$FC_PID" --forum demoforum4 --device "$DEVICE" \
  --viewers "$BIG" --posters 2 --rate "$BIG_RATE" --duration "$BIG_SECS"
load "node-ws $BIG viewers" "$NODE_PORT" "$NODE_PID" --plain --viewers "$BIG" --posters 2 --rate "$BIG_RATE" \
  --duration "$BIG_SECS"
load "forumcast $SMALL viewers" "$FC_PORT" "$FC_PID" --forum demoforum4 --device "$DEVICE" \
  --viewers "$SMALL" --posters "$POSTERS" --rate "$SMALL_RATE" --duration "$SMALL_SECS"
load "node-ws $SMALL viewers" "$NODE_PORT" "$NODE_PID" --plain --viewers "$SMALL" --posters "$POSTERS" \
  --rate "$SMALL_RATE" --duration "$SMALL_SECS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cols = [("label", "run", "{}"), ("connected", "conn", "{}"), ("connect_s", "connect s", "{:.2f}"),
        ("fanout_p50_ms", "fan-out p50 ms", "{:.1f}"), ("fanout_p99_ms", "p99 ms", "{:.1f}"),
        ("fanout_max_ms", "max ms", "{:.1f}"), ("deliveries_per_s", "deliveries/s", "{:.0f}"),
        ("lost", "lost", "{}"), ("server_closes", "cut", "{}"), ("server_cpu_s", "srv CPU s", "{:.2f}"),
        ("server_cpu_pct", "srv CPU %", "{:.0f}"), ("rss_idle_kb", "srv RSS KiB", "{}"),
        ("bytes_per_idle_conn", "B/idle conn", "{:.0f}"), ("generator_cpu_s", "gen CPU s", "{:.2f}")]
print("| " + " | ".join(c[1] for c in cols) + " |")
print("|" + "|".join("---" for _ in cols) + "|")
for r in rows:
    print("| " + " | ".join(c[2].format(r.get(c[0], "")) for c in cols) + " |")
PY
