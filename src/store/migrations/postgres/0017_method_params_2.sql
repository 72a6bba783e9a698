-- 0017: the method's last literals become settings (src/method/params.h): the coaching
-- comparison window, the talent matrix's window, and the minutes a visit or a call weighs
-- in the 80/20 split when it was logged without a duration.
ALTER TABLE settings ADD COLUMN coaching_compare_days INTEGER NOT NULL DEFAULT 10;
ALTER TABLE settings ADD COLUMN talent_window_days INTEGER NOT NULL DEFAULT 60;
ALTER TABLE settings ADD COLUMN visit_minutes INTEGER NOT NULL DEFAULT 60;
ALTER TABLE settings ADD COLUMN call_minutes INTEGER NOT NULL DEFAULT 15;

-- Counters hold facts only: the 80/20 weights of a visit or a call logged without a duration
-- are the settings visit_minutes and call_minutes (src/method), not literals in SQL. From here
-- minutes_total / minutes_new sum the durations that were logged, and four new counts say how
-- many visits were logged without one: calls_unlogged(_new) for calls, meets_unlogged(_new)
-- for visits and accompanied visits (_new: on a new company). method::weighted_minutes
-- combines them with the settings. On PostgreSQL the counters are base + delta tables under
-- the view rep_day_stats (0016): both tables get the columns and the view is made again.
ALTER TABLE rep_day_stats_base ADD COLUMN calls_unlogged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_base ADD COLUMN calls_unlogged_new BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_base ADD COLUMN meets_unlogged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_base ADD COLUMN meets_unlogged_new BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_delta ADD COLUMN calls_unlogged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_delta ADD COLUMN calls_unlogged_new BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_delta ADD COLUMN meets_unlogged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats_delta ADD COLUMN meets_unlogged_new BIGINT NOT NULL DEFAULT 0;
DROP INDEX rep_day_stats_day;
CREATE INDEX rep_day_stats_day ON rep_day_stats_base(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                     effective_new, deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new);
DROP VIEW rep_day_stats;
CREATE VIEW rep_day_stats AS
SELECT org_id, rep_id, day, SUM(visits)::bigint AS visits, SUM(visits_new)::bigint AS visits_new, SUM(minutes_total)::bigint AS minutes_total, SUM(minutes_new)::bigint AS minutes_new, SUM(effective_new)::bigint AS effective_new, SUM(deals)::bigint AS deals, SUM(signed_amount)::bigint AS signed_amount, SUM(reached_new)::bigint AS reached_new, SUM(calls_unlogged)::bigint AS calls_unlogged, SUM(calls_unlogged_new)::bigint AS calls_unlogged_new, SUM(meets_unlogged)::bigint AS meets_unlogged, SUM(meets_unlogged_new)::bigint AS meets_unlogged_new
FROM (SELECT org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new FROM rep_day_stats_base
      UNION ALL
      SELECT org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new FROM rep_day_stats_delta) u
GROUP BY org_id, rep_id, day;

CREATE OR REPLACE FUNCTION rep_day_visits_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  SELECT org_id, rep_id, day, COUNT(*),
         SUM(COALESCE(duration_min, 0)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
         SUM((duration_min IS NULL AND kind = 'call')::int), SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int),
         SUM((duration_min IS NULL AND kind <> 'call')::int), SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int)
  FROM new_rows GROUP BY org_id, rep_id, day;
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits_new, reached_new)
  SELECT k.org_id, k.rep_id, k.day,
         SUM((a.ip_after > 0)::int - ((a.ip_after - k.ip_new) > 0)::int),
         SUM((a.n_after > 0)::int - ((a.n_after - k.n_new) > 0)::int)
  FROM (SELECT org_id, rep_id, day, company_id, SUM((kind <> 'call')::int) AS ip_new, COUNT(*) AS n_new
        FROM new_rows WHERE was_new = 1 GROUP BY org_id, rep_id, day, company_id) k
  CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE v.kind <> 'call') AS ip_after, COUNT(*) AS n_after FROM visits v
                      WHERE v.org_id = k.org_id AND v.company_id = k.company_id AND v.day = k.day
                        AND v.rep_id = k.rep_id AND v.was_new = 1) a
  GROUP BY k.org_id, k.rep_id, k.day;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION rep_day_visits_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  SELECT org_id, rep_id, day, -COUNT(*),
         -SUM(COALESCE(duration_min, 0)),
         -SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
         -SUM((duration_min IS NULL AND kind = 'call')::int), -SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int),
         -SUM((duration_min IS NULL AND kind <> 'call')::int), -SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int)
  FROM old_rows GROUP BY org_id, rep_id, day;
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits_new, reached_new)
  SELECT k.org_id, k.rep_id, k.day,
         SUM((a.ip_after > 0)::int - ((a.ip_after + k.ip_old) > 0)::int),
         SUM((a.n_after > 0)::int - ((a.n_after + k.n_old) > 0)::int)
  FROM (SELECT org_id, rep_id, day, company_id, SUM((kind <> 'call')::int) AS ip_old, COUNT(*) AS n_old
        FROM old_rows WHERE was_new = 1 GROUP BY org_id, rep_id, day, company_id) k
  CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE v.kind <> 'call') AS ip_after, COUNT(*) AS n_after FROM visits v
                      WHERE v.org_id = k.org_id AND v.company_id = k.company_id AND v.day = k.day
                        AND v.rep_id = k.rep_id AND v.was_new = 1) a
  GROUP BY k.org_id, k.rep_id, k.day;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION rep_day_visits_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  SELECT org_id, rep_id, day, SUM(s), SUM(s * m), SUM(s * m * (was_new = 1)::int),
         SUM(s * (m0 AND c)::int), SUM(s * (m0 AND c AND was_new = 1)::int),
         SUM(s * (m0 AND NOT c)::int), SUM(s * (m0 AND NOT c AND was_new = 1)::int)
  FROM (SELECT org_id, rep_id, day, 1 AS s, was_new, COALESCE(duration_min, 0) AS m, duration_min IS NULL AS m0,
               kind = 'call' AS c
        FROM new_rows
        UNION ALL
        SELECT org_id, rep_id, day, -1, was_new, COALESCE(duration_min, 0), duration_min IS NULL, kind = 'call'
        FROM old_rows) x
  GROUP BY org_id, rep_id, day;
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits_new, reached_new)
  SELECT k.org_id, k.rep_id, k.day,
         SUM((a.ip_after > 0)::int - ((a.ip_after - k.ip_new + k.ip_old) > 0)::int),
         SUM((a.n_after > 0)::int - ((a.n_after - k.n_new + k.n_old) > 0)::int)
  FROM (SELECT org_id, rep_id, day, company_id, SUM(ip_new) AS ip_new, SUM(ip_old) AS ip_old, SUM(n_new) AS n_new,
               SUM(n_old) AS n_old
        FROM (SELECT org_id, rep_id, day, company_id, (kind <> 'call')::int AS ip_new, 0 AS ip_old, 1 AS n_new, 0 AS n_old
              FROM new_rows WHERE was_new = 1
              UNION ALL
              SELECT org_id, rep_id, day, company_id, 0, (kind <> 'call')::int, 0, 1 FROM old_rows WHERE was_new = 1) x
        GROUP BY org_id, rep_id, day, company_id) k
  CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE v.kind <> 'call') AS ip_after, COUNT(*) AS n_after FROM visits v
                      WHERE v.org_id = k.org_id AND v.company_id = k.company_id AND v.day = k.day
                        AND v.rep_id = k.rep_id AND v.was_new = 1) a
  GROUP BY k.org_id, k.rep_id, k.day;
  RETURN NULL;
END
$$;

-- The existing rows, recomputed as facts: the deltas folded in, the minutes and the new counts
-- taken again from the visits.
INSERT INTO rep_day_stats_base(org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
SELECT org_id, rep_id, day, SUM(visits), SUM(visits_new), SUM(minutes_total), SUM(minutes_new), SUM(effective_new), SUM(deals), SUM(signed_amount), SUM(reached_new), SUM(calls_unlogged), SUM(calls_unlogged_new), SUM(meets_unlogged), SUM(meets_unlogged_new) FROM rep_day_stats_delta GROUP BY org_id, rep_id, day
ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats_base.visits + EXCLUDED.visits, visits_new = rep_day_stats_base.visits_new + EXCLUDED.visits_new, minutes_total = rep_day_stats_base.minutes_total + EXCLUDED.minutes_total, minutes_new = rep_day_stats_base.minutes_new + EXCLUDED.minutes_new, effective_new = rep_day_stats_base.effective_new + EXCLUDED.effective_new, deals = rep_day_stats_base.deals + EXCLUDED.deals, signed_amount = rep_day_stats_base.signed_amount + EXCLUDED.signed_amount, reached_new = rep_day_stats_base.reached_new + EXCLUDED.reached_new, calls_unlogged = rep_day_stats_base.calls_unlogged + EXCLUDED.calls_unlogged, calls_unlogged_new = rep_day_stats_base.calls_unlogged_new + EXCLUDED.calls_unlogged_new, meets_unlogged = rep_day_stats_base.meets_unlogged + EXCLUDED.meets_unlogged, meets_unlogged_new = rep_day_stats_base.meets_unlogged_new + EXCLUDED.meets_unlogged_new;
DELETE FROM rep_day_stats_delta;
UPDATE rep_day_stats_base SET minutes_total = 0, minutes_new = 0;
INSERT INTO rep_day_stats_base(org_id, rep_id, day, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
SELECT org_id, rep_id, day, SUM(COALESCE(duration_min, 0)), SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
       SUM((duration_min IS NULL AND kind = 'call')::int), SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int),
       SUM((duration_min IS NULL AND kind <> 'call')::int), SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int)
FROM visits GROUP BY org_id, rep_id, day
ON CONFLICT (org_id, rep_id, day) DO UPDATE SET minutes_total = EXCLUDED.minutes_total, minutes_new = EXCLUDED.minutes_new,
  calls_unlogged = EXCLUDED.calls_unlogged, calls_unlogged_new = EXCLUDED.calls_unlogged_new,
  meets_unlogged = EXCLUDED.meets_unlogged, meets_unlogged_new = EXCLUDED.meets_unlogged_new;
