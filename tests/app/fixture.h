// An organisation in a temporary SQLite store with a fake clock, for testing
// use cases and method rules without HTTP.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "app/internal.h"

namespace tj::testing {

class FakeClock final : public Clock {
 public:
  Instant t = 0;
  Instant now() const override { return t; }
};

inline Instant at(const char* iso) {
  auto t = parse_iso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

class OrgFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    auto dir = std::filesystem::temp_directory_path() / ("tj-app-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto p = dir / ("a" + std::to_string(n++) + ".db");
    std::filesystem::remove(p);
    auto s = open_store("sqlite:" + p.string(), 2);
    ASSERT_TRUE(s.ok());
    store = std::move(s.value());
    ASSERT_TRUE(store->migrate().ok());
    clock.t = at("2026-11-27T12:00:00+08:00");  // a Friday
    app = std::make_unique<App>(*store, clock);
    ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
      org = tx.insert_org("铁军测试", 1);
      auto user = [&](const char* name, Role r, std::optional<Id> team, const char* hire = "2024-01-01") {
        User u;
        u.org_id = org;
        u.username = std::string(name) + "-" + std::to_string(org);
        u.display_name = name;
        u.password_hash = "x";
        u.role = r;
        u.team_id = team;
        u.hire_date = hire;
        u.created_at = 1;
        return tx.insert_user(u);
      };
      admin = user("admin", Role::Admin, std::nullopt);
      mgr = user("mgr", Role::Manager, std::nullopt);
      mgr2 = user("mgr2", Role::Manager, std::nullopt);
      Team t;
      t.org_id = org;
      t.name = "一组";
      t.manager_id = mgr;
      team = tx.insert_team(t);
      t.name = "二组";
      t.manager_id = mgr2;
      team2 = tx.insert_team(t);
      rep1 = user("rep1", Role::Rep, team);
      rep2 = user("rep2", Role::Rep, team, "2026-10-01");  // a new hire
      rep3 = user("rep3", Role::Rep, team2);
      return ok_status();
    }).ok());
  }
  Actor actor(Id user) {
    Actor a;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      a.user = *tx.get_user(org, user);
      a.scope = detail::scope_for(tx, a.user);
      return ok_status();
    }).ok());
    return a;
  }
  Id company(Id owner, const std::string& name, json extra = json::object()) {
    extra["name"] = name;
    if (owner != admin) extra["owner_id"] = owner;
    auto r = app->create_company(actor(admin), extra);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value()["id"].get<Id>() : 0;
  }
  json visit(Id rep, Id company, const char* iso, json extra = json::object()) {
    extra["company_id"] = company;
    extra["at"] = iso;
    auto r = app->create_visit(actor(rep), extra);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : json();
  }
  json ok(Result<json> r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.value() : json();
  }
  std::vector<json> alerts_of(Id as, const std::string& kind, const std::string& as_of = "2026-11-27") {
    auto j = ok(app->alerts(actor(as), {{"as_of", as_of}, {"kind", kind}}));
    std::vector<json> out;
    for (auto& i : j["items"]) out.push_back(i);
    return out;
  }

  FakeClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<App> app;
  Id org = 0, admin = 0, mgr = 0, mgr2 = 0, team = 0, team2 = 0, rep1 = 0, rep2 = 0, rep3 = 0;
};

}  // namespace tj::testing
