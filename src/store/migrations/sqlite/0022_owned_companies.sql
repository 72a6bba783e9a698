-- 0022: PostgreSQL only (an index of the owned companies for its organisation-wide alert walk).
-- SQLite walks the table itself for those (tx_alerts.cpp, NOT INDEXED) in 62 ms at 1M companies:
-- nothing to change here; the file keeps the two folders in lock-step.
SELECT 1;
