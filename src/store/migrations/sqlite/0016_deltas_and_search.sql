-- 0016 (SQLite): nothing to change. On PostgreSQL this migration turns the view counters
-- into insert-only deltas (concurrent writers updated one row under SERIALIZABLE) and adds
-- bigram indexes for two-character search; SQLite has one writer, so its triggers keep
-- updating the counter rows, and its two-character search walks the name order as before.
SELECT 1;
