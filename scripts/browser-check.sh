#!/usr/bin/env bash
# Drives a real headless Chromium through the web pages, as a clerk and an inspector would
# use them, and saves a screenshot of each step (not a unit test: it checks the pages as
# rendered by a browser, with the Chinese font clerks see):
#   signing in (a wrong password, then the right one), the clerk's dashboard (also at a
#   phone's width), a declaration (an error, then stored), a purchase typed wrong then
#   right, an 832 export's dry run and its import, signing out; the inspector's region
#   overview (all units, then those falling short), the 通报, and a unit's purchases.
# Installs chromium and fonts-wqy-microhei from Debian's packages when missing (without a
# Chinese font every character is an empty box in the screenshots), builds setaside
# (debug: the build scripts/test.sh makes), starts the embedded database, loads the demo
# province into a fresh database `browser_check` and serves it on 127.0.0.1:$PORT.
# Fails, naming the step and what the page lacked, when a step does not show what it
# should. The screenshots' folder is printed at the end.
# Options: PORT=8183 SHOTS=bench-data/browser-check scripts/browser-check.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${PORT:-8183}"
SHOTS="${SHOTS:-$REPO_ROOT/bench-data/browser-check}"
YEAR=2024
REGION=140000

# Installs the browser and the Chinese font when missing.
ensure_browser() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || missing+=(fonts-wqy-microhei)
    install_missing "${missing[@]}"
}

ensure_postgres
ensure_browser
build --build-tests   # the build scripts/test.sh makes (a plain `swift build` would compile again without testing)
# A cluster this script starts is stopped when it ends; one running already is left running.
stop_db=false
db_running || stop_db=true
SERVER_PID=""
finish() {
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    if $stop_db; then log "setaside db stop"; setaside db stop >/dev/null || true; fi
}
trap finish EXIT
start_db
fresh_database browser_check

log "loading the demo province"
setaside demo --year "$YEAR" >/dev/null
unit="$(psql -qtA "$DATABASE_URL" -c "SELECT credit_code FROM units WHERE region_code LIKE '14%' AND has_canteen ORDER BY credit_code LIMIT 1")"
read -r origin_code origin <<< "$(psql -qtA -F ' ' "$DATABASE_URL" \
    -c "SELECT code, name FROM regions WHERE level = 'county' AND poverty_relieved ORDER BY code LIMIT 1")"
[ -n "$unit" ] && [ -n "$origin_code" ] || { echo "error: the demo has no unit with a canteen or no relieved county" >&2; exit 1; }
clerk_password="a long passphrase for the browser clerk"
inspector_password="a long passphrase for the browser inspector"
echo "$clerk_password" | setaside account add browser-clerk --role clerk --unit "$unit" >/dev/null
echo "$inspector_password" | setaside account add browser-inspector --role inspector --region "$REGION" >/dev/null

log "starting setaside serve on 127.0.0.1:$PORT"
mkdir -p "$SHOTS"
rm -f "$SHOTS"/*.png
start_server "$PORT" "$SHOTS/serve.log"

log "driving headless Chromium (unit $unit, origin $origin $origin_code)"
python3 scripts/browser_check.py --base "http://127.0.0.1:$PORT" --unit "$unit" --year "$YEAR" \
    --origin "$origin" --origin-code "$origin_code" --region "$REGION" \
    --clerk "browser-clerk:$clerk_password" --inspector "browser-inspector:$inspector_password" --out "$SHOTS"
echo "browser check passed; screenshots in $SHOTS"
