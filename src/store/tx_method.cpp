// Queries of the method engine: aggregates computed by indexed SQL, never by
// loading an organisation into memory.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "store/tx.h"
#include "store/counters.h"
#include "store/rows.h"

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

void push_ids(V& p, const std::vector<Id>& ids) {
  for (auto i : ids) p.emplace_back(i);
}

// Runs fn over chunks of ids so IN lists stay bounded.
template <class F>
void chunked(const std::vector<Id>& ids, size_t n, F fn) {
  for (size_t i = 0; i < ids.size(); i += n)
    fn(std::vector<Id>(ids.begin() + long(i), ids.begin() + long(std::min(ids.size(), i + n))));
}

}  // namespace

std::vector<DailyCount> Tx::daily_counts(Id org, const std::string& from, const std::string& to,
                                         const std::vector<Id>& reps, DailyFields fields) {
  // Reads the per-(rep, day) counters (migration 0005) by primary key: reps x days rows.
  // Rows whose counts all went back to zero (deleted visits) are skipped, as before.
  std::vector<DailyCount> out;
  if (reps.empty()) return out;
  V p{org};
  push_ids(p, reps);
  p.emplace_back(from);
  p.emplace_back(to);
  const std::string where = " FROM rep_day_stats WHERE org_id = ? AND rep_id IN (" + placeholders(reps.size()) +
                            ") AND day >= ? AND day <= ? AND ";
  if (fields == DailyFields::Quota) {
    // In no particular order. On PostgreSQL the view rep_day_stats sums <base> and <delta> rows
    // per (rep, day) (migration 0016): at 1,008 reps over eight weeks its hash aggregate and sort
    // took 81 of coaching's 115 ms in the server. The base rows are one per key already and the
    // deltas few (the nightly fold empties them), so both are read as they are and added here.
    const bool pg = c_.dialect() == db::Dialect::Postgres;
    std::string sql = "SELECT rep_id, day, visits_new, reached_new, effective_new";
    if (pg) {
      const std::string range =
          " WHERE org_id = ? AND rep_id IN (" + placeholders(reps.size()) + ") AND day >= ? AND day <= ?";
      sql += " FROM rep_day_stats_base" + range +
             " UNION ALL SELECT rep_id, day, visits_new, reached_new, effective_new " + "FROM rep_day_stats_delta" +
             range;
      V twice = p;
      twice.insert(twice.end(), p.begin(), p.end());
      p = std::move(twice);
    } else {
      sql += where + "(visits_new <> 0 OR reached_new <> 0 OR effective_new <> 0)";
    }
    std::unordered_map<Id, std::unordered_map<std::string, size_t>> at;  // (rep, day) -> position in out
    for (auto& r : c_.query(sql, p)) {
      DailyCount d;
      d.rep_id = r.i64(0);
      d.day = r.str(1);
      d.visits_new = r.i64(2);
      d.reached_new = r.i64(3);
      d.effective_new = r.i64(4);
      if (pg) {
        auto [it, fresh] = at[d.rep_id].try_emplace(d.day, out.size());
        if (!fresh) {
          auto& sum = out[it->second];
          sum.visits_new += d.visits_new;
          sum.reached_new += d.reached_new;
          sum.effective_new += d.effective_new;
          continue;
        }
      }
      out.push_back(std::move(d));
    }
    if (pg)  // what all went back to zero is skipped, as on SQLite
      std::erase_if(out, [](const DailyCount& d) { return !d.visits_new && !d.reached_new && !d.effective_new; });
    return out;
  }
  for (auto& r :
       c_.query("SELECT rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, "
                "signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new" +
                    where + "(visits <> 0 OR effective_new <> 0 OR deals <> 0) ORDER BY rep_id, day",
                p)) {
    DailyCount d;
    d.rep_id = r.i64(0);
    d.day = r.str(1);
    d.visits = r.i64(2);
    d.visits_new = r.i64(3);
    d.minutes.logged_total = r.i64(4);
    d.minutes.logged_new = r.i64(5);
    d.effective_new = r.i64(6);
    d.deals = r.i64(7);
    d.signed_amount = r.i64(8);
    d.reached_new = r.i64(9);
    d.minutes.calls_unlogged = r.i64(10);
    d.minutes.calls_unlogged_new = r.i64(11);
    d.minutes.meets_unlogged = r.i64(12);
    d.minutes.meets_unlogged_new = r.i64(13);
    out.push_back(std::move(d));
  }
  return out;
}

std::unordered_map<Id, int64_t> Tx::effective_new_sums(Id org, const std::string& from, const std::string& to,
                                                       const std::vector<Id>& reps) {
  // One row per rep, summed by the database: the talent matrix needs the total only, and reading
  // reps x days rows to add them here was most of talent_org on PostgreSQL at 1,008 reps.
  std::unordered_map<Id, int64_t> out;
  if (reps.empty()) return out;
  V p{org};
  push_ids(p, reps);
  p.emplace_back(from);
  p.emplace_back(to);
  const std::string range =
      " WHERE org_id = ? AND rep_id IN (" + placeholders(reps.size()) + ") AND day >= ? AND day <= ?";
  std::string sql;
  if (c_.dialect() == db::Dialect::Postgres) {
    // the base rows and the deltas not yet folded (migration 0016), as daily_counts reads them
    sql = "SELECT rep_id, SUM(e) FROM (SELECT rep_id, effective_new AS e FROM rep_day_stats_base" + range +
          " UNION ALL SELECT rep_id, effective_new FROM rep_day_stats_delta" + range + ") t GROUP BY rep_id";
    V twice = p;
    twice.insert(twice.end(), p.begin(), p.end());
    p = std::move(twice);
  } else {
    sql = "SELECT rep_id, SUM(effective_new) FROM rep_day_stats" + range + " GROUP BY rep_id";
  }
  for (auto& r : c_.query(sql, p)) out[r.i64(0)] = r.i64(1);
  return out;
}

int64_t Tx::rebuild_rep_day_stats(Id org) {
  // visits_new / reached_new: distinct new companies met in person / reached by any kind (0009).
  const std::string t = counter_table(c_, org, "rep_day_stats");
  c_.exec("DELETE FROM " + t + " WHERE org_id = ?", {org});
  return c_.exec(
      "INSERT INTO " + t + "(org_id, rep_id, day, visits, visits_new, reached_new, minutes_total, minutes_new, "
      "calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new, "
      "effective_new, deals, signed_amount) SELECT org_id, rep_id, day, SUM(v), SUM(vn), SUM(rn), SUM(mt), SUM(mn), "
      "SUM(cu), SUM(cun), SUM(mu), SUM(mun), SUM(e), SUM(d), SUM(a) FROM ("
      "SELECT org_id, rep_id, day, COUNT(*) AS v, "
      "COUNT(DISTINCT CASE WHEN was_new = 1 AND kind <> 'call' THEN company_id END) AS vn, "
      "COUNT(DISTINCT CASE WHEN was_new = 1 THEN company_id END) AS rn, "
      "SUM(COALESCE(duration_min, 0)) AS mt, SUM(CASE WHEN was_new = 1 THEN COALESCE(duration_min, 0) ELSE 0 END) AS mn, "
      "SUM(CASE WHEN duration_min IS NULL AND kind = 'call' THEN 1 ELSE 0 END) AS cu, "
      "SUM(CASE WHEN duration_min IS NULL AND kind = 'call' AND was_new = 1 THEN 1 ELSE 0 END) AS cun, "
      "SUM(CASE WHEN duration_min IS NULL AND kind <> 'call' THEN 1 ELSE 0 END) AS mu, "
      "SUM(CASE WHEN duration_min IS NULL AND kind <> 'call' AND was_new = 1 THEN 1 ELSE 0 END) AS mun, "
      "0 AS e, 0 AS d, 0 AS a FROM visits WHERE org_id = ? GROUP BY org_id, rep_id, day "
      "UNION ALL SELECT org_id, effective_by, effective_day, 0, 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*), 0, 0 FROM companies WHERE org_id = ? "
      "AND effective_by IS NOT NULL AND effective_day IS NOT NULL AND deleted = 0 GROUP BY org_id, effective_by, effective_day "
      "UNION ALL SELECT org_id, rep_id, signed_on, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*), SUM(amount) FROM deals WHERE org_id = ? "
      "GROUP BY org_id, rep_id, signed_on) x GROUP BY org_id, rep_id, day",
      {org, org, org});
}

std::vector<Company> Tx::stale_owned(Id org, Instant before, int limit) {
  std::vector<Company> out;
  for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC +
                              " FROM companies c WHERE c.org_id = ? AND c.owner_id IS NOT NULL AND c.signed_at IS NULL "
                              "AND c.status IN ('prospect','contacted','effective') AND " + pool_clock_start_sql() +
                              " < ? AND c.deleted = 0 ORDER BY c.id LIMIT ?",
                          {org, before, int64_t(limit)}))
    out.push_back(company_from(r));
  return out;
}

bool Tx::job_ran(Id org, const std::string& job, const std::string& day) {
  return c_.scalar("SELECT COUNT(*) FROM job_runs WHERE org_id = ? AND job = ? AND day = ?", {org, job, day}) > 0;
}
void Tx::record_job(Id org, const std::string& job, const std::string& day, const std::string& result, Instant now) {
  c_.exec("INSERT INTO job_runs(org_id, job, day, result, at) VALUES (?,?,?,?,?) "
          "ON CONFLICT(org_id, job, day) DO UPDATE SET result = excluded.result, at = excluded.at",
          {org, job, day, result, now});
}

std::vector<Visit> Tx::accompanied_visits(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to) {
  std::vector<Visit> out;
  chunked(reps, 500, [&](const std::vector<Id>& part) {
    V p{org};
    push_ids(p, part);
    p.emplace_back(from);
    p.emplace_back(to);
    // The partial index of 0021 holds the accompanied visits alone; SQLite, without statistics,
    // could as well walk every visit of these reps through the (org, rep, day) index.
    const char* idx = c_.dialect() == db::Dialect::Sqlite ? " INDEXED BY visits_accompanied" : "";
    for (auto& r : c_.query(
             std::string("SELECT id, rep_id, companion_id, day, coaching_stage, company_id, at FROM visits") + idx +
                 " WHERE org_id = ? "
                 "AND rep_id IN (" +
                 placeholders(part.size()) +
                 ") AND day >= ? AND day <= ? AND kind = 'accompanied' "
                 "ORDER BY at",
             p)) {
      Visit v;
      v.id = r.i64(0);
      v.rep_id = r.i64(1);
      v.companion_id = r.opt_i64(2);
      v.day = r.str(3);
      v.coaching_stage = r.opt_i64(4);
      v.company_id = r.i64(5);
      v.at = r.i64(6);
      v.kind = VisitKind::Accompanied;
      out.push_back(v);
    }
  });
  return out;
}

Id Tx::insert_comment(Id org, const std::string& kind, Id target, Id user, const std::string& body, Instant now) {
  return c_.query_one("INSERT INTO comments(org_id, target_kind, target_id, user_id, body, created_at) VALUES (?,?,?,?,?,?) "
                      "RETURNING id",
                      {org, kind, target, user, body, now})
      ->i64(0);
}

std::vector<CommentRow> Tx::comments_on(Id org, const std::string& kind, const std::vector<Id>& targets) {
  std::vector<CommentRow> out;
  chunked(targets, 500, [&](const std::vector<Id>& part) {
    V p{org, kind};
    push_ids(p, part);
    for (auto& r : c_.query("SELECT id, user_id, target_id, target_kind, body, created_at FROM comments WHERE org_id = ? AND "
                            "target_kind = ? AND target_id IN (" + placeholders(part.size()) + ") ORDER BY id",
                            p))
      out.push_back({r.i64(0), r.i64(1), r.i64(2), r.str(3), r.str(4), r.i64(5)});
  });
  return out;
}

bool Tx::toggle_like(Id org, const std::string& kind, Id target, Id user, Instant now) {
  if (c_.exec("DELETE FROM likes WHERE org_id = ? AND target_kind = ? AND target_id = ? AND user_id = ?",
              {org, kind, target, user}) > 0)
    return false;
  c_.exec("INSERT INTO likes(org_id, target_kind, target_id, user_id, created_at) VALUES (?,?,?,?,?)",
          {org, kind, target, user, now});
  return true;
}

std::vector<std::pair<Id, int64_t>> Tx::like_counts(Id org, const std::string& kind, const std::vector<Id>& targets) {
  std::vector<std::pair<Id, int64_t>> out;
  chunked(targets, 500, [&](const std::vector<Id>& part) {
    V p{org, kind};
    push_ids(p, part);
    for (auto& r : c_.query("SELECT target_id, COUNT(*) FROM likes WHERE org_id = ? AND target_kind = ? AND target_id IN (" +
                            placeholders(part.size()) + ") GROUP BY target_id",
                            p))
      out.emplace_back(r.i64(0), r.i64(1));
  });
  return out;
}

std::vector<Id> Tx::liked_by(Id org, const std::string& kind, const std::vector<Id>& targets, Id user) {
  std::vector<Id> out;
  chunked(targets, 500, [&](const std::vector<Id>& part) {
    V p{org, kind, user};
    push_ids(p, part);
    for (auto& r : c_.query("SELECT target_id FROM likes WHERE org_id = ? AND target_kind = ? AND user_id = ? AND target_id IN (" +
                            placeholders(part.size()) + ")",
                            p))
      out.push_back(r.i64(0));
  });
  return out;
}

namespace {
std::vector<DayNote> notes_between(db::Conn& c, const char* table, Id org, const std::vector<Id>& reps,
                                   const std::string& from, const std::string& to) {
  std::vector<DayNote> out;
  chunked(reps, 500, [&](const std::vector<Id>& part) {
    V p{org};
    push_ids(p, part);
    p.emplace_back(from);
    p.emplace_back(to);
    for (auto& r : c.query(std::string("SELECT id, org_id, rep_id, day, body, version, updated_at FROM ") + table +
                               " WHERE org_id = ? AND rep_id IN (" + placeholders(part.size()) + ") AND day >= ? AND day <= ? "
                               "ORDER BY day DESC, updated_at DESC",
                           p))
      out.push_back({r.i64(0), r.i64(1), r.i64(2), r.str(3), r.str(4), r.i64(5), r.i64(6)});
  });
  return out;
}
}  // namespace

std::vector<DayNote> Tx::reviews_between(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to) {
  return notes_between(c_, "reviews", org, reps, from, to);
}
std::vector<DayNote> Tx::plans_between(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to) {
  return notes_between(c_, "plans", org, reps, from, to);
}

std::optional<DayNote> Tx::get_review_by_id(Id org, Id id) {
  auto r = c_.query_one("SELECT id, org_id, rep_id, day, body, version, updated_at FROM reviews WHERE org_id = ? AND id = ?",
                        {org, id});
  if (!r) return std::nullopt;
  return DayNote{r->i64(0), r->i64(1), r->i64(2), r->str(3), r->str(4), r->i64(5), r->i64(6)};
}

std::optional<Deal> Tx::get_deal(Id org, Id id) {
  auto r = c_.query_one("SELECT id, org_id, company_id, rep_id, amount, signed_on, created_at FROM deals WHERE org_id = ? AND id = ?",
                        {org, id});
  if (!r) return std::nullopt;
  return Deal{r->i64(0), r->i64(1), r->i64(2), r->i64(3), r->i64(4), r->str(5), r->i64(6), ""};
}

std::vector<Tx::FitRow> Tx::fit_rows(Id org) {
  std::vector<FitRow> out;
  for (auto& r : c_.query(
           "SELECT c.effective_by, COALESCE((SELECT t.style FROM contacts t WHERE t.org_id = c.org_id AND t.company_id = c.id "
           "AND t.is_payer = 1 AND t.style <> '' ORDER BY t.id LIMIT 1), ''), COUNT(*), SUM(CASE WHEN c.signed_at IS NOT "
           "NULL THEN 1 ELSE 0 END) FROM companies c WHERE c.org_id = ? AND c.effective_by IS NOT NULL AND c.deleted = 0 "
           "GROUP BY 1, 2 ORDER BY 1, 2",
           {org}))
    out.push_back({r.i64(0), r.str(1), r.i64(2), r.i64(3)});
  return out;
}

std::string Tx::payer_style(Id org, Id company) {
  auto r = c_.query_one("SELECT style FROM contacts WHERE org_id = ? AND company_id = ? AND is_payer = 1 AND style <> '' "
                        "ORDER BY id LIMIT 1",
                        {org, company});
  return r ? r->str(0) : "";
}

Id Tx::insert_values(Id org, Id user, Id assessor, const std::string& period, const std::array<int64_t, 6>& s,
                     const std::string& comment, Instant now) {
  return c_
      .query_one("INSERT INTO values_assessments(org_id, user_id, assessor_id, period, customer_first, teamwork, "
                 "embrace_change, integrity, passion, dedication, comment, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                 "RETURNING id",
                 {org, user, assessor, period, s[0], s[1], s[2], s[3], s[4], s[5], comment, now})
      ->i64(0);
}

std::vector<std::pair<Id, double>> Tx::latest_values(Id org) {
  std::vector<std::pair<Id, double>> out;
  for (auto& r : c_.query("SELECT v.user_id, (v.customer_first + v.teamwork + v.embrace_change + v.integrity + v.passion + "
                          "v.dedication) / 6.0 FROM values_assessments v WHERE v.org_id = ? AND v.id = (SELECT MAX(w.id) "
                          "FROM values_assessments w WHERE w.org_id = v.org_id AND w.user_id = v.user_id) ORDER BY v.user_id",
                          {org}))
    out.emplace_back(r.i64(0), r.f64(1));
  return out;
}

std::vector<json_row_t> Tx::list_values(Id org, Id user) {
  return c_.query("SELECT id, user_id, assessor_id, period, customer_first, teamwork, embrace_change, integrity, passion, "
                  "dedication, comment, created_at FROM values_assessments WHERE org_id = ? AND user_id = ? ORDER BY id DESC",
                  {org, user});
}

Id Tx::insert_training(Id org, Id user, const std::string& kind, const std::string& title, const std::string& day,
                       double hours, const std::string& notes, Id by, Instant now) {
  return c_
      .query_one("INSERT INTO training_records(org_id, user_id, kind, title, day, hours, notes, created_by, created_at) "
                 "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                 {org, user, kind, title, day, hours, notes, by, now})
      ->i64(0);
}

std::vector<json_row_t> Tx::list_training(Id org, const std::vector<Id>& users) {
  std::vector<json_row_t> out;
  chunked(users, 500, [&](const std::vector<Id>& part) {
    V p{org};
    push_ids(p, part);
    for (auto& r : c_.query("SELECT id, user_id, kind, title, day, hours, notes, created_by FROM training_records WHERE "
                            "org_id = ? AND user_id IN (" + placeholders(part.size()) + ") ORDER BY day DESC, id DESC",
                            p))
      out.push_back(r);
  });
  return out;
}

}  // namespace tj
