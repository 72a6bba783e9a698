// store/rows.h: the column lists and the mappers' indexes come from one named list.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/rows.h"

namespace tj {
namespace {

size_t count_columns(const std::string& list) { return list.empty() ? 0 : size_t(std::count(list.begin(), list.end(), ',')) + 1; }

TEST(Rows, ListsAndIndexesAgree) {
  EXPECT_EQ(count_columns(kCompanyCols), size_t(company_col::count));
  EXPECT_EQ(count_columns(kCompanyColsC), size_t(company_col::count));
  EXPECT_EQ(count_columns(kContactCols), size_t(contact_col::count));
  EXPECT_EQ(count_columns(kVisitCols), size_t(visit_col::count));
  EXPECT_EQ(count_columns(kUserCols), size_t(user_col::count));
  EXPECT_EQ(count_columns(kTeamCols), size_t(team_col::count));
  EXPECT_EQ(count_columns(kTargetCols), size_t(target_col::count));
  EXPECT_EQ(count_columns(kDealCols), size_t(deal_col::count));
  EXPECT_EQ(kCompanyColCount, 31);
  EXPECT_EQ(kCompanyCols.substr(0, 18), "id, org_id, name, ");
  EXPECT_EQ(kCompanyColsC.substr(0, 22), "c.id, c.org_id, c.name");
  EXPECT_NE(kCompanyCols.find("visit_count, interest_reason"), std::string::npos);
  EXPECT_EQ(kCompanyCols.substr(kCompanyCols.rfind(", ") + 2), "competitor_contract_end");
}

TEST(Rows, CompanyMapperReadsByName) {
  db::Row r;
  r.cols.resize(company_col::count);
  r.cols[company_col::id] = int64_t(7);
  r.cols[company_col::org_id] = int64_t(2);
  r.cols[company_col::name] = std::string("恒远化工");
  r.cols[company_col::status] = std::string("effective");
  r.cols[company_col::need] = int64_t(1);
  r.cols[company_col::budget] = int64_t(0);
  r.cols[company_col::payer_met] = int64_t(1);
  r.cols[company_col::visit_count] = int64_t(5);
  r.cols[company_col::version] = int64_t(3);
  r.cols[company_col::created_at] = int64_t(100);
  r.cols[company_col::updated_at] = int64_t(200);
  r.cols[company_col::competitor_contract_end] = std::string("2027-03-01");
  Company c = company_from(r);
  EXPECT_EQ(c.id, 7);
  EXPECT_EQ(c.org_id, 2);
  EXPECT_EQ(c.name, "恒远化工");
  EXPECT_EQ(c.status, CompanyStatus::Effective);
  EXPECT_TRUE(c.need);
  EXPECT_FALSE(c.budget);
  EXPECT_EQ(c.visit_count, 5);
  EXPECT_FALSE(c.owner_id.has_value());
  EXPECT_EQ(c.updated_at, 200);
  EXPECT_EQ(c.competitor_contract_end, "2027-03-01");
}

}  // namespace
}  // namespace tj
