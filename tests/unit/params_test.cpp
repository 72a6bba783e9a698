// The method's one parameter set: defaults as SPEC §3, the table that drives the
// settings API and its ranges, and the checks between parameters.
#include <gtest/gtest.h>

#include <set>

#include "method/params.h"

using namespace tj;
using namespace tj::method;

TEST(Params, DefaultsAreTheSpecs) {
  Params p = params_of(Settings{});
  EXPECT_EQ(p.quota_visits_new, 5);
  EXPECT_EQ(p.quota_effective_new, 2);
  EXPECT_FALSE(p.calls_count_as_visits);
  EXPECT_DOUBLE_EQ(p.new_share_min, 0.8);
  EXPECT_EQ(p.time_sink_age_days, 30);
  EXPECT_EQ(p.time_sink_window_days, 30);
  EXPECT_EQ(p.time_sink_visits, 2);
  EXPECT_EQ(p.sign_or_drop_visits, 2);
  EXPECT_EQ(p.not_effective_visits, 3);
  EXPECT_EQ(p.nurture_cap, 5);
  EXPECT_EQ(p.pool_release_days, 30);
  EXPECT_EQ(p.pool_warn_days, 3);
  EXPECT_EQ(p.claim_daily_max, 10);
  EXPECT_EQ(p.owned_max, 300);
  EXPECT_EQ(p.reclaim_cooldown_days, 7);
  EXPECT_EQ(p.min_order_value, 1000000);
  EXPECT_EQ(p.prospect_rank_window, 2);
  EXPECT_EQ(p.harvest_window_days, 60);
  EXPECT_DOUBLE_EQ(p.diagnosis_share, 0.8);
  EXPECT_EQ(p.diagnosis_window_days, 30);
  EXPECT_EQ(p.quota_adjust_days, 20);
  EXPECT_DOUBLE_EQ(p.quota_adjust_share, 0.8);
  EXPECT_EQ(p.new_hire_days, 90);
  EXPECT_EQ(p.coaching_enter_days, 3);
  EXPECT_EQ(p.coaching_leave_days, 3);
  EXPECT_DOUBLE_EQ(p.pace_alert_share, 0.8);
  EXPECT_EQ(p.pace_grace_days, 5);
  EXPECT_EQ(p.plan_remind_at, "09:30");
  EXPECT_EQ(p.review_remind_at, "19:00");
}

TEST(Params, EverySettingReachesTheParams) {
  // Each spec, set to a value other than its default, changes what params_of gives.
  for (auto& spec : param_specs()) {
    Settings s;
    Params before = params_of(s);
    ParamValue v;
    switch (spec.kind) {
      case ParamKind::Int:
      case ParamKind::Money: v = std::get<int64_t>(get_param(s, spec)) == spec.lo ? spec.lo + 1 : spec.lo; break;
      case ParamKind::Share: v = std::get<double>(get_param(s, spec)) == 0.5 ? 0.6 : 0.5; break;
      case ParamKind::Bool: v = !std::get<bool>(get_param(s, spec)); break;
      case ParamKind::ClockTime: v = std::string("07:05"); break;
    }
    ASSERT_FALSE(set_param(s, spec, v)) << spec.name;
    Params after = params_of(s);
    // Compare through the table's own view of the settings and a byte-wise look at Params.
    EXPECT_NE(get_param(Settings{}, spec), get_param(s, spec)) << spec.name;
    bool differs = before.quota_visits_new != after.quota_visits_new || before.quota_effective_new != after.quota_effective_new ||
                   before.calls_count_as_visits != after.calls_count_as_visits || before.new_share_min != after.new_share_min ||
                   before.time_sink_age_days != after.time_sink_age_days || before.time_sink_window_days != after.time_sink_window_days ||
                   before.time_sink_visits != after.time_sink_visits || before.sign_or_drop_visits != after.sign_or_drop_visits ||
                   before.not_effective_visits != after.not_effective_visits || before.nurture_cap != after.nurture_cap ||
                   before.pool_release_days != after.pool_release_days || before.pool_warn_days != after.pool_warn_days ||
                   before.claim_daily_max != after.claim_daily_max || before.owned_max != after.owned_max ||
                   before.reclaim_cooldown_days != after.reclaim_cooldown_days || before.min_order_value != after.min_order_value ||
                   before.prospect_rank_window != after.prospect_rank_window || before.harvest_window_days != after.harvest_window_days ||
                   before.diagnosis_share != after.diagnosis_share || before.diagnosis_window_days != after.diagnosis_window_days ||
                   before.quota_adjust_days != after.quota_adjust_days || before.quota_adjust_share != after.quota_adjust_share ||
                   before.new_hire_days != after.new_hire_days || before.coaching_enter_days != after.coaching_enter_days ||
                   before.coaching_leave_days != after.coaching_leave_days || before.coaching_window_days != after.coaching_window_days ||
                   before.coaching_compare_days != after.coaching_compare_days || before.talent_window_days != after.talent_window_days ||
                   before.visit_minutes != after.visit_minutes || before.call_minutes != after.call_minutes ||
                   before.pace_alert_share != after.pace_alert_share || before.pace_grace_days != after.pace_grace_days ||
                   before.plan_remind_at != after.plan_remind_at || before.review_remind_at != after.review_remind_at;
    EXPECT_TRUE(differs) << spec.name << " does not reach method::Params";
  }
}

TEST(Params, NamesAreUniqueAndFindable) {
  std::set<std::string> names;
  for (auto& spec : param_specs()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    EXPECT_EQ(find_param(spec.name), &spec);
  }
  EXPECT_EQ(find_param("no_such_setting"), nullptr);
  for (auto n : {"quota_visits_new", "quota_effective_new", "calls_count_as_visits", "new_share_min", "time_sink_age_days",
                 "nurture_cap", "pool_release_days", "pool_warn_days", "claim_daily_max", "owned_max",
                 "reclaim_cooldown_days", "harvest_window_days", "pace_alert_share", "min_order_value",
                 "plan_remind_at", "review_remind_at"})
    EXPECT_NE(find_param(n), nullptr) << n << " (named by SPEC / the issue)";
}

TEST(Params, RangesAreCheckedAtTheirBoundaries) {
  for (auto& spec : param_specs()) {
    Settings s;
    switch (spec.kind) {
      case ParamKind::Int:
      case ParamKind::Money:
        EXPECT_FALSE(set_param(s, spec, spec.lo)) << spec.name;
        EXPECT_FALSE(set_param(s, spec, spec.hi)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, spec.lo - 1)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, spec.hi + 1)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, 1.5)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, std::string("5"))) << spec.name;
        EXPECT_TRUE(set_param(s, spec, true)) << spec.name;
        break;
      case ParamKind::Share:
        EXPECT_FALSE(set_param(s, spec, 0.0)) << spec.name;
        EXPECT_FALSE(set_param(s, spec, 1.0)) << spec.name;
        EXPECT_FALSE(set_param(s, spec, int64_t(1))) << spec.name;
        EXPECT_TRUE(set_param(s, spec, -0.01)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, 1.01)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, std::string("0.8"))) << spec.name;
        break;
      case ParamKind::Bool:
        EXPECT_FALSE(set_param(s, spec, true)) << spec.name;
        EXPECT_TRUE(set_param(s, spec, int64_t(1))) << spec.name;
        break;
      case ParamKind::ClockTime:
        EXPECT_FALSE(set_param(s, spec, std::string("00:00"))) << spec.name;
        EXPECT_FALSE(set_param(s, spec, std::string("23:59"))) << spec.name;
        for (auto bad : {"24:00", "9:30", "09:60", "09-30", "", "0930x", "ab:cd"})
          EXPECT_TRUE(set_param(s, spec, std::string(bad))) << spec.name << " " << bad;
        EXPECT_TRUE(set_param(s, spec, int64_t(930))) << spec.name;
        break;
    }
  }
}

TEST(Params, ChecksBetweenParameters) {
  Settings s;
  EXPECT_FALSE(check_params(s));
  s.pool_warn_days = s.pool_release_days;
  auto bad = check_params(s);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->first, "pool_warn_days");
  s.pool_warn_days = s.pool_release_days - 1;
  EXPECT_FALSE(check_params(s));
  s.coaching_window_days = s.coaching_enter_days - 1;
  bad = check_params(s);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->first, "coaching_window_days");
}

TEST(Params, ClockTime) {
  EXPECT_EQ(parse_clock_time("09:30"), 570);
  EXPECT_EQ(parse_clock_time("00:00"), 0);
  EXPECT_EQ(parse_clock_time("23:59"), 23 * 60 + 59);
  EXPECT_FALSE(parse_clock_time("24:00"));
  EXPECT_FALSE(parse_clock_time(" 9:30"));
}
