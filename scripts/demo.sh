#!/usr/bin/env bash
# Quick start, part one: build the binary and the UI (not the tests) and serve a demo organisation.
# Prints the URL and the demo credentials. Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release tiejun
LISTEN="${TIEJUN_LISTEN:-127.0.0.1:8080}"
exec build/release/tiejun demo --db "sqlite:${TIEJUN_DEMO_DB:-tiejun-demo.db}" --force --serve --listen "$LISTEN"
