#!/usr/bin/env bash
# Screenshots of each main view of the desktop with the demo data, under Xvfb, into
# docs/screenshots/ (shown in the README). Builds into build/test first if needed.
#
#   scripts/screenshots.sh [output directory]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"

installer/install-deps.sh --test
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build build/test --target md_screenshots meddispatch-server

# A fixed, readable look: Fusion style, 1440x900 at 96 dpi.
export QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_SCALE_FACTOR=1
xvfb-run -a -s "-screen 0 1600x1000x24 -dpi 96" \
  build/test/tests/desktoptools/md_screenshots --out "$out" \
  --server-binary build/test/app/server/meddispatch-server
