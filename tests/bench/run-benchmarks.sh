#!/usr/bin/env bash
# Runs the MedDispatch benchmarks and writes a Markdown summary (every figure, its
# target, PASS/MISS, the machine) to tests/bench/results/latest.md and stdout.
# What each benchmark measures and how to read the table: docs/benchmarks.md.
#
#   tests/bench/run-benchmarks.sh            everything at full size (100k engineers,
#                                            1M equipment, 500k tickets), both backends
#   tests/bench/run-benchmarks.sh --quick    sizes 1k and 10k, shorter load runs
#   tests/bench/run-benchmarks.sh --only auth --output tests/bench/results/auth.md
#                                            the authentication benchmarks alone
#   tests/bench/run-benchmarks.sh --only table --output tests/bench/results/desktop.md
#                                            the desktop's 100k-ticket table alone
#   tests/bench/run-benchmarks.sh --only table,startup --output tests/bench/results/desktop.md
#                                            the desktop's benchmarks (table, cold start)
#   tests/bench/run-benchmarks.sh --only scan,photo --output tests/bench/results/codes.md
#                                            reading codes: camera frames and photos
#
# Options:
#   --quick               --sizes 1000,10000, wrk, writer and login runs of 5 s
#   --sizes LIST          engineer counts for bench_dispatch (default 1000,10000,100000)
#   --backend NAME        sqlite, postgres or both (default both) for bench_dispatch
#   --only LIST           a subset of: dispatch,http,writes,auth,table,startup,scan,photo
#                         (default all)
#   --requests N          measured requests per dispatch figure (default 1000)
#   --wrk-duration S      seconds per wrk run (default 10)
#   --writes-duration S   seconds of concurrent ticket writes (default 10)
#   --auth-duration S     seconds of each login run of bench_auth (default 10)
#   --table-rows N        tickets in the desktop's table benchmark (default 100000)
#   --build-dir DIR       default build/bench
#   --no-cache            regenerate the SQLite data sets instead of reusing them
#   --analyze             run ANALYZE after generating (on top of DataGenerator)
#   --output FILE         default tests/bench/results/latest.md
#
# Installs nothing: it checks the tools and says what to run when one is missing. The
# table benchmark paints under Xvfb (xvfb-run) when it is installed, else offscreen.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

sizes=1000,10000,100000
backend=both
only=dispatch,http,writes,auth,table,startup,scan,photo
requests=1000
wrk_duration=10
writes_duration=10
auth_duration=10
table_rows=100000
build_dir=build/bench
cache=1
analyze=0
output=tests/bench/results/latest.md
mode=full
command_line="tests/bench/run-benchmarks.sh $*"

usage() { sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
    case $1 in
    --quick) sizes=1000,10000; wrk_duration=5; writes_duration=5; auth_duration=5; table_rows=10000; mode=quick ;;
    --sizes) sizes=$2; mode=custom; shift ;;
    --backend) backend=$2; shift ;;
    --only) only=$2; shift ;;
    --requests) requests=$2; shift ;;
    --wrk-duration) wrk_duration=$2; shift ;;
    --writes-duration) writes_duration=$2; shift ;;
    --auth-duration) auth_duration=$2; shift ;;
    --table-rows) table_rows=$2; shift ;;
    --build-dir) build_dir=$2; shift ;;
    --no-cache) cache=0 ;;
    --analyze) analyze=1 ;;
    --output) output=$2; shift ;;
    -h | --help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
    shift
done
case $backend in sqlite | postgres | both) ;; *) echo "--backend: sqlite, postgres or both" >&2; exit 2 ;; esac
wants() { [[ ",$only," == *",$1,"* ]]; }
[[ $build_dir == /* ]] || build_dir="$root/$build_dir"

# --- tools -------------------------------------------------------------------------
missing=()
for tool in cmake ninja c++ curl awk; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if wants http || wants auth; then command -v wrk >/dev/null || missing+=(wrk); fi
needs_pg=0
if wants dispatch && [[ $backend != sqlite ]]; then
    needs_pg=1
    if ! { [[ -n ${PG_BINDIR:-} && -x $PG_BINDIR/initdb ]] ||
        ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; }; then
        missing+=("PostgreSQL server binaries (initdb, pg_ctl)")
    fi
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "error: missing: ${missing[*]}" >&2
    echo "       run: installer/install-deps.sh --test   (installs what the tests and benchmarks use)" >&2
    exit 1
fi
launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
else
    echo "note: ccache not found, building without it (installer/install-deps.sh installs it)" >&2
fi

# --- build -------------------------------------------------------------------------
# Only the programs of the chosen benchmarks; the table benchmark needs the desktop's
# widgets, the others do without them.
build_targets=()
wants dispatch && build_targets+=(bench_dispatch)
wants http && build_targets+=(bench_bare_server meddispatch-server)
wants writes && build_targets+=(bench_ticket_writes)
wants auth && build_targets+=(bench_auth)
desktop=OFF
if wants table; then desktop=ON; build_targets+=(bench_ticket_table); fi
if wants startup; then desktop=ON; build_targets+=(bench_cold_start meddispatch-server); fi
if wants scan; then desktop=ON; build_targets+=(bench_scan_pipeline); fi
wants photo && build_targets+=(bench_photo)
echo "== building $build_dir (Release)"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
    -DMEDDISPATCH_BUILD_DESKTOP=$desktop -DMEDDISPATCH_BUILD_TESTS=OFF \
    -DMEDDISPATCH_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build_dir" --target "${build_targets[@]}"
bench_bin="$build_dir/tests/bench"
server_bin="$build_dir/app/server/meddispatch-server"

# --- run state, cleaned up on exit ---------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/md-bench.XXXXXX")
pg_dir="$build_dir/pg-bench"
pids=()
pg_started=0
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    if [[ $pg_started -eq 1 ]]; then
        "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
status=0

# Rows in the programs' TSV format (see benchsupport.h).
row_info() { printf 'info\t%s\t%s\t%s\n' "$1" "$2" "$3" >>"$work/http.tsv"; }
row_target() { printf 'target\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$work/http.tsv"; }
row_failure() { printf 'failure\t%s\t%s\n' "$1" "$2" >>"$work/${3:-http}.tsv"; }

# --- 1. dispatch: suggestions and organizations over HTTP ---------------------------
if wants dispatch; then
    pg_args=()
    if [[ $needs_pg -eq 1 ]]; then
        "$root/scripts/pg-test-cluster.sh" start "$pg_dir"
        pg_started=1
        pg_args=(--pg-url "$(cat "$pg_dir/url")")
    fi
    extra=()
    [[ $cache -eq 1 ]] && extra+=(--cache-dir "$build_dir/bench-datasets")
    [[ $analyze -eq 1 ]] && extra+=(--analyze)
    echo "== bench_dispatch --backend $backend --sizes $sizes"
    if ! "$bench_bin/bench_dispatch" --backend "$backend" --sizes "$sizes" --requests "$requests" \
        "${pg_args[@]}" "${extra[@]}" --out "$work/dispatch.tsv"; then
        status=1
        [[ -s $work/dispatch.tsv ]] || row_failure bench_dispatch "did not complete (see its output above)" dispatch
    fi
    if [[ $pg_started -eq 1 ]]; then
        pg_bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
        pg_version=$("${pg_bindir:+$pg_bindir/}postgres" --version 2>/dev/null || true)
        printf 'meta\tPostgreSQL\t%s\n' "${pg_version:-unknown}" >>"$work/dispatch.tsv"
        "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" >/dev/null
        pg_started=0
    fi
fi

# --- 2. light read under wrk: meddispatch-server beside a bare QHttpServer ------------
# Waits for "listening on http://HOST:PORT" in a log file; prints PORT.
wait_port() {
    local log=$1 pid=$2 i port
    for i in $(seq 1 600); do
        port=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\).*|\1|p' "$log" | head -n 1)
        if [[ -n $port ]]; then echo "$port"; return 0; fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}
fetch() { curl -sS --noproxy '*' --fail --max-time 30 "$@"; }
# wrk URL NAME: runs a short warm-up and the measured run; prints "rps avg_latency errors".
# Every request carries ${wrk_headers[@]} (the bearer token of the light read).
wrk_headers=()
run_wrk() {
    local url=$1 name=$2 out="$work/wrk-$2.txt"
    wrk -t2 -c32 -d2s "${wrk_headers[@]}" "$url" >/dev/null 2>&1 || true
    wrk -t2 -c32 -d"${wrk_duration}s" "${wrk_headers[@]}" --latency "$url" >"$out" 2>&1
    local rps latency non2xx socket
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    latency=$(awk '$1 == "Latency" {print $2; exit}' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
    socket=$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); print}' "$out")
    echo "${rps:-0} ${latency:-?} ${non2xx:-0} ${socket:+$(echo "$socket" | tr ' ' '_')}"
}

if wants http; then
    echo "== light read: meddispatch-server and bench_bare_server under wrk (-t2 -c32 -d${wrk_duration}s)"
    mkdir -p "$work/data"
    # start_server LOG LEVEL PORT: sets server_pid and server_port (empty when it did not
    # start). Port 0: any free port, read from the log's "listening on" line (info level).
    start_server() {
        # --rate-limit 0: wrk sends everything from one address.
        "$server_bin" --listen "127.0.0.1:$3" --data-dir "$work/data" --demo --rate-limit 0 \
            --log-level "$2" 2>"$1" &
        server_pid=$!
        pids+=("$server_pid")
        if [[ $3 == 0 ]]; then
            server_port=$(wait_port "$1" "$server_pid") || server_port=
            return
        fi
        local i
        server_port=
        for i in $(seq 1 600); do
            if fetch "http://127.0.0.1:$3/healthz" >/dev/null 2>&1; then server_port=$3; return; fi
            kill -0 "$server_pid" 2>/dev/null || return 0
            sleep 0.2
        done
    }
    stop_last() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
    start_server "$work/server.log" info 0
    real_port=$server_port
    if [[ -z $real_port ]]; then
        cat "$work/server.log" >&2
        row_failure http "meddispatch-server did not start (log above)"
        status=1
    else
        base="http://127.0.0.1:$real_port"
        # Signed in as the demo dispatch-centre admin (README); both servers get the
        # same request bytes, header included.
        token=$(fetch -H 'Content-Type: application/json' \
            -d '{"identifier": "admin@meddispatch.example", "password": "MedDispatch-Demo-2026"}' \
            "$base/v1/auth/login" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
        wrk_headers=(-H "Authorization: Bearer $token")
        org_id=$(fetch "${wrk_headers[@]}" "$base/v1/organizations?type=hospital&limit=1" |
            grep -o '"id":"[0-9a-f-]\{36\}"' | head -n 1 | cut -d'"' -f4)
        fetch "${wrk_headers[@]}" "$base/v1/organizations/$org_id" >"$work/org.json"
        fetch "$base/healthz" >"$work/healthz.json"
        "$bench_bin/bench_bare_server" --listen 127.0.0.1:0 \
            --route "/v1/organizations/$org_id=$work/org.json" \
            --route "/healthz=$work/healthz.json" >"$work/bare.log" 2>&1 &
        bare_pid=$!
        pids+=("$bare_pid")
        if ! bare_port=$(wait_port "$work/bare.log" "$bare_pid"); then
            cat "$work/bare.log" >&2
            row_failure http "bench_bare_server did not start"
            status=1
        else
            bare="http://127.0.0.1:$bare_port"
            if ! cmp -s <(fetch "${wrk_headers[@]}" "$bare/v1/organizations/$org_id") "$work/org.json"; then
                row_failure http "the bare server's body differs from meddispatch-server's"
                status=1
            fi
            section="light read, wrk -t2 -c32 -d${wrk_duration}s"
            row_info "$section" "route" "GET /v1/organizations/{id} of one hospital ($(wc -c <"$work/org.json") bytes); SQLite, --demo data"
            read -r real_rps real_lat real_bad real_sock < <(run_wrk "$base/v1/organizations/$org_id" real-org)
            read -r bare_rps bare_lat bare_bad bare_sock < <(run_wrk "$bare/v1/organizations/$org_id" bare-org)
            read -r realh_rps realh_lat realh_bad realh_sock < <(run_wrk "$base/healthz" real-healthz)
            read -r bareh_rps bareh_lat bareh_bad bareh_sock < <(run_wrk "$bare/healthz" bare-healthz)
            row_info "$section" "meddispatch-server (access log on, to a file)" "$real_rps req/s, mean latency $real_lat, non-2xx $real_bad${real_sock:+, socket errors $real_sock}"
            row_info "$section" "bare QHttpServer, same bytes" "$bare_rps req/s, mean latency $bare_lat, non-2xx $bare_bad${bare_sock:+, socket errors $bare_sock}"
            row_info "$section" "/healthz: meddispatch-server" "$realh_rps req/s, mean latency $realh_lat, non-2xx $realh_bad"
            row_info "$section" "/healthz: bare QHttpServer" "$bareh_rps req/s, mean latency $bareh_lat, non-2xx $bareh_bad"
            # Judged on the unrounded ratio: 0.498 must not pass as "0.50".
            ratio=$(awk -v a="$real_rps" -v b="$bare_rps" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "0" }')
            verdict=$(awk -v a="$real_rps" -v b="$bare_rps" 'BEGIN { print (b > 0 && a >= 0.5 * b) ? "PASS" : "MISS" }')
            row_target "$section" "light read: meddispatch-server / bare route" "${ratio}× ($real_rps vs $bare_rps req/s)" "≥ 0.5×" "$verdict"
            hratio=$(awk -v a="$realh_rps" -v b="$bareh_rps" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "0" }')
            row_info "$section" "/healthz: meddispatch-server / bare route" "${hratio}×"
            if [[ ${real_bad:-0} != 0 || ${bare_bad:-0} != 0 ]]; then
                row_failure http "non-2xx answers under load (server $real_bad, bare $bare_bad)"
                status=1
            fi
            stop_last "$server_pid"
            # The same read with the access log off: what one log line per request costs.
            # The log stays silent at warn: reuse the port just freed.
            start_server "$work/server-quiet.log" warn "$real_port"
            if [[ -n $server_port ]]; then
                read -r quiet_rps quiet_lat quiet_bad _ < <(run_wrk "http://127.0.0.1:$server_port/v1/organizations/$org_id" quiet-org)
                row_info "$section" "meddispatch-server, --log-level warn (no access log)" "$quiet_rps req/s, mean latency $quiet_lat, non-2xx $quiet_bad"
                stop_last "$server_pid"
            fi
        fi
        stop_last "$bare_pid"
    fi
    printf 'meta\twrk\t%s\n' "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)" >>"$work/http.tsv"
fi

# --- 3. concurrent ticket writes on SQLite ------------------------------------------
if wants writes; then
    echo "== bench_ticket_writes --threads 4 --duration $writes_duration"
    if ! "$bench_bin/bench_ticket_writes" --threads 4 --duration "$writes_duration" \
        --out "$work/writes.tsv"; then
        status=1
        [[ -s $work/writes.tsv ]] || row_failure bench_ticket_writes "did not complete (see its output above)" writes
    fi
fi

# --- 4. authentication: logins, /healthz beside them, the token check under wrk ------
if wants auth; then
    echo "== bench_auth --duration $auth_duration --wrk-duration $wrk_duration"
    if ! "$bench_bin/bench_auth" --duration "$auth_duration" --wrk-duration "$wrk_duration" \
        --out "$work/auth.tsv"; then
        status=1
        [[ -s $work/auth.tsv ]] || row_failure bench_auth "did not complete (see its output above)" auth
    fi
fi

# --- 5. the desktop's ticket table: TicketModel beside QStandardItemModel -------------
if wants table; then
    # Real painting under Xvfb when it is there; the offscreen platform paints too, into
    # memory only.
    painter=(env QT_QPA_PLATFORM=offscreen)
    if command -v xvfb-run >/dev/null; then
        painter=(env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24")
    else
        echo "note: xvfb-run not found, the table benchmark paints offscreen" >&2
    fi
    echo "== bench_ticket_table --rows $table_rows"
    if ! "${painter[@]}" "$bench_bin/bench_ticket_table" --rows "$table_rows" \
        --out "$work/table.tsv"; then
        status=1
        [[ -s $work/table.tsv ]] || row_failure bench_ticket_table "did not complete (see its output above)" table
    fi
fi

# --- 6. cold start of the desktop on the embedded default ---------------------------
if wants startup; then
    starter=(env QT_QPA_PLATFORM=offscreen)
    if command -v xvfb-run >/dev/null; then
        starter=(env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24")
    fi
    echo "== bench_cold_start --runs 7"
    if ! "${starter[@]}" "$bench_bin/bench_cold_start" --runs 7 --server-binary "$server_bin" \
        --out "$work/startup.tsv"; then
        status=1
        [[ -s $work/startup.tsv ]] || row_failure bench_cold_start "did not complete (see its output above)" startup
    fi
fi

# --- 7. reading codes: camera frames through the pipeline, photos ------------------
if wants scan || wants photo; then
    for tool in qrencode convert; do
        command -v "$tool" >/dev/null || { echo "error: missing $tool: run installer/install-deps.sh --test" >&2; exit 1; }
    done
fi
if wants scan; then
    scanner=(env QT_QPA_PLATFORM=offscreen)
    if command -v xvfb-run >/dev/null; then
        scanner=(env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24")
    fi
    echo "== bench_scan_pipeline --runs 200 --duration 10"
    if ! "${scanner[@]}" "$bench_bin/bench_scan_pipeline" --runs 200 --duration 10 \
        --out "$work/scan.tsv"; then
        status=1
        [[ -s $work/scan.tsv ]] || row_failure bench_scan_pipeline "did not complete (see its output above)" scan
    fi
fi
if wants photo; then
    echo "== bench_photo --runs 15"
    if ! "$bench_bin/bench_photo" --runs 15 --out "$work/photo.tsv"; then
        status=1
        [[ -s $work/photo.tsv ]] || row_failure bench_photo "did not complete (see its output above)" photo
    fi
fi

# --- summary -------------------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
revision=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "no commit")
dirty=$(git -C "$root" status --porcelain 2>/dev/null | head -n 1)
compiler=$(c++ --version | head -n 1)
cat "$work"/*.tsv 2>/dev/null >"$work/all.tsv" || true
meta() { awk -F'\t' -v k="$1" '$1 == "meta" && $2 == k {print $3; exit}' "$work/all.tsv"; }
qt_version=$(meta Qt)

# targets/details CONDITION: the Markdown table of the target or info rows matching an
# awk condition on the section ($2).
targets() {
    echo "| benchmark | figure | measured | target | result |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '$1 == "target" && '"$1"' { for (i = 2; i <= NF; ++i) gsub(/\|/, "\\|", $i);
        printf "| %s | %s | %s | %s | **%s** |\n", $2, $3, $4, $5, $6 }' "$work/all.tsv"
}
has() { awk -F'\t' '($1 == "target" || $1 == "info") && '"$1"' { found = 1 } END { exit !found }' "$work/all.tsv"; }
details() {
    echo "| benchmark | figure | value |"
    echo "|---|---|---|"
    awk -F'\t' '$1 == "info" && '"$1"' { for (i = 2; i <= NF; ++i) gsub(/\|/, "\\|", $i);
        printf "| %s | %s | %s |\n", $2, $3, $4 }' "$work/all.tsv"
}

mkdir -p "$(dirname "$output")"
{
    echo "# MedDispatch benchmark results"
    echo
    echo "Produced by \`$command_line\` ($mode run) on $started_at. How to read it: docs/benchmarks.md."
    echo
    echo "| machine | |"
    echo "|---|---|"
    echo "| CPU | ${cpu:-unknown} |"
    echo "| nproc | $(nproc) |"
    echo "| memory | $mem |"
    echo "| load average (1/5/15 min) at start / end | $load_start / $load_end |"
    echo "| Qt | ${qt_version:-unknown} |"
    echo "| SQLite | $(meta SQLite) |"
    echo "| PostgreSQL | $(meta PostgreSQL) |"
    echo "| wrk | $(meta wrk) |"
    echo "| compiler | $compiler, Release |"
    echo "| source | $revision${dirty:+ (with uncommitted changes)} |"
    echo
    if has '$2 !~ /^(auth|table|startup|scan|photo): /'; then
        echo "## Targets"
        echo
        targets '$2 !~ /^(auth|table|startup|scan|photo): /'
        echo
        echo "## Details"
        echo
        details '$2 !~ /^(auth|table|startup|scan|photo): /'
    fi
    if has '$2 ~ /^auth: /'; then
        echo
        echo "## Authentication"
        echo
        echo "bench_auth (issue 3): an in-process server with real cost-12 passwords, over real"
        echo "sockets; method and targets in docs/benchmarks.md. Every measured figure carries the"
        echo "load average at the time: above nproc, other work competed for the CPU."
        echo
        echo "### Targets"
        echo
        targets '$2 ~ /^auth: /'
        echo
        echo "### Details"
        echo
        details '$2 ~ /^auth: /'
    fi
    if has '$2 ~ /^table: /'; then
        echo
        echo "## Ticket table"
        echo
        echo "bench_ticket_table (issue 4): the desktop's TicketModel + TicketFilterModel beside"
        echo "QStandardItemModel + QSortFilterProxyModel holding the same generated tickets, in one"
        echo "process, on the Qt platform named below; method and targets in docs/benchmarks.md."
        echo
        echo "### Targets"
        echo
        targets '$2 ~ /^table: /'
        echo
        echo "### Details"
        echo
        details '$2 ~ /^table: /'
    fi
    if has '$2 ~ /^startup: /'; then
        echo
        echo "## Desktop cold start"
        echo
        echo "bench_cold_start (issue 4): a fresh desktop process on the embedded default, from"
        echo "spawning it to a signed-in dashboard with its figures painted; method in docs/benchmarks.md."
        echo
        echo "### Targets"
        echo
        targets '$2 ~ /^startup: /'
        echo
        echo "### Details"
        echo
        details '$2 ~ /^startup: /'
    fi
    if has '$2 ~ /^scan: /'; then
        echo
        echo "## Camera scanning"
        echo
        echo "bench_scan_pipeline (issue 5): NV12 frames of a textured scene, with a qrencode label and"
        echo "without, through FrameDecoder beside ZXing::ReadBarcodes alone on the same luma plane, then"
        echo "through the whole pipeline into a shown preview; method in docs/benchmarks.md."
        echo
        echo "### Targets"
        echo
        targets '$2 ~ /^scan: /'
        echo
        echo "### Details"
        echo
        details '$2 ~ /^scan: /'
    fi
    if has '$2 ~ /^photo: /'; then
        echo
        echo "## Photos"
        echo
        echo "bench_photo (issue 5): PhotoReader, as POST /v1/equipment/identify and the desktop's image"
        echo "files use it, beside JPEG decoding and ZXing alone on the same photo; no target is set."
        echo
        details '$2 ~ /^photo: /'
    fi
    if grep -q '^failure' "$work/all.tsv"; then
        echo
        echo "## Problems (the figures above them are not trustworthy)"
        echo
        awk -F'\t' '$1 == "failure" { printf "- %s: %s\n", $2, $3 }' "$work/all.tsv"
    fi
} >"$work/summary.md"
cp "$work/summary.md" "$output"
echo
cat "$work/summary.md"
echo
echo "written to $output"
exit $status
