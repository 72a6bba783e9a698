-- 0016 (PostgreSQL): counters without a hot row, and a search index for two characters.
--
-- Counters. Before, every visit's statement trigger upserted the rep's (org, rep, day) row of
-- rep_day_stats, and discovery/conversion/intake upserted the organisation's total row (id 0):
-- under SERIALIZABLE two transactions that update one row cannot both commit ("could not
-- serialize access due to concurrent update"), so 64 connections logging visits for one rep
-- answered 503 busy after their retries. Now the triggers only INSERT signed delta rows into
-- <table>_delta (no key, nothing to update, nothing read), the folded rows live in
-- <table>_base, and <table> is a view that adds the two up per key, so every reader (and every
-- test that compares the counters with a recomputation) reads the same table name as on SQLite.
-- Tx::fold_counters (the nightly job, and every rebuild) moves the deltas into the base rows.
-- Views over <table> must be recreated when a column is added to <table>_base.
ALTER TABLE rep_day_stats RENAME TO rep_day_stats_base;
ALTER TABLE discovery_stats RENAME TO discovery_stats_base;
ALTER TABLE conversion_stats RENAME TO conversion_stats_base;
ALTER TABLE intake_stats RENAME TO intake_stats_base;

CREATE TABLE rep_day_stats_delta (LIKE rep_day_stats_base INCLUDING DEFAULTS);
CREATE TABLE discovery_stats_delta (LIKE discovery_stats_base INCLUDING DEFAULTS);
CREATE TABLE conversion_stats_delta (LIKE conversion_stats_base INCLUDING DEFAULTS);
CREATE TABLE intake_stats_delta (LIKE intake_stats_base INCLUDING DEFAULTS);
CREATE INDEX rep_day_stats_delta_key ON rep_day_stats_delta(org_id, day, rep_id);
CREATE INDEX discovery_stats_delta_key ON discovery_stats_delta(org_id, day, rep_id);
CREATE INDEX conversion_stats_delta_key ON conversion_stats_delta(org_id, day, rep_id);
CREATE INDEX intake_stats_delta_key ON intake_stats_delta(org_id, hour, owner_id);

CREATE VIEW rep_day_stats AS
SELECT org_id, rep_id, day, SUM(visits)::bigint AS visits, SUM(visits_new)::bigint AS visits_new,
       SUM(minutes_total)::bigint AS minutes_total, SUM(minutes_new)::bigint AS minutes_new,
       SUM(effective_new)::bigint AS effective_new, SUM(deals)::bigint AS deals,
       SUM(signed_amount)::bigint AS signed_amount, SUM(reached_new)::bigint AS reached_new
FROM (SELECT org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, signed_amount,
             reached_new FROM rep_day_stats_base
      UNION ALL
      SELECT org_id, rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, signed_amount,
             reached_new FROM rep_day_stats_delta) u
GROUP BY org_id, rep_id, day;

CREATE VIEW discovery_stats AS
SELECT org_id, rep_id, day, field, text, SUM(n)::bigint AS n
FROM (SELECT org_id, rep_id, day, field, text, n FROM discovery_stats_base
      UNION ALL SELECT org_id, rep_id, day, field, text, n FROM discovery_stats_delta) u
GROUP BY org_id, rep_id, day, field, text;

CREATE VIEW conversion_stats AS
SELECT org_id, rep_id, day, source, industry, SUM(effective_n)::bigint AS effective_n, SUM(signed_n)::bigint AS signed_n
FROM (SELECT org_id, rep_id, day, source, industry, effective_n, signed_n FROM conversion_stats_base
      UNION ALL SELECT org_id, rep_id, day, source, industry, effective_n, signed_n FROM conversion_stats_delta) u
GROUP BY org_id, rep_id, day, source, industry;

CREATE VIEW intake_stats AS
SELECT org_id, owner_id, hour, source, SUM(n)::bigint AS n
FROM (SELECT org_id, owner_id, hour, source, n FROM intake_stats_base
      UNION ALL SELECT org_id, owner_id, hour, source, n FROM intake_stats_delta) u
GROUP BY org_id, owner_id, hour, source;

-- The triggers of 0005, 0007 and 0009, each upsert or UPDATE turned into an INSERT of the
-- signed difference.
CREATE OR REPLACE FUNCTION rep_day_visits_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, COUNT(*),
         SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)),
         SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
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
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, -COUNT(*),
         -SUM(COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)),
         -SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) ELSE 0 END)
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
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, visits, minutes_total, minutes_new)
  SELECT org_id, rep_id, day, SUM(s), SUM(s * m), SUM(s * m * (was_new = 1)::int)
  FROM (SELECT org_id, rep_id, day, 1 AS s, was_new, COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END) AS m
        FROM new_rows
        UNION ALL
        SELECT org_id, rep_id, day, -1, was_new, COALESCE(duration_min, CASE WHEN kind = 'call' THEN 15 ELSE 60 END)
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

CREATE OR REPLACE FUNCTION rep_day_deals_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, deals, signed_amount)
  SELECT org_id, rep_id, signed_on, COUNT(*), SUM(amount) FROM new_rows GROUP BY org_id, rep_id, signed_on;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION rep_day_deals_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, deals, signed_amount)
  SELECT org_id, rep_id, signed_on, -COUNT(*), -SUM(amount) FROM old_rows GROUP BY org_id, rep_id, signed_on;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION rep_day_deals_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rep_day_stats_delta(org_id, rep_id, day, deals, signed_amount)
  SELECT org_id, rep_id, signed_on, SUM(s), SUM(s * amount)
  FROM (SELECT org_id, rep_id, signed_on, 1 AS s, amount FROM new_rows
        UNION ALL SELECT org_id, rep_id, signed_on, -1, amount FROM old_rows) x
  GROUP BY org_id, rep_id, signed_on;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION rep_day_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.effective_by IS NOT NULL AND OLD.effective_day IS NOT NULL AND OLD.deleted = 0 THEN
    INSERT INTO rep_day_stats_delta(org_id, rep_id, day, effective_new) VALUES (OLD.org_id, OLD.effective_by, OLD.effective_day, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.effective_by IS NOT NULL AND NEW.effective_day IS NOT NULL AND NEW.deleted = 0 THEN
    INSERT INTO rep_day_stats_delta(org_id, rep_id, day, effective_new) VALUES (NEW.org_id, NEW.effective_by, NEW.effective_day, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION discovery_keys_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO discovery_stats_delta(org_id, rep_id, day, field, text, n)
  SELECT v.org_id, r.id, v.day, f.field, f.text, COUNT(*)
  FROM new_rows v
  CROSS JOIN LATERAL (VALUES (v.rep_id), (0::bigint)) r(id)
  CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, v.interest_reason), (2, v.attraction), (3, v.concerns)) f(field, text)
  WHERE (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR f.text <> '')
  GROUP BY v.org_id, r.id, v.day, f.field, f.text;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION discovery_keys_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO discovery_stats_delta(org_id, rep_id, day, field, text, n)
  SELECT v.org_id, r.id, v.day, f.field, f.text, -COUNT(*)
  FROM old_rows v
  CROSS JOIN LATERAL (VALUES (v.rep_id), (0::bigint)) r(id)
  CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, v.interest_reason), (2, v.attraction), (3, v.concerns)) f(field, text)
  WHERE (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR f.text <> '')
  GROUP BY v.org_id, r.id, v.day, f.field, f.text;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION discovery_keys_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO discovery_stats_delta(org_id, rep_id, day, field, text, n)
  SELECT x.org_id, r.id, x.day, f.field, f.text, SUM(x.s)
  FROM (SELECT -1 AS s, v.org_id, v.rep_id, v.day, v.interest_reason, v.attraction, v.concerns
        FROM old_rows v JOIN new_rows w ON w.id = v.id
        WHERE (v.org_id, v.rep_id, v.day, v.interest_reason, v.attraction, v.concerns)
              IS DISTINCT FROM (w.org_id, w.rep_id, w.day, w.interest_reason, w.attraction, w.concerns)
        UNION ALL
        SELECT 1, w.org_id, w.rep_id, w.day, w.interest_reason, w.attraction, w.concerns
        FROM new_rows w JOIN old_rows v ON v.id = w.id
        WHERE (v.org_id, v.rep_id, v.day, v.interest_reason, v.attraction, v.concerns)
              IS DISTINCT FROM (w.org_id, w.rep_id, w.day, w.interest_reason, w.attraction, w.concerns)) x
  CROSS JOIN LATERAL (VALUES (x.rep_id), (0::bigint)) r(id)
  CROSS JOIN LATERAL (VALUES (0::bigint, ''::text), (1, x.interest_reason), (2, x.attraction), (3, x.concerns)) f(field, text)
  WHERE (x.interest_reason <> '' OR x.attraction <> '' OR x.concerns <> '') AND (f.field = 0 OR f.text <> '')
  GROUP BY x.org_id, r.id, x.day, f.field, f.text;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION conversion_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.effective_by IS NOT NULL AND OLD.effective_day IS NOT NULL AND OLD.deleted = 0 THEN
    INSERT INTO conversion_stats_delta(org_id, rep_id, day, source, industry, effective_n, signed_n)
    SELECT OLD.org_id, r, OLD.effective_day, OLD.source, OLD.industry, -1,
           -(CASE WHEN OLD.signed_at IS NOT NULL THEN 1 ELSE 0 END)
    FROM (VALUES (OLD.effective_by), (0::bigint)) t(r);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.effective_by IS NOT NULL AND NEW.effective_day IS NOT NULL AND NEW.deleted = 0 THEN
    INSERT INTO conversion_stats_delta(org_id, rep_id, day, source, industry, effective_n, signed_n)
    VALUES (NEW.org_id, NEW.effective_by, NEW.effective_day, NEW.source, NEW.industry, 1,
            CASE WHEN NEW.signed_at IS NOT NULL THEN 1 ELSE 0 END),
           (NEW.org_id, 0, NEW.effective_day, NEW.source, NEW.industry, 1,
            CASE WHEN NEW.signed_at IS NOT NULL THEN 1 ELSE 0 END);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION intake_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted = 0 THEN
    INSERT INTO intake_stats_delta(org_id, owner_id, hour, source, n)
    VALUES (OLD.org_id, COALESCE(OLD.owner_id, -1), OLD.created_at / 3600, OLD.source, -1),
           (OLD.org_id, 0, OLD.created_at / 3600, OLD.source, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted = 0 THEN
    INSERT INTO intake_stats_delta(org_id, owner_id, hour, source, n)
    VALUES (NEW.org_id, COALESCE(NEW.owner_id, -1), NEW.created_at / 3600, NEW.source, 1),
           (NEW.org_id, 0, NEW.created_at / 3600, NEW.source, 1);
  END IF;
  RETURN NULL;
END
$$;

-- Contains-search of one or two characters: trigrams cannot match them, so the names' bigrams
-- (lower case, every two adjacent characters) go into a GIN array index; Tx::list_companies
-- asks `tj_bigrams(name) @> ARRAY[q]` and rechecks with ILIKE.
CREATE FUNCTION tj_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT COALESCE(array_agg(DISTINCT substr(lower(t), i, 2)), '{}')
  FROM generate_series(1, char_length(t) - 1) AS i
$$;
CREATE INDEX companies_name_bigrams ON companies USING gin (tj_bigrams(name));
CREATE INDEX contacts_name_bigrams ON contacts USING gin (tj_bigrams(name));
