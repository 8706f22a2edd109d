#!/usr/bin/env bash
# Installs what forumcast needs to build, run and test on Debian 12, and nothing
# twice: Debian packages that are missing (apt-get), and the web client's npm
# packages when package-lock.json changed since the last `npm ci`.
# Usage: scripts/setup.sh            (called by `make run` and `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config ninja-build git clang-format clang-tidy
  # libraries (fixed stack)
  libwebsockets-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libtomlplusplus-dev
  libsodium-dev libicu-dev libopencc-dev libxlsxwriter-dev libcurl4-openssl-dev
  libqrencode-dev libhiredis-dev libpq-dev
  libavformat-dev libavcodec-dev libavutil-dev libavfilter-dev libswscale-dev libswresample-dev
  # test and benchmark tools
  ffmpeg chromium chromium-driver fonts-noto-cjk zbar-tools ghostscript sqlite3 unzip procps curl
  redis-server postgresql nginx libnginx-mod-rtmp
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian starts these on install; forumcast's tests start their own on loopback.
  for svc in nginx redis-server postgresql; do
    $SUDO service "$svc" stop >/dev/null 2>&1 || true
  done
fi

# Web client and browser-test packages (npm registry), only when the lock file changed.
for dir in web-client bench/peers/node-ws; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.forumcast-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
