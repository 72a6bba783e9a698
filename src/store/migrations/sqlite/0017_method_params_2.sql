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
ALTER TABLE rep_day_stats ADD COLUMN calls_unlogged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats ADD COLUMN calls_unlogged_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats ADD COLUMN meets_unlogged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rep_day_stats ADD COLUMN meets_unlogged_new INTEGER NOT NULL DEFAULT 0;
DROP INDEX rep_day_stats_day;
CREATE INDEX rep_day_stats_day ON rep_day_stats(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                effective_new, deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new);
DROP TRIGGER visits_stats_ins;
DROP TRIGGER visits_stats_del;
DROP TRIGGER visits_stats_upd;
CREATE TRIGGER visits_stats_ins AFTER INSERT ON visits BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, reached_new, minutes_total, minutes_new,
                            calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  VALUES (new.org_id, new.rep_id, new.day, 1,
          CASE WHEN new.was_new = 1 AND new.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.kind <> 'call' AND v.id <> new.id) THEN 1 ELSE 0 END,
          CASE WHEN new.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.id <> new.id) THEN 1 ELSE 0 END,
          COALESCE(new.duration_min, 0),
          CASE WHEN new.was_new = 1 THEN COALESCE(new.duration_min, 0) ELSE 0 END
          , CASE WHEN new.duration_min IS NULL AND new.kind = 'call' THEN 1 ELSE 0 END, CASE WHEN new.duration_min IS NULL AND new.kind = 'call' AND new.was_new = 1 THEN 1 ELSE 0 END, CASE WHEN new.duration_min IS NULL AND new.kind <> 'call' THEN 1 ELSE 0 END, CASE WHEN new.duration_min IS NULL AND new.kind <> 'call' AND new.was_new = 1 THEN 1 ELSE 0 END)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits = visits + excluded.visits,
    visits_new = visits_new + excluded.visits_new, reached_new = reached_new + excluded.reached_new,
    minutes_total = minutes_total + excluded.minutes_total, minutes_new = minutes_new + excluded.minutes_new,
    calls_unlogged = calls_unlogged + excluded.calls_unlogged, calls_unlogged_new = calls_unlogged_new + excluded.calls_unlogged_new,
    meets_unlogged = meets_unlogged + excluded.meets_unlogged, meets_unlogged_new = meets_unlogged_new + excluded.meets_unlogged_new;
END;
CREATE TRIGGER visits_stats_del AFTER DELETE ON visits BEGIN
  UPDATE rep_day_stats SET visits = visits - 1,
    visits_new = visits_new - CASE WHEN old.was_new = 1 AND old.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v
      WHERE v.org_id = old.org_id AND v.company_id = old.company_id AND v.day = old.day AND v.rep_id = old.rep_id
      AND v.was_new = 1 AND v.kind <> 'call') THEN 1 ELSE 0 END,
    reached_new = reached_new - CASE WHEN old.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v
      WHERE v.org_id = old.org_id AND v.company_id = old.company_id AND v.day = old.day AND v.rep_id = old.rep_id
      AND v.was_new = 1) THEN 1 ELSE 0 END,
    minutes_total = minutes_total - COALESCE(old.duration_min, 0),
    minutes_new = minutes_new - CASE WHEN old.was_new = 1 THEN COALESCE(old.duration_min, 0) ELSE 0 END,
    calls_unlogged = calls_unlogged - CASE WHEN old.duration_min IS NULL AND old.kind = 'call' THEN 1 ELSE 0 END,
    calls_unlogged_new = calls_unlogged_new - CASE WHEN old.duration_min IS NULL AND old.kind = 'call' AND old.was_new = 1 THEN 1 ELSE 0 END,
    meets_unlogged = meets_unlogged - CASE WHEN old.duration_min IS NULL AND old.kind <> 'call' THEN 1 ELSE 0 END,
    meets_unlogged_new = meets_unlogged_new - CASE WHEN old.duration_min IS NULL AND old.kind <> 'call' AND old.was_new = 1 THEN 1 ELSE 0 END
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
    minutes_total = minutes_total - COALESCE(old.duration_min, 0),
    minutes_new = minutes_new - CASE WHEN old.was_new = 1 THEN COALESCE(old.duration_min, 0) ELSE 0 END,
    calls_unlogged = calls_unlogged - CASE WHEN old.duration_min IS NULL AND old.kind = 'call' THEN 1 ELSE 0 END,
    calls_unlogged_new = calls_unlogged_new - CASE WHEN old.duration_min IS NULL AND old.kind = 'call' AND old.was_new = 1 THEN 1 ELSE 0 END,
    meets_unlogged = meets_unlogged - CASE WHEN old.duration_min IS NULL AND old.kind <> 'call' THEN 1 ELSE 0 END,
    meets_unlogged_new = meets_unlogged_new - CASE WHEN old.duration_min IS NULL AND old.kind <> 'call' AND old.was_new = 1 THEN 1 ELSE 0 END
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, reached_new, minutes_total, minutes_new,
                            calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
  VALUES (new.org_id, new.rep_id, new.day, 1,
          CASE WHEN new.was_new = 1 AND new.kind <> 'call' AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.kind <> 'call' AND v.id <> new.id) THEN 1 ELSE 0 END,
          CASE WHEN new.was_new = 1 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.org_id = new.org_id
            AND v.company_id = new.company_id AND v.day = new.day AND v.rep_id = new.rep_id AND v.was_new = 1
            AND v.id <> new.id) THEN 1 ELSE 0 END,
          COALESCE(new.duration_min, 0),
          CASE WHEN new.was_new = 1 THEN COALESCE(new.duration_min, 0) ELSE 0 END
          , CASE WHEN new.duration_min IS NULL AND new.kind = 'call' THEN 1 ELSE 0 END, CASE WHEN new.duration_min IS NULL AND new.kind = 'call' AND new.was_new = 1 THEN 1 ELSE 0 END, CASE WHEN new.duration_min IS NULL AND new.kind <> 'call' THEN 1 ELSE 0 END, CASE WHEN new.duration_min IS NULL AND new.kind <> 'call' AND new.was_new = 1 THEN 1 ELSE 0 END)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits = visits + excluded.visits,
    visits_new = visits_new + excluded.visits_new, reached_new = reached_new + excluded.reached_new,
    minutes_total = minutes_total + excluded.minutes_total, minutes_new = minutes_new + excluded.minutes_new,
    calls_unlogged = calls_unlogged + excluded.calls_unlogged, calls_unlogged_new = calls_unlogged_new + excluded.calls_unlogged_new,
    meets_unlogged = meets_unlogged + excluded.meets_unlogged, meets_unlogged_new = meets_unlogged_new + excluded.meets_unlogged_new;
END;

-- The existing rows, recomputed as facts.
UPDATE rep_day_stats SET minutes_total = 0, minutes_new = 0;
INSERT INTO rep_day_stats(org_id, rep_id, day, minutes_total, minutes_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new)
SELECT org_id, rep_id, day, SUM(COALESCE(duration_min, 0)), SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind = 'call' THEN 1 ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind = 'call' AND was_new = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind <> 'call' THEN 1 ELSE 0 END),
       SUM(CASE WHEN duration_min IS NULL AND kind <> 'call' AND was_new = 1 THEN 1 ELSE 0 END)
FROM visits GROUP BY org_id, rep_id, day
ON CONFLICT(org_id, rep_id, day) DO UPDATE SET minutes_total = excluded.minutes_total, minutes_new = excluded.minutes_new,
  calls_unlogged = excluded.calls_unlogged, calls_unlogged_new = excluded.calls_unlogged_new,
  meets_unlogged = excluded.meets_unlogged, meets_unlogged_new = excluded.meets_unlogged_new;
