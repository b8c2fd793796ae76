#!/usr/bin/env bash
# Probe (not part of the tests): the embedded database stopped under a running server
# and started again, on 127.0.0.1. /healthz and GET /api/v1/units are asked every 100 ms
# throughout (scripts/probe_outage.py); prints how soon requests were answered 503 once
# the database was gone, the slowest answer meanwhile, and how soon they were 200 again
# once it was back. Then stops the database again and sends the server SIGTERM: prints how
# long the server took to exit. Exits 1 when any of these took more than a few seconds.
# Stops and starts the embedded cluster: do not run it beside the tests.
# Options: PORT=8185 DOWN=8 scripts/probe-outage.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${PORT:-8185}"
DOWN="${DOWN:-8}"
WORK="$REPO_ROOT/bench-data/probe-outage"
mkdir -p "$WORK"

ensure_postgres
build
start_db
fresh_database probe_outage
admin_token probe
SERVER_PID=""
trap '{ [ -n "$SERVER_PID" ] && kill -KILL $SERVER_PID 2>/dev/null; } || true; setaside db start >/dev/null 2>&1 || true' EXIT
start_server "$PORT" "$WORK/serve.log"

log "asking every 100 ms; the database stops after 3 s and starts again $DOWN s later"
python3 "$REPO_ROOT/scripts/probe_outage.py" "$PORT" "$TOKEN" "$WORK/stopped" "$WORK/started" $((DOWN + 8)) &
PROBE=$!
sleep 3
touch "$WORK/stopped"; setaside db stop >/dev/null
sleep "$DOWN"
touch "$WORK/started"; setaside db start >/dev/null
status=0
wait $PROBE || status=1

log "the database stopped, then SIGTERM to the server"
setaside db stop >/dev/null
sleep 1
start=$(date +%s.%N)
kill -TERM $SERVER_PID
for _ in $(seq 1 300); do kill -0 $SERVER_PID 2>/dev/null || break; sleep 0.1; done
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if kill -0 $SERVER_PID 2>/dev/null; then
    echo "FAILED: the server was still running 30 s after SIGTERM"; status=1
else
    echo "SIGTERM with the database stopped: the server exited after $took s"
fi
setaside db start >/dev/null
exit $status
