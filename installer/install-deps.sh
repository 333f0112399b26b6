#!/usr/bin/env bash
# Installs what MedDispatch needs to build, run and test on Debian 12 or Ubuntu 24.04.
# Does nothing when everything is already there. Needs root (or sudo).
#
#   installer/install-deps.sh            build + run dependencies
#   installer/install-deps.sh --test     also what the test suite and benchmarks use
set -euo pipefail

packages=(
  build-essential curl cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql
  qt6-httpserver-dev qt6-websockets-dev
  qt6-charts-dev libqt6opengl6-dev qt6-multimedia-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qtkeychain-qt6-dev
  libssl-dev libcrypt-dev libzxing-dev libspdlog-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
)
if [[ "${1:-}" == "--test" ]]; then
  # openssl: the TLS tests make throwaway certificates.
  packages+=(postgresql postgresql-client wrk qrencode zint imagemagick zbar-tools poppler-utils xvfb xauth openssl)
  # node + npm: the JWT interoperability test verifies our tokens with the npm `jose`
  # library (tests/interop/jose, pinned by its package-lock.json). Machines that already
  # have a Node.js with npm keep it (Debian's npm package would conflict with it).
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
