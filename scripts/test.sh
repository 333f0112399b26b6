#!/usr/bin/env bash
# Installs what is missing (build tools, Qt, PostgreSQL 15, ...), builds everything and
# runs the whole test suite: unit, integration (each against SQLite and a throwaway
# PostgreSQL cluster that CTest starts and stops) and GUI tests. Then checks that the
# server alone builds and passes its unit tests with the desktop switched off.
set -euo pipefail
cd "$(dirname "$0")/.."

installer/install-deps.sh --test
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths relative to the checkout, so another clone of the same code hits the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
jobs=$(nproc)

cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure -j "$jobs" "$@"

cmake -S . -B build/server-only -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DMEDDISPATCH_BUILD_DESKTOP=OFF \
      -DMEDDISPATCH_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/server-only -j "$jobs"
ctest --test-dir build/server-only --output-on-failure -j "$jobs" -L unit
