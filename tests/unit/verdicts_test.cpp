// The method's verdicts at their boundaries (src/method/verdicts.h): visits_new and calls,
// finished days, 80/20's week, the rolling time-sink window, pace and behind_pace, the
// harvest window, target precedence and the actions an alert offers.
#include <gtest/gtest.h>

#include "method/method.h"
#include "method/verdicts.h"

using namespace tj;
using namespace tj::method;

namespace {
int64_t D(const char* s) { return days_from_civil(*parse_date(s)); }
}  // namespace

TEST(Verdicts, CallsCountOnlyWhenTheSettingSaysSo) {
  Params p;
  // three calls to one company and nothing in person: 0 by default
  EXPECT_EQ(visits_new_of(p, 0, 1), 0);
  EXPECT_EQ(visits_new_of(p, 2, 3), 2);
  p.calls_count_as_visits = true;
  EXPECT_EQ(visits_new_of(p, 0, 1), 1);
  EXPECT_EQ(visits_new_of(p, 2, 3), 3);
}

TEST(Verdicts, ADayInProgressIsNotJudged) {
  int64_t today = D("2026-12-07");  // a Monday
  EXPECT_EQ(last_finished_day(today, today), today - 1);
  EXPECT_EQ(last_finished_day(today + 1, today), today - 1);  // a view a day ahead (time zones)
  EXPECT_EQ(last_finished_day(today - 1, today), today - 1);  // yesterday is judged in full
  EXPECT_EQ(last_finished_day(today - 5, today), today - 5);
  Settings s;
  // Monday as of today: Sunday is the last finished day, not a working day -> nothing to judge
  EXPECT_FALSE(below_quota_day(s, today, today));
  // Tuesday as of today: Monday is judged
  EXPECT_EQ(below_quota_day(s, today + 1, today + 1), today);
  // a past working day is judged itself
  EXPECT_EQ(below_quota_day(s, today, today + 3), today);
  // a past Saturday is not a working day
  EXPECT_FALSE(below_quota_day(s, D("2026-12-05"), today));
}

TEST(Verdicts, CoachingCountsTheDaysBeforeToday) {
  Settings s;
  Params p;
  int64_t wed = D("2026-12-09");
  auto days = coaching_days(s, p, wed, wed);
  ASSERT_EQ(int(days.size()), p.coaching_window_days);
  EXPECT_EQ(days.back(), wed - 1);  // Tuesday: today is in progress
  days = coaching_days(s, p, wed, wed + 1);
  EXPECT_EQ(days.back(), wed);  // Wednesday is over the next day
  p.coaching_window_days = 5;
  EXPECT_EQ(coaching_days(s, p, wed, wed).size(), 5u);
  EXPECT_EQ(adjustment_days(s, p, wed, wed).back(), wed - 1);
  EXPECT_EQ(int(adjustment_days(s, p, wed, wed).size()), p.quota_adjust_days);
}

TEST(Verdicts, NewShareJudgesTheIsoWeekUpToTheLastFinishedDay) {
  int64_t mon = D("2026-12-07"), wed = mon + 2;
  EXPECT_FALSE(new_share_range(mon, mon));  // Monday morning: nothing of the week is over
  auto r = new_share_range(wed, wed);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, mon);
  EXPECT_EQ(r->second, wed - 1);
  r = new_share_range(wed, wed + 10);
  EXPECT_EQ(r->second, wed);
  // Sunday as of a later day: the whole week
  r = new_share_range(mon + 6, mon + 20);
  EXPECT_EQ(r->first, mon);
  EXPECT_EQ(r->second, mon + 6);
  Params p;
  auto logged = [](int64_t on_new, int64_t total) {
    VisitMinutes m;
    m.logged_new = on_new;
    m.logged_total = total;
    return m;
  };
  EXPECT_FALSE(low_new_share(p, logged(0, 0)));     // no minutes: no verdict
  EXPECT_FALSE(low_new_share(p, logged(80, 100)));  // exactly 0.8 holds
  EXPECT_TRUE(low_new_share(p, logged(79, 100)));
  p.new_share_min = 0.5;
  EXPECT_FALSE(low_new_share(p, logged(79, 100)));
}

TEST(Verdicts, VisitsWithoutADurationWeighTheSettingsMinutes) {
  Params p;  // a visit 60, a call 15
  VisitMinutes m;
  m.logged_total = 30;  // one logged visit of 30 minutes, on an existing company
  m.calls_unlogged = 2;
  m.calls_unlogged_new = 2;  // two calls to new companies, no duration
  m.meets_unlogged = 1;
  m.meets_unlogged_new = 1;  // one visit to a new company, no duration
  auto w = weighted_minutes(p, m);
  EXPECT_EQ(w.total, 30 + 2 * 15 + 60);
  EXPECT_EQ(w.on_new, 2 * 15 + 60);
  EXPECT_NEAR(*new_share(p, m), 90.0 / 120.0, 1e-9);
  EXPECT_TRUE(low_new_share(p, m));  // 0.75 < 0.8
  p.visit_minutes = 120;            // the organisation weighs a visit more: the same facts now pass
  EXPECT_NEAR(*new_share(p, m), 150.0 / 180.0, 1e-9);
  EXPECT_FALSE(low_new_share(p, m));
}

TEST(Verdicts, TimeSinkWindowRolls) {
  Params p;
  // 2026-12-01: the window is the 30 days up to it (11-02 .. 12-01), first visit by 11-01
  auto w = time_sink_window(p, D("2026-12-01"));
  EXPECT_EQ(w.window_from, D("2026-11-02"));
  EXPECT_EQ(w.age_cutoff, D("2026-11-01"));
  p.time_sink_window_days = 7;
  p.time_sink_age_days = 10;
  w = time_sink_window(p, D("2026-12-01"));
  EXPECT_EQ(w.window_from, D("2026-11-25"));
  EXPECT_EQ(w.age_cutoff, D("2026-11-21"));
}

TEST(Verdicts, TargetPrecedence) {
  EXPECT_EQ(pick_quota(3, 4, 5), 3);
  EXPECT_EQ(pick_quota(std::nullopt, 4, 5), 4);
  EXPECT_EQ(pick_quota(std::nullopt, std::nullopt, 5), 5);
  EXPECT_EQ(pick_quota(0, 4, 5), 0);  // a target of 0 is a target
  EXPECT_TRUE(on_quota(5, 2, 5, 2));
  EXPECT_FALSE(on_quota(4, 2, 5, 2));
  EXPECT_FALSE(on_quota(5, 1, 5, 2));
}

TEST(Verdicts, PaceAndBehindPace) {
  Settings s;  // Monday to Friday
  Params p;
  // December 2026: 23 working days (Dec 1 is a Tuesday).
  int64_t dec1 = D("2026-12-01");
  auto pc = pace_of(s, "month", dec1, dec1);
  EXPECT_EQ(pc.days_total, 23);
  EXPECT_EQ(pc.days_gone, 0);
  EXPECT_DOUBLE_EQ(pc.pace, 0.0);
  // as of Tuesday Dec 8 (today): Dec 1-4 and 7 are over = 5 working days
  int64_t dec8 = D("2026-12-08");
  pc = pace_of(s, "month", dec8, dec8);
  EXPECT_EQ(pc.days_gone, 5);
  EXPECT_FALSE(behind_pace(p, "month", pc, 0.0));  // still within the first 5 working days
  pc = pace_of(s, "month", dec8, dec8 + 1);         // Dec 8 over: 6 days gone
  EXPECT_EQ(pc.days_gone, 6);
  double pace = 6.0 / 23.0;
  EXPECT_DOUBLE_EQ(pc.pace, pace);
  EXPECT_TRUE(behind_pace(p, "month", pc, 0.8 * pace - 0.001));
  EXPECT_FALSE(behind_pace(p, "month", pc, 0.8 * pace));
  EXPECT_FALSE(behind_pace(p, "month", pc, std::nullopt));
  EXPECT_FALSE(behind_pace(p, "day", pace_of(s, "day", dec8, dec8 + 1), 0.0));  // day targets never
  p.pace_grace_days = 6;
  EXPECT_FALSE(behind_pace(p, "month", pc, 0.0));
  // a day target: pace 1 once the day is over
  EXPECT_DOUBLE_EQ(pace_of(s, "day", dec8, dec8).pace, 0.0);
  EXPECT_DOUBLE_EQ(pace_of(s, "day", dec8, dec8 + 1).pace, 1.0);
  // the month's end
  EXPECT_EQ(pace_of(s, "month", D("2026-12-31"), D("2027-01-05")).days_gone, 23);
  EXPECT_EQ(attainment(5, 10), 0.5);
  EXPECT_FALSE(attainment(5, 0));
  EXPECT_EQ(target_range("month", dec8), std::pair(dec1, dec8));
  EXPECT_EQ(target_range("day", dec8), std::pair(dec8, dec8));
}

TEST(Verdicts, HarvestWindow) {
  Params p;  // 60 days
  int64_t end = D("2027-03-01");
  EXPECT_FALSE(in_harvest_window(p, end, end - 61));
  EXPECT_TRUE(in_harvest_window(p, end, end - 60));
  EXPECT_TRUE(in_harvest_window(p, end, end));
  EXPECT_FALSE(in_harvest_window(p, end, end + 1));
  auto r = harvest_end_range(p, end - 60);
  EXPECT_EQ(r.first, end - 60);
  EXPECT_EQ(r.second, end);
  p.harvest_window_days = 10;
  EXPECT_FALSE(in_harvest_window(p, end, end - 11));
}

TEST(Verdicts, AlertActionsByKindAndRole) {
  using V = std::vector<std::string>;
  EXPECT_EQ(alert_actions("sign_or_drop", Role::Rep, true), (V{"log_visit", "drop", "nurture"}));
  EXPECT_EQ(alert_actions("time_sink_last_month", Role::Rep, true), (V{"log_visit", "drop", "nurture"}));
  EXPECT_EQ(alert_actions("nurture_due", Role::Rep, true), (V{"log_visit", "drop"}));
  EXPECT_EQ(alert_actions("below_quota", Role::Rep, true), (V{"log_visit"}));
  EXPECT_EQ(alert_actions("sign_or_drop", Role::Rep, false), V{});
  EXPECT_EQ(alert_actions("sign_or_drop", Role::Manager, false), (V{"book_accompanied", "nudge", "reassign"}));
  EXPECT_EQ(alert_actions("below_quota", Role::Manager, false), (V{"book_accompanied", "nudge"}));
  EXPECT_EQ(alert_actions("behind_pace", Role::Director, false), (V{"book_accompanied", "nudge"}));
  EXPECT_EQ(alert_actions("harvest_window", Role::Admin, false), (V{"book_accompanied", "nudge", "reassign"}));
  EXPECT_TRUE(is_company_alert("harvest_window"));
  EXPECT_TRUE(is_company_alert("pool_release_soon"));
  EXPECT_FALSE(is_company_alert("behind_pace"));
}
