// An organisation in a fresh store with a fake clock, for testing use cases and
// method rules without HTTP. Every app test runs on both backends, each test in
// a database of its own: a SQLite file, and a PostgreSQL database on the
// TIEJUN_TEST_PG server (scripts/pg.sh start; the PostgreSQL cases are skipped
// when it is not set). The test names end in /sqlite or /postgres, e.g.
// MethodRules.NurtureCapIsASetting/postgres.
//
//   class MyCases : public OrgFixture {};      // a SetUp() override returns early
//   TJ_ON_EACH_BACKEND(MyCases);               //   when IsSkipped()
//   TEST_P(MyCases, Something) { ... on_postgres() ... }
//
// A table-driven fixture with cases of its own derives from OrgCaseFixture<Case>
// and is instantiated with ::testing::Combine(::testing::Values(cases...),
// backends()) and CaseOnBackendName(); param() is the case.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <tuple>

#include "../store/pg_test_db.h"
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

// The backend parameter: "sqlite" and "postgres" (a PostgreSQL test is skipped
// when TIEJUN_TEST_PG is not set).
inline auto backends() { return ::testing::ValuesIn(all_backends()); }

// The organisation and its store; the backend comes from the test parameter.
class OrgStore : public ::testing::Test {
 protected:
  virtual std::string backend() const = 0;  // "sqlite" or "postgres"
  bool on_postgres() const { return backend() == "postgres"; }

  void SetUp() override {
    std::string url = fresh_test_db(backend(), "tj_app");
    if (url.empty()) GTEST_SKIP() << "TIEJUN_TEST_PG is not set (scripts/pg.sh start)";
    auto s = open_store(url, 2);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store = std::move(s.value());
    auto m = store->migrate();
    ASSERT_TRUE(m.ok()) << m.error().message;
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

// The usual fixture: the parameter is the backend.
class OrgFixture : public OrgStore, public ::testing::WithParamInterface<std::string> {
 protected:
  std::string backend() const override { return GetParam(); }
};

// A table-driven fixture: the parameter is (case, backend), instantiated with
// ::testing::Combine(::testing::Values(cases...), backends()) and named by
// CaseOnBackendName (case0_sqlite, case0_postgres, case1_sqlite, ...); param()
// is the case.
template <class Case>
class OrgCaseFixture : public OrgStore, public ::testing::WithParamInterface<std::tuple<Case, std::string>> {
 protected:
  using Param = std::tuple<Case, std::string>;
  std::string backend() const override { return std::get<1>(::testing::WithParamInterface<Param>::GetParam()); }
  static const Case& param() { return std::get<0>(::testing::WithParamInterface<Param>::GetParam()); }
};

struct CaseOnBackendName {
  template <class P>
  std::string operator()(const ::testing::TestParamInfo<P>& i) const {
    return "case" + std::to_string(i.index / all_backends().size()) + "_" + std::get<1>(i.param);
  }
};

}  // namespace tj::testing

// Instantiates a fixture derived from OrgFixture on both backends.
#define TJ_ON_EACH_BACKEND(Fixture) \
  INSTANTIATE_TEST_SUITE_P(, Fixture, ::tj::testing::backends(), ::tj::testing::BackendName())

