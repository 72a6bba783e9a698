// Test-only reference implementations: the raw-row queries the view counters
// (tx_counters.cpp, migration 0007) must agree with. They read the rows directly,
// so a counter that drifts from the rows shows up as a difference
// (store_contract_test.cpp, expect_view_readers_match). Not production code.
#pragma once
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/rows.h"
#include "store/tx.h"

namespace tj::testing::reference {

// Calls fn with the ids in parts of at most n.
template <class F>
void in_parts(const std::vector<Id>& ids, size_t n, F fn) {
  for (size_t i = 0; i < ids.size(); i += n)
    fn(std::vector<Id>(ids.begin() + long(i), ids.begin() + long(std::min(ids.size(), i + n))));
}

// Discovery: the visit texts (interest reason, attraction, concerns) of the reps in [from, to].
inline std::vector<std::array<std::string, 3>> discovery_texts(Tx& tx, Id org, const std::vector<Id>& reps,
                                                               const std::string& from, const std::string& to) {
  std::vector<std::array<std::string, 3>> out;
  in_parts(reps, 500, [&](const std::vector<Id>& part) {
    std::vector<db::Value> p{org};
    for (Id id : part) p.emplace_back(id);
    p.emplace_back(from);
    p.emplace_back(to);
    for (auto& r : tx.conn().query("SELECT interest_reason, attraction, concerns FROM visits WHERE org_id = ? AND rep_id IN (" +
                                       placeholders(part.size()) +
                                       ") AND day >= ? AND day <= ? AND (interest_reason <> '' OR attraction <> '' "
                                       "OR concerns <> '') ORDER BY id",
                                   p))
      out.push_back({r.str(0), r.str(1), r.str(2)});
  });
  return out;
}

// Conversion: companies that became effective in [from, to] with their rep, source, industry and signed flag.
struct ConversionRow {
  Id rep_id = 0;
  std::string source, industry;
  bool signed_ = false;
};
inline std::vector<ConversionRow> conversion_rows(Tx& tx, Id org, const std::vector<Id>& reps, const std::string& from,
                                                  const std::string& to) {
  std::vector<ConversionRow> out;
  in_parts(reps, 500, [&](const std::vector<Id>& part) {
    std::vector<db::Value> p{org};
    for (Id id : part) p.emplace_back(id);
    p.emplace_back(from);
    p.emplace_back(to);
    for (auto& r : tx.conn().query("SELECT effective_by, source, industry, signed_at IS NOT NULL FROM companies WHERE org_id = ? "
                                   "AND effective_by IN (" + placeholders(part.size()) +
                                       ") AND effective_day >= ? AND effective_day <= ? AND deleted = 0 ORDER BY id",
                                   p))
      out.push_back({r.i64(0), r.str(1), r.str(2), r.b(3)});
  });
  return out;
}

// Lead intake by source: companies created in [created_from, created_to) (instants; pool leads
// count for everyone) and those that became effective in [eff_from, eff_to], by source.
inline std::vector<Tx::SourceRow> source_stats(Tx& tx, Id org, const std::vector<Id>& reps, Instant created_from,
                                               Instant created_to, const std::string& eff_from, const std::string& eff_to) {
  std::set<Id> in(reps.begin(), reps.end());
  std::map<std::string, Tx::SourceRow> m;
  for (auto& r : tx.conn().query("SELECT source, owner_id, COUNT(*) FROM companies WHERE org_id = ? AND created_at >= ? AND "
                                 "created_at < ? AND deleted = 0 GROUP BY source, owner_id",
                                 {org, created_from, created_to})) {
    if (!r.is_null(1) && !in.count(r.i64(1))) continue;
    auto& s = m[r.str(0)];
    s.source = r.str(0);
    s.intake += r.i64(2);
  }
  for (auto& r : tx.conn().query("SELECT source, effective_by, COUNT(*) FROM companies WHERE org_id = ? AND effective_day >= ? "
                                 "AND effective_day <= ? AND effective_by IS NOT NULL AND deleted = 0 GROUP BY source, "
                                 "effective_by",
                                 {org, eff_from, eff_to})) {
    if (!in.count(r.i64(1))) continue;
    auto& s = m[r.str(0)];
    s.source = r.str(0);
    s.effective += r.i64(2);
  }
  std::vector<Tx::SourceRow> out;
  for (auto& [k, v] : m) out.push_back(v);
  return out;
}

}  // namespace tj::testing::reference
