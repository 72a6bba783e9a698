// The store contract: every backend behind Store/Tx must pass these. The suite
// is instantiated for SQLite always, and for PostgreSQL when TIEJUN_TEST_PG
// names a server (the PostgreSQL backend plugs in through open_store).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "app/store.h"
#include "store/tx.h"

using namespace tj;

namespace {

std::string fresh_url(const std::string& backend) {
  static std::atomic<int> n{0};
  if (backend == "sqlite") {
    auto dir = std::filesystem::temp_directory_path() / ("tj-store-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto p = dir / ("c" + std::to_string(n++) + ".db");
    std::filesystem::remove(p);
    return "sqlite:" + p.string();
  }
  const char* pg = std::getenv("TIEJUN_TEST_PG");
  return pg ? std::string(pg) + "#fresh" + std::to_string(n++) : "";
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url = fresh_url(GetParam());
    if (url.empty()) GTEST_SKIP() << GetParam() << " not configured";
    auto s = open_store(url, 2);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store = std::move(s.value());
    auto m = store->migrate();
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
      org = tx.insert_org("甲公司", 1);
      org2 = tx.insert_org("乙公司", 1);
      User u;
      u.org_id = org;
      u.username = "rep-" + std::to_string(org);
      u.display_name = "张三";
      u.password_hash = "x";
      u.created_at = 1;
      rep = tx.insert_user(u);
      u.username = "rep2-" + std::to_string(org);
      rep2 = tx.insert_user(u);
      u.org_id = org2;
      u.username = "other-" + std::to_string(org2);
      other = tx.insert_user(u);
      return ok_status();
    }).ok());
  }
  Id add_company(Id o, const std::string& name, std::optional<Id> owner) {
    Id id = 0;
    EXPECT_TRUE(store->write([&](Tx& tx) -> Status {
      Company c;
      c.org_id = o;
      c.name = name;
      c.owner_id = owner;
      c.industry = "制造";
      c.created_at = c.updated_at = 10;
      id = tx.insert_company(c);
      return ok_status();
    }).ok());
    return id;
  }
  std::vector<Company> list(CompanyQuery q) {
    std::vector<Company> out;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      out = tx.list_companies(q);
      return ok_status();
    }).ok());
    return out;
  }
  std::unique_ptr<Store> store;
  Id org = 0, org2 = 0, rep = 0, rep2 = 0, other = 0;
};

TEST_P(StoreContract, MigrateIsIdempotent) {
  auto again = store->migrate();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), 0);
  EXPECT_GE(store->schema_version().value(), 1);
}

TEST_P(StoreContract, RowsOfAnotherOrganisationAreInvisible) {
  Id c = add_company(org, "杭州云栖科技有限公司", rep);
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.get_company(org, c).has_value());
    EXPECT_FALSE(tx.get_company(org2, c).has_value());
    EXPECT_FALSE(tx.get_user(org2, rep).has_value());
    return ok_status();
  }).ok());
  CompanyQuery q;
  q.org_id = org2;
  q.scope.kind = Scope::All;
  EXPECT_TRUE(list(q).empty());
}

TEST_P(StoreContract, UpdateChecksVersion) {
  Id id = add_company(org, "A", rep);
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto c = *tx.get_company(org, id);
    c.name = "B";
    EXPECT_TRUE(tx.update_company(c, 1));
    EXPECT_FALSE(tx.update_company(c, 1)) << "stale version must not write";
    auto again = *tx.get_company(org, id);
    EXPECT_EQ(again.version, 2);
    EXPECT_EQ(again.name, "B");
    Company wrong_org = again;
    wrong_org.org_id = org2;
    EXPECT_FALSE(tx.update_company(wrong_org, 2)) << "another org cannot update";
    return ok_status();
  }).ok());
}

TEST_P(StoreContract, FailedWriteRollsBackEverythingIncludingAudit) {
  auto st = store->write([&](Tx& tx) -> Status {
    Company c;
    c.org_id = org;
    c.name = "rolled back";
    c.created_at = c.updated_at = 1;
    tx.insert_company(c);
    tx.insert_audit(AuditEntry{0, org, 1, rep, "create", "company", 1, "", "{}"});
    return conflict("test", "abort");
  });
  EXPECT_FALSE(st.ok());
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.list_audit(org, "", std::nullopt, 10).empty());
    return ok_status();
  }).ok());
  CompanyQuery q;
  q.org_id = org;
  q.scope.kind = Scope::All;
  EXPECT_TRUE(list(q).empty());
}

TEST_P(StoreContract, AuditLogIsAppendOnly) {
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.insert_audit(AuditEntry{0, org, 1, rep, "create", "company", 1, "", "{}"});
    return ok_status();
  }).ok());
  auto upd = store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE audit_log SET action = 'x'");
    return ok_status();
  });
  EXPECT_FALSE(upd.ok());
  auto del = store->write([&](Tx& tx) -> Status {
    tx.conn().exec("DELETE FROM audit_log");
    return ok_status();
  });
  EXPECT_FALSE(del.ok());
}

TEST_P(StoreContract, ChineseSubstringSearchShortAndLong) {
  add_company(org, "杭州阿里巴巴网络技术有限公司", rep);
  add_company(org, "深圳腾讯计算机系统有限公司", rep);
  Id c3 = add_company(org, "上海某某贸易", rep);
  add_company(org2, "阿里巴巴（其他租户）", other);
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    Contact ct;
    ct.org_id = org;
    ct.company_id = c3;
    ct.name = "马云飞";
    ct.created_at = 1;
    tx.insert_contact(ct);
    return ok_status();
  }).ok());
  auto names = [&](const std::string& q) {
    CompanyQuery cq;
    cq.org_id = org;
    cq.scope.kind = Scope::All;
    cq.q = q;
    std::vector<std::string> out;
    for (auto& c : list(cq)) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(names("阿里").size(), 1u) << "two characters must match";
  EXPECT_EQ(names("阿里巴巴").size(), 1u) << "trigram match, scoped to the org";
  EXPECT_EQ(names("腾讯计算机").size(), 1u);
  EXPECT_EQ(names("里").size(), 1u) << "one character";
  EXPECT_EQ(names("马云").size(), 1u) << "contact names, short";
  EXPECT_EQ(names("马云飞").size(), 1u) << "contact names, trigram";
  EXPECT_EQ(names("有限公司").size(), 2u);
  EXPECT_TRUE(names("不存在的公司").empty());
  EXPECT_TRUE(names("\"; DROP TABLE companies; --").empty()) << "search text is data";
  EXPECT_TRUE(names("%").empty()) << "LIKE wildcards are escaped";
}

TEST_P(StoreContract, ScopeLimitsOwnersAndShowsThePool) {
  add_company(org, "mine", rep);
  add_company(org, "theirs", rep2);
  add_company(org, "pool", std::nullopt);
  CompanyQuery q;
  q.org_id = org;
  q.scope.kind = Scope::Self;
  q.scope.user_id = rep;
  auto rows = list(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].name, "mine");
  EXPECT_EQ(rows[1].name, "pool");
  q.owner_id = 0;
  EXPECT_EQ(list(q).size(), 1u);
}

TEST_P(StoreContract, KeysetPagingVisitsEveryRowOnce) {
  for (int i = 0; i < 37; i++) add_company(org, "公司" + std::to_string(i % 7), rep);  // duplicate names
  for (bool desc : {false, true}) {
    CompanyQuery q;
    q.org_id = org;
    q.scope.kind = Scope::All;
    q.sort = "name";
    q.desc = desc;
    q.limit = 10;
    std::set<Id> seen;
    std::string last_name;
    for (int page = 0; page < 10; page++) {
      auto rows = list(q);
      for (auto& c : rows) {
        EXPECT_TRUE(seen.insert(c.id).second) << "duplicate " << c.id;
        if (!last_name.empty()) EXPECT_TRUE(desc ? c.name <= last_name : c.name >= last_name);
        last_name = c.name;
      }
      if (rows.size() < 10) break;
      q.after_value = db::Value(rows.back().name);
      q.after_id = rows.back().id;
    }
    EXPECT_EQ(seen.size(), 37u);
  }
}

TEST_P(StoreContract, RepMetricsAggregateByLocalDay) {
  Id c = add_company(org, "X", rep);
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto add = [&](const char* day, bool was_new, std::optional<int64_t> dur, VisitKind k) {
      Visit v;
      v.org_id = org;
      v.company_id = c;
      v.rep_id = rep;
      v.at = 100;
      v.day = day;
      v.kind = k;
      v.was_new = was_new;
      v.duration_min = dur;
      v.created_at = 1;
      tx.insert_visit(v);
    };
    add("2026-11-01", true, 30, VisitKind::Visit);
    add("2026-11-02", true, std::nullopt, VisitKind::Call);  // 15 minutes by default
    add("2026-11-02", false, 45, VisitKind::Visit);
    add("2026-12-01", true, 30, VisitKind::Visit);            // outside the range
    tx.insert_deal(Deal{0, org, c, rep, 123456, "2026-11-15", 1});
    return ok_status();
  }).ok());
  std::vector<RepMetrics> m;
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    m = tx.rep_metrics(org, "2026-11-01", "2026-11-30", std::nullopt);
    return ok_status();
  }).ok());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].visits, 3);
  EXPECT_EQ(m[0].visits_new, 2);
  EXPECT_EQ(m[0].minutes_total, 90);
  EXPECT_EQ(m[0].minutes_new, 45);
  EXPECT_EQ(m[0].deals, 1);
  EXPECT_EQ(m[0].signed_amount, 123456);
}

TEST_P(StoreContract, SessionsAndTokens) {
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.insert_session(Session{"h1", org, rep, "csrf", 1, 1});
    tx.insert_session(Session{"h2", org, rep, "csrf", 1, 1});
    tx.insert_token(org, rep, "ci", "th", 1);
    tx.delete_sessions_of(org, rep, "h2");
    EXPECT_FALSE(tx.get_session("h1"));
    EXPECT_TRUE(tx.get_session("h2"));
    EXPECT_TRUE(tx.find_token("th"));
    tx.delete_tokens_of(org, rep);
    EXPECT_FALSE(tx.find_token("th"));
    return ok_status();
  }).ok());
}

TEST_P(StoreContract, TargetsKeepHistory) {
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    Target t;
    t.org_id = org;
    t.scope = "rep";
    t.scope_id = rep;
    t.metric = "effective_new";
    t.period = "day";
    t.value = 3;
    t.updated_at = 1;
    t.id = tx.upsert_target(t, std::nullopt);
    t.value = 2;
    t.reason = "取中间值";
    tx.upsert_target(t, 3);
    auto got = tx.get_target(org, "rep", rep, "effective_new", "day");
    EXPECT_EQ(got->value, 2);
    EXPECT_EQ(tx.conn().scalar("SELECT COUNT(*) FROM target_history WHERE org_id = ?", {org}), 2);
    return ok_status();
  }).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
