// The method's computed views: alerts, diagnosis, leaderboard, coaching (prospects: prospects.cpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "app/roles.h"
#include "app/messages.h"
#include "app/pool.h"
#include "method/verdicts.h"
#include "app/views.h"
#include "method/diagnosis.h"
#include "method/params.h"

namespace tj {
using namespace detail;
using method::message;

namespace {

std::string pct(double x) { return std::to_string(int(std::lround(x * 100))); }

json alert(const std::string& kind, std::optional<Id> company, Id rep, const std::string& msg, json extra = json::object()) {
  json j = {{"kind", kind}, {"company_id", company ? json(*company) : json(nullptr)}, {"rep_id", rep}, {"message", msg}};
  for (auto& [k, v] : extra.items()) j[k] = v;
  return j;
}

struct RepSums {
  int64_t visits = 0, visits_new = 0, effective_new = 0, deals = 0, reached_new = 0;
  VisitMinutes minutes;
  Fen signed_amount = 0;
};

std::map<Id, RepSums> sum_by_rep(const std::vector<DailyCount>& rows) {
  std::map<Id, RepSums> m;
  for (auto& d : rows) {
    auto& s = m[d.rep_id];
    s.visits += d.visits;
    s.visits_new += d.visits_new;
    s.reached_new += d.reached_new;
    s.effective_new += d.effective_new;
    s.deals += d.deals;
    s.signed_amount += d.signed_amount;
    s.minutes += d.minutes;
  }
  return m;
}

}  // namespace

// ---------- alerts ----------

// The alert kinds in the order a page lists them: company kinds by company id, then rep kinds
// by rep id. A cursor names the kind and the last id of the page before.
namespace {
struct KindInfo {
  const char* name;
  std::optional<AlertKind> company;  // nullopt: a rep kind
};
const KindInfo kAlertKinds[] = {
    {"time_sink_last_month", AlertKind::TimeSink}, {"sign_or_drop", AlertKind::SignOrDrop},
    {"find_payer", AlertKind::FindPayer},           {"not_effective", AlertKind::NotEffective},
    {"nurture_due", AlertKind::NurtureDue},         {"harvest_window", AlertKind::Harvest},
    {"pool_release_soon", std::nullopt},  // by company id (pool.cpp)
    {"low_new_share", std::nullopt},                {"below_quota", std::nullopt},
    {"behind_pace", std::nullopt}};
constexpr int kAlertKindCount = int(std::size(kAlertKinds));
// behind_pace pages over reps, then teams: a team's cursor key is this plus its id.
constexpr Id kTeamAlertKey = Id(1) << 40;

int alert_kind_index(std::string_view k) {
  for (int i = 0; i < kAlertKindCount; i++)
    if (k == kAlertKinds[i].name) return i;
  return -1;
}

// The opaque cursor holds [kind, last id]; nullopt when it is not one this list gave.
std::optional<std::pair<int, Id>> parse_alert_cursor(const std::string& s) {
  auto c = decode_cursor(s);
  if (!c || !c->is_array() || c->size() != 2 || !(*c)[0].is_string() || !(*c)[1].is_number_integer()) return std::nullopt;
  int k = alert_kind_index((*c)[0].get<std::string>());
  Id id = (*c)[1].get<Id>();
  if (k < 0 || id < 0) return std::nullopt;
  return std::pair{k, id};
}
}  // namespace

Result<json> App::alerts(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "rep_id", "team_id", "kind", "limit", "cursor"}));
  TRY_ASSIGN(auto limit_q, q_int(q, "limit", 1, 1000));
  const int limit = int(limit_q.value_or(100));
  std::string kind_filter = q.count("kind") ? q.at("kind") : "";
  if (!kind_filter.empty() && alert_kind_index(kind_filter) < 0) return field_error("kind", "unknown alert kind");
  int start_kind = 0;
  Id after = 0;
  if (q.count("cursor")) {
    auto c = parse_alert_cursor(q.at("cursor"));
    if (!c) return field_error("cursor", "not a cursor of this list");
    std::tie(start_kind, after) = *c;
  }
  Query vq = q;
  vq.erase("limit");
  vq.erase("cursor");
  json items = json::array();
  json next = nullptr;
  std::string as_of_s;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, vq, clock_.now(), RepFilter::Allow, false));
    as_of_s = v.as_of_s;
    auto reps = v.rep_ids();
    if (reps.empty()) return ok_status();
    bool zh = a.zh;
    const method::Params& P = v.params;
    // The rules' days and numbers (src/method): the rolling time-sink window, the harvest window.
    auto sink = method::time_sink_window(P, v.as_of);
    AlertRange range;
    range.month_from = v.day(sink.window_from);
    range.to = v.as_of_s;
    range.unsigned_after = v.as_of_end;
    range.first_by = v.day(sink.age_cutoff);
    range.harvest_to = v.day(method::harvest_end_range(P, v.as_of).second);
    std::vector<const User*> by_id;
    for (auto& u : v.reps) by_id.push_back(&u);
    std::sort(by_id.begin(), by_id.end(), [](const User* x, const User* y) { return x->id < y->id; });
    for (int k = start_kind; k < kAlertKindCount; k++, after = 0) {
      const KindInfo& ki = kAlertKinds[k];
      if (!kind_filter.empty() && kind_filter != ki.name) continue;
      const int room = limit - int(items.size());
      if (room <= 0) {
        // The page ended exactly at the end of the previous kind; go on from here.
        next = encode_cursor(json::array({ki.name, 0}));
        break;
      }
      // One more than fits tells whether this kind goes on past the page.
      std::vector<json> got;
      std::vector<Id> ids;
      if (ki.company) {
        range.min_visits = *ki.company == AlertKind::TimeSink     ? P.time_sink_visits
                           : *ki.company == AlertKind::SignOrDrop ? P.sign_or_drop_visits
                                                                  : P.not_effective_visits;
        for (auto& x : tx.alert_companies(a.org(), *ki.company, reps, range, after, room + 1)) {
          const Company& c = x.company;
          ids.push_back(c.id);
          switch (*ki.company) {
            case AlertKind::TimeSink:
              got.push_back(alert(ki.name, c.id, *c.owner_id,
                                  message("time_sink_last_month", zh,
                                          {{"company", c.name}, {"visits", std::to_string(x.visits_in_range)},
                                           {"first_day", x.first_day}, {"days", std::to_string(P.time_sink_window_days)}}),
                                  {{"company_name", c.name}, {"visits_this_month", x.visits_in_range},
                                   {"visits_in_window", x.visits_in_range}, {"window_from", range.month_from},
                                   {"first_visit_day", x.first_day}}));
              break;
            case AlertKind::Harvest:
              got.push_back(alert(ki.name, c.id, *c.owner_id,
                                  message("harvest_window", zh,
                                          {{"company", c.name}, {"competitor", c.competitor.empty() ? message("a_competitor", zh) : c.competitor},
                                           {"date", c.competitor_contract_end}}),
                                  {{"company_name", c.name}, {"competitor", c.competitor},
                                   {"competitor_contract_end", c.competitor_contract_end}}));
              break;
            case AlertKind::SignOrDrop:
              got.push_back(alert(ki.name, c.id, *c.owner_id,
                                  message("sign_or_drop", zh, {{"company", c.name}, {"visits", std::to_string(x.payer_visits)}}),
                                  {{"company_name", c.name}, {"payer_visits", x.payer_visits}}));
              break;
            case AlertKind::FindPayer:
              got.push_back(alert(ki.name, c.id, *c.owner_id,
                                  message("find_payer", zh, {{"company", c.name}, {"visits", std::to_string(x.visits)}}),
                                  {{"company_name", c.name}, {"visits", x.visits}, {"missing", {"payer"}}}));
              break;
            case AlertKind::NotEffective: {
              json missing = json::array();
              std::vector<std::string> words;
              auto add = [&](bool has, const char* key, const char* code) {
                if (has) return;
                missing.push_back(code);
                words.push_back(message(key, zh));
              };
              add(c.need, "missing_need", "need");
              add(c.budget, "missing_budget", "budget");
              got.push_back(alert(ki.name, c.id, *c.owner_id,
                                  message("not_effective", zh,
                                          {{"company", c.name},
                                           {"visits", std::to_string(x.visits)},
                                           {"missing", join_list(words, zh, "list.and")}}),
                                  {{"company_name", c.name}, {"visits", x.visits}, {"missing", missing}}));
              break;
            }
            case AlertKind::NurtureDue:
              got.push_back(alert(ki.name, c.id, *c.owner_id,
                                  message("nurture_due", zh, {{"company", c.name}, {"date", c.revisit_on}, {"reason", c.nurture_reason}}),
                                  {{"company_name", c.name}, {"revisit_on", c.revisit_on}}));
              break;
          }
        }
      } else if (std::string_view(ki.name) == "pool_release_soon") {
        // Owned, unsigned companies the daily job releases within pool_warn_days (pool.cpp).
        const PoolNumbers pn = pool_numbers(v.settings);
        Instant clock_before = v.as_of_end + 1 + int64_t(pn.warn_days - pn.release_days) * 86400;
        for (auto& [c, start] : tx.pool_release_due(a.org(), reps, clock_before, after, room + 1)) {
          std::string day = pool_release_day(*v.tz, start, pn);
          int64_t left = v.tz->local_day(start + int64_t(pn.release_days) * 86400) - v.as_of;
          ids.push_back(c.id);
          got.push_back(alert(ki.name, c.id, *c.owner_id, pool_release_message(zh, c.name, day, left, pn),
                              {{"company_name", c.name}, {"release_on", day}, {"days_left", std::max<int64_t>(left, 0)},
                               {"actions", method::alert_actions(ki.name, a.user.role, *c.owner_id == a.user.id)}}));
        }
      } else if (std::string_view(ki.name) == "low_new_share") {
        // 80/20 over the ISO week containing as_of, its finished days up to as_of
        auto wk = method::new_share_range(v.as_of, v.today);
        if (!wk) continue;
        auto sums = sum_by_rep(tx.daily_counts(a.org(), v.day(wk->first), v.day(wk->second), reps));
        for (const User* u : by_id) {
          if (u->id <= after) continue;
          auto it = sums.find(u->id);
          if (it == sums.end() || !method::low_new_share(P, it->second.minutes)) continue;
          double share = *method::new_share(P, it->second.minutes);
          ids.push_back(u->id);
          got.push_back(alert(ki.name, std::nullopt, u->id,
                              message("low_new_share", zh, {{"share", pct(share)}, {"min", pct(P.new_share_min)}}),
                              {{"new_share", share}, {"week_start", v.day(wk->first)}, {"through", v.day(wk->second)}}));
          if (int(got.size()) > room) break;
        }
      } else if (std::string_view(ki.name) == "below_quota") {
        // The last finished working day (a day in progress is not a miss).
        auto judged = method::below_quota_day(v.settings, v.as_of, v.today);
        if (!judged) continue;
        const std::string day = v.day(*judged);
        std::map<Id, DailyCount> counts;
        for (auto& d : tx.daily_counts(a.org(), day, day, reps)) counts[d.rep_id] = d;
        for (const User* u : by_id) {
          if (u->id <= after) continue;
          if (auto hd = parse_date(u->hire_date); hd && days_from_civil(*hd) > *judged) continue;  // not hired yet
          auto d = counts.count(u->id) ? counts[u->id] : DailyCount{};
          int64_t vn = v.visits_new(d);
          int64_t qv = v.quota(*u, "visits_new"), qe = v.quota(*u, "effective_new");
          if (method::on_quota(vn, d.effective_new, qv, qe)) continue;
          ids.push_back(u->id);
          got.push_back(alert(ki.name, std::nullopt, u->id,
                              message("below_quota", zh,
                                      {{"date", day},
                                       {"visits_new", std::to_string(vn)},
                                       {"quota_visits", std::to_string(qv)},
                                       {"effective_new", std::to_string(d.effective_new)},
                                       {"quota_effective", std::to_string(qe)}}),
                              {{"day", day}, {"visits_new", vn}, {"quota_visits_new", qv}, {"effective_new", d.effective_new},
                               {"quota_effective_new", qe}}));
          if (int(got.size()) > room) break;
        }
      } else {  // behind_pace: the reps' own monthly targets against their results
        std::vector<Target> monthly;
        std::set<Id> in_view(reps.begin(), reps.end());
        for (auto& t : v.targets)
          if (t.period == "month" && t.scope == "rep" && in_view.count(t.scope_id) && t.scope_id > after) monthly.push_back(t);
        std::sort(monthly.begin(), monthly.end(), [](const Target& x, const Target& y) {
          return std::tie(x.scope_id, x.metric) < std::tie(y.scope_id, y.metric);
        });
        std::map<Id, json> per_rep;  // one alert per rep, naming each target behind
        for (auto& tp : target_progress(tx, a.org(), v.settings, P, v.as_of, v.today, monthly)) {
          if (!tp.behind) continue;
          json& j = per_rep[tp.target.scope_id];
          if (j.is_null()) j = json::array();
          j.push_back({{"target_id", tp.target.id}, {"metric", tp.target.metric}, {"value", tp.target.value},
                       {"actual", tp.actual}, {"attainment", *tp.attainment}, {"pace", tp.pace.pace}});
        }
        for (auto& [rep, behind] : per_rep) {
          const json& t0 = behind[0];
          ids.push_back(rep);
          got.push_back(alert(ki.name, std::nullopt, rep,
                              message("behind_pace", zh,
                                      {{"metric", message("metric_" + t0["metric"].get<std::string>(), zh)},
                                       {"actual", std::to_string(t0["actual"].get<int64_t>())},
                                       {"value", std::to_string(t0["value"].get<int64_t>())},
                                       {"attainment", pct(t0["attainment"].get<double>())},
                                       {"pace", pct(t0["pace"].get<double>())}}),
                              {{"targets", behind}}));
          if (int(got.size()) > room) break;
        }
        // ... then the monthly targets of the teams in view (managers, directors and the admin;
        // not when the caller asked about one rep). Their cursor keys follow every rep id.
        if (int(got.size()) <= room && a.user.role != Role::Rep && !vq.count("rep_id")) {
          std::set<Id> teams_in_view;
          if (a.scope.kind == Scope::All)
            for (auto& t : tx.list_teams(a.org())) teams_in_view.insert(t.id);
          else
            teams_in_view.insert(a.scope.team_ids.begin(), a.scope.team_ids.end());
          if (auto tq = vq.find("team_id"); tq != vq.end()) {
            std::set<Id> narrowed;
            for (Id t : tx.team_subtree(a.org(), {std::stoll(tq->second)}))
              if (teams_in_view.count(t)) narrowed.insert(t);
            teams_in_view = std::move(narrowed);
          }
          std::vector<Target> team_monthly;
          for (auto& t : v.targets)
            if (t.period == "month" && t.scope == "team" && teams_in_view.count(t.scope_id) &&
                kTeamAlertKey + t.scope_id > after)
              team_monthly.push_back(t);
          std::sort(team_monthly.begin(), team_monthly.end(), [](const Target& x, const Target& y) {
            return std::tie(x.scope_id, x.metric) < std::tie(y.scope_id, y.metric);
          });
          std::map<Id, json> per_team;
          for (auto& tp : target_progress(tx, a.org(), v.settings, P, v.as_of, v.today, team_monthly)) {
            if (!tp.behind) continue;
            json& j = per_team[tp.target.scope_id];
            if (j.is_null()) j = json::array();
            j.push_back({{"target_id", tp.target.id}, {"metric", tp.target.metric}, {"value", tp.target.value},
                         {"actual", tp.actual}, {"attainment", *tp.attainment}, {"pace", tp.pace.pace}});
          }
          std::map<Id, std::string> team_names;
          if (!per_team.empty())
            for (auto& t : tx.list_teams(a.org())) team_names[t.id] = t.name;
          for (auto& [team, behind] : per_team) {
            const json& t0 = behind[0];
            ids.push_back(kTeamAlertKey + team);
            json j = {{"kind", ki.name},
                      {"company_id", nullptr},
                      {"rep_id", nullptr},
                      {"team_id", team},
                      {"team_name", team_names[team]},
                      {"message", message("behind_pace_team", zh,
                                          {{"team", team_names[team]},
                                           {"metric", message("metric_" + t0["metric"].get<std::string>(), zh)},
                                           {"attainment", pct(t0["attainment"].get<double>())},
                                           {"pace", pct(t0["pace"].get<double>())}})},
                      {"targets", behind}};
            got.push_back(std::move(j));
            if (int(got.size()) > room) break;
          }
        }
      }
      // What the caller can do about each (src/method decides by kind and role); a team's
      // alert names no rep to nudge or to accompany.
      for (auto& j : got)
        j["actions"] = j["rep_id"].is_null() && j.contains("team_id")
                           ? json::array()
                           : json(method::alert_actions(j["kind"].get<std::string>(), a.user.role,
                                                        j["rep_id"].is_number() && j["rep_id"].get<Id>() == a.user.id));
      for (size_t i = 0; i < got.size() && int(i) < room; i++) items.push_back(std::move(got[i]));
      if (int(got.size()) > room) {
        next = encode_cursor(json::array({ki.name, ids[size_t(room) - 1]}));
        break;
      }
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}, {"as_of", as_of_s}};
}

// ---------- diagnosis ----------

Result<json> App::diagnosis(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id"}));
  if (!allows(roles::kDiagnosis, a.user.role)) return refusal(roles::kDiagnosis);
  json out;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Forbid, false));
    auto reps = v.rep_ids();
    bool zh = a.zh;
    const method::Params& P = v.params;
    // source: the last diagnosis_window_days days vs the as many before
    const int64_t W = P.diagnosis_window_days;
    int64_t cur0 = v.as_of - (W - 1), prev0 = v.as_of - (2 * W - 1), prev1 = v.as_of - W;
    auto stats_for = [&](int64_t from, int64_t to) {
      return tx.source_counts(a.org(), reps, v.tz->start_of_local_day(from), v.tz->start_of_local_day(to + 1), v.day(from), v.day(to));
    };
    auto cur = stats_for(cur0, v.as_of), prev = stats_for(prev0, prev1);
    int64_t ci = 0, ce = 0, pi = 0, pe = 0;
    std::map<std::string, std::pair<Tx::SourceRow, Tx::SourceRow>> by;
    for (auto& s : cur) {
      ci += s.intake;
      ce += s.effective;
      by[s.source].first = s;
    }
    for (auto& s : prev) {
      pi += s.intake;
      pe += s.effective;
      by[s.source].second = s;
    }
    auto rate = [](int64_t e, int64_t i) { return i ? json(double(e) / double(i)) : json(nullptr); };
    json sources = json::array();
    for (auto& [name, pr] : by)
      sources.push_back({{"source", name.empty() ? "unknown" : name},
                         {"intake", pr.first.intake}, {"effective", pr.first.effective}, {"effective_rate", rate(pr.first.effective, pr.first.intake)},
                         {"previous_intake", pr.second.intake}, {"previous_effective", pr.second.effective},
                         {"previous_effective_rate", rate(pr.second.effective, pr.second.intake)}});
    std::vector<method::SourceFigures> per_source;
    per_source.reserve(by.size());
    for (auto& [name, pr] : by)
      per_source.push_back({name.empty() ? "unknown" : name, pr.first.intake, pr.first.effective, pr.second.intake, pr.second.effective});
    auto sv = method::judge_source({"", ci, ce, pi, pe}, per_source, P.diagnosis_share);
    bool source_failing = sv.failing();
    json source_measures = json::array();
    if (sv.intake_failing) source_measures.push_back("intake");
    if (sv.rate_failing) source_measures.push_back("effective_rate");
    json source = {{"failing", source_failing},
                   {"failing_measures", source_measures},
                   {"period", {{"from", v.day(cur0)}, {"to", v.as_of_s}}},
                   {"previous_period", {{"from", v.day(prev0)}, {"to", v.day(prev1)}}},
                   {"intake", ci},
                   {"effective", ce},
                   {"effective_rate", rate(ce, ci)},
                   {"previous_intake", pi},
                   {"previous_effective", pe},
                   {"previous_effective_rate", rate(pe, pi)},
                   {"by_source", sources},
                   {"message", i18n::pick(zh, sv.message_zh, sv.message_en)}};
    // people and system over the last quota_adjust_days finished working days
    auto days = method::adjustment_days(v.settings, P, v.as_of, v.today);
    std::map<Id, std::map<std::string, DailyCount>> daily;
    if (!days.empty())
      for (auto& d : tx.daily_counts(a.org(), v.day(days.front()), v.day(days.back()), reps, Tx::DailyFields::Quota))
        daily[d.rep_id][d.day] = d;
    double new_sum = 0, vet_sum = 0;
    int new_n = 0, vet_n = 0;
    std::vector<std::vector<int64_t>> eff_series, visit_series;
    for (auto& u : v.reps) {
      std::vector<int64_t> e, vn;
      int64_t eff_total = 0;
      for (auto d : days) {
        auto& m = daily[u.id];
        auto it = m.find(v.day(d));
        int64_t ev = it == m.end() ? 0 : it->second.effective_new;
        e.push_back(ev);
        vn.push_back(it == m.end() ? 0 : v.visits_new(it->second));
        eff_total += ev;
      }
      eff_series.push_back(e);
      visit_series.push_back(vn);
      int64_t quota = v.quota(u, "effective_new") * int64_t(days.size());
      double att = quota ? double(eff_total) / double(quota) : 1.0;
      bool is_new = false;
      if (auto hd = parse_date(u.hire_date)) is_new = v.as_of - days_from_civil(*hd) < P.new_hire_days;
      (is_new ? new_sum : vet_sum) += att;
      (is_new ? new_n : vet_n)++;
    }
    json nh = new_n ? json(new_sum / new_n) : json(nullptr), vt = vet_n ? json(vet_sum / vet_n) : json(nullptr);
    auto pv = method::judge_people(new_n ? std::optional<double>(new_sum / new_n) : std::nullopt,
                                   vet_n ? std::optional<double>(vet_sum / vet_n) : std::nullopt, P.new_hire_days,
                                   P.diagnosis_share);
    bool people_failing = pv.failing;
    json people = {{"failing", people_failing},
                   {"lagging", pv.lagging.empty() ? json(nullptr) : json(pv.lagging)},
                   {"new_hires", {{"count", new_n}, {"attainment", nh}}},
                   {"veterans", {{"count", vet_n}, {"attainment", vt}}},
                   {"tenure_days", P.new_hire_days},
                   {"message", i18n::pick(zh, pv.message_zh, pv.message_en)}};
    std::optional<int64_t> team_e, team_v;
    if (q.count("team_id")) {
      for (auto& t : v.targets)
        if (t.scope == "team" && t.period == "day" && std::to_string(t.scope_id) == q.at("team_id")) {
          if (t.metric == "effective_new") team_e = t.value;
          if (t.metric == "visits_new") team_v = t.value;
        }
    }
    int quota_e = int(method::pick_quota(std::nullopt, team_e, P.quota_effective_new));
    int quota_v = int(method::pick_quota(std::nullopt, team_v, P.quota_visits_new));
    auto sys_e = method::suggest_quota(eff_series, quota_e, P.quota_adjust_share);
    auto sys_v = method::suggest_quota(visit_series, quota_v, P.quota_adjust_share);
    auto sys_json = [&](const char* metric, const method::QuotaSuggestion& s) {
      return json{{"metric", metric}, {"current", s.current}, {"suggested", s.suggested},
                  {"failing", s.suggested < s.current}, {"reaching_share", s.reaching_share},
                  {"working_days", days.size()}, {"rep_medians", s.medians}};
    };
    json system = sys_json("effective_new", sys_e);
    system["also"] = json::array({sys_json("visits_new", sys_v)});
    auto syv = method::judge_system({{"effective_new", sys_e.current, sys_e.suggested, sys_e.reaching_share},
                                     {"visits_new", sys_v.current, sys_v.suggested, sys_v.reaching_share}},
                                    P.quota_adjust_share);
    bool system_failing = syv.failing;
    system["failing"] = system_failing;
    system["failing_measures"] = syv.failing_metrics;
    system["message"] = i18n::pick(zh, syv.message_zh, syv.message_en);
    std::string first = source_failing ? "source" : people_failing ? "people" : system_failing ? "system" : "none";
    out = {{"as_of", v.as_of_s}, {"source", source}, {"people", people}, {"system", system}, {"first_failing", first},
           {"message", first == "none" ? json(message("all_ok", zh))
                                       : (first == "source" ? source["message"] : first == "people" ? people["message"] : system["message"])}};
    return ok_status();
  }));
  return out;
}

// ---------- leaderboard ----------

Result<json> App::leaderboard(const Actor& a, const Query& q) {
  TRY(q_only(q, {"period", "metric", "as_of", "team_id"}));
  std::string period = q.count("period") ? q.at("period") : "month";
  std::string metric = q.count("metric") ? q.at("metric") : "signed_amount";
  if (period != "day" && period != "week" && period != "month") return field_error("period", "must be day, week or month");
  static const std::set<std::string> metrics = {"signed_amount", "deals", "effective_new", "visits", "visits_new", "conversion", "new_share"};
  if (!metrics.count(metric))
    return field_error("metric", "must be signed_amount, deals, effective_new, visits, visits_new, conversion or new_share");
  json out;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Forbid, true));
    int64_t from = period == "day" ? v.as_of : period == "week" ? method::iso_week_start(v.as_of) : method::month_start(v.as_of);
    auto reps = v.rep_ids();
    auto sums = sum_by_rep(tx.daily_counts(a.org(), v.day(from), v.as_of_s, reps));
    std::map<Id, std::pair<int64_t, int64_t>> conv;  // effective, signed
    for (auto& r : tx.conversion_by_rep(a.org(), reps, v.day(from), v.as_of_s)) conv[r.rep_id] = {r.effective, r.signed_};
    struct Row {
      const User* u;
      RepSums s;
      json conversion, new_share;
      double value;
    };
    std::vector<Row> rows;
    for (auto& u : v.reps) {
      Row r{&u, sums[u.id], nullptr, nullptr, 0};
      auto [e, sg] = conv[u.id];
      if (e) r.conversion = double(sg) / double(e);
      if (auto ns = method::new_share(v.params, r.s.minutes)) r.new_share = *ns;
      r.value = metric == "signed_amount" ? double(r.s.signed_amount)
                : metric == "deals"       ? double(r.s.deals)
                : metric == "effective_new" ? double(r.s.effective_new)
                : metric == "visits"      ? double(r.s.visits)
                : metric == "visits_new"  ? double(method::visits_new_of(v.params, r.s.visits_new, r.s.reached_new))
                : metric == "conversion"  ? (r.conversion.is_null() ? 0.0 : r.conversion.get<double>())
                                          : (r.new_share.is_null() ? 0.0 : r.new_share.get<double>());
      rows.push_back(r);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      if (x.value != y.value) return x.value > y.value;
      return x.u->id < y.u->id;
    });
    auto figures = [&](const Row& r) {
      return json{{"signed_amount", r.s.signed_amount}, {"deals", r.s.deals}, {"effective_new", r.s.effective_new},
                  {"visits", r.s.visits}, {"visits_new", method::visits_new_of(v.params, r.s.visits_new, r.s.reached_new)},
                  {"conversion", r.conversion}, {"new_share", r.new_share}};
    };
    json items = json::array();
    int rank = 0;
    for (size_t i = 0; i < rows.size(); i++) {
      if (i == 0 || rows[i].value != rows[i - 1].value) rank = int(i) + 1;
      bool integral = metric != "conversion" && metric != "new_share";
      items.push_back({{"rep_id", rows[i].u->id}, {"display_name", rows[i].u->display_name}, {"team_id", null_or(rows[i].u->team_id)},
                       {"value", integral ? json(int64_t(rows[i].value)) : json(rows[i].value)}, {"rank", rank},
                       {"figures", figures(rows[i])}});
    }
    json bench = nullptr;
    if (!rows.empty() && rows[0].value > 0)
      bench = {{"rep_id", rows[0].u->id}, {"display_name", rows[0].u->display_name}, {"value", items[0]["value"]},
               {"figures", figures(rows[0])}};
    out = {{"items", std::move(items)},
           {"next_cursor", nullptr},
           {"benchmark", std::move(bench)},
           {"period", period},
           {"metric", metric},
           {"from", v.day(from)},
           {"to", v.as_of_s}};
    return ok_status();
  }));
  return out;
}

// ---------- coaching ----------

Result<json> App::coaching(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id", "rep_id", "visits", "limit", "cursor"}));
  // visits=none: each coached rep's accompanied visits as a count only (accompanied_count),
  // the compact answer the team page asks for (1,008 reps: 749 KB with every visit listed).
  bool list_visits = true;
  if (q.count("visits")) {
    if (q.at("visits") == "none") list_visits = false;
    else if (q.at("visits") != "all") return field_error("visits", "must be all or none");
  }
  // Paged by rep, in rep id order: `limit` reps (default kCoachingPage) after the cursor's rep.
  // Each page reads the day counters of its own reps only, so a page of an organisation of
  // 1,008 reps costs what a big team does (the whole answer took 105-192 ms on PostgreSQL).
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, kCoachingMaxPage));
  const size_t page = size_t(limit.value_or(kCoachingPage));
  Id after = 0;
  if (q.count("cursor") && !q.at("cursor").empty()) {
    auto c = decode_cursor(q.at("cursor"));
    if (!c || !c->is_object() || !c->contains("rep") || !(*c)["rep"].is_number_integer())
      return field_error("cursor", "is not a cursor this list gave");
    after = (*c)["rep"].get<Id>();
  }
  json items = json::array();
  json next = nullptr;
  std::string as_of_s;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Allow, false));
    as_of_s = v.as_of_s;
    // This page's reps: the first `page` in id order after the cursor's.
    std::sort(v.reps.begin(), v.reps.end(), [](const User& x, const User& y) { return x.id < y.id; });
    std::erase_if(v.reps, [&](const User& u) { return u.id <= after; });
    if (v.reps.size() > page) {
      v.reps.resize(page);
      next = encode_cursor(json{{"rep", v.reps.back().id}});
    }
    // The finished working days (a day in progress is not a miss) of the coaching window.
    auto days = method::coaching_days(v.settings, v.params, v.as_of, v.today);
    if (days.empty()) {  // no finished working day yet: nobody to judge, on any page
      next = nullptr;
      return ok_status();
    }
    auto reps = v.rep_ids();
    // Day strings and their positions, made once; then per rep the (new visits, effective new)
    // of each working day, by position.
    std::vector<std::string> day_s;
    std::unordered_map<std::string, size_t> day_at;
    for (size_t i = 0; i < days.size(); i++) {
      day_s.push_back(v.day(days[i]));
      day_at.emplace(day_s.back(), i);
    }
    struct DayFigures {
      int64_t visits_new = 0, effective_new = 0;
    };
    std::unordered_map<Id, std::vector<DayFigures>> daily;
    for (auto& d : tx.daily_counts(a.org(), day_s.front(), v.as_of_s, reps, Tx::DailyFields::Quota)) {
      auto it = day_at.find(d.day);
      if (it == day_at.end()) continue;  // not a working day
      auto& row = daily[d.rep_id];
      if (row.empty()) row.resize(days.size());
      row[it->second] = {v.visits_new(d), d.effective_new};
    }
    const std::vector<DayFigures> none(days.size());
    struct InCoaching {
      size_t item;
      Id rep;
      std::string since;
      size_t since_index;
      std::vector<double> att;
    };
    std::vector<InCoaching> coached;
    for (auto& u : v.reps) {
      int64_t qv = v.quota(u, "visits_new"), qe = v.quota(u, "effective_new");
      auto hired = parse_date(u.hire_date);
      int64_t hired_day = hired ? days_from_civil(*hired) : INT64_MIN;
      auto found = daily.find(u.id);
      const auto& fig = found == daily.end() ? none : found->second;
      std::vector<bool> on;
      std::vector<double> att;
      std::vector<size_t> rdays;  // positions of the working days since the rep joined
      for (size_t i = 0; i < days.size(); i++) {
        if (days[i] < hired_day) continue;
        rdays.push_back(i);
        on.push_back(method::on_quota(fig[i].visits_new, fig[i].effective_new, qv, qe));
        att.push_back(qe ? std::min(2.0, double(fig[i].effective_new) / double(qe)) : 1.0);
      }
      auto st = method::coaching_state(on, v.params.coaching_enter_days, v.params.coaching_leave_days);
      json j = {{"rep_id", u.id}, {"display_name", u.display_name}, {"team_id", null_or(u.team_id)},
                {"in_coaching", st.in_coaching}, {"streak_below", st.streak_below}, {"streak_on", st.streak_on}};
      if (st.in_coaching) {
        size_t si = *st.since_index;
        j["since"] = day_s[rdays[si]];
        coached.push_back({items.size(), u.id, day_s[rdays[si]], si, std::move(att)});
      }
      items.push_back(std::move(j));
    }
    if (coached.empty()) return ok_status();
    // The loop's record: accompanied visits since each coached rep entered coaching.
    std::vector<Id> coached_ids;
    std::string from = v.as_of_s;
    for (auto& c : coached) {
      coached_ids.push_back(c.rep);
      from = std::min(from, c.since);
    }
    std::unordered_map<Id, std::vector<Visit>> acc;
    for (auto& x : tx.accompanied_visits(a.org(), coached_ids, from, v.as_of_s)) acc[x.rep_id].push_back(x);
    for (auto& c : coached) {
      json& j = items[c.item];
      json visits = json::array();
      std::set<int64_t> stages;
      std::optional<int64_t> last_stage;
      int64_t count = 0;
      for (auto& x : acc[c.rep])
        if (x.day >= c.since) {
          count++;
          // visits=none (the Team page): the count only, no object per visit built and dropped
          if (list_visits)
            visits.push_back({{"visit_id", x.id},
                              {"day", x.day},
                              {"companion_id", null_or(x.companion_id)},
                              {"coaching_stage", null_or(x.coaching_stage)},
                              {"company_id", x.company_id}});
          if (x.coaching_stage) {
            stages.insert(*x.coaching_stage);
            last_stage = x.coaching_stage;
          }
        }
      j["accompanied_count"] = count;
      if (list_visits) j["accompanied_visits"] = std::move(visits);
      j["stage"] = last_stage ? json(*last_stage) : json(nullptr);
      j["stage_name"] = last_stage ? json(method::coaching_stage_name(int(*last_stage), a.zh)) : json(nullptr);
      j["stages_done"] = stages;
      // Does it work? Average attainment since entry against the coaching_compare_days before.
      double before = 0, after = 0;
      int nb = 0, na = 0;
      for (size_t i = 0; i < c.att.size(); i++) {
        if (i >= c.since_index) {
          after += c.att[i];
          na++;
        } else if (i + size_t(v.params.coaching_compare_days) >= c.since_index) {
          before += c.att[i];
          nb++;
        }
      }
      j["attainment_before"] = nb ? json(before / nb) : json(nullptr);
      j["attainment_since"] = na ? json(after / na) : json(nullptr);
      j["improving"] = nb && na && after / na > before / nb;
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", std::move(next)}, {"as_of", as_of_s}};
}

}  // namespace tj
