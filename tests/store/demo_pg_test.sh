#!/usr/bin/env bash
# tiejun demo straight onto PostgreSQL: the same --seed and --as-of at scale 1
# on SQLite and on a fresh PostgreSQL database give the same organisation (row
# counts per table), every index, key and trigger is there after the bulk load,
# the identity sequences continue after the demo's ids, a
# second demo into the same database is refused, and a server on each database
# answers the key views identically (leaderboard, manager1's alerts, company
# lists and search, metrics, diagnosis, coaching, ...).
# Needs TIEJUN_BIN (the binary) and TIEJUN_TEST_PG (a server URL, scripts/pg.sh);
# exits 77 (skipped) without them. Ports: TIEJUN_TEST_PORTS=LO-HI (default 30000-49999).
set -euo pipefail
BIN="${TIEJUN_BIN:-}"
PG="${TIEJUN_TEST_PG:-}"
if [[ -z $BIN || ! -x $BIN || -z $PG ]]; then echo "skipped: TIEJUN_BIN and TIEJUN_TEST_PG are needed"; exit 77; fi
command -v createdb >/dev/null && command -v psql >/dev/null || { echo "skipped: no createdb/psql"; exit 77; }

d="$(mktemp -d)"
name="tj_demo_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  dropdb --if-exists --force --maintenance-db="$PG" "$name" >/dev/null 2>&1 || true
  dropdb --if-exists --force --maintenance-db="$PG" "${name}_empty" >/dev/null 2>&1 || true
  rm -rf "$d"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The server URL naming database $2 (single or multi-host URL; its query is kept).
with_db() { local u="$1" q=""; if [[ $u == *\?* ]]; then q="?${u#*\?}"; u="${u%%\?*}"; fi; [[ ${u#*://} == */* ]] && u="${u%/*}"; echo "$u/$2$q"; }
target="$(with_db "$PG" "$name")"
seed=7
asof=2026-11-27
echo "== demo on SQLite"
"$BIN" demo --db "sqlite:$d/demo.db" --scale 1 --seed $seed --as-of $asof >"$d/d1.log" 2>&1 || { cat "$d/d1.log"; fail "demo on SQLite"; }
grep -E "^(Demo organisation|  [0-9]+ sales teams)" "$d/d1.log" || true
echo "== demo on PostgreSQL"
createdb --maintenance-db="$PG" "$name"
"$BIN" demo --db "$target" --scale 1 --seed $seed --as-of $asof >"$d/d2.log" 2>&1 || { cat "$d/d2.log"; fail "demo on PostgreSQL"; }
grep -E "^(Demo organisation|  [0-9]+ sales teams)" "$d/d2.log" || true
# the summary line (teams, reps, companies by status, visits, deals) is the same
s1=$(grep -E "^  [0-9]+ sales teams" "$d/d1.log"); s2=$(grep -E "^  [0-9]+ sales teams" "$d/d2.log")
[[ -n $s1 && $s1 == "$s2" ]] || fail "the summaries differ"

echo "== a second demo into the same database is refused"
if "$BIN" demo --db "$target" --scale 1 --seed $seed --as-of $asof >"$d/d3.log" 2>&1; then fail "a second demo was written"; fi
grep -q "already holds" "$d/d3.log" || { cat "$d/d3.log"; fail "no explanation"; }

echo "== the same rows per table"
tables="orgs teams users companies contacts visits deals targets target_history plans reviews job_runs values_assessments training_records audit_log settings"
for t in $tables; do
  a=$(sqlite3 "$d/demo.db" "SELECT COUNT(*) FROM $t" 2>/dev/null || echo "?")
  b=$(psql -tAq "$target" -c "SELECT COUNT(*) FROM $t")
  [[ $a == "?" || $a == "$b" ]] || fail "$t: $a rows on SQLite, $b on PostgreSQL"
  printf '  %-20s %8s\n' "$t" "$b"
done
# same content, not only counts, for the tables the views read most
for q in "SELECT SUM(id), SUM(visit_count), SUM(COALESCE(owner_id, 0)), COUNT(effective_at) FROM companies" \
  "SELECT SUM(id), SUM(company_id), SUM(rep_id), SUM(at) FROM visits" "SELECT SUM(id), SUM(amount) FROM deals"; do
  a=$(sqlite3 -separator '|' "$d/demo.db" "$q" 2>/dev/null || echo "?")
  b=$(psql -tAq "$target" -c "$q")
  [[ $a == "?" || $a == "$b" ]] || fail "$q: $a on SQLite, $b on PostgreSQL"
done

# the views' per-(rep, day) counters, when this build has them
if [[ $(psql -tAq "$target" -c "SELECT to_regclass('rep_day_stats') IS NOT NULL") == t ]]; then
  q="SELECT COUNT(*), SUM(visits), SUM(visits_new), SUM(minutes_total), SUM(effective_new), SUM(deals), SUM(signed_amount) FROM rep_day_stats"
  a=$(sqlite3 -separator '|' "$d/demo.db" "$q" 2>/dev/null || echo "?")
  b=$(psql -tAq "$target" -c "$q")
  [[ $a == "?" || $a == "$b" ]] || fail "rep_day_stats: $a on SQLite, $b on PostgreSQL"
fi
# the discovery, conversion and intake counters (migration 0007), when this build has them
if [[ $(psql -tAq "$target" -c "SELECT to_regclass('intake_stats') IS NOT NULL") == t ]]; then
  for q in "SELECT COUNT(*), SUM(n), SUM(field * n), SUM(rep_id * n), SUM(LENGTH(text) * n) FROM discovery_stats" \
    "SELECT COUNT(*), SUM(effective_n), SUM(signed_n), SUM(rep_id * effective_n), SUM(LENGTH(source || industry) * effective_n) FROM conversion_stats" \
    "SELECT COUNT(*), SUM(n), SUM(owner_id * n), SUM(hour * n), SUM(LENGTH(source) * n) FROM intake_stats"; do
    a=$(sqlite3 -separator '|' "$d/demo.db" "$q" 2>/dev/null || echo "?")
    b=$(psql -tAq "$target" -c "$q")
    [[ $a == "?" || $a == "$b" ]] || fail "$q: $a on SQLite, $b on PostgreSQL"
  done
fi

echo "== every index and key is back after the bulk load (same schema as a fresh migrate)"
createdb --maintenance-db="$PG" "${name}_empty"
schema_of() {
  psql -tAq "$1" -c "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() UNION ALL
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE connamespace = current_schema()::regnamespace UNION ALL
    SELECT tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"
}
"$BIN" migrate --db "$(with_db "$PG" "${name}_empty")" >/dev/null 2>&1 || fail "migrate"
schema_of "$(with_db "$PG" "${name}_empty")" >"$d/schema_empty"
dropdb --force --maintenance-db="$PG" "${name}_empty"
schema_of "$target" >"$d/schema_demo"
diff "$d/schema_empty" "$d/schema_demo" || fail "the schema after the demo differs from a fresh one"
[[ $(grep -c . "$d/schema_demo") -gt 20 ]] || fail "too few indexes and keys listed"

echo "== the identity sequences continue after the demo's ids"
for t in companies contacts visits deals; do
  n=$(psql -tAq "$target" -c "SELECT last_value >= (SELECT MAX(id) FROM $t) FROM ${t}_id_seq")
  [[ $n == t ]] || fail "$t: the sequence is behind MAX(id)"
done

echo "== the same answers from both databases"
# Today's daily jobs first, on both and as of one instant (releases stamp updated_at), so that
# neither server is still releasing companies to the pool in the background while the views
# are compared (a race, not a difference of the data).
jobs_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$BIN" jobs run --db "sqlite:$d/demo.db" --at "$jobs_at" >/dev/null 2>&1 || fail "jobs on SQLite"
"$BIN" jobs run --db "$target" --at "$jobs_at" >/dev/null 2>&1 || fail "jobs on PostgreSQL"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
range="${TIEJUN_TEST_PORTS:-30000-49999}"
lo="${range%-*}"; hi="${range#*-}"
pick() { local p; for _ in $(seq 200); do p=$((lo + RANDOM % (hi - lo + 1))); port_free "$p" && { echo "$p"; return; }; done; fail "no port"; }
p1=$(pick)
"$BIN" serve --db "sqlite:$d/demo.db" --listen "127.0.0.1:$p1" >"$d/s1.log" 2>&1 & pids+=($!)
p2=$(pick); while [[ $p2 == "$p1" ]]; do p2=$(pick); done
"$BIN" serve --db "$target" --listen "127.0.0.1:$p2" >"$d/s2.log" 2>&1 & pids+=($!)
login() {  # port user
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/api/v1/me" && break; sleep 0.1; done
  curl -s -c "$d/cookie$1$2" -H 'content-type: application/json' -d "{\"username\":\"$2\",\"password\":\"tiejun-demo\"}" \
    "http://127.0.0.1:$1/api/v1/session" >/dev/null
}
diffs=0
compare() {  # user path
  local a b
  a=$(curl -s -b "$d/cookie$p1$1" "http://127.0.0.1:$p1$2")
  b=$(curl -s -b "$d/cookie$p2$1" "http://127.0.0.1:$p2$2")
  if [[ "$a" != "$b" ]]; then echo "differs for $1: $2"; diffs=$((diffs + 1)); fi
  [[ $a == *'"error"'* ]] && echo "note: $1 $2 answered ${a:0:160}"
  return 0
}
for u in admin manager1 rep1; do login $p1 $u; login $p2 $u; done
for path in "/api/v1/leaderboard?as_of=$asof" "/api/v1/leaderboard?as_of=$asof&period=month" \
  "/api/v1/companies?limit=50" "/api/v1/companies?q=%E7%A7%91%E6%8A%80" "/api/v1/companies?sort=-visit_count&limit=30" \
  "/api/v1/metrics/reps?from=2026-11-01&to=$asof" "/api/v1/alerts?as_of=$asof" "/api/v1/prospects?as_of=$asof" \
  "/api/v1/diagnosis?as_of=$asof" "/api/v1/coaching?as_of=$asof" "/api/v1/insights/conversion" "/api/v1/talent" \
  "/api/v1/targets" "/api/v1/feed"; do
  compare admin "$path"
done
for path in "/api/v1/alerts?as_of=$asof" "/api/v1/leaderboard?as_of=$asof" "/api/v1/companies?limit=100" "/api/v1/coaching?as_of=$asof"; do
  compare manager1 "$path"
done
for path in "/api/v1/alerts?as_of=$asof" "/api/v1/companies?limit=100" "/api/v1/metrics/reps?from=2026-11-01&to=$asof"; do
  compare rep1 "$path"
done
# the manager's alerts are not empty (the comparison means something)
n=$(curl -s -b "$d/cookie${p2}manager1" "http://127.0.0.1:$p2/api/v1/alerts?as_of=$asof" | grep -o '"kind"' | wc -l)
((n > 0)) || fail "manager1 has no alerts on PostgreSQL"
((diffs == 0)) || fail "$diffs views differ between SQLite and PostgreSQL"

echo "== a company created after the demo gets the next id"
csrf=$(curl -s -c "$d/c2" -H 'content-type: application/json' -d '{"username":"admin","password":"tiejun-demo"}' \
  "http://127.0.0.1:$p2/api/v1/session" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
max=$(psql -tAq "$target" -c "SELECT MAX(id) FROM companies")
r=$(curl -s -b "$d/c2" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' -d '{"name":"演示之后的公司"}' \
  "http://127.0.0.1:$p2/api/v1/companies")
[[ $r == *"\"id\":$((max + 1))"* ]] || fail "the new company: $r (MAX(id) was $max)"
echo "PASS"
