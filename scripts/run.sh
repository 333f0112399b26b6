#!/usr/bin/env bash
# Runs MedDispatch on the embedded default: installs what is missing, builds, and opens
# the desktop, which starts the bundled meddispatch-server on 127.0.0.1 with a SQLite
# database (seeded with the demo data set) in the user's data directory. Without a
# display it runs the server alone on 127.0.0.1:8080 in the foreground.
#
#   scripts/run.sh                 build and run
#   MEDDISPATCH_LISTEN=127.0.0.1:9090 scripts/run.sh   another port (server-only mode)
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

# The desktop starts the bundled server itself (127.0.0.1, a free port, SQLite in the
# user's data directory, demo data seeded once) and stops it when it closes.
exec "$desktop" --embedded --demo "$@"
