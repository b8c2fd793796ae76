#!/usr/bin/env bash
# Benchmark (not part of the tests): 1 000 000 purchases over 10 000 units.
#   (a) `setaside import purchases` against psql's \copy of the same rows into the same
#       table, each into a fresh database of the same cluster, in this run;
#   (b) `setaside report compliance` (all units, JSON) against the plain SQL aggregate
#       it runs (psql, same parameters), best of 3 runs each.
# Prints rows per second and seconds, and the ratios the targets are stated in:
# import at least 0.65 of \copy's speed; report within 1.5x of the plain SQL.
#   (c) the yearly assessment of a province-sized data set (100 000 units, 10 000 000
#       purchases, written by the streaming demo generator) as an xlsx workbook against
#       `setaside report compliance` of the same data: time ratio (target within 2x) and
#       the export's peak memory by /usr/bin/time -v (target under 1 GiB). LARGE=0 skips it.
#   (d) the same 1 000 000 orders as an 832-platform order export (CSV as clerks download
#       it: Chinese headers, buyers and origins by name; scripts/orders832-from-demo.py)
#       against setaside's own purchases CSV, each into a fresh database: the export's
#       speed as a ratio of the own format's (target at least 0.8); and 200 000 of them as
#       an xlsx workbook, its import's peak memory (target under 300 MB). ORDERS=0 skips it.
# Options: UNITS=10000 PURCHASES=1000000 LARGE_UNITS=100000 LARGE_PURCHASES=10000000 scripts/bench.sh
#   PARTS=abcd (the default) runs every part; PARTS=d only the order exports, and so on
#   (LARGE=0 also skips (c), ORDERS=0 (d)).
#   COMPARE_BIN=/path/to/an/earlier/setaside also times that build's import in this
#   run (a fresh database of its own), for before/after figures of one run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

UNITS="${UNITS:-10000}"
PURCHASES="${PURCHASES:-1000000}"
DATA="$REPO_ROOT/bench-data"

ensure_postgres
ensure_build_libraries
log "swift build -c release"
swift build -c release
SETASIDE_BIN="$(swift build -c release --show-bin-path)/setaside"
if [ -z "${DATABASE_URL:-}" ]; then
    start_db
    SERVER_URL="$(setaside db url --superuser)"
else
    SERVER_URL="$DATABASE_URL"
fi
unset DATABASE_URL

# postgres://…/db?params → the same URL with another database.
url_for() {
    local base="${SERVER_URL%%\?*}" query=""
    [[ "$SERVER_URL" == *\?* ]] && query="?${SERVER_URL#*\?}"
    echo "${base%/*}/$1$query"
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
# peak_kib FILE: the maximum resident set size /usr/bin/time -v wrote to FILE.
peak_kib() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
if [ ! -x /usr/bin/time ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y time
fi

if [ ! -f "$DATA/purchases.csv" ] || [ "$(cat "$DATA/.options" 2>/dev/null)" != "$UNITS $PURCHASES" ]; then
    log "generating $PURCHASES purchases over $UNITS units in $DATA"
    setaside demo --units "$UNITS" --purchases "$PURCHASES" --output "$DATA" >/dev/null
    echo "$UNITS $PURCHASES" > "$DATA/.options"
fi
rows=$(($(wc -l < "$DATA/purchases.csv") - 1))

# fresh_db NAME [BINARY] [FOLDER]: a new database migrated and loaded by BINARY (default
# this build) from FOLDER (default $DATA), so an earlier build (COMPARE_BIN) runs on the
# schema it knows.
fresh_db() {
    local bin="${2:-$SETASIDE_BIN}" data="${3:-$DATA}"
    psql -q "$SERVER_URL" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
    DATABASE_URL="$(url_for "$1")" "$bin" migrate >/dev/null
    for kind in regions units declarations assignments agreements; do
        DATABASE_URL="$(url_for "$1")" "$bin" import "$kind" "$data/$kind.csv" >/dev/null
    done
    psql -q "$(url_for "$1")" -c "VACUUM ANALYZE" -c "CHECKPOINT"
    # Earlier steps' writes (the build, the other side's import) are flushed now, so
    # the kernel's writeback of them does not land inside the measured step.
    sync
}

PARTS="${PARTS:-abcd}"
if [[ "$PARTS" == *a* || "$PARTS" == *b* ]]; then
log "(a) import: setaside import purchases"
fresh_db bench_import
start=$(now)
DATABASE_URL="$(url_for bench_import)" setaside import purchases "$DATA/purchases.csv"
import_s=$(elapsed "$start" "$(now)")

# The same rows, as stored, in COPY's own format: \copy does no checking or conversion.
psql -q "$(url_for bench_import)" -c "\copy (SELECT credit_code, order_no, order_date, channel, category, origin_code, amount, status, festival, reversal_of, ledger_date FROM purchases ORDER BY id) TO '$DATA/purchases.copy'"
log "(a) baseline: psql \\copy into the same table in a fresh database"
fresh_db bench_copy
start=$(now)
psql -q "$(url_for bench_copy)" -c "ALTER TABLE purchases DISABLE TRIGGER purchases_audited" -c "\copy purchases (credit_code, order_no, order_date, channel, category, origin_code, amount, status, festival, reversal_of, ledger_date) FROM '$DATA/purchases.copy'"
copy_s=$(elapsed "$start" "$(now)")

if [ -n "${COMPARE_BIN:-}" ]; then
    log "(a) compared: $COMPARE_BIN import purchases"
    fresh_db bench_compare "$COMPARE_BIN"
    start=$(now)
    DATABASE_URL="$(url_for bench_compare)" "$COMPARE_BIN" import purchases "$DATA/purchases.csv"
    compare_s=$(elapsed "$start" "$(now)")
    psql -q "$SERVER_URL" -c "DROP DATABASE bench_compare WITH (FORCE)"
fi

log "(b) report: setaside report compliance --year 2024 --format json (best of 3)"
psql -q "$(url_for bench_import)" -c "VACUUM ANALYZE"
setaside report compliance --year 2024 --show-sql > "$DATA/buckets.sql"
report_best=""; sql_best=""
for _ in 1 2 3; do
    start=$(now)
    DATABASE_URL="$(url_for bench_import)" setaside report compliance --year 2024 --format json > /dev/null
    t=$(elapsed "$start" "$(now)")
    if [ -z "$report_best" ] || less "$t" "$report_best"; then report_best=$t; fi
    start=$(now)
    # With the settings setaside's own sessions start with (JIT off: DatabaseURL).
    PGOPTIONS="-c jit=off" psql -q -X "$(url_for bench_import)" -f "$DATA/buckets.sql" > /dev/null
    t=$(elapsed "$start" "$(now)")
    if [ -z "$sql_best" ] || less "$t" "$sql_best"; then sql_best=$t; fi
done
fi

# (c) The assessment of a province-sized data set.
LARGE="${LARGE:-1}"
[[ "$PARTS" == *c* ]] || LARGE=0
if [ "$LARGE" != 0 ]; then
    LARGE_UNITS="${LARGE_UNITS:-100000}"
    LARGE_PURCHASES="${LARGE_PURCHASES:-10000000}"
    LARGE_DATA="$REPO_ROOT/bench-data-large"
    if [ ! -f "$LARGE_DATA/purchases.csv" ] || [ "$(cat "$LARGE_DATA/.options" 2>/dev/null)" != "$LARGE_UNITS $LARGE_PURCHASES" ]; then
        log "(c) generating $LARGE_PURCHASES purchases over $LARGE_UNITS units in $LARGE_DATA (streaming)"
        start=$(now)
        /usr/bin/time -v -o "$LARGE_DATA.gen-time" "$SETASIDE_BIN" demo --units "$LARGE_UNITS" --purchases "$LARGE_PURCHASES" \
            --output "$LARGE_DATA" >/dev/null
        generate_s=$(elapsed "$start" "$(now)")
        generate_kib=$(peak_kib "$LARGE_DATA.gen-time")
        echo "$LARGE_UNITS $LARGE_PURCHASES" > "$LARGE_DATA/.options"
    fi
    large_rows=$(($(wc -l < "$LARGE_DATA/purchases.csv") - 1))
    log "(c) loading $large_rows purchases"
    fresh_db bench_large "$SETASIDE_BIN" "$LARGE_DATA"
    start=$(now)
    DATABASE_URL="$(url_for bench_large)" setaside import purchases "$LARGE_DATA/purchases.csv" >/dev/null
    large_import_s=$(elapsed "$start" "$(now)")
    psql -q "$(url_for bench_large)" -c "VACUUM ANALYZE"
    log "(c) setaside report compliance --format json, then export assessment --format xlsx (best of 2 each)"
    large_report=""; large_xlsx=""; large_report_kib=""; large_xlsx_kib=""
    for _ in 1 2; do
        start=$(now)
        DATABASE_URL="$(url_for bench_large)" /usr/bin/time -v -o "$LARGE_DATA.report-time" \
            "$SETASIDE_BIN" report compliance --year 2024 --format json > /dev/null
        t=$(elapsed "$start" "$(now)")
        if [ -z "$large_report" ] || less "$t" "$large_report"; then large_report=$t; large_report_kib=$(peak_kib "$LARGE_DATA.report-time"); fi
        start=$(now)
        DATABASE_URL="$(url_for bench_large)" /usr/bin/time -v -o "$LARGE_DATA.xlsx-time" \
            "$SETASIDE_BIN" export assessment --year 2024 --format xlsx --out "$LARGE_DATA/assessment.xlsx" --quiet 2>/dev/null
        t=$(elapsed "$start" "$(now)")
        if [ -z "$large_xlsx" ] || less "$t" "$large_xlsx"; then large_xlsx=$t; fi
        kib=$(peak_kib "$LARGE_DATA.xlsx-time")
        if [ -z "$large_xlsx_kib" ] || [ "$kib" -gt "$large_xlsx_kib" ]; then large_xlsx_kib=$kib; fi
    done
    xlsx_bytes=$(stat -c %s "$LARGE_DATA/assessment.xlsx")
    psql -q "$SERVER_URL" -c "DROP DATABASE bench_large WITH (FORCE)"
fi

# (d) The same orders as the 832 platform exports them.
ORDERS="${ORDERS:-1}"
[[ "$PARTS" == *d* ]] || ORDERS=0
if [ "$ORDERS" != 0 ]; then
    ORDERS_XLSX="${ORDERS_XLSX:-200000}"
    if [ ! -f "$DATA/orders832.csv" ] || [ "$DATA/purchases.csv" -nt "$DATA/orders832.csv" ] \
        || [ "$(cat "$DATA/.orders832" 2>/dev/null)" != "$ORDERS_XLSX" ]; then
        ensure_workbook_readers
        log "(d) writing the order export of $DATA's orders (and $ORDERS_XLSX of them as xlsx)"
        python3 "$REPO_ROOT/scripts/orders832-from-demo.py" "$DATA" --xlsx "$ORDERS_XLSX"
        echo "$ORDERS_XLSX" > "$DATA/.orders832"
    fi
    order_rows=$(($(wc -l < "$DATA/orders832-purchases.csv") - 1))
    log "(d) baseline: setaside import purchases of the same orders in setaside's format"
    fresh_db bench_own
    start=$(now)
    DATABASE_URL="$(url_for bench_own)" setaside import purchases "$DATA/orders832-purchases.csv" >/dev/null
    own_s=$(elapsed "$start" "$(now)")
    log "(d) setaside import orders832 (CSV)"
    fresh_db bench_orders
    start=$(now)
    DATABASE_URL="$(url_for bench_orders)" /usr/bin/time -v -o "$DATA/orders832.csv-time" \
        "$SETASIDE_BIN" import orders832 "$DATA/orders832.csv" >/dev/null
    orders_s=$(elapsed "$start" "$(now)")
    orders_kib=$(peak_kib "$DATA/orders832.csv-time")
    # Both stored the same purchases.
    same_sql="SELECT count(*) || ' ' || sum(amount) || ' ' || md5(string_agg(order_no || origin_code || category || coalesce(festival, '') || status, ',' ORDER BY credit_code, order_no)) FROM purchases"
    own_sum=$(psql -qtA "$(url_for bench_own)" -c "$same_sql")
    orders_sum=$(psql -qtA "$(url_for bench_orders)" -c "$same_sql")
    psql -q "$SERVER_URL" -c "DROP DATABASE bench_own WITH (FORCE)" -c "DROP DATABASE bench_orders WITH (FORCE)"
    log "(d) setaside import orders832 of $ORDERS_XLSX orders as xlsx"
    fresh_db bench_xlsx
    start=$(now)
    DATABASE_URL="$(url_for bench_xlsx)" /usr/bin/time -v -o "$DATA/orders832.xlsx-time" \
        "$SETASIDE_BIN" import orders832 "$DATA/orders832.xlsx" >/dev/null
    xlsx_import_s=$(elapsed "$start" "$(now)")
    xlsx_import_kib=$(peak_kib "$DATA/orders832.xlsx-time")
    psql -q "$SERVER_URL" -c "DROP DATABASE bench_xlsx WITH (FORCE)"
fi

echo
echo "setaside benchmark: $rows purchases over $UNITS units"
if [[ "$PARTS" == *a* || "$PARTS" == *b* ]]; then
printf '(a) import   setaside %8.2f s  %9.0f rows/s\n' "$import_s" "$(ratio "$rows" "$import_s")"
printf '             \\copy    %8.2f s  %9.0f rows/s\n' "$copy_s" "$(ratio "$rows" "$copy_s")"
printf '             speed ratio setaside/\\copy = %s (target >= 0.65)\n' "$(ratio "$copy_s" "$import_s")"
if [ -n "${COMPARE_BIN:-}" ]; then
    printf '             compared %8.2f s  speed ratio to \\copy = %s\n' "$compare_s" "$(ratio "$copy_s" "$compare_s")"
fi
printf '(b) report   setaside %8.3f s   plain SQL %8.3f s\n' "$report_best" "$sql_best"
printf '             time ratio setaside/SQL = %s (target <= 1.5)\n' "$(ratio "$report_best" "$sql_best")"
fi
if [ "$LARGE" != 0 ]; then
    echo "(c) assessment of $LARGE_UNITS units, $large_rows purchases"
    if [ -n "${generate_s:-}" ]; then
        printf '             demo generated in %.1f s, peak memory %d MiB (streaming)\n' "$generate_s" "$((generate_kib / 1024))"
    fi
    printf '             import   %8.2f s  %9.0f rows/s\n' "$large_import_s" "$(ratio "$large_rows" "$large_import_s")"
    printf '             report compliance (json) %8.2f s  peak %5d MiB\n' "$large_report" "$((large_report_kib / 1024))"
    printf '             export assessment (xlsx) %8.2f s  peak %5d MiB  (%d bytes)\n' "$large_xlsx" "$((large_xlsx_kib / 1024))" "$xlsx_bytes"
    printf '             time ratio xlsx/report = %s (target <= 2)\n' "$(ratio "$large_xlsx" "$large_report")"
    printf '             peak memory ratio xlsx/1 GiB = %s (target < 1)\n' "$(ratio "$large_xlsx_kib" 1048576)"
fi
if [ "$ORDERS" != 0 ]; then
    echo "(d) order export of $order_rows orders"
    printf '             own purchases CSV        %8.2f s  %9.0f rows/s\n' "$own_s" "$(ratio "$order_rows" "$own_s")"
    printf '             832 export CSV           %8.2f s  %9.0f rows/s  peak %5d MiB\n' "$orders_s" "$(ratio "$order_rows" "$orders_s")" "$((orders_kib / 1024))"
    printf '             speed ratio export/own = %s (target >= 0.8)\n' "$(ratio "$own_s" "$orders_s")"
    if [ "$own_sum" = "$orders_sum" ]; then echo "             both stored the same purchases ($own_sum)"; else
        echo "             DIFFERENT purchases: own $own_sum, export $orders_sum"; fi
    printf '             832 export xlsx (%d rows) %8.2f s  peak %5d MiB = %s of 300 MB (target < 1)\n' "$ORDERS_XLSX" "$xlsx_import_s" \
        "$((xlsx_import_kib / 1024))" "$(ratio "$((xlsx_import_kib * 1024))" 300000000)"
fi
