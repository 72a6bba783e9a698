// Security properties that depend on time or on the inside of a transaction,
// tested at the App level with a fake clock (tests/security/ covers the rest
// over HTTP):
//   - login throttling: 10 failures per account per 15 minutes (so at most 40
//     an hour), 429 even for the right password, and the real user logs in
//     once the window has passed;
//   - sessions: idle expiry (sliding), absolute expiry (30 days), rotation at
//     login, logout, deactivation and password changes end them;
//   - audit: every change writes who/when/old/new in the same transaction as
//     the change — a transaction that fails at commit leaves neither the change
//     nor its audit row; a stale (409) PATCH leaves no audit row; the database
//     refuses UPDATE and DELETE on the audit log.
#include <map>

#include "fixture.h"

using namespace tj;
using namespace tj::testing;

namespace {

constexpr const char* kPw = "Correct-horse-1";

class SecurityFixture : public OrgFixture {
 protected:
  void SetUp() override {
    OrgFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    static const std::string hash = App::hash_password(kPw);  // argon2id once per process
    ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
      tx.conn().exec("UPDATE users SET password_hash = ? WHERE org_id = ?", {hash, org});
      return ok_status();
    }).ok());
  }
  std::string name(Id user) {
    std::string n;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      n = tx.get_user(org, user)->username;
      return ok_status();
    }).ok());
    return n;
  }
  Result<LoginResult> login(Id user, const std::string& pw = kPw, const std::string& old_cookie = "") {
    return app->login(json{{"username", name(user)}, {"password", pw}}, "127.0.0.1", old_cookie);
  }
  std::string cookie(Id user) {
    auto r = login(user);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value().cookie : "";
  }
  bool live(const std::string& cookie) { return app->authenticate_session(cookie).ok(); }
  int64_t scalar(const std::string& sql) {
    int64_t v = 0;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      v = tx.conn().scalar(sql);
      return ok_status();
    }).ok());
    return v;
  }
  // Every row of the organisation's tables (what a failed transaction must not change).
  std::string dump() {
    std::string out;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      for (auto t : {"companies", "contacts", "visits", "deals", "targets", "target_history", "plans", "reviews", "users",
                     "teams", "settings", "audit_log", "sessions", "api_tokens", "comments", "likes", "values_assessments",
                     "training_records"}) {
        out += std::string("#") + t + "\n";
        // SQLite: in insertion order; PostgreSQL has no rowid: in the order of the rows' text
        std::string order = on_postgres() ? std::string(" ORDER BY ") + t + "::text" : " ORDER BY rowid";
        for (auto& row : tx.conn().query(std::string("SELECT * FROM ") + t + order, {})) {
          for (auto& c : row.cols) {
            if (auto p = std::get_if<int64_t>(&c)) out += std::to_string(*p);
            else if (auto p = std::get_if<double>(&c)) out += std::to_string(*p);
            else if (auto p = std::get_if<std::string>(&c)) out += *p;
            else out += "NULL";
            out += "|";
          }
          out += "\n";
        }
      }
      return ok_status();
    }).ok());
    return out;
  }
};

// ---------- throttling ----------

TJ_ON_EACH_BACKEND(SecurityFixture);

TEST_P(SecurityFixture, ThrottleTenFailuresThen429ThenTheWindowPasses) {
  Instant t0 = clock.t;
  for (int i = 0; i < 10; i++) {
    auto r = login(rep1, "wrong-password");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Err::Unauthorized) << "attempt " << i + 1;
    clock.t += 5;
  }
  auto r = login(rep1);  // the right password, but throttled
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::TooMany);
  // another account is not affected
  EXPECT_TRUE(login(rep2).ok());
  // still locked just before the window ends (the last failure was at t0 + 45 s)
  clock.t = t0 + 15 * 60 - 1;
  r = login(rep1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::TooMany);
  // once the failures are older than 15 minutes, the real user logs in
  clock.t = t0 + 45 + 15 * 60 + 1;
  r = login(rep1);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(live(r.value().cookie));
}

TEST_P(SecurityFixture, ThrottleAllowsAtMostFortyGuessesAnHour) {
  Instant t0 = clock.t;
  int checked = 0;  // attempts that got as far as the password check
  for (Instant t = t0; t < t0 + 3600; t += 20) {
    clock.t = t;
    auto r = login(rep1, "guess-" + std::to_string(t));
    ASSERT_FALSE(r.ok());
    if (r.error().kind == Err::Unauthorized) checked++;
    else ASSERT_EQ(r.error().kind, Err::TooMany);
  }
  EXPECT_LE(checked, 40);
  EXPECT_LE(checked, 100);  // the issue's bound
  EXPECT_GE(checked, 30);   // and the window really slides
  clock.t = t0 + 3600 + 15 * 60 + 1;
  EXPECT_TRUE(login(rep1).ok()) << "the real user logs in 15 minutes after the attack stops";
}

TEST_P(SecurityFixture, ThrottleUnknownUsernamesLikeKnownOnes) {
  for (int i = 0; i < 10; i++) {
    auto r = app->login(json{{"username", "nobody-here"}, {"password", "x-password"}}, "127.0.0.1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Err::Unauthorized);
  }
  auto r = app->login(json{{"username", "nobody-here"}, {"password", "x-password"}}, "127.0.0.1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::TooMany);
}

// ---------- sessions ----------

TEST_P(SecurityFixture, IdleExpirySlidesWithUseAndEndsTheSession) {
  ASSERT_TRUE(app->patch_settings(actor(admin), json{{"session_idle_minutes", 30}}).ok());
  std::string c = cookie(rep1);
  Instant t0 = clock.t;
  clock.t = t0 + 29 * 60;
  EXPECT_TRUE(live(c)) << "used within the idle time";
  clock.t = t0 + 58 * 60;
  EXPECT_TRUE(live(c)) << "the last use counts, not the login";
  clock.t = t0 + 58 * 60 + 30 * 60 + 1;
  auto a = app->authenticate_session(c);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, Err::Unauthorized);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(rep1)), 0) << "the expired session is deleted";
  clock.t -= 3600;  // even a clock that goes back does not revive it
  EXPECT_FALSE(live(c));
}

TEST_P(SecurityFixture, AbsoluteExpiryAfterThirtyDaysEvenWhenActive) {
  std::string c = cookie(rep1);
  Instant t0 = clock.t;
  for (Instant t = t0; t < t0 + 30 * 86400; t += 11 * 3600) {
    clock.t = t;
    ASSERT_TRUE(live(c)) << "day " << (t - t0) / 86400.0;
  }
  clock.t = t0 + 30 * 86400 + 1;
  EXPECT_FALSE(live(c));
}

TEST_P(SecurityFixture, RotationAtLoginEndsTheCookieSent) {
  std::string c1 = cookie(rep1);
  auto r = login(rep1, kPw, c1);
  ASSERT_TRUE(r.ok());
  std::string c2 = r.value().cookie;
  EXPECT_NE(c1, c2);
  EXPECT_FALSE(live(c1));
  EXPECT_TRUE(live(c2));
  // a failed login does not end the cookie it carried
  EXPECT_FALSE(login(rep1, "wrong-password", c2).ok());
  EXPECT_TRUE(live(c2));
  // a cookie of another user sent at login is ended too (it is the browser's)
  std::string other = cookie(rep2);
  ASSERT_TRUE(login(rep1, kPw, other).ok());
  EXPECT_FALSE(live(other));
}

TEST_P(SecurityFixture, LogoutEndsOnlyThisSession) {
  std::string a = cookie(rep1), b = cookie(rep1);
  auto actor_a = app->authenticate_session(a);
  ASSERT_TRUE(actor_a.ok());
  ASSERT_TRUE(app->logout(actor_a.value()).ok());
  EXPECT_FALSE(live(a));
  EXPECT_TRUE(live(b));
}

TEST_P(SecurityFixture, DeactivationEndsSessionsAndTokensAtOnce) {
  std::string c = cookie(rep1);
  auto a = app->authenticate_session(c);
  ASSERT_TRUE(a.ok());
  auto t = app->create_token(a.value(), json{{"name", "cron"}});
  ASSERT_TRUE(t.ok());
  std::string token = t.value()["token"];
  ASSERT_TRUE(app->authenticate_token(token).ok());
  ASSERT_TRUE(app->patch_user(actor(admin), rep1, json{{"active", false}}).ok());
  EXPECT_FALSE(live(c));
  EXPECT_FALSE(app->authenticate_token(token).ok());
  EXPECT_FALSE(login(rep1).ok());
  ASSERT_TRUE(app->patch_user(actor(admin), rep1, json{{"active", true}}).ok());
  EXPECT_FALSE(live(c)) << "reactivation revives nothing";
  EXPECT_FALSE(app->authenticate_token(token).ok());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE user_id = " + std::to_string(rep1)), 0);
}

TEST_P(SecurityFixture, PasswordChangeEndsOtherSessions) {
  std::string here = cookie(rep1), there = cookie(rep1);
  auto a = app->authenticate_session(here);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(app->patch_user(a.value(), rep1, json{{"password", "New-password-9"}, {"current_password", kPw}}).ok());
  EXPECT_TRUE(live(here));
  EXPECT_FALSE(live(there));
  EXPECT_FALSE(login(rep1).ok()) << "the old password no longer works";
  auto r = login(rep1, "New-password-9");
  ASSERT_TRUE(r.ok());
  // an admin reset ends every session of the user, including the one that changed it
  ASSERT_TRUE(app->patch_user(actor(admin), rep1, json{{"password", kPw}}).ok());
  EXPECT_FALSE(live(here));
  EXPECT_FALSE(live(r.value().cookie));
}

// ---------- audit ----------

// A Store whose every write runs to the end and then fails, as a commit that
// fails would: the transaction is rolled back.
class FailAtCommit final : public Store {
 public:
  explicit FailAtCommit(Store& s) : s_(s) {}
  Status read(const std::function<Status(Tx&)>& fn) override { return s_.read(fn); }
  Status write(const std::function<Status(Tx&)>& fn) override {
    bool ran = false;
    Status st = s_.write([&](Tx& tx) -> Status {
      TRY(fn(tx));
      ran = true;
      return Error{Err::Unavailable, "injected", "injected failure at commit"};
    });
    if (ran) injected++;
    return st;
  }
  Result<int> migrate() override { return s_.migrate(); }
  Result<int> schema_version() override { return s_.schema_version(); }
  Status backup(const std::string& p) override { return s_.backup(p); }
  std::string describe() const override { return s_.describe(); }
  int injected = 0;

 private:
  Store& s_;
};

TEST_P(SecurityFixture, AChangeAndItsAuditRowCommitOrRollBackTogether) {
  // records to act on, through the real store
  Id c = company(rep1, "审计公司");
  Id pool = company(admin, "公海公司", json{{"owner_id", nullptr}});
  visit(rep1, c, "2026-11-27T10:00:00+08:00", {{"need", true}});
  json co = ok(app->get_company(actor(rep1), c));
  std::string cookie1 = cookie(rep1);
  auto a1 = app->authenticate_session(cookie1);
  ASSERT_TRUE(a1.ok());
  Id review_id = 0;
  ok(app->put_note(actor(rep1), Tx::NoteKind::Review, "2026-11-27", json{{"wins", "x"}}));
  review_id = scalar("SELECT id FROM reviews LIMIT 1");

  FailAtCommit failing(*store);
  App fapp(failing, clock);
  const std::string before = dump();
  int64_t audit_before = scalar("SELECT COUNT(*) FROM audit_log");

  struct Case {
    const char* name;
    std::function<Status()> run;
  };
  auto st = [](auto r) -> Status {
    if (r.ok()) return ok_status();
    return r.take_error();
  };
  std::vector<Case> cases = {
      {"create_company", [&] { return st(fapp.create_company(actor(rep1), {{"name", "新公司"}})); }},
      {"patch_company", [&] { return st(fapp.patch_company(actor(rep1), c, {{"version", co["version"]}, {"region", "杭州"}})); }},
      {"status nurture", [&] {
         return st(fapp.patch_company(actor(rep1), c, {{"version", co["version"]}, {"status", "nurture"},
                                                        {"nurture_reason", "预算明年"}, {"revisit_on", "2026-12-20"}}));
       }},
      {"delete_company", [&] { return fapp.delete_company(actor(rep1), c); }},
      {"claim_company", [&] { return st(fapp.claim_company(actor(rep2), pool)); }},
      {"merge_companies", [&] { return st(fapp.merge_companies(actor(admin), c, {{"from_id", pool}})); }},
      {"create_contact", [&] { return st(fapp.create_contact(actor(rep1), c, {{"name", "王五"}, {"is_payer", true}})); }},
      {"create_visit", [&] {
         return st(fapp.create_visit(actor(rep1), {{"company_id", c}, {"need", true}, {"budget", true}, {"met_payer", true}}));
       }},
      {"create_deal", [&] { return st(fapp.create_deal(actor(rep1), {{"company_id", c}, {"amount", 500000}})); }},
      {"put_target", [&] {
         return st(fapp.put_target(actor(mgr), {{"scope", "rep"}, {"scope_id", rep1}, {"metric", "visits_new"}, {"period", "day"},
                                                {"value", 4}, {"reason", "x"}}));
       }},
      {"patch_settings", [&] { return st(fapp.patch_settings(actor(admin), {{"nurture_cap", 3}})); }},
      {"put_note", [&] { return st(fapp.put_note(actor(rep1), Tx::NoteKind::Plan, "2026-11-27", {{"goal", "x"}})); }},
      {"create_user", [&] {
         return st(fapp.create_user(actor(admin), {{"username", "newbie"}, {"password", "Newbie-pass-1"}, {"role", "rep"},
                                                   {"team_id", team}}));
       }},
      {"patch_user deactivate", [&] { return st(fapp.patch_user(actor(admin), rep2, {{"active", false}})); }},
      {"create_team", [&] { return st(fapp.create_team(actor(admin), {{"name", "三组"}})); }},
      {"patch_team", [&] { return st(fapp.patch_team(actor(admin), team, {{"name", "改名"}})); }},
      {"comment", [&] { return st(fapp.comment(actor(rep2), "review", review_id, {{"body", "好"}})); }},
      {"like", [&] { return st(fapp.like(actor(rep2), "review", review_id)); }},
      {"add_values", [&] {
         return st(fapp.add_values(actor(mgr), {{"user_id", rep1}, {"period", "2026-11"}, {"customer_first", 4}, {"teamwork", 4},
                                                {"embrace_change", 4}, {"integrity", 4}, {"passion", 4}, {"dedication", 4}}));
       }},
      {"add_training", [&] {
         return st(fapp.add_training(actor(mgr), {{"user_id", rep1}, {"kind", "skills"}, {"title", "x"}}));
       }},
      {"create_token", [&] { return st(fapp.create_token(a1.value(), {{"name", "t"}})); }},
      {"login", [&] { return st(fapp.login(json{{"username", name(rep2)}, {"password", kPw}}, "127.0.0.1")); }},
      {"logout", [&] { return fapp.logout(a1.value()); }},
  };
  for (auto& tc : cases) {
    int n = failing.injected;
    Status s = tc.run();
    ASSERT_FALSE(s.ok()) << tc.name << " succeeded through a failing store";
    EXPECT_EQ(s.error().code, "injected") << tc.name << ": " << s.error().message;
    EXPECT_EQ(failing.injected, n + 1) << tc.name << " did not run its write";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log"), audit_before) << tc.name << " left an audit row";
    EXPECT_EQ(dump(), before) << tc.name << " left a change";
  }
  // and through the real store the same calls do write their audit rows
  ASSERT_TRUE(app->patch_company(actor(rep1), c, {{"version", co["version"]}, {"region", "杭州"}}).ok());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log"), audit_before + 1);
}

TEST_P(SecurityFixture, AuditRowHoldsWhoWhenOldAndNew) {
  Id c = company(rep1, "谁何时公司", json{{"region", "北京"}});
  json co = ok(app->get_company(actor(mgr), c));
  clock.t += 3600;
  ok(app->patch_company(actor(mgr), c, {{"version", co["version"]}, {"region", "上海"}}));
  json list = ok(app->list_audit(actor(admin), {{"entity", "company"}, {"entity_id", std::to_string(c)}}));
  ASSERT_FALSE(list["items"].empty());
  json e = list["items"][0];  // newest first
  EXPECT_EQ(e["user_id"], mgr);
  EXPECT_EQ(e["action"], "update");
  EXPECT_EQ(e["old"]["region"], "北京");
  EXPECT_EQ(e["new"]["region"], "上海");
  EXPECT_EQ(scalar("SELECT MAX(at) FROM audit_log WHERE entity = 'company' AND entity_id = " + std::to_string(c)), clock.t);
}

TEST_P(SecurityFixture, StalePatchLeavesNoAuditRow) {
  Id c = company(rep1, "并发公司");
  json co = ok(app->get_company(actor(rep1), c));
  ok(app->patch_company(actor(rep1), c, {{"version", co["version"]}, {"region", "A"}}));
  int64_t n = scalar("SELECT COUNT(*) FROM audit_log");
  auto r = app->patch_company(actor(rep1), c, {{"version", co["version"]}, {"region", "B"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::Conflict);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log"), n);
  EXPECT_EQ(ok(app->get_company(actor(rep1), c))["region"], "A");
}

TEST_P(SecurityFixture, TheDatabaseRefusesToAlterOrDeleteAuditRows) {
  company(rep1, "不可改公司");
  int64_t n = scalar("SELECT COUNT(*) FROM audit_log");
  ASSERT_GT(n, 0);
  std::string before = dump();
  for (auto sql : {"UPDATE audit_log SET action = 'forged'", "UPDATE audit_log SET user_id = NULL WHERE id = 1",
                   "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)"}) {
    Status s = store->write([&](Tx& tx) -> Status {
      tx.conn().exec(sql, {});
      return ok_status();
    });
    EXPECT_FALSE(s.ok()) << sql << " was allowed";
  }
  EXPECT_EQ(dump(), before);
}

TEST_P(SecurityFixture, RepsAndManagersReadOnlyTheirOwnAuditEntries) {
  ok(app->create_company(actor(rep1), {{"name", "甲的公司"}}));
  ok(app->create_company(actor(rep2), {{"name", "乙的公司"}}));
  ok(app->put_target(actor(mgr), {{"scope", "rep"}, {"scope_id", rep1}, {"metric", "visits_new"}, {"period", "day"}, {"value", 3}}));
  for (Id who : {rep1, rep2, mgr}) {
    json list = ok(app->list_audit(actor(who), {{"limit", "500"}}));
    EXPECT_FALSE(list["items"].empty());
    for (auto& e : list["items"]) EXPECT_EQ(e["user_id"], who) << e.dump();
  }
  // even asking for another's entity by id
  json l = ok(app->list_audit(actor(rep2), {{"entity", "company"}, {"limit", "500"}}));
  for (auto& e : l["items"]) EXPECT_EQ(e["user_id"], rep2);
}

}  // namespace
