// Authentication: argon2id passwords, session cookies, bearer tokens, throttling.
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <optional>
#include <mutex>
#include <unordered_map>

#include "app/internal.h"
#include "store/stats.h"

namespace tj {
using namespace detail;

namespace {
constexpr int kThrottleWindowS = 15 * 60;
constexpr int kThrottleMax = 10;            // failures per account per window before 429
constexpr int kSessionAbsoluteS = 30 * 86400;

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.resize(bytes * 2);
  return hex;
}

std::string sha256_hex(const std::string& s) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  std::string hex(sizeof h * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), h, sizeof h);
  hex.resize(sizeof h * 2);
  return hex;
}

}  // namespace

// The login throttle's state in this process (issue 17 point 3). Per account, the
// failures stored in the database plus the attempts under way (reserved under mu
// together with the read of the count, released only after a failure is stored)
// never pass kThrottleMax, however many requests arrive at once. Per client
// address, failures are kept here (a window of kThrottleWindowS) with the
// attempts under way; unknown usernames count alike, so random names do not help.
struct LoginGate {
  std::mutex mu;
  int per_address = 60;
  std::unordered_map<std::string, int> account_inflight;
  struct Addr {
    std::deque<int64_t> failures;  // times, oldest first
    int inflight = 0;
  };
  std::unordered_map<std::string, Addr> addrs;
  int64_t last_sweep = 0;

  void prune(Addr& a, int64_t now) {
    while (!a.failures.empty() && a.failures.front() <= now - kThrottleWindowS) a.failures.pop_front();
  }
  // Drops idle addresses now and then, so the map stays bounded by the window's traffic.
  void sweep(int64_t now) {
    if (now - last_sweep < 60 && addrs.size() < 100000) return;
    last_sweep = now;
    for (auto it = addrs.begin(); it != addrs.end();) {
      prune(it->second, now);
      if (it->second.failures.empty() && it->second.inflight == 0) it = addrs.erase(it);
      else ++it;
    }
  }
};

std::shared_ptr<LoginGate> App::new_login_gate() { return std::make_shared<LoginGate>(); }

// The authentication cache (issue 16 point 7): a request authenticated by a bearer token or a
// session cookie seen recently costs no read transaction of its own. An entry is used only
// while (a) no write transaction committed in this process since the read that filled it
// began (store_stats::write_generation, store/stats.h: deactivating a user, revoking a token, logging out,
// changing a password, a team or a role are all writes, so each is seen by the next
// request), (b) it is younger than kAuthCacheTtl (writes of another process on the same
// database: the CLI, a second server), and (c) for a session, it needs no touch (last_seen
// within a minute) and is not near its idle or absolute expiry. Keys are the SHA-256 of the
// secret (never the secret) and the Store's address. One cache per process.
struct AuthCache {
  static constexpr auto kTtl = std::chrono::seconds(1);
  static constexpr size_t kMaxEntries = 20000;
  struct Entry {
    Actor actor;
    uint64_t generation = 0;
    std::chrono::steady_clock::time_point filled;
    Instant valid_until = 0;  // sessions: the last instant the cached answer holds
  };
  std::mutex mu;
  std::unordered_map<std::string, Entry> entries;  // "t" + token hash, "s" + session hash

  std::optional<Actor> get(const std::string& key, uint64_t generation, Instant now) {
    std::lock_guard lk(mu);
    auto it = entries.find(key);
    if (it == entries.end()) return std::nullopt;
    const Entry& e = it->second;
    if (e.generation != generation || std::chrono::steady_clock::now() - e.filled > kTtl ||
        (e.valid_until && now > e.valid_until)) {
      entries.erase(it);
      return std::nullopt;
    }
    return e.actor;
  }
  void put(const std::string& key, const Actor& a, uint64_t generation, Instant valid_until) {
    std::lock_guard lk(mu);
    if (entries.size() >= kMaxEntries) entries.clear();
    entries[key] = Entry{a, generation, std::chrono::steady_clock::now(), valid_until};
  }
};

AuthCache& auth_cache() {
  static AuthCache c;
  return c;
}

std::string auth_key(const Store& store, char kind, const std::string& hash) {
  char p[32];
  std::snprintf(p, sizeof p, "%p", static_cast<const void*>(&store));
  return std::string(p) + kind + hash;
}

void App::set_login_limits(int failures_per_address) {
  std::lock_guard lk(login_gate_->mu);
  login_gate_->per_address = std::max(1, failures_per_address);
}

namespace {
struct SodiumInit {
  SodiumInit() {
    if (sodium_init() < 0) abort();
  }
} sodium_init_once;
}  // namespace

std::string App::hash_password(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::bad_alloc();
  return out;
}

bool App::verify_password(const std::string& hash, const std::string& password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

json to_json(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", to_string(u.role)},
          {"team_id", null_or(u.team_id)},
          {"hire_date", null_or_str(u.hire_date)},
          {"selling_style", u.selling_style},
          {"active", u.active},
          {"version", u.version}};
}

Result<Id> App::init_org(const std::string& org_name, const std::string& admin_user, const std::string& password) {
  if (org_name.empty() || !valid_utf8(org_name)) return bad_request("invalid_org", "organisation name is required");
  if (admin_user.empty() || !valid_utf8(admin_user)) return bad_request("invalid_user", "admin username is required");
  if (password.size() < 8) return bad_request("weak_password", "the password needs at least 8 characters");
  std::string hash = hash_password(password);
  Id org = 0;
  auto now = clock_.now();
  TRY(store_.write([&](Tx& tx) -> Status {
    if (tx.find_user_by_username(admin_user)) return conflict("username_taken", "username already exists");
    org = tx.insert_org(org_name, now);
    User u;
    u.org_id = org;
    u.username = admin_user;
    u.display_name = admin_user;
    u.password_hash = hash;
    u.role = Role::Admin;
    u.created_at = now;
    u.id = tx.insert_user(u);
    Actor a{u, {}, false, "", ""};
    audit(tx, a, now, "create", "org", org, nullptr, json{{"name", org_name}});
    audit(tx, a, now, "create", "user", u.id, nullptr, to_json(u));
    return ok_status();
  }));
  return org;
}

Result<Actor> App::actor_for(Tx& tx, Id org, Id user_id) {
  auto u = tx.get_user(org, user_id);
  if (!u || !u->active) return unauthorized("the account is not active");
  Actor a;
  a.user = *u;
  a.scope = scope_for(tx, *u);
  return a;
}

Result<LoginResult> App::login(const json& body, const std::string& remote, const std::string& old_cookie) {
  TRY_ASSIGN(auto f, Fields::of(body, {"username", "password"}));
  TRY_ASSIGN(auto username, f.str("username", true, 100));
  TRY_ASSIGN(auto password, f.str("password", true, 200));
  auto now = clock_.now();
  std::optional<User> user;
  LoginGate& g = *login_gate_;
  const Error too_many{Err::TooMany, "too_many_attempts",
                       "too many failed logins for this account; try again in 15 minutes"};
  const Error too_many_here{Err::TooMany, "too_many_attempts",
                            "too many failed logins from this address; try again in 15 minutes"};
  {
    // The count is read and the attempt reserved under one lock, so concurrent
    // attempts cannot all see the same count (the throttle was racy: 14 of 40 got through).
    std::lock_guard lk(g.mu);
    g.sweep(now);
    auto& ad = g.addrs[remote];
    g.prune(ad, now);
    if (int64_t(ad.failures.size()) + ad.inflight >= g.per_address) return too_many_here;
    int64_t failures = 0;
    TRY(store_.read([&](Tx& tx) -> Status {
      user = tx.find_user_by_username(username);
      failures = tx.count_login_failures(username, now - kThrottleWindowS);
      return ok_status();
    }));
    int& inflight = g.account_inflight[username];
    if (failures + inflight >= kThrottleMax) {
      if (inflight == 0) g.account_inflight.erase(username);
      return too_many;
    }
    ++inflight;
    ++ad.inflight;
  }
  // Releases the reservation once the outcome is stored (or on any early return).
  bool failed = false;
  struct Release {
    LoginGate& g;
    const std::string& username;
    const std::string& remote;
    const bool& failed;
    int64_t now;
    ~Release() {
      std::lock_guard lk(g.mu);
      auto it = g.account_inflight.find(username);
      if (it != g.account_inflight.end() && --it->second <= 0) g.account_inflight.erase(it);
      auto& ad = g.addrs[remote];
      if (ad.inflight > 0) --ad.inflight;
      if (failed) ad.failures.push_back(now);
    }
  } release{g, username, remote, failed, now};
  // Verify even for unknown users so timing does not reveal which usernames exist.
  static const std::string dummy = hash_password("tiejun-dummy-password");
  bool ok = verify_password(user ? user->password_hash : dummy, password) && user && user->active;
  if (!ok) {
    failed = true;
    TRY(store_.write([&](Tx& tx) -> Status {
      tx.add_login_failure(username, now);
      return ok_status();
    }));
    return unauthorized("wrong username or password");
  }
  LoginResult r;
  r.cookie = random_hex(32);
  std::string csrf = random_hex(24);
  int idle = 0;
  TRY(store_.write([&](Tx& tx) -> Status {
    tx.clear_login_failures(username);
    if (!old_cookie.empty()) tx.delete_session(sha256_hex(old_cookie));  // a new id at every login
    Session s{sha256_hex(r.cookie), user->org_id, user->id, csrf, now, now};
    tx.insert_session(s);
    idle = tx.get_settings(user->org_id).session_idle_minutes;
    Actor a{*user, {}, false, s.id_hash, csrf};
    audit(tx, a, now, "login", "session", user->id, nullptr, json{{"remote", remote}});
    return ok_status();
  }));
  r.max_age_s = kSessionAbsoluteS;
  r.body = {{"user", to_json(*user)}, {"csrf_token", csrf}, {"must_change_password", user->must_change_password}};
  (void)idle;
  return r;
}

Status App::logout(const Actor& a) {
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    if (!a.session_hash.empty()) tx.delete_session(a.session_hash);
    audit(tx, a, now, "logout", "session", a.user.id, nullptr, nullptr);
    return ok_status();
  });
}

Result<Actor> App::authenticate_session(const std::string& cookie_value) {
  if (cookie_value.size() != 64) return unauthorized("not logged in");
  std::string h = sha256_hex(cookie_value);
  auto now = clock_.now();
  const std::string key = auth_key(store_, 's', h);
  const uint64_t gen = store_stats::current_generation();  // before the read: see AuthCache
  if (auto hit = auth_cache().get(key, gen, now)) return std::move(*hit);
  std::optional<Session> s;
  Actor a;
  bool expired = false, touch = false;
  Instant valid_until = 0;
  TRY(store_.read([&](Tx& tx) -> Status {
    s = tx.get_session(h);
    if (!s) return unauthorized("not logged in");
    auto st = tx.get_settings(s->org_id);
    if (now - s->last_seen > int64_t(st.session_idle_minutes) * 60 || now - s->created_at > kSessionAbsoluteS) {
      expired = true;
      return ok_status();
    }
    touch = now - s->last_seen >= 60;  // coarse, so reads rarely write
    // A cached answer holds until the session needs its touch or would expire, whichever first.
    valid_until = std::min({s->last_seen + 59, s->last_seen + int64_t(st.session_idle_minutes) * 60,
                            s->created_at + kSessionAbsoluteS});
    TRY_ASSIGN(a, actor_for(tx, s->org_id, s->user_id));
    return ok_status();
  }));
  if (expired) {
    (void)store_.write([&](Tx& tx) -> Status {
      tx.delete_session(h);
      return ok_status();
    });
    return unauthorized("the session expired; log in again");
  }
  if (touch)
    (void)store_.write([&](Tx& tx) -> Status {
      tx.touch_session(h, now);
      return ok_status();
    });
  a.session_hash = h;
  a.csrf_token = s->csrf_token;
  if (!touch && valid_until > now) auth_cache().put(key, a, gen, valid_until);
  return a;
}

Result<Actor> App::authenticate_token(const std::string& token) {
  if (token.size() < 10 || token.size() > 200) return unauthorized("invalid token");
  std::string h = sha256_hex(token);
  const std::string key = auth_key(store_, 't', h);
  const uint64_t gen = store_stats::current_generation();  // before the read: see AuthCache
  if (auto hit = auth_cache().get(key, gen, clock_.now())) return std::move(*hit);
  Actor a;
  TRY(store_.read([&](Tx& tx) -> Status {
    auto t = tx.find_token(h);
    if (!t) return unauthorized("invalid token");
    TRY_ASSIGN(a, actor_for(tx, t->first, t->second));
    return ok_status();
  }));
  a.via_token = true;
  auth_cache().put(key, a, gen, 0);
  return a;
}

Result<json> App::create_token(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"name"}));
  TRY_ASSIGN(auto name, f.str("name", true, 100));
  std::string token = "tj_" + random_hex(32);
  auto now = clock_.now();
  Id id = 0;
  TRY(store_.write([&](Tx& tx) -> Status {
    id = tx.insert_token(a.org(), a.user.id, name, sha256_hex(token), now);
    audit(tx, a, now, "create", "token", id, nullptr, json{{"name", name}});
    return ok_status();
  }));
  return json{{"id", id}, {"name", name}, {"token", token}};
}

Result<json> App::me(const Actor& a) {
  json j = to_json(a.user);
  json s;
  TRY(store_.read([&](Tx& tx) -> Status {
    auto o = tx.get_org(a.org());
    j["org"] = {{"id", a.org()}, {"name", o ? o->name : ""}};
    j["timezone"] = tx.get_settings(a.org()).timezone;
    return ok_status();
  }));
  j["must_change_password"] = a.user.must_change_password;
  return j;
}

Result<json> App::change_own_password(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"current_password", "new_password"}));
  TRY_ASSIGN(auto current, f.str("current_password", true, 200));
  TRY_ASSIGN(auto next, f.str("new_password", true, 200));
  if (next.size() < 8) return field_error("new_password", "needs at least 8 characters");
  if (!verify_password(a.user.password_hash, current)) return forbidden("wrong_password", "the current password is wrong");
  if (next == current) return field_error("new_password", "must differ from the current password");
  std::string hash = hash_password(next);
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto u = tx.get_user(a.org(), a.user.id);
    if (!u || !u->active) return unauthorized("the account is not active");
    if (u->password_hash != a.user.password_hash) return stale("the password");
    json old = to_json(*u);
    old["must_change_password"] = u->must_change_password;
    u->password_hash = hash;
    u->must_change_password = false;
    if (!tx.update_user(*u, u->version)) return stale("the user");
    u->version++;
    tx.delete_sessions_of(a.org(), u->id, a.session_hash);  // other sessions end; this one goes on
    out = to_json(*u);
    out["must_change_password"] = false;
    json nj = out;
    nj["password"] = "changed";
    audit(tx, a, now, "password_change", "user", u->id, old, nj);
    return ok_status();
  }));
  return out;
}

namespace {
json token_json(const Tx::TokenInfo& t, const std::string& tz) {
  return {{"id", t.id}, {"user_id", t.user_id}, {"name", t.name}, {"created_at", opt_iso(t.created_at, tz)},
          {"last_used", opt_iso(t.last_used, tz)}};
}
}  // namespace

Result<json> App::list_tokens(const Actor& a, const Query& q) {
  TRY(q_only(q, {"user_id"}));
  TRY_ASSIGN(auto user, q_int(q, "user_id", 1, INT64_MAX));
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    std::string tz = org_tz(tx, a.org());
    std::optional<Id> who = a.user.id;
    if (a.user.role == Role::Admin) who = user;  // the admin: every token of the organisation (or one user's)
    else if (user && *user != a.user.id) return not_found("user");
    for (auto& t : tx.list_tokens(a.org(), who)) items.push_back(token_json(t, tz));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Status App::delete_token(const Actor& a, Id id) {
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    auto t = tx.get_token(a.org(), id);
    if (!t || (t->user_id != a.user.id && a.user.role != Role::Admin)) return not_found("token");
    tx.delete_token(a.org(), id);
    audit(tx, a, now, "delete", "token", id, json{{"name", t->name}, {"user_id", t->user_id}}, nullptr);
    return ok_status();
  });
}

}  // namespace tj
