#!/usr/bin/env bash
# bench/moderation/fanout_bench.sh: the chat fan-out benchmark of bench/chat_bench.sh
# with moderation ON: 10,000 blocked terms in the global list (every comment is
# folded and scanned; none of them matches the load's text, so every comment is
# delivered) and a chat delay (default 2 s: every resident comment waits in the held
# queue and is published by the relay's tick). Same binaries as chat_bench.sh
# (build/chat-release: forumcast and bench/chat_load/chat_load), same load shapes:
# 10,000 viewers at 1 comment/s and 1,000 viewers at 400 comments/s. Reports the
# table of chat_bench.sh plus the fan-out figures net of the delay (measured - delay).
# Bounded: fixed connection counts, each load under `timeout`, server stopped by PID.
#
#   bench/moderation/fanout_bench.sh              # full run
#   QUICK=1 bench/moderation/fanout_bench.sh      # small smoke run (1,000 / 200 viewers)
#   DELAY_MS=0 TERMS=0 bench/moderation/fanout_bench.sh   # the same runs without moderation
#
#   BUILD=build/mod-release bench/moderation/fanout_bench.sh   # other binaries (Release!)
#
# Needs: a Release build in BUILD (not built here), node + npm ci in
# bench/peers/node-ws (its `ws` sends the moderator's set_settings), python3, curl.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build/chat-release}"
BIG="${BIG:-10000}"; BIG_RATE="${BIG_RATE:-1}"; BIG_SECS="${BIG_SECS:-20}"
SMALL="${SMALL:-1000}"; SMALL_RATE="${SMALL_RATE:-400}"; SMALL_SECS="${SMALL_SECS:-10}"; POSTERS="${POSTERS:-8}"
TERMS="${TERMS:-10000}"; DELAY_MS="${DELAY_MS:-2000}"
if [[ -n "${QUICK:-}" ]]; then BIG=1000; BIG_SECS=5; SMALL=200; SMALL_RATE=100; SMALL_SECS=3; fi

ulimit -n "$(ulimit -Hn)" || true
if (( $(ulimit -n) < BIG + 200 )); then
  echo "open-file limit $(ulimit -n) is too low for $BIG viewers; lowering to fit" >&2
  BIG=$(( $(ulimit -n) - 200 ))
fi
# Never builds (BUILD may be another engineer's directory, relinking right now): say how.
if [[ ! -x "${FC:-$BUILD/server/forumcast}" || ! -x "$BUILD/bench/chat_load/chat_load" ]]; then
  echo "no $BUILD/server/forumcast or chat_load; build them first:" >&2
  echo "  cmake -S . -B $BUILD -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORUMCAST_TESTS=OFF && cmake --build $BUILD -j2 --target forumcast chat_load" >&2
  exit 1
fi
if [[ ! -d "$ROOT/bench/peers/node-ws/node_modules/ws" ]]; then
  (cd "$ROOT/bench/peers/node-ws" && npm ci --no-audit --no-fund >/dev/null)
fi
FC="${FC:-$BUILD/server/forumcast}"

WORK="$(mktemp -d /tmp/forumcast-mod-bench-XXXXXX)"
FC_PID=""
cleanup() {
  [[ -n "$FC_PID" ]] && kill "$FC_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ -n "${KEEP:-}" ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# 10,000 terms of three CJK characters, none of them in the load's text (chat_load's
# filler sentence and its ASCII marker), so that every comment is scanned and delivered.
python3 - "$TERMS" "$WORK/terms.txt" <<'PY'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
filler = set("中心广场改造后能不能多放几张长椅老人想坐下来聊聊天楼道里的电动车什么时候清理")
rng = random.Random(20261123)
pool = [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in filler]
seen = set()
with open(out, "w", encoding="utf-8") as f:
    while len(seen) < n:
        t = "".join(rng.choice(pool) for _ in range(3))
        if t not in seen:
            seen.add(t)
            f.write(t + "\n")
PY

start_server() {
  "$FC" serve --demo --listen 127.0.0.1:0 --data "$WORK/data" \
    --ready-file "$WORK/ready" --log-level warn \
    --limits.max_connections $((BIG + 500)) --limits.max_connections_per_ip $((BIG + 500)) \
    --chat.comment_burst 1000000000 --chat.comment_refill_ms 0 --stream.demo_source false >"$WORK/forumcast.log" 2>&1 &
  FC_PID=$!
  for _ in $(seq 150); do [[ -s "$WORK/ready" ]] && break; sleep 0.1; done
  [[ -s "$WORK/ready" ]] || { echo "forumcast did not start" >&2; cat "$WORK/forumcast.log" >&2; exit 1; }
}

# The terms: `forumcast terms add --file` (validated and audited, like an organizer's
# edit). A binary without the `terms` command (built before it existed) gets them
# written straight into blocked_terms after a first start has created the database.
if (( TERMS > 0 )); then
  if "$FC" --help 2>/dev/null | grep -q "^  terms "; then
    "$FC" terms add --file "$WORK/terms.txt" --action hold --data "$WORK/data" >"$WORK/terms.log"
  else
    start_server; kill "$FC_PID"; wait "$FC_PID" 2>/dev/null || true; FC_PID=""; rm -f "$WORK/ready"
    python3 - "$WORK/data/forumcast.db" "$WORK/terms.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
terms = [l.strip() for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
with db:
    db.execute("DELETE FROM blocked_terms WHERE scope = ''")
    db.executemany("INSERT INTO blocked_terms(scope, position, term, action, timeout_ms) VALUES ('', ?, ?, 'hold', 0)",
                   list(enumerate(terms)))
PY
    echo "(terms written into the database: $FC has no 'terms' command)" >&2
  fi
fi
start_server
FC_PORT=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["http_port"])' "$WORK/ready")
DEVICE=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$FC_PORT/api/v1/device" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["device_token"])')

# The chat delay (none: the forum's default, 0): a moderator's set_settings over the protocol.
if (( DELAY_MS > 0 )); then
PASS="bench-moderator-$RANDOM$RANDOM"
printf '%s\n' "$PASS" | "$FC" user add --name benchmod --role moderator --password-stdin --data "$WORK/data" >/dev/null
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"name\":\"benchmod\",\"password\":\"$PASS\"}" "http://127.0.0.1:$FC_PORT/api/v1/login" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
NODE_PATH="$ROOT/bench/peers/node-ws/node_modules" node - "$FC_PORT" "$TOKEN" "$DELAY_MS" >"$WORK/settings.json" <<'JS'
const WebSocket = require('ws');
const [port, session, delay] = process.argv.slice(2);
const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'forumcast.v1');
const timer = setTimeout(() => { console.error('set_settings timed out'); process.exit(1); }, 10000);
ws.on('open', () => ws.send(JSON.stringify({ op: 'join', rid: 1, forum: 'demoforum4', session })));
ws.on('message', (data) => {
  for (const m of [JSON.parse(data)].flat()) {
    if (m.rid === 1) {
      if (!m.ok) { console.error(JSON.stringify(m)); process.exit(1); }
      ws.send(JSON.stringify({ op: 'set_settings', rid: 2, settings: { chat_delay_ms: Number(delay) } }));
    } else if (m.rid === 2) {
      if (!m.ok) { console.error(JSON.stringify(m)); process.exit(1); }
      process.stdout.write(JSON.stringify(m.settings));
      clearTimeout(timer); ws.close(); process.exit(0);
    }
  }
});
JS
grep -q "\"chat_delay_ms\":$DELAY_MS" "$WORK/settings.json" || { echo "chat delay not set" >&2; exit 1; }
fi

load() {  # label extra-args...
  local label=$1; shift
  timeout 300 "$BUILD/bench/chat_load/chat_load" --port "$FC_PORT" --pid "$FC_PID" --label "$label" \
    --forum demoforum4 --device "$DEVICE" --drain $(( DELAY_MS / 1000 + 6 )) "$@" \
    2>>"$WORK/load.log" | grep '^RESULT ' | sed 's/^RESULT //' >>"$WORK/results.jsonl" || echo "load $label failed" >&2
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "moderation: $TERMS blocked terms (global list), chat delay ${DELAY_MS} ms; binary $FC"
echo "running: $BIG viewers at $BIG_RATE/s for ${BIG_SECS}s; $SMALL viewers at $SMALL_RATE/s for ${SMALL_SECS}s ($POSTERS posters)"
load "forumcast+mod $BIG viewers" --viewers "$BIG" --posters 2 --rate "$BIG_RATE" --duration "$BIG_SECS"
load "forumcast+mod $SMALL viewers" --viewers "$SMALL" --posters "$POSTERS" --rate "$SMALL_RATE" --duration "$SMALL_SECS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK/results.jsonl" "$DELAY_MS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
delay = float(sys.argv[2])
for r in rows:
    for k in ("fanout_p50_ms", "fanout_p99_ms", "fanout_max_ms"):
        r[k + "_net"] = r.get(k, 0) - delay
cols = [("label", "run", "{}"), ("connected", "conn", "{}"), ("connect_s", "connect s", "{:.2f}"),
        ("fanout_p50_ms", "fan-out p50 ms", "{:.1f}"), ("fanout_p99_ms", "p99 ms", "{:.1f}"),
        ("fanout_max_ms", "max ms", "{:.1f}"),
        ("fanout_p50_ms_net", "net p50 ms", "{:.1f}"), ("fanout_p99_ms_net", "net p99 ms", "{:.1f}"),
        ("fanout_max_ms_net", "net max ms", "{:.1f}"), ("deliveries_per_s", "deliveries/s", "{:.0f}"),
        ("lost", "lost", "{}"), ("server_closes", "cut", "{}"), ("server_cpu_s", "srv CPU s", "{:.2f}"),
        ("server_cpu_pct", "srv CPU %", "{:.0f}"), ("rss_idle_kb", "srv RSS KiB", "{}"),
        ("bytes_per_idle_conn", "B/idle conn", "{:.0f}"), ("generator_cpu_s", "gen CPU s", "{:.2f}")]
print("| " + " | ".join(c[1] for c in cols) + " |")
print("|" + "|".join("---" for _ in cols) + "|")
for r in rows:
    print("| " + " | ".join(c[2].format(r.get(c[0], "")) for c in cols) + " |")
print(f"(net = measured - the {delay:.0f} ms chat delay; delayed comments are released by the relay's 50 ms tick)")
PY
