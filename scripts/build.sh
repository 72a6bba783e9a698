#!/usr/bin/env bash
# Builds everything: installs missing Debian packages, builds the web UI (npm ci
# + vite) when web/ exists, then the tiejun binary with the UI embedded.
# Usage: scripts/build.sh [release|debug] [TARGET...]   (default: release, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${1:-release}"
shift || true
TARGETS=()
for t in "$@"; do TARGETS+=(--target "$t"); done
bash scripts/deps.sh
if [[ -f web/package.json && "${TIEJUN_SKIP_WEB:-}" != 1 ]]; then
  if [[ ! -d web/dist || -n "$(find web/src web/scripts web/index.html web/package.json web/vite.config.ts docs/openapi.json scripts/openapi -newer web/dist/index.html 2>/dev/null | head -1)" ]]; then
    echo "== building web UI"
    (cd web && { [[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent)
  fi
fi
echo "== building tiejun ($PRESET)"
cmake --preset "$PRESET" >/dev/null
JOBS="${JOBS:-$(nproc)}"
cmake --build --preset "$PRESET" -j "$JOBS" "${TARGETS[@]+"${TARGETS[@]}"}"
