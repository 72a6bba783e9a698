// The daily rhythm (morning plan, evening share), rep metrics and the audit log.
#include "app/internal.h"
#include "method/method.h"
#include "method/verdicts.h"

namespace tj {
using namespace detail;

namespace {

std::string today_in(const std::string& tzname, Instant now) {
  auto tz = TimeZone::get(tzname);
  return tz ? tz->local_date(now) : format_date(civil_from_days(now / 86400));
}

}  // namespace

Result<json> App::put_note(const Actor& a, Tx::NoteKind k, const std::string& date, const json& body) {
  if (!parse_date(date)) return bad_request("invalid_date", "the date must be YYYY-MM-DD");
  Result<Fields> fr = k == Tx::NoteKind::Plan
                          ? Fields::of(body, {"company_ids", "goal", "visits_planned", "notes", "version"})
                          : Fields::of(body, {"wins", "problems", "help_wanted", "notes", "version"});
  if (!fr.ok()) return fr.take_error();
  Fields& f = fr.value();
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  json stored = json::object();
  if (k == Tx::NoteKind::Plan) {
    TRY_ASSIGN(auto goal, f.str("goal", false, 1000));
    TRY_ASSIGN(auto planned, f.opt_int("visits_planned", 0, 100));
    TRY_ASSIGN(auto notes, f.str("notes", false, 5000));
    json ids = json::array();
    if (f.has("company_ids")) {
      const auto& v = body.at("company_ids");
      if (!v.is_array() || v.size() > 50) return field_error("company_ids", "must be a list of at most 50 company ids");
      for (auto& x : v) {
        if (!x.is_number_integer() || x.get<int64_t>() < 1) return field_error("company_ids", "must be company ids");
        ids.push_back(x.get<int64_t>());
      }
    }
    stored = {{"company_ids", ids}, {"goal", goal}, {"visits_planned", null_or(planned)}, {"notes", notes}};
  } else {
    for (auto key : {"wins", "problems", "help_wanted", "notes"}) {
      TRY_ASSIGN(auto s, f.str(key, false, 5000));
      stored[key] = s;
    }
  }
  auto now = clock_.now();
  json out;
  const char* entity = k == Tx::NoteKind::Plan ? "plan" : "review";
  TRY(store_.write([&](Tx& tx) -> Status {
    if (k == Tx::NoteKind::Plan)
      for (auto& id : stored["company_ids"])
        if (!visible_company(tx, a, id.get<int64_t>()).ok()) return field_error("company_ids", "no such company: " + id.dump());
    auto existing = tx.get_note(k, a.org(), a.user.id, date);
    if (existing && version && *version != existing->version) return stale(std::string("the ") + entity);
    DayNote n{0, a.org(), a.user.id, date, stored.dump(), existing ? existing->version + 1 : 1, now};
    if (!tx.put_note(k, n, existing ? existing->version : 0)) return stale(std::string("the ") + entity);
    out = stored;
    out["rep_id"] = a.user.id;
    out["date"] = date;
    out["version"] = n.version;
    audit(tx, a, now, existing ? "update" : "create", entity, a.user.id,
          existing ? json::parse(existing->body_json, nullptr, false) : json(nullptr), stored);
    return ok_status();
  }));
  return out;
}

Result<json> App::get_note(const Actor& a, Tx::NoteKind k, const std::string& date, const Query& q) {
  if (!parse_date(date)) return bad_request("invalid_date", "the date must be YYYY-MM-DD");
  TRY(q_only(q, {"rep_id"}));
  TRY_ASSIGN(auto rep, q_int(q, "rep_id", 1, INT64_MAX));
  Id rep_id = rep.value_or(a.user.id);
  json out;
  TRY(store_.read([&](Tx& tx) -> Status {
    auto u = tx.get_user(a.org(), rep_id);
    if (!u || !user_in_scope(tx, a, *u)) return not_found("rep");
    auto n = tx.get_note(k, a.org(), rep_id, date);
    if (!n) return not_found(k == Tx::NoteKind::Plan ? "plan" : "review");
    out = json::parse(n->body_json, nullptr, false);
    out["rep_id"] = rep_id;
    out["date"] = date;
    out["version"] = n->version;
    if (k == Tx::NoteKind::Review) {
      // The day's results come from the visits, not from what the rep typed.
      auto m = tx.rep_metrics(a.org(), date, date, rep_id);
      auto P = method::params_of(tx.get_settings(a.org()));
      json r = {{"visits", 0}, {"visits_new", 0}, {"effective_new", 0}, {"deals", 0}, {"signed_amount", 0}};
      if (!m.empty())
        r = {{"visits", m[0].visits}, {"visits_new", method::visits_new_of(P, m[0].visits_new, m[0].reached_new)},
             {"effective_new", m[0].effective_new},
             {"deals", m[0].deals}, {"signed_amount", m[0].signed_amount}};
      out["results"] = r;
    }
    return ok_status();
  }));
  return out;
}

Result<json> App::rep_metrics(const Actor& a, const Query& q) {
  TRY(q_only(q, {"from", "to", "team_id"}));
  TRY_ASSIGN(auto from_s, q_date(q, "from"));
  TRY_ASSIGN(auto to_s, q_date(q, "to"));
  TRY_ASSIGN(auto team, q_int(q, "team_id", 1, INT64_MAX));
  json items = json::array();
  json meta;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Settings s = tx.get_settings(a.org());
    std::string today = today_in(s.timezone, clock_.now());
    auto td = *parse_date(today);
    std::string from = from_s.value_or(format_date({td.y, td.m, 1}));
    std::string to = to_s.value_or(today);
    int64_t fd = days_from_civil(*parse_date(from)), tdd = days_from_civil(*parse_date(to));
    if (tdd < fd) return field_error("to", "must not be before from");
    if (tdd - fd > 400) return field_error("from", "the range may span at most 400 days");
    // Which reps: the caller's scope (a rep sees their own team), narrowed by team_id.
    // team_id narrows the scope, never widens it (issue 17, point 6).
    TRY_ASSIGN(std::vector<User> reps, users_in_view(tx, a, team, true));
    std::optional<Id> only = reps.size() == 1 ? std::optional<Id>(reps[0].id) : std::nullopt;
    auto rows = tx.rep_metrics(a.org(), from, to, only);
    std::map<Id, RepMetrics> by;
    for (auto& r : rows) by[r.rep_id] = r;
    int days = method::count_working_days(s, fd, tdd);
    auto targets = tx.list_targets(a.org());
    auto P = method::params_of(s);
    auto daily_quota = [&](const User& u, const std::string& metric, int dflt) -> int64_t {
      std::optional<int64_t> team_v, rep_v;
      for (auto& t : targets) {
        if (t.metric != metric || t.period != "day") continue;
        if (t.scope == "rep" && t.scope_id == u.id) rep_v = t.value;
        if (t.scope == "team" && u.team_id && t.scope_id == *u.team_id) team_v = t.value;
      }
      return method::pick_quota(rep_v, team_v, dflt);
    };
    for (auto& u : reps) {
      if (u.role != Role::Rep) continue;
      RepMetrics m = by.count(u.id) ? by[u.id] : RepMetrics{u.id};
      m.visits_new = method::visits_new_of(P, m.visits_new, m.reached_new);
      // A rep hired inside the range owes quota only from the hire date on.
      int rep_days = days;
      if (auto hd = parse_date(u.hire_date); hd && days_from_civil(*hd) > fd)
        rep_days = days_from_civil(*hd) > tdd ? 0 : method::count_working_days(s, days_from_civil(*hd), tdd);
      int64_t qe = daily_quota(u, "effective_new", s.quota_effective_new) * rep_days;
      int64_t qv = daily_quota(u, "visits_new", s.quota_visits_new) * rep_days;
      auto ns = method::new_share(P, m.minutes);
      json share = ns ? json(*ns) : json(nullptr);
      items.push_back({{"rep_id", u.id},
                       {"display_name", u.display_name},
                       {"team_id", null_or(u.team_id)},
                       {"active", u.active},
                       {"visits", m.visits},
                       {"visits_new", m.visits_new},
                       {"effective_new", m.effective_new},
                       {"deals", m.deals},
                       {"signed_amount", m.signed_amount},
                       {"new_share", share},
                       {"quota_effective_new", qe},
                       {"quota_visits_new", qv},
                       {"attainment", qe ? json(double(m.effective_new) / double(qe)) : json(nullptr)},
                       {"attainment_visits", qv ? json(double(m.visits_new) / double(qv)) : json(nullptr)}});
    }
    meta = {{"from", from}, {"to", to}, {"working_days", days}, {"timezone", s.timezone}};
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}, {"range", meta}};
}

Result<json> App::list_audit(const Actor& a, const Query& q) {
  TRY(q_only(q, {"entity", "entity_id", "limit"}));
  TRY_ASSIGN(auto id, q_int(q, "entity_id", 1, INT64_MAX));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 500));
  std::string entity = q.count("entity") ? q.at("entity") : "";
  if (entity.size() > 30) return field_error("entity", "unknown entity");
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    std::string tz = org_tz(tx, a.org());
    // An entry shows a caller only what they may read now (issue 17, point 5): one about a
    // company (or its contact, visit, deal, booking) the caller can no longer see, or about a
    // user out of their scope, keeps who / when / what, but its old and new values are withheld.
    std::map<Id, bool> company_ok;
    auto readable = [&](const AuditEntry& e, const json& o, const json& n) {
      if (a.user.role == Role::Admin) return true;
      std::optional<Id> cid;
      if (e.entity == "company" && e.entity_id) cid = e.entity_id;
      for (const json* j : {&o, &n})
        if (!cid && j->is_object() && j->contains("company_id") && (*j)["company_id"].is_number_integer())
          cid = (*j)["company_id"].get<Id>();
      if (cid) {
        auto it = company_ok.find(*cid);
        if (it == company_ok.end()) {
          auto c = tx.get_company(a.org(), *cid);
          it = company_ok.emplace(*cid, c && tx.company_visible(*c, a.scope, a.org())).first;
        }
        if (!it->second) return false;
      }
      if (e.entity == "user" && e.entity_id && *e.entity_id != a.user.id) {
        auto u = tx.get_user(a.org(), *e.entity_id);
        if (!u || !user_in_scope(tx, a, *u)) return false;
      }
      return true;
    };
    for (auto& e : tx.list_audit(a.org(), entity, id, int(limit.value_or(100)) * (a.user.role == Role::Admin ? 1 : 5))) {
      if (a.user.role != Role::Admin && e.action == "duplicate_attempt") {
        // 撞单 attempts are shown to the company's owner and their managers, not to the one who tried
        auto c = e.entity_id ? tx.get_company(a.org(), *e.entity_id) : std::nullopt;
        if (!c || !c->owner_id || !tx.company_visible(*c, a.scope, a.org())) continue;
      } else if (a.user.role != Role::Admin && (!e.user_id || *e.user_id != a.user.id)) {
        continue;  // others see their own
      }
      json o = e.old_json.empty() ? json(nullptr) : json::parse(e.old_json, nullptr, false);
      json n = e.new_json.empty() ? json(nullptr) : json::parse(e.new_json, nullptr, false);
      if (!readable(e, o, n)) {
        items.push_back({{"id", e.id}, {"at", opt_iso(e.at, tz)}, {"user_id", null_or(e.user_id)}, {"action", e.action},
                         {"entity", e.entity}, {"entity_id", null_or(e.entity_id)}, {"old", nullptr}, {"new", nullptr},
                         {"redacted", true}});
        if (int(items.size()) >= limit.value_or(100)) break;
        continue;
      }
      items.push_back({{"id", e.id},
                       {"at", opt_iso(e.at, tz)},
                       {"user_id", null_or(e.user_id)},
                       {"action", e.action},
                       {"entity", e.entity},
                       {"entity_id", null_or(e.entity_id)},
                       {"old", e.old_json.empty() ? json(nullptr) : json::parse(e.old_json, nullptr, false)},
                       {"new", e.new_json.empty() ? json(nullptr) : json::parse(e.new_json, nullptr, false)}});
      if (int(items.size()) >= limit.value_or(100)) break;
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

}  // namespace tj
