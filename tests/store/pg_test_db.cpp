#include "pg_test_db.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "store/postgres/pg.h"

namespace {

std::vector<std::string>& created_pg_dbs() {
  static std::vector<std::string> v;
  return v;
}

std::vector<std::filesystem::path>& created_sqlite_dirs() {
  static std::vector<std::filesystem::path> v;
  return v;
}

// Drops every database create_pg_database made, and removes the folders of the
// SQLite databases fresh_test_db named, when the test program ends, so a suite
// run leaves nothing behind (TIEJUN_TEST_KEEP=1 keeps them for a post-mortem).
class DropPgDatabases : public ::testing::Environment {
 public:
  void TearDown() override {
    const char* keep = std::getenv("TIEJUN_TEST_KEEP");
    if (keep && *keep == '1') return;
    for (auto& dir : created_sqlite_dirs()) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    created_sqlite_dirs().clear();
    std::string pg = tj::testing::test_pg_server();
    if (pg.empty() || created_pg_dbs().empty()) return;
    try {
      tj::pg::PgConn admin(pg);
      for (auto& name : created_pg_dbs()) admin.exec_script("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cannot drop test databases: %s\n", e.what());
    }
    created_pg_dbs().clear();
  }
};
[[maybe_unused]] const auto* const kDropPg = ::testing::AddGlobalTestEnvironment(new DropPgDatabases);

}  // namespace

std::string create_pg_database(const std::string& server_url, const std::string& name) {
  tj::pg::PgConn admin(server_url);
  admin.exec_script("CREATE DATABASE \"" + name + "\"");
  created_pg_dbs().push_back(name);
  return tj::pg::with_database(server_url, name);  // single or multi-host URL, query kept
}

namespace tj::testing {

std::string test_pg_server() {
  const char* pg = std::getenv("TIEJUN_TEST_PG");
  return pg && *pg ? pg : "";
}

std::string fresh_test_db(const std::string& backend, const std::string& prefix) {
  static std::atomic<int> n{0};
  if (backend == "sqlite") {
    auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(getpid()));
    if (std::filesystem::create_directories(dir)) created_sqlite_dirs().push_back(dir);
    auto p = dir / ("t" + std::to_string(n++) + ".db");
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
    return "sqlite:" + p.string();
  }
  std::string pg = test_pg_server();
  if (pg.empty()) return "";
  return create_pg_database(pg, prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(n++));
}

std::vector<std::string> all_backends() { return {"sqlite", "postgres"}; }

}  // namespace tj::testing
