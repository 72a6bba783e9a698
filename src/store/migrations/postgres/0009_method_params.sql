-- 0009: the method's one parameter set (src/method/params.h). Every number of SPEC §3
-- is a per-organisation setting: these columns join the ones of 0001, with the SPEC
-- defaults, and are read and written through method::param_specs() (column = key).
ALTER TABLE settings ADD COLUMN calls_count_as_visits BIGINT NOT NULL DEFAULT 0;
ALTER TABLE settings ADD COLUMN time_sink_age_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN time_sink_window_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN time_sink_visits BIGINT NOT NULL DEFAULT 2;
ALTER TABLE settings ADD COLUMN sign_or_drop_visits BIGINT NOT NULL DEFAULT 2;
ALTER TABLE settings ADD COLUMN not_effective_visits BIGINT NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN pool_warn_days BIGINT NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN claim_daily_max BIGINT NOT NULL DEFAULT 10;
ALTER TABLE settings ADD COLUMN owned_max BIGINT NOT NULL DEFAULT 300;
ALTER TABLE settings ADD COLUMN reclaim_cooldown_days BIGINT NOT NULL DEFAULT 7;
ALTER TABLE settings ADD COLUMN prospect_rank_window BIGINT NOT NULL DEFAULT 2;
ALTER TABLE settings ADD COLUMN harvest_window_days BIGINT NOT NULL DEFAULT 60;
ALTER TABLE settings ADD COLUMN diagnosis_share DOUBLE PRECISION NOT NULL DEFAULT 0.8;
ALTER TABLE settings ADD COLUMN diagnosis_window_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN quota_adjust_days BIGINT NOT NULL DEFAULT 20;
ALTER TABLE settings ADD COLUMN quota_adjust_share DOUBLE PRECISION NOT NULL DEFAULT 0.8;
ALTER TABLE settings ADD COLUMN new_hire_days BIGINT NOT NULL DEFAULT 90;
ALTER TABLE settings ADD COLUMN coaching_enter_days BIGINT NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN coaching_leave_days BIGINT NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN coaching_window_days BIGINT NOT NULL DEFAULT 40;
ALTER TABLE settings ADD COLUMN pace_alert_share DOUBLE PRECISION NOT NULL DEFAULT 0.8;
ALTER TABLE settings ADD COLUMN pace_grace_days BIGINT NOT NULL DEFAULT 5;
ALTER TABLE settings ADD COLUMN plan_remind_at TEXT NOT NULL DEFAULT '09:30';
ALTER TABLE settings ADD COLUMN review_remind_at TEXT NOT NULL DEFAULT '19:00';

-- Harvest (让竞争对手去培养，时机成熟再收割): when a company's contract with its competitor ends.
ALTER TABLE companies ADD COLUMN competitor_contract_end TEXT COLLATE "C";
CREATE INDEX companies_contract_end ON companies(org_id, competitor_contract_end) WHERE competitor_contract_end IS NOT NULL;

-- visits_new is now a fact, not a rule: per (rep, day) the DISTINCT new companies met in
-- person (kind visit or accompanied), and in the new column reached_new the distinct new
-- companies reached by any kind, calls too; method::visits_new_of chooses by the setting
-- calls_count_as_visits. The statement triggers of 0005 keep the other counts; a second
-- pass per statement takes each touched (rep, day, company): with `after` its new visits of
-- a class now in the table, and the statement's rows of that class put in (n_new) and taken
-- out (n_old), it was counted before when after - n_new + n_old > 0 and is now when after > 0.
ALTER TABLE rep_day_stats ADD COLUMN reached_new BIGINT NOT NULL DEFAULT 0;
DROP INDEX rep_day_stats_day;
CREATE INDEX rep_day_stats_day ON rep_day_stats(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                effective_new, deals, signed_amount, reached_new);

CREATE OR REPLACE FUNCTION rep_day_visits_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, COUNT(*),
         SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  FROM new_rows GROUP BY org_id, rep_id, day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats.visits + EXCLUDED.visits,
    minutes_total = rep_day_stats.minutes_total + EXCLUDED.minutes_total,
    minutes_new = rep_day_stats.minutes_new + EXCLUDED.minutes_new;
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
  UPDATE rep_day_stats r SET visits = r.visits - o.v, minutes_total = r.minutes_total - o.mt, minutes_new = r.minutes_new - o.mn
  FROM (SELECT org_id, rep_id, day, COUNT(*) AS v,
               SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)) AS mt,
               SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END) AS mn
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
  UPDATE rep_day_stats r SET visits = r.visits - o.v, minutes_total = r.minutes_total - o.mt, minutes_new = r.minutes_new - o.mn
  FROM (SELECT org_id, rep_id, day, COUNT(*) AS v,
               SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)) AS mt,
               SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END) AS mn
        FROM old_rows GROUP BY org_id, rep_id, day) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, COUNT(*),
         SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  FROM new_rows GROUP BY org_id, rep_id, day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats.visits + EXCLUDED.visits,
    minutes_total = rep_day_stats.minutes_total + EXCLUDED.minutes_total,
    minutes_new = rep_day_stats.minutes_new + EXCLUDED.minutes_new;
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
-- The existing counts, recomputed with the distinct new companies.
UPDATE rep_day_stats SET visits_new = 0, reached_new = 0;
INSERT INTO rep_day_stats(org_id, rep_id, day, visits_new, reached_new)
SELECT org_id, rep_id, day, COUNT(DISTINCT CASE WHEN kind <> 'call' THEN company_id END), COUNT(DISTINCT company_id)
FROM visits WHERE was_new = 1 GROUP BY org_id, rep_id, day
ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits_new = EXCLUDED.visits_new, reached_new = EXCLUDED.reached_new;
