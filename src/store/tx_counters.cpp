// The counters of the discovery, conversion and diagnosis views (migration 0007):
// discovery_stats, conversion_stats and intake_stats, kept by triggers on visits and
// companies. Each has a row per rep (or owner) and the organisation's total under 0.
// A view reads its reps' rows, or the total minus the rows of every other user of the
// organisation (any role, active or not), whichever list is shorter: a team reads a
// few reps' rows, the whole organisation the totals and the few managers' rows; exact
// either way.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "store/rows.h"
#include "store/tx.h"
#include "store/counters.h"

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

constexpr size_t kChunk = 500;  // ids per IN list
constexpr Instant kHour = 3600;

// Which rows to read for a set of reps: `ids` with sign +1, or the total (0) with +1
// and `ids` (the organisation's other users) with -1.
struct Pick {
  bool from_total = false;
  std::vector<Id> ids;
};

Pick pick(db::Conn& c, Id org, const std::vector<Id>& reps) {
  std::set<Id> in(reps.begin(), reps.end());
  std::vector<Id> others;
  for (auto& r : c.query("SELECT id FROM users WHERE org_id = ? ORDER BY id", {org}))
    if (!in.count(r.i64(0))) others.push_back(r.i64(0));
  if (in.size() <= others.size()) return {false, std::vector<Id>(in.begin(), in.end())};
  return {true, others};
}

// Runs "SELECT <cols> FROM <table> WHERE org_id = ? AND <key> IN (…) AND <rest> GROUP BY <group>"
// for the picked rows, calling fn(row, sign) for every row. `direct_extra` are keys read too
// when the reps' rows are read directly (the pool, -1, for intake: the total includes it).
template <class F>
void scoped(db::Conn& c, Id org, const Pick& p, const std::vector<Id>& direct_extra, const std::string& cols,
            const std::string& table, const std::string& key, const std::string& rest, const V& rest_params,
            const std::string& group, F fn) {
  auto run = [&](const std::vector<Id>& ids, int64_t sign) {
    for (size_t i = 0; i < ids.size(); i += kChunk) {
      size_t n = std::min(ids.size(), i + kChunk) - i;
      V params{org};
      for (size_t k = 0; k < n; k++) params.emplace_back(ids[i + k]);
      params.insert(params.end(), rest_params.begin(), rest_params.end());
      for (auto& r : c.query("SELECT " + cols + " FROM " + counter_rows(c, table) + " WHERE org_id = ? AND " + key +
                                 " IN (" + placeholders(n) + ") AND " + rest + " GROUP BY " + group,
                             params))
        fn(r, sign);
    }
  };
  if (p.from_total) {
    run({0}, 1);
    run(p.ids, -1);
  } else {
    std::vector<Id> ids = direct_extra;
    ids.insert(ids.end(), p.ids.begin(), p.ids.end());
    run(ids, 1);
  }
}

}  // namespace

std::vector<Tx::DiscoveryCount> Tx::discovery_counts(Id org, const std::vector<Id>& reps, const std::string& from,
                                                     const std::string& to) {
  std::vector<DiscoveryCount> out;
  if (reps.empty()) return out;
  std::map<std::pair<int64_t, std::string>, int64_t> m;
  scoped(c_, org, pick(c_, org, reps), {}, "field, text, SUM(n)", "discovery_stats", "rep_id", "day >= ? AND day <= ?",
         {from, to}, "field, text", [&](const Row& r, int64_t sign) { m[{r.i64(0), r.str(1)}] += sign * r.i64(2); });
  for (auto& [k, n] : m)
    if (n != 0) out.push_back({int(k.first), k.second, n});
  return out;
}

std::vector<Tx::ConversionCount> Tx::conversion_counts(Id org, const std::vector<Id>& reps, const std::string& from,
                                                       const std::string& to) {
  std::vector<ConversionCount> out;
  if (reps.empty()) return out;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> m;
  scoped(c_, org, pick(c_, org, reps), {}, "source, industry, SUM(effective_n), SUM(signed_n)", "conversion_stats",
         "rep_id", "day >= ? AND day <= ?", {from, to}, "source, industry", [&](const Row& r, int64_t sign) {
           auto& x = m[{r.str(0), r.str(1)}];
           x.first += sign * r.i64(2);
           x.second += sign * r.i64(3);
         });
  for (auto& [k, x] : m)
    if (x.first != 0 || x.second != 0) out.push_back({0, k.first, k.second, x.first, x.second});
  return out;
}

std::vector<Tx::ConversionCount> Tx::conversion_by_rep(Id org, const std::vector<Id>& reps, const std::string& from,
                                                       const std::string& to) {
  // Per rep: the reps' own rows, whatever their number.
  std::vector<ConversionCount> out;
  Pick p{false, reps};
  std::sort(p.ids.begin(), p.ids.end());
  p.ids.erase(std::unique(p.ids.begin(), p.ids.end()), p.ids.end());
  scoped(c_, org, p, {}, "rep_id, SUM(effective_n), SUM(signed_n)", "conversion_stats", "rep_id",
         "day >= ? AND day <= ?", {from, to}, "rep_id", [&](const Row& r, int64_t) {
           if (r.i64(1) != 0 || r.i64(2) != 0) out.push_back({r.i64(0), "", "", r.i64(1), r.i64(2)});
         });
  std::sort(out.begin(), out.end(), [](const ConversionCount& a, const ConversionCount& b) { return a.rep_id < b.rep_id; });
  return out;
}

std::vector<Tx::SourceRow> Tx::source_counts(Id org, const std::vector<Id>& reps, Instant created_from,
                                             Instant created_to, const std::string& eff_from, const std::string& eff_to) {
  std::set<Id> in(reps.begin(), reps.end());
  std::map<std::string, SourceRow> m;
  auto intake = [&](const std::string& source, int64_t n) {
    auto& s = m[source];
    s.source = source;
    s.intake += n;
  };
  // The whole UTC hours inside [created_from, created_to) from the counters (hours from 1 on:
  // created_at / 3600 truncates, so hour 0 may hold negative instants), the rest from companies.
  int64_t h_lo = created_from <= kHour ? 1 : (created_from + kHour - 1) / kHour;
  int64_t h_hi = created_to < 0 ? -1 : created_to / kHour - 1;
  std::vector<std::pair<Instant, Instant>> raw;
  if (h_lo <= h_hi) {
    if (created_from < h_lo * kHour) raw.push_back({created_from, h_lo * kHour});
    if ((h_hi + 1) * kHour < created_to) raw.push_back({(h_hi + 1) * kHour, created_to});
    Pick p = reps.empty() ? Pick{false, {}} : pick(c_, org, reps);
    scoped(c_, org, p, {-1}, "source, SUM(n)", "intake_stats", "owner_id", "hour >= ? AND hour <= ?", {h_lo, h_hi},
           "source", [&](const Row& r, int64_t sign) { intake(r.str(0), sign * r.i64(1)); });
  } else if (created_from < created_to) {
    raw.push_back({created_from, created_to});
  }
  for (auto& [f, t] : raw)
    for (auto& r : c_.query("SELECT source, owner_id, COUNT(*) FROM companies WHERE org_id = ? AND created_at >= ? AND "
                            "created_at < ? AND deleted = 0 GROUP BY source, owner_id",
                            {org, f, t}))
      if (r.is_null(1) || in.count(r.i64(1))) intake(r.str(0), r.i64(2));  // pool leads count for everyone
  if (!reps.empty())
    scoped(c_, org, pick(c_, org, reps), {}, "source, SUM(effective_n)", "conversion_stats", "rep_id",
           "day >= ? AND day <= ?", {eff_from, eff_to}, "source", [&](const Row& r, int64_t sign) {
             auto& s = m[r.str(0)];
             s.source = r.str(0);
             s.effective += sign * r.i64(1);
           });
  std::vector<SourceRow> out;
  for (auto& [k, v] : m)
    if (v.intake != 0 || v.effective != 0) out.push_back(v);
  return out;
}

int64_t Tx::rebuild_view_counters(Id org) {
  // The statements of migration 0007's fill, for one organisation (portable SQL).
  const std::string ds = counter_table(c_, org, "discovery_stats"), cs = counter_table(c_, org, "conversion_stats"),
                    is = counter_table(c_, org, "intake_stats");
  c_.exec("DELETE FROM " + ds + " WHERE org_id = ?", {org});
  c_.exec("DELETE FROM " + cs + " WHERE org_id = ?", {org});
  c_.exec("DELETE FROM " + is + " WHERE org_id = ?", {org});
  int64_t n = c_.exec(
      "WITH d AS (SELECT v.org_id, v.rep_id, v.day, f.field, "
      "CASE f.field WHEN 0 THEN '' WHEN 1 THEN v.interest_reason WHEN 2 THEN v.attraction ELSE v.concerns END AS text, "
      "COUNT(*) AS n FROM visits v, (SELECT 0 AS field UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) f "
      "WHERE v.org_id = ? AND (v.interest_reason <> '' OR v.attraction <> '' OR v.concerns <> '') AND (f.field = 0 OR "
      "CASE f.field WHEN 1 THEN v.interest_reason WHEN 2 THEN v.attraction ELSE v.concerns END <> '') "
      "GROUP BY v.org_id, v.rep_id, v.day, f.field, "
      "CASE f.field WHEN 0 THEN '' WHEN 1 THEN v.interest_reason WHEN 2 THEN v.attraction ELSE v.concerns END) "
      "INSERT INTO " + ds + "(org_id, rep_id, day, field, text, n) SELECT org_id, rep_id, day, field, text, n FROM d "
      "UNION ALL SELECT org_id, 0, day, field, text, SUM(n) FROM d GROUP BY org_id, day, field, text",
      {org});
  n += c_.exec(
      "WITH d AS (SELECT org_id, effective_by AS rep_id, effective_day AS day, source, industry, COUNT(*) AS e, "
      "SUM(CASE WHEN signed_at IS NOT NULL THEN 1 ELSE 0 END) AS s FROM companies WHERE org_id = ? AND effective_by IS "
      "NOT NULL AND effective_day IS NOT NULL AND deleted = 0 GROUP BY org_id, effective_by, effective_day, source, industry) "
      "INSERT INTO " + cs + "(org_id, rep_id, day, source, industry, effective_n, signed_n) "
      "SELECT org_id, rep_id, day, source, industry, e, s FROM d "
      "UNION ALL SELECT org_id, 0, day, source, industry, SUM(e), SUM(s) FROM d GROUP BY org_id, day, source, industry",
      {org});
  n += c_.exec(
      "WITH d AS (SELECT org_id, COALESCE(owner_id, -1) AS owner_id, created_at / 3600 AS hour, source, COUNT(*) AS n "
      "FROM companies WHERE org_id = ? AND deleted = 0 GROUP BY org_id, COALESCE(owner_id, -1), created_at / 3600, source) "
      "INSERT INTO " + is + "(org_id, owner_id, hour, source, n) SELECT org_id, owner_id, hour, source, n FROM d "
      "UNION ALL SELECT org_id, 0, hour, source, SUM(n) FROM d GROUP BY org_id, hour, source",
      {org});
  return n;
}

std::string counter_table(db::Conn& c_, Id org, const std::string& name) {
  if (c_.dialect() != db::Dialect::Postgres) return name;
  c_.exec("DELETE FROM " + name + "_delta WHERE org_id = ?", {org});
  return name + "_base";
}

namespace {
// PostgreSQL's counters (migration 0016): (table, key columns, counted columns).
const std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>& counter_tables() {
  static const std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> tables = {
      {"rep_day_stats", "org_id, rep_id, day",
       {"visits", "visits_new", "minutes_total", "minutes_new", "effective_new", "deals", "signed_amount", "reached_new",
        "calls_unlogged", "calls_unlogged_new", "meets_unlogged", "meets_unlogged_new"}},
      {"discovery_stats", "org_id, rep_id, day, field, text", {"n"}},
      {"conversion_stats", "org_id, rep_id, day, source, industry", {"effective_n", "signed_n"}},
      {"intake_stats", "org_id, owner_id, hour, source", {"n"}},
  };
  return tables;
}
}  // namespace

std::string counter_rows(db::Conn& c, const std::string& name) {
  if (c.dialect() != db::Dialect::Postgres) return name;
  for (auto& [t, keys, cols] : counter_tables()) {
    if (t != name) continue;
    std::string list = keys;
    for (auto& col : cols) list += ", " + col;
    return "(SELECT " + list + " FROM " + t + "_base UNION ALL SELECT " + list + " FROM " + t + "_delta) " + t;
  }
  return name;
}

int64_t fold_counters(db::Conn& c_, Id org) {
  if (c_.dialect() != db::Dialect::Postgres) return 0;
  int64_t n = 0;
  for (auto& [t, keys, cols] : counter_tables()) {
    std::string list, sums, set;
    for (auto& c : cols) {
      list += ", " + c;
      sums += ", SUM(" + c + ")";
      set += std::string(set.empty() ? "" : ", ") + c + " = " + t + "_base." + c + " + EXCLUDED." + c;
    }
    n += c_.scalar("WITH d AS (DELETE FROM " + t + "_delta WHERE org_id = ? RETURNING *), f AS (INSERT INTO " + t +
                       "_base(" + keys + list + ") SELECT " + keys + sums + " FROM d GROUP BY " + keys +
                       " ON CONFLICT (" + keys + ") DO UPDATE SET " + set + ") SELECT COUNT(*) FROM d",
                   {org});
  }
  return n;
}

}  // namespace tj
