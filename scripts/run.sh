#!/usr/bin/env bash
# Runs MedDispatch on the embedded default: installs what is missing, builds, starts
# meddispatch-server on 127.0.0.1:8080 with a SQLite database (seeded with the demo data
# set) in the user's data directory, and opens the desktop when a display is available.
#
#   scripts/run.sh                 build and run
#   MEDDISPATCH_LISTEN=127.0.0.1:9090 scripts/run.sh   another port
set -euo pipefail
cd "$(dirname "$0")/.."

installer/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DMEDDISPATCH_BUILD_TESTS=OFF -DMEDDISPATCH_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/release

server=build/release/app/server/meddispatch-server
desktop=build/release/app/desktop/meddispatch
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" || ! -x "$desktop" ]]; then
  echo "No display: running the server only (Ctrl+C stops it)."
  exec "$server" --demo "$@"
fi

"$server" --demo "$@" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
listen="${MEDDISPATCH_LISTEN:-127.0.0.1:8080}"
for _ in $(seq 1 300); do   # the first start seeds the demo data
  curl -fsS "http://$listen/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "meddispatch-server did not start" >&2; exit 1; }
  sleep 0.2
done
MEDDISPATCH_URL="http://$listen" "$desktop"
