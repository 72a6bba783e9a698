// libFuzzer target for the HTTP request path: the bytes become an
// http::Request that goes through the real handler (tj::http::make_handler:
// routing, query parsing, JSON parsing, authentication, CSRF, the use cases,
// the SQLite store) over an organisation seeded once per process: an admin, a
// manager and a rep with bearer tokens and a session, teams, companies,
// contacts, visits, a deal, a plan and a review.
//
// Input format (so seeds are readable and mutations stay mostly well formed):
//   METHOD TARGET\n
//   header: value\n ...        (lower-cased names; raw, e.g. "cookie: ...")
//   @auth: admin|mgr|rep|cookie|badcsrf|none   (pseudo header: real credentials)
//   \n
//   BODY                       (the rest, verbatim)
// In the target and the body, {C} {C2} {K} {V} {U} {M} {A} {T} {R} {P} {D} are
// replaced by the id of a company, another rep's company, a contact, a visit,
// the rep, the manager, the admin, a team, a review, a pool company, and today.
//
// Oracles: no status >= 500 (bad input never yields a 5xx); an /api/ answer
// that is not 204 or an export is valid JSON; no body carries a password hash
// or a live session id. A violation aborts (a crash for libFuzzer).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "app/app.h"
#include "app/internal.h"
#include "http/api.h"
#include "store/tx.h"
#include "common/hex.h"

using namespace tj;

namespace {

class FixedClock final : public Clock {
 public:
  Instant now() const override { return 1795752000; }  // 2026-11-27T12:00:00+08:00
};

constexpr const char* kPw = "Fuzz-password-1";

struct World {
  std::string path;
  std::unique_ptr<Store> store;
  FixedClock clock;
  std::unique_ptr<App> app;
  http::Handler handler;
  std::map<std::string, std::string> token;  // role -> bearer token
  std::string cookie, csrf;
  std::map<std::string, std::string> ids;    // placeholder -> value
  Id org = 0, admin = 0, mgr = 0, rep = 0, rep2 = 0, team = 0;
};
World* W = nullptr;

[[noreturn]] void die(const std::string& what) {
  fprintf(stderr, "http_fuzz: %s\n", what.c_str());
  abort();
}

template <class T>
T must(Result<T> r, const char* what) {
  if (!r.ok()) die(std::string("seeding failed at ") + what + ": " + r.error().code + " " + r.error().message);
  return std::move(r).value();
}

Actor actor_of(Id user) {
  Actor a;
  if (!W->store->read([&](Tx& tx) -> Status {
        a.user = *tx.get_user(W->org, user);
        a.scope = detail::scope_for(tx, a.user);
        return ok_status();
      }).ok())
    die("actor");
  return a;
}

// (Re)creates the credentials: the fuzzer may deactivate users, change their
// roles, teams and passwords, log the session out, or trip the login throttle.
void credentials() {
  std::string hash = App::hash_password(kPw);
  if (!W->store->write([&](Tx& tx) -> Status {
        auto& c = tx.conn();
        c.exec("DELETE FROM login_failures", {});
        c.exec("UPDATE users SET active = 1, password_hash = ? WHERE org_id = ?", {hash, W->org});
        c.exec("UPDATE users SET role = 'admin', team_id = NULL WHERE id = ?", {W->admin});
        c.exec("UPDATE users SET role = 'manager', team_id = ? WHERE id = ?", {W->team, W->mgr});
        c.exec("UPDATE users SET role = 'rep', team_id = ? WHERE id IN (?, ?)", {W->team, W->rep, W->rep2});
        c.exec("UPDATE teams SET manager_id = ? WHERE id = ?", {W->mgr, W->team});
        return ok_status();
      }).ok())
    die("credentials reset");
  auto lr = must(W->app->login(json{{"username", "fz_admin"}, {"password", kPw}}, "fuzz"), "login admin");
  W->cookie = lr.cookie;
  W->csrf = lr.body["csrf_token"];
  for (auto [role, id] : {std::pair<const char*, Id>{"admin", W->admin}, {"mgr", W->mgr}, {"rep", W->rep}})
    W->token[role] = must(W->app->create_token(actor_of(id), json{{"name", "fuzz"}}), "token")["token"];
}

bool credentials_ok() {
  for (auto& [role, t] : W->token)
    if (!W->app->authenticate_token(t).ok()) return false;
  auto a = W->app->authenticate_session(W->cookie);
  return a.ok() && a.value().user.role == Role::Admin;
}

void seed() {
  W = new World;
  auto dir = std::filesystem::temp_directory_path() / ("tiejun-fuzz-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // The database goes when the fuzzer exits normally; a crash leaves it for the post-mortem.
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::temp_directory_path() / ("tiejun-fuzz-" + std::to_string(getpid())),
                                ec);
  });
  W->path = (dir / "fuzz.db").string();
  W->store = must(open_store("sqlite:" + W->path, 2), "open");
  must(W->store->migrate(), "migrate");
  W->app = std::make_unique<App>(*W->store, W->clock);
  App& app = *W->app;
  W->org = must(app.init_org("模糊测试公司", "fz_admin", kPw), "init");
  Actor admin = must(app.authenticate_session(must(app.login(json{{"username", "fz_admin"}, {"password", kPw}}, "x"), "login").cookie),
                     "session");
  W->admin = admin.user.id;
  W->team = must(app.create_team(admin, {{"name", "一组"}}), "team")["id"];
  auto user = [&](const char* name, const char* role) {
    return must(app.create_user(admin, {{"username", name}, {"password", kPw}, {"role", role}, {"team_id", W->team}}), name)["id"]
        .get<Id>();
  };
  W->mgr = user("fz_mgr", "manager");
  W->rep = user("fz_rep", "rep");
  W->rep2 = user("fz_rep2", "rep");
  must(app.patch_team(admin, W->team, {{"manager_id", W->mgr}}), "manager");
  Actor rep = actor_of(W->rep), rep2 = actor_of(W->rep2);
  Id c = must(app.create_company(rep, {{"name", "琥珀光电"}, {"industry", "电子"}, {"industry_rank", 5}, {"budget_capacity", 5000000}}),
              "company")["id"];
  Id c2 = must(app.create_company(rep2, {{"name", "翡翠物流"}, {"industry", "电子"}, {"industry_rank", 6}}), "company2")["id"];
  Id pool = must(app.create_company(admin, {{"name", "公海贸易"}, {"owner_id", nullptr}}), "pool")["id"];
  Id k = must(app.create_contact(rep, c, {{"name", "欧阳锋"}, {"is_payer", true}, {"style", "driver"}}), "contact")["id"];
  Id v = must(app.create_visit(rep, {{"company_id", c}, {"need", true}, {"budget", true}, {"met_payer", true}, {"notes", "初访"}}),
              "visit")["id"];
  must(app.create_deal(rep2, {{"company_id", c2}, {"amount", 1200000}}), "deal");
  must(app.put_note(rep, Tx::NoteKind::Plan, "2026-11-27", {{"goal", "拜访五家"}, {"company_ids", {c}}}), "plan");
  must(app.put_note(rep, Tx::NoteKind::Review, "2026-11-27", {{"wins", "签了一单"}}), "review");
  int64_t review = 0;
  (void)W->store->read([&](Tx& tx) -> Status {
    review = tx.conn().scalar("SELECT MAX(id) FROM reviews");
    return ok_status();
  });
  W->ids = {{"{C}", std::to_string(c)},      {"{C2}", std::to_string(c2)},    {"{K}", std::to_string(k)},
            {"{V}", std::to_string(v)},      {"{U}", std::to_string(W->rep)}, {"{M}", std::to_string(W->mgr)},
            {"{A}", std::to_string(W->admin)}, {"{T}", std::to_string(W->team)}, {"{R}", std::to_string(review)},
            {"{P}", std::to_string(pool)},   {"{D}", "2026-11-27"}};
  credentials();
  W->handler = http::make_handler(app, {});
}

std::string expand(std::string s) {
  if (s.find('{') == std::string::npos) return s;
  for (auto& [k, v] : W->ids) {
    for (size_t p = s.find(k); p != std::string::npos; p = s.find(k, p + v.size())) s.replace(p, k.size(), v);
  }
  return s;
}

// As the server does before calling the handler (server.cpp): false = a 400 there.
bool percent_decode(std::string_view in, std::string& out) {
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex::digit(in[i + 1]), lo = hex::digit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return false;
    out += c;
  }
  return true;
}

bool lower_token(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c <= ' ' || c == ':' || static_cast<unsigned char>(c) >= 0x7f) return false;
  }
  return !s.empty();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  seed();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t eol = in.find('\n');
  if (eol == std::string_view::npos) return -1;
  std::string_view line = in.substr(0, eol);
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos || sp == 0 || sp > 10) return -1;
  http::Request req;
  req.method = std::string(line.substr(0, sp));
  for (char c : req.method)
    if (c < 'A' || c > 'Z') return -1;  // Beast accepts only token methods; keep to upper-case words
  req.target = expand(std::string(line.substr(sp + 1)));
  if (req.target.empty() || req.target[0] != '/') return -1;
  std::string_view raw_path = req.target;
  if (auto q = raw_path.find('?'); q != std::string_view::npos) {
    req.query = std::string(raw_path.substr(q + 1));
    raw_path = raw_path.substr(0, q);
  }
  if (!percent_decode(raw_path, req.path)) return -1;
  req.remote_addr = "127.0.0.1";
  // headers
  size_t pos = eol + 1;
  std::string auth = "none";
  while (pos < in.size()) {
    size_t e = in.find('\n', pos);
    std::string_view h = in.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
    pos = e == std::string_view::npos ? in.size() : e + 1;
    if (h.empty()) break;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(h.substr(0, colon));
    std::string value(h.substr(colon + 1));
    while (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (name == "@auth") {
      auth = value;
      continue;
    }
    if (!lower_token(name)) continue;
    bool ok = value.size() < 8192;
    for (char c : value) ok = ok && c != '\r' && c != '\0';  // Beast refuses these
    if (ok) req.headers.emplace_back(std::move(name), std::move(value));
  }
  if (auth == "admin" || auth == "mgr" || auth == "rep") {
    req.headers.emplace_back("authorization", "Bearer " + W->token[auth]);
  } else if (auth == "cookie" || auth == "badcsrf") {
    req.headers.emplace_back("cookie", "theme=dark; tj_session=" + W->cookie);
    req.headers.emplace_back("x-csrf-token", auth == "cookie" ? W->csrf : std::string(48, 'a'));
  }
  req.body = expand(std::string(in.substr(pos)));

  http::Response r = W->handler(req);

  if (r.status >= 500)
    die("status " + std::to_string(r.status) + " for " + req.method + " " + req.target + ": " + r.body.substr(0, 300));
  // Secrets: flagged unless the request itself carried them (an error may echo the input).
  auto echoed = [&](const std::string& s) {
    if (req.target.find(s) != std::string::npos || req.body.find(s) != std::string::npos) return true;
    for (auto& [k, v] : req.headers)
      if (k != "cookie" && v.find(s) != std::string::npos) return true;
    return false;
  };
  if (r.body.find("$argon2") != std::string::npos && !echoed("$argon2"))
    die("a password hash in the body of " + req.method + " " + req.target);
  if (!W->cookie.empty() && r.body.find(W->cookie) != std::string::npos && !echoed(W->cookie))
    die("the session id in the body of " + req.target);
  bool api = req.path.rfind("/api/", 0) == 0 && req.path != "/api/v1/openapi.json";
  if (api && r.status != 204 && req.method != "HEAD" && r.content_type.rfind("application/json", 0) == 0 &&
      !json::accept(r.body))
    die("invalid JSON from " + req.method + " " + req.target + ": " + r.body.substr(0, 300));
  if (req.method != "GET" && req.method != "HEAD" && !credentials_ok()) credentials();
  return 0;
}
