-- 0006: accompanied-visit bookings 陪访预约 (the coaching loop, 16字法则). A manager
-- books a visit with one of their reps ahead of time: which company, when (`at`,
-- UTC seconds; `day` its local date in the organisation's zone when written), the
-- coaching stage 1-4 and a note. `status` is scheduled -> done (the accompanied
-- visit was logged: `visit_id` links it) or cancelled. org_id leads every key.
CREATE TABLE bookings (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  rep_id INTEGER NOT NULL REFERENCES users(id),
  manager_id INTEGER NOT NULL REFERENCES users(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  at INTEGER NOT NULL,
  day TEXT NOT NULL,
  stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 4),
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','done','cancelled')),
  visit_id INTEGER REFERENCES visits(id),
  done_at INTEGER,
  created_by INTEGER NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX bookings_org_at ON bookings(org_id, at, id);
CREATE INDEX bookings_org_rep_at ON bookings(org_id, rep_id, at, id);
CREATE INDEX bookings_org_manager_at ON bookings(org_id, manager_id, at, id);
CREATE INDEX bookings_org_match ON bookings(org_id, rep_id, company_id, status);
CREATE INDEX bookings_org_visit ON bookings(org_id, visit_id) WHERE visit_id IS NOT NULL;
