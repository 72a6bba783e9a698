-- 0015: Idempotency-Key (issue 15 part 5). One row per (user, key) a create was sent
-- with: written in the transaction of the create itself (so a concurrent replay finds it
-- or waits), then completed with the first answer (`status`, `body`) which a replay
-- returns. `request_hash` (SHA-256 of method, route, path parameters and body) tells a
-- reuse of the key for another request. Kept a day (`created_at` + 86400 s, UTC
-- seconds); the daily jobs delete older rows.
CREATE TABLE idempotency_keys (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
