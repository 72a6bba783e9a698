-- 0002: the method engine. Covering indexes for per-day aggregates, the team
-- feed (comments and likes), values assessments, training records, and the
-- pool-release job's bookkeeping.
DROP INDEX visits_org_day;
CREATE INDEX visits_org_day_cover ON visits(org_id, day, rep_id, was_new, kind, duration_min);
DROP INDEX visits_org_rep_day;
CREATE INDEX visits_org_rep_day_cover ON visits(org_id, rep_id, day, was_new, kind, duration_min, company_id);
CREATE INDEX companies_org_owner_status ON companies(org_id, owner_id, status, visit_count);
CREATE INDEX companies_org_signed ON companies(org_id, signed_at) WHERE signed_at IS NOT NULL;
CREATE INDEX contacts_payer ON contacts(org_id, company_id, is_payer);

CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  target_kind TEXT NOT NULL CHECK (target_kind IN ('review','deal','plan')),
  target_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comments_target ON comments(org_id, target_kind, target_id);
CREATE TABLE likes (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  target_kind TEXT NOT NULL,
  target_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, target_kind, target_id, user_id)
);
CREATE TABLE values_assessments (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  assessor_id INTEGER NOT NULL REFERENCES users(id),
  period TEXT NOT NULL,
  customer_first INTEGER NOT NULL,
  teamwork INTEGER NOT NULL,
  embrace_change INTEGER NOT NULL,
  integrity INTEGER NOT NULL,
  passion INTEGER NOT NULL,
  dedication INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX values_user ON values_assessments(org_id, user_id, period);
CREATE TABLE training_records (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('values','mindset','skills')),
  title TEXT NOT NULL,
  day TEXT NOT NULL,
  hours REAL NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX training_user ON training_records(org_id, user_id, day);
CREATE TABLE job_runs (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  job TEXT NOT NULL,
  day TEXT NOT NULL,
  result TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (org_id, job, day)
);
