// Queries of the alerts view: one query per company alert kind, a page at a time in company
// id order (keyset: id > after), so the first page of a large organisation's alerts reads a
// bounded stretch of companies rather than all of them.
#include "store/rows.h"
#include "store/tx.h"

namespace tj {

using db::Value;
using V = std::vector<Value>;

namespace {

// Above this many owners the owner index would gather every owned company and sort them
// all; walking the owned companies in id order from `after` and testing the owner stops with
// the page.
constexpr size_t kWalkIdsAbove = 64;

}  // namespace

std::vector<AlertCompany> Tx::alert_companies(Id org, AlertKind kind, const std::vector<Id>& reps, const AlertRange& r,
                                              Id after, int limit) {
  std::vector<AlertCompany> out;
  if (reps.empty() || limit <= 0) return out;
  const std::string in = placeholders(reps.size());
  const bool walk_ids = reps.size() > kWalkIdsAbove;
  const std::string owner = std::string(walk_ids ? "+c.owner_id" : "c.owner_id") + " IN (" + in + ")";
  // SQLite's planner, depending on its statistics, may walk every company for a few owners or
  // gather and sort every owned company for many: on SQLite say which (PostgreSQL plans by cost).
  // Many owners walk the owned companies alone in id order (partial index, migrations 0022/0023:
  // `+c.owner_id IN (...)` implies its owner_id IS NOT NULL), not every company of the table.
  const char* from = c_.dialect() != db::Dialect::Sqlite ? " FROM companies c"
                     : walk_ids                          ? " FROM companies c INDEXED BY companies_owned"
                                                         : " FROM companies c INDEXED BY companies_org_owner_status";
  auto add_reps = [&](V& p) {
    for (auto id : reps) p.emplace_back(id);
  };
  std::string sql = std::string("SELECT ") + kCompanyColsC;
  V p;
  // The counted columns first (their parameters come first), then the filters.
  switch (kind) {
    case AlertKind::TimeSink:
      sql += ", (SELECT COUNT(*) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND v.day >= ? AND v.day <= ?), "
             "(SELECT MIN(v.day) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND v.day <= ?), 0";
      p = {r.month_from, r.to, r.to};
      break;
    case AlertKind::SignOrDrop:
      sql += ", 0, '', (SELECT COUNT(*) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND v.day <= ? AND "
             "v.met_payer = 1)";
      p = {r.to};
      break;
    case AlertKind::FindPayer:
    case AlertKind::NotEffective:
      sql += ", (SELECT COUNT(*) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND v.day <= ?), '', 0";
      p = {r.to};
      break;
    case AlertKind::NurtureDue:
    case AlertKind::Harvest:
      sql += ", 0, '', 0";
      break;
  }
  sql += std::string(from) + " WHERE c.org_id = ? AND c.id > ? AND " + owner + " AND c.deleted = 0";
  p.emplace_back(org);
  p.emplace_back(after);
  add_reps(p);
  // The thresholds are the rule's (method::Params), bound here as parameters.
  if (kind == AlertKind::NurtureDue) {
    sql += " AND c.status = 'nurture' AND c.revisit_on <= ?";
    p.emplace_back(r.to);
  } else if (kind == AlertKind::Harvest) {
    // Its competitor contract ends in [to, harvest_to]; not signed, not dropped.
    sql += " AND c.competitor_contract_end >= ? AND c.competitor_contract_end <= ? AND c.status <> 'dropped' "
           "AND (c.signed_at IS NULL OR c.signed_at > ?)";
    p.emplace_back(r.to);
    p.emplace_back(r.harvest_to);
    p.emplace_back(r.unsigned_after);
  } else {
    sql += " AND c.visit_count >= ? AND (c.signed_at IS NULL OR c.signed_at > ?)";
    p.emplace_back(r.min_visits);
    p.emplace_back(r.unsigned_after);
    if (kind == AlertKind::TimeSink) {
      // First visited on or before first_by; >= min_visits visits in the rolling window by the view's reps.
      sql += " AND c.status <> 'dropped' AND EXISTS (SELECT 1 FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id "
             "AND v.day <= ?) AND (SELECT COUNT(*) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND "
             "v.day >= ? AND v.day <= ? AND v.rep_id IN (" + in + ")) >= ?";
      p.emplace_back(r.first_by);
      p.emplace_back(r.month_from);
      p.emplace_back(r.to);
      add_reps(p);
      p.emplace_back(r.min_visits);
    } else {
      sql += " AND c.status IN ('prospect','contacted','effective')";
      if (kind == AlertKind::SignOrDrop) {
        sql += " AND (SELECT COUNT(*) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND v.day <= ? AND "
               "v.met_payer = 1) >= ?";
      } else {
        sql += kind == AlertKind::FindPayer ? " AND c.payer_met = 0" : " AND c.payer_met = 1 AND (c.need = 0 OR c.budget = 0)";
        sql += " AND (SELECT COUNT(*) FROM visits v WHERE v.org_id = c.org_id AND v.company_id = c.id AND v.day <= ?) >= ?";
      }
      p.emplace_back(r.to);
      p.emplace_back(r.min_visits);
    }
  }
  sql += " ORDER BY c.id LIMIT ?";
  p.emplace_back(int64_t(limit));
  for (auto& row : c_.query(sql, p)) {
    AlertCompany a;
    a.company = company_from(row);
    if (kind == AlertKind::TimeSink) {
      a.visits_in_range = row.i64(kCompanyColCount);
      a.first_day = row.str(kCompanyColCount + 1);
    } else {
      a.visits = row.i64(kCompanyColCount);
      a.payer_visits = row.i64(kCompanyColCount + 2);
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace tj
