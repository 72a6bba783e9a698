// The method's pure rules as tables: 取中间值, the coaching loop, calendars,
// prospect ordering, the talent matrix.
#include <gtest/gtest.h>

#include "method/method.h"

using namespace tj;
using namespace tj::method;

struct QuotaCase {
  const char* name;
  std::vector<std::vector<int64_t>> daily;
  int quota;
  int suggested;
};
class QuotaAdjust : public ::testing::TestWithParam<QuotaCase> {};
TEST_P(QuotaAdjust, MiddleValue) {
  auto& c = GetParam();
  EXPECT_EQ(suggest_quota(c.daily, c.quota).suggested, c.suggested) << c.name;
}
INSTANTIATE_TEST_SUITE_P(
    Method, QuotaAdjust,
    ::testing::Values(
        // 5 reps; medians 3,3,3,3,2 -> 80% reach 3: keep 3
        QuotaCase{"exactly 80% reach", {{3, 3, 3}, {3, 3, 4}, {2, 3, 3}, {3, 5, 3}, {2, 2, 1}}, 3, 3},
        // medians 3,3,3,2,2 -> 60% reach 3, 100% reach 2: suggest 2
        QuotaCase{"60% reach -> 2", {{3, 3, 3}, {3, 3, 4}, {3, 3, 3}, {2, 2, 2}, {2, 1, 2}}, 3, 2},
        // medians 1,1,0,0,2 -> 40% reach 1... never below 1
        QuotaCase{"never below 1", {{1, 1, 1}, {1, 0, 1}, {0, 0, 0}, {0, 0, 0}, {2, 2, 2}}, 3, 1},
        // medians 3,2,2,1,1 -> reach 2: 60%; reach 1: 100% -> 1 (the 3 -> 2 -> 1 ladder)
        QuotaCase{"down the ladder 3->1", {{3, 3, 3}, {2, 2, 2}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}}, 3, 1},
        // even number of days: median of (1,2) is 1.5 -> reaches 1 but not 2
        QuotaCase{"even-day median", {{1, 2}, {1, 2}, {2, 2}, {2, 2}, {2, 2}}, 2, 1},
        QuotaCase{"everyone above", {{5, 6, 7}, {5, 5, 5}}, 5, 5},
        QuotaCase{"no reps", {}, 3, 3},
        QuotaCase{"quota 1 stays 1", {{0, 0, 0}}, 1, 1}),
    [](const auto& i) { return "case" + std::to_string(i.index); });

struct CoachCase {
  const char* name;
  std::vector<bool> on;
  bool in;
  int since;  // -1 when not in coaching
};
class Coaching : public ::testing::TestWithParam<CoachCase> {};
TEST_P(Coaching, EnterAfterThreeBelowLeaveAfterThreeOn) {
  auto& c = GetParam();
  auto s = coaching_state(c.on);
  EXPECT_EQ(s.in_coaching, c.in) << c.name;
  EXPECT_EQ(s.since_index ? int(*s.since_index) : -1, c.since) << c.name;
}
INSTANTIATE_TEST_SUITE_P(Method, Coaching,
                         ::testing::Values(CoachCase{"two below is not enough", {1, 0, 0}, false, -1},
                                           CoachCase{"three below enters", {1, 0, 0, 0}, true, 1},
                                           CoachCase{"broken streak", {0, 0, 1, 0, 0}, false, -1},
                                           CoachCase{"two on does not leave", {0, 0, 0, 1, 1}, true, 0},
                                           CoachCase{"three on leaves", {0, 0, 0, 1, 1, 1}, false, -1},
                                           CoachCase{"re-enters", {0, 0, 0, 1, 1, 1, 0, 0, 0}, true, 6},
                                           CoachCase{"on quota all along", {1, 1, 1, 1}, false, -1}),
                         [](const auto& i) { return "case" + std::to_string(i.index); });

TEST(Method, WorkingDaysHonourWeekendsAndHolidays) {
  Settings s;
  int64_t fri = days_from_civil({2026, 11, 27});
  EXPECT_EQ(weekday(fri), 5);
  EXPECT_TRUE(is_working_day(s, fri));
  EXPECT_FALSE(is_working_day(s, fri + 1));
  s.holidays = {"2026-11-27"};
  EXPECT_FALSE(is_working_day(s, fri));
  auto days = last_working_days(s, fri, 3);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(format_date(civil_from_days(days.back())), "2026-11-26");
  EXPECT_EQ(format_date(civil_from_days(days.front())), "2026-11-24");
  EXPECT_EQ(count_working_days(s, fri - 4, fri + 3), 5);  // Mon 23..Mon 30: 6 weekdays minus the holiday
  EXPECT_EQ(format_date(civil_from_days(iso_week_start(fri))), "2026-11-23");
  EXPECT_EQ(format_date(civil_from_days(month_start(fri))), "2026-11-01");
  EXPECT_EQ(format_date(civil_from_days(iso_week_start(days_from_civil({2027, 1, 1})))), "2026-12-28");
}

TEST(Method, ProspectOrderIsNearnessThenCompetitorThenBudgetThenPayer) {
  // ±1 with nothing beats ±2 with everything
  EXPECT_GT(prospect_score({1, false, false, false}), prospect_score({2, true, true, true}));
  EXPECT_GT(prospect_score({1, true, false, false}), prospect_score({1, false, true, true}));
  EXPECT_GT(prospect_score({2, false, true, false}), prospect_score({2, false, false, true}));
  EXPECT_GT(prospect_score({2, false, false, true}), prospect_score({2, false, false, false}));
  EXPECT_EQ(prospect_score({0, false, false, false}), prospect_score({1, false, false, false}));
}

TEST(Method, CheckInDistanceIsTheGreatCircle) {
  // 0.01° of latitude is 1,111.95 m on the mean Earth radius, wherever it is
  EXPECT_NEAR(distance_m(31.2304, 121.4737, 31.2404, 121.4737), 1111.95, 0.5);
  EXPECT_NEAR(distance_m(-33.0, 151.0, -33.01, 151.0), 1111.95, 0.5);
  EXPECT_EQ(distance_m(30.0, 120.0, 30.0, 120.0), 0.0);
  // a degree of longitude shrinks with the cosine of the latitude
  EXPECT_NEAR(distance_m(60.0, 10.0, 60.0, 11.0), 111195.0 * 0.5, 60.0);
  // Shanghai (People's Square) to Hangzhou (West Lake): about 165 km
  EXPECT_NEAR(distance_m(31.2304, 121.4737, 30.2741, 120.1551), 165000.0, 3000.0);
  // antipodes: half the circumference, no NaN from rounding
  EXPECT_NEAR(distance_m(0.0, 0.0, 0.0, 180.0), 20015114.4, 1.0);
  EXPECT_EQ(distance_m(1.0, 2.0, 3.0, 4.0), distance_m(3.0, 4.0, 1.0, 2.0));
}

struct TalentCase {
  double perf, values;
  Talent expect;
};
class TalentMatrix : public ::testing::TestWithParam<TalentCase> {};
TEST_P(TalentMatrix, Quadrants) {
  auto& c = GetParam();
  EXPECT_EQ(talent_of(c.perf, c.values), c.expect) << c.perf << " " << c.values;
}
INSTANTIATE_TEST_SUITE_P(Method, TalentMatrix,
                         ::testing::Values(TalentCase{1.0, 4.0, Talent::Star}, TalentCase{1.2, 2.9, Talent::WildDog},
                                           TalentCase{0.59, 4.5, Talent::WhiteRabbit}, TalentCase{0.2, 1.0, Talent::Dog},
                                           TalentCase{0.6, 3.0, Talent::Ox}, TalentCase{0.99, 4.0, Talent::Ox},
                                           TalentCase{1.0, 3.99, Talent::Ox}));

TEST(Method, SmoothedWinRateShrinksToPrior) {
  EXPECT_DOUBLE_EQ(smoothed_win_rate(0, 0, 0.3), 0.3);
  EXPECT_DOUBLE_EQ(smoothed_win_rate(1, 1, 0.3, 2), (1 + 0.6) / 3);
  EXPECT_LT(smoothed_win_rate(1, 1, 0.3), smoothed_win_rate(8, 10, 0.3));
}

TEST(Method, MessagesInBothLanguages) {
  auto zh = message("sign_or_drop", true, {{"company", "某公司"}, {"visits", "2"}});
  auto en = message("sign_or_drop", false, {{"company", "X"}, {"visits", "2"}});
  EXPECT_NE(zh.find("某公司"), std::string::npos);
  EXPECT_NE(zh.find("签或放弃"), std::string::npos);
  EXPECT_NE(en.find("sign or drop"), std::string::npos);
  EXPECT_EQ(en.find("{"), std::string::npos);
}
