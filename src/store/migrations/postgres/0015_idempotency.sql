-- 0015: Idempotency-Key (issue 15 part 5; PostgreSQL). Same meaning as
-- sqlite/0015_idempotency.sql: one row per (user, key), written in the create's own
-- transaction, completed with the first answer (status, body), kept a day.
CREATE TABLE idempotency_keys (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  user_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status BIGINT,
  body TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, key),
  FOREIGN KEY (org_id, user_id) REFERENCES users(org_id, id)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
