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
-- combines them with the settings.
ALTER TABLE rep_day_stats ADD COLUMN calls_unlogged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats ADD COLUMN calls_unlogged_new BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats ADD COLUMN meets_unlogged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats ADD COLUMN meets_unlogged_new BIGINT NOT NULL DEFAULT 0;
DROP INDEX rep_day_stats_day;
CREATE INDEX rep_day_stats_day ON rep_day_stats(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                effective_new, deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new);
CREATE OR REPLACE FUNCTION rep_day_visits_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  SELECT org_id, rep_id, day, COUNT(*),
         SUM(COALESCE(duration_min, 0)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
         SUM((duration_min IS NULL AND kind = 'call')::int), SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int),
         SUM((duration_min IS NULL AND kind <> 'call')::int), SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int)
  FROM new_rows GROUP BY org_id, rep_id, day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats.visits + EXCLUDED.visits,
    minutes_total = rep_day_stats.minutes_total + EXCLUDED.minutes_total,
    minutes_new = rep_day_stats.minutes_new + EXCLUDED.minutes_new,
    calls_unlogged = rep_day_stats.calls_unlogged + EXCLUDED.calls_unlogged,
    calls_unlogged_new = rep_day_stats.calls_unlogged_new + EXCLUDED.calls_unlogged_new,
    meets_unlogged = rep_day_stats.meets_unlogged + EXCLUDED.meets_unlogged,
    meets_unlogged_new = rep_day_stats.meets_unlogged_new + EXCLUDED.meets_unlogged_new;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits_new, reached_new)
  SELECT k.org_id, k.rep_id, k.day,
         SUM((a.ip_after > 0)::int - ((a.ip_after - k.ip_new) > 0)::int),
         SUM((a.n_after > 0)::int - ((a.n_after - k.n_new) > 0)::int)
  FROM (SELECT org_id, rep_id, day, company_id, SUM((kind <> 'call')::int) AS ip_new, COUNT(*) AS n_new
        FROM new_rows WHERE was_new = 1 GROUP BY org_id, rep_id, day, company_id) k
  CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE v.kind <> 'call') AS ip_after, COUNT(*) AS n_after FROM visits v
                      WHERE v.org_id = k.org_id AND v.company_id = k.company_id AND v.day = k.day
                        AND v.rep_id = k.rep_id AND v.was_new = 1) a
  GROUP BY k.org_id, k.rep_id, k.day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits_new = rep_day_stats.visits_new + EXCLUDED.visits_new,
    reached_new = rep_day_stats.reached_new + EXCLUDED.reached_new;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION rep_day_visits_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rep_day_stats r SET visits = r.visits - o.v, minutes_total = r.minutes_total - o.mt, minutes_new = r.minutes_new - o.mn,
    calls_unlogged = r.calls_unlogged - o.cu, calls_unlogged_new = r.calls_unlogged_new - o.cun,
    meets_unlogged = r.meets_unlogged - o.mu, meets_unlogged_new = r.meets_unlogged_new - o.mun
  FROM (SELECT org_id, rep_id, day, COUNT(*) AS v,
               SUM(COALESCE(duration_min, 0)) AS mt,
               SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END) AS mn,
               SUM((duration_min IS NULL AND kind = 'call')::int) AS cu, SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int) AS cun,
               SUM((duration_min IS NULL AND kind <> 'call')::int) AS mu, SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int) AS mun
        FROM old_rows GROUP BY org_id, rep_id, day) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.day;
  UPDATE rep_day_stats r SET visits_new = r.visits_new + o.dv, reached_new = r.reached_new + o.dr
  FROM (SELECT k.org_id, k.rep_id, k.day,
               SUM((a.ip_after > 0)::int - ((a.ip_after + k.ip_old) > 0)::int) AS dv,
               SUM((a.n_after > 0)::int - ((a.n_after + k.n_old) > 0)::int) AS dr
        FROM (SELECT org_id, rep_id, day, company_id, SUM((kind <> 'call')::int) AS ip_old, COUNT(*) AS n_old
              FROM old_rows WHERE was_new = 1 GROUP BY org_id, rep_id, day, company_id) k
        CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE v.kind <> 'call') AS ip_after, COUNT(*) AS n_after FROM visits v
                            WHERE v.org_id = k.org_id AND v.company_id = k.company_id AND v.day = k.day
                              AND v.rep_id = k.rep_id AND v.was_new = 1) a
        GROUP BY k.org_id, k.rep_id, k.day) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.day;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION rep_day_visits_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rep_day_stats r SET visits = r.visits - o.v, minutes_total = r.minutes_total - o.mt, minutes_new = r.minutes_new - o.mn,
    calls_unlogged = r.calls_unlogged - o.cu, calls_unlogged_new = r.calls_unlogged_new - o.cun,
    meets_unlogged = r.meets_unlogged - o.mu, meets_unlogged_new = r.meets_unlogged_new - o.mun
  FROM (SELECT org_id, rep_id, day, COUNT(*) AS v,
               SUM(COALESCE(duration_min, 0)) AS mt,
               SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END) AS mn,
               SUM((duration_min IS NULL AND kind = 'call')::int) AS cu, SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int) AS cun,
               SUM((duration_min IS NULL AND kind <> 'call')::int) AS mu, SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int) AS mun
        FROM old_rows GROUP BY org_id, rep_id, day) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  SELECT org_id, rep_id, day, COUNT(*),
         SUM(COALESCE(duration_min, 0)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
         SUM((duration_min IS NULL AND kind = 'call')::int), SUM((duration_min IS NULL AND kind = 'call' AND was_new = 1)::int),
         SUM((duration_min IS NULL AND kind <> 'call')::int), SUM((duration_min IS NULL AND kind <> 'call' AND was_new = 1)::int)
  FROM new_rows GROUP BY org_id, rep_id, day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats.visits + EXCLUDED.visits,
    minutes_total = rep_day_stats.minutes_total + EXCLUDED.minutes_total,
    minutes_new = rep_day_stats.minutes_new + EXCLUDED.minutes_new,
    calls_unlogged = rep_day_stats.calls_unlogged + EXCLUDED.calls_unlogged,
    calls_unlogged_new = rep_day_stats.calls_unlogged_new + EXCLUDED.calls_unlogged_new,
    meets_unlogged = rep_day_stats.meets_unlogged + EXCLUDED.meets_unlogged,
    meets_unlogged_new = rep_day_stats.meets_unlogged_new + EXCLUDED.meets_unlogged_new;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits_new, reached_new)
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
  GROUP BY k.org_id, k.rep_id, k.day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits_new = rep_day_stats.visits_new + EXCLUDED.visits_new,
    reached_new = rep_day_stats.reached_new + EXCLUDED.reached_new;
  RETURN NULL;
END
$$;

-- The existing rows, recomputed as facts.
UPDATE rep_day_stats SET minutes_total = 0, minutes_new = 0;
INSERT INTO rep_day_stats(org_id, rep_id, day, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
SELECT org_id, rep_id, day, SUM(COALESCE(duration_min, 0)), SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind = 'call' THEN 1 ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind = 'call' AND was_new = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind <> 'call' THEN 1 ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind <> 'call' AND was_new = 1 THEN 1 ELSE 0 END)
FROM visits GROUP BY org_id, rep_id, day
ON CONFLICT (org_id, rep_id, day) DO UPDATE SET minutes_total = EXCLUDED.minutes_total, minutes_new = EXCLUDED.minutes_new,
  calls_unlogged = EXCLUDED.calls_unlogged, calls_unlogged_new = EXCLUDED.calls_unlogged_new,
  meets_unlogged = EXCLUDED.meets_unlogged, meets_unlogged_new = EXCLUDED.meets_unlogged_new;
