-- 0005: per-(org, rep, local day) counters for the computed views, kept by triggers in
-- the same transaction as every visit, deal and company write, and filled from the
-- existing rows here. `day` is the visit's local day (visits.day, in the org's time
-- zone), a deal's signed_on and a company's effective_day. The views read reps x days
-- rows instead of visits. Tx::rebuild_rep_day_stats recomputes an organisation's rows
-- (after bulk loads); tests check the triggers against that recomputation.
CREATE TABLE rep_day_stats (
  org_id INTEGER NOT NULL,
  rep_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  visits INTEGER NOT NULL DEFAULT 0,
  visits_new INTEGER NOT NULL DEFAULT 0,
  minutes_total INTEGER NOT NULL DEFAULT 0,
  minutes_new INTEGER NOT NULL DEFAULT 0,
  effective_new INTEGER NOT NULL DEFAULT 0,
  deals INTEGER NOT NULL DEFAULT 0,
  signed_amount INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, rep_id, day)
) WITHOUT ROWID;

-- Organisation-wide sums over a range of days (metrics) read this index alone.
CREATE INDEX rep_day_stats_day ON rep_day_stats(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                effective_new, deals, signed_amount);
-- Alerts count a company's visits (this month, with the payer) from this index alone.
CREATE INDEX visits_company_day ON visits(org_id, company_id, day, met_payer, rep_id);
-- Diagnosis and conversion group companies made effective in a range by source: covered.
DROP INDEX companies_org_effective;
CREATE INDEX companies_org_effective ON companies(org_id, effective_day, effective_by, deleted, source);

-- Minutes of a visit: the logged duration, else 60 for a visit and 15 for a call.
CREATE TRIGGER visits_stats_ins AFTER INSERT ON visits BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new)
  VALUES (new.org_id, new.rep_id, new.day, 1, new.was_new,
          COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END),
          CASE WHEN new.was_new = 1 THEN COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits = visits + excluded.visits,
    visits_new = visits_new + excluded.visits_new, minutes_total = minutes_total + excluded.minutes_total,
    minutes_new = minutes_new + excluded.minutes_new;
END;
CREATE TRIGGER visits_stats_del AFTER DELETE ON visits BEGIN
  UPDATE rep_day_stats SET visits = visits - 1, visits_new = visits_new - old.was_new,
    minutes_total = minutes_total - COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END),
    minutes_new = minutes_new - CASE WHEN old.was_new = 1 THEN COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.day;
END;
CREATE TRIGGER visits_stats_upd AFTER UPDATE OF org_id, rep_id, day, kind, duration_min, was_new ON visits BEGIN
  UPDATE rep_day_stats SET visits = visits - 1, visits_new = visits_new - old.was_new,
    minutes_total = minutes_total - COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END),
    minutes_new = minutes_new - CASE WHEN old.was_new = 1 THEN COALESCE(old.duration_min, CASE WHEN old.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new)
  VALUES (new.org_id, new.rep_id, new.day, 1, new.was_new,
          COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END),
          CASE WHEN new.was_new = 1 THEN COALESCE(new.duration_min, CASE WHEN new.kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET visits = visits + excluded.visits,
    visits_new = visits_new + excluded.visits_new, minutes_total = minutes_total + excluded.minutes_total,
    minutes_new = minutes_new + excluded.minutes_new;
END;

CREATE TRIGGER deals_stats_ins AFTER INSERT ON deals BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, deals, signed_amount) VALUES (new.org_id, new.rep_id, new.signed_on, 1, new.amount)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET deals = deals + 1, signed_amount = signed_amount + excluded.signed_amount;
END;
CREATE TRIGGER deals_stats_del AFTER DELETE ON deals BEGIN
  UPDATE rep_day_stats SET deals = deals - 1, signed_amount = signed_amount - old.amount
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.signed_on;
END;
CREATE TRIGGER deals_stats_upd AFTER UPDATE OF org_id, rep_id, signed_on, amount ON deals BEGIN
  UPDATE rep_day_stats SET deals = deals - 1, signed_amount = signed_amount - old.amount
  WHERE org_id = old.org_id AND rep_id = old.rep_id AND day = old.signed_on;
  INSERT INTO rep_day_stats(org_id, rep_id, day, deals, signed_amount) VALUES (new.org_id, new.rep_id, new.signed_on, 1, new.amount)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET deals = deals + 1, signed_amount = signed_amount + excluded.signed_amount;
END;

-- A company counts for its effective_by rep on its effective_day while not deleted.
CREATE TRIGGER companies_stats_ins AFTER INSERT ON companies
WHEN new.effective_by IS NOT NULL AND new.effective_day IS NOT NULL AND new.deleted = 0 BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, effective_new) VALUES (new.org_id, new.effective_by, new.effective_day, 1)
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET effective_new = effective_new + 1;
END;
CREATE TRIGGER companies_stats_del AFTER DELETE ON companies
WHEN old.effective_by IS NOT NULL AND old.effective_day IS NOT NULL AND old.deleted = 0 BEGIN
  UPDATE rep_day_stats SET effective_new = effective_new - 1
  WHERE org_id = old.org_id AND rep_id = old.effective_by AND day = old.effective_day;
END;
CREATE TRIGGER companies_stats_upd AFTER UPDATE OF org_id, effective_by, effective_day, deleted ON companies
WHEN old.org_id IS NOT new.org_id OR old.effective_by IS NOT new.effective_by OR old.effective_day IS NOT new.effective_day
     OR old.deleted IS NOT new.deleted BEGIN
  UPDATE rep_day_stats SET effective_new = effective_new - 1
  WHERE old.effective_by IS NOT NULL AND old.effective_day IS NOT NULL AND old.deleted = 0
    AND org_id = old.org_id AND rep_id = old.effective_by AND day = old.effective_day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, effective_new)
  SELECT new.org_id, new.effective_by, new.effective_day, 1
  WHERE new.effective_by IS NOT NULL AND new.effective_day IS NOT NULL AND new.deleted = 0
  ON CONFLICT(org_id, rep_id, day) DO UPDATE SET effective_new = effective_new + 1;
END;

INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, signed_amount)
SELECT org_id, rep_id, day, SUM(v), SUM(vn), SUM(mt), SUM(mn), SUM(e), SUM(d), SUM(a) FROM (
  SELECT org_id, rep_id, day, COUNT(*) AS v, SUM(was_new) AS vn,
         SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)) AS mt,
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END) AS mn,
         0 AS e, 0 AS d, 0 AS a
  FROM visits GROUP BY org_id, rep_id, day
  UNION ALL
  SELECT org_id, effective_by, effective_day, 0, 0, 0, 0, COUNT(*), 0, 0 FROM companies
  WHERE effective_by IS NOT NULL AND effective_day IS NOT NULL AND deleted = 0 GROUP BY org_id, effective_by, effective_day
  UNION ALL
  SELECT org_id, rep_id, signed_on, 0, 0, 0, 0, 0, COUNT(*), SUM(amount) FROM deals GROUP BY org_id, rep_id, signed_on
) GROUP BY org_id, rep_id, day;
