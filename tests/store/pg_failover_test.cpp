// PostgreSQL that fails over (issue 16 point 4), the parts testable without a
// failover: multi-host URLs (with_database, libpq picking the read-write host
// with target_session_attrs), which SQLSTATEs mean "reset the connection",
// a bounded connection attempt, a write whose connection dies before COMMIT
// run again on a new connection, and a connection lost during COMMIT answered
// 503 `unavailable` without running the write again. The failover itself is
// tests/failover/ (pg_auto_failover, kill -9 of the primary).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <regex>

#include "store/store.h"
#include "pg_test_db.h"
#include "store/postgres/pg.h"
#include "store/tx.h"

using namespace tj;

namespace {

TEST(PgUrl, WithDatabaseKeepsHostsUserAndQuery) {
  using pg::with_database;
  EXPECT_EQ(with_database("postgresql://tiejun@127.0.0.1:5432/postgres", "t1"), "postgresql://tiejun@127.0.0.1:5432/t1");
  EXPECT_EQ(with_database("postgresql://u:pw@h1:5432,h2:5433/tiejun?target_session_attrs=read-write&connect_timeout=2",
                          "t_2"),
            "postgresql://u:pw@h1:5432,h2:5433/t_2?target_session_attrs=read-write&connect_timeout=2");
  EXPECT_EQ(with_database("postgresql://h1,h2", "db"), "postgresql://h1,h2/db");
  EXPECT_EQ(with_database("postgres://h1:1,h2:2?sslmode=disable", "db"), "postgres://h1:1,h2:2/db?sslmode=disable");
  EXPECT_EQ(with_database("postgresql://[::1]:5432,[::1]:5433/x", "y"), "postgresql://[::1]:5432,[::1]:5433/y");
  EXPECT_EQ(with_database("postgresql:///x?host=/run/pg", "y"), "postgresql:///y?host=/run/pg");
  EXPECT_EQ(with_database("postgresql://h/x", "a b/é"), "postgresql://h/a%20b%2F%C3%A9");
  EXPECT_EQ(with_database("host=h1,h2 port=1,2 dbname=x", "it's"), "host=h1,h2 port=1,2 dbname=x dbname='it\\'s'");
}

TEST(PgErrors, ServerGoneMeansResetTheConnection) {
  for (auto s : {"08000", "08001", "08003", "08006", "57P01", "57P02", "57P03", "25006"})
    EXPECT_TRUE(pg::server_gone(s)) << s;
  for (auto s : {"40001", "40P01", "23505", "57014", "53100", "42601", "", "0800"})
    EXPECT_FALSE(pg::server_gone(s)) << s;
  EXPECT_TRUE(pg::PgError(db::DbError::Busy, "x", "57P01").server_gone());
  EXPECT_FALSE(pg::PgError(db::DbError::Busy, "x", "40001").server_gone());
}

// A loopback port that accepts TCP connections and never answers: a server
// that hangs. libpq must give up after connect_timeout.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd_, 16) != 0) std::abort();
    socklen_t n = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

double seconds_to_fail(const std::string& url) {
  auto t0 = std::chrono::steady_clock::now();
  try {
    pg::PgConn c(url);
    ADD_FAILURE() << "connected to a server that never answers";
  } catch (const pg::PgError& e) {
    EXPECT_TRUE(e.server_gone()) << e.sqlstate << " " << e.what();
    EXPECT_EQ(e.kind, db::DbError::Busy);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(PgConnect, AHangingServerIsGivenUpAfterConnectTimeout) {
  SilentListener hang;
  std::string url = "postgresql://x@127.0.0.1:" + std::to_string(hang.port()) + "/x";
  double with_param = seconds_to_fail(url + "?connect_timeout=2");
  EXPECT_GE(with_param, 1.5);
  EXPECT_LT(with_param, 4.0);
  if (std::getenv("PGCONNECT_TIMEOUT")) GTEST_SKIP() << "PGCONNECT_TIMEOUT is set: the default does not apply";
  double by_default = seconds_to_fail(url);  // libpq's own default would wait forever
  EXPECT_GE(by_default, pg::PgConn::kDefaultConnectTimeout - 1.0);
  EXPECT_LT(by_default, pg::PgConn::kDefaultConnectTimeout + 3.0);
}

// "127.0.0.1:5432" from postgresql://user@127.0.0.1:5432/db
std::string host_port(const std::string& url) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(url, m, std::regex("://(?:[^@/]*@)?([^/?]*)"))) << url;
  return m[1];
}

class PgFailover : public ::testing::Test {
 protected:
  void SetUp() override {
    server = tj::testing::test_pg_server();
    if (server.empty()) GTEST_SKIP() << "TIEJUN_TEST_PG is not set (scripts/pg.sh start)";
    url = tj::testing::fresh_test_db("postgres", "tj_failover");
    // a multi-host URL whose first host refuses connections: libpq tries the next
    multi = "postgresql://tiejun@127.0.0.1:1," + host_port(url) + "/" +
            url.substr(url.rfind('/') + 1) + "?target_session_attrs=read-write&connect_timeout=2";
    auto st = open_store(multi, 2);
    ASSERT_TRUE(st.ok()) << st.error().message;
    store = std::move(st.value());
    ASSERT_TRUE(store->migrate().ok());
    ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
      org = tx.insert_org("故障转移", 1);
      tx.conn().exec_script("CREATE TABLE failover_probe (x BIGINT NOT NULL)");
      return ok_status();
    }).ok());
  }

  int64_t probes(int64_t x) {
    pg::PgConn c(url);
    return c.scalar("SELECT COUNT(*) FROM failover_probe WHERE x = ?", {x});
  }

  std::string server, url, multi;
  std::unique_ptr<Store> store;
  Id org = 0;
};

TEST_F(PgFailover, MultiHostUrlWithTargetSessionAttrsFindsThePrimary) {
  EXPECT_NE(store->describe().find(host_port(url)), std::string::npos) << store->describe();
  const char* replica = std::getenv("TIEJUN_TEST_PG_REPLICA");
  if (!replica || !*replica) GTEST_SKIP() << "no TIEJUN_TEST_PG_REPLICA: the standby-first case is not run";
  // the standby first: libpq skips it (read-only) and lands on the primary
  std::string standby_first = "postgresql://tiejun@" + host_port(replica) + "," + host_port(url) + "/" +
                              url.substr(url.rfind('/') + 1) + "?target_session_attrs=read-write&connect_timeout=2";
  for (int i = 0; i < 3; i++) {
    pg::PgConn c(standby_first);
    EXPECT_EQ(c.scalar("SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END"), 0);
  }
  pg::PgConn plain(pg::with_database(replica, url.substr(url.rfind('/') + 1)));
  EXPECT_EQ(plain.scalar("SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END"), 1) << "the first host is a standby";
}

TEST_F(PgFailover, AWriteWhoseConnectionDiesBeforeCommitRunsAgainOnANewConnection) {
  std::atomic<int> runs{0};
  std::vector<int64_t> pids;
  auto st = store->write([&](Tx& tx) -> Status {
    runs++;
    int64_t pid = tx.conn().scalar("SELECT pg_backend_pid()");
    pids.push_back(pid);
    tx.conn().exec("INSERT INTO failover_probe(x) VALUES (?)", {int64_t(1)});
    if (runs == 1) {  // the server ends this connection mid-transaction (as a dying primary does)
      pg::PgConn admin(url);
      admin.query("SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", {pid});
    }
    tx.conn().exec("INSERT INTO failover_probe(x) VALUES (?)", {int64_t(1)});
    return ok_status();
  });
  ASSERT_TRUE(st.ok()) << st.error().code << ": " << st.error().message;
  EXPECT_EQ(runs.load(), 2);
  ASSERT_EQ(pids.size(), 2u);
  EXPECT_NE(pids[0], pids[1]) << "the second run is on a new connection";
  EXPECT_EQ(probes(1), 2) << "only the second run's rows are there";
  // and the pool keeps working
  EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.conn().scalar("SELECT COUNT(*) FROM failover_probe"), 2);
    return ok_status();
  }).ok());
}

TEST_F(PgFailover, AReadOnlyServerIsLeftForANewConnection) {
  // 25006 (a primary demoted under an open connection): the write runs again
  // on a new connection instead of answering 503
  std::atomic<int> runs{0};
  auto st = store->write([&](Tx& tx) -> Status {
    if (++runs == 1) tx.conn().exec_script("SET TRANSACTION READ ONLY");
    tx.conn().exec("INSERT INTO failover_probe(x) VALUES (?)", {int64_t(2)});
    return ok_status();
  });
  ASSERT_TRUE(st.ok()) << st.error().code << ": " << st.error().message;
  EXPECT_EQ(runs.load(), 2);
  EXPECT_EQ(probes(2), 1);
}

TEST_F(PgFailover, AServerThatStaysGoneAnswersUnavailableAfterBoundedRetries) {
  std::atomic<int> runs{0};
  auto st = store->write([&](Tx& tx) -> Status {
    runs++;
    int64_t pid = tx.conn().scalar("SELECT pg_backend_pid()");
    pg::PgConn admin(url);
    admin.query("SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", {pid});
    tx.conn().exec("INSERT INTO failover_probe(x) VALUES (?)", {int64_t(3)});
    return ok_status();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, Err::Unavailable);
  EXPECT_EQ(st.error().code, "unavailable");
  EXPECT_EQ(runs.load(), 3) << "the first run and two on new connections";
  EXPECT_EQ(probes(3), 0);
}

TEST_F(PgFailover, AConnectionLostDuringCommitIsNeverReportedAsSavedNorRunAgain) {
  // A deferred constraint trigger ends its own connection while COMMIT runs:
  // the client sent COMMIT and gets no answer, as when the primary dies then.
  pg::PgConn admin(url);
  admin.exec_script(R"(
    CREATE FUNCTION failover_die() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.x = 4 THEN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF;
      RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER failover_die AFTER INSERT ON failover_probe
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION failover_die();)");
  std::atomic<int> runs{0};
  auto t0 = std::chrono::steady_clock::now();
  auto st = store->write([&](Tx& tx) -> Status {
    runs++;
    tx.conn().exec("INSERT INTO failover_probe(x) VALUES (?)", {int64_t(4)});
    return ok_status();
  });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(st.ok()) << "a COMMIT without an answer was reported as saved";
  EXPECT_EQ(st.error().kind, Err::Unavailable);
  EXPECT_EQ(st.error().code, "unavailable");
  EXPECT_NE(st.error().message.find("may or may not"), std::string::npos) << st.error().message;
  EXPECT_EQ(runs.load(), 1) << "a write whose COMMIT outcome is unknown must not run again";
  EXPECT_LT(secs, 4.0);
  EXPECT_EQ(probes(4), 0);  // here it was rolled back (the trigger runs before the commit record)
  // the store carries on with a new connection
  EXPECT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("INSERT INTO failover_probe(x) VALUES (?)", {int64_t(5)});
    return ok_status();
  }).ok());
  EXPECT_EQ(probes(5), 1);
}

}  // namespace
