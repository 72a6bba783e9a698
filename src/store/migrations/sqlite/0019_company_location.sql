-- 0019: a company's address and where it is (issue 15): the manager sees on each visit how far
-- the rep's check-in (visits.lat/lng, migration 0003) was from the company.
ALTER TABLE companies ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN lat REAL;
ALTER TABLE companies ADD COLUMN lng REAL;
