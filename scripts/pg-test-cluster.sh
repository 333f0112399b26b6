#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suites (the CTest "postgres" fixture).
#
#   pg-test-cluster.sh start DIR   initdb (first time) + start on a free loopback port;
#                                  writes postgresql://postgres@127.0.0.1:PORT/postgres
#                                  into DIR/url. Starting a running cluster only
#                                  rewrites DIR/url.
#   pg-test-cluster.sh stop DIR    stops the cluster and removes DIR.
#
# Installs nothing: the PostgreSQL server binaries must be there (installer/ installs
# them). As root, the server runs as the "postgres" user (initdb refuses root).
# Trust authentication on 127.0.0.1 only; fsync off: the data is disposable.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
command=$1
dir=$2
[[ $dir == /* ]] || dir="$PWD/$dir"

find_bindir() {
    if [[ -n ${PG_BINDIR:-} && -x $PG_BINDIR/initdb ]]; then echo "$PG_BINDIR"; return; fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $candidate && -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
        echo "$candidate"; return
    fi
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"; return
    fi
    echo "error: PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
    echo "       Install them (Debian/Ubuntu: apt-get install postgresql) or set PG_BINDIR." >&2
    exit 1
}

bindir=$(find_bindir)
data="$dir/data"

# Run a PostgreSQL tool as the cluster owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "error: running as root but there is no 'postgres' user to own the cluster" >&2
            exit 1
        fi
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    [[ -f $data/PG_VERSION ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

write_url() {
    local port
    port=$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$data/postgresql.auto.conf" | tail -n 1)
    echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url.tmp"
    mv "$dir/url.tmp" "$dir/url"
}

start() {
    mkdir -p "$dir"
    if is_running; then
        write_url
        echo "PostgreSQL test cluster already running: $(cat "$dir/url")"
        return
    fi
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        # The owner must be able to reach DIR through its parents.
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "error: user postgres cannot write $dir (check the parents' permissions)" >&2
            exit 1
        fi
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
        rm -rf "$data"
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            echo "error: initdb failed" >&2
            exit 1
        }
        # Loopback TCP only, trusted: nothing else can reach this cluster.
        as_owner sh -c "printf 'host all all 127.0.0.1/32 trust\n' >'$data/pg_hba.conf'"
    fi
    local attempt port
    for attempt in $(seq 1 20); do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" && continue
        as_owner sh -c "cat >'$data/postgresql.auto.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
max_wal_size = 4GB
checkpoint_timeout = 30min
CONF
        if as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
            write_url
            echo "PostgreSQL test cluster started: $(cat "$dir/url")"
            return
        fi
        # Most likely the port was taken meanwhile: try another.
        tail -n 5 "$dir/server.log" >&2 || true
    done
    echo "error: could not start the PostgreSQL test cluster (see $dir/server.log)" >&2
    exit 1
}

stop() {
    if is_running; then
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
    rm -rf "$dir"
    echo "PostgreSQL test cluster stopped"
}

case $command in
start) start ;;
stop) stop ;;
*) usage ;;
esac
