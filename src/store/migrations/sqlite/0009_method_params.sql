-- 0009: the method's one parameter set (src/method/params.h). Every number of SPEC §3
-- is a per-organisation setting: these columns join the ones of 0001, with the SPEC
-- defaults, and are read and written through method::param_specs() (column = key).
ALTER TABLE settings ADD COLUMN calls_count_as_visits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE settings ADD COLUMN time_sink_age_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN time_sink_window_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN time_sink_visits INTEGER NOT NULL DEFAULT 2;
ALTER TABLE settings ADD COLUMN sign_or_drop_visits INTEGER NOT NULL DEFAULT 2;
ALTER TABLE settings ADD COLUMN not_effective_visits INTEGER NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN pool_warn_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN claim_daily_max INTEGER NOT NULL DEFAULT 10;
ALTER TABLE settings ADD COLUMN owned_max INTEGER NOT NULL DEFAULT 300;
ALTER TABLE settings ADD COLUMN reclaim_cooldown_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE settings ADD COLUMN prospect_rank_window INTEGER NOT NULL DEFAULT 2;
ALTER TABLE settings ADD COLUMN harvest_window_days INTEGER NOT NULL DEFAULT 60;
ALTER TABLE settings ADD COLUMN diagnosis_share REAL NOT NULL DEFAULT 0.8;
ALTER TABLE settings ADD COLUMN diagnosis_window_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN quota_adjust_days INTEGER NOT NULL DEFAULT 20;
ALTER TABLE settings ADD COLUMN quota_adjust_share REAL NOT NULL DEFAULT 0.8;
ALTER TABLE settings ADD COLUMN new_hire_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE settings ADD COLUMN coaching_enter_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN coaching_leave_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE settings ADD COLUMN coaching_window_days INTEGER NOT NULL DEFAULT 40;
ALTER TABLE settings ADD COLUMN pace_alert_share REAL NOT NULL DEFAULT 0.8;
ALTER TABLE settings ADD COLUMN pace_grace_days INTEGER NOT NULL DEFAULT 5;
ALTER TABLE settings ADD COLUMN plan_remind_at TEXT NOT NULL DEFAULT '09:30';
ALTER TABLE settings ADD COLUMN review_remind_at TEXT NOT NULL DEFAULT '19:00';

-- Harvest (让竞争对手去培养，时机成熟再收割): when a company's contract with its competitor ends.
ALTER TABLE companies ADD COLUMN competitor_contract_end TEXT;
CREATE INDEX companies_contract_end ON companies(org_id, competitor_contract_end) WHERE competitor_contract_end IS NOT NULL;

-- visits_new is now a fact, not a rule: per (rep, day) the DISTINCT new companies met in
-- person (kind visit or accompanied), and in the new column reached_new the distinct new
-- companies reached by any kind, calls too; method::visits_new_of chooses by the setting
-- calls_count_as_visits. A visit adds 1 when it is the first of its (rep, day, company) of
-- its class, and a removed one subtracts 1 when it was the last (visits_company_day probes).
ALTER TABLE rep_day_stats ADD COLUMN reached_new INTEGER NOT NULL DEFAULT 0;
DROP INDEX rep_day_stats_day;
CREATE INDEX rep_day_stats_day ON rep_day_stats(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                effective_new, deals, signed_amount, reached_new);
DROP TRIGGER visits_stats_ins;
DROP TRIGGER visits_stats_del;
DROP TRIGGER visits_stats_upd;
CREATE TRIGGER visits_stats_ins AFTER INSERT ON visits BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, reached_new, minutes_total, minutes_new)
  VALUES (new.org_id, new.rep_id, new.day, 1,
          CASE WHEN new.was_new = 1 AND new.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.kind <> 'call' AND v.id <> new.id) THEN 1 ELSE 0 END,
          CASE WHEN new.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.id <> new.id) THEN 1 ELSE 0 END,
          COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END),
          CASE WHEN new.was_new = 1 THEN COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits = visits + excluded.visits,
    visits_new = visits_new + excluded.visits_new, reached_new = reached_new + excluded.reached_new,
    minutes_total = minutes_total + excluded.minutes_total, minutes_new = minutes_new + excluded.minutes_new;
END;
CREATE TRIGGER visits_stats_del AFTER DELETE ON visits BEGIN
  UPDATE rep_day_stats SET visits = visits - 1,
    visits_new = visits_new - CASE WHEN old.was_new = 1 AND old.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v
      WHERE v.org_id = old.org_id AND v.company_id = old.company_id AND v.day = old.day AND v.rep_id = old.rep_id
      AND v.was_new = 1 AND v.kind <> 'call') THEN 1 ELSE 0 END,
    reached_new = reached_new - CASE WHEN old.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v
      WHERE v.org_id = old.org_id AND v.company_id = old.company_id AND v.day = old.day AND v.rep_id = old.rep_id
      AND v.was_new = 1) THEN 1 ELSE 0 END,
    minutes_total = minutes_total - COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END),
    minutes_new = minutes_new - CASE WHEN old.was_new = 1 THEN COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.day;
END;
-- An update is the old row taken out (was it the last of its class?) and the new one put in
-- (is it the first?), each against the other rows (id <> the row's id).
CREATE TRIGGER visits_stats_upd AFTER UPDATE OF org_id, rep_id, day, kind, duration_min, was_new, company_id ON visits BEGIN
  UPDATE rep_day_stats SET visits = visits - 1,
    visits_new = visits_new - CASE WHEN old.was_new = 1 AND old.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v
      WHERE v.org_id = old.org_id AND v.company_id = old.company_id AND v.day = old.day AND v.rep_id = old.rep_id
      AND v.was_new = 1 AND v.kind <> 'call' AND v.id <> old.id) THEN 1 ELSE 0 END,
    reached_new = reached_new - CASE WHEN old.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v
      WHERE v.org_id = old.org_id AND v.company_id = old.company_id AND v.day = old.day AND v.rep_id = old.rep_id
      AND v.was_new = 1 AND v.id <> old.id) THEN 1 ELSE 0 END,
    minutes_total = minutes_total - COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END),
    minutes_new = minutes_new - CASE WHEN old.was_new = 1 THEN COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, reached_new, minutes_total, minutes_new)
  VALUES (new.org_id, new.rep_id, new.day, 1,
          CASE WHEN new.was_new = 1 AND new.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.kind <> 'call' AND v.id <> new.id) THEN 1 ELSE 0 END,
          CASE WHEN new.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.id <> new.id) THEN 1 ELSE 0 END,
          COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END),
          CASE WHEN new.was_new = 1 THEN COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits = visits + excluded.visits,
    visits_new = visits_new + excluded.visits_new, reached_new = reached_new + excluded.reached_new,
    minutes_total = minutes_total + excluded.minutes_total, minutes_new = minutes_new + excluded.minutes_new;
END;
-- The existing counts, recomputed with the distinct new companies.
UPDATE rep_day_stats SET visits_new = 0, reached_new = 0;
INSERT INTO rep_day_stats(org_id, rep_id, day, visits_new, reached_new)
SELECT org_id, rep_id, day, COUNT(DISTINCT CASE WHEN kind <> 'call' THEN company_id END), COUNT(DISTINCT company_id)
FROM visits WHERE was_new = 1 GROUP BY org_id, rep_id, day
ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits_new = excluded.visits_new, reached_new = excluded.reached_new;
