// app/messages.h: the app's texts by key, in both languages.
#include <gtest/gtest.h>

#include "app/messages.h"

namespace tj {
namespace {

TEST(Messages, StatusAndKindNamesInBothLanguages) {
  const std::pair<CompanyStatus, const char*> zh_status[] = {
      {CompanyStatus::Prospect, "线索"}, {CompanyStatus::Contacted, "已拜访"}, {CompanyStatus::Effective, "有效"},
      {CompanyStatus::Signed, "已签"},   {CompanyStatus::Nurture, "培养"},     {CompanyStatus::Dropped, "放弃"}};
  for (auto [s, zh] : zh_status) {
    EXPECT_EQ(status_name(s, true), zh);
    EXPECT_EQ(status_name(s, false), to_string(s));  // English: the API's own word
  }
  EXPECT_EQ(visit_kind_name(VisitKind::Visit, true), "拜访");
  EXPECT_EQ(visit_kind_name(VisitKind::Call, true), "电话");
  EXPECT_EQ(visit_kind_name(VisitKind::Accompanied, true), "陪访");
  EXPECT_EQ(visit_kind_name(VisitKind::Accompanied, false), "accompanied");
  EXPECT_EQ(yes_no(true, true), "是");
  EXPECT_EQ(yes_no(false, false), "no");
}

TEST(Messages, PlaceholdersFilled) {
  EXPECT_EQ(tr("import.owner_unknown", true, {{"cell", "\"张三\""}}), "你的团队里没有用户 \"张三\"");
  EXPECT_EQ(tr("import.owner_unknown", false, {{"cell", "\"张三\""}}), "no user \"张三\" in your teams");
  EXPECT_EQ(tr("pool.release_in_days", true, {{"n", "3"}, {"day", "2027-03-01"}}), "3 天后（2027-03-01）");
  EXPECT_EQ(tr("duplicate.in_pool", false, {{"named", ""}, {"named_sp", ""}}),
            "duplicate (撞单): a company of this name is in the public pool; claim it instead");
}

}  // namespace
}  // namespace tj

namespace tj {
namespace {

TEST(Messages, FitMessages) {
  EXPECT_EQ(tr("fit.suggested_by_style", true, {{"style", "老虎型"}}), "按买单人风格「老虎型」的平滑赢单率推荐。");
  EXPECT_EQ(tr("fit.suggested_by_style", false, {{"style", "Tiger"}}), "Suggested by smoothed win rate with payers of style \"Tiger\".");
  EXPECT_EQ(tr("fit.record_payer_style", false), "Record the payer's leadership style to match the best-fitting rep.");
}

}  // namespace
}  // namespace tj
