-- 0021 (issue 12 point 5, issue 16 point 5): the coaching view reads the accompanied visits (陪访)
-- of the reps in coaching over its window: 4 % of visits, which the (org, rep, day) index found only by
-- walking every visit of those reps. This partial index holds them alone, with every column the view
-- reads. (The name-tail indexes of SQLite's 0021 are not needed here: the bigram GIN indexes of 0016
-- answer a two-character search.)
CREATE INDEX visits_accompanied ON visits(org_id, rep_id, day, at, companion_id, coaching_stage, company_id)
  WHERE kind = 'accompanied';
