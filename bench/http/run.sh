#!/usr/bin/env bash
# HTTP benchmark of Tiejun with wrk (issue item 7).
#
#   bench/http/run.sh [--db URL] [path/to/tiejun]   (default: build/release/tiejun)
#
# Builds nothing. Creates a demo database (tiejun demo --scale $SCALE) in a
# temporary SQLite file, or with --db (or DB=) in the database that URL names:
# a postgresql:// URL of an empty database (createdb it first; it is left
# filled afterwards, drop it yourself), or sqlite:FILE. It serves it on 127.0.0.1:$PORT, logs in as rep1, makes a
# bearer token, and runs wrk for $DURATION seconds per case at 16 and 256
# connections: the static OpenAPI document (136 KB, served from memory) and the
# small index.html (also from memory), one company,
# a 20-row list sorted by name, Chinese contains-search (2 characters, which
# scans, and 4 characters, which uses the trigram index), creating a company
# and logging a visit. Prints a markdown table (req/s, p50, p99, errors
# (non-2xx/3xx answers and socket errors), and each case's rate as a share of
# the two static-file rates at the same connection count in the same run) and
# writes it to $OUT when set. The server is stopped on exit.
#
# Environment: SCALE (1), DURATION (10 s), PORT (18180), THREADS (wrk threads, 2), CASES (a regex of case names),
#              CONNS ("16 256"), OUT (file for the table), KEEP_DB (1: keep the db),
#              DB (as --db), AS_OF (the demo's --as-of, default today), SEED (--seed),
#              CASES (an extended regex: only the cases whose names match; default all),
#              SERVE_ENV (e.g. "TIEJUN_MALLOC=default": environment of the server)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
DB=${DB:-}
if [[ ${1:-} == --db ]]; then DB=${2:?--db needs a URL}; shift 2; fi
if [[ ${1:-} == --db=* ]]; then DB=${1#--db=}; shift; fi
BIN=${1:-$root/build/release/tiejun}
SCALE=${SCALE:-1}
DURATION=${DURATION:-10}
PORT=${PORT:-18180}
THREADS=${THREADS:-2}
CONNS=${CONNS:-"16 256"}
OUT=${OUT:-}

command -v wrk >/dev/null || { echo "wrk is missing: run scripts/deps.sh" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: run scripts/deps.sh" >&2; exit 2; }
[[ -x $BIN ]] || { echo "no tiejun binary at $BIN (build it first, or pass its path)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tiejun-bench.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP_DB:-0} == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

base="http://127.0.0.1:$PORT"
db=${DB:-"sqlite:$work/bench.db"}
case $db in
  postgres://* | postgresql://*) backend=PostgreSQL ;;
  *) backend=SQLite ;;
esac

echo "== demo database (scale $SCALE) on $backend" >&2
demo_args=(--scale "$SCALE")
[[ -n ${AS_OF:-} ]] && demo_args+=(--as-of "$AS_OF")
[[ -n ${SEED:-} ]] && demo_args+=(--seed "$SEED")
t0=$(date +%s.%N)
"$BIN" demo --db "$db" "${demo_args[@]}" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
t1=$(date +%s.%N)
grep -E "^Demo organisation|^  [0-9]+ sales teams" "$work/demo.log" >&2 || true
if [[ $backend == PostgreSQL ]]; then
  db_bytes=$(psql -tAq "$db" -c "SELECT pg_database_size(current_database())" 2>/dev/null || echo 0)
else
  db_bytes=$(stat -c %s "${db#sqlite:}")
fi

echo "== serving on $base" >&2
env ${SERVE_ENV:-} "$BIN" serve --db "$db" --listen "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server_pid=$!
for i in $(seq 1 100); do  # at most ~20 s
  curl -fsS -o /dev/null "$base/api/v1/openapi.json" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "the server exited" >&2; exit 1; }
  [[ $i == 100 ]] && { echo "the server did not answer within 20 s" >&2; exit 1; }
  sleep 0.2
done

# Log in as rep1, make a bearer token, find rep1's own companies.
login=$(curl -fsS -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"username":"rep1","password":"tiejun-demo"}' "$base/api/v1/session")
csrf=$(grep -o '"csrf_token":"[^"]*"' <<<"$login" | cut -d'"' -f4)
rep_id=$(grep -o '"user":{[^}]*}' <<<"$login" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
token=$(curl -fsS -b "$work/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"wrk benchmark"}' "$base/api/v1/tokens" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
[[ -n $token && -n $rep_id ]] || { echo "login or token creation failed: $login" >&2; exit 1; }
ids=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/companies?owner_id=$rep_id&limit=100" |
  grep -o '"id":[0-9]*' | cut -d: -f2 | paste -sd, -)
[[ -n $ids ]] || { echo "rep1 owns no company" >&2; exit 1; }
one=${ids%%,*}

export TJ_BENCH_DIR="$here" TJ_COMPANY_IDS="$ids"

# case name | lua script | auth (token or none) | path
cases=(
  "static file (openapi.json)|get.lua|none|/api/v1/openapi.json"
  "small static file (index.html)|get.lua|none|/"
  "read one company|get.lua|token|/api/v1/companies/$one"
  "list 20 by name|get.lua|token|/api/v1/companies?sort=name&limit=20"
  "search q=科技 (2 chars)|get.lua|token|/api/v1/companies?q=%E7%A7%91%E6%8A%80&limit=20"
  "search q=网络科技 (4 chars)|get.lua|token|/api/v1/companies?q=%E7%BD%91%E7%BB%9C%E7%A7%91%E6%8A%80&limit=20"
  "create company|create_company.lua|token|/api/v1/companies"
  "log visit|log_visit.lua|token|/api/v1/visits"
  "log visit, Idempotency-Key|log_visit_idem.lua|token|/api/v1/visits"
  "replay a visit (same key)|replay_visit.lua|token|/api/v1/visits"
)
# CASES (a regular expression): run only the cases whose name matches, plus the two static files
# the ratios need (e.g. CASES='log visit|replay').
if [[ -n ${CASES:-} ]]; then
  kept=()
  for entry in "${cases[@]}"; do
    name=${entry%%|*}
    [[ $name =~ $CASES || $name == static* || $name == "small static"* ]] && kept+=("$entry")
  done
  cases=("${kept[@]}")
fi

# After a case the server may still be working through requests whose
# connections wrk has closed (slow searches at 256 connections); wait until
# it answers a cheap call promptly again, so the next case starts clean.
drain() {
  local start=$SECONDS
  while ((SECONDS - start < 180)); do
    curl -fsS -m 1 -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/me" 2>/dev/null && break
    sleep 0.5
  done
  ((SECONDS - start > 1)) && echo "   (server busy for $((SECONDS - start)) s after the case)" >&2
  return 0
}

declare -A rate
rows=()
run=0
for c in $CONNS; do
  for entry in "${cases[@]}"; do
    IFS='|' read -r name script auth path <<<"$entry"
    [[ $name =~ ${CASES:-.} ]] || continue
    run=$((run + 1))
    if [[ $auth == token ]]; then export TJ_TOKEN=$token; else export TJ_TOKEN=""; fi
    export TJ_RUN="$run-$$"
    echo "== $name, $c connections" >&2
    out=$(timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --timeout 10s \
      -s "$here/$script" "$base$path" 2>&1) || true
    line=$(grep '^TJRESULT' <<<"$out" || true)
    if [[ -z $line ]]; then
      echo "$out" >&2
      rows+=("| $name | $c | failed | | | | | |")
      continue
    fi
    declare -A v=()
    for kv in ${line#TJRESULT }; do v[${kv%%=*}]=${kv#*=}; done
    rps=$(awk -v r="${v[requests]}" -v d="${v[duration_us]}" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
    errs=$((v[err_status] + v[err_connect] + v[err_read] + v[err_write] + v[err_timeout]))
    key="$c|$name"
    rate[$key]=$rps
    ratio=$(awk -v a="$rps" -v s="${rate["$c|static file (openapi.json)"]:-0}" \
      'BEGIN { if (s > 0) printf "%.2f", a / s; else printf "-" }')
    ratio_small=$(awk -v a="$rps" -v s="${rate["$c|small static file (index.html)"]:-0}" \
      'BEGIN { if (s > 0) printf "%.2f", a / s; else printf "-" }')
    p50=$(awk -v x="${v[p50_us]}" 'BEGIN { printf "%.2f", x / 1000 }')
    p99=$(awk -v x="${v[p99_us]}" 'BEGIN { printf "%.2f", x / 1000 }')
    err_note="$errs"
    ((errs > 0)) && err_note="$errs (status ${v[err_status]}, socket $((errs - v[err_status])))"
    ((v[requests] == 0)) && err_note="no request completed"
    rows+=("| $name | $c | $rps | $p50 | $p99 | $err_note | $ratio | $ratio_small |")
    echo "   $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $err_note" >&2
    unset v
    drain
  done
done

{
  echo "Tiejun HTTP benchmark: scale $SCALE demo on $backend ($(awk -v b="$db_bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }'), generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')), wrk $THREADS threads, ${DURATION} s per case, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "| case | connections | req/s | p50 ms | p99 ms | errors | vs openapi.json | vs index.html |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee ${OUT:+"$OUT"}
