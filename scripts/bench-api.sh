#!/usr/bin/env bash
# Load benchmark of the API (not part of the tests), against 127.0.0.1 only.
#   wrk: 64 connections creating purchases through POST /api/v1/units/{unit}/purchases
#        for 30 seconds, spread over 200 units (as 200 clerks would);
#   baseline: pgbench, 64 clients, single-row INSERTs into the same purchases table,
#        for 30 seconds, in the same run.
# Prints requests per second, p50/p99 latency, errors, acknowledged purchases missing
# from the database afterwards (must be 0), and the ratio to pgbench
# (target: at least 0.30, with p99 under 50 ms). Exits 1 when an acknowledged purchase
# is missing, a request failed, or audit verify finds the trail not intact.
# Options: DURATION=30 CONNECTIONS=64 PORT=8181 SERVE_ARGS="--max-batch 1" scripts/bench-api.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-64}"
PORT="${PORT:-8181}"
UNITS=200
WORK="$REPO_ROOT/bench-data/api"
mkdir -p "$WORK"

ensure_postgres
ensure_wrk
PGBENCH="$(pg_config --bindir)/pgbench"
[ -x "$PGBENCH" ] || PGBENCH="$(command -v pgbench)"

ensure_build_libraries
log "swift build -c release"
swift build -c release
SETASIDE_BIN="$(swift build -c release --show-bin-path)/setaside"
start_db
SERVER_URL="$(setaside db url --superuser)"
# The server's pool and pgbench's 64 clients need more than the default 100 connections.
if [ "$(psql -qtA "$SERVER_URL" -c 'SHOW max_connections')" -lt 200 ]; then
    log "raising max_connections to 200 (restarts the embedded cluster)"
    psql -q "$SERVER_URL" -c "ALTER SYSTEM SET max_connections = 200"
    setaside db stop && setaside db start
fi
base="${SERVER_URL%%\?*}"; query=""; [[ "$SERVER_URL" == *\?* ]] && query="?${SERVER_URL#*\?}"
DB_URL="${base%/*}/bench_api$query"

log "a fresh database with $UNITS units"
psql -q "$SERVER_URL" -c "DROP DATABASE IF EXISTS bench_api WITH (FORCE)" -c "CREATE DATABASE bench_api"
export DATABASE_URL="$DB_URL"
setaside migrate >/dev/null
setaside demo --units "$UNITS" --purchases 0 --output "$WORK/seed" >/dev/null
for kind in regions units; do setaside import "$kind" "$WORK/seed/$kind.csv" >/dev/null; done
admin_token bench
tail -n +2 "$WORK/seed/units.csv" | cut -d, -f1 > "$WORK/units.txt"

cat > "$WORK/post.lua" <<LUA
-- Each request logs a new purchase for one of the units, with an order number no
-- other request uses: the run's label (given after --), the thread id, a counter.
local units = {}
for line in io.lines("$WORK/units.txt") do units[#units + 1] = line end
local counter = 0
local thread_id = 0
local label = "run"
function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end
function init(args)
  label = args[1] or label
  math.randomseed(os.time() + id)
end
function request()
  counter = counter + 1
  local unit = units[math.random(#units)]
  local body = string.format('{"orderNo": "%s-%d-%d", "orderDate": "2024-06-01", "channel": "platform832", ' ..
    '"category": "canteenFood", "originCode": "140603", "amount": "88.80"}', label, id, counter)
  return wrk.format("POST", "/api/v1/units/" .. unit .. "/purchases",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"}, body)
end
LUA

if curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; then
    echo "error: something already answers on 127.0.0.1:$PORT; stop it or set PORT" >&2
    exit 1
fi
log "starting setaside serve on 127.0.0.1:$PORT"
"$SETASIDE_BIN" serve --port "$PORT" --connections 40 ${SERVE_ARGS:-} > "${SERVE_LOG:-$WORK/serve.log}" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
kill -0 $SERVER_PID 2>/dev/null || { echo "error: the server did not start: $(tail -n 3 "$WORK/serve.log")" >&2; exit 1; }

# Writes still in the page cache from the build and the setup (or the other run) are
# flushed before each measured run: the kernel writes back dirty pages about 30 s after
# they were written, and a measured run should not wait behind another step's writes.
settle() {
    psql -q "$DB_URL" -c "CHECKPOINT"
    sync
}

# A warm-up, not counted: the pool's connections are opened and the planner has statistics.
settle
log "warm-up: 5s, then ANALYZE"
wrk -t2 -c"$CONNECTIONS" -d5s -s "$WORK/post.lua" "http://127.0.0.1:$PORT" -- WARM > "$WORK/warmup.txt"
psql -q "$DB_URL" -c "ANALYZE"
settle

# CPU seconds used by a set of processes (user + system), from /proc.
cpu_seconds() {
    local ticks=0 pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
    done
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}
postgres_pids() { ps -C postgres -o pid= | tr -d ' '; }

log "wrk: $CONNECTIONS connections, ${DURATION}s"
vmstat 1 > "$WORK/vmstat.txt" & VMSTAT_PID=$!
server_cpu0=$(cpu_seconds $SERVER_PID); postgres_cpu0=$(cpu_seconds $(postgres_pids))
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT" -- RUN | tee "$WORK/wrk.txt"
server_cpu=$(awk -v a="$(cpu_seconds $SERVER_PID)" -v b="$server_cpu0" 'BEGIN { printf "%.1f", a - b }')
postgres_cpu=$(awk -v a="$(cpu_seconds $(postgres_pids))" -v b="$postgres_cpu0" 'BEGIN { printf "%.1f", a - b }')
kill $VMSTAT_PID 2>/dev/null || true
kill -TERM $SERVER_PID 2>/dev/null || true
wait $SERVER_PID 2>/dev/null || true
trap - EXIT

requests=$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$WORK/wrk.txt"); non2xx=${non2xx:-0}
socket=$(awk -F'[ ,]+' '/Socket errors/ { print $4 + $6 + $8 + $10 }' "$WORK/wrk.txt"); socket=${socket:-0}
rps=$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt")
p50=$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")
acknowledged=$((requests - non2xx - socket))
# Only the measured run's orders: every acknowledged one must be there.
stored=$(psql -qtA "$DB_URL" -c "SELECT count(*) FROM purchases WHERE order_no LIKE 'RUN-%'")
missing=$((acknowledged > stored ? acknowledged - stored : 0))
# verify exits 1 when it finds something: keep its words, decide below.
verify=$({ setaside audit verify || true; } | tail -n 2 | head -n 1)

log "pgbench: $CONNECTIONS clients, single-row INSERT into purchases, ${DURATION}s"
# The baseline is the plain INSERT: the ledger's audit trigger (sql/0014) is switched off
# for it (after verify, which it would otherwise disturb), as it was before the trigger.
psql -q "$DB_URL" -c "CREATE SEQUENCE IF NOT EXISTS bench_order" -c "ALTER TABLE purchases DISABLE TRIGGER purchases_audited"
first_unit=$(head -n 1 "$WORK/units.txt")
cat > "$WORK/insert.sql" <<SQL
INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount, status, ledger_date)
VALUES ('$first_unit', 'PG' || nextval('bench_order'), '2024-06-01', 'platform832', 'canteenFood', '140603', 8880,
        'completed', '2024-06-01');
SQL
rm -f "$WORK"/pgbench_log.*
settle
"$PGBENCH" -n -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$WORK/insert.sql" -l --log-prefix="$WORK/pgbench_log" "$DB_URL" \
    | tee "$WORK/pgbench.txt"
tps=$(awk '/^tps/ { print $3; exit }' "$WORK/pgbench.txt")
# pgbench's own latencies (third column of its log, in microseconds), for comparison.
pg_latency=$(cat "$WORK"/pgbench_log.* | awk '{ print $3 }' | sort -n \
    | awk '{ a[NR] = $1 } END { printf "p50 %.2fms   p99 %.2fms", a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000 }')

echo
echo "setaside API benchmark: $CONNECTIONS connections, ${DURATION}s, POST purchases over $UNITS units"
echo "  requests/s        $rps   (pgbench single-row INSERT: $tps tps)"
echo "  ratio to pgbench  $(awk -v a="$rps" -v b="$tps" 'BEGIN { printf "%.2f", a / b }')   (target >= 0.30)"
echo "  latency p50 $p50   p99 $p99   (target p99 < 50ms; pgbench $pg_latency)"
echo "  CPU seconds       server $server_cpu, PostgreSQL $postgres_cpu (of $(( $(nproc) * DURATION )) on $(nproc) cores; the rest is wrk and idle)"
echo "  disk writes       $(awk 'NR > 3 { if ($10 + 0 > max) max = $10 + 0; sum += $10; n++; if ($16 + 0 > wa) wa = $16 + 0 }
    END { printf "mean %.0f MB/s, peak %.0f MB/s, iowait peak %d%%", sum / n / 1024, max / 1024, wa }' "$WORK/vmstat.txt")   (vmstat, during the run)"
echo "  errors            non-2xx $non2xx, socket $socket"
echo "  acknowledged      $acknowledged, stored $stored, missing $missing   (must be 0)"
echo "  audit verify      $verify"

failed=()
[ "$missing" -eq 0 ] || failed+=("$missing acknowledged purchases are missing")
[ "$non2xx" -eq 0 ] && [ "$socket" -eq 0 ] || failed+=("requests failed (non-2xx $non2xx, socket $socket)")
case "$verify" in *intact.*) ;; *) failed+=("audit verify: $verify") ;; esac
if [ "${#failed[@]}" -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
