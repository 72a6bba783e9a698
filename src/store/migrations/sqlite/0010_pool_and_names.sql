-- 0010: the public pool's clock and claim limits, and duplicate names (撞单), SPEC §3.
-- name_key: the normalised name (src/domain/names.h), written by every insert and rename;
-- existing rows are filled by the migration's code step (store/migrate_steps.cpp) in the
-- same transaction. Not unique: existing data may hold duplicates (listed for an admin to
-- merge); uniqueness is enforced in the write transaction.
ALTER TABLE companies ADD COLUMN name_key TEXT;
CREATE INDEX companies_org_name_key ON companies(org_id, name_key) WHERE deleted = 0;
-- owned_at: when the current owner got the company (claim or assignment); NULL when the
-- owner has had it since its creation. The release clock runs from the latest of the last
-- visit and owned_at (a company never visited nor claimed: from its creation).
-- lost_by / lost_at: the last rep who dropped it or lost it to the pool, and when
-- (the reclaim cool-down). Facts only, kept by the trigger below on every owner change.
ALTER TABLE companies ADD COLUMN owned_at INTEGER;
ALTER TABLE companies ADD COLUMN lost_by INTEGER;
ALTER TABLE companies ADD COLUMN lost_at INTEGER;
CREATE TRIGGER companies_owner_change AFTER UPDATE OF owner_id ON companies
  WHEN new.owner_id IS NOT old.owner_id BEGIN
  UPDATE companies SET
    owned_at = CASE WHEN new.owner_id IS NULL THEN NULL ELSE new.updated_at END,
    lost_by = CASE WHEN new.owner_id IS NULL AND old.owner_id IS NOT NULL THEN old.owner_id ELSE lost_by END,
    lost_at = CASE WHEN new.owner_id IS NULL AND old.owner_id IS NOT NULL THEN new.updated_at ELSE lost_at END
  WHERE id = new.id;
END;
-- Claims from the pool, one row each (the daily claim limit counts a rep's rows of the day).
CREATE TABLE company_claims (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  rep_id INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  PRIMARY KEY (org_id, rep_id, at, company_id)
) WITHOUT ROWID;
-- Companies claimed before this migration: their clock starts at the claim (from the audit log).
UPDATE companies SET owned_at = (SELECT MAX(a.at) FROM audit_log a WHERE a.org_id = companies.org_id
    AND a.entity = 'company' AND a.entity_id = companies.id AND a.action = 'claim')
  WHERE owner_id IS NOT NULL AND deleted = 0;
