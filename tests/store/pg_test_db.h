// Test databases on both backends, shared by the store contract, the replica
// tests and the app fixture (tests/app/fixture.h). PostgreSQL is used when
// TIEJUN_TEST_PG names a server (scripts/pg.sh start exports it): every test
// gets a database of its own there, dropped when the test program ends.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

// Creates a database on the server named by a postgresql:// URL and returns its
// URL; it is dropped (WITH (FORCE)) when the test program ends.
std::string create_pg_database(const std::string& server_url, const std::string& name);

namespace tj::testing {

// The TIEJUN_TEST_PG server URL, or "" when PostgreSQL is not configured.
std::string test_pg_server();

// A fresh, empty database for one test: backend "sqlite" gives a new file in a
// per-process temporary folder ("sqlite:/tmp/..."), "postgres" a new database
// named <prefix>_<pid>_<n> on the TIEJUN_TEST_PG server ("" when not set).
std::string fresh_test_db(const std::string& backend, const std::string& prefix);

// The backends every two-backend suite is instantiated for: "sqlite" and
// "postgres". Always both, since ctest lists the tests at build time, without
// TIEJUN_TEST_PG: a PostgreSQL test is skipped when the variable is not set.
std::vector<std::string> all_backends();

// A test-name generator for a backend parameter: ".../sqlite", ".../postgres".
struct BackendName {
  std::string operator()(const ::testing::TestParamInfo<std::string>& i) const { return i.param; }
};

}  // namespace tj::testing
