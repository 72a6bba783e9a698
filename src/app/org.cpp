// Teams, users, settings and targets.
#include <map>

#include "app/internal.h"
#include "app/roles.h"
#include "app/vocab.h"
#include "method/params.h"

namespace tj {
using namespace detail;

namespace {
json team_json(const Team& t) {
  return {{"id", t.id}, {"name", t.name}, {"parent_id", null_or(t.parent_id)}, {"manager_id", null_or(t.manager_id)},
          {"version", t.version}};
}

bool team_in_scope(const Actor& a, Id team) {
  if (a.scope.kind == Scope::All) return true;
  for (auto t : a.scope.team_ids)
    if (t == team) return true;
  return false;
}

json settings_json(const Settings& s) {
  json j = {{"timezone", s.timezone},
            {"session_idle_minutes", s.session_idle_minutes},
            {"working_days", s.working_days},
            {"holidays", s.holidays},
            {"version", s.version}};
  // The method's numbers: one table (src/method/params.h).
  for (auto& p : method::param_specs())
    std::visit([&](auto&& x) { j[p.name] = x; }, method::get_param(s, p));
  return j;
}

}  // namespace

json detail::target_json(const Target& t) {
  return {{"id", t.id},         {"scope", t.scope},   {"scope_id", t.scope_id}, {"metric", t.metric},
          {"period", t.period}, {"value", t.value},   {"reason", t.reason},     {"set_by", null_or(t.set_by)},
          {"version", t.version}};
}

// ---------- teams ----------

Result<json> App::list_teams(const Actor& a) {
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    for (auto& t : tx.list_teams(a.org())) items.push_back(team_json(t));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::create_team(const Actor& a, const json& body) {
  if (!allows(roles::kCreateTeam, a.user.role)) return refusal(roles::kCreateTeam);
  TRY_ASSIGN(auto f, Fields::of(body, {"name", "parent_id", "manager_id"}));
  TRY_ASSIGN(auto name, f.str("name", true, 100));
  TRY_ASSIGN(auto parent, f.opt_int("parent_id", 1, INT64_MAX));
  TRY_ASSIGN(auto manager, f.opt_int("manager_id", 1, INT64_MAX));
  if (a.user.role == Role::Director && !parent) return field_error("parent_id", "a director creates teams inside their own");
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    if (parent && (!tx.get_team(a.org(), *parent) || !team_in_scope(a, *parent))) return field_error("parent_id", "no such team");
    if (manager) {
      auto m = tx.get_user(a.org(), *manager);
      if (!m || !user_in_scope(tx, a, *m)) return field_error("manager_id", "no such user");
      if (m->role == Role::Rep) return field_error("manager_id", "a team's manager must have the manager, director or admin role");
    }
    Team t;
    t.org_id = a.org();
    t.name = name;
    t.parent_id = parent;
    t.manager_id = manager;
    t.created_at = now;
    t.id = tx.insert_team(t);
    out = team_json(t);
    audit(tx, a, now, "create", "team", t.id, nullptr, out);
    return ok_status();
  }));
  return out;
}

Result<json> App::patch_team(const Actor& a, Id id, const json& body) {
  if (!allows(roles::kChangeTeam, a.user.role)) return refusal(roles::kChangeTeam);
  TRY_ASSIGN(auto f, Fields::of(body, {"name", "parent_id", "manager_id", "version"}));
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  TRY_ASSIGN(auto name, f.opt_str("name", 100));
  TRY_ASSIGN(auto parent, f.opt_int("parent_id", 1, INT64_MAX));
  TRY_ASSIGN(auto manager, f.opt_int("manager_id", 1, INT64_MAX));
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto t = tx.get_team(a.org(), id);
    if (!t || !team_in_scope(a, id)) return not_found("team");
    if (version && *version != t->version) return stale("the team");
    json old = team_json(*t);
    if (name) {
      if (name->empty()) return field_error("name", "must not be empty");
      t->name = *name;
    }
    if (f.present("parent_id")) {
      if (parent) {
        if (!tx.get_team(a.org(), *parent) || !team_in_scope(a, *parent)) return field_error("parent_id", "no such team");
        for (auto sub : tx.team_subtree(a.org(), {id}))
          if (sub == *parent) return conflict("team_cycle", "a team cannot be placed under its own subtree");
      }
      t->parent_id = parent;
    }
    if (f.present("manager_id")) {
      if (manager) {
        auto m = tx.get_user(a.org(), *manager);
        if (!m || !user_in_scope(tx, a, *m)) return field_error("manager_id", "no such user");
        if (m->role == Role::Rep) return field_error("manager_id", "a team's manager must have the manager, director or admin role");
      }
      t->manager_id = manager;
    }
    if (!tx.update_team(*t, t->version)) return stale("the team");
    t->version++;
    out = team_json(*t);
    audit(tx, a, now, "update", "team", id, old, out);
    return ok_status();
  }));
  return out;
}

// ---------- users ----------

Result<json> App::list_users(const Actor& a, const Query& q) {
  TRY(q_only(q, {"team_id", "limit", "cursor"}));
  TRY_ASSIGN(auto team, q_int(q, "team_id", 1, INT64_MAX));
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    for (auto& u : tx.list_users(a.org())) {
      if (team && (!u.team_id || *u.team_id != *team)) continue;
      bool visible = user_in_scope(tx, a, u) ||
                     // reps see their teammates (the team leaderboard names them)
                     (a.user.role == Role::Rep && a.user.team_id && u.team_id && *u.team_id == *a.user.team_id);
      if (visible) items.push_back(to_json(u));
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::get_user(const Actor& a, Id id) {
  json out;
  TRY(store_.read([&](Tx& tx) -> Status {
    auto u = tx.get_user(a.org(), id);
    if (!u || !user_in_scope(tx, a, *u)) return not_found("user");
    out = to_json(*u);
    return ok_status();
  }));
  return out;
}

Result<json> App::create_user(const Actor& a, const json& body) {
  if (!allows(roles::kCreateUser, a.user.role)) return refusal(roles::kCreateUser);
  TRY_ASSIGN(auto f, Fields::of(body, {"username", "display_name", "password", "role", "team_id", "hire_date", "selling_style"}));
  TRY_ASSIGN(auto username, f.str("username", true, 64));
  TRY_ASSIGN(auto display, f.str("display_name", false, 100));
  TRY_ASSIGN(auto password, f.str("password", true, 200));
  TRY_ASSIGN(auto role_s, f.str("role", true, 20));
  TRY_ASSIGN(auto team, f.opt_int("team_id", 1, INT64_MAX));
  TRY_ASSIGN(auto hire, f.opt_date("hire_date"));
  TRY_ASSIGN(auto style, f.str("selling_style", false, 50));
  TRY_ASSIGN(style, resolve_style("selling_style", style));
  auto role = parse_role(role_s);
  if (!role) return field_error("role", "must be rep, manager, director or admin");
  if (password.size() < 8) return field_error("password", "needs at least 8 characters");
  for (unsigned char ch : username)
    if (ch <= ' ' || ch == '/' || ch == '\\') return field_error("username", "must not contain spaces or slashes");
  if (a.user.role != Role::Admin && (*role == Role::Admin || *role == Role::Director))
    return forbidden("forbidden", "only an admin can create directors and admins");
  if (a.user.role == Role::Manager && *role != Role::Rep) return forbidden("forbidden", "a manager can only create reps");
  if (a.user.role != Role::Admin && !team) return field_error("team_id", "is required");
  std::string hash = hash_password(password);  // outside the write lock: ~90 ms
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    if (team && (!tx.get_team(a.org(), *team) || !team_in_scope(a, *team))) return field_error("team_id", "no such team");
    if (tx.find_user_by_username(username)) return conflict("username_taken", "this username is taken");
    User u;
    u.org_id = a.org();
    u.username = username;
    u.display_name = display.empty() ? username : display;
    u.password_hash = hash;
    u.role = *role;
    u.team_id = team;
    u.hire_date = hire.value_or("");
    u.selling_style = style;
    u.created_at = now;
    u.id = tx.insert_user(u);
    out = to_json(u);
    audit(tx, a, now, "create", "user", u.id, nullptr, out);
    return ok_status();
  }));
  return out;
}

Result<json> App::patch_user(const Actor& a, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"display_name", "password", "current_password", "role", "team_id", "hire_date",
                                        "selling_style", "active", "version"}));
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  TRY_ASSIGN(auto display, f.opt_str("display_name", 100));
  TRY_ASSIGN(auto password, f.opt_str("password", 200));
  TRY_ASSIGN(auto current, f.opt_str("current_password", 200));
  TRY_ASSIGN(auto role_s, f.opt_str("role", 20));
  TRY_ASSIGN(auto team, f.opt_int("team_id", 1, INT64_MAX));
  TRY_ASSIGN(auto hire, f.opt_date("hire_date"));
  TRY_ASSIGN(auto style, f.opt_str("selling_style", 50));
  if (style) {
    TRY_ASSIGN(style, resolve_style("selling_style", *style));
  }
  TRY_ASSIGN(auto active, f.opt_bool("active"));
  bool self = id == a.user.id;
  bool admin_like = a.user.role != Role::Rep;
  if (!admin_like || self) {
    // Everyone may change their own name, style and password; nothing else.
    if (role_s || f.present("team_id") || active || hire)
      return self ? forbidden("forbidden", "you cannot change your own role, team, hire date or active state")
                  : Error(not_found("user"));
  }
  std::optional<Role> role;
  if (role_s) {
    role = parse_role(*role_s);
    if (!role) return field_error("role", "must be rep, manager, director or admin");
    if (a.user.role != Role::Admin && (*role == Role::Admin || *role == Role::Director))
      return forbidden("forbidden", "only an admin can grant the director or admin role");
    if (a.user.role == Role::Manager && *role != Role::Rep) return forbidden("forbidden", "a manager can only assign the rep role");
  }
  if (password && password->size() < 8) return field_error("password", "needs at least 8 characters");
  std::string new_hash;
  if (password) {
    if (self) {
      std::string cur_hash;
      if (!current) return field_error("current_password", "is required to change your own password");
      if (!verify_password(a.user.password_hash, *current)) return forbidden("wrong_password", "the current password is wrong");
    } else if (a.user.role != Role::Admin) {
      // A reset lets the resetter log in as the user: only the admin may, and it is forced
      // to be changed at the next login (issue 17, point 8).
      return forbidden("forbidden", "only an admin can reset another user's password");
    }
    new_hash = hash_password(*password);
  }
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto u = tx.get_user(a.org(), id);
    if (!u || !user_in_scope(tx, a, *u)) return not_found("user");
    if (!self && a.user.role != Role::Admin && (u->role == Role::Admin || u->role == Role::Director))
      return forbidden("forbidden", "only an admin can change directors and admins");
    if (version && *version != u->version) return stale("the user");
    json old = to_json(*u);
    if (display) u->display_name = display->empty() ? u->username : *display;
    if (style) u->selling_style = *style;
    if (hire) u->hire_date = *hire;
    if (role) u->role = *role;
    if (f.present("team_id")) {
      if (team && (!tx.get_team(a.org(), *team) || !team_in_scope(a, *team))) return field_error("team_id", "no such team");
      u->team_id = team;
    }
    if (active) u->active = *active;
    if (!new_hash.empty()) {
      u->password_hash = new_hash;
      u->must_change_password = !self;  // someone else's reset: the owner sets their own at the next login
    }
    if (!tx.update_user(*u, u->version)) return stale("the user");
    u->version++;
    if (active && !*active) {  // deactivation ends every session and token at once
      tx.delete_sessions_of(a.org(), id);
      tx.delete_tokens_of(a.org(), id);
    }
    if (!new_hash.empty()) tx.delete_sessions_of(a.org(), id, self ? a.session_hash : "");  // other sessions end
    if (!new_hash.empty() && !self) tx.delete_tokens_of(a.org(), id);  // a reset ends the bearer tokens too
    out = to_json(*u);
    json nj = out;
    if (!new_hash.empty()) nj["password"] = self ? "changed" : "reset";
    if (!new_hash.empty() && !self) nj["must_change_password"] = true;
    audit(tx, a, now, !new_hash.empty() && !self ? "password_reset" : "update", "user", id, old, nj);
    return ok_status();
  }));
  return out;
}

// ---------- settings ----------

Result<json> App::get_settings(const Actor& a) {
  json out;
  TRY(store_.read([&](Tx& tx) -> Status {
    out = settings_json(tx.get_settings(a.org()));
    out["industries"] = industries_json(org_industries(tx, a.org()));
    if (a.user.role == Role::Admin) {  // what migration 0011 mapped, added or cleared
      json rep = json::array();
      for (auto& r : vocab_store::vocabulary_report(tx, a.org()))
        rep.push_back({{"field", r.field}, {"value", r.value}, {"mapped_to", r.mapped_to}, {"action", r.action}, {"count", r.count}});
      out["vocabulary_report"] = rep;
    }
    return ok_status();
  }));
  return out;
}

Result<json> App::patch_settings(const Actor& a, const json& body) {
  if (!allows(roles::kChangeSettings, a.user.role)) return refusal(roles::kChangeSettings);
  if (!body.is_object()) return bad_request("invalid_body", "the request body must be a JSON object");
  // The method's numbers are checked by their one table (method::set_param); the rest here.
  json base = json::object();
  std::vector<std::pair<const method::ParamSpec*, method::ParamValue>> params;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const auto* p = method::find_param(it.key());
    if (!p) {
      base[it.key()] = it.value();
      continue;
    }
    const json& v = it.value();
    if (v.is_null()) continue;
    if (v.is_boolean()) params.emplace_back(p, v.get<bool>());
    else if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) return field_error(p->name, "is out of range");
    else if (v.is_number_integer()) params.emplace_back(p, v.get<int64_t>());
    else if (v.is_number_float()) params.emplace_back(p, v.get<double>());
    else if (v.is_string()) params.emplace_back(p, v.get<std::string>());
    else return field_error(p->name, "has the wrong type");
  }
  TRY_ASSIGN(auto f, Fields::of(base, {"timezone", "session_idle_minutes", "working_days", "holidays", "version", "industries"}));
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  TRY_ASSIGN(auto tz, f.opt_str("timezone", 64));
  TRY_ASSIGN(auto idle, f.opt_int("session_idle_minutes", 5, 60 * 24 * 30));
  TRY_ASSIGN(auto wd, f.opt_str("working_days", 7));
  {
    Settings probe;  // each value checked on its own before anything is read
    for (auto& [p, v] : params)
      if (auto why = method::set_param(probe, *p, v)) return field_error(p->name, *why);
  }
  std::optional<std::vector<std::string>> holidays;
  if (f.has("holidays")) {
    const auto& v = base.at("holidays");
    if (!v.is_array() || v.size() > 400) return field_error("holidays", "must be a list of dates");
    holidays.emplace();
    for (auto& d : v) {
      if (!d.is_string() || !parse_date(d.get<std::string>())) return field_error("holidays", "must be a list of dates YYYY-MM-DD");
      holidays->push_back(d.get<std::string>());
    }
  }
  std::optional<std::vector<method::Industry>> industries;
  if (f.has("industries")) {
    TRY_ASSIGN(industries, parse_industries(base.at("industries")));
  }
  if (tz && !TimeZone::get(*tz)) return field_error("timezone", "unknown time zone (use an IANA name like Asia/Shanghai)");
  if (wd) {
    if (wd->empty()) return field_error("working_days", "needs at least one day");
    for (char ch : *wd)
      if (ch < '1' || ch > '7') return field_error("working_days", "digits 1 (Monday) to 7 (Sunday)");
  }
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    Settings s = tx.get_settings(a.org());
    if (version && *version != s.version) return stale("the settings");
    json old = settings_json(s);
    if (tz) s.timezone = *tz;
    for (auto& [p, v] : params) method::set_param(s, *p, v);
    if (auto bad = method::check_params(s)) return field_error(bad->first, bad->second);
    if (idle) s.session_idle_minutes = int(*idle);
    if (wd) s.working_days = *wd;
    if (holidays) s.holidays = *holidays;
    auto old_industries = org_industries(tx, a.org());
    old["industries"] = industries_json(old_industries);
    if (industries) TRY(replace_industry_list(tx, a, old_industries, *industries, now));
    if (!tx.update_settings(s, s.version)) return stale("the settings");
    s.version++;
    out = settings_json(s);
    out["industries"] = industries_json(industries ? *industries : old_industries);
    audit(tx, a, now, "update", "settings", a.org(), old, out);
    return ok_status();
  }));
  return out;
}

// ---------- targets ----------

Result<json> App::put_target(const Actor& a, const json& body) {
  if (!allows(roles::kSetTarget, a.user.role)) return refusal(roles::kSetTarget);
  TRY_ASSIGN(auto f, Fields::of(body, {"scope", "scope_id", "metric", "period", "value", "reason"}));
  TRY_ASSIGN(auto scope, f.str("scope", true, 10));
  TRY_ASSIGN(auto scope_id, f.integer("scope_id", 1, INT64_MAX));
  TRY_ASSIGN(auto metric, f.str("metric", true, 30));
  TRY_ASSIGN(auto period, f.str("period", true, 10));
  TRY_ASSIGN(auto value, f.integer("value", 0, int64_t(1e15)));
  TRY_ASSIGN(auto reason, f.str("reason", false, 500));
  if (scope != "rep" && scope != "team") return field_error("scope", "must be rep or team");
  if (metric != "visits_new" && metric != "effective_new" && metric != "signed_amount")
    return field_error("metric", "must be visits_new, effective_new or signed_amount");
  if (period != "day" && period != "month") return field_error("period", "must be day or month");
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    if (scope == "rep") {
      auto u = tx.get_user(a.org(), scope_id);
      if (!u || !user_in_scope(tx, a, *u) || u->id == a.user.id) return not_found("rep");
    } else {
      if (!tx.get_team(a.org(), scope_id) || !team_in_scope(a, scope_id)) return not_found("team");
    }
    auto existing = tx.get_target(a.org(), scope, scope_id, metric, period);
    Target t = existing.value_or(Target{});
    std::optional<int64_t> old_value;
    json old = nullptr;
    if (existing) {
      old_value = existing->value;
      old = target_json(*existing);
    }
    t.org_id = a.org();
    t.scope = scope;
    t.scope_id = scope_id;
    t.metric = metric;
    t.period = period;
    t.value = value;
    t.reason = reason;
    t.set_by = a.user.id;
    t.updated_at = now;
    t.id = tx.upsert_target(t, old_value);
    if (existing) t.version++;
    out = target_json(t);
    audit(tx, a, now, existing ? "update" : "create", "target", t.id, old, out);
    return ok_status();
  }));
  return out;
}

Result<json> App::list_targets(const Actor& a) {
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    for (auto& t : tx.list_targets(a.org())) {
      bool visible;
      if (t.scope == "team") visible = a.scope.kind == Scope::All || team_in_scope(a, t.scope_id) ||
                                       (a.user.team_id && *a.user.team_id == t.scope_id);
      else {
        auto u = tx.get_user(a.org(), t.scope_id);
        visible = u && user_in_scope(tx, a, *u);
      }
      if (visible) items.push_back(target_json(t));
    }
    // Each target carries its change history (newest first): 树目标 with reasons.
    std::string tz = org_tz(tx, a.org());
    std::map<Id, json> hist;
    for (auto& h : tx.target_history(a.org()))
      hist[h.target_id].push_back({{"old_value", null_or(h.old_value)}, {"new_value", h.new_value}, {"reason", h.reason},
                                   {"set_by", null_or(h.set_by)}, {"at", opt_iso(h.at, tz)}});
    for (auto& it : items) {
      Id id = it["id"].get<Id>();
      it["history"] = hist.count(id) ? hist[id] : json::array();
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

}  // namespace tj
