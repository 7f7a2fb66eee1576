#!/usr/bin/env bash
# Measures read endpoints of the API against the same SQL run directly in PostgreSQL.
#
# The deals suite creates the PostgreSQL database dealbook_bench (dropping an old one),
# migrates it, starts a release build of `dealbook serve` on a free loopback port, signs up
# one organization and bulk-loads it with scripts/bench/load.sql. Then wrk and pgbench each
# run two scenarios for a fixed time. The reports suite (scripts/bench/reports.sh) loads a
# million deals into dealbook_bench_reports and times every report endpoint against the SQL
# that it runs. The script stops the servers it started and keeps the databases for
# inspection. docs/benchmarks.md describes the method and records results.
#
# Environment (all optional):
#   BENCH_DURATION_SECONDS  measured time per run, 1 to 300 (default 15)
#   BENCH_WARMUP_SECONDS    unmeasured run before each measured run, 0 to 60 (default 3)
#   BENCH_CONNECTIONS       concurrent connections for wrk and pgbench, 1 to 256 (default 16)
#   BENCH_DEALS, BENCH_CONTACTS, BENCH_COMPANIES, BENCH_REPS
#                           rows to load (defaults 100000, 20000, 2000, 20)
#   BENCH_SUITES            suites to run, out of "deals reports" (default both)
#   BENCH_REPORT_DEALS      deals for the reports suite, 1 to 10000000 (default 1000000)
#   BENCH_REPORT_REQUESTS   measured requests and SQL runs per report (default 10)
#   BENCH_REPORT_REPS, BENCH_REPORT_COMPANIES
#                           sales reps and companies of the reports suite (defaults 60, 20000)
#   BENCH_REPORT_TIMEOUT_SECONDS
#                           limit for one report request or SQL statement (default 300)
#   BENCH_BINARY            a dealbook binary to use instead of building target/release/dealbook
#   PGHOST, PGPORT, PGUSER  PostgreSQL server (defaults 127.0.0.1, 5432, postgres; no password)
#   RUST_LOG                server log filter (default warn, so request logging stays off)

set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="$repo_root/scripts/bench"
# Cargo reads a relative CARGO_TARGET_DIR from the directory it runs in, which is the
# repository root here.
target_dir="${CARGO_TARGET_DIR:-target}"
if [[ "$target_dir" != /* ]]; then
    target_dir="$repo_root/$target_dir"
fi
work_dir="$target_dir/bench"

export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
database=dealbook_bench
database_url="postgres://$PGUSER@$PGHOST:$PGPORT/$database"

duration="${BENCH_DURATION_SECONDS:-15}"
warmup="${BENCH_WARMUP_SECONDS:-3}"
connections="${BENCH_CONNECTIONS:-16}"
deal_count="${BENCH_DEALS:-100000}"
contact_count="${BENCH_CONTACTS:-20000}"
company_count="${BENCH_COMPANIES:-2000}"
rep_count="${BENCH_REPS:-20}"
# Threads for wrk -t and pgbench -j: one per core, but no more than there are connections.
load_threads="$(nproc)"

owner_email=bench-owner@example.com
owner_password=bench-password-0123456789

# The ORDER BY of the first page of GET /deals, which the pgbench list query copies. The
# default sort is -updated_at; keyset pagination (crates/persistence/src/list.rs) adds
# NULLS LAST only to nullable columns and breaks ties by id in the last key's direction.
DEAL_LIST_ORDER_BY="updated_at DESC, id DESC"

suites="${BENCH_SUITES:-deals reports}"
# Every server of a run signs access tokens with this key, so that a token from the sign-up
# stays valid after a restart.
jwt_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

server_pid=""

log() {
    printf '[bench] %s\n' "$*" >&2
}

fail() {
    printf '[bench] error: %s\n' "$*" >&2
    exit 1
}

# Fails unless the named variable is an integer from min to max.
require_integer() {
    local name=$1 value=$2 min=$3 max=$4
    if ! [[ "$value" =~ ^[0-9]+$ ]] || ((value < min || value > max)); then
        fail "$name must be an integer from $min to $max, got '$value'"
    fi
}

check_settings() {
    require_integer BENCH_DURATION_SECONDS "$duration" 1 300
    require_integer BENCH_WARMUP_SECONDS "$warmup" 0 60
    require_integer BENCH_CONNECTIONS "$connections" 1 256
    require_integer BENCH_DEALS "$deal_count" 1 10000000
    require_integer BENCH_CONTACTS "$contact_count" 1 10000000
    require_integer BENCH_COMPANIES "$company_count" 1 1000000
    require_integer BENCH_REPS "$rep_count" 1 10000
    if ((load_threads > connections)); then
        load_threads=$connections
    fi
    local suite
    for suite in $suites; do
        [[ "$suite" == deals || "$suite" == reports ]] ||
            fail "BENCH_SUITES may name only deals and reports, got '$suites'"
    done
}

# Succeeds when BENCH_SUITES names the suite.
runs_suite() {
    [[ " $suites " == *" $1 "* ]]
}

# Installs wrk from Debian's packages when it is missing, and checks the other tools.
check_tools() {
    if ! command -v wrk >/dev/null; then
        if [[ $EUID -ne 0 ]]; then
            fail "wrk is not installed: run 'apt-get install -y wrk' as root"
        fi
        log "installing wrk"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    fi
    local tool
    for tool in psql pgbench pg_isready curl awk sort; do
        command -v "$tool" >/dev/null || fail "$tool is not installed"
    done
}

# Starts the local PostgreSQL server when the benchmark uses the default address.
ensure_postgres() {
    if [[ "$PGHOST" == 127.0.0.1 && "$PGPORT" == 5432 ]]; then
        "$repo_root/scripts/ensure-postgres.sh"
    fi
    pg_isready -q -h "$PGHOST" -p "$PGPORT" || fail "PostgreSQL is not accepting connections on $PGHOST:$PGPORT"
}

build_server() {
    if [[ -n "${BENCH_BINARY:-}" ]]; then
        dealbook="$BENCH_BINARY"
    else
        command -v cargo >/dev/null || fail "cargo is not installed; set BENCH_BINARY to a built dealbook binary"
        log "building the release binary (about 6 minutes on 2 cores without a build cache)"
        (cd "$repo_root" && cargo build --release -p dealbook)
        dealbook="$target_dir/release/dealbook"
    fi
    [[ -x "$dealbook" ]] || fail "no executable dealbook binary at $dealbook"
    dealbook="$(realpath "$dealbook")"
}

# Runs a dealbook command with the bench database. It runs in the work directory, so a
# dealbook.toml in the caller's directory does not change the measured settings.
run_dealbook() {
    (
        cd "$work_dir"
        exec env DATABASE_URL="$database_url" "$dealbook" "$@"
    )
}

psql_bench() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$database" "$@"
}

create_database() {
    log "creating the database $database"
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "DROP DATABASE IF EXISTS $database WITH (FORCE)"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $database"
    log "running the migrations"
    run_dealbook migrate
}

# Prints a TCP port on 127.0.0.1 that nothing listens on. Another process may still take
# it before the server binds, in which case the server fails to start and the script stops.
find_free_port() {
    local port attempt
    for attempt in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    fail "found no free port on 127.0.0.1 after $attempt attempts"
}

# Starts the server with the current database. The optional argument is the log file,
# $work_dir/server.log by default.
start_server() {
    local port server_log=${1:-$work_dir/server.log}
    port="$(find_free_port)"
    base_url="http://127.0.0.1:$port/api/v1"

    log "starting the server on 127.0.0.1:$port (log: $server_log)"
    # The subshell execs the server, so $! is the server's pid. As in run_dealbook, the
    # server runs in the work directory. The access token has to outlive all API runs,
    # so its lifetime is one hour, and DEALBOOK_DEMO_ON_EMPTY=false keeps the demo
    # organization out of the database.
    (
        cd "$work_dir"
        exec env DATABASE_URL="$database_url" \
            DEALBOOK_BIND="127.0.0.1:$port" \
            DEALBOOK_DEMO_ON_EMPTY=false \
            DEALBOOK_ACCESS_TOKEN_TTL_SECONDS=3600 \
            DEALBOOK_JWT_SECRET="$jwt_secret" \
            RUST_LOG="${RUST_LOG:-warn}" \
            "$dealbook" serve
    ) >"$server_log" 2>&1 &
    server_pid=$!

    local waited=0
    until curl -s --max-time 2 -o /dev/null "$base_url/openapi.json"; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            tail -n 20 "$server_log" >&2
            server_pid=""
            fail "the server exited during start-up; its log ends with the lines above"
        fi
        if ((waited >= 120)); then
            fail "timed out after 120 seconds waiting for the server on 127.0.0.1:$port; see $server_log"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        log "stopping the server (pid $server_pid)"
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}

# Sends a request and fails unless the response status is the expected one.
# Prints the response body.
request_json() {
    local expected_status=$1
    shift
    local response status body
    response="$(curl -sS -w '\n%{http_code}' "$@")" || fail "request failed: curl $*"
    status="${response##*$'\n'}"
    body="${response%$'\n'*}"
    if [[ "$status" != "$expected_status" ]]; then
        fail "expected HTTP $expected_status from ${*: -1}, got $status: ${body:0:500}"
    fi
    printf '%s' "$body"
}

sign_up() {
    log "signing up the bench organization"
    local body
    body="$(request_json 201 -X POST -H 'Content-Type: application/json' \
        -d "{\"organization_name\":\"Bench Org\",\"name\":\"Bench Owner\",\"email\":\"$owner_email\",\"password\":\"$owner_password\"}" \
        "$base_url/auth/signup")"
    access_token="$(printf '%s' "$body" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')"
    [[ -n "$access_token" ]] || fail "the sign-up response has no access_token: ${body:0:500}"

    org_id="$(psql_bench -At -c "SELECT m.org_id FROM memberships AS m
        JOIN users AS u ON u.id = m.user_id WHERE u.email = '$owner_email'")"
    [[ -n "$org_id" ]] || fail "no membership found for $owner_email after the sign-up"
}

load_data() {
    log "loading $deal_count deals, $contact_count contacts and $company_count companies"
    psql_bench -v org_id="$org_id" -v rep_count="$rep_count" \
        -v company_count="$company_count" -v contact_count="$contact_count" \
        -v deal_count="$deal_count" -f "$bench_dir/load.sql"

    # The list scenario reads the first stage of the bench pipeline. Sign-up may also
    # create a default pipeline, whose stages stay empty.
    stage_id="$(psql_bench -At -c "SELECT s.id FROM stages AS s
        JOIN pipelines AS p ON p.id = s.pipeline_id
        WHERE s.org_id = '$org_id' AND p.name = 'Bench pipeline' AND s.position = 0")"
    [[ -n "$stage_id" ]] || fail "the load created no stage at position 0 in 'Bench pipeline'"
    psql_bench -At -c "SELECT id FROM bench_ids ORDER BY n" >"$work_dir/deal-ids.txt"
}

# Checks that both endpoints respond with 200 before they are measured.
check_endpoints() {
    local first_id body
    first_id="$(head -n 1 "$work_dir/deal-ids.txt")"
    request_json 200 -H "Authorization: Bearer $access_token" "$base_url/deals/$first_id" >/dev/null
    body="$(request_json 200 -H "Authorization: Bearer $access_token" \
        "$base_url/deals?stage_id=$stage_id&limit=50")"
    [[ "$body" == *'"data"'* ]] || fail "the deal list response has no data field: ${body:0:500}"
}

# Runs wrk for a warm-up and a measured run. Sets api_rps, api_p50_ms, api_p99_ms and
# api_errors from the measured run.
run_wrk() {
    local name=$1 url=$2 ids_file=$3
    local -a command=(wrk -t "$load_threads" -c "$connections" --timeout 10s
        -s "$bench_dir/wrk.lua" -H "Authorization: Bearer $access_token")

    if ((warmup > 0)); then
        BENCH_DEAL_IDS="$ids_file" "${command[@]}" -d "${warmup}s" "$url" >/dev/null
    fi
    log "API $name: $connections connections for $duration s"
    BENCH_DEAL_IDS="$ids_file" "${command[@]}" -d "${duration}s" "$url" >"$work_dir/wrk-$name.txt"

    local result
    result="$(grep '^wrk-result ' "$work_dir/wrk-$name.txt")" ||
        fail "wrk printed no result line; see $work_dir/wrk-$name.txt"
    api_rps="$(result_field "$result" rps)"
    api_p50_ms="$(result_field "$result" p50_ms)"
    api_p99_ms="$(result_field "$result" p99_ms)"
    api_errors=$(($(result_field "$result" http_errors) + $(result_field "$result" socket_errors)))
}

# Prints the value of key=value in a line of such pairs.
result_field() {
    local line=$1 key=$2
    printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$key=//p"
}

write_pgbench_scripts() {
    # The subquery maps a random number to a deal id, as wrk.lua does with deal-ids.txt.
    cat >"$work_dir/get-deal.sql" <<SQL
\\set n random(1, $deal_count)
SELECT * FROM deals
WHERE org_id = :org_id AND id = (SELECT id FROM bench_ids WHERE n = :n) AND deleted_at IS NULL;
SQL
    # The API reads one row more than the page size to tell whether a next page exists.
    cat >"$work_dir/list-deals.sql" <<SQL
SELECT * FROM deals
WHERE org_id = :org_id AND stage_id = :stage_id AND deleted_at IS NULL
ORDER BY $DEAL_LIST_ORDER_BY
LIMIT 51;
SQL
}

# Runs pgbench for a warm-up and a measured run. Sets db_tps, db_avg_ms, db_p50_ms and
# db_p99_ms from the measured run.
run_pgbench() {
    local name=$1 script=$2
    local log_prefix="$work_dir/pgbench-$name"
    # Prepared mode matches the server: sqlx prepares each statement once per connection.
    local -a command=(pgbench -n -M prepared -c "$connections" -j "$load_threads"
        -D "org_id=$org_id" -D "stage_id=$stage_id" -f "$script")

    if ((warmup > 0)); then
        "${command[@]}" -T "$warmup" "$database" >/dev/null
    fi
    log "pgbench $name: $connections connections for $duration s"
    "${command[@]}" -T "$duration" -l --log-prefix="$log_prefix" "$database" \
        >"$work_dir/pgbench-$name.txt" 2>&1 ||
        fail "pgbench failed; see $work_dir/pgbench-$name.txt"

    db_tps="$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work_dir/pgbench-$name.txt")"
    db_avg_ms="$(sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p' "$work_dir/pgbench-$name.txt")"
    [[ -n "$db_tps" && -n "$db_avg_ms" ]] ||
        fail "cannot read tps and latency from $work_dir/pgbench-$name.txt"

    # With -l, pgbench writes one line per transaction to <prefix>.<pid> for the first
    # thread and <prefix>.<pid>.<thread> for the others. The third field is the
    # transaction's latency in microseconds.
    local percentiles
    percentiles="$(cat "$log_prefix".[0-9]* | awk '{ print $3 }' | sort -n | awk '
        function rank(p,    r) { r = int(NR * p); if (r < NR * p) r++; return r < 1 ? 1 : r }
        { latency[NR] = $1 }
        END {
            if (NR == 0) exit 1
            printf "%.3f %.3f\n", latency[rank(0.50)] / 1000, latency[rank(0.99)] / 1000
        }')" || fail "pgbench wrote no transaction log to $log_prefix.*"
    db_p50_ms="${percentiles% *}"
    db_p99_ms="${percentiles#* }"
}

# Appends one row to the results table.
add_result_row() {
    local scenario=$1 row
    row="$(awk -v scenario="$scenario" \
        -v api_rps="$api_rps" -v api_p50="$api_p50_ms" -v api_p99="$api_p99_ms" \
        -v db_tps="$db_tps" -v db_avg="$db_avg_ms" -v db_p50="$db_p50_ms" -v db_p99="$db_p99_ms" \
        'BEGIN {
            printf "| %s | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f |",
                scenario, api_rps, api_p50, api_p99, db_tps, db_avg, db_p50, db_p99, api_rps / db_tps
        }')"
    results+=("$row")
    if ((api_errors > 0)); then
        warnings+=("$scenario: $api_errors API requests failed or had an error status, see $work_dir")
    fi
}

print_report() {
    local cpu postgres_version commit
    cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    postgres_version="$(psql_bench -At -c 'SHOW server_version')"
    commit="$(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo 'unknown')"

    printf '\n'
    printf 'Machine: %s cores, %s\n' "$(nproc)" "${cpu:-unknown CPU}"
    printf 'PostgreSQL %s, commit %s, %s deals, %s connections, %s s per run\n\n' \
        "$postgres_version" "$commit" "$deal_count" "$connections" "$duration"
    printf '| Scenario | API req/s | API p50 ms | API p99 ms | pgbench TPS | pgbench avg ms | pgbench p50 ms | pgbench p99 ms | API req/s / pgbench TPS |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    printf '%s\n' "${results[@]}"
    print_warnings
    printf '\nThe database %s is kept for inspection. Raw output is in %s.\n' "$database" "$work_dir"
}

run_deals() {
    create_database
    start_server
    sign_up
    load_data
    check_endpoints

    results=()
    warnings=()
    local get_url="$base_url/deals/"
    local list_url="$base_url/deals?stage_id=$stage_id&limit=50"

    run_wrk get-deal "$get_url" "$work_dir/deal-ids.txt"
    local get_rps=$api_rps get_p50=$api_p50_ms get_p99=$api_p99_ms get_errors=$api_errors
    run_wrk list-deals "$list_url" ""
    local list_rps=$api_rps list_p50=$api_p50_ms list_p99=$api_p99_ms list_errors=$api_errors

    # With the server stopped, pgbench's connections are PostgreSQL's only clients.
    stop_server

    write_pgbench_scripts
    run_pgbench get-deal "$work_dir/get-deal.sql"
    api_rps=$get_rps api_p50_ms=$get_p50 api_p99_ms=$get_p99 api_errors=$get_errors
    add_result_row "GET /deals/{id}"

    run_pgbench list-deals "$work_dir/list-deals.sql"
    api_rps=$list_rps api_p50_ms=$list_p50 api_p99_ms=$list_p99 api_errors=$list_errors
    add_result_row "GET /deals?stage_id=...&limit=50"

    print_report
}

print_warnings() {
    local warning
    for warning in "${warnings[@]}"; do
        printf 'WARNING: %s\n' "$warning"
    done
}

main() {
    check_settings
    # The work directory contains only this script's output, so a new run starts empty.
    rm -rf "$work_dir"
    mkdir -p "$work_dir"
    check_tools
    ensure_postgres
    build_server
    trap stop_server EXIT

    local started=$SECONDS
    if runs_suite deals; then
        run_deals
    fi
    if runs_suite reports; then
        warnings=()
        run_reports
        print_report_table
        print_warnings
    fi
    printf '\nThe benchmark took %s s.\n' "$((SECONDS - started))"
}

# shellcheck source=bench/reports.sh
source "$bench_dir/reports.sh"

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
