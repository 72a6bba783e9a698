// The manager's Team page in one answer: GET /api/v1/views/team (issue 15, Deliver 1).
// The day's board (GET /rhythm), the last ten working days, the month's funnel, targets
// against results with pace (GET /targets/progress), and per-team totals for a manager of
// several teams or a director. Every figure is the same use case's as the single endpoints
// (one source of truth), so the page and the API never disagree; the scope is theirs too.
// Each share that asks for help carries a proposed 陪访 booking (the rep, the company if the
// text names one of the rep's companies, and a slot), for the manager's one tap (issue 14.4).
#include <algorithm>

#include "app/roles.h"
#include "app/views.h"
#include "domain/names.h"

namespace tj {
using namespace detail;

namespace {

// How much of the company's name the text names: the longest run of the company's normalised
// key (names::company_key: legal form, spaces and punctuation dropped) found in the text's key,
// in characters; 0 under four characters (or under the whole key when it is shorter). People
// say the short name, without the city: "希望王主管明天陪访恒远化工" names "常州恒远化工有限公司".
size_t named_chars(const std::string& text_key, const std::string& company_key) {
  std::vector<size_t> at = {0};  // byte offset of each UTF-8 character, and the end
  for (size_t i = 0; i < company_key.size(); i++)
    if (i + 1 == company_key.size() || (static_cast<unsigned char>(company_key[i + 1]) & 0xC0) != 0x80) at.push_back(i + 1);
  size_t n = at.size() - 1;
  if (n == 0) return 0;
  size_t best = 0;
  for (size_t i = 0; i + best < n; i++)  // only a longer run than the best so far is looked for
    for (size_t j = i + best + 1; j <= n && text_key.find(company_key.data() + at[i], 0, at[j] - at[i]) != std::string::npos; j++)
      best = j - i;
  return best >= std::min<size_t>(4, n) ? best : 0;
}

}  // namespace

namespace detail {

json propose_help_booking(Tx& tx, const Actor& a, const View& v, Id rep_id, const std::string& help_text, const json& plan) {
  if (a.user.role == Role::Rep) return nullptr;  // reps do not book 陪访
  if (help_text.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  if (!v.rep(rep_id)) return nullptr;
  // A share is short; a long one is read up to its first 1,500 bytes (cut at a character's start).
  size_t cut = std::min<size_t>(help_text.size(), 1500);
  while (cut < help_text.size() && cut > 0 && (static_cast<unsigned char>(help_text[cut]) & 0xC0) == 0x80) cut--;
  std::string tk = names::company_key(help_text.substr(0, cut));
  std::optional<Company> found;
  size_t best = 0;  // the company the text names most of
  auto consider = [&](const Company& c) {
    if (c.owner_id && *c.owner_id != rep_id) return;
    if (c.status == CompanyStatus::Dropped && c.owner_id) return;
    if (size_t n = named_chars(tk, names::company_key(c.name)); n > best) {
      best = n;
      found = c;
    }
  };
  // The day's planned companies first, then the rep's own (the 500 most recently updated).
  if (plan.is_object() && plan.contains("company_ids") && plan["company_ids"].is_array())
    for (auto& cid : plan["company_ids"])
      if (cid.is_number_integer())
        if (auto c = tx.get_company(a.org(), cid.get<Id>())) consider(*c);
  if (!found) {
    CompanyQuery cq;
    cq.org_id = a.org();
    cq.scope = Scope{Scope::All, a.user.id, {}};
    cq.owner_id = rep_id;
    cq.sort = "updated_at";
    cq.desc = true;
    cq.limit = 500;
    for (auto& c : tx.list_companies(cq)) consider(c);
  }
  // The slot: the next working day after the organisation's today, 10:00 local.
  int64_t next = v.today + 1;
  for (int i = 0; i < 30 && !method::is_working_day(v.settings, next); i++) next++;
  return json{{"rep_id", rep_id}, {"review_id", nullptr},
              {"company_id", found ? json(found->id) : json(nullptr)},
              {"company_name", found ? json(found->name) : json(nullptr)},
              {"at", v.day(next) + "T10:00"}, {"stage", 1}};
}

}  // namespace detail

Result<json> App::team_view(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id"}));
  if (!allows(roles::kTeamView, a.user.role)) return refusal(roles::kTeamView);
  TRY_ASSIGN(auto team, q_int(q, "team_id", 1, INT64_MAX));
  // The board and the targets: the single endpoints' use cases, with the same query.
  TRY_ASSIGN(json board, rhythm_status(a, q));
  TRY_ASSIGN(json targets, targets_progress(a, q));
  const std::string as_of_s = board["date"].get<std::string>();
  const int64_t as_of = days_from_civil(*parse_date(as_of_s));
  // The month so far (as GET /metrics/reps?from=<month start>&to=<as_of>).
  Query mq = {{"from", format_date(civil_from_days(method::month_start(as_of)))}, {"to", as_of_s}};
  if (team) mq["team_id"] = std::to_string(*team);
  TRY_ASSIGN(json month, rep_metrics(a, mq));

  json trend = json::array(), teams = json::array(), help = json::object();
  std::string tzname;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Query vq = {{"as_of", as_of_s}};
    if (team) vq["team_id"] = std::to_string(*team);
    TRY_ASSIGN(View v, load_view(tx, a, vq, clock_.now(), RepFilter::Forbid, true));
    tzname = v.settings.timezone;
    // The last ten working days up to as_of: the team's new-customer visits and effective
    // new customers against the day's quota (reps hired later owe nothing before).
    auto days = method::last_working_days(v.settings, as_of, 10);
    if (!days.empty()) {
      auto reps = v.rep_ids();
      std::map<std::string, std::pair<int64_t, int64_t>> by_day;  // day -> (visits_new, effective_new)
      for (auto& d : tx.daily_counts(a.org(), v.day(days.front()), v.day(days.back()), reps, Tx::DailyFields::Quota)) {
        auto& s = by_day[d.day];
        s.first += v.visits_new(d);
        s.second += d.effective_new;
      }
      for (int64_t d : days) {
        std::string ds = v.day(d);
        int64_t qv = 0, qe = 0;
        for (auto& u : v.reps) {
          if (auto hd = parse_date(u.hire_date); hd && days_from_civil(*hd) > d) continue;
          qv += v.quota(u, "visits_new");
          qe += v.quota(u, "effective_new");
        }
        auto s = by_day.count(ds) ? by_day[ds] : std::pair<int64_t, int64_t>{0, 0};
        trend.push_back({{"day", ds}, {"visits_new", s.first}, {"effective_new", s.second},
                         {"quota_visits_new", qv}, {"quota_effective_new", qe}});
      }
    }
    // Per team: the day (from the board) and the month (from the metrics), each rep counted in
    // their own team. Only teams with reps in the view are listed.
    std::map<Id, json> per;
    auto slot = [&](std::optional<Id> tid) -> json& {
      Id k = tid.value_or(0);
      auto it = per.find(k);
      if (it == per.end()) {
        json t = {{"team_id", tid ? json(*tid) : json(nullptr)}, {"name", nullptr}, {"parent_id", nullptr},
                  {"manager_id", nullptr}, {"reps", 0}, {"plans_missing", 0}, {"reviews_missing", 0},
                  {"today", {{"visits", 0}, {"visits_new", 0}, {"effective_new", 0}, {"deals", 0}, {"signed_amount", 0},
                             {"quota_visits_new", 0}, {"quota_effective_new", 0}}},
                  {"month", {{"visits", 0}, {"visits_new", 0}, {"effective_new", 0}, {"deals", 0}, {"signed_amount", 0},
                             {"quota_visits_new", 0}, {"quota_effective_new", 0}}}};
        if (tid)
          if (auto tm = tx.get_team(a.org(), *tid)) {
            t["name"] = tm->name;
            t["parent_id"] = null_or(tm->parent_id);
            t["manager_id"] = null_or(tm->manager_id);
          }
        it = per.emplace(k, std::move(t)).first;
      }
      return it->second;
    };
    for (auto& it : board["items"]) {
      std::optional<Id> tid;
      if (it["team_id"].is_number_integer()) tid = it["team_id"].get<Id>();
      json& t = slot(tid);
      t["reps"] = t["reps"].get<int64_t>() + 1;
      if (!it["plan_submitted"].get<bool>()) t["plans_missing"] = t["plans_missing"].get<int64_t>() + 1;
      if (!it["review_submitted"].get<bool>()) t["reviews_missing"] = t["reviews_missing"].get<int64_t>() + 1;
      for (auto k : {"visits", "visits_new", "effective_new", "deals", "signed_amount", "quota_visits_new", "quota_effective_new"})
        t["today"][k] = t["today"][k].get<int64_t>() + it[k].get<int64_t>();
    }
    for (auto& it : month["items"]) {
      if (!it["active"].get<bool>()) continue;
      std::optional<Id> tid;
      if (it["team_id"].is_number_integer()) tid = it["team_id"].get<Id>();
      if (!per.count(tid.value_or(0))) continue;  // a team with no active rep in the view
      json& t = slot(tid);
      for (auto k : {"visits", "visits_new", "effective_new", "deals", "signed_amount", "quota_visits_new", "quota_effective_new"})
        t["month"][k] = t["month"][k].get<int64_t>() + it[k].get<int64_t>();
    }
    for (auto& [k, t] : per) {
      int64_t qe = t["month"]["quota_effective_new"].get<int64_t>();
      t["month"]["attainment"] = qe ? json(double(t["month"]["effective_new"].get<int64_t>()) / double(qe)) : json(nullptr);
      teams.push_back(t);
    }
    std::stable_sort(teams.begin(), teams.end(), [](const json& x, const json& y) {
      if (x["name"].is_null() != y["name"].is_null()) return y["name"].is_null();
      return x["name"].is_string() && y["name"].is_string() && x["name"].get<std::string>() < y["name"].get<std::string>();
    });
    // Help wanted → a proposed 陪访 (propose_help_booking).
    for (auto& it : board["items"]) {
      const json& r = it["review"];
      if (!r.is_object() || !r.contains("help_wanted") || !r["help_wanted"].is_string()) continue;
      Id rep_id = it["rep_id"].get<Id>();
      json hb = propose_help_booking(tx, a, v, rep_id, r["help_wanted"].get<std::string>(), it["plan"]);
      if (hb.is_null()) continue;
      hb["review_id"] = r.contains("id") ? r["id"] : json(nullptr);
      help[std::to_string(rep_id)] = hb;
    }
    return ok_status();
  }));
  for (auto& it : board["items"]) {
    auto k = std::to_string(it["rep_id"].get<Id>());
    it["help_booking"] = help.contains(k) ? help[k] : json(nullptr);
  }
  json msum = {{"visits", 0}, {"visits_new", 0}, {"effective_new", 0}, {"deals", 0}, {"signed_amount", 0}};
  for (auto& it : month["items"])
    for (auto k : {"visits", "visits_new", "effective_new", "deals", "signed_amount"}) msum[k] = msum[k].get<int64_t>() + it[k].get<int64_t>();
  msum["from"] = month["range"]["from"];
  msum["to"] = month["range"]["to"];
  return json{{"as_of", as_of_s},
              {"timezone", tzname},
              {"board", {{"items", board["items"]}, {"missing_plan", board["missing_plan"]}, {"missing_review", board["missing_review"]}}},
              {"trend", trend},
              {"month", msum},
              {"targets", targets["items"]},
              {"teams", teams}};
}

}  // namespace tj
