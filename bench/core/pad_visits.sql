-- Ten more copies of a demo's six months of visits, each shifted back by a multiple of 26
-- weeks (182 days, so weekdays stay), through the triggers so that every counter holds:
-- a demo with 891k visits becomes one with 9.8 M (docs/performance.md, "Computed views at
-- the issue's shape"). Run on a copy of a `tiejun demo` SQLite database:
--   sqlite3 /tmp/b.db < bench/core/pad_visits.sql
-- The copies do not make companies effective (made_effective = 0), and companies'
-- visit_count and first/last visit are left as they were.
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-1000000;  -- 1 GB of page cache for the index inserts
BEGIN;
INSERT INTO visits(org_id, company_id, rep_id, at, day, kind, duration_min, was_new, met_payer, need, budget, made_effective,
                   companion_id, coaching_stage, interest_reason, attraction, concerns, notes, created_at)
SELECT v.org_id, v.company_id, v.rep_id, v.at - k.n * 182 * 86400, date(v.day, '-' || (k.n * 182) || ' days'), v.kind,
       v.duration_min, v.was_new, v.met_payer, v.need, v.budget, 0, v.companion_id, v.coaching_stage, v.interest_reason,
       v.attraction, v.concerns, v.notes, v.created_at - k.n * 182 * 86400
FROM visits v, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL
                SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) k
WHERE v.id <= (SELECT MAX(id) FROM visits);
COMMIT;
SELECT COUNT(*) FROM visits;
