#!/usr/bin/env bash
# Helpers shared by the scripts in this folder. Source it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It changes to the repository root, so callers work from any folder.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

# The built `setaside` binary; set by `build`.
SETASIDE_BIN=""

log() { printf '==> %s\n' "$*" >&2; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: '$*' needs root and sudo is not installed; run it as root" >&2
        return 1
    fi
}

# Installs PostgreSQL (server, contrib, libpq-dev) unless initdb is already there.
ensure_postgres() {
    local bindir=""
    if command -v pg_config >/dev/null 2>&1; then
        bindir="$(pg_config --bindir 2>/dev/null || true)"
    fi
    if [ -n "$bindir" ] && [ -x "$bindir/initdb" ]; then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: PostgreSQL is not installed and apt-get is not available; install PostgreSQL 15 (server and libpq-dev) yourself" >&2
        return 1
    fi
    log "installing PostgreSQL (postgresql postgresql-contrib libpq-dev)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql postgresql-contrib libpq-dev
}

# Installs the C libraries the build links (Debian's -dev packages) when one is missing:
# libxlsxwriter, which writes the assessment workbooks, and libfreexl, which reads old
# xls order exports.
ensure_build_libraries() {
    local missing=()
    [ -f /usr/include/xlsxwriter.h ] || missing+=(libxlsxwriter-dev)
    [ -f /usr/include/freexl.h ] || missing+=(libfreexl-dev)
    install_missing "${missing[@]}"
}

# Installs the Debian packages named (those found missing; none: nothing to do), or
# fails saying what to install when apt-get is not available.
install_missing() {
    [ $# -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: $* missing and apt-get is not available; install them yourself" >&2
        return 1
    fi
    log "installing $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# Installs what the tests read workbooks back with, when missing: openpyxl (from PyPI)
# and LibreOffice's spreadsheet without its desktop (Debian's libreoffice-calc-nogui).
ensure_workbook_readers() {
    if ! python3 -c 'import openpyxl' >/dev/null 2>&1; then
        log "installing openpyxl (pip)"
        python3 -m pip install --quiet openpyxl || log "warning: openpyxl could not be installed; the workbook tests will fail"
    fi
    if ! command -v soffice >/dev/null 2>&1; then
        if command -v apt-get >/dev/null 2>&1; then
            log "installing LibreOffice (libreoffice-calc-nogui)"
            as_root env DEBIAN_FRONTEND=noninteractive apt-get update
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-calc-nogui \
                || log "warning: LibreOffice could not be installed; the workbook tests will fail"
        else
            log "warning: soffice (LibreOffice) is missing and apt-get is not available; the workbook tests will fail"
        fi
    fi
}

# Builds the package in debug (the build `swift test` reuses), installing the C
# libraries it links first. Extra arguments go to `swift build`, e.g. `build --build-tests`.
build() {
    ensure_build_libraries
    log "swift build $*"
    swift build "$@"
    SETASIDE_BIN="$(swift build --show-bin-path)/setaside"
}

# Runs the built binary.
setaside() {
    if [ -z "$SETASIDE_BIN" ]; then
        SETASIDE_BIN="$(swift build --show-bin-path)/setaside"
    fi
    "$SETASIDE_BIN" "$@"
}

# As root, when the `postgres` user cannot enter this checkout (e.g. one under /root),
# the cluster goes to a folder under /tmp instead (SETASIDE_HOME).
choose_home() {
    if [ -z "${SETASIDE_HOME:-}" ] && [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
        && ! runuser -u postgres -- test -x "$REPO_ROOT"; then
        SETASIDE_HOME="/tmp/setaside-$(printf '%s' "$REPO_ROOT" | md5sum | cut -c1-12)"
        export SETASIDE_HOME
        log "the postgres user cannot enter $REPO_ROOT: the cluster lives in $SETASIDE_HOME"
    fi
}

# Whether the embedded database of this checkout runs now.
db_running() {
    choose_home
    setaside db status 2>/dev/null | grep -q '^running'
}

# Starts (creating on first use) the embedded database in ./.setaside/. As root the
# server runs as the `postgres` system user (see choose_home for a checkout it cannot enter).
start_db() {
    choose_home
    log "setaside db start"
    setaside db start
}

# Drops and creates database NAME in the embedded cluster (started), migrates it, and
# exports DATABASE_URL for it; SERVER_URL is the cluster's own database. For the probes.
fresh_database() {
    SERVER_URL="$(setaside db url --superuser)"
    local base="${SERVER_URL%%\?*}" query=""
    [[ "$SERVER_URL" == *\?* ]] && query="?${SERVER_URL#*\?}"
    psql -q "$SERVER_URL" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" 2>/dev/null
    export DATABASE_URL="${base%/*}/$1$query"
    setaside migrate >/dev/null
}

# Makes an admin account LOGIN (once per database) and sets TOKEN to a new token of it.
# Installs wrk (the HTTP load generator of the API and page benchmarks) if missing.
ensure_wrk() {
    if ! command -v wrk >/dev/null 2>&1; then
        log "installing wrk"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
    fi
}

admin_token() {
    echo "a long passphrase for $1" | setaside account add "$1" --role admin >/dev/null
    TOKEN="$(setaside account token "$1" | tail -n 1)"
}

# Starts `setaside serve --port PORT [options…]` in the background with its log in LOG,
# sets SERVER_PID, and waits until /healthz answers; fails when something else holds
# the port or the server does not come up. Stop it with `kill -TERM $SERVER_PID`.
start_server() {
    local port="$1" log_file="$2"
    shift 2
    if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
        echo "error: something already answers on 127.0.0.1:$port; stop it or set PORT" >&2
        return 1
    fi
    "$SETASIDE_BIN" serve --port "$port" "$@" > "$log_file" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.2; done
    echo "error: the server did not start: $(tail -n 3 "$log_file")" >&2
    return 1
}
