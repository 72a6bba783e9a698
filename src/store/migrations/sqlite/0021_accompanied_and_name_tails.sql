-- 0021 (issue 12 point 5, issue 16 point 5: views and search at full size).
-- The coaching view reads the accompanied visits (陪访) of the reps in coaching over its window:
-- 4 % of visits, which the (org, rep, day) index found only by walking every visit of those reps
-- (333,889 index entries for 12,650 rows at 1M companies). This partial index holds them alone,
-- with every column the view reads.
CREATE INDEX visits_accompanied ON visits(org_id, rep_id, day, at, companion_id, coaching_stage, company_id)
  WHERE kind = 'accompanied';
-- A two-character search: the trigram index holds every place the two characters occur but the
-- very end of a name or of a contact's name (no third character follows); these hold the ends.
-- The ends come first: with org_id first, SQLite (without statistics) took these indexes for
-- queries on org_id alone, and the API's big imports ran 2.5x slower.
CREATE INDEX companies_name_tail ON companies(substr(name, -2), org_id);
CREATE INDEX contacts_name_tail ON contacts(substr(name, -2), org_id);
