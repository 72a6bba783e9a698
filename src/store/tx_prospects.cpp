// Queries of the prospect recommendation (SPEC §3, App::prospects in app/prospects.cpp):
// candidates in pages of (budget_capacity DESC, id) from migration 0008's partial indexes,
// the signed customers at given ranks of an industry, and the winners' full rows.
#include <algorithm>

#include "store/rows.h"
#include "store/tx.h"
#include "store/tx_prospects.h"

namespace tj {

using db::Value;
using V = std::vector<Value>;

std::vector<ProspectCandidate> Tx::prospect_candidates_page(Id org, bool competitor, Id rep, Fen min_budget,
                                                            Instant signed_by, std::optional<std::pair<Fen, Id>> after,
                                                            int limit) {
  // The competitor test is a literal so that the planner picks the matching partial index;
  // the key condition is a range on budget_capacity plus a filter for the equal budgets.
  // "Free or the rep's" is written per dialect so that each planner walks that index in
  // order and stops after `limit` rows: SQLite would answer an OR from
  // companies_org_owner_status (every free company, then a sort); PostgreSQL estimates
  // COALESCE(owner_id, rep) = rep at 0.5% and would then read every row of the range and
  // sort it. The payer contacts are a second query by id, not an EXISTS column, which
  // PostgreSQL may turn into a hash of every payer contact of the organisation.
  bool pg = c_.dialect() == db::Dialect::Postgres;
  // Without statistics SQLite may still prefer another index: on SQLite name the walk's index.
  std::string sql = std::string("SELECT c.id, c.industry, c.industry_rank, c.budget_capacity, c.payer_met FROM companies c") +
                    (pg ? "" : competitor ? " INDEXED BY companies_prospects_competitor" : " INDEXED BY companies_prospects_other") +
                    " WHERE c.org_id = ? AND c.deleted = 0 AND ";
  sql += competitor ? "c.competitor <> ''" : "c.competitor = ''";
  sql += " AND c.budget_capacity >= ?";
  V p{org, min_budget};
  if (after) {
    sql += " AND c.budget_capacity <= ? AND (c.budget_capacity < ? OR c.id > ?)";
    p.emplace_back(after->first);
    p.emplace_back(after->first);
    p.emplace_back(after->second);
  }
  sql += " AND c.industry <> '' AND c.industry_rank IS NOT NULL AND (c.signed_at IS NULL OR c.signed_at > ?) AND "
         "c.status <> 'dropped' AND ";
  sql += pg ? "(c.owner_id IS NULL OR c.owner_id = ?)" : "COALESCE(c.owner_id, ?) = ?";
  sql += " ORDER BY c.budget_capacity DESC, c.id LIMIT ?";
  p.emplace_back(signed_by);
  p.emplace_back(rep);
  if (!pg) p.emplace_back(rep);
  p.emplace_back(int64_t(limit));
  std::vector<ProspectCandidate> out;
  std::vector<Id> unknown;  // payer not met: a payer contact?
  for (auto& r : c_.query(sql, p)) {
    ProspectCandidate x;
    x.id = r.i64(0);
    x.industry = r.str(1);
    x.rank = r.i64(2);
    x.budget = r.i64(3);
    x.competitor = competitor;
    x.payer_known = r.b(4);
    if (!x.payer_known) unknown.push_back(x.id);
    out.push_back(std::move(x));
  }
  if (!unknown.empty()) {
    std::vector<Id> payer;
    for (size_t i = 0; i < unknown.size(); i += 500) {
      size_t n = std::min(unknown.size(), i + 500) - i;
      V q{org};
      for (size_t k = i; k < i + n; k++) q.emplace_back(unknown[k]);
      for (auto& r : c_.query("SELECT DISTINCT company_id FROM contacts WHERE org_id = ? AND company_id IN (" +
                                  placeholders(n) + ") AND is_payer = 1",
                              q))
        payer.push_back(r.i64(0));
    }
    std::sort(payer.begin(), payer.end());
    for (auto& x : out)
      if (!x.payer_known) x.payer_known = std::binary_search(payer.begin(), payer.end(), x.id);
  }
  return out;
}

std::vector<ProspectRef> Tx::prospect_refs_at(Id org, const std::string& industry, const std::vector<int64_t>& ranks,
                                              Instant signed_by) {
  std::vector<ProspectRef> out;
  for (size_t i = 0; i < ranks.size(); i += 500) {
    size_t n = std::min(ranks.size(), i + 500) - i;
    V p{org, industry};
    for (size_t k = i; k < i + n; k++) p.emplace_back(ranks[k]);
    p.emplace_back(signed_by);
    // companies_prospect_refs (migration 0008) answers the rank and signed_at tests (named on
    // SQLite, whose planner may pick another index without statistics).
    for (auto& r : c_.query(std::string("SELECT c.id, c.industry_rank, (SELECT COALESCE(MAX(d.amount), 0) FROM deals d WHERE "
                                        "d.org_id = c.org_id AND d.company_id = c.id) FROM companies c") +
                                (c_.dialect() == db::Dialect::Sqlite ? " INDEXED BY companies_prospect_refs" : "") +
                                " WHERE c.org_id = ? AND c.industry = ? AND c.industry_rank IN (" + placeholders(n) +
                                ") AND c.signed_at IS NOT NULL AND c.signed_at <= ? AND c.deleted = 0 ORDER BY c.id",
                            p))
      out.push_back({r.i64(0), r.i64(1), r.i64(2)});
  }
  if (ranks.size() > 500)
    std::sort(out.begin(), out.end(), [](const ProspectRef& a, const ProspectRef& b) { return a.id < b.id; });
  return out;
}

// `+c.org_id` on SQLite: the primary key (id) answers the id list; without statistics SQLite
// would walk an org_id index instead. Not on PostgreSQL, whose primary key is (org_id, id): there
// the `+` hid the key's first column and every call read all 1M companies (254 ms).
std::vector<Company> Tx::companies_by_ids(Id org, const std::vector<Id>& ids) {
  std::vector<Company> out;
  const char* org_col = c_.dialect() == db::Dialect::Sqlite ? "+c.org_id" : "c.org_id";
  for (size_t i = 0; i < ids.size(); i += 500) {
    size_t n = std::min(ids.size(), i + 500) - i;
    V p{org};
    for (size_t k = i; k < i + n; k++) p.emplace_back(ids[k]);
    for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC + " FROM companies c WHERE " + org_col +
                                " = ? AND c.id IN (" + placeholders(n) + ") ORDER BY c.id",
                            p))
      out.push_back(company_from(r));
  }
  if (ids.size() > 500) std::sort(out.begin(), out.end(), [](const Company& a, const Company& b) { return a.id < b.id; });
  return out;
}

std::vector<Company> Tx::harvest_candidates(Id org, Id rep, const std::string& from, const std::string& to,
                                            Instant signed_by, int limit) {
  // companies_contract_end (migration 0009): a range of the organisation's contract end days.
  std::vector<Company> out;
  for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC +
                              " FROM companies c WHERE c.org_id = ? AND c.competitor_contract_end >= ? AND "
                              "c.competitor_contract_end <= ? AND c.deleted = 0 AND c.status <> 'dropped' AND "
                              "(c.signed_at IS NULL OR c.signed_at > ?) AND (c.owner_id IS NULL OR c.owner_id = ?) "
                              "ORDER BY c.competitor_contract_end, c.id LIMIT ?",
                          {org, from, to, signed_by, rep, int64_t(limit)}))
    out.push_back(company_from(r));
  return out;
}

namespace prospects_store {

std::vector<std::pair<std::string, ProspectRef>> refs_at(Tx& tx, Id org, const RankNeed& need, Instant signed_by) {
  std::vector<std::pair<std::string, ProspectRef>> out;
  db::Conn& c = tx.conn();
  if (c.dialect() == db::Dialect::Sqlite) {  // no round trips to save: the per-industry lookup
    for (auto& [industry, ranks] : need)
      for (auto& r : tx.prospect_refs_at(org, industry, ranks, signed_by)) out.emplace_back(industry, r);
    return out;
  }
  std::vector<std::pair<const std::string*, int64_t>> pairs;
  for (auto& [industry, ranks] : need)
    for (int64_t r : ranks) pairs.emplace_back(&industry, r);
  constexpr size_t kPairs = 200;
  for (size_t i = 0; i < pairs.size(); i += kPairs) {
    size_t n = std::min(pairs.size(), i + kPairs) - i;
    V p;
    std::string in;
    for (size_t k = i; k < i + n; k++) {
      in += k == i ? "(?::text,?::bigint)" : ",(?::text,?::bigint)";
      p.emplace_back(*pairs[k].first);
      p.emplace_back(pairs[k].second);
    }
    p.emplace_back(org);
    p.emplace_back(signed_by);
    // A join with the pairs as VALUES: each pair is one index probe of companies_prospect_refs.
    // (`(industry, rank) IN ((..),(..))` is planned as an OR of every pair: 1.6 ms of planning
    // for 5 pairs, and the view ran twice as slow.)
    for (auto& r :
         c.query("SELECT w.ind, c.id, c.industry_rank, (SELECT COALESCE(MAX(d.amount), 0) FROM deals d "
                 "WHERE d.org_id = c.org_id AND d.company_id = c.id) FROM (VALUES " +
                     in +
                     ") AS w(ind, rk) JOIN companies c ON c.org_id = ? AND c.industry = w.ind AND "
                     "c.industry_rank = w.rk AND c.signed_at IS NOT NULL AND c.signed_at <= ? AND c.deleted = 0 "
                     "ORDER BY c.id",
                 p))
      out.emplace_back(r.str(0), ProspectRef{r.i64(1), r.i64(2), r.i64(3)});
  }
  return out;
}

}  // namespace prospects_store

}  // namespace tj
