// The method's computed views: alerts, prospects, diagnosis, leaderboard, coaching.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "app/views.h"

namespace tj {
using namespace detail;
using method::message;

namespace {

std::string yuan(Fen f) {
  std::string s = std::to_string(f / 100);
  std::string out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (n && n % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    n++;
  }
  return out;
}

std::string pct(double x) { return std::to_string(int(std::lround(x * 100))); }

json alert(const std::string& kind, std::optional<Id> company, Id rep, const std::string& msg, json extra = json::object()) {
  json j = {{"kind", kind}, {"company_id", company ? json(*company) : json(nullptr)}, {"rep_id", rep}, {"message", msg}};
  for (auto& [k, v] : extra.items()) j[k] = v;
  return j;
}

struct RepSums {
  int64_t visits = 0, visits_new = 0, effective_new = 0, deals = 0, minutes_total = 0, minutes_new = 0;
  Fen signed_amount = 0;
};

std::map<Id, RepSums> sum_by_rep(const std::vector<DailyCount>& rows) {
  std::map<Id, RepSums> m;
  for (auto& d : rows) {
    auto& s = m[d.rep_id];
    s.visits += d.visits;
    s.visits_new += d.visits_new;
    s.effective_new += d.effective_new;
    s.deals += d.deals;
    s.signed_amount += d.signed_amount;
    s.minutes_total += d.minutes_total;
    s.minutes_new += d.minutes_new;
  }
  return m;
}

}  // namespace

// ---------- alerts ----------

Result<json> App::alerts(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "rep_id", "team_id", "kind"}));
  std::string kind_filter = q.count("kind") ? q.at("kind") : "";
  static const std::set<std::string> kinds = {"time_sink_last_month", "sign_or_drop", "not_effective", "find_payer",
                                              "nurture_due", "low_new_share", "below_quota"};
  if (!kind_filter.empty() && !kinds.count(kind_filter)) return field_error("kind", "unknown alert kind");
  json items = json::array();
  json meta;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Allow, false));
    meta = {{"as_of", v.as_of_s}, {"reps", v.reps.size()}};
    auto reps = v.rep_ids();
    if (reps.empty()) return ok_status();
    bool zh = a.zh;
    int64_t month0 = method::month_start(v.as_of), week0 = method::iso_week_start(v.as_of);
    std::string m0 = v.day(month0);

    // (a) first visited before this month, >= 2 visits this month by the view's reps, unsigned,
    // owned by one of them and not dropped: one indexed query.
    for (auto& x : tx.time_sink_companies(a.org(), reps, m0, v.as_of_s, v.as_of_end)) {
      const Company& c = x.company;
      items.push_back(alert("time_sink_last_month", c.id, *c.owner_id,
                            message("time_sink_last_month", zh, {{"company", c.name}, {"visits", std::to_string(x.visits_in_range)}}),
                            {{"company_name", c.name}, {"visits_this_month", x.visits_in_range}, {"first_visit_day", x.first_day}}));
    }
    // (b) and (c): companies with >= 2 visits now; counted up to as_of
    for (auto& x : tx.active_companies_visits(a.org(), reps, v.as_of_s, v.as_of_end)) {
      const Company& c = x.company;
      if (x.payer_visits >= 2)
        items.push_back(alert("sign_or_drop", c.id, *c.owner_id,
                              message("sign_or_drop", zh, {{"company", c.name}, {"visits", std::to_string(x.payer_visits)}}),
                              {{"company_name", c.name}, {"payer_visits", x.payer_visits}}));
      if (x.visits >= 3 && !(c.need && c.budget && c.payer_met)) {
        if (!c.payer_met) {
          items.push_back(alert("find_payer", c.id, *c.owner_id,
                                message("find_payer", zh, {{"company", c.name}, {"visits", std::to_string(x.visits)}}),
                                {{"company_name", c.name}, {"visits", x.visits}, {"missing", {"payer"}}}));
        } else {
          json missing = json::array();
          std::string words;
          auto add = [&](bool has, const char* key, const char* code) {
            if (has) return;
            missing.push_back(code);
            if (!words.empty()) words += zh ? "、" : " and ";
            words += message(key, zh);
          };
          add(c.need, "missing_need", "need");
          add(c.budget, "missing_budget", "budget");
          items.push_back(alert("not_effective", c.id, *c.owner_id,
                                message("not_effective", zh,
                                        {{"company", c.name}, {"visits", std::to_string(x.visits)}, {"missing", words}}),
                                {{"company_name", c.name}, {"visits", x.visits}, {"missing", missing}}));
        }
      }
    }
    // nurture due
    for (auto& c : tx.nurture_due(a.org(), reps, v.as_of_s))
      items.push_back(alert("nurture_due", c.id, *c.owner_id,
                            message("nurture_due", zh, {{"company", c.name}, {"date", c.revisit_on}, {"reason", c.nurture_reason}}),
                            {{"company_name", c.name}, {"revisit_on", c.revisit_on}}));
    // 80/20 over the ISO week up to as_of, and today's quota
    auto daily = tx.daily_counts(a.org(), v.day(week0), v.as_of_s, reps);
    auto week = sum_by_rep(daily);
    for (auto& u : v.reps) {
      auto it = week.find(u.id);
      if (it != week.end() && it->second.minutes_total > 0) {
        double share = double(it->second.minutes_new) / double(it->second.minutes_total);
        if (share < v.settings.new_share_min)
          items.push_back(alert("low_new_share", std::nullopt, u.id,
                                message("low_new_share", zh, {{"share", pct(share)}, {"min", pct(v.settings.new_share_min)}}),
                                {{"new_share", share}, {"week_start", v.day(week0)}}));
      }
    }
    if (method::is_working_day(v.settings, v.as_of)) {
      std::map<Id, DailyCount> today;
      for (auto& d : daily)
        if (d.day == v.as_of_s) today[d.rep_id] = d;
      for (auto& u : v.reps) {
        auto d = today.count(u.id) ? today[u.id] : DailyCount{};
        int64_t qv = v.quota(u, "visits_new"), qe = v.quota(u, "effective_new");
        if (d.visits_new < qv || d.effective_new < qe)
          items.push_back(alert("below_quota", std::nullopt, u.id,
                                message("below_quota", zh,
                                        {{"date", v.as_of_s},
                                         {"visits_new", std::to_string(d.visits_new)},
                                         {"quota_visits", std::to_string(qv)},
                                         {"effective_new", std::to_string(d.effective_new)},
                                         {"quota_effective", std::to_string(qe)}}),
                                {{"visits_new", d.visits_new}, {"quota_visits_new", qv}, {"effective_new", d.effective_new},
                                 {"quota_effective_new", qe}}));
      }
    }
    if (!kind_filter.empty()) {
      json kept = json::array();
      for (auto& it : items)
        if (it["kind"] == kind_filter) kept.push_back(it);
      items = kept;
    }
    meta = {{"as_of", v.as_of_s}, {"reps", v.reps.size()}};
    return ok_status();
  }));
  return json{{"items", items}, {"next_cursor", nullptr}, {"as_of", meta.value("as_of", "")}};
}

// ---------- prospects ----------

Result<json> App::prospects(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "rep_id", "limit"}));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 200));
  json items = json::array();
  std::string as_of_s;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Query q2 = q;
    q2.erase("limit");
    TRY_ASSIGN(View v, load_view(tx, a, q2, clock_.now(), RepFilter::Allow, false));
    as_of_s = v.as_of_s;
    Id rep = q.count("rep_id") ? v.reps.empty() ? a.user.id : v.reps.front().id : a.user.id;
    struct Best {
      int score = -1;
      SignedRef ref;
      ProspectRow row;
      int distance = 0;
    };
    std::map<Id, Best> best;
    // One candidate query per industry (ranks within 2 of any of its references), then each
    // candidate is scored against its industry's references in id order, as one query per
    // reference did.
    std::map<std::string, std::vector<SignedRef>> by_industry;
    for (auto& ref : tx.signed_refs(a.org(), v.as_of_end)) by_industry[ref.industry].push_back(ref);
    for (auto& [industry, refs] : by_industry) {
      std::set<int64_t> ranks;
      for (auto& ref : refs)
        for (int64_t r = ref.rank - 2; r <= ref.rank + 2; r++) ranks.insert(r);
      auto cands = tx.prospect_candidates_at(a.org(), industry, std::vector<int64_t>(ranks.begin(), ranks.end()), rep,
                                             v.settings.min_order_value, v.as_of_end);
      std::map<int64_t, std::vector<const ProspectRow*>> at_rank;  // candidates in id order per rank
      for (auto& p : cands) at_rank[*p.company.industry_rank].push_back(&p);
      for (auto& ref : refs)
        for (auto it = at_rank.lower_bound(ref.rank - 2); it != at_rank.end() && it->first <= ref.rank + 2; ++it)
          for (const ProspectRow* pp : it->second) {
            const ProspectRow& p = *pp;
            int dist = int(std::llabs(*p.company.industry_rank - ref.rank));
            method::ProspectInput in{dist, !p.company.competitor.empty(),
                                     p.company.budget_capacity.value_or(0) >= std::max<Fen>(ref.order, v.settings.min_order_value),
                                     p.payer_known};
            int score = method::prospect_score(in);
            auto& b = best[p.company.id];
            if (score > b.score || (score == b.score && ref.order > b.ref.order)) b = {score, ref, p, dist};
          }
    }
    std::vector<Best> list;
    for (auto& [id, b] : best) list.push_back(b);
    std::sort(list.begin(), list.end(), [](const Best& x, const Best& y) {
      if (x.score != y.score) return x.score > y.score;
      return x.row.company.budget_capacity.value_or(0) > y.row.company.budget_capacity.value_or(0);
    });
    bool zh = a.zh;
    for (auto& b : list) {
      if (int(items.size()) >= limit.value_or(50)) break;
      const Company& c = b.row.company;
      json reasons = json::array(), codes = json::array();
      reasons.push_back(message("reason_rank_adjacent", zh,
                                {{"ref", b.ref.name}, {"ref_rank", std::to_string(b.ref.rank)}, {"rank", std::to_string(*c.industry_rank)},
                                 {"distance", std::to_string(b.distance)}, {"industry", c.industry}}));
      codes.push_back(b.distance <= 1 ? "rank_adjacent_1" : "rank_adjacent_2");
      if (!c.competitor.empty()) {
        reasons.push_back(message("reason_competitor", zh, {{"competitor", c.competitor}}));
        codes.push_back("uses_competitor");
      }
      if (c.budget_capacity.value_or(0) >= std::max<Fen>(b.ref.order, v.settings.min_order_value)) {
        reasons.push_back(message("reason_budget_fit", zh,
                                  {{"budget", yuan(*c.budget_capacity)}, {"order", yuan(std::max<Fen>(b.ref.order, v.settings.min_order_value))}}));
        codes.push_back("budget_fit");
      }
      if (b.row.payer_known) {
        reasons.push_back(message("reason_payer_known", zh));
        codes.push_back("payer_known");
      }
      items.push_back({{"company_id", c.id},
                       {"company_name", c.name},
                       {"industry", c.industry},
                       {"industry_rank", *c.industry_rank},
                       {"budget_capacity", null_or(c.budget_capacity)},
                       {"owner_id", null_or(c.owner_id)},
                       {"status", to_string(c.status)},
                       {"score", b.score},
                       {"reference_company_id", b.ref.id},
                       {"reference_company_name", b.ref.name},
                       {"reference_rank", b.ref.rank},
                       {"reasons", reasons},
                       {"reason_codes", codes}});
    }
    return ok_status();
  }));
  return json{{"items", items}, {"next_cursor", nullptr}, {"as_of", as_of_s}};
}

// ---------- diagnosis ----------

Result<json> App::diagnosis(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id"}));
  if (a.user.role == Role::Rep) return forbidden("forbidden", "diagnosis is for managers and directors");
  json out;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Forbid, false));
    auto reps = v.rep_ids();
    bool zh = a.zh;
    // source: last 30 days vs the 30 before
    int64_t cur0 = v.as_of - 29, prev0 = v.as_of - 59, prev1 = v.as_of - 30;
    auto stats_for = [&](int64_t from, int64_t to) {
      return tx.source_stats(a.org(), reps, v.tz->start_of_local_day(from), v.tz->start_of_local_day(to + 1), v.day(from), v.day(to));
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
    bool source_failing = (pe > 0 && double(ce) < 0.8 * double(pe)) || (pi > 0 && double(ci) < 0.8 * double(pi));
    json source = {{"failing", source_failing},
                   {"period", {{"from", v.day(cur0)}, {"to", v.as_of_s}}},
                   {"previous_period", {{"from", v.day(prev0)}, {"to", v.day(prev1)}}},
                   {"intake", ci}, {"effective", ce}, {"effective_rate", rate(ce, ci)},
                   {"previous_intake", pi}, {"previous_effective", pe}, {"previous_effective_rate", rate(pe, pi)},
                   {"by_source", sources},
                   {"message", source_failing ? message("source_failing", zh, {{"current", std::to_string(ce)}, {"previous", std::to_string(pe)}}) : ""}};
    // people and system over the last 20 working days
    auto days = method::last_working_days(v.settings, v.as_of, 20);
    std::map<Id, std::map<std::string, DailyCount>> daily;
    if (!days.empty())
      for (auto& d : tx.daily_counts(a.org(), v.day(days.front()), v.day(days.back()), reps)) daily[d.rep_id][d.day] = d;
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
        vn.push_back(it == m.end() ? 0 : it->second.visits_new);
        eff_total += ev;
      }
      eff_series.push_back(e);
      visit_series.push_back(vn);
      int64_t quota = v.quota(u, "effective_new") * int64_t(days.size());
      double att = quota ? double(eff_total) / double(quota) : 1.0;
      bool is_new = false;
      if (auto hd = parse_date(u.hire_date)) is_new = v.as_of - days_from_civil(*hd) < 90;
      (is_new ? new_sum : vet_sum) += att;
      (is_new ? new_n : vet_n)++;
    }
    json nh = new_n ? json(new_sum / new_n) : json(nullptr), vt = vet_n ? json(vet_sum / vet_n) : json(nullptr);
    bool people_failing = false;
    if (new_n && vet_n) {
      double lo = std::min(new_sum / new_n, vet_sum / vet_n), hi = std::max(new_sum / new_n, vet_sum / vet_n);
      people_failing = lo < 0.8 * hi;
    }
    json people = {{"failing", people_failing},
                   {"new_hires", {{"count", new_n}, {"attainment", nh}}},
                   {"veterans", {{"count", vet_n}, {"attainment", vt}}},
                   {"tenure_days", 90},
                   {"message", people_failing ? message("people_failing", zh,
                                                        {{"new_hires", nh.is_null() ? "-" : pct(nh.get<double>()) + "%"},
                                                         {"veterans", vt.is_null() ? "-" : pct(vt.get<double>()) + "%"}})
                                              : ""}};
    int quota_e = v.settings.quota_effective_new, quota_v = v.settings.quota_visits_new;
    if (q.count("team_id")) {
      for (auto& t : v.targets)
        if (t.scope == "team" && t.period == "day" && std::to_string(t.scope_id) == q.at("team_id")) {
          if (t.metric == "effective_new") quota_e = int(t.value);
          if (t.metric == "visits_new") quota_v = int(t.value);
        }
    }
    auto sys_e = method::suggest_quota(eff_series, quota_e);
    auto sys_v = method::suggest_quota(visit_series, quota_v);
    auto sys_json = [&](const char* metric, const method::QuotaSuggestion& s) {
      return json{{"metric", metric}, {"current", s.current}, {"suggested", s.suggested},
                  {"failing", s.suggested < s.current}, {"reaching_share", s.reaching_share},
                  {"working_days", days.size()}, {"rep_medians", s.medians}};
    };
    json system = sys_json("effective_new", sys_e);
    system["also"] = json::array({sys_json("visits_new", sys_v)});
    bool system_failing = sys_e.suggested < sys_e.current || sys_v.suggested < sys_v.current;
    system["failing"] = system_failing;
    const auto& worst = sys_e.suggested < sys_e.current ? sys_e : sys_v;
    system["message"] = system_failing ? message("system_failing", zh,
                                                 {{"share", pct(worst.reaching_share)}, {"current", std::to_string(worst.current)},
                                                  {"suggested", std::to_string(worst.suggested)}})
                                       : "";
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
    for (auto& r : tx.conversion_rows(a.org(), reps, v.day(from), v.as_of_s)) {
      conv[r.rep_id].first++;
      conv[r.rep_id].second += r.signed_;
    }
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
      if (r.s.minutes_total) r.new_share = double(r.s.minutes_new) / double(r.s.minutes_total);
      r.value = metric == "signed_amount" ? double(r.s.signed_amount)
                : metric == "deals"       ? double(r.s.deals)
                : metric == "effective_new" ? double(r.s.effective_new)
                : metric == "visits"      ? double(r.s.visits)
                : metric == "visits_new"  ? double(r.s.visits_new)
                : metric == "conversion"  ? (r.conversion.is_null() ? 0.0 : r.conversion.get<double>())
                                          : (r.new_share.is_null() ? 0.0 : r.new_share.get<double>());
      rows.push_back(r);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      if (x.value != y.value) return x.value > y.value;
      return x.u->id < y.u->id;
    });
    auto figures = [](const Row& r) {
      return json{{"signed_amount", r.s.signed_amount}, {"deals", r.s.deals}, {"effective_new", r.s.effective_new},
                  {"visits", r.s.visits}, {"visits_new", r.s.visits_new}, {"conversion", r.conversion}, {"new_share", r.new_share}};
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
    out = {{"items", items}, {"next_cursor", nullptr}, {"benchmark", bench}, {"period", period}, {"metric", metric},
           {"from", v.day(from)}, {"to", v.as_of_s}};
    return ok_status();
  }));
  return out;
}

// ---------- coaching ----------

Result<json> App::coaching(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id", "rep_id"}));
  json items = json::array();
  std::string as_of_s;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Allow, false));
    as_of_s = v.as_of_s;
    auto days = method::last_working_days(v.settings, v.as_of, 40);
    if (days.empty()) return ok_status();
    auto reps = v.rep_ids();
    std::map<Id, std::map<std::string, DailyCount>> daily;
    for (auto& d : tx.daily_counts(a.org(), v.day(days.front()), v.as_of_s, reps)) daily[d.rep_id][d.day] = d;
    std::map<Id, std::vector<Visit>> acc;
    for (auto& x : tx.accompanied_visits(a.org(), reps, v.day(days.front()), v.as_of_s)) acc[x.rep_id].push_back(x);
    for (auto& u : v.reps) {
      int64_t qv = v.quota(u, "visits_new"), qe = v.quota(u, "effective_new");
      std::vector<bool> on;
      std::vector<double> att;
      auto hired = parse_date(u.hire_date);
      int64_t hired_day = hired ? days_from_civil(*hired) : INT64_MIN;
      std::vector<int64_t> rdays;  // days before the rep joined do not count
      for (auto d : days)
        if (d >= hired_day) rdays.push_back(d);
      for (auto d : rdays) {
        auto& m = daily[u.id];
        auto it = m.find(v.day(d));
        DailyCount c = it == m.end() ? DailyCount{} : it->second;
        on.push_back(c.visits_new >= qv && c.effective_new >= qe);
        att.push_back(qe ? std::min(2.0, double(c.effective_new) / double(qe)) : 1.0);
      }
      auto st = method::coaching_state(on);
      json j = {{"rep_id", u.id}, {"display_name", u.display_name}, {"team_id", null_or(u.team_id)},
                {"in_coaching", st.in_coaching}, {"streak_below", st.streak_below}, {"streak_on", st.streak_on}};
      if (st.in_coaching) {
        size_t si = *st.since_index;
        std::string since = v.day(rdays[si]);
        j["since"] = since;
        json visits = json::array();
        std::set<int64_t> stages;
        std::optional<int64_t> last_stage;
        for (auto& x : acc[u.id])
          if (x.day >= since) {
            visits.push_back({{"visit_id", x.id}, {"day", x.day}, {"companion_id", null_or(x.companion_id)},
                              {"coaching_stage", null_or(x.coaching_stage)}, {"company_id", x.company_id}});
            if (x.coaching_stage) {
              stages.insert(*x.coaching_stage);
              last_stage = x.coaching_stage;
            }
          }
        j["accompanied_visits"] = visits;
        j["stage"] = last_stage ? json(*last_stage) : json(nullptr);
        j["stage_name"] = last_stage ? json(method::coaching_stage_name(int(*last_stage), a.zh)) : json(nullptr);
        j["stages_done"] = stages;
        // Does it work? Average attainment since entry against the 10 days before.
        double before = 0, after = 0;
        int nb = 0, na = 0;
        for (size_t i = 0; i < rdays.size(); i++) {
          if (i >= si) {
            after += att[i];
            na++;
          } else if (i + 10 >= si) {
            before += att[i];
            nb++;
          }
        }
        j["attainment_before"] = nb ? json(before / nb) : json(nullptr);
        j["attainment_since"] = na ? json(after / na) : json(nullptr);
        j["improving"] = nb && na && after / na > before / nb;
      }
      items.push_back(j);
    }
    return ok_status();
  }));
  return json{{"items", items}, {"next_cursor", nullptr}, {"as_of", as_of_s}};
}

}  // namespace tj
