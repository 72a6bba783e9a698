#!/usr/bin/env bash
# Installs every Debian package Tiejun needs to build, test and benchmark.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config
  libboost-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev libcli11-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev libpq-dev postgresql-15 postgresql-client-15
  libxlsxwriter-dev libzip-dev libexpat1-dev clang
  tzdata curl wrk chromium fonts-noto-cjk nodejs npm sqlite3 ccache
  help2man systemd dpkg-dev prometheus
  postgresql-15-auto-failover
  libcurl4-openssl-dev
  libhowardhinnant-date-dev
  clang-format clang-tidy
  zlib1g-dev
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# node/npm may come from elsewhere than Debian on a dev machine
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
