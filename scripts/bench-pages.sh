#!/usr/bin/env bash
# Load benchmark of the web pages (not part of the tests), against 127.0.0.1 only, on
# the default demo province (300 units, about 30 000 purchases) in a fresh database:
#   the inspector's region overview (GET /regions/140000) and a clerk's dashboard
#   (GET /units/{code}), each by 16 connections with their session cookies for 30 s,
#   beside the JSON API's compliance route of the same region (GET
#   /api/v1/regions/140000/compliance) in the same run.
# Prints requests per second and p50/p99 for each, and the pages' p99 against their
# targets (overview under 100 ms, dashboard under 50 ms).
# Options: DURATION=30 CONNECTIONS=16 PORT=8182 YEAR=2024 scripts/bench-pages.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-8182}"
YEAR="${YEAR:-2024}"
WORK="$REPO_ROOT/bench-data/pages"
mkdir -p "$WORK"

ensure_postgres
ensure_wrk
ensure_build_libraries
log "swift build -c release"
swift build -c release
SETASIDE_BIN="$(swift build -c release --show-bin-path)/setaside"
start_db
SERVER_URL="$(setaside db url --superuser)"
base="${SERVER_URL%%\?*}"; query=""; [[ "$SERVER_URL" == *\?* ]] && query="?${SERVER_URL#*\?}"
export DATABASE_URL="${base%/*}/bench_pages$query"

log "a fresh database with the default demo province"
psql -q "$SERVER_URL" -c "DROP DATABASE IF EXISTS bench_pages WITH (FORCE)" -c "CREATE DATABASE bench_pages"
"$SETASIDE_BIN" migrate >/dev/null
"$SETASIDE_BIN" demo >/dev/null
unit="$(psql -qtA "$DATABASE_URL" -c "SELECT credit_code FROM units WHERE region_code LIKE '14%' ORDER BY credit_code LIMIT 1")"
echo "a long passphrase for the clerk" | "$SETASIDE_BIN" account add bench-clerk --role clerk --unit "$unit" >/dev/null
echo "a long passphrase for the inspector" | "$SETASIDE_BIN" account add bench-inspector --role inspector --region 140000 >/dev/null
clerk="$("$SETASIDE_BIN" account token bench-clerk | tail -n 1)"
inspector="$("$SETASIDE_BIN" account token bench-inspector | tail -n 1)"

log "starting setaside serve on 127.0.0.1:$PORT"
start_server "$PORT" "$WORK/serve.log"
trap 'kill -TERM $SERVER_PID 2>/dev/null || true' EXIT

# run NAME PATH HEADER: wrk's figures for PATH with HEADER, after a 5 s warm-up.
run() {
    local name="$1" path="$2" header="$3"
    local status
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "http://127.0.0.1:$PORT$path")"
    [ "$status" = 200 ] || { echo "error: $path answered $status" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d5s -H "$header" "http://127.0.0.1:$PORT$path" > /dev/null
    log "wrk: $name, $CONNECTIONS connections, ${DURATION}s"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$header" "http://127.0.0.1:$PORT$path" > "$WORK/$name.txt"
}
run api "/api/v1/regions/140000/compliance?year=$YEAR" "Authorization: Bearer $inspector"
run overview "/regions/140000?year=$YEAR" "Cookie: setaside_session=$inspector"
run dashboard "/units/$unit?year=$YEAR" "Cookie: setaside_session=$clerk"
kill -TERM $SERVER_PID 2>/dev/null || true

# figures NAME: requests/s, p50 and p99 (in ms) and non-2xx answers of a run.
figures() {
    awk '/Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } /Non-2xx/ { bad = $NF }
         function ms(t) { if (t ~ /us$/) return t / 1000; if (t ~ /ms$/) return t + 0; if (t ~ /s$/) return t * 1000; return t }
         END { printf "%.0f %.2f %.2f %d", rps, ms(p50), ms(p99), bad }' "$WORK/$1.txt"
}
read -r api_rps api_p50 api_p99 api_bad <<< "$(figures api)"
read -r ov_rps ov_p50 ov_p99 ov_bad <<< "$(figures overview)"
read -r db_rps db_p50 db_p99 db_bad <<< "$(figures dashboard)"
echo
echo "setaside pages benchmark: the demo province, $CONNECTIONS connections, ${DURATION}s each"
printf '  API compliance (JSON, region)  %6d req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %d\n' "$api_rps" "$api_p50" "$api_p99" "$api_bad"
printf '  region overview (page)         %6d req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %d  (target p99 < 100 ms)\n' \
    "$ov_rps" "$ov_p50" "$ov_p99" "$ov_bad"
printf '  clerk dashboard (page)         %6d req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %d  (target p99 < 50 ms)\n' \
    "$db_rps" "$db_p50" "$db_p99" "$db_bad"
printf '  overview requests/s as a share of the API route: %s\n' "$(awk -v a="$ov_rps" -v b="$api_rps" 'BEGIN { printf "%.2f", a / b }')"
