-- 0004: (SQLite: faster contact search triggers; PostgreSQL has none.)
-- Lead intake by creation time (diagnosis) gets an index on both backends.
CREATE INDEX companies_org_created ON companies(org_id, created_at);
