// A week in the life, as tests (issue 12): every file tests/scenarios/*.json is a
// scenario, run through the whole HTTP API in-process (http::make_handler) on a
// fresh store with a fake clock, on SQLite and on PostgreSQL. Test names are
// Scenario.<file name>/<backend>, e.g. Scenario.pool_claims/sqlite.
//
// A scenario file (tests/scenarios/README.md has the full story):
//
//   { "about": "what the scenario shows",
//     "org": { "name": "铁军测试",
//              "start": "2026-11-20T09:00",          // the clock while the org is built
//              "settings": { "quota_visits_new": 2 },   // PATCH /api/v1/settings as admin
//              "teams": [ {"key": "t1", "name": "一组", "manager": "mgr1", "parent": "key"} ],
//              "users": [ {"username": "rep1", "display_name": "张伟", "role": "rep", "team": "t1",
//                          "hire_date": "2026-11-23", "selling_style": "driver"} ] },
//     "steps": [ step, ... ] }
//
// A step (every field optional):
//   "at":     "2026-11-30T09:10"      set the fake clock (organisation-local time) first
//   "as":     "rep1"                  the user who acts ("admin" is made by the runner)
//   "do":     "POST /api/v1/visits"   a request (query strings go in the target)
//   "body":   {...}                   the JSON body (a string is sent as it is)
//   "jobs":   true                    run the nightly jobs (App::run_jobs) instead of a request
//   "save":   "acme"                  keep the answer as $acme
//   "expect": {"status": 409, "body": pattern}
//   "case":   "c"                     the defect or rule the step checks (summarised at the end)
//   "note":   "why"                   printed when the step fails
//   "repeat": {"n": 3} | {"from": "2026-11-09", "to": "2026-12-04", "working_days": true},
//   "steps":  [...]                   the inner steps, once per i (1, 2, ...) / per day ($day)
//
// References: a string that is exactly "$name.path" is replaced by that JSON value
// ("$acme.id" -> 17, "$rep1.id", "$t1.id"); "${name.path}" is replaced inside a
// longer string ("/api/v1/companies/${acme.id}/claim", "${day}T10:00", "客户${i}").
// Users are saved under their username, teams under their key, "admin" as well.
//
// Patterns (expect.body) match a subset of the answer: an object's keys must all
// match; an array in a pattern means "each of these elements matches some element";
// numbers compare within 1e-9. Operators, as one-key objects:
//   {"$has": "text"} a string containing text     {"$lacks": "text"} a string without it
//   {"$approx": [x, tolerance]}                    {"$gte": x} / {"$lte": x}
//   {"$len": n} an array of n elements             {"$none": pattern or [patterns]}: no element matches
//   {"$absent": true} (as a key's value) the key is missing or null    {"$any": true} anything present
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "../store/pg_test_db.h"
#include "app/internal.h"
#include "http/api.h"

namespace fs = std::filesystem;
using namespace tj;
using json = nlohmann::json;

namespace {

class FakeClock final : public Clock {
 public:
  Instant t = 0;
  Instant now() const override { return t; }
};

constexpr const char* kPassword = "scenario-pass-1";

// TIEJUN_SCENARIOS, else beside this file when __FILE__ is absolute, else the first
// tests/scenarios above the working directory (ctest runs in build/<preset>; Ninja
// passes relative source paths).
fs::path scenario_dir() {
  if (const char* e = std::getenv("TIEJUN_SCENARIOS")) return e;
  fs::path here = fs::path(__FILE__).parent_path().parent_path() / "scenarios";
  std::error_code ec;
  if (here.is_absolute() && fs::is_directory(here, ec)) return here;
  for (fs::path d = fs::current_path(ec); !d.empty(); d = d.parent_path()) {
    if (fs::is_directory(d / "tests" / "scenarios", ec)) return d / "tests" / "scenarios";
    if (d == d.parent_path()) break;
  }
  return here;
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(scenario_dir(), ec))
    if (e.path().extension() == ".json") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

// ---------- patterns ----------

void match(const json& want, const json& got, const std::string& at, std::vector<std::string>& diffs);

bool matches(const json& want, const json& got) {
  std::vector<std::string> d;
  match(want, got, "", d);
  return d.empty();
}

std::string brief(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 300 ? s.substr(0, 300) + "…" : s;
}

bool is_op(const json& w) { return w.is_object() && w.size() == 1 && w.begin().key().rfind('$', 0) == 0; }

void match(const json& want, const json& got, const std::string& at, std::vector<std::string>& diffs) {
  auto fail = [&](const std::string& why) { diffs.push_back((at.empty() ? "/" : at) + ": " + why); };
  if (is_op(want)) {
    const std::string& op = want.begin().key();
    const json& v = want.begin().value();
    if (op == "$any") {
      if (got.is_null()) fail("expected a value, got null");
    } else if (op == "$has" || op == "$lacks") {
      bool has = got.is_string() && got.get<std::string>().find(v.get<std::string>()) != std::string::npos;
      if (!got.is_string()) fail("expected a string " + op + " " + brief(v) + ", got " + brief(got));
      else if (has != (op == "$has")) fail("expected a string " + std::string(op == "$has" ? "containing " : "without ") + brief(v) + ", got " + brief(got));
    } else if (op == "$approx") {
      double x = v.is_array() ? v[0].get<double>() : v.get<double>(), tol = v.is_array() ? v[1].get<double>() : 0.01;
      if (!got.is_number() || std::abs(got.get<double>() - x) > tol) fail("expected " + brief(v) + " (±), got " + brief(got));
    } else if (op == "$gte" || op == "$lte") {
      if (!got.is_number() || (op == "$gte" ? got.get<double>() < v.get<double>() : got.get<double>() > v.get<double>()))
        fail("expected " + op + " " + brief(v) + ", got " + brief(got));
    } else if (op == "$len") {
      if (!got.is_array() || got.size() != v.get<size_t>()) fail("expected " + brief(v) + " elements, got " + brief(got));
    } else if (op == "$none") {
      if (!got.is_array()) return fail("expected an array, got " + brief(got));
      for (auto& p : v.is_array() ? v : json::array({v}))
        for (auto& g : got)
          if (matches(p, g)) fail("no element should match " + brief(p) + ", but " + brief(g) + " does");
    } else {
      fail("unknown operator " + op);
    }
    return;
  }
  if (want.is_object()) {
    if (!got.is_object()) return fail("expected an object, got " + brief(got));
    for (auto& [k, w] : want.items()) {
      bool absent_wanted = w.is_object() && w.size() == 1 && w.contains("$absent");
      bool missing = !got.contains(k) || got.at(k).is_null();
      if (absent_wanted) {
        if (!missing) fail(k + " should be absent, got " + brief(got.at(k)));
      } else if (!got.contains(k)) {
        fail(k + " is missing");
      } else {
        match(w, got.at(k), at + "/" + k, diffs);
      }
    }
    return;
  }
  if (want.is_array()) {
    if (!got.is_array()) return fail("expected an array, got " + brief(got));
    for (auto& w : want) {
      bool found = std::any_of(got.begin(), got.end(), [&](const json& g) { return matches(w, g); });
      if (!found) fail("no element matches " + brief(w));
    }
    return;
  }
  if (want.is_number() && got.is_number()) {
    if (std::abs(want.get<double>() - got.get<double>()) > 1e-9) fail("expected " + brief(want) + ", got " + brief(got));
    return;
  }
  if (want != got) fail("expected " + brief(want) + ", got " + brief(got));
}

// ---------- the run ----------

struct CaseTally {
  int passed = 0, failed = 0;
};

class ScenarioRun {
 public:
  ScenarioRun(std::string name, std::string backend) : name_(std::move(name)), backend_(std::move(backend)) {}

  void run() {
    std::ifstream in(scenario_dir() / (name_ + ".json"));
    ASSERT_TRUE(in) << "cannot read " << (scenario_dir() / (name_ + ".json"));
    json sc = json::parse(in, nullptr, false);
    ASSERT_FALSE(sc.is_discarded()) << name_ << ".json is not valid JSON";
    std::string url = tj::testing::fresh_test_db(backend_, "tj_scen");
    if (url.empty()) GTEST_SKIP() << "TIEJUN_TEST_PG is not set (scripts/pg.sh start)";
    auto s = open_store(url, 2);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
    auto m = store_->migrate();
    ASSERT_TRUE(m.ok()) << m.error().message;
    const json& org = sc.at("org");
    tz_ = TimeZone::get(org.value(json::json_pointer("/settings/timezone"), std::string("Asia/Shanghai")));
    ASSERT_TRUE(tz_);
    clock_.t = local(org.value("start", "2026-11-20T09:00"));
    app_ = std::make_unique<App>(*store_, clock_);
    handler_ = http::make_handler(*app_, {});
    build_org(org);
    if (::testing::Test::HasFatalFailure()) return;
    int n = 0;
    for (auto& st : sc.at("steps")) step(st, std::to_string(++n));
    std::ostringstream sum;
    sum << "[scenario " << name_ << "/" << backend_ << "] cases:";
    for (auto& [c, t] : tally_) sum << " " << c << "=" << (t.failed ? "FAIL" : "ok") << "(" << t.passed << "/" << t.passed + t.failed << ")";
    std::cout << sum.str() << "\n";
  }

 private:
  // "2026-11-30T09:10" (organisation time) -> an instant
  Instant local(const std::string& s) {
    auto d = parse_date(s.substr(0, 10));
    EXPECT_TRUE(d && s.size() >= 16 && s[10] == 'T') << "bad time " << s;
    if (!d || s.size() < 16) return clock_.t;
    int64_t secs = std::stoi(s.substr(11, 2)) * 3600 + std::stoi(s.substr(14, 2)) * 60 + (s.size() >= 19 ? std::stoi(s.substr(17, 2)) : 0);
    Instant naive = days_from_civil(*d) * 86400 + secs;
    Instant t = naive - tz_->offset_at(naive);
    return naive - tz_->offset_at(t);
  }

  // ---- references ----
  json lookup(const std::string& ref, bool& ok) {
    std::stringstream ss(ref);
    std::string part;
    std::getline(ss, part, '.');
    auto it = vars_.find(part);
    if (it == vars_.end()) {
      ok = false;
      return nullptr;
    }
    json cur = it->second;
    while (std::getline(ss, part, '.')) {
      if (cur.is_object() && cur.contains(part)) cur = cur.at(part);
      else if (cur.is_array() && !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit) && std::stoul(part) < cur.size())
        cur = cur.at(std::stoul(part));
      else {
        ok = false;
        return nullptr;
      }
    }
    return cur;
  }
  static bool ref_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }
  json subst(const json& j, std::vector<std::string>& missing) {
    if (j.is_object()) {
      json o = json::object();
      for (auto& [k, v] : j.items()) o[k] = subst(v, missing);  // keys stay as written ($has, ...)
      return o;
    }
    if (j.is_array()) {
      json a = json::array();
      for (auto& v : j) a.push_back(subst(v, missing));
      return a;
    }
    if (!j.is_string()) return j;
    const std::string s = j.get<std::string>();
    if (s.size() > 1 && s[0] == '$' && s[1] != '{' && std::all_of(s.begin() + 1, s.end(), ref_char)) {
      bool ok = true;
      json v = lookup(s.substr(1), ok);
      if (!ok) missing.push_back(s);
      return v;
    }
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
      if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
        size_t e = s.find('}', i);
        if (e != std::string::npos) {
          std::string ref = s.substr(i + 2, e - i - 2);
          bool ok = true;
          json v = lookup(ref, ok);
          if (!ok) missing.push_back("${" + ref + "}");
          out += v.is_string() ? v.get<std::string>() : v.dump();
          i = e;
          continue;
        }
      }
      out += s[i];
    }
    return out;
  }

  // ---- requests ----
  http::Response send(const std::string& method, const std::string& target, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
    http::Request r;
    r.method = method;
    r.target = target;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    r.headers = headers;
    r.headers.emplace_back("content-type", "application/json");
    r.body = body;
    r.remote_addr = "127.0.0.1";
    return handler_(r);
  }
  static json body_json(const http::Response& r) {
    if (r.body.empty()) return nullptr;
    json j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json(r.body) : j;
  }
  http::Response as(const std::string& user, const std::string& method, const std::string& target, const json& body) {
    std::vector<std::pair<std::string, std::string>> h;
    if (tokens_.count(user)) h.emplace_back("authorization", "Bearer " + tokens_[user]);
    std::string b = body.is_null() ? "" : body.is_string() ? body.get<std::string>() : body.dump();
    return send(method, target, b, h);
  }
  // Logs a user in once and keeps a bearer token (sessions would expire as the fake clock moves on).
  void login(const std::string& user) {
    auto r = send("POST", "/api/v1/session", json{{"username", user}, {"password", kPassword}}.dump(), {});
    ASSERT_EQ(r.status, 200) << "login " << user << ": " << r.body;
    std::string cookie;
    for (auto& [k, v] : r.headers)
      if (k == "Set-Cookie") cookie = v.substr(0, v.find(';'));
    std::string csrf = body_json(r).at("csrf_token");
    auto t = send("POST", "/api/v1/tokens", json{{"name", "scenario"}}.dump(), {{"cookie", cookie}, {"x-csrf-token", csrf}});
    ASSERT_EQ(t.status, 201) << "token for " << user << ": " << t.body;
    tokens_[user] = body_json(t).at("token");
  }
  json setup_call(const std::string& method, const std::string& target, const json& body, int want) {
    auto r = as("admin", method, target, body);
    EXPECT_EQ(r.status, want) << "setting up " << name_ << ": " << method << " " << target << " " << body.dump() << " -> " << r.body;
    return body_json(r);
  }

  void build_org(const json& org) {
    auto id = app_->init_org(org.value("name", "铁军测试"), "admin", kPassword);
    ASSERT_TRUE(id.ok()) << id.error().message;
    login("admin");
    if (::testing::Test::HasFatalFailure()) return;
    vars_["admin"] = body_json(as("admin", "GET", "/api/v1/me", nullptr));
    if (org.contains("settings")) vars_["settings"] = setup_call("PATCH", "/api/v1/settings", org["settings"], 200);
    for (auto& t : org.value("teams", json::array())) {
      json b = {{"name", t.at("name")}};
      if (t.contains("parent")) b["parent_id"] = vars_[t["parent"].get<std::string>()]["id"];
      vars_[t.at("key").get<std::string>()] = setup_call("POST", "/api/v1/teams", b, 201);
    }
    for (auto& u : org.value("users", json::array())) {
      json b = u;
      b["password"] = kPassword;
      if (!b.contains("display_name")) b["display_name"] = u.at("username");
      if (b.contains("team")) {
        b["team_id"] = vars_[u["team"].get<std::string>()]["id"];
        b.erase("team");
      }
      std::string name = u.at("username");
      vars_[name] = setup_call("POST", "/api/v1/users", b, 201);
      if (::testing::Test::HasFailure()) return;
      login(name);
    }
    for (auto& t : org.value("teams", json::array()))
      if (t.contains("manager")) {
        std::string key = t["key"];
        vars_[key] = setup_call("PATCH", "/api/v1/teams/" + vars_[key]["id"].dump(),
                                json{{"manager_id", vars_[t["manager"].get<std::string>()]["id"]}}, 200);
      }
  }

  // ---- steps ----
  std::string where(const std::string& no, const json& st) const {
    std::string w = "scenario " + name_ + "/" + backend_ + ", step " + no;
    if (st.contains("case")) w += " [case " + st["case"].get<std::string>() + "]";
    if (st.contains("note")) w += " (" + st["note"].get<std::string>() + ")";
    return w;
  }

  void step(const json& raw, const std::string& no) {
    if (raw.contains("repeat")) return repeat(raw, no);
    std::vector<std::string> missing;
    json st = subst(raw, missing);
    if (st.contains("at")) clock_.t = local(st["at"]);
    std::string what;
    json answer;
    int status = 0;
    if (st.value("jobs", false)) {
      what = "nightly jobs";
      auto r = app_->run_jobs(false);
      status = r.ok() ? 200 : 500;
      answer = r.ok() ? r.value() : json(r.error().message);
    } else if (st.contains("do")) {
      std::string d = st["do"], user = st.value("as", "admin");
      what = d + " as " + user;
      if (st.contains("body")) what += " " + brief(st["body"]);
      if (!missing.empty()) {
        tally(st, false);
        ADD_FAILURE() << where(no, st) << ": " << what << ": unknown references " << json(missing).dump();
        return;
      }
      size_t sp = d.find(' ');
      auto r = as(user, d.substr(0, sp), d.substr(sp + 1), st.value("body", json()));
      status = r.status;
      answer = body_json(r);
    } else {
      return;  // a clock step
    }
    if (st.contains("save")) vars_[st["save"].get<std::string>()] = answer;
    if (!st.contains("expect")) {
      if (status >= 400) {
        tally(st, false);
        ADD_FAILURE() << where(no, st) << ": " << what << " -> " << status << " " << brief(answer);
      }
      return;
    }
    const json& ex = st["expect"];
    std::vector<std::string> diffs;
    if (ex.contains("status") && ex["status"].get<int>() != status)
      diffs.push_back("status " + std::to_string(status) + ", expected " + ex["status"].dump());
    if (ex.contains("body")) match(ex["body"], answer, "", diffs);
    tally(st, diffs.empty());
    if (!diffs.empty()) {
      std::string all;
      for (auto& d : diffs) all += "\n    " + d;
      std::string ans = answer.dump(1, ' ', false, json::error_handler_t::replace);
      if (ans.size() > 3000) ans = ans.substr(0, 3000) + "\n…";
      ADD_FAILURE() << where(no, st) << " at " << tz_->format_local(clock_.t) << ": " << what << all << "\n  answer: " << ans;
    }
  }

  void repeat(const json& st, const std::string& no) {
    const json& r = st["repeat"];
    std::vector<json> values;
    if (r.contains("n")) {
      for (int i = 1; i <= r["n"].get<int>(); i++) values.push_back(i);
    } else {
      int64_t from = days_from_civil(*parse_date(r.at("from").get<std::string>()));
      int64_t to = days_from_civil(*parse_date(r.at("to").get<std::string>()));
      for (int64_t d = from; d <= to; d++)
        if (!r.value("working_days", false) || weekday(d) <= 5) values.push_back(format_date(civil_from_days(d)));
    }
    const std::string var = r.contains("n") ? r.value("var", "i") : r.value("var", "day");
    json saved = vars_.count(var) ? vars_[var] : json();
    for (size_t k = 0; k < values.size(); k++) {
      vars_[var] = values[k];
      int n = 0;
      for (auto& inner : st.at("steps")) step(inner, no + "." + values[k].dump() + "." + std::to_string(++n));
    }
    vars_[var] = saved;
  }

  void tally(const json& st, bool ok) {
    if (!st.contains("case")) return;
    auto& t = tally_[st["case"].get<std::string>()];
    (ok ? t.passed : t.failed)++;
  }

  std::string name_, backend_;
  FakeClock clock_;
  std::shared_ptr<const TimeZone> tz_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<App> app_;
  http::Handler handler_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, json> vars_;
  std::map<std::string, CaseTally> tally_;
};

class Scenario : public ::testing::Test {
 public:
  Scenario(std::string name, std::string backend) : name_(std::move(name)), backend_(std::move(backend)) {}
  void TestBody() override { ScenarioRun(name_, backend_).run(); }

 private:
  std::string name_, backend_;
};

// One test per file and backend, registered before main runs.
const bool registered = [] {
  for (auto& name : scenario_names())
    for (auto& backend : tj::testing::all_backends())
      ::testing::RegisterTest("Scenario", (name + "/" + backend).c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [=]() -> ::testing::Test* { return new Scenario(name, backend); });
  return true;
}();

}  // namespace
