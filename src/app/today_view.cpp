// The rep's Today page in one answer (issue 15, part 1): GET /api/v1/views/today.
//
// What the page's first screen shows, for one rep on one day: the day's new-customer visits
// and effective new customers against the daily quotas, the last ten working days of the
// same (the trend chart), the rep's monthly and daily targets against results with pace
// (SPEC §3), the morning plan and evening share (null while not written: not an error),
// the names of the plan's companies, and the rep's alerts. The figures are those of
// GET /metrics/reps, /targets/progress, /plans/{date}, /reviews/{date} and /alerts; this view
// reads them in one request instead of about thirty.
#include <algorithm>

#include "app/views.h"

namespace tj {
using namespace detail;

Result<json> App::today_view(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "rep_id"}));
  TRY_ASSIGN(auto rep_q, q_int(q, "rep_id", 1, INT64_MAX));
  json out;
  Id rep_id = rep_q.value_or(a.user.id);
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Query vq;
    if (q.count("as_of")) vq["as_of"] = q.at("as_of");
    vq["rep_id"] = std::to_string(rep_id);
    TRY_ASSIGN(View v, load_view(tx, a, vq, clock_.now(), RepFilter::Allow, false));
    const User* u = v.rep(rep_id);
    if (!u) return not_found("rep");
    const Settings& s = v.settings;
    // A day's quota: the daily target (rep > team > setting) on a working day since hiring, else 0.
    auto hired = parse_date(u->hire_date);
    int64_t hire_day = hired ? days_from_civil(*hired) : INT64_MIN;
    auto owed = [&](int64_t d) { return d >= hire_day && method::is_working_day(s, d); };
    auto days = method::last_working_days(s, v.as_of, 10);
    int64_t first = std::min(days.empty() ? v.as_of : days.front(), v.as_of);
    std::map<std::string, DailyCount> by_day;
    for (auto& c : tx.daily_counts(a.org(), v.day(first), v.as_of_s, {rep_id})) by_day[c.day] = c;
    auto day_json = [&](int64_t d) {
      std::string ds = v.day(d);
      DailyCount c;
      if (auto it = by_day.find(ds); it != by_day.end()) c = it->second;
      bool o = owed(d);
      return json{{"day", ds},
                  {"visits", c.visits},
                  {"visits_new", v.visits_new(c)},
                  {"effective_new", c.effective_new},
                  {"deals", c.deals},
                  {"signed_amount", c.signed_amount},
                  {"quota_visits_new", o ? v.quota(*u, "visits_new") : 0},
                  {"quota_effective_new", o ? v.quota(*u, "effective_new") : 0}};
    };
    json trend = json::array();
    for (int64_t d : days) trend.push_back(day_json(d));

    // The rep's own targets and their team's (as GET /targets/progress shows a rep).
    std::vector<Target> mine;
    for (auto& t : v.targets)
      if ((t.scope == "rep" && t.scope_id == rep_id) || (t.scope == "team" && u->team_id && t.scope_id == *u->team_id))
        mine.push_back(t);
    json targets = json::array();
    for (auto& tp : target_progress(tx, a.org(), s, v.params, v.as_of, v.today, mine))
      targets.push_back(target_progress_json(tp));

    // The morning plan and the evening share: null until written.
    auto note = [&](Tx::NoteKind k) -> json {
      auto n = tx.get_note(k, a.org(), rep_id, v.as_of_s);
      if (!n) return nullptr;
      json j = json::parse(n->body_json, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return nullptr;
      j["rep_id"] = rep_id;
      j["date"] = v.as_of_s;
      j["version"] = n->version;
      return j;
    };
    json plan = note(Tx::NoteKind::Plan), review = note(Tx::NoteKind::Review);
    json today = day_json(v.as_of);
    if (review.is_object())
      review["results"] = {{"visits", today["visits"]},
                           {"visits_new", today["visits_new"]},
                           {"effective_new", today["effective_new"]},
                           {"deals", today["deals"]},
                           {"signed_amount", today["signed_amount"]}};
    // Names of the plan's companies that the caller may still see (a company since passed to
    // another rep is left out, as GET /companies/{id} would answer 404).
    json plan_companies = json::array();
    if (plan.is_object() && plan.contains("company_ids") && plan["company_ids"].is_array()) {
      std::vector<Id> ids;
      for (auto& x : plan["company_ids"])
        if (x.is_number_integer()) ids.push_back(x.get<Id>());
      for (Id id : ids) {
        auto c = visible_company(tx, a, id);
        if (c.ok()) plan_companies.push_back({{"id", c.value().id}, {"name", c.value().name}, {"status", to_string(c.value().status)}});
      }
    }
    out = {{"as_of", v.as_of_s},
           {"rep_id", rep_id},
           {"display_name", u->display_name},
           {"working_day", method::is_working_day(s, v.as_of)},
           {"today", today},
           {"trend", trend},
           {"targets", targets},
           {"plan", plan},
           {"plan_companies", plan_companies},
           {"review", review}};
    return ok_status();
  }));
  // The rep's alerts, as GET /alerts?rep_id= answers them (their own computation and transaction).
  Query aq{{"rep_id", std::to_string(rep_id)}, {"as_of", out["as_of"].get<std::string>()}, {"limit", "200"}};
  TRY_ASSIGN(json al, alerts(a, aq));
  out["alerts"] = al["items"];
  out["alerts_more"] = !al["next_cursor"].is_null();
  return out;
}

}  // namespace tj
