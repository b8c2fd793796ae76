#!/usr/bin/env bash
# Builds setaside, starts its embedded database, loads the synthetic demo province
# and prints its 2024 compliance report. With DATABASE_URL set, that database is
# used instead of the embedded one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build
if [ -z "${DATABASE_URL:-}" ]; then
    ensure_postgres
    start_db
else
    log "DATABASE_URL is set: using it, not the embedded database"
fi

log "setaside migrate"
setaside migrate
log "setaside demo"
setaside demo
log "setaside report compliance --year 2024 --format table"
setaside report compliance --year 2024 --format table
