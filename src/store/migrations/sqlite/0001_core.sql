-- 0001: the core schema. Every row carries org_id; every query filters by it.
-- Instants are INTEGER Unix seconds (UTC); calendar days are TEXT 'YYYY-MM-DD'
-- computed in the organisation's time zone when the row is written.
CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE settings (
  org_id INTEGER PRIMARY KEY REFERENCES orgs(id),
  timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  min_order_value INTEGER NOT NULL DEFAULT 1000000,
  quota_visits_new INTEGER NOT NULL DEFAULT 5,
  quota_effective_new INTEGER NOT NULL DEFAULT 2,
  new_share_min REAL NOT NULL DEFAULT 0.8,
  nurture_cap INTEGER NOT NULL DEFAULT 5,
  pool_release_days INTEGER NOT NULL DEFAULT 30,
  session_idle_minutes INTEGER NOT NULL DEFAULT 720,
  working_days TEXT NOT NULL DEFAULT '12345',
  holidays TEXT NOT NULL DEFAULT '[]',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES teams(id),
  manager_id INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE INDEX teams_org ON teams(org_id, parent_id);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('rep','manager','director','admin')),
  team_id INTEGER REFERENCES teams(id),
  hire_date TEXT,
  selling_style TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username ON users(username);
CREATE INDEX users_org_team ON users(org_id, team_id);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(org_id, user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(org_id, user_id);
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  industry_rank INTEGER,
  region TEXT NOT NULL DEFAULT '',
  budget_capacity INTEGER,
  source TEXT NOT NULL DEFAULT '',
  competitor TEXT NOT NULL DEFAULT '',
  owner_id INTEGER REFERENCES users(id),
  status TEXT NOT NULL DEFAULT 'prospect',
  need INTEGER NOT NULL DEFAULT 0,
  budget INTEGER NOT NULL DEFAULT 0,
  payer_met INTEGER NOT NULL DEFAULT 0,
  effective_at INTEGER,
  effective_day TEXT,
  effective_by INTEGER REFERENCES users(id),
  signed_at INTEGER,
  first_visit_at INTEGER,
  last_visit_at INTEGER,
  visit_count INTEGER NOT NULL DEFAULT 0,
  interest_reason TEXT NOT NULL DEFAULT '',
  attraction TEXT NOT NULL DEFAULT '',
  concerns TEXT NOT NULL DEFAULT '',
  nurture_reason TEXT,
  revisit_on TEXT,
  drop_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX companies_org_name ON companies(org_id, name, id);
CREATE INDEX companies_org_owner_name ON companies(org_id, owner_id, name, id);
CREATE INDEX companies_org_status ON companies(org_id, status, id);
CREATE INDEX companies_org_industry_rank ON companies(org_id, industry, industry_rank);
CREATE INDEX companies_org_effective ON companies(org_id, effective_day, effective_by);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  is_payer INTEGER NOT NULL DEFAULT 0,
  style TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE INDEX contacts_company ON contacts(org_id, company_id);
CREATE TABLE visits (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  rep_id INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('visit','call','accompanied')),
  duration_min INTEGER,
  was_new INTEGER NOT NULL,
  met_payer INTEGER,
  need INTEGER,
  budget INTEGER,
  made_effective INTEGER NOT NULL DEFAULT 0,
  companion_id INTEGER REFERENCES users(id),
  coaching_stage INTEGER,
  interest_reason TEXT NOT NULL DEFAULT '',
  attraction TEXT NOT NULL DEFAULT '',
  concerns TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX visits_org_rep_day ON visits(org_id, rep_id, day);
CREATE INDEX visits_org_day ON visits(org_id, day);
CREATE INDEX visits_company ON visits(org_id, company_id, at);
CREATE TABLE deals (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  rep_id INTEGER NOT NULL REFERENCES users(id),
  amount INTEGER NOT NULL,
  signed_on TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX deals_org_day ON deals(org_id, signed_on, rep_id);
CREATE INDEX deals_company ON deals(org_id, company_id);
CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  scope TEXT NOT NULL CHECK (scope IN ('rep','team')),
  scope_id INTEGER NOT NULL,
  metric TEXT NOT NULL,
  period TEXT NOT NULL,
  value INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  set_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX targets_key ON targets(org_id, scope, scope_id, metric, period);
CREATE TABLE target_history (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  target_id INTEGER NOT NULL REFERENCES targets(id),
  old_value INTEGER,
  new_value INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  set_by INTEGER REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX target_history_target ON target_history(org_id, target_id);
CREATE TABLE plans (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  rep_id INTEGER NOT NULL REFERENCES users(id),
  day TEXT NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX plans_key ON plans(org_id, rep_id, day);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  rep_id INTEGER NOT NULL REFERENCES users(id),
  day TEXT NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX reviews_key ON reviews(org_id, rep_id, day);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  at INTEGER NOT NULL,
  user_id INTEGER,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  old_json TEXT,
  new_json TEXT
);
CREATE INDEX audit_org_entity ON audit_log(org_id, entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- Chinese substring search: trigram FTS over company names and contact names.
-- rowid = companies.id; kept in step by triggers. Queries shorter than three
-- characters cannot use trigrams and fall back to LIKE (see sql_tx.cpp).
CREATE VIRTUAL TABLE company_fts USING fts5(name, contacts, tokenize='trigram');
CREATE TRIGGER companies_fts_ins AFTER INSERT ON companies BEGIN
  INSERT INTO company_fts(rowid, name, contacts) VALUES (new.id, new.name, '');
END;
CREATE TRIGGER companies_fts_upd AFTER UPDATE OF name ON companies BEGIN
  UPDATE company_fts SET name = new.name WHERE rowid = new.id;
END;
CREATE TRIGGER companies_fts_del AFTER DELETE ON companies BEGIN
  DELETE FROM company_fts WHERE rowid = old.id;
END;
CREATE TRIGGER contacts_fts_ins AFTER INSERT ON contacts BEGIN
  UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts WHERE company_id = new.company_id)
  WHERE rowid = new.company_id;
END;
CREATE TRIGGER contacts_fts_upd AFTER UPDATE OF name ON contacts BEGIN
  UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts WHERE company_id = new.company_id)
  WHERE rowid = new.company_id;
END;
CREATE TRIGGER contacts_fts_del AFTER DELETE ON contacts BEGIN
  UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts WHERE company_id = old.company_id)
  WHERE rowid = old.company_id;
END;
