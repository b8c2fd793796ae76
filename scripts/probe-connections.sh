#!/usr/bin/env bash
# Probe (not part of the tests): slow and idle clients against `setaside serve` on
# 127.0.0.1, every count bounded. Starts the server with a 10 s request and idle timeout
# and a cap of 1000 connections, then (scripts/probe_connections.py):
#   200 connections sending their headers a byte a second; 20 sending a 45-byte body a
#   byte every two seconds; 3000 idle sockets; a kept-alive connection gone quiet; a
#   flood of 5000 sockets held open;
# while /healthz is asked every half second. Prints, for each, how many the server
# closed and when, /healthz's answers, and the most files the server held open. Exits 1
# when a slow client outlived the timeouts, /healthz stopped answering, or the server died.
# Options: PORT=8182 TIMEOUT=10 CAP=1000 FLOOD=5000 scripts/probe-connections.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${PORT:-8182}"
TIMEOUT="${TIMEOUT:-10}"
CAP="${CAP:-1000}"
FLOOD="${FLOOD:-5000}"
WORK="$REPO_ROOT/bench-data/probe"
mkdir -p "$WORK"

ensure_postgres
build
start_db
fresh_database probe

log "starting setaside serve on 127.0.0.1:$PORT (--request-timeout $TIMEOUT --idle-timeout $TIMEOUT --max-connections $CAP)"
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill -TERM $SERVER_PID 2>/dev/null || true' EXIT
start_server "$PORT" "$WORK/serve.log" --request-timeout "$TIMEOUT" --idle-timeout "$TIMEOUT" --max-connections "$CAP"

log "probing (about $((TIMEOUT * 6)) s)"
python3 "$REPO_ROOT/scripts/probe_connections.py" "$PORT" "$SERVER_PID" "$TIMEOUT" "$CAP" "$FLOOD"
