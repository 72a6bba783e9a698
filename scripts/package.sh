#!/usr/bin/env bash
# Builds the Debian package: build/package/tiejun_VERSION_amd64.deb (CPack), with the
# release binary (UI embedded), the systemd units, /etc/tiejun/tiejun.conf and a man page
# made from the binary's own --help (help2man), so the two always match.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release tiejun
BIN=build/release/tiejun
if command -v help2man >/dev/null; then
  inc="$(mktemp)"
  trap 'rm -f "$inc"' EXIT
  {
    for sub in serve init demo migrate backup "jobs run" import export copy; do
      echo "[${sub^^} OPTIONS]"
      # shellcheck disable=SC2086
      "$BIN" $sub --help | sed 's/^/ /'
      echo
    done
    printf '[FILES]\n/etc/tiejun/tiejun.conf\n  the serve options (key = value); TIEJUN_* variables and the command line override it\n\n'
  } >"$inc"
  help2man --no-info --name "the sales-team operating system of 销售铁军" --include "$inc" "$BIN" | gzip -9n >build/release/tiejun.1.gz
fi
cmake --preset release >/dev/null  # picks up the man page
mkdir -p build/package
(cd build/release && cpack -G DEB -B "$PWD/../package" >/dev/null)
rm -rf build/package/_CPack_Packages
ls build/package/tiejun_*_amd64.deb
