#include "app/internal.h"

#include <sodium.h>

#include <charconv>
#include <chrono>

namespace tj {

Instant SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace detail {

void audit(Tx& tx, const Actor& a, Instant now, const std::string& action, const std::string& entity,
           std::optional<Id> id, const json& old_v, const json& new_v) {
  AuditEntry e;
  e.org_id = a.org();
  e.at = now;
  e.user_id = a.user.id ? std::optional<Id>(a.user.id) : std::nullopt;
  e.action = action;
  e.entity = entity;
  e.entity_id = id;
  e.old_json = old_v.is_null() ? "" : old_v.dump();
  e.new_json = new_v.is_null() ? "" : new_v.dump();
  tx.insert_audit(e);
}

Scope scope_for(Tx& tx, const User& u) {
  Scope s;
  s.user_id = u.id;
  if (u.role == Role::Admin) {
    s.kind = Scope::All;
    return s;
  }
  if (u.role == Role::Rep) {
    s.kind = Scope::Self;
    return s;
  }
  s.kind = Scope::Teams;
  std::vector<Id> roots;
  for (auto& t : tx.list_teams(u.org_id))
    if (t.manager_id && *t.manager_id == u.id) roots.push_back(t.id);
  if (u.role == Role::Director && u.team_id) roots.push_back(*u.team_id);
  s.team_ids = tx.team_subtree(u.org_id, roots);
  return s;
}

bool user_in_scope(Tx& tx, const Actor& a, const User& target) {
  if (target.org_id != a.org()) return false;
  if (target.id == a.user.id) return true;
  switch (a.scope.kind) {
    case Scope::All: return true;
    case Scope::Self: return false;
    case Scope::Teams:
      if (!target.team_id) return false;
      for (auto t : a.scope.team_ids)
        if (t == *target.team_id) return true;
      return false;
  }
  return false;
}

Result<Company> visible_company(Tx& tx, const Actor& a, Id id) {
  auto c = tx.get_company(a.org(), id);
  if (!c || !tx.company_visible(*c, a.scope, a.org())) return not_found("company");
  return *c;
}

Result<Company> writable_company(Tx& tx, const Actor& a, Id id) {
  TRY_ASSIGN(Company c, visible_company(tx, a, id));
  if (!c.owner_id) return conflict("in_pool", "this company is in the public pool; claim it first");
  return c;
}

Status pool_write_allowed(Tx& tx, const Actor& a) {
  if (a.scope.kind == Scope::All) return ok_status();
  if (a.scope.kind == Scope::Teams) {
    bool all = true;
    for (auto& t : tx.list_teams(a.org())) {
      bool in = false;
      for (auto s : a.scope.team_ids) in = in || s == t.id;
      all = all && in;
    }
    if (all) return ok_status();
  }
  return forbidden("pool_company",
                   "this company is in the public pool: it is shared to claim, not to edit; only the admin edits, "
                   "assigns or deletes pool companies");
}

Result<std::vector<User>> users_in_view(Tx& tx, const Actor& a, std::optional<Id> team, bool team_wide) {
  std::vector<User> base;
  if (a.scope.kind == Scope::All) base = tx.list_users(a.org());
  else if (a.scope.kind == Scope::Teams) base = tx.list_users_in_teams(a.org(), a.scope.team_ids);
  else if (team_wide && a.user.team_id) base = tx.list_users_in_teams(a.org(), {*a.user.team_id});
  else base = {a.user};
  if (!team) return base;
  bool ok = a.scope.kind == Scope::All || (team_wide && a.user.team_id && *a.user.team_id == *team);
  for (auto t : a.scope.team_ids) ok = ok || t == *team;
  if (!ok || !tx.get_team(a.org(), *team)) return not_found("team");
  auto sub = tx.team_subtree(a.org(), {*team});
  std::vector<User> out;
  for (auto& u : base) {
    bool in = false;
    for (auto t : sub) in = in || (u.team_id && *u.team_id == t);
    if (in) out.push_back(u);
  }
  return out;
}

std::string org_tz(Tx& tx, Id org) { return tx.get_settings(org).timezone; }

json opt_iso(const std::optional<Instant>& t, const std::string& tz) {
  if (!t) return nullptr;
  auto z = TimeZone::get(tz);
  return z ? z->format_local(*t) : format_iso8601_utc(*t);
}
json null_or(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json null_or_str(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string encode_cursor(const json& j) {
  std::string raw = j.dump();
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<json> decode_cursor(const std::string& s) {
  if (s.size() > 2048) return std::nullopt;
  std::string bin(s.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), s.data(), s.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  bin.resize(len);
  auto j = json::parse(bin, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

Result<std::optional<int64_t>> q_int(const Query& q, const char* k, int64_t lo, int64_t hi) {
  auto it = q.find(k);
  if (it == q.end() || it->second.empty()) return std::optional<int64_t>();
  const std::string& s = it->second;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range)
    return field_error(k, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  if (ec != std::errc() || p != s.data() + s.size()) return field_error(k, "must be an integer");
  if (v < lo || v > hi) return field_error(k, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return std::optional<int64_t>(v);
}

Result<std::optional<std::string>> q_date(const Query& q, const char* k) {
  auto it = q.find(k);
  if (it == q.end() || it->second.empty()) return std::optional<std::string>();
  if (!parse_date(it->second)) return field_error(k, "must be a date YYYY-MM-DD");
  return std::optional<std::string>(it->second);
}

Status q_only(const Query& q, std::initializer_list<const char*> allowed) {
  for (auto& [k, v] : q) {
    bool ok = false;
    for (auto a : allowed)
      if (k == a) ok = true;
    if (!ok) return bad_request("unknown_parameter", k + ": unknown query parameter");
    if (!valid_utf8(v)) return bad_request("invalid_parameter", k + ": must be valid UTF-8");
  }
  return ok_status();
}

Error stale(const std::string& what) {
  return conflict("stale_version", what + " was changed by someone else; reload and try again");
}

}  // namespace detail
}  // namespace tj
