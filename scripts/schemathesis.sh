#!/usr/bin/env bash
# Runs schemathesis (`--checks all`) against the API's own OpenAPI document, on a fresh
# database of the embedded cluster with the demo data and an admin's token, and exits
# non-zero on any failure. scripts/test.sh runs it when schemathesis is installed
# (`pip install schemathesis`, or SCHEMATHESIS=/path/to/schemathesis); its settings,
# and the domain refusals it is told to expect, are in scripts/schemathesis.toml.
# Options: PORT=8186 MAX_EXAMPLES=25 scripts/schemathesis.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${PORT:-8186}"
MAX_EXAMPLES="${MAX_EXAMPLES:-25}"
SCHEMATHESIS="${SCHEMATHESIS:-$(command -v schemathesis || true)}"
if [ -z "$SCHEMATHESIS" ]; then
    echo "error: schemathesis is not installed: pip install schemathesis (or set SCHEMATHESIS)" >&2
    exit 2
fi
WORK="$REPO_ROOT/bench-data/schemathesis"
mkdir -p "$WORK"

ensure_postgres
build
start_db
fresh_database setaside_schemathesis
setaside demo >/dev/null
admin_token schemathesis
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && { kill -TERM $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; } || true' EXIT
start_server "$PORT" "$WORK/serve.log"

log "schemathesis run --checks all ($MAX_EXAMPLES examples an operation)"
status=0
(cd "$REPO_ROOT/scripts" && "$SCHEMATHESIS" --config-file schemathesis.toml run \
    "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks all --header "Authorization: Bearer $TOKEN" \
    --max-examples "$MAX_EXAMPLES" --seed 20261203 --workers 1 --no-color) || status=$?
if ! kill -0 $SERVER_PID 2>/dev/null; then
    echo "FAILED: the server died under schemathesis; its log is $WORK/serve.log" >&2
    status=1
fi
exit $status
