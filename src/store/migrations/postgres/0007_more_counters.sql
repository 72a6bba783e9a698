-- 0007: counters for the discovery, conversion and diagnosis views, kept by triggers in
-- the same transaction as every visit and company write (like rep_day_stats, 0005) and
-- filled from the existing rows here. Each table has a row per rep (or owner) and the
-- organisation-wide total under rep_id / owner_id 0, which the triggers keep too: a view
-- reads its reps' rows, or the total minus the rows of the organisation's other users,
-- whichever list is shorter, so the answer is exact for any set of reps.
-- Tx::rebuild_view_counters recomputes an organisation's rows (after bulk loads); tests
-- check the triggers against that recomputation. Rows whose counts went back to zero stay.
-- Visits use statement-level triggers over transition tables (a bulk INSERT or COPY adds
-- one grouped upsert); companies use row triggers with WHEN, so the usual company update
-- pays nothing.

-- Discovery: visits with any discovery text (field 0, text '') and, per field (1 interest
-- reason, 2 attraction, 3 concerns), visits by non-empty text; per rep and local day.
CREATE TABLE discovery_stats (
  org_id BIGINT NOT NULL,
  rep_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  field BIGINT NOT NULL,
  text TEXT NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, rep_id, day, field, text)
);

-- Conversion: companies made effective (effective_by, effective_day, not deleted) by source
-- and industry, and how many of them are signed (signed_at set).
CREATE TABLE conversion_stats (
  org_id BIGINT NOT NULL,
  rep_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  source TEXT NOT NULL,
  industry TEXT NOT NULL,
  effective_n BIGINT NOT NULL DEFAULT 0,
  signed_n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, rep_id, day, source, industry)
);

-- Lead intake: companies not deleted by current owner (-1: the pool, owner_id NULL; 0: all),
-- UTC hour of created_at (created_at / 3600) and source. An hour, not a local day: the
-- views ask for instants (local midnights in the organisation's zone, which may change),
-- and the hours inside such a window are read here, any part-hour at its ends from companies.
CREATE TABLE intake_stats (
  org_id BIGINT NOT NULL,
  owner_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  source TEXT NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, owner_id, hour, source)
);

-- The (rep, day, field, text) keys of a set of visits with any discovery text, each also under rep 0.
CREATE FUNCTION discovery_keys_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO discovery_stats(org_id, rep_id, day, field, text, n)
  SELECT v.org_id, r.id, v.day, f.field, f.text, COUNT(*)
  FROM new_rows v
  CROSS JOIN LATERAL (VALUES (v.rep_id), (0::bigint)) r(id)
  CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, v.interest_reason), (2, v.attraction), (3, v.concerns)) f(field, text)
  WHERE (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR f.text <> '')
  GROUP BY v.org_id, r.id, v.day, f.field, f.text
  ON CONFLICT (org_id, rep_id, day, field, text) DO UPDATE SET n = discovery_stats.n + EXCLUDED.n;
  RETURN NULL;
END
$$;
CREATE FUNCTION discovery_keys_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE discovery_stats s SET n = s.n - o.n
  FROM (SELECT v.org_id, r.id AS rep_id, v.day, f.field, f.text, COUNT(*) AS n
        FROM old_rows v
        CROSS JOIN LATERAL (VALUES (v.rep_id), (0::bigint)) r(id)
        CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, v.interest_reason), (2, v.attraction), (3, v.concerns)) f(field, text)
        WHERE (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR f.text <> '')
        GROUP BY v.org_id, r.id, v.day, f.field, f.text) o
  WHERE s.org_id = o.org_id AND s.rep_id = o.rep_id AND s.day = o.day AND s.field = o.field AND s.text = o.text;
  RETURN NULL;
END
$$;
-- An update takes the old rows out and adds the new ones: only the visits whose counted
-- columns changed (matched by id), so the usual flag update does nothing here.
CREATE FUNCTION discovery_keys_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE discovery_stats s SET n = s.n - o.n
  FROM (SELECT v.org_id, r.id AS rep_id, v.day, f.field, f.text, COUNT(*) AS n
        FROM old_rows v
        JOIN new_rows w ON w.id = v.id
        CROSS JOIN LATERAL (VALUES (v.rep_id), (0::bigint)) r(id)
        CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, v.interest_reason), (2, v.attraction), (3, v.concerns)) f(field, text)
        WHERE (v.org_id, v.rep_id, v.day, v.interest_reason, v.attraction, v.concerns)
              IS DISTINCT FROM (w.org_id, w.rep_id, w.day, w.interest_reason, w.attraction, w.concerns)
          AND (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR f.text <> '')
        GROUP BY v.org_id, r.id, v.day, f.field, f.text) o
  WHERE s.org_id = o.org_id AND s.rep_id = o.rep_id AND s.day = o.day AND s.field = o.field AND s.text = o.text;
  INSERT INTO discovery_stats(org_id, rep_id, day, field, text, n)
  SELECT w.org_id, r.id, w.day, f.field, f.text, COUNT(*)
  FROM new_rows w
  JOIN old_rows v ON v.id = w.id
  CROSS JOIN LATERAL (VALUES (w.rep_id), (0::bigint)) r(id)
  CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, w.interest_reason), (2, w.attraction), (3, w.concerns)) f(field, text)
  WHERE (v.org_id, v.rep_id, v.day, v.interest_reason, v.attraction, v.concerns)
        IS DISTINCT FROM (w.org_id, w.rep_id, w.day, w.interest_reason, w.attraction, w.concerns)
    AND (w.interest_reason <> '' OR w.attraction <> '' OR w.concerns <> '') AND (f.field = 0 OR f.text <> '')
  GROUP BY w.org_id, r.id, w.day, f.field, f.text
  ON CONFLICT (org_id, rep_id, day, field, text) DO UPDATE SET n = discovery_stats.n + EXCLUDED.n;
  RETURN NULL;
END
$$;
CREATE TRIGGER visits_discovery_ins AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION discovery_keys_add();
CREATE TRIGGER visits_discovery_del AFTER DELETE ON visits REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION discovery_keys_sub();
CREATE TRIGGER visits_discovery_upd AFTER UPDATE ON visits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION discovery_keys_upd();

-- Companies, one row at a time.
CREATE FUNCTION conversion_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.effective_by IS NOT NULL AND OLD.effective_day IS NOT NULL AND OLD.deleted = 0 THEN
    UPDATE conversion_stats SET effective_n = effective_n - 1,
      signed_n = signed_n - CASE WHEN OLD.signed_at IS NOT NULL THEN 1 ELSE 0 END
    WHERE org_id = OLD.org_id AND rep_id IN (OLD.effective_by, 0) AND day = OLD.effective_day AND source = OLD.source
      AND industry = OLD.industry;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.effective_by IS NOT NULL AND NEW.effective_day IS NOT NULL AND NEW.deleted = 0 THEN
    INSERT INTO conversion_stats(org_id, rep_id, day, source, industry, effective_n, signed_n)
    VALUES (NEW.org_id, NEW.effective_by, NEW.effective_day, NEW.source, NEW.industry, 1,
            CASE WHEN NEW.signed_at IS NOT NULL THEN 1 ELSE 0 END),
           (NEW.org_id, 0, NEW.effective_day, NEW.source, NEW.industry, 1,
            CASE WHEN NEW.signed_at IS NOT NULL THEN 1 ELSE 0 END)
    ON CONFLICT (org_id, rep_id, day, source, industry) DO UPDATE SET effective_n = conversion_stats.effective_n + 1,
      signed_n = conversion_stats.signed_n + EXCLUDED.signed_n;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER companies_conversion_ins AFTER INSERT ON companies FOR EACH ROW
  WHEN (NEW.effective_by IS NOT NULL AND NEW.effective_day IS NOT NULL AND NEW.deleted = 0)
  EXECUTE FUNCTION conversion_company();
CREATE TRIGGER companies_conversion_del AFTER DELETE ON companies FOR EACH ROW
  WHEN (OLD.effective_by IS NOT NULL AND OLD.effective_day IS NOT NULL AND OLD.deleted = 0)
  EXECUTE FUNCTION conversion_company();
CREATE TRIGGER companies_conversion_upd AFTER UPDATE ON companies FOR EACH ROW
  WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.effective_by IS DISTINCT FROM NEW.effective_by
        OR OLD.effective_day IS DISTINCT FROM NEW.effective_day OR OLD.deleted IS DISTINCT FROM NEW.deleted
        OR OLD.source IS DISTINCT FROM NEW.source OR OLD.industry IS DISTINCT FROM NEW.industry
        OR (OLD.signed_at IS NULL) <> (NEW.signed_at IS NULL))
  EXECUTE FUNCTION conversion_company();

CREATE FUNCTION intake_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted = 0 THEN
    UPDATE intake_stats SET n = n - 1
    WHERE org_id = OLD.org_id AND owner_id IN (COALESCE(OLD.owner_id, -1), 0) AND hour = OLD.created_at / 3600
      AND source = OLD.source;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted = 0 THEN
    INSERT INTO intake_stats(org_id, owner_id, hour, source, n)
    VALUES (NEW.org_id, COALESCE(NEW.owner_id, -1), NEW.created_at / 3600, NEW.source, 1),
           (NEW.org_id, 0, NEW.created_at / 3600, NEW.source, 1)
    ON CONFLICT (org_id, owner_id, hour, source) DO UPDATE SET n = intake_stats.n + 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER companies_intake_ins AFTER INSERT ON companies FOR EACH ROW
  WHEN (NEW.deleted = 0)
  EXECUTE FUNCTION intake_company();
CREATE TRIGGER companies_intake_del AFTER DELETE ON companies FOR EACH ROW
  WHEN (OLD.deleted = 0)
  EXECUTE FUNCTION intake_company();
CREATE TRIGGER companies_intake_upd AFTER UPDATE ON companies FOR EACH ROW
  WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
        OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.source IS DISTINCT FROM NEW.source
        OR OLD.deleted IS DISTINCT FROM NEW.deleted)
  EXECUTE FUNCTION intake_company();

-- Fill from the existing rows (the statements of Tx::rebuild_view_counters, for every organisation).
WITH d AS (
  SELECT v.org_id, v.rep_id, v.day, f.field, f.text, COUNT(*) AS n
  FROM visits v
  CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, v.interest_reason), (2, v.attraction), (3, v.concerns)) f(field, text)
  WHERE (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR f.text <> '')
  GROUP BY v.org_id, v.rep_id, v.day, f.field, f.text)
INSERT INTO discovery_stats(org_id, rep_id, day, field, text, n)
SELECT org_id, rep_id, day, field, text, n FROM d
UNION ALL SELECT org_id, 0, day, field, text, SUM(n) FROM d GROUP BY org_id, day, field, text;

WITH d AS (
  SELECT org_id, effective_by AS rep_id, effective_day AS day, source, industry, COUNT(*) AS e,
         SUM(CASE WHEN signed_at IS NOT NULL THEN 1 ELSE 0 END) AS s
  FROM companies WHERE effective_by IS NOT NULL AND effective_day IS NOT NULL AND deleted = 0
  GROUP BY org_id, effective_by, effective_day, source, industry)
INSERT INTO conversion_stats(org_id, rep_id, day, source, industry, effective_n, signed_n)
SELECT org_id, rep_id, day, source, industry, e, s FROM d
UNION ALL SELECT org_id, 0, day, source, industry, SUM(e), SUM(s) FROM d GROUP BY org_id, day, source, industry;

WITH d AS (
  SELECT org_id, COALESCE(owner_id, -1) AS owner_id, created_at / 3600 AS hour, source, COUNT(*) AS n
  FROM companies WHERE deleted = 0 GROUP BY org_id, COALESCE(owner_id, -1), created_at / 3600, source)
INSERT INTO intake_stats(org_id, owner_id, hour, source, n)
SELECT org_id, owner_id, hour, source, n FROM d
UNION ALL SELECT org_id, 0, hour, source, SUM(n) FROM d GROUP BY org_id, hour, source;
