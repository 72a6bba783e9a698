-- 0004: the contact-name search triggers probe contacts by (org_id, company_id),
-- which the contacts_company index serves, instead of scanning every contact;
-- lead intake by creation time (diagnosis) gets an index.
DROP TRIGGER contacts_fts_ins;
DROP TRIGGER contacts_fts_upd;
DROP TRIGGER contacts_fts_del;
CREATE TRIGGER contacts_fts_ins AFTER INSERT ON contacts BEGIN
  UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts
                                     WHERE org_id = new.org_id AND company_id = new.company_id)
  WHERE rowid = new.company_id;
END;
CREATE TRIGGER contacts_fts_upd AFTER UPDATE OF name ON contacts BEGIN
  UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts
                                     WHERE org_id = new.org_id AND company_id = new.company_id)
  WHERE rowid = new.company_id;
END;
CREATE TRIGGER contacts_fts_del AFTER DELETE ON contacts BEGIN
  UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts
                                     WHERE org_id = old.org_id AND company_id = old.company_id)
  WHERE rowid = old.company_id;
END;
CREATE INDEX companies_org_created ON companies(org_id, created_at);
