// The vocabularies' queries (migration 0011): the organisation's industry list, the
// report of what the migration mapped, and the payer styles the fit reads.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/rows.h"
#include "store/tx_vocab.h"

namespace tj::vocab_store {

using db::Value;
using V = std::vector<Value>;

std::vector<IndustryRow> list_industries(Tx& tx, Id org) {
  std::vector<IndustryRow> out;
  for (auto& r : tx.conn().query("SELECT name, aliases FROM industries WHERE org_id = ? ORDER BY position", {org})) {
    IndustryRow row{r.str(0), {}};
    auto a = nlohmann::json::parse(r.str(1), nullptr, false);
    if (a.is_array())
      for (auto& x : a)
        if (x.is_string()) row.second.push_back(x.get<std::string>());
    out.push_back(std::move(row));
  }
  return out;
}

void replace_industries(Tx& tx, Id org, const std::vector<IndustryRow>& list) {
  tx.conn().exec("DELETE FROM industries WHERE org_id = ?", {org});
  for (size_t i = 0; i < list.size(); i++) {
    nlohmann::json a = list[i].second;
    tx.conn().exec("INSERT INTO industries(org_id, position, name, aliases) VALUES (?,?,?,?)",
            {org, int64_t(i + 1), list[i].first, a.dump()});
  }
}

std::vector<ReportRow> vocabulary_report(Tx& tx, Id org) {
  std::vector<ReportRow> out;
  for (auto& r : tx.conn().query("SELECT field, value, mapped_to, action, count FROM vocabulary_report WHERE org_id = ? "
                          "ORDER BY field, count DESC, value",
                          {org}))
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.i64(4)});
  return out;
}

std::vector<std::pair<Id, std::string>> payer_styles(Tx& tx, Id org, const std::vector<Id>& companies) {
  std::vector<std::pair<Id, std::string>> out;
  for (size_t i = 0; i < companies.size(); i += 500) {
    size_t n = std::min(companies.size(), i + 500) - i;
    V p{org};
    for (size_t k = i; k < i + n; k++) p.emplace_back(companies[k]);
    // The first payer contact with a style, as payer_style reads it.
    for (auto& r : tx.conn().query("SELECT t.company_id, t.style FROM contacts t WHERE t.org_id = ? AND t.company_id IN (" +
                                placeholders(n) +
                                ") AND t.is_payer = 1 AND t.style <> '' ORDER BY t.company_id, t.id",
                            p))
      if (out.empty() || out.back().first != r.i64(0)) out.emplace_back(r.i64(0), r.str(1));
  }
  return out;
}

int64_t count_companies_in_industry(Tx& tx, Id org, const std::string& name) {
  return tx.conn().query_one("SELECT COUNT(*) FROM companies WHERE org_id = ? AND industry = ?", {org, name})->i64(0);
}

int64_t rename_industry(Tx& tx, Id org, const std::string& from, const std::string& to, Instant now) {
  return tx.conn().exec("UPDATE companies SET industry = ?, version = version + 1, updated_at = ? WHERE org_id = ? AND industry = ?",
                 {to, now, org, from});
}

std::vector<Tx::FitRow> fit_rows_of(Tx& tx, Id org, Id rep) {
  std::vector<Tx::FitRow> out;
  for (auto& r : tx.conn().query(
           "SELECT c.effective_by, COALESCE((SELECT t.style FROM contacts t WHERE t.org_id = c.org_id AND t.company_id = c.id "
           "AND t.is_payer = 1 AND t.style <> '' ORDER BY t.id LIMIT 1), ''), COUNT(*), SUM(CASE WHEN c.signed_at IS NOT "
           "NULL THEN 1 ELSE 0 END) FROM companies c WHERE c.org_id = ? AND c.effective_by = ? AND c.deleted = 0 "
           "GROUP BY 1, 2 ORDER BY 1, 2",
           {org, rep}))
    out.push_back({r.i64(0), r.str(1), r.i64(2), r.i64(3)});
  return out;
}

}  // namespace tj::vocab_store
