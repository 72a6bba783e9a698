// The verdicts SPEC §3 revised (issue 12), through the use cases on both backends, each
// at its boundary and each failing on the code before the revision: visits_new counts
// distinct new companies met in person (calls only by the setting); a day in progress is
// not a miss (below_quota, coaching, 80/20); the time sink's rolling window survives the
// 1st of a month and its thresholds are settings; targets against results with pace and
// behind_pace; harvest (competitor_contract_end); alerts carry their actions.
#include <algorithm>

#include "fixture.h"

using namespace tj;
using namespace tj::testing;

namespace {

class MethodVerdicts : public OrgFixture {
 protected:
  json rep_row(const json& list, Id rep) {
    for (auto& r : list["items"])
      if (r["rep_id"] == rep) return r;
    return json();
  }
  bool has_rep(const std::vector<json>& alerts, Id rep) {
    return std::any_of(alerts.begin(), alerts.end(), [&](const json& a) { return a["rep_id"] == rep; });
  }
  bool has_company(const std::vector<json>& alerts, Id c) {
    return std::any_of(alerts.begin(), alerts.end(), [&](const json& a) { return a["company_id"] == c; });
  }
  const json qualify = {{"need", true}, {"budget", true}, {"met_payer", true}};
};
TJ_ON_EACH_BACKEND(MethodVerdicts);

// ---- visits_new ----

TEST_P(MethodVerdicts, CallsToOneCompanyAreNotNewCustomerVisits) {
  Id c = company(rep1, "电话公司");
  for (const char* t : {"2026-11-26T09:00:00+08:00", "2026-11-26T09:05:00+08:00", "2026-11-26T09:10:00+08:00"})
    visit(rep1, c, t, {{"kind", "call"}, {"duration_min", 1}});
  auto m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits"], 3);
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 0) << "three calls meet nobody";
  auto below = alerts_of(rep1, "below_quota");  // as of today (11-27): judges 11-26
  ASSERT_EQ(below.size(), 1u);
  EXPECT_EQ(below[0]["day"], "2026-11-26");
  EXPECT_EQ(below[0]["visits_new"], 0);
  // The organisation may count calls: then the company counts once.
  ok(app->patch_settings(actor(admin), {{"calls_count_as_visits", true}}));
  m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 1) << "calls count, distinct companies";
  EXPECT_EQ(alerts_of(rep1, "below_quota")[0]["visits_new"], 1);
}

TEST_P(MethodVerdicts, ASecondVisitToTheSameCompanyThatDayCountsOnce) {
  Id c = company(rep1, "回访公司"), d = company(rep1, "另一家");
  visit(rep1, c, "2026-11-26T09:00:00+08:00");
  visit(rep1, c, "2026-11-26T15:00:00+08:00");
  visit(rep1, c, "2026-11-26T17:00:00+08:00", {{"kind", "accompanied"}, {"companion_id", mgr}, {"coaching_stage", 1}});
  visit(rep1, d, "2026-11-26T10:00:00+08:00", {{"kind", "accompanied"}, {"companion_id", mgr}, {"coaching_stage", 1}});
  visit(rep1, c, "2026-11-25T09:00:00+08:00");  // another day: counts on its own day
  auto m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits"], 4);
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 2);
  m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-25"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 3);
  auto lb = ok(app->leaderboard(actor(admin), {{"period", "day"}, {"metric", "visits_new"}, {"as_of", "2026-11-26"}}));
  EXPECT_EQ(rep_row(lb, rep1)["value"], 2);
  // An existing customer (signed) is not a new company.
  clock.t = at("2026-11-20T12:00:00+08:00");
  Id old = company(rep1, "老客户");
  ok(app->create_deal(actor(rep1), {{"company_id", old}, {"amount", 100}, {"signed_on", "2026-11-20"}}));
  clock.t = at("2026-11-27T12:00:00+08:00");
  visit(rep1, old, "2026-11-26T11:00:00+08:00");
  m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 2);
  // Deleting one of two visits to a company that day keeps it counted; deleting both does not.
  auto v = ok(app->list_company_visits(actor(rep1), c, {}));
  std::vector<Id> on26;
  for (auto& x : v["items"])
    if (x["day"] == "2026-11-26") on26.push_back(x["id"].get<Id>());
  ASSERT_EQ(on26.size(), 3u);
  ASSERT_TRUE(app->delete_visit(actor(rep1), on26[0]).ok());
  m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 2);
  ASSERT_TRUE(app->delete_visit(actor(rep1), on26[1]).ok());
  ASSERT_TRUE(app->delete_visit(actor(rep1), on26[2]).ok());
  m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  EXPECT_EQ(rep_row(m, rep1)["visits_new"], 1);
}

// ---- a day in progress is not a miss ----

TEST_P(MethodVerdicts, JustAfterMidnightTodayIsNotBelowQuota) {
  for (int i = 0; i < 5; i++)
    visit(rep1, company(rep1, "昨" + std::to_string(i)), "2026-11-26T10:00:00+08:00", i < 2 ? qualify : json::object());
  clock.t = at("2026-11-27T00:30:00+08:00");  // Friday, before anyone could work
  auto below = alerts_of(mgr, "below_quota", "2026-11-27");
  EXPECT_FALSE(has_rep(below, rep1)) << "today is in progress; yesterday rep1 was on quota";
  EXPECT_TRUE(has_rep(below, rep2)) << "yesterday is judged in full";
  for (auto& a : below) EXPECT_EQ(a["day"], "2026-11-26");
  // A past day is judged itself.
  clock.t = at("2026-11-28T09:00:00+08:00");
  EXPECT_TRUE(has_rep(alerts_of(mgr, "below_quota", "2026-11-27"), rep1)) << "Friday is over and rep1 did nothing";
}

TEST_P(MethodVerdicts, CoachingStreaksCountTheDaysBeforeToday) {
  ok(app->patch_user(actor(admin), rep1, {{"hire_date", "2026-11-25"}}));
  auto in_coaching = [&](const char* as_of) {
    auto j = ok(app->coaching(actor(mgr), {{"as_of", as_of}, {"rep_id", std::to_string(rep1)}}));
    EXPECT_EQ(j["items"].size(), 1u);
    return j["items"].size() == 1 && j["items"][0]["in_coaching"].get<bool>();
  };
  // Below quota Wed 25 and Thu 26; Friday 27 is today.
  clock.t = at("2026-11-27T08:00:00+08:00");
  EXPECT_FALSE(in_coaching("2026-11-27")) << "two finished days below quota; today is in progress";
  auto j = ok(app->coaching(actor(mgr), {{"as_of", "2026-11-27"}, {"rep_id", std::to_string(rep1)}}));
  EXPECT_EQ(j["items"][0]["streak_below"], 2);
  clock.t = at("2026-11-28T08:00:00+08:00");
  EXPECT_TRUE(in_coaching("2026-11-27")) << "Friday is over: three days below";
  // The numbers are settings.
  ok(app->patch_settings(actor(admin), {{"coaching_enter_days", 4}}));
  EXPECT_FALSE(in_coaching("2026-11-27"));
}

TEST_P(MethodVerdicts, EightyTwentyJudgesTheFinishedDaysOfTheWeek) {
  Id existing = company(rep1, "老客户");
  clock.t = at("2026-11-02T12:00:00+08:00");
  ok(app->create_deal(actor(rep1), {{"company_id", existing}, {"amount", 100}, {"signed_on", "2026-11-02"}}));
  clock.t = at("2026-11-23T12:00:00+08:00");  // Monday
  visit(rep1, existing, "2026-11-23T09:00:00+08:00");
  EXPECT_TRUE(alerts_of(rep1, "low_new_share", "2026-11-23").empty()) << "Monday is in progress";
  clock.t = at("2026-11-24T08:00:00+08:00");
  auto a = alerts_of(rep1, "low_new_share", "2026-11-24");
  ASSERT_EQ(a.size(), 1u) << "Monday is over: 0% on new customers";
  EXPECT_EQ(a[0]["week_start"], "2026-11-23");
  EXPECT_EQ(a[0]["through"], "2026-11-23");
  ok(app->patch_settings(actor(admin), {{"new_share_min", 0}}));
  EXPECT_TRUE(alerts_of(rep1, "low_new_share", "2026-11-24").empty()) << "the share is a setting";
}

// ---- time sinks ----

TEST_P(MethodVerdicts, TimeSinkDoesNotVanishOnTheFirstOfTheMonth) {
  Id c = company(rep1, "跨月公司");
  visit(rep1, c, "2026-10-20T10:00:00+08:00");
  visit(rep1, c, "2026-11-20T10:00:00+08:00");
  visit(rep1, c, "2026-11-25T10:00:00+08:00");
  EXPECT_TRUE(has_company(alerts_of(rep1, "time_sink_last_month", "2026-11-27"), c));
  clock.t = at("2026-12-01T09:00:00+08:00");
  auto a = alerts_of(rep1, "time_sink_last_month", "2026-12-01");
  ASSERT_TRUE(has_company(a, c)) << "2 visits in the last 30 days on the 1st of the month";
  EXPECT_EQ(a[0]["visits_in_window"], 2);
  EXPECT_EQ(a[0]["window_from"], "2026-11-02");
  // The thresholds are settings, bound into the query.
  ok(app->patch_settings(actor(admin), {{"time_sink_visits", 3}}));
  EXPECT_FALSE(has_company(alerts_of(rep1, "time_sink_last_month", "2026-12-01"), c));
  ok(app->patch_settings(actor(admin), {{"time_sink_visits", 2}, {"time_sink_window_days", 10}}));
  EXPECT_FALSE(has_company(alerts_of(rep1, "time_sink_last_month", "2026-12-01"), c)) << "11-20 is outside 10 days";
  ok(app->patch_settings(actor(admin), {{"time_sink_window_days", 30}, {"time_sink_age_days", 60}}));
  EXPECT_FALSE(has_company(alerts_of(rep1, "time_sink_last_month", "2026-12-01"), c)) << "first visited 42 days before";
}

TEST_P(MethodVerdicts, SignOrDropAndNotEffectiveThresholdsAreSettings) {
  Id c = company(rep1, "门槛公司");
  visit(rep1, c, "2026-11-20T10:00:00+08:00", {{"met_payer", true}});
  visit(rep1, c, "2026-11-21T10:00:00+08:00", {{"met_payer", true}});
  EXPECT_TRUE(has_company(alerts_of(rep1, "sign_or_drop"), c));
  ok(app->patch_settings(actor(admin), {{"sign_or_drop_visits", 3}}));
  EXPECT_FALSE(has_company(alerts_of(rep1, "sign_or_drop"), c));
  EXPECT_FALSE(has_company(alerts_of(rep1, "not_effective"), c));
  ok(app->patch_settings(actor(admin), {{"not_effective_visits", 2}}));
  EXPECT_TRUE(has_company(alerts_of(rep1, "not_effective"), c)) << "2 visits, need and budget missing";
}

// ---- targets against results ----

TEST_P(MethodVerdicts, MonthlyTargetProgressPaceAndBehindPace) {
  // November 2026 has 21 working days. As of Friday 11-20 (today) 14 are over: pace 14/21.
  ok(app->put_target(actor(mgr), {{"scope", "rep"}, {"scope_id", rep1}, {"metric", "visits_new"}, {"period", "month"},
                                  {"value", 40}, {"reason", "月目标"}}));
  ok(app->put_target(actor(mgr), {{"scope", "team"}, {"scope_id", team}, {"metric", "visits_new"}, {"period", "month"},
                                  {"value", 100}, {"reason", "团队月目标"}}));
  clock.t = at("2026-11-20T12:00:00+08:00");
  for (int i = 0; i < 21; i++) visit(rep1, company(rep1, "月" + std::to_string(i)), "2026-11-12T10:00:00+08:00");
  Id called = company(rep2, "只打电话");
  for (int i = 0; i < 3; i++) visit(rep2, called, "2026-11-11T10:00:00+08:00", {{"kind", "call"}});
  visit(rep2, company(rep2, "见面"), "2026-11-11T11:00:00+08:00");
  auto find = [&](const json& list, const std::string& scope) {
    for (auto& t : list["items"])
      if (t["scope"] == scope && t["period"] == "month" && t["metric"] == "visits_new") return t;
    return json();
  };
  auto p = ok(app->targets_progress(actor(mgr), {{"as_of", "2026-11-20"}}));
  auto mine = find(p, "rep");
  ASSERT_FALSE(mine.is_null());
  EXPECT_EQ(mine["scope_id"], rep1);
  EXPECT_EQ(mine["actual"], 21);
  EXPECT_DOUBLE_EQ(mine["attainment"].get<double>(), 21.0 / 40.0);
  EXPECT_DOUBLE_EQ(mine["pace"].get<double>(), 14.0 / 21.0);
  EXPECT_EQ(mine["working_days"], 21);
  EXPECT_EQ(mine["working_days_gone"], 14);
  EXPECT_TRUE(mine["behind_pace"].get<bool>()) << "21/40 < 0.8 x 14/21";
  auto teamt = find(p, "team");
  ASSERT_FALSE(teamt.is_null());
  EXPECT_EQ(teamt["actual"], 22) << "the team sums its members; calls are not visits";
  auto alerts = alerts_of(mgr, "behind_pace", "2026-11-20");
  ASSERT_TRUE(has_rep(alerts, rep1));
  EXPECT_EQ(alerts[0]["targets"][0]["metric"], "visits_new");
  // One more new company met: 22/40 = 0.55 >= 0.8 x 14/21 = 0.533.
  visit(rep1, company(rep1, "再一家"), "2026-11-19T10:00:00+08:00");
  EXPECT_FALSE(find(ok(app->targets_progress(actor(mgr), {{"as_of", "2026-11-20"}})), "rep")["behind_pace"].get<bool>());
  EXPECT_FALSE(has_rep(alerts_of(mgr, "behind_pace", "2026-11-20"), rep1));
  // The first 5 working days of the month are grace.
  clock.t = at("2026-11-09T12:00:00+08:00");
  auto early = find(ok(app->targets_progress(actor(mgr), {{"as_of", "2026-11-09"}})), "rep");
  EXPECT_EQ(early["actual"], 0);
  EXPECT_EQ(early["working_days_gone"], 5);
  EXPECT_FALSE(early["behind_pace"].get<bool>());
  clock.t = at("2026-11-10T08:00:00+08:00");
  EXPECT_TRUE(find(ok(app->targets_progress(actor(mgr), {{"as_of", "2026-11-10"}})), "rep")["behind_pace"].get<bool>());
  EXPECT_TRUE(has_rep(alerts_of(mgr, "behind_pace", "2026-11-10"), rep1));
  ok(app->patch_settings(actor(admin), {{"pace_grace_days", 6}}));
  EXPECT_FALSE(has_rep(alerts_of(mgr, "behind_pace", "2026-11-10"), rep1)) << "the grace is a setting";
}

TEST_P(MethodVerdicts, TargetProgressIsScoped) {
  ok(app->put_target(actor(mgr), {{"scope", "rep"}, {"scope_id", rep1}, {"metric", "effective_new"}, {"period", "day"}, {"value", 2}}));
  ok(app->put_target(actor(mgr), {{"scope", "team"}, {"scope_id", team}, {"metric", "effective_new"}, {"period", "day"}, {"value", 3}}));
  ok(app->put_target(actor(mgr2), {{"scope", "rep"}, {"scope_id", rep3}, {"metric", "signed_amount"}, {"period", "month"}, {"value", 500}}));
  auto ids = [&](Id who, Query q = {}) {
    std::set<std::pair<std::string, Id>> out;
    json list = ok(app->targets_progress(actor(who), q));
    for (auto& t : list["items"]) out.insert({t["scope"], t["scope_id"].get<Id>()});
    return out;
  };
  using S = std::set<std::pair<std::string, Id>>;
  EXPECT_EQ(ids(rep1), (S{{"rep", rep1}, {"team", team}})) << "their own and their team's";
  EXPECT_EQ(ids(rep2), (S{{"team", team}})) << "not a teammate's";
  EXPECT_EQ(ids(rep3), (S{{"rep", rep3}}));
  EXPECT_EQ(ids(mgr), (S{{"rep", rep1}, {"team", team}}));
  EXPECT_EQ(ids(mgr2), (S{{"rep", rep3}}));
  EXPECT_EQ(ids(admin).size(), 3u);
  EXPECT_EQ(ids(admin, {{"team_id", std::to_string(team2)}}), (S{{"rep", rep3}}));
  EXPECT_EQ(ids(admin, {{"period", "day"}}).size(), 2u);
  EXPECT_EQ(app->targets_progress(actor(mgr), {{"team_id", std::to_string(team2)}}).error().kind, Err::NotFound);
  EXPECT_EQ(app->targets_progress(actor(mgr), {{"period", "week"}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->targets_progress(actor(mgr), {{"as_of", "2026-13-01"}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->targets_progress(actor(mgr), {{"as_of", "2027-01-01"}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->targets_progress(actor(mgr), {{"foo", "1"}}).error().kind, Err::BadRequest);
}

// ---- harvest ----

TEST_P(MethodVerdicts, HarvestWindowMakesAProspectAndAnAlert) {
  // As of 11-27 the window (60 days) covers contract ends from 11-27 to 2027-01-26.
  Id h = company(rep1, "收割公司", {{"competitor", "金蝶"}, {"competitor_contract_end", "2027-01-26"}});
  Id late = company(rep1, "明年公司", {{"competitor", "用友"}, {"competitor_contract_end", "2027-01-27"}});
  Id pool = company(rep1, "公海收割", {{"competitor", "SAP"}, {"competitor_contract_end", "2026-12-15"}});
  ok(app->patch_company(actor(rep1), pool, {{"version", 1}, {"status", "dropped"}, {"drop_reason", "先放"}}));
  Id others = company(rep3, "别人的", {{"competitor", "金蝶"}, {"competitor_contract_end", "2026-12-20"}});
  auto got = ok(app->get_company(actor(rep1), h));
  EXPECT_EQ(got["competitor_contract_end"], "2027-01-26");
  auto p = ok(app->prospects(actor(rep1), {{"as_of", "2026-11-27"}}));
  std::set<Id> ids;
  json hp;
  for (auto& x : p["items"]) {
    ids.insert(x["company_id"].get<Id>());
    if (x["company_id"] == h) hp = x;
  }
  EXPECT_TRUE(ids.count(h)) << "its owner's prospect";
  EXPECT_FALSE(ids.count(late)) << "the window opens on 11-28";
  EXPECT_FALSE(ids.count(pool)) << "dropped: claim it first";
  EXPECT_FALSE(ids.count(others));
  ASSERT_FALSE(hp.is_null());
  std::string reason = hp["reasons"][0];
  EXPECT_NE(reason.find("金蝶"), std::string::npos);
  EXPECT_NE(reason.find("2027-01-26"), std::string::npos);
  EXPECT_EQ(hp["reason_codes"][0], "harvest_window");
  auto a = alerts_of(rep1, "harvest_window");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["company_id"], h);
  EXPECT_NE(a[0]["message"].get<std::string>().find("金蝶"), std::string::npos);
  EXPECT_TRUE(has_company(alerts_of(rep1, "harvest_window", "2026-11-28"), late));
  EXPECT_FALSE(has_company(alerts_of(rep1, "harvest_window", "2026-11-25"), h)) << "61 days before";
  // A pool company in its window is every rep's prospect once it is free (owner cleared, not dropped).
  ok(app->patch_company(actor(admin), others, {{"version", 1}, {"owner_id", nullptr}}));
  p = ok(app->prospects(actor(rep1), {{"as_of", "2026-11-27"}}));
  bool seen = false;
  for (auto& x : p["items"]) seen = seen || x["company_id"] == others;
  EXPECT_TRUE(seen) << "free in the pool: a prospect of the asking rep";
  // The window is a setting; a bad date is a 400; null clears it.
  ok(app->patch_settings(actor(admin), {{"harvest_window_days", 30}}));
  EXPECT_FALSE(has_company(alerts_of(rep1, "harvest_window"), h));
  auto bad = app->patch_company(actor(rep1), h, {{"version", got["version"]}, {"competitor_contract_end", "2027-02-30"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, Err::BadRequest);
  auto cleared = ok(app->patch_company(actor(rep1), h, {{"version", got["version"]}, {"competitor_contract_end", nullptr}}));
  EXPECT_TRUE(cleared["competitor_contract_end"].is_null());
}

TEST_P(MethodVerdicts, ContractEndImportsAndExports) {
  App::ImportOptions o;
  o.per_row = true;
  auto r = ok(app->import_companies(actor(admin),
                                    "公司名称,竞品,竞品合同到期\n甲合同,金蝶,2027/1/20\n乙合同,用友,46082\n丙合同,SAP,明年\n丁合同,,\n", o));
  EXPECT_EQ(r["created"], 3);
  EXPECT_EQ(r["rejected"], 1) << "明年 is not a date";
  std::map<std::string, std::string> ends;
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    CompanyQuery q;
    q.org_id = org;
    q.scope.kind = Scope::All;
    q.limit = 100;
    for (auto& c : tx.list_companies(q)) ends[c.name] = c.competitor_contract_end;
    return ok_status();
  }).ok());
  EXPECT_EQ(ends["甲合同"], "2027-01-20");
  EXPECT_EQ(ends["乙合同"], "2026-03-01") << "an Excel serial day";
  EXPECT_EQ(ends["丁合同"], "");
  EXPECT_EQ(ends.count("丙合同"), 0u);
}

// ---- what an alert lets the caller do ----

TEST_P(MethodVerdicts, AlertsCarryTheActionsOfTheCallersRole) {
  Id c = company(rep1, "行动公司");
  visit(rep1, c, "2026-11-20T10:00:00+08:00", {{"met_payer", true}});
  visit(rep1, c, "2026-11-21T10:00:00+08:00", {{"met_payer", true}});
  auto mine = alerts_of(rep1, "sign_or_drop");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["actions"], json({"log_visit", "drop", "nurture"}));
  auto team_view = alerts_of(mgr, "sign_or_drop");
  ASSERT_EQ(team_view.size(), 1u);
  EXPECT_EQ(team_view[0]["actions"], json({"book_accompanied", "nudge", "reassign"}));
  auto below = alerts_of(mgr, "below_quota");
  ASSERT_FALSE(below.empty());
  EXPECT_EQ(below[0]["actions"], json({"book_accompanied", "nudge"}));
  EXPECT_EQ(alerts_of(rep1, "below_quota")[0]["actions"], json({"log_visit"}));
}

}  // namespace
