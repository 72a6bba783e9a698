#!/usr/bin/env bash
# tiejun copy, end to end: a demo organisation (plus a second one) moves from
# SQLite to PostgreSQL; an interrupted copy resumes; a table changed on the
# target is detected and copied again; a finished copy is verified and skipped;
# every table goes in COPY statements of at most --rows-per-copy rows (a probe trigger on the
# target counts each statement's rows) and the counters equal SQLite's after it;
# and the same API answers come from a server on each database.
# Needs TIEJUN_BIN (the binary) and TIEJUN_TEST_PG (a server URL, scripts/pg.sh);
# exits 77 (skipped) without them.
set -euo pipefail
BIN="${TIEJUN_BIN:-}"
PG="${TIEJUN_TEST_PG:-}"
if [[ -z $BIN || ! -x $BIN || -z $PG ]]; then echo "skipped: TIEJUN_BIN and TIEJUN_TEST_PG are needed"; exit 77; fi
command -v createdb >/dev/null || { echo "skipped: no createdb"; exit 77; }

d="$(mktemp -d)"
name="tj_copy_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  dropdb --if-exists --force --maintenance-db="$PG" "$name" >/dev/null 2>&1 || true
  rm -rf "$d"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The server URL naming database $2 (single or multi-host URL; its query is kept).
with_db() { local u="$1" q=""; if [[ $u == *\?* ]]; then q="?${u#*\?}"; u="${u%%\?*}"; fi; [[ ${u#*://} == */* ]] && u="${u%/*}"; echo "$u/$2$q"; }
target="$(with_db "$PG" "$name")"
"$BIN" demo --db "sqlite:$d/demo.db" --scale 1 --as-of 2026-11-27 >"$d/demo.log" 2>&1 || { cat "$d/demo.log"; fail "demo"; }
echo "Second-org-pw-1" >"$d/pw"
"$BIN" init --db "sqlite:$d/demo.db" --org 二号公司 --admin "admin2_$$" --password-file "$d/pw" >/dev/null 2>&1 || fail "init"
createdb --maintenance-db="$PG" "$name"
# Small COPY statements and source pages that do not divide them (a statement spans pages, a page
# spans statements): the demo's 21,111 visits go in 6 statements, its 12,000 companies in 3.
per_copy=4000
copy_opts=(--rows-per-copy "$per_copy" --batch 1500)

echo "== interrupted copy"
(timeout -s KILL 2 "$BIN" copy --from "sqlite:$d/demo.db" --to "$target" "${copy_opts[@]}" >"$d/c1.log" 2>&1) 2>/dev/null || true
tail -2 "$d/c1.log"
echo "== resumed"
"$BIN" copy --from "sqlite:$d/demo.db" --to "$target" "${copy_opts[@]}" >"$d/c2.log" 2>&1 || { cat "$d/c2.log"; fail "resume"; }
grep -q "verified by count and checksum" "$d/c2.log" || fail "no verification summary"

echo "== a table changed on the target is copied again, in COPY statements of at most $per_copy rows"
# A probe on the target (its own schema: the copy ignores it) records each INSERT or COPY
# statement's rows on the tables with the counters' statement triggers, as those triggers see them.
psql -q -v ON_ERROR_STOP=1 "$target" >/dev/null <<'SQL' || fail "probe"
CREATE SCHEMA copy_probe;
CREATE TABLE copy_probe.statements(tbl text, n bigint);
CREATE FUNCTION copy_probe.count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO copy_probe.statements SELECT TG_TABLE_NAME, COUNT(*) FROM new_rows; RETURN NULL; END $$;
CREATE TRIGGER copy_probe_visits AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION copy_probe.count_rows();
CREATE TRIGGER copy_probe_deals AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION copy_probe.count_rows();
SQL
psql -q "$target" -c "DELETE FROM visits WHERE id IN (SELECT id FROM visits ORDER BY id DESC LIMIT 3)" >/dev/null
"$BIN" copy --from "sqlite:$d/demo.db" --to "$target" "${copy_opts[@]}" >"$d/c3.log" 2>&1 || { cat "$d/c3.log"; fail "redo"; }
grep -q "visits .* differ from the source" "$d/c3.log" || { cat "$d/c3.log"; fail "the changed table was not detected"; }
# visits and deals (redone after it) went again: ceil(rows / per_copy) statements of <= per_copy rows.
for t in visits deals; do
  n=$(psql -tAq "$target" -c "SELECT COUNT(*) FROM $t")
  if command -v sqlite3 >/dev/null; then
    n_src=$(sqlite3 "$d/demo.db" "SELECT COUNT(*) FROM $t")
    [[ $n == "$n_src" ]] || fail "$t: $n_src rows in SQLite, $n in PostgreSQL"
  fi
  want=$(((n + per_copy - 1) / per_copy))
  got=$(psql -tAq "$target" -c "SELECT COUNT(*) || ' ' || COALESCE(MAX(n), 0) || ' ' || COALESCE(SUM(n), 0) FROM copy_probe.statements WHERE tbl = '$t'")
  echo "$t: $n rows; statements, largest, rows: $got"
  [[ $got == "$want $((n < per_copy ? n : per_copy)) $n" ]] || fail "$t: want $want statements of <= $per_copy rows ($n in all), got $got"
  grep -q "^  $t .* copied and verified (checksum [0-9a-f]*, $want COPY statements" "$d/c3.log" || { cat "$d/c3.log"; fail "the copy did not report $want statements for $t"; }
  ((want > 1)) || [[ $t == deals ]] || fail "$t: the demo has too few rows for several statements"
done
PGOPTIONS="-c client_min_messages=warning" psql -q "$target" -c "DROP SCHEMA copy_probe CASCADE" >/dev/null

echo "== the counters equal SQLite's (kept by its triggers)"
# PostgreSQL's counters are base + delta rows (0016): summed per key; keys whose counts are all 0 are left out.
counters() {  # $1: sqlite or pg
  local spec t keys cols sums nz q
  for spec in "rep_day_stats;org_id, rep_id, day;visits visits_new reached_new minutes_total minutes_new calls_unlogged calls_unlogged_new meets_unlogged meets_unlogged_new effective_new deals signed_amount" \
    "discovery_stats;org_id, rep_id, day, field, text;n" "conversion_stats;org_id, rep_id, day, source, industry;effective_n signed_n" \
    "intake_stats;org_id, owner_id, hour, source;n"; do
    IFS=';' read -r t keys cols <<<"$spec"
    sums="" nz=""
    for c in $cols; do sums+=", SUM($c)"; nz+="${nz:+ OR }SUM($c) <> 0"; done
    if [[ $1 == sqlite ]]; then q="SELECT '$t', $keys$sums FROM $t GROUP BY $keys HAVING $nz"
    else q="SELECT '$t', $keys$sums FROM (SELECT $keys, ${cols// /, } FROM ${t}_base UNION ALL SELECT $keys, ${cols// /, } FROM ${t}_delta) x GROUP BY $keys HAVING $nz"; fi
    if [[ $1 == sqlite ]]; then sqlite3 "$d/demo.db" "$q"; else psql -tAq "$target" -c "$q"; fi
  done | LC_ALL=C sort
}
if command -v sqlite3 >/dev/null; then
  counters sqlite >"$d/counters.sqlite"
  counters pg >"$d/counters.pg"
  [[ $(wc -l <"$d/counters.sqlite") -gt 1000 ]] || fail "too few counter rows in SQLite"
  diff "$d/counters.sqlite" "$d/counters.pg" >"$d/counters.diff" || { head -20 "$d/counters.diff"; fail "the counters differ after the copy"; }
  echo "counters: $(wc -l <"$d/counters.pg") rows, equal"
else
  echo "note: no sqlite3, counters not compared (the views below still are)"
fi

echo "== a finished copy is verified and skipped"
"$BIN" copy --from "sqlite:$d/demo.db" --to "$target" "${copy_opts[@]}" >"$d/c4.log" 2>&1 || fail "rerun"
if grep -q "copied and verified" "$d/c4.log"; then cat "$d/c4.log"; fail "rerun copied again"; fi
n_src=$(sqlite3 "$d/demo.db" "SELECT COUNT(*) FROM audit_log" 2>/dev/null || echo "")
n_dst=$(psql -tAq "$target" -c "SELECT COUNT(*) FROM audit_log")
[[ -z $n_src || $n_src == "$n_dst" ]] || fail "audit log: $n_src rows in SQLite, $n_dst in PostgreSQL"

echo "== the same answers from both databases"
# Today's daily jobs first, on both and as of one instant (releases stamp updated_at), so that
# neither server is still releasing companies to the pool in the background while the views
# are compared (a race, not a difference of the data).
jobs_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$BIN" jobs run --db "sqlite:$d/demo.db" --at "$jobs_at" >/dev/null 2>&1 || fail "jobs on SQLite"
"$BIN" jobs run --db "$target" --at "$jobs_at" >/dev/null 2>&1 || fail "jobs on PostgreSQL"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick() { local p; for _ in $(seq 200); do p=$((30000 + RANDOM % 20000)); port_free "$p" && { echo "$p"; return; }; done; fail "no port"; }
p1=$(pick); p2=$(pick)
"$BIN" serve --db "sqlite:$d/demo.db" --listen "127.0.0.1:$p1" >"$d/s1.log" 2>&1 & pids+=($!)
"$BIN" serve --db "$target" --listen "127.0.0.1:$p2" >"$d/s2.log" 2>&1 & pids+=($!)
for p in $p1 $p2; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$p/api/v1/me" && break; sleep 0.1; done
  curl -s -c "$d/cookie$p" -H 'content-type: application/json' -d '{"username":"admin","password":"tiejun-demo"}' \
    "http://127.0.0.1:$p/api/v1/session" >/dev/null
done
diffs=0
for path in "/api/v1/companies?limit=50" "/api/v1/companies?q=%E7%A7%91%E6%8A%80" "/api/v1/companies?q=%E7%A7%91" \
  "/api/v1/companies?sort=-visit_count&limit=30" "/api/v1/metrics/reps" "/api/v1/alerts?as_of=2026-11-27" \
  "/api/v1/prospects?as_of=2026-11-27" "/api/v1/diagnosis?as_of=2026-11-27" "/api/v1/leaderboard?as_of=2026-11-27" \
  "/api/v1/coaching?as_of=2026-11-27" "/api/v1/feed" "/api/v1/insights/conversion" "/api/v1/talent" "/api/v1/targets"; do
  a=$(curl -s -b "$d/cookie$p1" "http://127.0.0.1:$p1$path")
  b=$(curl -s -b "$d/cookie$p2" "http://127.0.0.1:$p2$path")
  if [[ "$a" != "$b" ]]; then echo "differs: $path"; diffs=$((diffs + 1)); fi
  [[ $a == *'"error"'* ]] && echo "note: $path answered ${a:0:120}"
done
((diffs == 0)) || fail "$diffs views differ between SQLite and PostgreSQL"
echo "PASS"
