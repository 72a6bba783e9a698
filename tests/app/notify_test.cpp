// Notifications (issue 14) through the use cases: 撞单 tells the owner in the
// caller's transaction (and not when it rolls back), the scheduled reminders
// keep to working days and run once a day, and the robots' signatures match
// DingTalk's documented algorithm and RFC 4231.
#include "app/delivery.h"
#include "app/notify.h"
#include "fixture.h"
#include "store/tx_notify.h"

namespace tj::testing {
namespace {

class Notify : public OrgFixture {
 protected:
  std::vector<json> notes_of(Id user) {
    auto j = ok(app->list_notifications(actor(user), {{"limit", "100"}}));
    std::vector<json> out;
    for (auto& i : j["items"]) out.push_back(i);
    return out;
  }
  int64_t count(Id user, const std::string& kind) {
    int64_t n = 0;
    for (auto& i : notes_of(user)) n += i["kind"] == kind;
    return n;
  }
  int64_t deliveries() {
    int64_t n = 0;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      n = NotifyTx(tx.conn()).count_deliveries("pending");
      return ok_status();
    }).ok());
    return n;
  }
  Status duplicate(Id company_id, Id by, bool fail_after = false) {
    return store->write([&](Tx& tx) -> Status {
      auto c = tx.get_company(org, company_id);
      auto u = tx.get_user(org, by);
      notify::notify_duplicate_attempt(tx, org, *c, *u, clock.now());
      if (fail_after) return conflict("duplicate", "the cause failed");
      return ok_status();
    });
  }
};
TJ_ON_EACH_BACKEND(Notify);

TEST_P(Notify, DuplicateAttemptTellsTheOwnerInTheCallersTransaction) {
  ok(app->create_channel(actor(admin), {{"kind", "webhook"}, {"url", "https://hooks.example/x"}, {"secret", "s3"},
                                        {"events", {"duplicate_attempt"}}}));
  Id c = company(rep1, "北京撞单科技有限公司");
  ASSERT_TRUE(duplicate(c, rep3).ok());
  auto n = notes_of(rep1);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0]["kind"], "duplicate_attempt");
  EXPECT_NE(n[0]["message"].get<std::string>().find("rep3"), std::string::npos) << n[0]["message"];
  EXPECT_NE(n[0]["message"].get<std::string>().find("北京撞单科技有限公司"), std::string::npos);
  EXPECT_EQ(n[0]["link"], "/customers/" + std::to_string(c));
  EXPECT_EQ(deliveries(), 1);
  EXPECT_TRUE(notes_of(rep3).empty()) << "the one who tried is not told";
  // The owner trying their own name, and a rolled-back cause, tell nobody.
  ASSERT_TRUE(duplicate(c, rep1).ok());
  EXPECT_FALSE(duplicate(c, rep2, /*fail_after=*/true).ok());
  EXPECT_EQ(notes_of(rep1).size(), 1u);
  EXPECT_EQ(deliveries(), 1);
}

TEST_P(Notify, RemindersOnWorkingDaysOnlyOnceADay) {
  ok(app->put_note(actor(rep1), Tx::NoteKind::Plan, "2026-11-27", {{"goal", "五家新客户"}}));
  // Saturday: quiet.
  auto sat = ok(app->run_reminders(at("2026-11-28T09:31:00+08:00")));
  EXPECT_EQ(sat["reminders"][0]["working_day"], false);
  EXPECT_EQ(count(rep2, "plan_missing"), 0);
  // Friday before 09:30: nothing; at 09:31: rep2 and rep3 (no plan), not rep1; the managers' digests.
  EXPECT_TRUE(ok(app->run_reminders(at("2026-11-27T09:29:00+08:00")))["reminders"][0]["ran"].empty());
  auto fri = ok(app->run_reminders(at("2026-11-27T09:31:00+08:00")));
  EXPECT_EQ(fri["reminders"][0]["ran"], json::array({"notify_morning"}));
  EXPECT_EQ(count(rep1, "plan_missing"), 0);
  EXPECT_EQ(count(rep2, "plan_missing"), 1);
  EXPECT_EQ(count(rep3, "plan_missing"), 1);
  EXPECT_EQ(count(mgr, "plan_missing_digest"), 1);
  EXPECT_EQ(count(mgr2, "plan_missing_digest"), 1);
  // Again (a restart, another process): nothing more.
  ok(app->run_reminders(at("2026-11-27T10:00:00+08:00")));
  EXPECT_EQ(count(rep2, "plan_missing"), 1);
  // A holiday is quiet too.
  auto s = ok(app->get_settings(actor(admin)));
  ok(app->patch_settings(actor(admin), {{"holidays", {"2026-11-27"}}, {"version", s["version"]}}));
  EXPECT_EQ(ok(app->run_reminders(at("2026-11-27T19:01:00+08:00")))["reminders"][0]["working_day"], false);
  EXPECT_EQ(count(rep2, "review_missing"), 0);
}

TEST(NotifySigning, DingTalkSignAndWebhookHmacFollowTheirSpecifications) {
  // DingTalk: URL-encoded Base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)).
  EXPECT_EQ(notify::dingtalk_sign(1700000000000, "SECabc123"), "N5P09a4%2Bp1AMJIJWnIvQd2Yxw9%2Bfu%2FoEBnPrjCcsLXk%3D");
  // RFC 4231 test case 2.
  EXPECT_EQ(notify::hmac_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  auto sealed = notify::seal("robot-secret");
  EXPECT_EQ(sealed.find("robot-secret"), std::string::npos);
  EXPECT_EQ(notify::unseal(sealed).value_or(""), "robot-secret");
  sealed[20] = sealed[20] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(notify::unseal(sealed).has_value()) << "a tampered secret does not open";
}

}  // namespace
}  // namespace tj::testing
