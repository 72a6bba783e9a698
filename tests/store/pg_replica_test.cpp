// Read replicas on a real primary and a real hot standby (pg_basebackup -R):
// scripts/pg.sh start runs both and exports TIEJUN_TEST_PG (the primary) and
// TIEJUN_TEST_PG_REPLICA (the standby). A computed view (rep metrics) read
// through read_replica() is served by the standby; a user who just wrote reads
// their own write (from the primary while the standby lags); others keep
// reading the standby; an unreachable replica falls back to the primary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "store/store.h"
#include "pg_test_db.h"
#include "store/postgres/pg.h"
#include "store/tx.h"

using namespace tj;

namespace {

std::string with_db(const std::string& server_url, const std::string& db) { return pg::with_database(server_url, db); }

struct Seen {
  bool on_replica = false;
  int64_t visits = 0;
};

class PgReplica : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* primary = std::getenv("TIEJUN_TEST_PG");
    const char* replica = std::getenv("TIEJUN_TEST_PG_REPLICA");
    if (!primary || !*primary || !replica || !*replica)
      GTEST_SKIP() << "TIEJUN_TEST_PG and TIEJUN_TEST_PG_REPLICA not set (scripts/pg.sh start)";
    replica_server = replica;
    static int n = 0;
    std::string name = "tj_replica_" + std::to_string(getpid()) + "_" + std::to_string(n++);
    primary_url = create_pg_database(primary, name);
    replica_url = with_db(replica, name);
    // the new database reaches the standby through the WAL
    bool there = false;
    for (int i = 0; i < 200 && !there; i++) {
      try {
        pg::PgConn probe(replica_url);
        there = true;
      } catch (const db::DbError&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    ASSERT_TRUE(there) << "the database never appeared on the standby";
  }

  // rep metrics for November, and which server answered
  Seen metrics(Store& s) {
    Seen seen;
    EXPECT_TRUE(s.read_replica([&](Tx& tx) -> Status {
      seen.on_replica = tx.conn().scalar("SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END") == 1;
      auto m = tx.rep_metrics(org, "2026-11-01", "2026-11-30", std::nullopt);
      for (auto& r : m) seen.visits += r.visits;
      return ok_status();
    }).ok());
    return seen;
  }

  void add_visit(Store& s, const char* day) {
    ASSERT_TRUE(s.write([&](Tx& tx) -> Status {
      Visit v;
      v.org_id = org;
      v.company_id = company;
      v.rep_id = rep_a;
      v.at = 100;
      v.day = day;
      v.kind = VisitKind::Visit;
      v.was_new = true;
      v.created_at = 1;
      tx.insert_visit(v);
      return ok_status();
    }).ok());
  }

  std::string replica_server, primary_url, replica_url;
  Id org = 0, rep_a = 0, rep_b = 0, company = 0;
};

// Pauses WAL replay on the standby for the scope (the standby lags on purpose).
struct PauseReplay {
  explicit PauseReplay(const std::string& url) : c(url) {
    c.exec_script("SELECT pg_wal_replay_pause()");
    // the request takes effect at the next WAL record or wait: wait until it has
    for (int i = 0; i < 100; i++) {
      auto r = c.query_one("SELECT pg_get_wal_replay_pause_state()");
      if (r && r->str(0) == "paused") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~PauseReplay() {
    try {
      c.exec_script("SELECT pg_wal_replay_resume()");
    } catch (...) {
    }
  }
  pg::PgConn c;
};

TEST_F(PgReplica, ComputedViewsFromTheStandbyAndReadYourWrites) {
  auto st = open_store(primary_url, 2, {replica_url});
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto& s = *st.value();
  ASSERT_TRUE(s.migrate().ok());
  ASSERT_TRUE(s.write([&](Tx& tx) -> Status {
    org = tx.insert_org("副本公司", 1);
    User u;
    u.org_id = org;
    u.display_name = "甲";
    u.password_hash = "x";
    u.created_at = 1;
    u.username = "replica-a-" + std::to_string(getpid());
    rep_a = tx.insert_user(u);
    u.username = "replica-b-" + std::to_string(getpid());
    rep_b = tx.insert_user(u);
    Company c;
    c.org_id = org;
    c.name = "副本测试";
    c.owner_id = rep_a;
    c.created_at = c.updated_at = 1;
    company = tx.insert_company(c);
    return ok_status();
  }).ok());
  add_visit(s, "2026-11-02");

  // Nobody named: the read waits for every write of this process, so it is
  // served by the standby once the standby has replayed them.
  Seen first;
  for (int i = 0; i < 200; i++) {
    first = metrics(s);
    if (first.on_replica) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(first.on_replica) << "the standby never served the view";
  EXPECT_EQ(first.visits, 1);

  {
    PauseReplay pause(replica_server);
    {
      Store::ActingAs a(rep_a);
      add_visit(s, "2026-11-03");  // the standby does not replay this one while paused
      Seen own = metrics(s);
      EXPECT_FALSE(own.on_replica) << "the writer must read its write from the primary";
      EXPECT_EQ(own.visits, 2) << "read-your-writes";
    }
    {
      Store::ActingAs b(rep_b);
      Seen other = metrics(s);
      EXPECT_TRUE(other.on_replica) << "a user who did not write reads the standby";
      EXPECT_EQ(other.visits, 1) << "the paused standby has not replayed the second visit";
    }
  }
  // Replay resumed: the writer's reads go back to the standby, which now has the write.
  Store::ActingAs a(rep_a);
  Seen after;
  for (int i = 0; i < 200; i++) {
    after = metrics(s);
    if (after.on_replica) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(after.on_replica);
  EXPECT_EQ(after.visits, 2);
}

TEST_F(PgReplica, UnreachableReplicaFallsBackToThePrimary) {
  auto st = open_store(primary_url, 1, {"postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"});
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto& s = *st.value();
  ASSERT_TRUE(s.migrate().ok());
  ASSERT_TRUE(s.write([&](Tx& tx) -> Status {
    org = tx.insert_org("回退", 1);
    return ok_status();
  }).ok());
  for (int i = 0; i < 3; i++) {
    Seen seen = metrics(s);
    EXPECT_FALSE(seen.on_replica);
  }
}

}  // namespace
