-- 0008: prospect recommendation (GET /api/v1/prospects) walks the candidates in
-- (budget_capacity DESC, id) order, in pages, and stops as soon as no company left
-- can enter the top `limit`: one walk over the companies that use a competitor (a
-- score up to 2111), then one over the others (up to 2011). Two partial indexes on
-- the undeleted rows, org_id leading, so each walk is an index range; they carry the
-- columns the candidate test and the score read, so the walk never reads the table
-- (most rows at the top of the budget order are signed or owned by someone else).
CREATE INDEX companies_prospects_competitor ON companies(org_id, budget_capacity DESC, id, owner_id, signed_at,
  status, industry, industry_rank, payer_met) WHERE deleted = 0 AND competitor <> '';
CREATE INDEX companies_prospects_other ON companies(org_id, budget_capacity DESC, id, owner_id, signed_at,
  status, industry, industry_rank, payer_met) WHERE deleted = 0 AND competitor = '';
-- The signed customers near each page's (industry, rank) pairs: signed_at in the key so
-- the lookup by rank and "signed by as_of" never reads the table row.
CREATE INDEX companies_prospect_refs ON companies(org_id, industry, industry_rank, signed_at)
  WHERE signed_at IS NOT NULL AND deleted = 0;
