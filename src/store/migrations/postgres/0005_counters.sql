-- 0005: per-(org, rep, local day) counters for the computed views, kept by triggers in
-- the same transaction as every visit, deal and company write, and filled from the
-- existing rows here. `day` is the visit's local day (visits.day, in the org's time
-- zone), a deal's signed_on and a company's effective_day. The views read reps x days
-- rows instead of visits. Tx::rebuild_rep_day_stats recomputes an organisation's rows
-- (after bulk loads); tests check the triggers against that recomputation.
-- Visits and deals use statement-level triggers over transition tables, so a bulk
-- INSERT or COPY adds one grouped upsert rather than one per row; companies, written one
-- row at a time and mostly without touching these columns, use row triggers with WHEN.
CREATE TABLE rep_day_stats (
  org_id BIGINT NOT NULL,
  rep_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  visits BIGINT NOT NULL DEFAULT 0,
  visits_new BIGINT NOT NULL DEFAULT 0,
  minutes_total BIGINT NOT NULL DEFAULT 0,
  minutes_new BIGINT NOT NULL DEFAULT 0,
  effective_new BIGINT NOT NULL DEFAULT 0,
  deals BIGINT NOT NULL DEFAULT 0,
  signed_amount BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, rep_id, day)
);

-- Organisation-wide sums over a range of days (metrics) read this index alone.
CREATE INDEX rep_day_stats_day ON rep_day_stats(org_id, day, rep_id, visits, visits_new, minutes_total, minutes_new,
                                                effective_new, deals, signed_amount);
-- Alerts count a company's visits (this month, with the payer) from this index alone.
CREATE INDEX visits_company_day ON visits(org_id, company_id, day, met_payer, rep_id);
-- Diagnosis and conversion group companies made effective in a range by source: covered.
DROP INDEX companies_org_effective;
CREATE INDEX companies_org_effective ON companies(org_id, effective_day, effective_by, deleted, source);

-- Minutes of a visit: the logged duration, else 60 for a visit and 15 for a call.
CREATE FUNCTION rep_day_visits_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, COUNT(*), SUM(was_new),
         SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  FROM new_rows GROUP BY org_id, rep_id, day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats.visits + EXCLUDED.visits,
    visits_new = rep_day_stats.visits_new + EXCLUDED.visits_new,
    minutes_total = rep_day_stats.minutes_total + EXCLUDED.minutes_total,
    minutes_new = rep_day_stats.minutes_new + EXCLUDED.minutes_new;
  RETURN NULL;
END
$$;
CREATE FUNCTION rep_day_visits_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rep_day_stats r SET visits = r.visits - o.v, visits_new = r.visits_new - o.vn,
    minutes_total = r.minutes_total - o.mt, minutes_new = r.minutes_new - o.mn
  FROM (SELECT org_id, rep_id, day, COUNT(*) AS v, SUM(was_new) AS vn,
               SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)) AS mt,
               SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END) AS mn
        FROM old_rows GROUP BY org_id, rep_id, day) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.day;
  RETURN NULL;
END
$$;
CREATE FUNCTION rep_day_visits_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rep_day_stats r SET visits = r.visits - o.v, visits_new = r.visits_new - o.vn,
    minutes_total = r.minutes_total - o.mt, minutes_new = r.minutes_new - o.mn
  FROM (SELECT org_id, rep_id, day, COUNT(*) AS v, SUM(was_new) AS vn,
               SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)) AS mt,
               SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END) AS mn
        FROM old_rows GROUP BY org_id, rep_id, day) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.day;
  INSERT INTO rep_day_stats(org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, COUNT(*), SUM(was_new),
         SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
  FROM new_rows GROUP BY org_id, rep_id, day
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET visits = rep_day_stats.visits + EXCLUDED.visits,
    visits_new = rep_day_stats.visits_new + EXCLUDED.visits_new,
    minutes_total = rep_day_stats.minutes_total + EXCLUDED.minutes_total,
    minutes_new = rep_day_stats.minutes_new + EXCLUDED.minutes_new;
  RETURN NULL;
END
$$;
CREATE TRIGGER visits_stats_ins AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rep_day_visits_add();
CREATE TRIGGER visits_stats_del AFTER DELETE ON visits REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rep_day_visits_sub();
CREATE TRIGGER visits_stats_upd AFTER UPDATE ON visits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rep_day_visits_upd();

CREATE FUNCTION rep_day_deals_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats(org_id, rep_id, day, deals, signed_amount)
  SELECT org_id, rep_id, signed_on, COUNT(*), SUM(amount) FROM new_rows GROUP BY org_id, rep_id, signed_on
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET deals = rep_day_stats.deals + EXCLUDED.deals,
    signed_amount = rep_day_stats.signed_amount + EXCLUDED.signed_amount;
  RETURN NULL;
END
$$;
CREATE FUNCTION rep_day_deals_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rep_day_stats r SET deals = r.deals - o.n, signed_amount = r.signed_amount - o.a
  FROM (SELECT org_id, rep_id, signed_on, COUNT(*) AS n, SUM(amount) AS a FROM old_rows GROUP BY org_id, rep_id, signed_on) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.signed_on;
  RETURN NULL;
END
$$;
CREATE FUNCTION rep_day_deals_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rep_day_stats r SET deals = r.deals - o.n, signed_amount = r.signed_amount - o.a
  FROM (SELECT org_id, rep_id, signed_on, COUNT(*) AS n, SUM(amount) AS a FROM old_rows GROUP BY org_id, rep_id, signed_on) o
  WHERE r.org_id = o.org_id AND r.rep_id = o.rep_id AND r.day = o.signed_on;
  INSERT INTO rep_day_stats(org_id, rep_id, day, deals, signed_amount)
  SELECT org_id, rep_id, signed_on, COUNT(*), SUM(amount) FROM new_rows GROUP BY org_id, rep_id, signed_on
  ON CONFLICT (org_id, rep_id, day) DO UPDATE SET deals = rep_day_stats.deals + EXCLUDED.deals,
    signed_amount = rep_day_stats.signed_amount + EXCLUDED.signed_amount;
  RETURN NULL;
END
$$;
CREATE TRIGGER deals_stats_ins AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rep_day_deals_add();
CREATE TRIGGER deals_stats_del AFTER DELETE ON deals REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rep_day_deals_sub();
CREATE TRIGGER deals_stats_upd AFTER UPDATE ON deals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rep_day_deals_upd();

-- A company counts for its effective_by rep on its effective_day while not deleted.
CREATE FUNCTION rep_day_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.effective_by IS NOT NULL AND OLD.effective_day IS NOT NULL AND OLD.deleted = 0 THEN
    UPDATE rep_day_stats SET effective_new = effective_new - 1
    WHERE org_id = OLD.org_id AND rep_id = OLD.effective_by AND day = OLD.effective_day;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.effective_by IS NOT NULL AND NEW.effective_day IS NOT NULL AND NEW.deleted = 0 THEN
    INSERT INTO rep_day_stats(org_id, rep_id, day, effective_new) VALUES (NEW.org_id, NEW.effective_by, NEW.effective_day, 1)
    ON CONFLICT (org_id, rep_id, day) DO UPDATE SET effective_new = rep_day_stats.effective_new + 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER companies_stats_ins AFTER INSERT ON companies FOR EACH ROW
  WHEN (NEW.effective_by IS NOT NULL AND NEW.effective_day IS NOT NULL AND NEW.deleted = 0)
  EXECUTE FUNCTION rep_day_company();
CREATE TRIGGER companies_stats_del AFTER DELETE ON companies FOR EACH ROW
  WHEN (OLD.effective_by IS NOT NULL AND OLD.effective_day IS NOT NULL AND OLD.deleted = 0)
  EXECUTE FUNCTION rep_day_company();
CREATE TRIGGER companies_stats_upd AFTER UPDATE ON companies FOR EACH ROW
  WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.effective_by IS DISTINCT FROM NEW.effective_by
        OR OLD.effective_day IS DISTINCT FROM NEW.effective_day OR OLD.deleted IS DISTINCT FROM NEW.deleted)
  EXECUTE FUNCTION rep_day_company();

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
) x GROUP BY org_id, rep_id, day;
