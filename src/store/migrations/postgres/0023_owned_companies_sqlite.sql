-- 0023: SQLite only (the index of the owned companies, which PostgreSQL has had since 0022):
-- nothing to change here; the file keeps the two folders in lock-step.
SELECT 1;
