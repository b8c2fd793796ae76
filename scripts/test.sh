#!/usr/bin/env bash
# Builds setaside, starts its embedded database and runs the tests against it.
# Extra arguments go to `swift test`, e.g. scripts/test.sh --filter ComplianceTests
# The integration tests read the database from SETASIDE_TEST_DATABASE_URL; if it is
# already set, that database is used and the embedded one is not started. A cluster
# this script starts is stopped when it ends; one that was running already is left running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build --build-tests
if [ -z "${SETASIDE_TEST_DATABASE_URL:-}" ]; then
    ensure_postgres
    if ! db_running; then
        trap 'log "setaside db stop"; setaside db stop >/dev/null || true' EXIT
    fi
    start_db
    url="$(setaside db url --superuser)"
    export SETASIDE_TEST_DATABASE_URL="$url"
fi

# One test at a time: run in parallel, the suite stalled now and then on these 2-core
# machines (every task suspended, nothing running, about one run in three; not yet
# explained). Serially it takes about a minute.
log "swift test --no-parallel $*"
status=0
swift test --skip-build --no-parallel "$@" || status=$?
exit "$status"
