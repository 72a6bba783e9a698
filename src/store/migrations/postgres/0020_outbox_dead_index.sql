-- 0020: the outbox backlog for /metrics (issue 16 point 1): tiejun_outbox_deliveries{status="dead"}
-- counts dead deliveries through this small partial index instead of scanning every sent one
-- (pending ones already have deliveries_due).
CREATE INDEX deliveries_dead ON deliveries(id) WHERE status = 'dead';
