-- 0003: where a visit was logged (browser geolocation check-in) and a deal's notes.
ALTER TABLE visits ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE visits ADD COLUMN lng DOUBLE PRECISION;
ALTER TABLE deals ADD COLUMN notes TEXT NOT NULL DEFAULT '';
