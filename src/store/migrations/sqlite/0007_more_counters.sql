-- 0007: counters for the discovery, conversion and diagnosis views, kept by triggers in
-- the same transaction as every visit and company write (like rep_day_stats, 0005) and
-- filled from the existing rows here. Each table has a row per rep (or owner) and the
-- organisation-wide total under rep_id / owner_id 0, which the triggers keep too: a view
-- reads its reps' rows, or the total minus the rows of the organisation's other users,
-- whichever list is shorter, so the answer is exact for any set of reps.
-- Tx::rebuild_view_counters recomputes an organisation's rows (after bulk loads); tests
-- check the triggers against that recomputation. Rows whose counts went back to zero stay.

-- Discovery: visits with any discovery text (field 0, text '') and, per field (1 interest
-- reason, 2 attraction, 3 concerns), visits by non-empty text; per rep and local day.
CREATE TABLE discovery_stats (
  org_id INTEGER NOT NULL,
  rep_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  field INTEGER NOT NULL,
  text TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, rep_id, day, field, text)
) WITHOUT ROWID;

-- Conversion: companies made effective (effective_by, effective_day, not deleted) by source
-- and industry, and how many of them are signed (signed_at set).
CREATE TABLE conversion_stats (
  org_id INTEGER NOT NULL,
  rep_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  source TEXT NOT NULL,
  industry TEXT NOT NULL,
  effective_n INTEGER NOT NULL DEFAULT 0,
  signed_n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, rep_id, day, source, industry)
) WITHOUT ROWID;

-- Lead intake: companies not deleted by current owner (-1: the pool, owner_id NULL; 0: all),
-- UTC hour of created_at (created_at / 3600) and source. An hour, not a local day: the
-- views ask for instants (local midnights in the organisation's zone, which may change),
-- and the hours inside such a window are read here, any part-hour at its ends from companies.
CREATE TABLE intake_stats (
  org_id INTEGER NOT NULL,
  owner_id INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  source TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, owner_id, hour, source)
) WITHOUT ROWID;

-- A visit counts when it has any discovery text; each changed visit is taken out of its old
-- rows and added to its new ones (each UPDATE names the full key, so it is one index probe).
CREATE TRIGGER visits_discovery_ins AFTER INSERT ON visits
WHEN new.interest_reason <> '' OR new.attraction <> '' OR new.concerns <> '' BEGIN
  INSERT INTO discovery_stats(org_id, rep_id, day, field, text, n)
  SELECT new.org_id, r.id, new.day, f.field, f.text, 1
  FROM (SELECT new.rep_id AS id UNION ALL SELECT 0) r,
       (SELECT 0 AS field, '' AS text UNION ALL SELECT 1, new.interest_reason UNION ALL SELECT 2, new.attraction
        UNION ALL SELECT 3, new.concerns) f
  WHERE f.field = 0 OR f.text <> ''
  ON CONFLICT(org_id, rep_id, day, field, text) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER visits_discovery_del AFTER DELETE ON visits
WHEN old.interest_reason <> '' OR old.attraction <> '' OR old.concerns <> '' BEGIN
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 0 AND text = '';
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 1 AND text = old.interest_reason
    AND old.interest_reason <> '';
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 2 AND text = old.attraction
    AND old.attraction <> '';
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 3 AND text = old.concerns
    AND old.concerns <> '';
END;
CREATE TRIGGER visits_discovery_upd AFTER UPDATE OF org_id, rep_id, day, interest_reason, attraction, concerns ON visits
WHEN old.org_id IS NOT new.org_id OR old.rep_id IS NOT new.rep_id OR old.day IS NOT new.day
     OR old.interest_reason IS NOT new.interest_reason OR old.attraction IS NOT new.attraction
     OR old.concerns IS NOT new.concerns BEGIN
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 0 AND text = ''
    AND (old.interest_reason <> '' OR old.attraction <> '' OR old.concerns <> '');
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 1 AND text = old.interest_reason
    AND old.interest_reason <> '';
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 2 AND text = old.attraction
    AND old.attraction <> '';
  UPDATE discovery_stats SET n = n - 1
  WHERE org_id = old.org_id AND rep_id IN (old.rep_id, 0) AND day = old.day AND field = 3 AND text = old.concerns
    AND old.concerns <> '';
  INSERT INTO discovery_stats(org_id, rep_id, day, field, text, n)
  SELECT new.org_id, r.id, new.day, f.field, f.text, 1
  FROM (SELECT new.rep_id AS id UNION ALL SELECT 0) r,
       (SELECT 0 AS field, '' AS text UNION ALL SELECT 1, new.interest_reason UNION ALL SELECT 2, new.attraction
        UNION ALL SELECT 3, new.concerns) f
  WHERE (new.interest_reason <> '' OR new.attraction <> '' OR new.concerns <> '') AND (f.field = 0 OR f.text <> '')
  ON CONFLICT(org_id, rep_id, day, field, text) DO UPDATE SET n = n + 1;
END;

-- Companies: row triggers whose WHEN lets the usual update (a visit's counts, status,
-- needs) through without any work.
CREATE TRIGGER companies_conversion_ins AFTER INSERT ON companies
WHEN new.effective_by IS NOT NULL AND new.effective_day IS NOT NULL AND new.deleted = 0 BEGIN
  INSERT INTO conversion_stats(org_id, rep_id, day, source, industry, effective_n, signed_n)
  SELECT new.org_id, r.id, new.effective_day, new.source, new.industry, 1, new.signed_at IS NOT NULL
  FROM (SELECT new.effective_by AS id UNION ALL SELECT 0) r WHERE true
  ON CONFLICT(org_id, rep_id, day, source, industry) DO UPDATE SET effective_n = effective_n + 1,
    signed_n = signed_n + excluded.signed_n;
END;
CREATE TRIGGER companies_conversion_del AFTER DELETE ON companies
WHEN old.effective_by IS NOT NULL AND old.effective_day IS NOT NULL AND old.deleted = 0 BEGIN
  UPDATE conversion_stats SET effective_n = effective_n - 1, signed_n = signed_n - (old.signed_at IS NOT NULL)
  WHERE org_id = old.org_id AND rep_id IN (old.effective_by, 0) AND day = old.effective_day AND source = old.source
    AND industry = old.industry;
END;
CREATE TRIGGER companies_conversion_upd
AFTER UPDATE OF org_id, effective_by, effective_day, deleted, source, industry, signed_at ON companies
WHEN old.org_id IS NOT new.org_id OR old.effective_by IS NOT new.effective_by OR old.effective_day IS NOT new.effective_day
     OR old.deleted IS NOT new.deleted OR old.source IS NOT new.source OR old.industry IS NOT new.industry
     OR (old.signed_at IS NULL) <> (new.signed_at IS NULL) BEGIN
  UPDATE conversion_stats SET effective_n = effective_n - 1, signed_n = signed_n - (old.signed_at IS NOT NULL)
  WHERE old.effective_by IS NOT NULL AND old.effective_day IS NOT NULL AND old.deleted = 0
    AND org_id = old.org_id AND rep_id IN (old.effective_by, 0) AND day = old.effective_day AND source = old.source
    AND industry = old.industry;
  INSERT INTO conversion_stats(org_id, rep_id, day, source, industry, effective_n, signed_n)
  SELECT new.org_id, r.id, new.effective_day, new.source, new.industry, 1, new.signed_at IS NOT NULL
  FROM (SELECT new.effective_by AS id UNION ALL SELECT 0) r
  WHERE new.effective_by IS NOT NULL AND new.effective_day IS NOT NULL AND new.deleted = 0
  ON CONFLICT(org_id, rep_id, day, source, industry) DO UPDATE SET effective_n = effective_n + 1,
    signed_n = signed_n + excluded.signed_n;
END;

CREATE TRIGGER companies_intake_ins AFTER INSERT ON companies WHEN new.deleted = 0 BEGIN
  INSERT INTO intake_stats(org_id, owner_id, hour, source, n)
  SELECT new.org_id, o.id, new.created_at / 3600, new.source, 1
  FROM (SELECT COALESCE(new.owner_id, -1) AS id UNION ALL SELECT 0) o WHERE true
  ON CONFLICT(org_id, owner_id, hour, source) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER companies_intake_del AFTER DELETE ON companies WHEN old.deleted = 0 BEGIN
  UPDATE intake_stats SET n = n - 1
  WHERE org_id = old.org_id AND owner_id IN (COALESCE(old.owner_id, -1), 0) AND hour = old.created_at / 3600
    AND source = old.source;
END;
CREATE TRIGGER companies_intake_upd AFTER UPDATE OF org_id, owner_id, created_at, source, deleted ON companies
WHEN old.org_id IS NOT new.org_id OR old.owner_id IS NOT new.owner_id OR old.created_at IS NOT new.created_at
     OR old.source IS NOT new.source OR old.deleted IS NOT new.deleted BEGIN
  UPDATE intake_stats SET n = n - 1
  WHERE old.deleted = 0 AND org_id = old.org_id AND owner_id IN (COALESCE(old.owner_id, -1), 0)
    AND hour = old.created_at / 3600 AND source = old.source;
  INSERT INTO intake_stats(org_id, owner_id, hour, source, n)
  SELECT new.org_id, o.id, new.created_at / 3600, new.source, 1
  FROM (SELECT COALESCE(new.owner_id, -1) AS id UNION ALL SELECT 0) o
  WHERE new.deleted = 0
  ON CONFLICT(org_id, owner_id, hour, source) DO UPDATE SET n = n + 1;
END;

-- Fill from the existing rows (the statements of Tx::rebuild_view_counters, for every organisation).
WITH d AS (
  SELECT v.org_id, v.rep_id, v.day, f.field,
         CASE f.field WHEN 0 THEN '' WHEN 1 THEN v.interest_reason WHEN 2 THEN v.attraction ELSE v.concerns END AS text,
         COUNT(*) AS n
  FROM visits v, (SELECT 0 AS field UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) f
  WHERE (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '')
    AND (f.field = 0 OR CASE f.field WHEN 1 THEN v.interest_reason WHEN 2 THEN v.attraction ELSE v.concerns END <> '')
  GROUP BY v.org_id, v.rep_id, v.day, f.field, text)
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
