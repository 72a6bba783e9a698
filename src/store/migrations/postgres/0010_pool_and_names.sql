-- 0010: the public pool's clock and claim limits, and duplicate names (撞单), SPEC §3.
-- name_key: the normalised name (src/domain/names.h), written by every insert and rename;
-- existing rows are filled by the migration's code step (store/migrate_steps.cpp) in the
-- same transaction. Not unique: existing data may hold duplicates (listed for an admin to
-- merge); uniqueness is enforced in the write transaction.
ALTER TABLE companies ADD COLUMN name_key TEXT COLLATE "C";
CREATE INDEX companies_org_name_key ON companies(org_id, name_key) WHERE deleted = 0;
-- owned_at: when the current owner got the company (claim or assignment); NULL when the
-- owner has had it since its creation. The release clock runs from the latest of the last
-- visit and owned_at (a company never visited nor claimed: from its creation).
-- lost_by / lost_at: the last rep who dropped it or lost it to the pool, and when
-- (the reclaim cool-down). Facts only, kept by the trigger below on every owner change.
ALTER TABLE companies ADD COLUMN owned_at BIGINT;
ALTER TABLE companies ADD COLUMN lost_by BIGINT;
ALTER TABLE companies ADD COLUMN lost_at BIGINT;
CREATE FUNCTION companies_owner_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.owner_id IS NULL THEN
    NEW.owned_at := NULL;
    IF OLD.owner_id IS NOT NULL THEN
      NEW.lost_by := OLD.owner_id;
      NEW.lost_at := NEW.updated_at;
    END IF;
  ELSE
    NEW.owned_at := NEW.updated_at;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER companies_owner_change BEFORE UPDATE OF owner_id ON companies
  FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id) EXECUTE FUNCTION companies_owner_change();
-- Claims from the pool, one row each (the daily claim limit counts a rep's rows of the day).
CREATE TABLE company_claims (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  rep_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  company_id BIGINT NOT NULL,
  PRIMARY KEY (org_id, rep_id, at, company_id),
  FOREIGN KEY (org_id, rep_id) REFERENCES users(org_id, id),
  FOREIGN KEY (org_id, company_id) REFERENCES companies(org_id, id)
);
-- Companies claimed before this migration: their clock starts at the claim (from the audit log).
UPDATE companies SET owned_at = (SELECT MAX(a.at) FROM audit_log a WHERE a.org_id = companies.org_id
    AND a.entity = 'company' AND a.entity_id = companies.id AND a.action = 'claim')
  WHERE owner_id IS NOT NULL AND deleted = 0;
