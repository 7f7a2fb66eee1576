# Report benchmark for scripts/bench.sh, which sources this file and calls run_reports.
#
# Loads a sales organization of BENCH_REPORT_DEALS deals into the database
# dealbook_bench_reports, then for every report endpoint that the served OpenAPI document
# lists (every GET path under /api/v1/reports/ with query parameters only):
#   1. calls it once on a server started with DEALBOOK_LOG_SQL=true and writes the SQL
#      statements that the report ran to reports/sql/<report>.sql, and the per-request
#      membership lookup apart to reports/sql/<report>.auth.sql;
#   2. times BENCH_REPORT_REQUESTS sequential requests after one warm-up on a server
#      without the statement log, and as many runs of the captured SQL through psql;
#   3. runs EXPLAIN (ANALYZE, BUFFERS) once per captured statement into reports/explain/.
# It uses the helpers and variables of scripts/bench.sh.

report_database=dealbook_bench_reports

check_report_settings() {
    report_deal_count="${BENCH_REPORT_DEALS:-1000000}"
    report_requests="${BENCH_REPORT_REQUESTS:-10}"
    report_reps="${BENCH_REPORT_REPS:-60}"
    report_companies="${BENCH_REPORT_COMPANIES:-20000}"
    report_timeout="${BENCH_REPORT_TIMEOUT_SECONDS:-300}"
    require_integer BENCH_REPORT_DEALS "$report_deal_count" 1 10000000
    require_integer BENCH_REPORT_REQUESTS "$report_requests" 1 1000
    require_integer BENCH_REPORT_REPS "$report_reps" 6 10000
    require_integer BENCH_REPORT_COMPANIES "$report_companies" 1 1000000
    require_integer BENCH_REPORT_TIMEOUT_SECONDS "$report_timeout" 10 3600
    command -v jq >/dev/null || fail "jq is not installed: run 'apt-get install -y jq'"
    command -v timeout >/dev/null || fail "timeout (GNU coreutils) is not installed"
}

# Prints the nearest-rank median of the numbers on standard input, one a line, or nothing
# when there are none.
median() {
    sort -n | awk '{ value[NR] = $1 } END {
        if (NR == 0) exit
        rank = int(NR * 0.5); if (rank < NR * 0.5) rank++; if (rank < 1) rank = 1
        printf "%.1f\n", value[rank]
    }'
}

# Prints "<name> <path>" for every GET report path of the served OpenAPI document whose
# parameters are all query parameters.
discover_reports() {
    curl -sS --max-time 30 "$base_url/openapi.json" >"$report_dir/openapi.json" ||
        fail "cannot read $base_url/openapi.json"
    jq -r '.paths | to_entries[]
        | select(.key | startswith("/api/v1/reports/"))
        | select(.value.get != null)
        | select(((.value.parameters // []) + (.value.get.parameters // []))
            | all(.in == "query"))
        | "\(.key | ltrimstr("/api/v1/reports/") | gsub("/"; "-")) \(.key)"' \
        "$report_dir/openapi.json" | sort
}

load_report_data() {
    log "loading $report_deal_count deals for the report benchmark"
    local started=$SECONDS
    timeout "$report_timeout_load" psql -X -q -v ON_ERROR_STOP=1 -d "$database" \
        -v org_id="$org_id" -v deal_count="$report_deal_count" -v rep_count="$report_reps" \
        -v company_count="$report_companies" -f "$bench_dir/load-reports.sql" ||
        fail "loading the report data failed or took more than $report_timeout_load s"
    report_load_seconds=$((SECONDS - started))
    log "loaded the report data in $report_load_seconds s"

    pipeline_id="$(psql_bench -At -c "SELECT id FROM pipelines
        WHERE org_id = '$org_id' AND name = 'Sales' AND deleted_at IS NULL")"
    [[ -n "$pipeline_id" ]] || fail "the organization has no pipeline named Sales"
    psql_bench -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))" \
        >"$report_dir/database-size.txt"
}

# Prints the statements of the statement log in the server log from byte offset on, each
# ending with ";". With is_auth true it prints only the membership lookup of the request's
# authentication, the only statement that filters memberships by the signed-in user's id,
# and with false every other statement. Lines that are not JSON, such as the server's
# start-up message on standard output, are skipped.
logged_statements() {
    local server_log=$1 offset=$2 is_auth=$3
    tail -c "+$offset" "$server_log" | jq -rR --arg user "$owner_user_id" --argjson auth "$is_auth" '
        fromjson? | select(.target == "dealbook::sql" and .statement != null) | .statement
        | select(test("FROM \"memberships\" WHERE .*\"memberships\".\"user_id\" = \u0027"
            + $user + "\u0027") == $auth)
        | . + ";"'
}

# Calls each report once with the statement log on and splits the statements that it ran
# into reports/sql/<name>.sql and, for the membership lookup, <name>.auth.sql.
capture_report_sql() {
    local server_log=$1 name path offset status
    mkdir -p "$report_dir/sql"
    while read -r name path; do
        offset=$(($(stat -c %s "$server_log") + 1))
        status="$(curl -sS -o "$report_dir/$name.json" -w '%{http_code}' \
            --max-time "$report_timeout" -H "Authorization: Bearer $access_token" \
            "$server_url$path?pipeline_id=$pipeline_id")" || status=timeout
        report_status[$name]=$status
        if [[ "$status" != 200 ]]; then
            log "report $name: HTTP $status, skipped: $(head -c 300 "$report_dir/$name.json" 2>/dev/null)"
            continue
        fi
        logged_statements "$server_log" "$offset" true >"$report_dir/sql/$name.auth.sql"
        logged_statements "$server_log" "$offset" false >"$report_dir/sql/$name.sql"
        report_statements[$name]="$(grep -c ';$' "$report_dir/sql/$name.sql" || true)"
        log "report $name: captured ${report_statements[$name]} statements"
    done <"$report_dir/reports.txt"
}

# Times one warm-up and report_requests measured requests of each report that returned 200.
time_report_endpoints() {
    local name path i seconds
    while read -r name path; do
        [[ "${report_status[$name]}" == 200 ]] || continue
        log "report $name: $report_requests requests"
        local url="$server_url$path?pipeline_id=$pipeline_id"
        : >"$report_dir/$name.endpoint-ms.txt"
        for ((i = 0; i <= report_requests; i++)); do
            seconds="$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' \
                --max-time "$report_timeout" -H "Authorization: Bearer $access_token" "$url")" ||
                seconds="timeout 0"
            if [[ "${seconds% *}" != 200 ]]; then
                warnings+=("report $name: request $i returned HTTP ${seconds% *}")
                continue
            fi
            if ((i > 0)); then
                awk -v s="${seconds#* }" 'BEGIN { printf "%.3f\n", s * 1000 }' \
                    >>"$report_dir/$name.endpoint-ms.txt"
            fi
        done
    done <"$report_dir/reports.txt"
}

# Runs the captured SQL of each report once as a warm-up and report_requests times measured
# through one psql session with \timing, and sums the statement times of each run.
time_report_sql() {
    local name path statements
    while read -r name path; do
        [[ "${report_status[$name]}" == 200 ]] || continue
        statements=${report_statements[$name]}
        ((statements > 0)) || continue
        log "report $name: $report_requests runs of its $statements statements through psql"
        local driver="$report_dir/$name.psql"
        {
            printf '\\set ON_ERROR_STOP on\n\\o /dev/null\n\\timing on\n'
            for ((i = 0; i <= report_requests; i++)); do
                printf '\\i %s\n' "$report_dir/sql/$name.sql"
            done
        } >"$driver"
        PGOPTIONS="-c statement_timeout=${report_timeout}s" \
            psql -X -q -d "$database" -f "$driver" >"$report_dir/$name.psql-out.txt" 2>&1 ||
            fail "psql failed on the SQL of $name; see $report_dir/$name.psql-out.txt"
        # psql prints one "Time: <ms> ms" line per statement. Each run has `statements`
        # lines, and the first run is the warm-up.
        sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$report_dir/$name.psql-out.txt" |
            awk -v per_run="$statements" '
                { run = int((NR - 1) / per_run); total[run] += $1; last = run }
                END { for (r = 1; r <= last; r++) printf "%.3f\n", total[r] }' \
                >"$report_dir/$name.sql-ms.txt"
    done <"$report_dir/reports.txt"
}

# Writes EXPLAIN (ANALYZE, BUFFERS) of every captured statement to reports/explain/.
explain_report_sql() {
    local name path file statement k
    mkdir -p "$report_dir/explain"
    while read -r name path; do
        file="$report_dir/sql/$name.sql"
        [[ -s "$file" ]] || continue
        k=0
        while IFS= read -r statement; do
            k=$((k + 1))
            {
                printf -- '-- %s\n\n' "$statement"
                PGOPTIONS="-c statement_timeout=${report_timeout}s" \
                    psql -X -q -At -d "$database" -c "EXPLAIN (ANALYZE, BUFFERS) $statement" 2>&1
            } >"$report_dir/explain/$name-$k.txt"
        done <"$file"
    done <"$report_dir/reports.txt"
}

print_report_table() {
    local name path endpoint raw
    printf '\n'
    printf 'Reports: %s deals, %s requests after one warm-up, database %s (%s)\n\n' \
        "$report_deal_count" "$report_requests" "$database" "$(cat "$report_dir/database-size.txt")"
    printf '| Report | Statements | Endpoint median ms | Raw SQL median ms | Endpoint / raw SQL |\n'
    printf '|---|---:|---:|---:|---:|\n'
    while read -r name path; do
        if [[ "${report_status[$name]}" != 200 ]]; then
            printf '| %s | | HTTP %s | | |\n' "$name" "${report_status[$name]}"
            continue
        fi
        endpoint="$(median <"$report_dir/$name.endpoint-ms.txt")"
        raw="$(median <"$report_dir/$name.sql-ms.txt" 2>/dev/null || true)"
        awk -v name="$name" -v statements="${report_statements[$name]}" \
            -v endpoint="$endpoint" -v raw="$raw" 'BEGIN {
                ratio = (endpoint != "" && raw != "" && raw > 0) ? sprintf("%.2f", endpoint / raw) : ""
                printf "| %s | %s | %s | %s | %s |\n", name, statements, endpoint, raw, ratio
            }'
    done <"$report_dir/reports.txt"
    printf '\nLoading took %s s. Captured SQL is in %s/sql and plans are in %s/explain.\n' \
        "$report_load_seconds" "$report_dir" "$report_dir"
}

run_reports() {
    check_report_settings
    report_dir="$work_dir/reports"
    mkdir -p "$report_dir"
    # The load of a million deals takes minutes, so it gets a bound of its own.
    report_timeout_load=3600
    declare -gA report_status=() report_statements=()

    database=$report_database
    database_url="postgres://$PGUSER@$PGHOST:$PGPORT/$database"
    create_database

    local capture_log="$report_dir/server-capture.log"
    DEALBOOK_LOG_SQL=true DEALBOOK_LOG_FORMAT=json RUST_LOG="warn,dealbook::sql=info" \
        start_server "$capture_log"
    server_url="${base_url%/api/v1}"
    sign_up
    owner_user_id="$(psql_bench -At -c "SELECT id FROM users WHERE email = '$owner_email'")"
    load_report_data
    discover_reports >"$report_dir/reports.txt"
    [[ -s "$report_dir/reports.txt" ]] || fail "the OpenAPI document lists no report endpoints"
    log "reports: $(cut -d ' ' -f 1 "$report_dir/reports.txt" | tr '\n' ' ')"
    capture_report_sql "$capture_log"
    stop_server

    start_server "$report_dir/server.log"
    server_url="${base_url%/api/v1}"
    time_report_endpoints
    stop_server

    time_report_sql
    explain_report_sql
}
