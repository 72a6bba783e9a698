// The team feed comes a page at a time (limit, cursor), newest first: day desc, time desc,
// shares before deals at the same moment, id desc. Walking the pages with any page size gives
// exactly the one-page answer, each entry once, with comments and likes; bad cursors are 400s.
#include <set>

#include "fixture.h"

namespace tj::testing {
namespace {

class FeedPaging : public OrgFixture {
 protected:
  void share(Id rep, const char* day, const char* clock_iso, const std::string& wins) {
    clock.t = at(clock_iso);
    ok(app->put_note(actor(rep), Tx::NoteKind::Review, day, {{"wins", wins}}));
  }
  Id deal(Id rep, Id company, const char* day, const char* clock_iso, int64_t amount) {
    clock.t = at(clock_iso);
    return ok(app->create_deal(actor(rep), {{"company_id", company}, {"amount", amount}, {"signed_on", day}}))["id"].get<Id>();
  }
  std::vector<json> walk(Id as, int limit) {
    std::vector<json> out;
    Query q = {{"as_of", "2026-11-27"}, {"days", "7"}, {"limit", std::to_string(limit)}};
    for (int page = 0; page < 1000; page++) {
      auto j = ok(app->feed(actor(as), q));
      EXPECT_LE(int(j["items"].size()), limit);
      for (auto& i : j["items"]) out.push_back(i);
      if (j["next_cursor"].is_null()) return out;
      q["cursor"] = j["next_cursor"].get<std::string>();
    }
    ADD_FAILURE() << "the pages never end";
    return out;
  }
};
TJ_ON_EACH_BACKEND(FeedPaging);

TEST_P(FeedPaging, PagesOfAnySizeAddUpToTheWholeFeedNewestFirst) {
  Id c1 = company(rep1, "甲公司"), c2 = company(rep2, "乙公司"), c3 = company(rep1, "丙公司");
  // Same moment for a share and two deals (ties broken by kind, then id), several days,
  // one day outside the 7-day window.
  share(rep1, "2026-11-26", "2026-11-26T20:00:00+08:00", "签了甲");
  share(rep2, "2026-11-26", "2026-11-26T20:00:00+08:00", "见了买单人");
  Id d1 = deal(rep1, c1, "2026-11-26", "2026-11-26T20:00:00+08:00", 1000000);
  Id d2 = deal(rep2, c2, "2026-11-26", "2026-11-26T20:00:00+08:00", 2000000);
  share(rep1, "2026-11-27", "2026-11-27T19:00:00+08:00", "今天");
  deal(rep1, c3, "2026-11-25", "2026-11-25T10:00:00+08:00", 3000000);
  share(rep2, "2026-11-20", "2026-11-20T21:00:00+08:00", "窗外");  // 7 days before as_of: outside
  share(rep1, "2026-11-21", "2026-11-21T21:00:00+08:00", "窗内第一天");
  clock.t = at("2026-11-27T21:00:00+08:00");
  ok(app->comment(actor(mgr), "deal", d1, {{"body", "干得好"}}));
  ok(app->like(actor(mgr), "deal", d2));

  auto whole_j = ok(app->feed(actor(mgr), {{"as_of", "2026-11-27"}, {"days", "7"}, {"limit", "200"}}));
  EXPECT_TRUE(whole_j["next_cursor"].is_null());
  std::vector<json> whole(whole_j["items"].begin(), whole_j["items"].end());
  std::vector<std::string> got;
  for (auto& i : whole) got.push_back(i["date"].get<std::string>() + " " + i["kind"].get<std::string>());
  EXPECT_EQ(got, (std::vector<std::string>{"2026-11-27 review", "2026-11-26 review", "2026-11-26 review", "2026-11-26 deal",
                                           "2026-11-26 deal", "2026-11-25 deal", "2026-11-21 review"}));
  // Same moment: shares first, then ids descending.
  EXPECT_GT(whole[1]["id"].get<Id>(), whole[2]["id"].get<Id>());
  EXPECT_EQ(whole[3]["id"], d2);
  EXPECT_EQ(whole[4]["id"], d1);
  EXPECT_EQ(whole[4]["comments"].size(), 1u);
  EXPECT_EQ(whole[4]["comments"][0]["display_name"], "mgr");
  EXPECT_EQ(whole[3]["likes"], 1);
  EXPECT_TRUE(whole[3]["liked"].get<bool>());
  EXPECT_EQ(whole[4]["item"]["company_name"], "甲公司");
  for (int limit : {1, 2, 3, 4, 6, 7, 8}) EXPECT_EQ(walk(mgr, limit), whole) << "limit " << limit;
  // A rep sees their team's feed too, paged the same way; "liked" is the caller's own like.
  auto for_rep = whole;
  for_rep[3]["liked"] = false;
  EXPECT_EQ(walk(rep2, 2), for_rep);
}

TEST_P(FeedPaging, BadCursorsAndLimitsAre400s) {
  // Cursors are opaque (encode_cursor of [day, at, kind, id]): neither made-up strings nor
  // well-encoded wrong contents are accepted.
  std::vector<std::string> bad = {"", "x", "2026-11-26:1:deal:1"};
  for (const json& j : {json::array({"2026-11-26", 1, "deal"}), json::array({"2026-13-01", 1, "deal", 1}),
                        json::array({"2026-11-26", "x", "deal", 1}), json::array({"2026-11-26", 1, "visit", 1}),
                        json::array({"2026-11-26", 1, "deal", -1}), json::array({"2026-11-26", 1, "deal", 1, 2}),
                        json::array({"2026-11-26", -5, "review", 1})})
    bad.push_back(detail::encode_cursor(j));
  for (const auto& c : bad) {
    auto r = app->feed(actor(mgr), {{"cursor", c}});
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.error().kind, Err::BadRequest) << c;
  }
  for (const char* l : {"0", "201", "x"}) {
    auto r = app->feed(actor(mgr), {{"limit", l}});
    ASSERT_FALSE(r.ok()) << l;
    EXPECT_EQ(r.error().kind, Err::BadRequest) << l;
  }
  EXPECT_TRUE(app->feed(actor(mgr), {{"cursor", detail::encode_cursor(json::array({"2026-11-26", 0, "review", 0}))}}).ok());
}

}  // namespace
}  // namespace tj::testing
