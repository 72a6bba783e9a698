// The two migration folders move in lock-step: the same numbers and names in the same order
// (a migration one backend does not need is a no-op `SELECT 1;` there), so schema_version means
// the same on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/migrations.h"

namespace tj {
namespace {

std::vector<std::pair<int, std::string>> listed(const migrations::Migration* set) {
  std::vector<std::pair<int, std::string>> out;
  for (auto* m = set; m->name; ++m) out.emplace_back(m->number, m->name);
  return out;
}

const char* sql_of(const migrations::Migration* set, int number) {
  for (auto* m = set; m->name; ++m)
    if (m->number == number) return m->sql;
  return nullptr;
}

TEST(Migrations, BothBackendsHaveTheSameNumbersAndNames) {
  auto sqlite = listed(migrations::kSqlite), postgres = listed(migrations::kPostgres);
  ASSERT_FALSE(sqlite.empty());
  EXPECT_EQ(sqlite, postgres);
  for (size_t i = 1; i < sqlite.size(); i++) EXPECT_LT(sqlite[i - 1].first, sqlite[i].first) << sqlite[i].second;
}

// The organisation-wide alerts on SQLite name the partial index of the owned companies
// (tx_alerts.cpp, INDEXED BY companies_owned): 0023 makes it, with PostgreSQL's definition of 0022.
TEST(Migrations, Migration0023GivesSqliteTheOwnedCompaniesIndex) {
  const char* lite = sql_of(migrations::kSqlite, 23);
  const char* pg22 = sql_of(migrations::kPostgres, 22);
  ASSERT_TRUE(lite);
  ASSERT_TRUE(pg22);
  const std::string def =
      "CREATE INDEX companies_owned ON companies(org_id, id) WHERE owner_id IS NOT NULL AND deleted = 0;";
  EXPECT_NE(std::string(lite).find(def), std::string::npos);
  EXPECT_NE(std::string(pg22).find(def), std::string::npos);
  ASSERT_TRUE(sql_of(migrations::kPostgres, 23));
  EXPECT_NE(std::string(sql_of(migrations::kPostgres, 23)).find("SELECT 1;"), std::string::npos);
}

// 0024 keeps only effective companies in companies_org_effective (an import of companies that
// are not yet effective then adds nothing to it), on both backends alike.
TEST(Migrations, Migration0024MakesTheEffectiveIndexPartial) {
  const std::string def =
      "CREATE INDEX companies_org_effective ON companies(org_id, effective_day, effective_by, deleted, source)\n"
      "  WHERE effective_day IS NOT NULL;";
  for (auto* set : {migrations::kSqlite, migrations::kPostgres}) {
    const char* sql = sql_of(set, 24);
    ASSERT_TRUE(sql);
    EXPECT_NE(std::string(sql).find("DROP INDEX companies_org_effective;"), std::string::npos);
    EXPECT_NE(std::string(sql).find(def), std::string::npos);
  }
}

}  // namespace
}  // namespace tj
