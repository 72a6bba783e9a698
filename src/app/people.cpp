// People: values assessments (the six values, 1–5), training records and the
// talent matrix; and the daily jobs (public-pool release).
#include <map>

#include "app/messages.h"
#include "app/roles.h"
#include "app/views.h"
#include "store/counters.h"

namespace tj {
using namespace detail;

namespace {
const char* kValues[6] = {"customer_first", "teamwork", "embrace_change", "integrity", "passion", "dedication"};
}

Result<json> App::add_values(const Actor& a, const json& body) {
  if (!allows(roles::kValues, a.user.role)) return refusal(roles::kValues);
  TRY_ASSIGN(auto f, Fields::of(body, {"user_id", "period", "customer_first", "teamwork", "embrace_change", "integrity",
                                        "passion", "dedication", "comment"}));
  TRY_ASSIGN(auto user, f.integer("user_id", 1, INT64_MAX));
  TRY_ASSIGN(auto period, f.str("period", true, 20));
  TRY_ASSIGN(auto comment, f.str("comment", false, 2000));
  std::array<int64_t, 6> s{};
  for (int i = 0; i < 6; i++) {
    TRY_ASSIGN(s[i], f.integer(kValues[i], 1, 5));
  }
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto u = tx.get_user(a.org(), user);
    if (!u || !user_in_scope(tx, a, *u) || u->id == a.user.id) return not_found("user");
    Id id = tx.insert_values(a.org(), user, a.user.id, period, s, comment, now);
    out = {{"id", id}, {"user_id", user}, {"period", period}, {"assessor_id", a.user.id}, {"comment", comment}};
    double sum = 0;
    for (int i = 0; i < 6; i++) {
      out[kValues[i]] = s[i];
      sum += double(s[i]);
    }
    out["average"] = sum / 6;
    audit(tx, a, now, "create", "values_assessment", id, nullptr, out);
    return ok_status();
  }));
  return out;
}

Result<json> App::list_values(const Actor& a, const Query& q) {
  TRY(q_only(q, {"user_id"}));
  TRY_ASSIGN(auto user, q_int(q, "user_id", 1, INT64_MAX));
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    Id uid = user.value_or(a.user.id);
    auto u = tx.get_user(a.org(), uid);
    if (!u || !user_in_scope(tx, a, *u)) return not_found("user");
    for (auto& r : tx.list_values(a.org(), uid)) {
      json j = {{"id", r.i64(0)}, {"user_id", r.i64(1)}, {"assessor_id", r.i64(2)}, {"period", r.str(3)}, {"comment", r.str(10)}};
      double sum = 0;
      for (int i = 0; i < 6; i++) {
        j[kValues[i]] = r.i64(4 + i);
        sum += double(r.i64(4 + i));
      }
      j["average"] = sum / 6;
      items.push_back(j);
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::add_training(const Actor& a, const json& body) {
  if (!allows(roles::kTraining, a.user.role)) return refusal(roles::kTraining);
  TRY_ASSIGN(auto f, Fields::of(body, {"user_id", "kind", "title", "date", "hours", "notes"}));
  TRY_ASSIGN(auto user, f.integer("user_id", 1, INT64_MAX));
  TRY_ASSIGN(auto kind, f.str("kind", true, 20));
  TRY_ASSIGN(auto title, f.str("title", true, 200));
  TRY_ASSIGN(auto date, f.opt_date("date"));
  TRY_ASSIGN(auto notes, f.str("notes", false, 2000));
  if (kind != "values" && kind != "mindset" && kind != "skills") return field_error("kind", "must be values, mindset or skills");
  double hours = 0;
  if (f.has("hours")) {
    const auto& h = body.at("hours");
    if (!h.is_number() || h.get<double>() < 0 || h.get<double>() > 200) return field_error("hours", "must be a number from 0 to 200");
    hours = h.get<double>();
  }
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto u = tx.get_user(a.org(), user);
    if (!u || !user_in_scope(tx, a, *u)) return not_found("user");
    auto tz = TimeZone::get(tx.get_settings(a.org()).timezone);
    std::string day = date.value_or(tz ? tz->local_date(now) : format_date(civil_from_days(now / 86400)));
    Id id = tx.insert_training(a.org(), user, kind, title, day, hours, notes, a.user.id, now);
    out = {{"id", id}, {"user_id", user}, {"kind", kind}, {"title", title}, {"date", day}, {"hours", hours}, {"notes", notes}};
    audit(tx, a, now, "create", "training", id, nullptr, out);
    return ok_status();
  }));
  return out;
}

Result<json> App::list_training(const Actor& a, const Query& q) {
  TRY(q_only(q, {"user_id", "team_id"}));
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    Query q2;
    if (q.count("team_id")) q2["team_id"] = q.at("team_id");
    std::vector<Id> users;
    if (q.count("user_id")) {
      TRY_ASSIGN(auto uid, q_int(q, "user_id", 1, INT64_MAX));
      auto u = tx.get_user(a.org(), *uid);
      if (!u || !user_in_scope(tx, a, *u)) return not_found("user");
      users.push_back(*uid);
    } else {
      TRY_ASSIGN(View v, load_view(tx, a, q2, clock_.now(), RepFilter::Forbid, false));
      users = v.rep_ids();
    }
    for (auto& r : tx.list_training(a.org(), users))
      items.push_back({{"id", r.i64(0)}, {"user_id", r.i64(1)}, {"kind", r.str(2)}, {"title", r.str(3)}, {"date", r.str(4)},
                       {"hours", r.f64(5)}, {"notes", r.str(6)}, {"created_by", null_or(r.opt_i64(7))}});
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::talent(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id"}));
  if (!allows(roles::kTalent, a.user.role)) return refusal(roles::kTalent);
  json items = json::array();
  std::string as_of;
  int window = 0;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Forbid, false));
    as_of = v.as_of_s;
    window = v.params.talent_window_days;
    auto days = method::last_working_days(v.settings, v.as_of, window);
    std::unordered_map<Id, int64_t> eff;
    if (!days.empty()) eff = tx.effective_new_sums(a.org(), v.day(days.front()), v.as_of_s, v.rep_ids());
    std::map<Id, double> values;
    for (auto& [u, avg] : tx.latest_values(a.org())) values[u] = avg;
    for (auto& u : v.reps) {
      int64_t quota = v.quota(u, "effective_new") * int64_t(days.size());
      double perf = quota ? double(eff[u.id]) / double(quota) : 0;
      // The figures behind performance, so the chart and the list show the same numbers (issue 15).
      json j = {{"rep_id", u.id}, {"display_name", u.display_name}, {"team_id", null_or(u.team_id)}, {"performance", perf},
                {"effective_new", eff[u.id]}, {"quota_effective_new", quota}};
      if (values.count(u.id)) {
        j["values"] = values[u.id];
        j["category"] = method::to_string(method::talent_of(perf, values[u.id]));
      } else {
        j["values"] = nullptr;
        j["category"] = nullptr;  // not assessed yet
      }
      items.push_back(j);
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}, {"as_of", as_of}, {"working_days", window}};
}

Result<json> App::run_jobs(bool force) {
  auto now = clock_.now();
  std::vector<Org> orgs;
  TRY(store_.read([&](Tx& tx) -> Status {
    orgs = tx.list_orgs();
    return ok_status();
  }));
  json report = json::array();
  for (auto& o : orgs) {
    int64_t released = 0;
    bool skipped = false;
    TRY(store_.write([&](Tx& tx) -> Status {
      released = 0;  // the function may run again when PostgreSQL retries a serialization failure
      skipped = false;
      Settings s = tx.get_settings(o.id);
      auto tz = TimeZone::get(s.timezone);
      std::string today = tz ? tz->local_date(now) : format_date(civil_from_days(now / 86400));
      if (!force && tx.job_ran(o.id, "pool_release", today)) {
        skipped = true;
        return ok_status();
      }
      Actor system;
      system.user.org_id = o.id;
      system.user.id = 0;
      Instant before = now - int64_t(s.pool_release_days) * 86400;
      for (;;) {
        auto batch = tx.stale_owned(o.id, before, 1000);
        int64_t before_count = released;
        for (auto& c : batch) {
          json old = {{"owner_id", *c.owner_id}, {"status", to_string(c.status)}};
          int64_t ver = c.version;
          c.owner_id.reset();
          // The clock starts at the last visit, claim or assignment (stale_owned), so the reason says so.
          // Stored once for every reader: the Chinese text, then the English in brackets.
          i18n::Args days = {{"days", std::to_string(s.pool_release_days)}};
          c.drop_reason = tr("pool.release_reason", true, days) + " (" + tr("pool.release_reason", false, days) + ")";
          c.updated_at = now;
          if (!tx.update_company(c, ver)) continue;
          audit(tx, system, now, "release", "company", c.id, old, json{{"owner_id", nullptr}, {"reason", c.drop_reason}});
          released++;
        }
        if (batch.size() < 1000 || released == before_count) break;
      }
      tx.record_job(o.id, "pool_release", today, json{{"released", released}}.dump(), now);
      return ok_status();
    }));
    report.push_back({{"org_id", o.id}, {"job", "pool_release"}, {"released", released}, {"skipped", skipped}});
  }
  // Idempotency-Keys are remembered for a day (migration 0015): older rows go.
  int64_t pruned = 0;
  TRY(store_.write([&](Tx& tx) -> Status {
    pruned = tx.prune_idempotency_keys(now - 86400);
    return ok_status();
  }));
  report.push_back({{"job", "idempotency_prune"}, {"deleted", pruned}});
  // PostgreSQL keeps the view counters as insert-only deltas (migration 0016): fold them
  // into the base rows at every run, so the deltas stay a day's writes at most.
  for (auto& o : orgs) {
    int64_t folded = 0;
    bool pg = false;
    TRY(store_.write([&](Tx& tx) -> Status {
      pg = tx.conn().dialect() == db::Dialect::Postgres;
      folded = fold_counters(tx.conn(), o.id);
      return ok_status();
    }));
    if (pg) report.push_back({{"org_id", o.id}, {"job", "fold_counters"}, {"rows", folded}});
  }
  return json{{"jobs", report}};
}

}  // namespace tj
