-- PostgreSQL version of pad_visits.sql: ten more copies of a demo's six months of visits,
-- each shifted back by a multiple of 26 weeks, through the statement triggers (the counters'
-- deltas, migration 0016), then the deltas folded and the tables analysed:
--   psql postgresql://…/db -f bench/core/pad_visits_pg.sql
SET synchronous_commit = off;
INSERT INTO visits(org_id, company_id, rep_id, at, day, kind, duration_min, was_new, met_payer, need, budget, made_effective,
                   companion_id, coaching_stage, interest_reason, attraction, concerns, notes, created_at)
SELECT v.org_id, v.company_id, v.rep_id, v.at - k.n * 182 * 86400, to_char(v.day::date - k.n * 182, 'YYYY-MM-DD'), v.kind,
       v.duration_min, v.was_new, v.met_payer, v.need, v.budget, 0, v.companion_id, v.coaching_stage, v.interest_reason,
       v.attraction, v.concerns, v.notes, v.created_at - k.n * 182 * 86400
FROM visits v CROSS JOIN generate_series(1, 10) AS k(n)
WHERE v.id <= (SELECT MAX(id) FROM visits);
ANALYZE;
SELECT COUNT(*) FROM visits;
