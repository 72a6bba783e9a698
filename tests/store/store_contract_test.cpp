// The store contract: every backend behind Store/Tx must pass these. The suite
// is instantiated for SQLite always, and for PostgreSQL when TIEJUN_TEST_PG
// names a server (the PostgreSQL backend plugs in through open_store).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "method/verdicts.h"
#include "store/store.h"
#include "pg_test_db.h"
#include "reference_queries.h"
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
    url = fresh_url(GetParam());
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
  // SQLite: the journal mode the connection of `tx` is in ("wal", "delete"); "" on PostgreSQL.
  std::string journal_mode(Tx& tx) {
    if (GetParam() != "sqlite") return "";
    return tx.conn().query("PRAGMA journal_mode", {}).at(0).str(0);
  }
  std::string url;
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

// write_bulk (a command-line load): commits or rolls back like write(). SQLite, with the database
// to itself, writes through a rollback journal and is in WAL mode again afterwards, its readers
// back in service.
TEST_P(StoreContract, BulkWriteCommitsOrRollsBackAndLeavesTheDatabaseInWalMode) {
  auto insert = [&](Tx& tx, const char* name) {
    Company c;
    c.org_id = org;
    c.name = name;
    c.created_at = c.updated_at = 1;
    return tx.insert_company(c);
  };
  std::string mode_inside;
  ASSERT_TRUE(store
                  ->write_bulk([&](Tx& tx) -> Status {
                    mode_inside = journal_mode(tx);
                    insert(tx, "批量写入");
                    return ok_status();
                  })
                  .ok());
  if (GetParam() == "sqlite") EXPECT_EQ(mode_inside, "delete") << "the load had the database to itself";
  auto st = store->write_bulk([&](Tx& tx) -> Status {
    insert(tx, "撤销的批量");
    return conflict("test", "abort");
  });
  EXPECT_FALSE(st.ok());
  CompanyQuery q;
  q.org_id = org;
  q.scope.kind = Scope::All;
  for (int i = 0; i < 3; i++) {  // every reader again
    auto cs = list(q);
    ASSERT_EQ(cs.size(), 1u);
    EXPECT_EQ(cs[0].name, "批量写入");
  }
  ASSERT_TRUE(store
                  ->read([&](Tx& tx) -> Status {
                    if (GetParam() == "sqlite") EXPECT_EQ(journal_mode(tx), "wal");
                    return ok_status();
                  })
                  .ok());
  add_company(org, "之后的写入", rep);
  EXPECT_EQ(list(q).size(), 2u);
  if (GetParam() == "sqlite") EXPECT_FALSE(std::filesystem::exists(url.substr(7) + "-journal"));
}

// SQLite: while another connection has the database open (a running server, or this store's own
// reader in use), a bulk load goes through the WAL as any write does, and the others see it.
TEST_P(StoreContract, BulkWriteUsesTheWalWhileTheDatabaseIsOpenElsewhere) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "SQLite's journal";
  auto other_store = open_store(url, 1);
  ASSERT_TRUE(other_store.ok());
  std::string mode_inside;
  ASSERT_TRUE(store
                  ->write_bulk([&](Tx& tx) -> Status {
                    mode_inside = journal_mode(tx);
                    Company c;
                    c.org_id = org;
                    c.name = "服务器开着";
                    c.created_at = c.updated_at = 1;
                    tx.insert_company(c);
                    return ok_status();
                  })
                  .ok());
  EXPECT_EQ(mode_inside, "wal");
  ASSERT_TRUE(other_store.value()
                  ->read([&](Tx& tx) -> Status {
                    CompanyQuery q;
                    q.org_id = org;
                    q.scope.kind = Scope::All;
                    EXPECT_EQ(tx.list_companies(q).size(), 1u) << "the other connection sees the load";
                    return ok_status();
                  })
                  .ok());
  other_store.value().reset();
  // One of this store's readers in use: the same.
  std::atomic<bool> reading{false}, done{false};
  std::thread reader([&] {
    (void)store->read([&](Tx&) -> Status {
      reading = true;
      while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return ok_status();
    });
  });
  while (!reading) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(store
                  ->write_bulk([&](Tx& tx) -> Status {
                    mode_inside = journal_mode(tx);
                    return ok_status();
                  })
                  .ok());
  done = true;
  reader.join();
  EXPECT_EQ(mode_inside, "wal");
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

// Contains-search against brute force (LIKE's meaning: a substring of the name or of a contact's
// name, ASCII letters in either case) for every query of one, two and three characters over a
// small alphabet, so the two-character path of SQLite (the FTS index's trigrams that start with
// the pair, plus the name-tail indexes for the ends: migration 0021) meets every case: the pair
// at the end of a name or of the last contact, names and contacts of two characters, a comma-free
// middle contact, letters in both cases, a letter with case outside ASCII (the scan keeps it),
// soft-deleted companies and another organisation's.
TEST_P(StoreContract, ShortSearchEqualsBruteForce) {
  const std::vector<std::string> alphabet = {"阿", "里", "巴", "（", "a", "B", "ä", "1"};
  std::mt19937 rng(20261207);
  auto word = [&](int lo, int hi) {
    std::string w;
    int n = std::uniform_int_distribution<int>(lo, hi)(rng);
    for (int i = 0; i < n; i++) w += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    return w;
  };
  struct Expect {
    std::string name;
    std::vector<std::string> contacts;
  };
  std::map<Id, Expect> live;
  for (int i = 0; i < 160; i++) {
    Id o = i % 8 == 7 ? org2 : org;
    std::string name = word(1, 6);
    Id id = add_company(o, name, o == org ? rep : other);
    Expect e{name, {}};
    int nc = std::uniform_int_distribution<int>(0, 3)(rng);
    ASSERT_TRUE(store
                    ->write([&](Tx& tx) -> Status {
                      for (int k = 0; k < nc; k++) {
                        Contact ct;
                        ct.org_id = o;
                        ct.company_id = id;
                        ct.name = word(1, 4);
                        ct.created_at = 1;
                        tx.insert_contact(ct);
                        e.contacts.push_back(ct.name);
                      }
                      if (i % 11 == 5) tx.soft_delete_company(o, id, 20);
                      return ok_status();
                    })
                    .ok());
    if (o == org && i % 11 != 5) live[id] = e;
  }
  auto fold = [](std::string t) {
    for (char& ch : t)
      if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
    return t;
  };
  std::vector<std::string> queries;
  for (auto& x : alphabet) {
    queries.push_back(x);
    for (auto& y : alphabet) {
      queries.push_back(x + y);
      queries.push_back(x + y + alphabet[(x.size() + y.size()) % alphabet.size()]);
    }
  }
  for (auto q : {"A", "b", "Ab", "aB", "AB", "bA"}) queries.push_back(q);
  size_t nonempty = 0;
  for (auto& text : queries) {
    std::set<Id> want;
    for (auto& [id, e] : live) {
      bool hit = fold(e.name).find(fold(text)) != std::string::npos;
      for (auto& c : e.contacts) hit = hit || fold(c).find(fold(text)) != std::string::npos;
      if (hit) want.insert(id);
    }
    CompanyQuery cq;
    cq.org_id = org;
    cq.scope.kind = Scope::All;
    cq.q = text;
    cq.limit = 1000;
    std::set<Id> got;
    for (auto& c : list(cq)) got.insert(c.id);
    EXPECT_EQ(got, want) << "query " << text;
    nonempty += !want.empty();
  }
  EXPECT_GT(nonempty, queries.size() / 2) << "the data should match most queries";
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
  // SPEC §3 revision (issue 12): visits_new counts new companies met in person per day; the
  // call on 11-02 is only reached (reached_new), so 1 (was 2).
  EXPECT_EQ(m[0].visits_new, 1);
  EXPECT_EQ(m[0].reached_new, 2);
  // Facts (0017) weighed by the method's defaults (a visit 60, a call 15 when not logged).
  auto w = method::weighted_minutes(method::Params{}, m[0].minutes);
  EXPECT_EQ(w.total, 90);
  EXPECT_EQ(w.on_new, 45);
  EXPECT_EQ(m[0].deals, 1);
  EXPECT_EQ(m[0].signed_amount, 123456);
}

// rep_day_stats (migration 0005) is kept by triggers on visits, deals and companies; after
// every kind of write it must equal a recomputation from the raw rows, on each backend.
std::vector<std::string> rep_day_rows(Tx& tx, Id org) {
  std::vector<std::string> out;
  for (auto& r : tx.conn().query("SELECT rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, deals, "
                                 "signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new "
                                 "FROM rep_day_stats WHERE org_id = ? AND (visits <> 0 OR "
                                 "effective_new <> 0 OR deals <> 0 OR visits_new <> 0 OR minutes_total <> 0 OR "
                                 "signed_amount <> 0 OR reached_new <> 0 OR calls_unlogged <> 0 OR meets_unlogged <> 0) ORDER BY rep_id, day",
                                 {org})) {
    std::string line;
    for (size_t i = 0; i < 14; i++) line += (i == 1 ? r.str(i) : std::to_string(r.i64(i))) + " ";
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
      EXPECT_EQ(d[0].minutes.logged_total, 30);  // facts: the logged 30 and one call without a duration
      EXPECT_EQ(d[0].minutes.calls_unlogged, 1);
      EXPECT_EQ(d[0].minutes.meets_unlogged, 0);
      method::Params P;
      EXPECT_EQ(method::weighted_minutes(P, d[0].minutes).total, 45);  // 30 + a call's default 15
      EXPECT_EQ(method::weighted_minutes(P, d[0].minutes).on_new, 30);
      P.call_minutes = 5;  // the weight is the setting's, not the counter's
      EXPECT_EQ(method::weighted_minutes(P, d[0].minutes).total, 35);
      EXPECT_EQ(d[1].visits, 1);
      EXPECT_EQ(d[1].minutes.meets_unlogged, 1);
      EXPECT_EQ(d[1].minutes.meets_unlogged_new, 1);
      EXPECT_EQ(method::weighted_minutes(method::Params{}, d[1].minutes).total, 60);  // a visit's default
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

  // visits_new / reached_new count distinct new companies (met in person / by any kind): several
  // new visits to one company on one day, calls among them, one statement inserting several,
  // visits moved between companies and kinds, and bulk deletes keep the counts exact.
  std::vector<Id> same;
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    for (auto k : {VisitKind::Call, VisitKind::Call, VisitKind::Visit, VisitKind::Visit, VisitKind::Accompanied})
      same.push_back(add_visit(tx, org, c2, rep, "2026-11-28", true, 10, k));
    same.push_back(add_visit(tx, org, c, rep, "2026-11-28", true, 10, VisitKind::Call));
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "several new visits to one company on one day");
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    auto d = tx.daily_counts(org, "2026-11-28", "2026-11-28", {rep});
    EXPECT_EQ(d.size(), 1u);
    if (d.size() == 1) {
      EXPECT_EQ(d[0].visits, 6);
      EXPECT_EQ(d[0].visits_new, 1) << "one company met in person, however often";
      EXPECT_EQ(d[0].reached_new, 2) << "and one more reached by a call";
    }
    return ok_status();
  }).ok());
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("INSERT INTO visits(org_id, company_id, rep_id, at, day, kind, was_new, created_at) VALUES "
                   "(?, ?, ?, 5, '2026-11-29', 'call', 1, 1), (?, ?, ?, 5, '2026-11-29', 'visit', 1, 1), "
                   "(?, ?, ?, 5, '2026-11-29', 'visit', 1, 1)",
                   {org, c, rep, org, c, rep, org, c2, rep});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "one statement inserting several visits");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE visits SET company_id = ? WHERE org_id = ? AND id = ?", {c, org, same[2]});
    tx.conn().exec("UPDATE visits SET kind = 'visit' WHERE org_id = ? AND id = ?", {org, same[5]});
    tx.conn().exec("UPDATE visits SET kind = 'call' WHERE org_id = ? AND day = '2026-11-29'", {org});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "visits moved between companies and kinds");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.delete_visit(org, same[3]);
    tx.conn().exec("DELETE FROM visits WHERE org_id = ? AND day = '2026-11-29'", {org});
    return ok_status();
  }).ok());
  expect_counters_match(*store, org, "some of a day's visits deleted");

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

// discovery_stats, conversion_stats and intake_stats (migration 0007): kept by triggers on
// visits and companies, they must equal Tx::rebuild_view_counters after every kind of write,
// and their readers must answer as the raw-row queries they replace for any set of reps
// (read directly, or as the organisation's total minus the other users).
std::vector<std::string> view_counter_rows(Tx& tx, Id org) {
  std::vector<std::string> out;
  auto add = [&](const std::string& sql) {
    for (auto& r : tx.conn().query(sql, {org})) {
      std::string line;
      for (size_t i = 0; i < r.cols.size(); i++) line += r.str(i) + "|";
      out.push_back(line);
    }
  };
  add("SELECT 'd', rep_id, day, field, text, n FROM discovery_stats WHERE org_id = ? AND n <> 0 "
      "ORDER BY rep_id, day, field, text");
  add("SELECT 'c', rep_id, day, source, industry, effective_n, signed_n FROM conversion_stats WHERE org_id = ? AND "
      "(effective_n <> 0 OR signed_n <> 0) ORDER BY rep_id, day, source, industry");
  add("SELECT 'i', owner_id, hour, source, n FROM intake_stats WHERE org_id = ? AND n <> 0 ORDER BY owner_id, hour, source");
  return out;
}

// The readers against the raw-row queries, for the given sets of reps.
void expect_view_readers_match(Tx& tx, Id org, const std::vector<std::vector<Id>>& sets, const char* when) {
  for (auto& reps : sets) {
    std::string who;
    for (auto r : reps) who += std::to_string(r) + ",";
    // discovery
    std::map<std::pair<int, std::string>, int64_t> raw;
    for (auto& t : tj::testing::reference::discovery_texts(tx, org, reps, "2026-01-01", "2026-12-31")) {
      raw[{0, ""}]++;
      for (int f = 0; f < 3; f++)
        if (!t[size_t(f)].empty()) raw[{f + 1, t[size_t(f)]}]++;
    }
    std::map<std::pair<int, std::string>, int64_t> kept;
    for (auto& c : tx.discovery_counts(org, reps, "2026-01-01", "2026-12-31")) kept[{c.field, c.text}] = c.n;
    EXPECT_EQ(kept, raw) << "discovery, reps " << who << " after " << when;
    // conversion, by (source, industry) and by rep
    std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> raw_c, kept_c;
    std::map<Id, std::pair<int64_t, int64_t>> raw_r, kept_r;
    for (auto& r : tj::testing::reference::conversion_rows(tx, org, reps, "2026-11-01", "2026-11-30")) {
      auto& x = raw_c[{r.source, r.industry}];
      x.first++;
      x.second += r.signed_;
      raw_r[r.rep_id].first++;
      raw_r[r.rep_id].second += r.signed_;
    }
    for (auto& r : tx.conversion_counts(org, reps, "2026-11-01", "2026-11-30"))
      kept_c[{r.source, r.industry}] = {r.effective, r.signed_};
    for (auto& r : tx.conversion_by_rep(org, reps, "2026-11-01", "2026-11-30")) kept_r[r.rep_id] = {r.effective, r.signed_};
    EXPECT_EQ(kept_c, raw_c) << "conversion, reps " << who << " after " << when;
    EXPECT_EQ(kept_r, raw_r) << "conversion by rep, reps " << who << " after " << when;
    // intake and effective by source, over windows on and off whole hours
    for (auto [f, t] : std::vector<std::pair<Instant, Instant>>{{0, 100000}, {3600, 7200 * 3}, {5, 3601}, {1800, 9000},
                                                                {-5000, 4000}, {7200, 7200}}) {
      std::vector<std::string> a, b;
      for (auto& s : tj::testing::reference::source_stats(tx, org, reps, f, t, "2026-11-01", "2026-11-30"))
        a.push_back(s.source + " " + std::to_string(s.intake) + " " + std::to_string(s.effective));
      for (auto& s : tx.source_counts(org, reps, f, t, "2026-11-01", "2026-11-30"))
        b.push_back(s.source + " " + std::to_string(s.intake) + " " + std::to_string(s.effective));
      EXPECT_EQ(b, a) << "sources [" << f << ", " << t << "), reps " << who << " after " << when;
    }
  }
}

void expect_view_counters_match(Store& store, Id org, const std::vector<std::vector<Id>>& sets, const char* when) {
  std::vector<std::string> kept, rebuilt;
  auto st = store.write([&](Tx& tx) -> Status {
    expect_view_readers_match(tx, org, sets, when);
    kept = view_counter_rows(tx, org);
    tx.rebuild_view_counters(org);
    rebuilt = view_counter_rows(tx, org);
    return conflict("rollback", "compare only");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(kept, rebuilt) << "after " << when;
}

TEST_P(StoreContract, ViewCountersEqualARecomputationAfterEveryWrite) {
  Id mgr = 0, idle = 0;
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    User u;
    u.org_id = org;
    u.username = "mgr-" + std::to_string(org);
    u.display_name = "经理";
    u.password_hash = "x";
    u.role = Role::Manager;
    u.created_at = 1;
    mgr = tx.insert_user(u);
    u.username = "idle-" + std::to_string(org);
    u.role = Role::Rep;
    u.active = false;
    idle = tx.insert_user(u);
    return ok_status();
  }).ok());
  // Direct reads (few reps) and total-minus-others reads (most of the organisation's users).
  const std::vector<std::vector<Id>> sets = {{rep}, {rep2}, {rep, rep2}, {rep, rep2, idle}, {rep, rep2, mgr, idle}, {}};
  auto company = [&](Tx& tx, Id o, const char* name, std::optional<Id> owner, const char* source, const char* industry,
                     Instant created) {
    Company c;
    c.org_id = o;
    c.name = name;
    c.owner_id = owner;
    c.source = source;
    c.industry = industry;
    c.created_at = c.updated_at = created;
    return tx.insert_company(c);
  };
  Id c1 = 0, c2 = 0, c3 = 0, pool = 0, oc = 0;
  std::vector<Id> visits;
  auto add_visit = [&](Tx& tx, Id o, Id company, Id r, const char* day, const char* why, const char* like,
                       const char* worry) {
    Visit v;
    v.org_id = o;
    v.company_id = company;
    v.rep_id = r;
    v.at = 100;
    v.day = day;
    v.interest_reason = why;
    v.attraction = like;
    v.concerns = worry;
    v.created_at = 1;
    return tx.insert_visit(v);
  };
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    c1 = company(tx, org, "一号", rep, "转介绍", "制造", 3600 * 2 + 5);
    c2 = company(tx, org, "二号", rep2, "展会", "零售", 3600 * 2 + 600);
    c3 = company(tx, org, "三号", mgr, "展会", "制造", 3600 * 5);
    pool = company(tx, org, "公海", std::nullopt, "网络", "制造", 1800);
    oc = company(tx, org2, "别家", other, "展会", "制造", 3600 * 2);
    company(tx, org, "负时刻", std::nullopt, "网络", "", -100);  // hour 0 by truncation: read from companies
    visits.push_back(add_visit(tx, org, c1, rep, "2026-11-25", "降本", "价格", "实施"));
    visits.push_back(add_visit(tx, org, c1, rep, "2026-11-25", "降本", "", ""));
    visits.push_back(add_visit(tx, org, c1, rep, "2026-11-26", "", "", "预算"));
    visits.push_back(add_visit(tx, org, c1, rep, "2026-11-26", "", "", ""));  // no discovery text
    visits.push_back(add_visit(tx, org, c2, rep2, "2026-11-26", "扩产", "服务", "预算"));
    visits.push_back(add_visit(tx, org, c3, mgr, "2026-11-26", "降本", "服务", ""));  // a manager's visit
    visits.push_back(add_visit(tx, org, c2, idle, "2026-11-20", "扩产", "", ""));    // a rep deactivated since
    add_visit(tx, org2, oc, other, "2026-11-26", "降本", "价格", "实施");
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "inserts");
  expect_view_counters_match(*store, org2, {{other}}, "inserts (other organisation)");

  // Visit edits: each counted field, the day, the rep; a flag update (no change here).
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.set_visit_flags(org, visits[0], false, true);
    tx.conn().exec("UPDATE visits SET interest_reason = ? WHERE org_id = ? AND id = ?", {std::string("增效"), org, visits[1]});
    tx.conn().exec("UPDATE visits SET attraction = ? WHERE org_id = ? AND id = ?", {std::string("品牌"), org, visits[2]});
    tx.conn().exec("UPDATE visits SET concerns = ? WHERE org_id = ? AND id = ?", {std::string("交期"), org, visits[3]});
    tx.conn().exec("UPDATE visits SET concerns = '' WHERE org_id = ? AND id = ?", {org, visits[0]});
    tx.conn().exec("UPDATE visits SET day = ? WHERE org_id = ? AND id = ?", {std::string("2026-11-27"), org, visits[4]});
    tx.conn().exec("UPDATE visits SET rep_id = ? WHERE org_id = ? AND id = ?", {rep2, org, visits[1]});
    tx.conn().exec("UPDATE visits SET interest_reason = '', attraction = '', concerns = '' WHERE org_id = ? AND id = ?",
                   {org, visits[2]});
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "visit edits");

  // Companies: made effective, signed, moved to another source and industry, another rep/day.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    for (auto [id, by, day] : std::vector<std::tuple<Id, Id, const char*>>{
             {c1, rep, "2026-11-25"}, {c2, rep2, "2026-11-26"}, {c3, mgr, "2026-11-26"}}) {
      auto co = *tx.get_company(org, id);
      co.status = CompanyStatus::Effective;
      co.effective_at = 100;
      co.effective_day = day;
      co.effective_by = by;
      EXPECT_TRUE(tx.update_company(co, co.version));
    }
    Company n;
    n.org_id = org;
    n.name = "生而有效";
    n.owner_id = rep;
    n.source = "展会";
    n.industry = "零售";
    n.effective_at = 100;
    n.effective_day = "2026-11-26";
    n.effective_by = rep;
    n.signed_at = 200;
    n.created_at = n.updated_at = 3600 * 3;
    tx.insert_company(n);
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "companies made effective");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto co = *tx.get_company(org, c1);
    co.signed_at = 300;
    co.status = CompanyStatus::Signed;
    EXPECT_TRUE(tx.update_company(co, co.version));
    auto co2 = *tx.get_company(org, c2);
    co2.source = "转介绍";
    co2.industry = "制造";
    EXPECT_TRUE(tx.update_company(co2, co2.version));
    auto co3 = *tx.get_company(org, c3);
    co3.effective_by = rep;
    co3.effective_day = "2026-11-27";
    EXPECT_TRUE(tx.update_company(co3, co3.version));
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "signed, moved source and industry, effective moved");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto co = *tx.get_company(org, c1);
    co.signed_at = 400;  // signed again: still signed
    co.visit_count = 9;  // the usual update
    EXPECT_TRUE(tx.update_company(co, co.version));
    tx.conn().exec("UPDATE companies SET signed_at = NULL WHERE org_id = ? AND id = ?", {org, c1});
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "signature removed");

  // Owners: claimed from the pool, released to it, handed to another rep, dropped.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto p = *tx.get_company(org, pool);
    p.owner_id = rep2;
    EXPECT_TRUE(tx.update_company(p, p.version));
    auto co = *tx.get_company(org, c1);
    co.owner_id = std::nullopt;
    EXPECT_TRUE(tx.update_company(co, co.version));
    auto co3 = *tx.get_company(org, c3);
    co3.owner_id = rep;
    EXPECT_TRUE(tx.update_company(co3, co3.version));
    auto co2 = *tx.get_company(org, c2);
    co2.status = CompanyStatus::Dropped;
    co2.drop_reason = "无预算";
    co2.owner_id = std::nullopt;
    EXPECT_TRUE(tx.update_company(co2, co2.version));
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "claimed, released, handed over, dropped");

  // Soft delete and restore, a creation time moved, a hard delete.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE companies SET deleted = 1 WHERE org_id = ? AND id = ?", {org, c3});
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "company deleted");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE companies SET deleted = 0 WHERE org_id = ? AND id = ?", {org, c3});
    tx.conn().exec("UPDATE companies SET created_at = ? WHERE org_id = ? AND id = ?", {int64_t(3600 * 4 + 1), org, pool});
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "company restored, creation moved");

  // A bulk import of companies (the import path of tx_import.cpp).
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto b = tx.begin_bulk_import(org);
    std::vector<Company> cs;
    for (int i = 0; i < 5; i++) {
      Company c;
      c.org_id = org;
      c.name = "导入" + std::to_string(i);
      c.source = i % 2 ? "导入" : "网络";
      c.industry = "制造";
      if (i < 2) c.owner_id = rep;
      c.created_at = c.updated_at = 3600 * 6 + i * 1000;
      cs.push_back(c);
    }
    tx.bulk_expect(b, int64_t(cs.size()), 0);
    tx.import_companies(b, cs);
    tx.end_bulk_import(b);
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "bulk import");

  // A rep who changes team keeps their rows; deletes, one at a time and in bulk.
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE users SET team_id = NULL WHERE org_id = ? AND id = ?", {org, rep});
    tx.delete_visit(org, visits[0]);
    tx.delete_visit(org, visits[3]);
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "a team change, visits deleted");
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("DELETE FROM visits WHERE org_id = ? AND rep_id = ?", {org, rep2});
    return ok_status();
  }).ok());
  expect_view_counters_match(*store, org, sets, "bulk visit delete");
  expect_view_counters_match(*store, org2, {{other}}, "writes in another organisation");
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

// The settings are cached across read transactions (store/snapshot_cache.h): a read after a
// committed change must see it at once, and a write transaction never reads the cache (it
// sees its own uncommitted change). Fails if get_settings ignores the write generation.
TEST_P(StoreContract, SettingsCacheFollowsEveryCommit) {
  auto read_cap = [&] {
    int cap = -1;
    EXPECT_TRUE(store
                    ->read([&](Tx& tx) -> Status {
                      cap = tx.get_settings(org).nurture_cap;
                      EXPECT_EQ(tx.get_settings(org).nurture_cap, cap);  // the second read of a transaction agrees
                      return ok_status();
                    })
                    .ok());
    return cap;
  };
  const int before = read_cap();
  EXPECT_EQ(read_cap(), before);  // served from the cache now
  for (int i = 1; i <= 3; i++) {
    ASSERT_TRUE(store
                    ->write([&](Tx& tx) -> Status {
                      auto s = tx.get_settings(org);
                      s.nurture_cap = before + i;
                      EXPECT_TRUE(tx.update_settings(s, s.version));
                      EXPECT_EQ(tx.get_settings(org).nurture_cap, before + i);  // its own write, not the cache
                      return ok_status();
                    })
                    .ok());
    EXPECT_EQ(read_cap(), before + i) << "a read after commit " << i << " saw the cached settings";
  }
  // A write that rolls back leaves the cache and the settings as they were.
  EXPECT_FALSE(store
                   ->write([&](Tx& tx) -> Status {
                     auto s = tx.get_settings(org);
                     s.nurture_cap = 999;
                     tx.update_settings(s, s.version);
                     return conflict("rolled_back", "on purpose");
                   })
                   .ok());
  EXPECT_EQ(read_cap(), before + 3);
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
