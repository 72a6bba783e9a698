-- 0024 (PostgreSQL, as on SQLite): companies_org_effective holds only the companies that have become effective. Its two
-- readers (the rebuilds of rep_day_stats and company_stats, tx_method.cpp and tx_counters.cpp)
-- ask for `effective_day IS NOT NULL`, so no query loses it; every company that is not yet
-- effective (most of them: every imported company) no longer has an entry. A 1M-row import
-- rebuilt the full index in 1.9 s of its ~25 s (docs/performance.md, "Session 11").
DROP INDEX companies_org_effective;
CREATE INDEX companies_org_effective ON companies(org_id, effective_day, effective_by, deleted, source)
  WHERE effective_day IS NOT NULL;
