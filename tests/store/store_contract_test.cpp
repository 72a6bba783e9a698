// The store contract: every backend behind Store/Tx must pass these. The suite
// is instantiated for SQLite always, and for PostgreSQL when TIEJUN_TEST_PG
// names a server (the PostgreSQL backend plugs in through open_store).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "app/store.h"
#include "pg_test_db.h"
#include "store/postgres/pg.h"
#include "store/tx.h"

using namespace tj;

namespace {

// A fresh database per test: a SQLite file, or a PostgreSQL database on the
// TIEJUN_TEST_PG server ("" when not set), dropped when the test program ends.
std::string fresh_url(const std::string& backend) { return tj::testing::fresh_test_db(backend, "tj_store"); }

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

// rep_day_stats (migration 0005) is kept by triggers on visits, deals and companies; after
// every kind of write it must equal a recomputation from the raw rows, on each backend.
std::vector<std::string> rep_day_rows(Tx& tx, Id org) {
  std::vector<std::string> out;
  for (auto& r : tx.conn().query("SELECT rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, "
                                 "signed_amount FROM rep_day_stats WHERE org_id = ? AND (visits <> 0 OR effective_new <> 0 "
                                 "OR deals <> 0 OR visits_new <> 0 OR minutes_total <> 0 OR signed_amount <> 0) "
                                 "ORDER BY rep_id, day",
                                 {org})) {
    std::string line;
    for (size_t i = 0; i < 9; i++) line += (i == 1 ? r.str(i) : std::to_string(r.i64(i))) + " ";
    out.push_back(line);
  }
  return out;
}

void expect_counters_match(Store& store, Id org, const char* when) {
  std::vector<std::string> kept, rebuilt;
  // The write is rolled back: the recomputation is compared, not kept.
  auto st = store.write([&](Tx& tx) -> Status {
    kept = rep_day_rows(tx, org);
    tx.rebuild_rep_day_stats(org);
    rebuilt = rep_day_rows(tx, org);
    return conflict("rollback", "compare only");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(kept, rebuilt) << "after " << when;
}

TEST_P(StoreContract, RepDayCountersEqualARecomputationAfterEveryWrite) {
  Id c = add_company(org, "计数公司", rep), c2 = add_company(org, "计数二", rep2), oc = add_company(org2, "别家", other);
  std::vector<Id> visits;
  Id deal = 0;
  auto add_visit = [&](Tx& tx, Id o, Id company, Id r, const char* day, bool was_new, std::optional<int64_t> dur, VisitKind k) {
    Visit v;
    v.org_id = o;
    v.company_id = company;
    v.rep_id = r;
    v.at = 100;
    v.day = day;
    v.kind = k;
    v.was_new = was_new;
    v.duration_min = dur;
    v.met_payer = true;
    v.created_at = 1;
    return tx.insert_visit(v);
  };
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    visits.push_back(add_visit(tx, org, c, rep, "2026-11-25", true, 30, VisitKind::Visit));
    visits.push_back(add_visit(tx, org, c, rep, "2026-11-25", false, std::nullopt, VisitKind::Call));
    visits.push_back(add_visit(tx, org, c, rep, "2026-11-26", true, std::nullopt, VisitKind::Visit));
    visits.push_back(add_visit(tx, org, c2, rep2, "2026-11-26", true, 20, VisitKind::Accompanied));
    add_visit(tx, org2, oc, other, "2026-11-26", true, 10, VisitKind::Visit);
    deal = tx.insert_deal(Deal{0, org, c, rep, 50000, "2026-11-26", 1});
    tx.insert_deal(Deal{0, org, c2, rep2, 70000, "2026-11-26", 1});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "inserts");
  expect_counters_match(*store, org2, "inserts (other organisation)");
  std::vector<std::string> first;
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    first = rep_day_rows(tx, org);
    auto d = tx.daily_counts(org, "2026-11-25", "2026-11-26", {rep, rep2});
    EXPECT_EQ(d.size(), 3u);
    if (d.size() == 3) {
      EXPECT_EQ(d[0].day, "2026-11-25");
      EXPECT_EQ(d[0].visits, 2);
      EXPECT_EQ(d[0].visits_new, 1);
      EXPECT_EQ(d[0].minutes_total, 45);  // 30 + a call's default 15
      EXPECT_EQ(d[0].minutes_new, 30);
      EXPECT_EQ(d[1].visits, 1);
      EXPECT_EQ(d[1].minutes_total, 60);  // a visit's default
      EXPECT_EQ(d[1].deals, 1);
      EXPECT_EQ(d[1].signed_amount, 50000);
      EXPECT_EQ(d[2].rep_id, rep2);
    }
    return ok_status();
  }).ok());
  EXPECT_EQ(first.size(), 3u);

  // Edits: flags (the replay after a deleted visit), and a visit moved to another day, rep, kind, duration.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.set_visit_flags(org, visits[0], false, false);
    tx.set_visit_flags(org, visits[1], true, true);
    tx.conn().exec("UPDATE visits SET day = ?, rep_id = ?, kind = 'call', duration_min = NULL WHERE org_id = ? AND id = ?",
                   {std::string("2026-11-27"), rep2, org, visits[2]});
    tx.conn().exec("UPDATE deals SET amount = amount + 1, signed_on = ? WHERE org_id = ? AND id = ?",
                   {std::string("2026-11-27"), org, deal});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "edits");

  // Effective companies: made effective, moved to another rep/day, deleted (soft), restored, removed.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto co = *tx.get_company(org, c);
    co.effective_at = 100;
    co.effective_day = "2026-11-25";
    co.effective_by = rep;
    EXPECT_TRUE(tx.update_company(co, co.version));
    auto co2 = *tx.get_company(org, c2);
    co2.effective_at = 100;
    co2.effective_day = "2026-11-26";
    co2.effective_by = rep2;
    EXPECT_TRUE(tx.update_company(co2, co2.version));
    Company n;
    n.org_id = org;
    n.name = "生而有效";
    n.owner_id = rep;
    n.effective_at = 100;
    n.effective_day = "2026-11-26";
    n.effective_by = rep;
    n.created_at = n.updated_at = 10;
    tx.insert_company(n);
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "companies made effective");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto co = *tx.get_company(org, c);
    co.effective_by = rep2;
    co.effective_day = "2026-11-27";
    EXPECT_TRUE(tx.update_company(co, co.version));
    tx.conn().exec("UPDATE companies SET deleted = 1 WHERE org_id = ? AND id = ?", {org, c2});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "effective moved and company deleted");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE companies SET deleted = 0 WHERE org_id = ? AND id = ?", {org, c2});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "company restored");

  // A rep who changes team keeps their rows (the key is the rep, not the team).
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE users SET team_id = NULL WHERE org_id = ? AND id = ?", {org, rep});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "a team change");

  // Deletes, one at a time and in bulk.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.delete_visit(org, visits[1]);
    tx.conn().exec("DELETE FROM deals WHERE org_id = ? AND id = ?", {org, deal});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "deletes");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("DELETE FROM visits WHERE org_id = ?", {org});
    tx.conn().exec("DELETE FROM deals WHERE org_id = ?", {org});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "bulk deletes");
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    for (auto& d : tx.daily_counts(org, "2026-11-01", "2026-11-30", {rep, rep2})) EXPECT_EQ(d.visits, 0) << d.day;
    return ok_status();
  }).ok());
  expect_counters_match(*store, org2, "writes in another organisation");
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

namespace {

TEST_P(StoreContract, ConcurrentReadModifyWritesAllLand) {
  // Three writers bump the same row's version-checked setting; the backend
  // serialises them (SQLite: one writer; PostgreSQL: SERIALIZABLE + retry).
  std::vector<std::thread> ts;
  std::atomic<int> failed{0};
  for (int t = 0; t < 3; t++)
    ts.emplace_back([&] {
      for (int i = 0; i < 10; i++) {
        auto st = store->write([&](Tx& tx) -> Status {
          auto s = tx.get_settings(org);
          s.nurture_cap += 1;
          if (!tx.update_settings(s, s.version)) return conflict("stale", "stale");
          return ok_status();
        });
        if (!st.ok()) failed++;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(failed.load(), 0);
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.get_settings(org).nurture_cap, 5 + 30);
    return ok_status();
  }).ok());
}

TEST_P(StoreContract, TypesRoundTrip) {
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto& c = tx.conn();
    auto r = c.query_one("SELECT COUNT(*), SUM(active), MAX(username), MIN(hire_date) FROM users WHERE org_id = ?", {org});
    EXPECT_EQ(r->i64(0), 2);
    EXPECT_EQ(r->i64(1), 2);
    EXPECT_EQ(r->str(2), "rep2-" + std::to_string(org));
    EXPECT_TRUE(r->is_null(3));
    Id t = tx.insert_training(org, rep, "skills", "谈判", "2026-11-02", 1.5, "", rep, 1);
    auto h = c.query_one("SELECT hours, hours * 2 FROM training_records WHERE org_id = ? AND id = ?", {org, t});
    EXPECT_DOUBLE_EQ(h->f64(0), 1.5);
    EXPECT_DOUBLE_EQ(h->f64(1), 3.0);
    EXPECT_TRUE(std::holds_alternative<double>(h->cols[0]));
    // a question mark inside a string literal is not a placeholder
    auto q = c.query_one("SELECT 'a?b', ? || ''", {std::string("文本")});
    EXPECT_EQ(q->str(0), "a?b");
    EXPECT_EQ(q->str(1), "文本");
    return ok_status();
  }).ok());
}

TEST_P(StoreContract, ConstraintViolationIsAConflict) {
  User u;
  u.org_id = org;
  u.username = "rep-" + std::to_string(org);  // taken
  u.display_name = "重名";
  u.password_hash = "x";
  u.created_at = 1;
  auto st = store->write([&](Tx& tx) -> Status {
    tx.insert_user(u);
    return ok_status();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, Err::Conflict);
}

TEST_P(StoreContract, ReadReplicaDefaultsToRead) {
  Id c = add_company(org, "视图", rep);
  Store::ActingAs acting(rep);
  ASSERT_TRUE(store->read_replica([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.get_company(org, c).has_value());
    return ok_status();
  }).ok());
}

TEST(PgPlaceholders, OutsideQuotesCommentsAndDollarQuotes) {
  int n = 0;
  EXPECT_EQ(pg::translate_placeholders("SELECT ?, '?', \"a?\", ? -- ?\n, $$?$$, $t$ ? $t$, /* ? */ ?", &n),
            "SELECT $1, '?', \"a?\", $2 -- ?\n, $$?$$, $t$ ? $t$, /* ? */ $3");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(pg::translate_placeholders("a = 'it''s ?' AND b = ?", &n), "a = 'it''s ?' AND b = $1");
  EXPECT_EQ(n, 1);
}

TEST(PgErrors, SqlstateClasses) {
  EXPECT_EQ(pg::kind_of_sqlstate("23505"), db::DbError::Constraint);
  EXPECT_EQ(pg::kind_of_sqlstate("23503"), db::DbError::Constraint);
  EXPECT_EQ(pg::kind_of_sqlstate("40001"), db::DbError::Busy);
  EXPECT_EQ(pg::kind_of_sqlstate("40P01"), db::DbError::Busy);
  EXPECT_EQ(pg::kind_of_sqlstate("55P03"), db::DbError::Busy);
  EXPECT_EQ(pg::kind_of_sqlstate("53100"), db::DbError::Full);
  EXPECT_EQ(pg::kind_of_sqlstate("42601"), db::DbError::Other);
}

}  // namespace
