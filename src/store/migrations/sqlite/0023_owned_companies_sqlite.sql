-- 0023: on SQLite too, the index of the owned companies that 0022 gave PostgreSQL. The
-- organisation-wide alerts (more than 64 owners) walk the companies in id order from the
-- cursor and keep the owned ones; 83 % of a large organisation's companies are in the public
-- pool. tx_alerts.cpp names this index for that walk (INDEXED BY; before, NOT INDEXED walked
-- the table). EXPLAIN QUERY PLAN at 1M companies (173,439 owned): SEARCH c USING INDEX
-- companies_owned (org_id=? AND id>?) instead of SEARCH c USING INTEGER PRIMARY KEY (rowid>?).
CREATE INDEX companies_owned ON companies(org_id, id) WHERE owner_id IS NOT NULL AND deleted = 0;
