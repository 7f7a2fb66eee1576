#!/usr/bin/env bash
# Makes sure a PostgreSQL server accepts connections on 127.0.0.1:5432 for the tests and
# the benchmark.
#
# Starts the newest installed Debian cluster named "main" when it is down. When PostgreSQL
# is not installed and the script runs as root, it installs Debian's postgresql package
# and lets every local TCP connection in without a password (trust auth), which is how
# the tests connect as the user postgres.

set -euo pipefail

host=127.0.0.1
port=5432
cluster=main
start_timeout_seconds=30

log() {
    printf '[postgres] %s\n' "$*" >&2
}

fail() {
    printf '[postgres] error: %s\n' "$*" >&2
    exit 1
}

is_ready() {
    command -v pg_isready >/dev/null && pg_isready -q -h "$host" -p "$port"
}

install_postgres() {
    if [[ $EUID -ne 0 ]]; then
        fail "PostgreSQL is not installed; run 'apt-get install -y postgresql' as root, or set TEST_DATABASE_URL to a server you have"
    fi
    log "installing PostgreSQL from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Prints the newest PostgreSQL major version that has a cluster configuration.
newest_cluster_version() {
    find /etc/postgresql -mindepth 2 -maxdepth 2 -type d -name "$cluster" 2>/dev/null |
        awk -F/ '{ print $4 }' | sort -V | tail -n 1
}

# Puts trust lines for loopback TCP connections first in pg_hba.conf. Only used on a
# cluster that this script just installed, so an existing setup is never changed.
trust_loopback() {
    local version=$1
    local hba="/etc/postgresql/$version/$cluster/pg_hba.conf"
    log "allowing loopback TCP connections without a password in $hba"
    {
        printf 'host all all 127.0.0.1/32 trust\n'
        printf 'host all all ::1/128 trust\n'
        cat "$hba"
    } >"$hba.new"
    chown --reference="$hba" "$hba.new"
    chmod --reference="$hba" "$hba.new"
    mv "$hba.new" "$hba"
}

main() {
    if is_ready; then
        log "PostgreSQL accepts connections on $host:$port"
        return 0
    fi

    local installed_now=false
    if ! command -v pg_ctlcluster >/dev/null; then
        install_postgres
        installed_now=true
    fi

    local version
    version="$(newest_cluster_version)"
    if [[ -z "$version" ]]; then
        fail "PostgreSQL is installed but has no cluster named '$cluster' under /etc/postgresql; create one with pg_createcluster"
    fi

    if [[ "$installed_now" == true ]]; then
        trust_loopback "$version"
    fi

    # pg_ctlcluster status exits with 0 only while the cluster runs. A running cluster that
    # refuses connections may still be starting, so the loop below waits for it. The
    # package install may have started the cluster before pg_hba.conf changed.
    if pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1; then
        if [[ "$installed_now" == true ]]; then
            pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" reload
        fi
    else
        log "starting PostgreSQL $version/$cluster"
        pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start ||
            fail "pg_ctlcluster could not start $version/$cluster; see /var/log/postgresql/postgresql-$version-$cluster.log"
    fi

    local waited=0
    until is_ready; do
        if ((waited >= start_timeout_seconds)); then
            fail "timed out after $start_timeout_seconds seconds waiting for PostgreSQL $version/$cluster on $host:$port; check its port and listen_addresses in /etc/postgresql/$version/$cluster/postgresql.conf"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    log "PostgreSQL accepts connections on $host:$port"
}

main "$@"
