// Every rule of SPEC §3 through the use cases, with its boundaries: exactly at a
// threshold, a month boundary, 23:30 / 00:30 Asia/Shanghai, a deleted visit, a
// company that went to the pool and was claimed, a rep who changed team.
#include <set>

#include "fixture.h"

using namespace tj;
using namespace tj::testing;

namespace {

struct V {
  const char* at;
  json flags;
};

struct AlertCase {
  const char* name;
  std::vector<V> visits;
  std::set<std::string> expect;  // company alert kinds expected as of 2026-11-27
  bool signed_before = false;    // a deal recorded (on 2026-11-20)
};

class CompanyAlerts : public OrgCaseFixture<AlertCase> {};

TEST_P(CompanyAlerts, Table) {
  const auto& tc = param();
  Id c = company(rep1, "案例公司");
  for (auto& v : tc.visits) visit(rep1, c, v.at, v.flags);
  if (tc.signed_before) {
    clock.t = at("2026-11-20T12:00:00+08:00");
    ok(app->create_deal(actor(rep1), {{"company_id", c}, {"amount", 5000000}, {"signed_on", "2026-11-20"}}));
    clock.t = at("2026-11-27T12:00:00+08:00");
  }
  std::set<std::string> got;
  for (auto kind : {"time_sink_last_month", "sign_or_drop", "not_effective", "find_payer"})
    for (auto& a : alerts_of(mgr, kind))
      if (a["company_id"] == c) {
        got.insert(kind);
        EXPECT_EQ(a["rep_id"], rep1);
        EXPECT_FALSE(a["message"].get<std::string>().empty());
      }
  EXPECT_EQ(got, tc.expect) << tc.name;
}

const json payer = {{"met_payer", true}};
const json need_budget = {{"need", true}, {"budget", true}};
const json none = json::object();

INSTANTIATE_TEST_SUITE_P(
    Rules, CompanyAlerts,
    ::testing::Combine(::testing::Values(
        AlertCase{"time sink: Oct visit + 2 in Nov",
                  {{"2026-10-28T10:00:00+08:00", none}, {"2026-11-03T10:00:00+08:00", none}, {"2026-11-10T10:00:00+08:00", none}},
                  {"time_sink_last_month", "find_payer"}},
        AlertCase{"only one visit this month is no time sink",
                  {{"2026-10-28T10:00:00+08:00", none}, {"2026-11-03T10:00:00+08:00", none}},
                  {}},
        // SPEC §3 revision (issue 12): the time sink's age is time_sink_age_days (30) before as_of, not
        // "before this month": a first visit on Oct 31 is no longer old enough as of Nov 27 (was an alert).
        AlertCase{"first visit 23:30 Oct 28 local is 30 days before as_of",
                  {{"2026-10-28T23:30:00+08:00", none}, {"2026-11-03T10:00:00+08:00", none}, {"2026-11-04T10:00:00+08:00", none}},
                  {"time_sink_last_month", "find_payer"}},
        AlertCase{"first visit 00:30 Oct 29 local (16:30Z Oct 28) is 29 days before: not yet",
                  {{"2026-10-29T00:30:00+08:00", none}, {"2026-11-03T10:00:00+08:00", none}, {"2026-11-04T10:00:00+08:00", none}},
                  {"find_payer"}},
        AlertCase{"first visit Oct 31 with 2 visits since: 27 days is not old enough",
                  {{"2026-10-31T10:00:00+08:00", none}, {"2026-11-03T10:00:00+08:00", none}, {"2026-11-04T10:00:00+08:00", none}},
                  {"find_payer"}},
        AlertCase{"payer met twice: sign or drop",
                  {{"2026-11-02T10:00:00+08:00", payer}, {"2026-11-05T10:00:00+08:00", payer}},
                  {"sign_or_drop"}},
        AlertCase{"payer met once: nothing yet", {{"2026-11-02T10:00:00+08:00", payer}, {"2026-11-05T10:00:00+08:00", none}}, {}},
        AlertCase{"three visits, payer never met: find the payer",
                  {{"2026-11-02T10:00:00+08:00", need_budget}, {"2026-11-03T10:00:00+08:00", none}, {"2026-11-04T10:00:00+08:00", none}},
                  {"find_payer"}},
        AlertCase{"two visits missing payer: not yet",
                  {{"2026-11-02T10:00:00+08:00", need_budget}, {"2026-11-03T10:00:00+08:00", none}},
                  {}},
        AlertCase{"three visits, payer met once, no budget: not effective",
                  {{"2026-11-02T10:00:00+08:00", payer}, {"2026-11-03T10:00:00+08:00", {{"need", true}}}, {"2026-11-04T10:00:00+08:00", none}},
                  {"not_effective"}},
        AlertCase{"three visits, effective: no not_effective alert",
                  {{"2026-11-02T10:00:00+08:00", payer}, {"2026-11-03T10:00:00+08:00", need_budget}, {"2026-11-04T10:00:00+08:00", none}},
                  {}},
        AlertCase{"signed customer: no time-sink alerts",
                  {{"2026-10-28T10:00:00+08:00", payer}, {"2026-11-03T10:00:00+08:00", payer}, {"2026-11-10T10:00:00+08:00", need_budget}},
                  {},
                  true}), backends()),
    CaseOnBackendName());

}  // namespace

class MethodRules : public OrgFixture {};
TJ_ON_EACH_BACKEND(MethodRules);

TEST_P(MethodRules, VisitAt2330And0030LandOnDifferentLocalDays) {
  Id c = company(rep1, "日界公司");
  auto v1 = visit(rep1, c, "2026-11-25T23:30:00+08:00");
  auto v2 = visit(rep1, c, "2026-11-26T00:30:00+08:00");
  EXPECT_EQ(v1["day"], "2026-11-25");
  EXPECT_EQ(v2["day"], "2026-11-26");
  auto m = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-26"}, {"to", "2026-11-26"}}));
  for (auto& r : m["items"])
    if (r["rep_id"] == rep1) EXPECT_EQ(r["visits"], 1);
}

TEST_P(MethodRules, NurtureDueOnTheRevisitDateNotBefore) {
  Id c = company(rep1, "培养公司");
  visit(rep1, c, "2026-11-02T10:00:00+08:00");
  ok(app->patch_company(actor(rep1), c, {{"version", 2}, {"status", "nurture"}, {"nurture_reason", "明年预算"}, {"revisit_on", "2026-11-27"}}));
  EXPECT_EQ(alerts_of(rep1, "nurture_due", "2026-11-26").size(), 0u);
  auto due = alerts_of(rep1, "nurture_due", "2026-11-27");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0]["company_id"], c);
  EXPECT_NE(due[0]["message"].get<std::string>().find("明年预算"), std::string::npos);
}

TEST_P(MethodRules, NurtureCapIsASetting) {
  ok(app->patch_settings(actor(admin), {{"nurture_cap", 1}}));
  Id a = company(rep1, "甲"), b = company(rep1, "乙");
  ok(app->patch_company(actor(rep1), a, {{"version", 1}, {"status", "nurture"}, {"nurture_reason", "r"}, {"revisit_on", "2026-12-01"}}));
  auto r = app->patch_company(actor(rep1), b, {{"version", 1}, {"status", "nurture"}, {"nurture_reason", "r"}, {"revisit_on", "2026-12-01"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::Conflict);
}

TEST_P(MethodRules, LowNewShareAtAndBelowTheThreshold) {
  // Week of Mon 2026-11-23. 4 new visits (60 min each) and 1 existing (60 min) = exactly 0.80.
  Id existing = company(rep1, "老客户");
  clock.t = at("2026-11-02T12:00:00+08:00");
  ok(app->create_deal(actor(rep1), {{"company_id", existing}, {"amount", 100}, {"signed_on", "2026-11-02"}}));
  clock.t = at("2026-11-27T12:00:00+08:00");
  for (int i = 0; i < 4; i++) visit(rep1, company(rep1, "新" + std::to_string(i)), "2026-11-24T10:00:00+08:00");
  visit(rep1, existing, "2026-11-24T15:00:00+08:00");
  EXPECT_TRUE(alerts_of(rep1, "low_new_share").empty()) << "exactly 80% is not below";
  visit(rep1, existing, "2026-11-25T15:00:00+08:00", {{"duration_min", 1}});
  auto a = alerts_of(rep1, "low_new_share");
  ASSERT_EQ(a.size(), 1u) << "any more time on existing customers drops below 80%";
  EXPECT_LT(a[0]["new_share"].get<double>(), 0.8);
  // The previous ISO week does not count
  EXPECT_TRUE(alerts_of(rep1, "low_new_share", "2026-11-22").empty());
}

TEST_P(MethodRules, BelowQuotaUsesRepTargetOverTeamOverSetting) {
  auto below = [&](Id rep) {
    for (auto& a : alerts_of(mgr, "below_quota"))
      if (a["rep_id"] == rep) return true;
    return false;
  };
  // SPEC §3 revision (issue 12): as of today (11-27) today is in progress and yesterday is judged,
  // so the day's work is logged on 11-26 (it was logged on 11-27 and judged the same day).
  for (int i = 0; i < 5; i++)
    visit(rep1, company(rep1, "q" + std::to_string(i)), "2026-11-26T09:00:00+08:00",
          i < 2 ? json{{"need", true}, {"budget", true}, {"met_payer", true}} : json::object());
  EXPECT_FALSE(below(rep1)) << "5 new visits, 2 effective meets the default quota";
  ok(app->put_target(actor(mgr), {{"scope", "team"}, {"scope_id", team}, {"metric", "effective_new"}, {"period", "day"}, {"value", 3}, {"reason", "冲刺"}}));
  EXPECT_TRUE(below(rep1)) << "the team target raised the quota";
  ok(app->put_target(actor(mgr), {{"scope", "rep"}, {"scope_id", rep1}, {"metric", "effective_new"}, {"period", "day"}, {"value", 2}, {"reason", "新人保护"}}));
  EXPECT_FALSE(below(rep1)) << "a rep target overrides the team's";
  clock.t = at("2026-11-30T09:00:00+08:00");
  EXPECT_TRUE(alerts_of(mgr, "below_quota", "2026-11-28").empty()) << "Saturday is not a working day";
}

TEST_P(MethodRules, DeletedVisitUndoesEffectiveness) {
  Id c = company(rep1, "撤销公司");
  visit(rep1, c, "2026-11-20T10:00:00+08:00", {{"need", true}, {"budget", true}});
  auto v = visit(rep1, c, "2026-11-21T10:00:00+08:00", {{"met_payer", true}});
  EXPECT_TRUE(v["effective"].get<bool>());
  auto m1 = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-01"}, {"to", "2026-11-27"}}));
  ASSERT_TRUE(app->delete_visit(actor(rep1), v["id"].get<Id>()).ok());
  auto co = ok(app->get_company(actor(rep1), c));
  EXPECT_EQ(co["status"], "contacted");
  EXPECT_FALSE(co["effective"].get<bool>());
  EXPECT_EQ(co["visit_count"], 1);
  auto m2 = ok(app->rep_metrics(actor(rep1), {{"from", "2026-11-01"}, {"to", "2026-11-27"}}));
  auto eff = [&](const json& m) {
    for (auto& r : m["items"])
      if (r["rep_id"] == rep1) return r["effective_new"].get<int64_t>();
    return int64_t(-1);
  };
  EXPECT_EQ(eff(m1), 1);
  EXPECT_EQ(eff(m2), 0);
  // Another rep cannot delete rep1's visit
  auto first = ok(app->list_company_visits(actor(rep1), c, {}))["items"][0]["id"].get<Id>();
  EXPECT_EQ(app->delete_visit(actor(rep2), first).error().kind, Err::NotFound);
}

TEST_P(MethodRules, PoolDropClaimAndAlertsFollowTheOwner) {
  Id c = company(rep1, "公海公司");
  visit(rep1, c, "2026-11-02T10:00:00+08:00", {{"met_payer", true}});
  visit(rep1, c, "2026-11-03T10:00:00+08:00", {{"met_payer", true}});
  EXPECT_EQ(alerts_of(rep1, "sign_or_drop").size(), 1u);
  auto co = ok(app->patch_company(actor(rep1), c, {{"version", 3}, {"status", "dropped"}, {"drop_reason", "没预算"}}));
  EXPECT_TRUE(co["owner_id"].is_null());
  EXPECT_TRUE(alerts_of(rep1, "sign_or_drop").empty());
  EXPECT_TRUE(ok(app->get_company(actor(rep3), c))["owner_id"].is_null()) << "the pool is visible to every rep";
  auto claimed = ok(app->claim_company(actor(rep3), c));
  EXPECT_EQ(claimed["owner_id"], rep3);
  EXPECT_EQ(claimed["status"], "contacted");
  EXPECT_EQ(claimed["visit_count"], 2) << "history kept";
  EXPECT_EQ(alerts_of(rep3, "sign_or_drop").size(), 1u);
  EXPECT_EQ(app->get_company(actor(rep1), c).error().kind, Err::NotFound) << "the old owner no longer sees it";
}

TEST_P(MethodRules, PoolReleaseAfterThirtyDaysWithoutVisit) {
  Id stale = company(rep1, "久未拜访");
  Id fresh = company(rep1, "最近拜访");
  clock.t = at("2026-10-20T12:00:00+08:00");
  Id old_created = company(rep1, "从未拜访");
  clock.t = at("2026-11-27T12:00:00+08:00");
  visit(rep1, stale, "2026-10-27T11:59:00+08:00");  // 31 days ago
  visit(rep1, fresh, "2026-10-28T12:00:01+08:00");  // just under 30 days
  auto r = ok(app->run_jobs(false));
  EXPECT_EQ(r["jobs"][0]["released"], 2);
  EXPECT_TRUE(ok(app->get_company(actor(admin), stale))["owner_id"].is_null());
  EXPECT_TRUE(ok(app->get_company(actor(admin), old_created))["owner_id"].is_null());
  EXPECT_EQ(ok(app->get_company(actor(admin), fresh))["owner_id"], rep1);
  EXPECT_TRUE(ok(app->run_jobs(false))["jobs"][0]["skipped"].get<bool>()) << "once a day";
}

TEST_P(MethodRules, ProspectsAroundASignedCustomer) {
  ok(app->patch_settings(actor(admin), {{"min_order_value", 1000000}}));
  auto make = [&](const char* name, int rank, int64_t budget, std::optional<Id> owner, const char* competitor = "") {
    json j = {{"name", name}, {"industry", "制造"}, {"industry_rank", rank}, {"budget_capacity", budget}, {"competitor", competitor}};
    j["owner_id"] = owner ? json(*owner) : json(nullptr);
    return ok(app->create_company(actor(admin), j))["id"].get<Id>();
  };
  Id ref = make("第五名", 5, 50000000, rep1);
  Id r4 = make("第四名", 4, 2000000, std::nullopt);
  Id r6 = make("第六名", 6, 2000000, rep1, "竞品A");
  Id r3 = make("第三名", 3, 90000000, std::nullopt, "竞品B");
  Id r7 = make("第七名", 7, 500000, std::nullopt);        // below min order value
  Id r8 = make("第八名", 8, 90000000, std::nullopt);      // too far
  Id r2 = make("第二名他人", 4, 90000000, rep3);          // owned by another rep
  clock.t = at("2026-11-20T12:00:00+08:00");
  ok(app->create_deal(actor(rep1), {{"company_id", ref}, {"amount", 3000000}}));
  clock.t = at("2026-11-27T12:00:00+08:00");
  auto p = ok(app->prospects(actor(rep1), {{"as_of", "2026-11-27"}}));
  std::vector<Id> ids;
  for (auto& i : p["items"]) {
    ids.push_back(i["company_id"].get<Id>());
    EXPECT_EQ(i["reference_company_id"], ref);
    EXPECT_FALSE(i["reasons"].empty());
  }
  // ±1 before ±2; among ±1 the competitor user first
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], r6);
  EXPECT_EQ(ids[1], r4);
  EXPECT_EQ(ids[2], r3);
  (void)r7;
  (void)r8;
  (void)r2;
  // As of a day before the deal there is no reference customer
  EXPECT_TRUE(ok(app->prospects(actor(rep1), {{"as_of", "2026-11-19"}}))["items"].empty());
}

TEST_P(MethodRules, RepWhoChangedTeamIsCountedInTheNewTeam) {
  visit(rep1, company(rep1, "换组公司"), "2026-11-10T10:00:00+08:00");
  ok(app->patch_user(actor(admin), rep1, {{"team_id", team2}}));
  auto in_team = [&](Id t) {
    auto m = ok(app->rep_metrics(actor(admin), {{"from", "2026-11-01"}, {"to", "2026-11-27"}, {"team_id", std::to_string(t)}}));
    for (auto& r : m["items"])
      if (r["rep_id"] == rep1) return r["visits"].get<int64_t>();
    return int64_t(-1);
  };
  EXPECT_EQ(in_team(team2), 1) << "history moves with the rep";
  EXPECT_EQ(in_team(team), -1);
  EXPECT_EQ(app->get_company(actor(mgr), ok(app->list_companies(actor(rep1), {}))["items"][0]["id"].get<Id>()).error().kind,
            Err::NotFound)
      << "the old manager no longer sees the rep's companies";
}

TEST_P(MethodRules, DiagnosisSuggestsTheMiddleQuota) {
  // rep1 makes 1 effective customer every working day for 4 weeks, rep2 and rep3 none: 2 of 3 reps reach
  // nothing; with quota 2 nobody reaches it; the suggestion never goes below 1.
  for (int d = 0; d < 28; d++) {
    int64_t day = days_from_civil({2026, 10, 31}) + d;
    if (weekday(day) > 5) continue;
    std::string iso = format_date(civil_from_days(day)) + "T10:00:00+08:00";
    visit(rep1, company(rep1, "d" + std::to_string(d)), iso.c_str(), {{"need", true}, {"budget", true}, {"met_payer", true}});
  }
  auto dg = ok(app->diagnosis(actor(admin), {{"as_of", "2026-11-27"}}));
  EXPECT_EQ(dg["system"]["metric"], "effective_new");
  EXPECT_EQ(dg["system"]["current"], 2);
  EXPECT_EQ(dg["system"]["suggested"], 1);
  EXPECT_TRUE(dg["system"]["failing"].get<bool>());
  EXPECT_TRUE(dg["first_failing"] == "source" || dg["first_failing"] == "people" || dg["first_failing"] == "system");
  EXPECT_EQ(app->diagnosis(actor(rep1), {}).error().kind, Err::Forbidden);
}

TEST_P(MethodRules, CoachingEntersAfterThreeDaysBelowQuota) {
  // rep1 (hired 2026-11-11) meets quota Wed-Tue (Nov 11-17), misses Wed-Fri (18-20): in coaching since Nov 18.
  ok(app->patch_user(actor(admin), rep1, {{"hire_date", "2026-11-11"}}));
  for (const char* d : {"2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17"}) {
    for (int i = 0; i < 5; i++) {
      std::string iso = std::string(d) + "T10:00:00+08:00";
      visit(rep1, company(rep1, std::string(d) + std::to_string(i)), iso.c_str(),
            i < 2 ? json{{"need", true}, {"budget", true}, {"met_payer", true}} : json::object());
    }
  }
  Id c = company(rep1, "陪访公司");
  visit(rep1, c, "2026-11-19T10:00:00+08:00", {{"kind", "accompanied"}, {"companion_id", mgr}, {"coaching_stage", 1}});
  auto j = ok(app->coaching(actor(mgr), {{"as_of", "2026-11-20"}, {"rep_id", std::to_string(rep1)}}));
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_TRUE(j["items"][0]["in_coaching"].get<bool>());
  EXPECT_EQ(j["items"][0]["since"], "2026-11-18");
  EXPECT_EQ(j["items"][0]["stage"], 1);
  EXPECT_EQ(j["items"][0]["stage_name"], "我做你看");
  auto before = ok(app->coaching(actor(mgr), {{"as_of", "2026-11-19"}, {"rep_id", std::to_string(rep1)}}));
  EXPECT_FALSE(before["items"][0]["in_coaching"].get<bool>()) << "two days below is not yet coaching";
}

TEST_P(MethodRules, LeaderboardRanksWithTiesAndNamesTheBenchmark) {
  Id a = company(rep1, "甲"), b = company(rep2, "乙"), c = company(rep3, "丙");
  clock.t = at("2026-11-25T12:00:00+08:00");
  ok(app->create_deal(actor(rep1), {{"company_id", a}, {"amount", 300}}));
  ok(app->create_deal(actor(rep2), {{"company_id", b}, {"amount", 300}}));
  ok(app->create_deal(actor(rep3), {{"company_id", c}, {"amount", 100}}));
  clock.t = at("2026-11-27T12:00:00+08:00");
  auto lb = ok(app->leaderboard(actor(admin), {{"period", "week"}, {"metric", "signed_amount"}, {"as_of", "2026-11-27"}}));
  ASSERT_EQ(lb["items"].size(), 3u);
  EXPECT_EQ(lb["items"][0]["rank"], 1);
  EXPECT_EQ(lb["items"][1]["rank"], 1);
  EXPECT_EQ(lb["items"][2]["rank"], 3);
  EXPECT_EQ(lb["benchmark"]["rep_id"], rep1);
  auto rep_view = ok(app->leaderboard(actor(rep3), {{"period", "week"}}));
  EXPECT_EQ(rep_view["items"].size(), 1u) << "a rep sees their own team's board";
  EXPECT_EQ(app->leaderboard(actor(rep1), {{"metric", "name; drop"}}).error().kind, Err::BadRequest);
}

// The per-(rep, local day) counters behind the views (rep_day_stats, migration 0005) equal a
// recomputation from the raw visits, deals and companies after use-case writes: visits at
// 23:30 and 00:30 local, a visit that made a company effective and was deleted (replaying the
// rest), a deal, a company deleted, and a rep who changed team.
TEST_P(MethodRules, DayCountersEqualARecomputationFromRawRows) {
  auto counters = [&](bool rebuild) {
    std::vector<std::string> rows;
    auto st = store->write([&](Tx& tx) -> Status {
      if (rebuild) tx.rebuild_rep_day_stats(org);
      for (auto& r : tx.conn().query("SELECT rep_id, day, visits, visits_new, minutes_total, minutes_new, effective_new, "
                                     "deals, signed_amount, reached_new, calls_unlogged, calls_unlogged_new, meets_unlogged, meets_unlogged_new "
                                     "FROM rep_day_stats WHERE org_id = ? AND (visits <> 0 OR "
                                     "effective_new <> 0 OR deals <> 0) ORDER BY rep_id, day",
                                     {org})) {
        std::string line;
        for (size_t i = 0; i < 14; i++) line += (i == 1 ? r.str(i) : std::to_string(r.i64(i))) + " ";
        rows.push_back(line);
      }
      return conflict("rollback", "compare only");
    });
    EXPECT_FALSE(st.ok());
    return rows;
  };
  auto check = [&](const char* when) { EXPECT_EQ(counters(false), counters(true)) << "after " << when; };
  Id c = company(rep1, "计数公司"), d = company(rep2, "另一家");
  visit(rep1, c, "2026-11-25T23:30:00+08:00", {{"need", true}, {"budget", true}});
  auto v2 = visit(rep1, c, "2026-11-26T00:30:00+08:00", {{"met_payer", true}, {"duration_min", 25}});
  visit(rep2, d, "2026-11-26T09:00:00+08:00", {{"kind", "call"}});
  EXPECT_TRUE(v2["effective"].get<bool>());
  check("visits either side of local midnight");
  visit(rep2, d, "2026-11-26T11:00:00+08:00", {{"kind", "call"}});
  visit(rep2, d, "2026-11-26T15:00:00+08:00");
  visit(rep2, d, "2026-11-26T16:00:00+08:00", {{"kind", "accompanied"}, {"companion_id", mgr}, {"coaching_stage", 1}});
  check("calls and visits to one company on one day");
  auto day = [&](const char* as_of, Id rep) {
    auto lb = ok(app->leaderboard(actor(admin), {{"period", "day"}, {"metric", "visits"}, {"as_of", as_of}}));
    for (auto& r : lb["items"])
      if (r["rep_id"] == rep) return r["figures"];
    return json();
  };
  EXPECT_EQ(day("2026-11-25", rep1)["visits"], 1) << "23:30 local is the 25th";
  EXPECT_EQ(day("2026-11-26", rep1)["visits"], 1) << "00:30 local is the 26th";
  EXPECT_EQ(day("2026-11-26", rep1)["effective_new"], 1);
  ok(app->create_deal(actor(rep2), {{"company_id", d}, {"amount", 880000}}));
  check("a deal");
  EXPECT_EQ(day("2026-11-27", rep2)["signed_amount"], 880000);
  ASSERT_TRUE(app->delete_visit(actor(rep1), v2["id"].get<Id>()).ok());
  check("a deleted visit that had made the company effective");
  EXPECT_EQ(day("2026-11-26", rep1)["visits"], 0);
  EXPECT_EQ(day("2026-11-26", rep1)["effective_new"], 0);
  visit(rep1, c, "2026-11-27T10:00:00+08:00", {{"met_payer", true}});
  check("the company made effective again");
  ok(app->patch_user(actor(admin), rep1, {{"team_id", team2}}));
  check("a team change");
  auto m = ok(app->rep_metrics(actor(mgr2), {{"from", "2026-11-01"}, {"to", "2026-11-27"}}));
  int64_t seen = -1;
  for (auto& r : m["items"])
    if (r["rep_id"] == rep1) seen = r["visits"].get<int64_t>();
  EXPECT_EQ(seen, 2) << "the new team's manager sees the rep's history";
  ASSERT_TRUE(app->delete_company(actor(admin), c).ok());
  check("a deleted company");
}
