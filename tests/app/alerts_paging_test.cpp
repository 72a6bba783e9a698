// Alerts come a page at a time (limit, cursor): walking the pages with any page size gives
// exactly the one-page answer, in the fixed kind order, each alert once; for a few reps and for
// more reps than the owner-index threshold (the primary-key walk). Bad cursors are 400s.
#include <map>
#include <set>

#include "fixture.h"

namespace tj::testing {
namespace {

class AlertPaging : public OrgFixture {
 protected:
  // n reps more in the first team, so the view has more reps than the owner-index threshold.
  void more_reps(int n) {
    ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
      for (int i = 0; i < n; i++) {
        User u;
        u.org_id = org;
        u.username = "extra" + std::to_string(i) + "-" + std::to_string(org);
        u.display_name = "extra" + std::to_string(i);
        u.password_hash = "x";
        u.role = Role::Rep;
        u.team_id = team;
        u.hire_date = "2024-01-01";
        u.created_at = 1;
        extra.push_back(tx.insert_user(u));
      }
      return ok_status();
    }).ok());
  }
  // Companies of every company alert kind for `rep`, interleaved in id order.
  void make_alerts(Id rep, int each) {
    for (int i = 0; i < each; i++) {
      std::string n = std::to_string(rep) + "-" + std::to_string(i);
      Id sink = company(rep, "黑洞" + n);
      visit(rep, sink, "2026-10-20T10:00:00+08:00");
      visit(rep, sink, "2026-11-05T10:00:00+08:00");
      visit(rep, sink, "2026-11-06T10:00:00+08:00");
      Id sod = company(rep, "签或放" + n);
      visit(rep, sod, "2026-11-10T10:00:00+08:00", {{"met_payer", true}});
      visit(rep, sod, "2026-11-11T10:00:00+08:00", {{"met_payer", true}});
      Id payer = company(rep, "找买单人" + n);
      for (const char* d : {"2026-11-12T10:00:00+08:00", "2026-11-13T10:00:00+08:00", "2026-11-16T10:00:00+08:00"})
        visit(rep, payer, d, {{"need", true}});
      Id neff = company(rep, "未有效" + n);
      for (const char* d : {"2026-11-17T10:00:00+08:00", "2026-11-18T10:00:00+08:00", "2026-11-19T10:00:00+08:00"})
        visit(rep, neff, d, {{"met_payer", i % 2 == 0}, {"need", true}});
    }
  }
  // Every page of the alerts for `as` with page size `limit`, concatenated.
  std::vector<json> walk(Id as, int limit, const std::string& kind = "") {
    std::vector<json> out;
    Query q = {{"as_of", "2026-11-27"}, {"limit", std::to_string(limit)}};
    if (!kind.empty()) q["kind"] = kind;
    for (int page = 0; page < 1000; page++) {
      auto j = ok(app->alerts(actor(as), q));
      EXPECT_LE(int(j["items"].size()), limit);
      for (auto& i : j["items"]) out.push_back(i);
      if (j["next_cursor"].is_null()) return out;
      q["cursor"] = j["next_cursor"].get<std::string>();
    }
    ADD_FAILURE() << "the pages never end";
    return out;
  }
  std::vector<Id> extra;
};
TJ_ON_EACH_BACKEND(AlertPaging);

const std::vector<std::string> kOrder = {"time_sink_last_month", "sign_or_drop", "find_payer", "not_effective",
                                         "nurture_due", "harvest_window", "low_new_share", "below_quota", "behind_pace"};

void expect_ordered(const std::vector<json>& items) {
  std::set<std::pair<std::string, Id>> seen;
  int last_kind = -1;
  Id last_id = 0;
  for (auto& i : items) {
    std::string kind = i["kind"];
    int k = int(std::find(kOrder.begin(), kOrder.end(), kind) - kOrder.begin());
    ASSERT_LT(k, int(kOrder.size())) << kind;
    Id id = i["company_id"].is_null() ? i["rep_id"].get<Id>() : i["company_id"].get<Id>();
    EXPECT_TRUE(seen.insert({kind, id}).second) << "listed twice: " << kind << " " << id;
    EXPECT_TRUE(k > last_kind || (k == last_kind && id > last_id)) << kind << " " << id << " out of order";
    last_kind = k;
    last_id = id;
  }
}

TEST_P(AlertPaging, PagesOfAnySizeAddUpToTheWholeList) {
  make_alerts(rep1, 3);
  make_alerts(rep2, 2);
  auto all = ok(app->alerts(actor(mgr), {{"as_of", "2026-11-27"}, {"limit", "1000"}}));
  EXPECT_TRUE(all["next_cursor"].is_null());
  std::vector<json> whole(all["items"].begin(), all["items"].end());
  expect_ordered(whole);
  std::map<std::string, int> per_kind;
  for (auto& i : whole) per_kind[i["kind"]]++;
  EXPECT_EQ(per_kind["time_sink_last_month"], 5);
  EXPECT_EQ(per_kind["sign_or_drop"], 5 + 3) << "and the even rounds' not-effective companies (payer met twice)";
  // Three visits without the payer: the time sinks, the find-payer companies and the odd rounds' others.
  EXPECT_EQ(per_kind["find_payer"], 5 + 5 + 2);
  EXPECT_EQ(per_kind["not_effective"], 3);
  EXPECT_EQ(per_kind["below_quota"], 2) << "two reps in the team, neither on quota today";
  for (int limit : {1, 2, 3, 4, 7, 22, 23, 24, 999}) EXPECT_EQ(walk(mgr, limit), whole) << "limit " << limit;
  // With a kind filter, the pages hold that kind only.
  auto sod = walk(mgr, 2, "sign_or_drop");
  EXPECT_EQ(sod.size(), 8u);
  for (auto& i : sod) EXPECT_EQ(i["kind"], "sign_or_drop");
}

TEST_P(AlertPaging, ManyRepsWalkThePrimaryKeyAndGiveTheSameAnswer) {
  more_reps(70);  // above the 64-owner threshold: the primary-key walk
  make_alerts(rep1, 2);
  make_alerts(extra[0], 1);
  make_alerts(extra[69], 1);
  auto team_all = ok(app->alerts(actor(mgr), {{"as_of", "2026-11-27"}, {"limit", "1000"}}));
  std::vector<json> whole(team_all["items"].begin(), team_all["items"].end());
  expect_ordered(whole);
  std::set<Id> companies;
  for (auto& i : whole)
    if (!i["company_id"].is_null()) companies.insert(i["company_id"].get<Id>());
  EXPECT_EQ(companies.size(), 16u) << "4 companies per make_alerts round, 4 rounds";
  for (int limit : {1, 5, 16, 17, 50}) EXPECT_EQ(walk(mgr, limit), whole) << "limit " << limit;
  // The same companies through a one-rep view (the owner index).
  auto one = ok(app->alerts(actor(mgr), {{"as_of", "2026-11-27"}, {"rep_id", std::to_string(extra[69])}, {"limit", "1000"}}));
  std::set<Id> mine;
  for (auto& i : one["items"])
    if (!i["company_id"].is_null()) mine.insert(i["company_id"].get<Id>());
  EXPECT_EQ(mine.size(), 4u);
}

TEST_P(AlertPaging, BadCursorsAndLimitsAre400s) {
  // Cursors are opaque (encode_cursor of [kind, last id]): neither made-up strings nor well-encoded
  // wrong contents are accepted.
  std::vector<std::string> bad = {"", "x", "sign_or_drop", "sign_or_drop:1", "sign_or_drop:-1", "nope:1"};
  for (const json& j : {json::array({"sign_or_drop"}), json::array({"sign_or_drop", -1}), json::array({"nope", 1}),
                        json::array({"sign_or_drop", "1"}), json::array({1, 1}), json::object({{"k", "sign_or_drop"}}),
                        json::array({"sign_or_drop", 1, 2})})
    bad.push_back(detail::encode_cursor(j));
  for (const auto& c : bad) {
    auto r = app->alerts(actor(mgr), {{"cursor", c}});
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.error().kind, Err::BadRequest) << c;
  }
  for (const char* l : {"0", "-1", "1001", "ten"}) {
    auto r = app->alerts(actor(mgr), {{"limit", l}});
    ASSERT_FALSE(r.ok()) << l;
    EXPECT_EQ(r.error().kind, Err::BadRequest) << l;
  }
  EXPECT_TRUE(app->alerts(actor(mgr), {{"cursor", detail::encode_cursor(json::array({"below_quota", 0}))}}).ok());
}

}  // namespace
}  // namespace tj::testing
