// The discovery, conversion, diagnosis and leaderboard views read counters kept by
// triggers (migration 0007); their answers keep the semantics of the raw-row queries
// they replaced. One scenario, then one change per case, with the answers expected for
// the admin (all reps), a manager (team 一组: rep1, rep2) and another (二组: rep3):
// visits at 23:30 and 00:30 Asia/Shanghai either side of the range's ends, a rep who
// changed team, a deleted visit, a manager's own visit and lead, a deactivated rep.
#include "fixture.h"

using namespace tj;
using namespace tj::testing;

namespace {

struct Figures {
  int64_t discovery;             // visits with discovery text, 2026-11-20 .. 2026-11-26
  int64_t effective, signed_;    // conversion, same range
  int64_t intake, made_effective;  // diagnosis, the 30 days to 2026-11-27
};

enum class Change { None, TeamChange, DeletedVisit, ManagersOwn, Deactivated };

struct CounterCase {
  const char* name;
  Change change;
  Figures admin, mgr, mgr2;
  double rep1_conversion;  // admin's leaderboard for the month: rep1's signed / effective
};

class ViewCounterCases : public OrgCaseFixture<CounterCase> {
 protected:
  json view(Result<json> (App::*fn)(const Actor&, const Query&), Id who, const Query& q) { return ok((app.get()->*fn)(actor(who), q)); }
  Figures figures(Id who) {
    Query range = {{"from", "2026-11-20"}, {"to", "2026-11-26"}};
    auto d = view(&App::discovery, who, range);
    auto c = view(&App::conversion, who, range);
    auto g = view(&App::diagnosis, who, {{"as_of", "2026-11-27"}});
    return {d["visits_with_discovery"].get<int64_t>(), c["total"]["effective"].get<int64_t>(),
            c["total"]["signed"].get<int64_t>(), g["source"]["intake"].get<int64_t>(),
            g["source"]["effective"].get<int64_t>()};
  }
};

TEST_P(ViewCounterCases, Table) {
  const auto& tc = param();
  const json full = {{"need", true}, {"budget", true}, {"met_payer", true}};
  auto with = [&](json texts) {
    json j = full;
    j.update(texts);
    return j;
  };
  clock.t = at("2026-10-28T23:30:00+08:00");  // the previous 30 days
  Id x = company(rep1, "甲", {{"source", "展会"}, {"industry", "制造"}});
  clock.t = at("2026-10-29T00:30:00+08:00");  // the first day of the current 30
  Id y = company(rep1, "乙", {{"source", "展会"}, {"industry", "零售"}});
  clock.t = at("2026-11-10T10:00:00+08:00");
  Id z = company(rep1, "丙", {{"source", "转介绍"}, {"industry", "制造"}});
  Id w = company(rep2, "丁", {{"source", "转介绍"}, {"industry", "制造"}});
  Id p = company(admin, "公海", {{"source", "网络"}, {"owner_id", nullptr}});  // a pool lead: counts for every view
  Id r3 = company(rep3, "戊", {{"source", "网络"}, {"industry", "零售"}});
  clock.t = at("2026-11-27T12:00:00+08:00");
  visit(rep1, x, "2026-11-19T23:30:00+08:00", with({{"interest_reason", "降本"}}));  // the day before the range
  visit(rep1, y, "2026-11-20T00:30:00+08:00", with({{"interest_reason", "降本"}, {"attraction", "价格"}}));
  auto vz = visit(rep1, z, "2026-11-26T23:30:00+08:00", with({{"interest_reason", "扩产"}}));
  visit(rep2, w, "2026-11-27T00:30:00+08:00", with({{"interest_reason", "降本"}}));  // the day after
  visit(rep3, r3, "2026-11-22T10:00:00+08:00", with({{"concerns", "预算"}}));
  ok(app->create_deal(actor(rep1), {{"company_id", y}, {"amount", 100000}}));

  switch (tc.change) {
    case Change::None: break;
    case Change::TeamChange: ok(app->patch_user(actor(admin), rep1, {{"team_id", team2}})); break;
    case Change::DeletedVisit: ASSERT_TRUE(app->delete_visit(actor(rep1), vz["id"].get<Id>()).ok()); break;
    case Change::ManagersOwn:
      // A manager is no rep: their visit and the lead they own count for no view.
      ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
        Visit v;
        v.org_id = org;
        v.company_id = p;
        v.rep_id = mgr;
        v.at = at("2026-11-21T10:00:00+08:00");
        v.day = "2026-11-21";
        v.interest_reason = "降本";
        v.created_at = v.at;
        tx.insert_visit(v);
        auto c = *tx.get_company(org, p);
        c.owner_id = mgr;
        EXPECT_TRUE(tx.update_company(c, c.version));
        return ok_status();
      }).ok());
      break;
    case Change::Deactivated: ok(app->patch_user(actor(admin), rep2, {{"active", false}})); break;
  }

  for (auto [who, want] : {std::pair{admin, tc.admin}, std::pair{mgr, tc.mgr}, std::pair{mgr2, tc.mgr2}}) {
    Figures got = figures(who);
    EXPECT_EQ(got.discovery, want.discovery) << tc.name << ", user " << who;
    EXPECT_EQ(got.effective, want.effective) << tc.name << ", user " << who;
    EXPECT_EQ(got.signed_, want.signed_) << tc.name << ", user " << who;
    EXPECT_EQ(got.intake, want.intake) << tc.name << ", user " << who;
    EXPECT_EQ(got.made_effective, want.made_effective) << tc.name << ", user " << who;
  }
  auto lb = view(&App::leaderboard, admin, {{"period", "month"}, {"metric", "conversion"}, {"as_of", "2026-11-27"}});
  bool seen = false;
  for (auto& r : lb["items"])
    if (r["rep_id"] == rep1) {
      seen = true;
      EXPECT_DOUBLE_EQ(r["figures"]["conversion"].get<double>(), tc.rep1_conversion) << tc.name;
    }
  EXPECT_TRUE(seen) << tc.name;
  // The discovery texts of the range, by field.
  auto d = view(&App::discovery, admin, {{"from", "2026-11-20"}, {"to", "2026-11-26"}});
  if (tc.change == Change::None)
    EXPECT_EQ(d["interest_reasons"].dump(), R"([{"count":1,"text":"扩产"},{"count":1,"text":"降本"}])") << tc.name;
}

INSTANTIATE_TEST_SUITE_P(
    Counters, ViewCounterCases,
    ::testing::Combine(
        ::testing::Values(
            // In the range: 乙 (00:30 on the 20th), 丙 (23:30 on the 26th), 戊; not 甲 (23:30 the 19th), 丁 (00:30 the 27th).
            // Intake: 乙 (00:30 on the window's first day), 丙, 丁, 戊 and the pool lead; 甲 (23:30 the day before) is not.
            CounterCase{"23:30 and 00:30 at the ends", Change::None, {3, 3, 1, 5, 5}, {2, 2, 1, 4, 4}, {1, 1, 0, 2, 1}, 1.0 / 3},
            CounterCase{"rep1 moved to 二组", Change::TeamChange, {3, 3, 1, 5, 5}, {0, 0, 0, 2, 1}, {3, 3, 1, 4, 4}, 1.0 / 3},
            CounterCase{"丙's only visit deleted", Change::DeletedVisit, {2, 2, 1, 5, 4}, {1, 1, 1, 4, 3}, {1, 1, 0, 2, 1}, 1.0 / 2},
            CounterCase{"a manager's visit and lead", Change::ManagersOwn, {3, 3, 1, 4, 5}, {2, 2, 1, 3, 4}, {1, 1, 0, 1, 1}, 1.0 / 3},
            CounterCase{"rep2 deactivated", Change::Deactivated, {3, 3, 1, 4, 4}, {2, 2, 1, 3, 3}, {1, 1, 0, 2, 1}, 1.0 / 3}),
        backends()),
    CaseOnBackendName());

}  // namespace
