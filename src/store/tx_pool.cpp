// Queries of the public pool (公海) clock and claim limits and of duplicate names (撞单),
// over migration 0010's columns (companies.name_key, owned_at, lost_by, lost_at) and table
// (company_claims). The rules themselves live above (src/app/pool.cpp, src/domain/names.h).
#include "domain/names.h"
#include "store/rows.h"
#include "store/tx.h"

namespace tj {

using db::Value;
using V = std::vector<Value>;

// The pool clock's start: the latest of the last visit and the claim / assignment (owned_at,
// NULL when the owner has had it since its creation); a company never visited, claimed or
// reassigned counts from its creation.
static const char* const kClockStart =
    "CASE WHEN c.owned_at IS NOT NULL AND (c.last_visit_at IS NULL OR c.owned_at > c.last_visit_at) "
    "THEN c.owned_at ELSE COALESCE(c.last_visit_at, c.created_at) END";
const char* pool_clock_start_sql() { return kClockStart; }

std::vector<Company> Tx::companies_by_name_key(Id org, const std::string& key, int limit) {
  std::vector<Company> out;
  for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC +
                              " FROM companies c WHERE c.org_id = ? AND c.name_key = ? AND c.deleted = 0 ORDER BY c.id LIMIT ?",
                          {org, key, int64_t(limit)}))
    out.push_back(company_from(r));
  return out;
}

Tx::PoolFacts Tx::pool_facts(Id org, Id company) {
  PoolFacts f;
  auto r = c_.query_one("SELECT owned_at, lost_by, lost_at FROM companies WHERE org_id = ? AND id = ?", {org, company});
  if (!r) return f;
  if (!r->is_null(0)) f.owned_at = r->i64(0);
  f.lost_by = r->opt_i64(1);
  if (!r->is_null(2)) f.lost_at = r->i64(2);
  return f;
}

void Tx::insert_claim(Id org, Id rep, Id company, Instant at) {
  c_.exec("INSERT INTO company_claims(org_id, rep_id, at, company_id) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
          {org, rep, at, company});
}

int64_t Tx::count_claims(Id org, Id rep, Instant from, Instant to) {
  return c_.scalar("SELECT COUNT(*) FROM company_claims WHERE org_id = ? AND rep_id = ? AND at >= ? AND at < ?",
                   {org, rep, from, to});
}

int64_t Tx::count_owned_unsigned(Id org, Id rep) {
  return c_.scalar(
      "SELECT COUNT(*) FROM companies WHERE org_id = ? AND owner_id = ? AND signed_at IS NULL AND deleted = 0",
      {org, rep});
}

std::vector<std::pair<Company, Instant>> Tx::pool_release_due(Id org, const std::vector<Id>& reps, Instant clock_before,
                                                              Id after, int limit) {
  std::vector<std::pair<Company, Instant>> out;
  if (reps.empty() || limit <= 0) return out;
  V p{org};
  for (auto id : reps) p.emplace_back(id);
  p.emplace_back(after);
  p.emplace_back(clock_before);
  p.emplace_back(int64_t(limit));
  // Without statistics SQLite walks companies_org_status (every active company of the
  // organisation, the public pool included: 0.2 s at a million) for a team's few reps: name the
  // owner index for few reps, the primary key (id order, stopping with the page) for many.
  const char* from = c_.dialect() != db::Dialect::Sqlite ? " FROM companies c"
                     : reps.size() > 64                  ? " FROM companies c NOT INDEXED"
                                                         : " FROM companies c INDEXED BY companies_org_owner_status";
  for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC + ", " + kClockStart + from +
                              " WHERE c.org_id = ? AND c.owner_id IN (" + placeholders(reps.size()) +
                              ") AND c.id > ? AND c.signed_at IS NULL AND c.deleted = 0 "
                              "AND c.status IN ('prospect','contacted','effective') AND " + kClockStart +
                              " < ? ORDER BY c.id LIMIT ?",
                          p)) {
    Instant start = r.i64(kCompanyColCount);
    out.emplace_back(company_from(r), start);
  }
  return out;
}

std::vector<std::string> Tx::duplicate_name_keys(Id org, const std::string& after, int limit) {
  std::vector<std::string> out;
  for (auto& r : c_.query("SELECT name_key FROM companies WHERE org_id = ? AND deleted = 0 AND name_key > ? "
                          "GROUP BY name_key HAVING COUNT(*) > 1 ORDER BY name_key LIMIT ?",
                          {org, after, int64_t(limit)}))
    out.push_back(r.str(0));
  return out;
}

void Tx::move_company_children(Id org, Id from, Id to) {
  for (const char* table : {"contacts", "deals", "bookings"})
    c_.exec(std::string("UPDATE ") + table + " SET company_id = ? WHERE org_id = ? AND company_id = ?", {to, org, from});
  // Visits one statement each: the rep_day_stats triggers count distinct companies per rep-day
  // by looking at the other rows, which PostgreSQL's row triggers see only at the statement's end.
  for (auto& r : c_.query("SELECT id FROM visits WHERE org_id = ? AND company_id = ? ORDER BY id", {org, from}))
    c_.exec("UPDATE visits SET company_id = ? WHERE org_id = ? AND id = ?", {to, org, r.i64(0)});
  if (c_.dialect() == db::Dialect::Sqlite)  // the search row of `to` now carries the moved contacts' names
    c_.exec("UPDATE company_fts SET contacts = (SELECT group_concat(name, ' ') FROM contacts WHERE org_id = ? AND "
            "company_id = ?) WHERE rowid = ?",
            {org, to, to});
}

}  // namespace tj
