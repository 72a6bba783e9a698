-- 0003: where a visit was logged (browser geolocation check-in) and a deal's notes.
ALTER TABLE visits ADD COLUMN lat REAL;
ALTER TABLE visits ADD COLUMN lng REAL;
ALTER TABLE deals ADD COLUMN notes TEXT NOT NULL DEFAULT '';
