// The public pool (公海) clock and claim limits, and duplicate names (撞单), SPEC §3:
// the clock runs from the latest of visit, claim and assignment; pool_release_soon warns
// the owner and their managers; claim_daily_max, owned_max and reclaim_cooldown_days, each
// at the limit and one past it; 409 `duplicate` on create, rename, import and claim, with
// the attempt recorded for the owner; 查重; the admin's duplicates list and merge.
#include "domain/names.h"
#include "fixture.h"
#include "store/migrations.h"

using namespace tj;
using namespace tj::testing;

namespace {

class Pool : public OrgFixture {
 protected:
  Id pool_company(const std::string& name) { return company(admin, name, json{{"owner_id", nullptr}}); }
  int64_t version_of(Id c) { return ok(app->get_company(actor(admin), c))["version"].get<int64_t>(); }
  json drop(Id as, Id c) {
    return ok(app->patch_company(actor(as), c, {{"version", version_of(c)}, {"status", "dropped"}, {"drop_reason", "没需求"}}));
  }
  Error claim_error(Id as, Id c) {
    auto r = app->claim_company(actor(as), c);
    EXPECT_FALSE(r.ok()) << "claim of " << c << " should be refused";
    return r.ok() ? Error{} : r.error();
  }
  std::optional<json> owner_of(Id c) {
    auto j = ok(app->get_company(actor(admin), c));
    if (j["owner_id"].is_null()) return std::nullopt;
    return j["owner_id"];
  }
  std::vector<json> audit_of(Id as, Id company) {
    auto j = ok(app->list_audit(actor(as), {{"entity", "company"}, {"entity_id", std::to_string(company)}}));
    std::vector<json> out;
    for (auto& e : j["items"])
      if (e["action"] == "duplicate_attempt") out.push_back(e);
    return out;
  }
  // Inserts a company straight into the store (no duplicate check): data from before 0010.
  Id raw_company(const std::string& name, std::optional<Id> owner) {
    Id id = 0;
    EXPECT_TRUE(store->write([&](Tx& tx) -> Status {
      Company c;
      c.org_id = org;
      c.name = name;
      c.owner_id = owner;
      c.created_at = c.updated_at = clock.t;
      id = tx.insert_company(c);
      return ok_status();
    }).ok());
    return id;
  }
};
TJ_ON_EACH_BACKEND(Pool);

// ---------- the clock ----------

TEST_P(Pool, AClaimedCompanyIsNotReleasedByTheNextNightlyJob) {
  clock.t = at("2026-09-01T10:00:00+08:00");
  Id c = company(rep1, "老客户线索");
  clock.t = at("2026-09-02T10:00:00+08:00");
  visit(rep1, c, "2026-09-02T10:00:00+08:00");
  clock.t = at("2026-11-20T10:00:00+08:00");
  drop(rep1, c);
  ok(app->claim_company(actor(rep3), c));  // 2026-11-20 10:00: the clock starts again
  clock.t = at("2026-11-21T02:00:00+08:00");
  EXPECT_EQ(ok(app->run_jobs(true))["jobs"][0]["released"], 0) << "the claim restarts the clock";
  EXPECT_EQ(owner_of(c), json(rep3));
  clock.t = at("2026-12-20T09:59:00+08:00");  // 30 days less a minute after the claim
  EXPECT_EQ(ok(app->run_jobs(true))["jobs"][0]["released"], 0);
  clock.t = at("2026-12-20T10:01:00+08:00");
  EXPECT_EQ(ok(app->run_jobs(true))["jobs"][0]["released"], 1);
  auto j = ok(app->get_company(actor(admin), c));
  EXPECT_TRUE(j["owner_id"].is_null());
  EXPECT_EQ(j["visit_count"], 1) << "history kept";
}

TEST_P(Pool, AnAssignmentRestartsTheClockAndALaterVisitWins) {
  clock.t = at("2026-09-01T10:00:00+08:00");
  Id a = company(rep1, "分配来的");
  Id b = company(rep1, "拜访过的");
  clock.t = at("2026-11-10T10:00:00+08:00");
  ok(app->patch_company(actor(mgr), a, {{"version", version_of(a)}, {"owner_id", rep2}}));  // assigned 11-10
  ok(app->patch_company(actor(mgr), b, {{"version", version_of(b)}, {"owner_id", rep2}}));
  clock.t = at("2026-11-20T10:00:00+08:00");
  visit(rep2, b, "2026-11-20T10:00:00+08:00");  // a visit after the assignment
  clock.t = at("2026-12-11T10:00:00+08:00");    // 31 days after the assignment, 21 after the visit
  EXPECT_EQ(ok(app->run_jobs(true))["jobs"][0]["released"], 1);
  EXPECT_FALSE(owner_of(a).has_value());
  EXPECT_EQ(owner_of(b), json(rep2));
}

TEST_P(Pool, ReleaseSoonWarnsTheOwnerAndTheirManagersBeforehand) {
  clock.t = at("2026-11-01T10:00:00+08:00");
  Id c = company(rep3, "快到期的公司");  // never visited: released 30 days after its creation, 12-01
  Id other = company(rep1, "还早的公司");
  clock.t = at("2026-11-20T10:00:00+08:00");
  visit(rep1, other, "2026-11-20T10:00:00+08:00");
  clock.t = at("2026-11-29T12:00:00+08:00");
  auto none = alerts_of(rep3, "pool_release_soon", "2026-11-27");  // 4 days before: not yet
  EXPECT_TRUE(none.empty());
  auto al = alerts_of(rep3, "pool_release_soon", "2026-11-28");  // 3 days before
  ASSERT_EQ(al.size(), 1u);
  EXPECT_EQ(al[0]["company_id"], c);
  EXPECT_EQ(al[0]["rep_id"], rep3);
  EXPECT_EQ(al[0]["release_on"], "2026-12-01");
  EXPECT_EQ(al[0]["days_left"], 3);
  EXPECT_EQ(al[0]["actions"], json({"log_visit", "drop", "nurture"})) << "the owner can act on it";
  EXPECT_NE(al[0]["message"].get<std::string>().find("2026-12-01"), std::string::npos) << al[0]["message"];
  EXPECT_EQ(alerts_of(mgr2, "pool_release_soon", "2026-11-28").size(), 1u) << "rep3's manager";
  EXPECT_TRUE(alerts_of(mgr, "pool_release_soon", "2026-11-28").empty()) << "another team's manager";
  EXPECT_TRUE(alerts_of(rep1, "pool_release_soon", "2026-11-28").empty()) << "rep1's company was visited on 11-20";
  EXPECT_EQ(alerts_of(admin, "pool_release_soon", "2026-11-28").size(), 1u);
  // A visit moves the clock: no warning any more.
  visit(rep3, c, "2026-11-29T11:00:00+08:00");
  EXPECT_TRUE(alerts_of(rep3, "pool_release_soon", "2026-11-29").empty());
}

// ---------- claim limits ----------

TEST_P(Pool, ClaimDailyMaxCountsTheLocalDayAndSaysUntilWhen) {
  std::vector<Id> ids;
  for (int i = 0; i < 12; i++) ids.push_back(pool_company("公海" + std::to_string(i) + "号"));
  clock.t = at("2026-11-27T00:05:00+08:00");  // just after local midnight (16:05 UTC the day before)
  for (int i = 0; i < 10; i++) ok(app->claim_company(actor(rep1), ids[size_t(i)]));  // exactly the limit
  auto e = claim_error(rep1, ids[10]);  // one past it
  EXPECT_EQ(e.kind, Err::Conflict);
  EXPECT_EQ(e.code, "claim_daily_max");
  EXPECT_NE(e.message.find("2026-11-28"), std::string::npos) << e.message;
  Actor en = actor(rep1);
  en.zh = false;
  auto e2 = app->claim_company(en, ids[10]);
  ASSERT_FALSE(e2.ok());
  EXPECT_NE(e2.error().message.find("tomorrow (2026-11-28)"), std::string::npos) << e2.error().message;
  EXPECT_TRUE(app->claim_company(actor(rep2), ids[10]).ok()) << "per rep";
  clock.t = at("2026-11-27T23:59:00+08:00");
  EXPECT_EQ(claim_error(rep1, ids[11]).code, "claim_daily_max") << "still the same local day";
  clock.t = at("2026-11-28T00:00:30+08:00");
  EXPECT_TRUE(app->claim_company(actor(rep1), ids[11]).ok()) << "a new local day";
}

TEST_P(Pool, OwnedMaxCountsUnsignedCompaniesOwned) {
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    for (int i = 0; i < 299; i++) {
      Company c;
      c.org_id = org;
      c.name = "自有" + std::to_string(i);
      c.owner_id = rep1;
      c.created_at = c.updated_at = clock.t;
      tx.insert_company(c);
    }
    Company s;  // a signed customer does not count
    s.org_id = org;
    s.name = "已签客户";
    s.owner_id = rep1;
    s.status = CompanyStatus::Signed;
    s.signed_at = clock.t;
    s.created_at = s.updated_at = clock.t;
    tx.insert_company(s);
    return ok_status();
  }).ok());
  Id p1 = pool_company("公海甲"), p2 = pool_company("公海乙");
  ok(app->claim_company(actor(rep1), p1));  // 300: exactly the limit
  auto e = claim_error(rep1, p2);          // 301
  EXPECT_EQ(e.code, "owned_max");
  EXPECT_NE(e.message.find("300"), std::string::npos) << e.message;
  drop(rep1, p1);  // 299 again (and p1 is cooling down for rep1, p2 is not)
  EXPECT_TRUE(app->claim_company(actor(rep1), p2).ok());
}

TEST_P(Pool, AReclaimWaitsForTheCoolDownOfTheRepWhoLostIt) {
  Id c = company(rep1, "放弃又想要");
  clock.t = at("2026-11-27T18:00:00+08:00");
  drop(rep1, c);
  auto e = claim_error(rep1, c);
  EXPECT_EQ(e.code, "reclaim_cooldown");
  EXPECT_NE(e.message.find("2026-12-04"), std::string::npos) << e.message;
  clock.t = at("2026-12-03T23:59:00+08:00");  // the cool-down's last day
  EXPECT_EQ(claim_error(rep1, c).code, "reclaim_cooldown");
  clock.t = at("2026-12-04T00:01:00+08:00");
  EXPECT_TRUE(app->claim_company(actor(rep1), c).ok());
}

TEST_P(Pool, LosingACompanyToTheJobStartsTheCoolDownOthersMayClaimAtOnce) {
  clock.t = at("2026-10-01T10:00:00+08:00");
  Id c = company(rep1, "被释放的");
  clock.t = at("2026-11-27T02:00:00+08:00");
  EXPECT_EQ(ok(app->run_jobs(true))["jobs"][0]["released"], 1);
  EXPECT_EQ(claim_error(rep1, c).code, "reclaim_cooldown");
  EXPECT_TRUE(app->claim_company(actor(rep2), c).ok()) << "another rep is not cooling down";
}

// ---------- duplicates ----------

TEST_P(Pool, CreatingANameAnotherRepOwnsIsADuplicateNamingTheOwner) {
  Id c = company(rep1, "（北京）华为技术有限公司");
  for (std::string variant : {"（北京）华为技术有限公司", "(北京)华为技术股份有限公司", " 北京 华为技术有限责任公司",
                              "（北京）华为技术"}) {
    auto r = app->create_company(actor(rep3), {{"name", variant}});
    ASSERT_FALSE(r.ok()) << variant;
    EXPECT_EQ(r.error().kind, Err::Conflict);
    EXPECT_EQ(r.error().code, "duplicate");
    EXPECT_NE(r.error().message.find("rep1"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("编号"), std::string::npos) << "nothing else of a company rep3 cannot read";
    EXPECT_EQ(r.error().message.find("华为"), std::string::npos) << r.error().message;
  }
  // The owner and their manager see the attempts; the one who tried does not.
  auto seen = audit_of(rep1, c);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0]["new"]["attempted_by"], rep3);
  EXPECT_EQ(seen[0]["new"]["via"], "create");
  EXPECT_EQ(audit_of(mgr, c).size(), 4u);
  EXPECT_TRUE(audit_of(rep3, c).empty());
  EXPECT_TRUE(audit_of(mgr2, c).empty());
  // The owner's own second try is refused too, with nobody to tell; a different name is fine.
  auto own = app->create_company(actor(rep1), {{"name", "北京华为技术"}});
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, "duplicate");
  EXPECT_EQ(audit_of(rep1, c).size(), 4u);
  EXPECT_TRUE(app->create_company(actor(rep3), {{"name", "上海华为技术有限公司"}}).ok());
}

TEST_P(Pool, RenamingOrClaimingIntoAClashIsADuplicate) {
  Id mine = company(rep1, "甲公司");
  Id other = company(rep3, "乙公司");
  auto r = app->patch_company(actor(rep3), other, {{"version", version_of(other)}, {"name", "甲 公司 Co., Ltd."}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "duplicate");
  EXPECT_EQ(audit_of(rep1, mine).size(), 1u);
  EXPECT_TRUE(app->patch_company(actor(rep3), other, {{"version", version_of(other)}, {"name", "乙公司有限公司"}}).ok())
      << "renaming to a variant of its own name is no clash";
  // Existing duplicates (from before 0010): claiming the pool one clashes with the owned one.
  Id dup = raw_company("甲公司有限公司", std::nullopt);
  auto e = claim_error(rep2, dup);
  EXPECT_EQ(e.code, "duplicate");
  EXPECT_NE(e.message.find("rep1"), std::string::npos) << e.message;
  EXPECT_EQ(audit_of(rep1, mine).size(), 2u);
}

TEST_P(Pool, CheckAnswersBeforeTheRepTypesTheRest) {
  Id c = company(rep1, "查重科技有限公司");
  Id p = pool_company("公海科技");
  auto mine = ok(app->check_company_name(actor(rep1), {{"name", "查重科技"}}));
  EXPECT_TRUE(mine["exists"].get<bool>());
  EXPECT_EQ(mine["company_id"], c);
  EXPECT_EQ(mine["owner_name"], "rep1");
  auto theirs = ok(app->check_company_name(actor(rep3), {{"name", "查重科技股份有限公司"}}));
  EXPECT_TRUE(theirs["exists"].get<bool>());
  EXPECT_EQ(theirs["owner_name"], "rep1");
  EXPECT_TRUE(theirs["company_id"].is_null()) << "rep3 may not read it";
  EXPECT_FALSE(theirs.contains("company_name"));
  EXPECT_EQ(ok(app->check_company_name(actor(mgr), {{"name", "查重科技"}}))["company_id"], c) << "rep1's manager";
  auto pool = ok(app->check_company_name(actor(rep3), {{"name", "公海科技有限公司"}}));
  EXPECT_TRUE(pool["in_pool"].get<bool>());
  EXPECT_EQ(pool["company_id"], p);
  EXPECT_TRUE(pool["owner_name"].is_null());
  EXPECT_FALSE(ok(app->check_company_name(actor(rep3), {{"name", "全新的公司"}}))["exists"].get<bool>());
  EXPECT_FALSE(ok(app->check_company_name(actor(rep1), {{"name", "查重科技"}, {"except_id", std::to_string(c)}}))["exists"]
                   .get<bool>());
  EXPECT_EQ(app->check_company_name(actor(rep1), {}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->check_company_name(actor(rep1), {{"name", ""}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->check_company_name(actor(rep1), {{"name", "（）"}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->check_company_name(actor(rep1), {{"name", "x"}, {"owner", "1"}}).error().kind, Err::BadRequest);
  EXPECT_TRUE(audit_of(rep1, c).empty()) << "checking is not an attempt";
}

TEST_P(Pool, AnImportRowOfACompanyTheImporterMayNotWriteIsRejectedAsADuplicate) {
  Id c = company(rep1, "导入撞单有限公司");
  App::ImportOptions o;
  o.per_row = true;
  auto r = ok(app->import_companies(actor(rep3), "公司名称,地区\n导入撞单股份有限公司,北京\n新公司,上海\n", o));
  EXPECT_EQ(r["created"], 1);
  EXPECT_EQ(r["rejected"], 1);
  std::string why = r["rejects"][0]["reasons"].dump();
  EXPECT_NE(why.find("rep1"), std::string::npos) << why;
  EXPECT_NE(why.find("撞单"), std::string::npos) << why;
  auto seen = audit_of(rep1, c);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["new"]["via"], "import");
  // The owner's manager may write it: the variant row updates it, as before.
  auto u = ok(app->import_companies(actor(mgr), "公司名称,地区\n导入撞单有限责任公司,深圳\n", {}));
  EXPECT_EQ(u["updated"], 1);
  EXPECT_EQ(ok(app->get_company(actor(admin), c))["region"], "深圳");
}

TEST_P(Pool, AnAdminListsExistingDuplicatesAndMergesThemKeepingEverything) {
  Id keep = raw_company("合并测试有限公司", rep1);
  Id gone = raw_company("合并测试股份有限公司", rep2);
  raw_company("不重复", rep1);
  ok(app->create_contact(actor(rep1), keep, {{"name", "张总"}}));
  ok(app->create_contact(actor(rep2), gone, {{"name", "李总"}, {"is_payer", true}}));
  visit(rep1, keep, "2026-11-20T10:00:00+08:00", {{"need", true}});
  visit(rep2, gone, "2026-11-21T10:00:00+08:00", {{"budget", true}, {"met_payer", true}});
  visit(rep1, keep, "2026-11-25T10:00:00+08:00", {{"met_payer", true}});
  ok(app->create_deal(actor(rep2), {{"company_id", gone}, {"amount", 5000000}, {"signed_on", "2026-11-26"}}));
  auto list = ok(app->list_duplicates(actor(admin), {}));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["companies"].size(), 2u);
  EXPECT_EQ(app->list_duplicates(actor(mgr), {}).error().kind, Err::Forbidden);
  EXPECT_EQ(app->merge_companies(actor(mgr), keep, {{"from_id", gone}}).error().kind, Err::Forbidden);
  EXPECT_EQ(app->merge_companies(actor(admin), keep, {{"from_id", keep}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->merge_companies(actor(admin), keep, json::object()).error().kind, Err::BadRequest);
  EXPECT_EQ(app->merge_companies(actor(admin), keep, {{"from_id", "x"}}).error().kind, Err::BadRequest);
  EXPECT_EQ(app->merge_companies(actor(admin), 999999, {{"from_id", gone}}).error().kind, Err::NotFound);

  auto m = ok(app->merge_companies(actor(admin), keep, {{"from_id", gone}}));
  EXPECT_EQ(m["visit_count"], 3);
  EXPECT_EQ(m["status"], "signed");
  EXPECT_EQ(m["owner_id"], rep1);
  EXPECT_TRUE(m["need"].get<bool>() && m["budget"].get<bool>() && m["payer_met"].get<bool>());
  EXPECT_EQ(ok(app->list_contacts(actor(admin), keep))["items"].size(), 2u);
  EXPECT_EQ(ok(app->list_company_deals(actor(admin), keep))["items"].size(), 1u);
  EXPECT_EQ(ok(app->list_company_visits(actor(admin), keep, {}))["items"].size(), 3u);
  EXPECT_EQ(app->get_company(actor(admin), gone).error().kind, Err::NotFound);
  EXPECT_TRUE(ok(app->list_duplicates(actor(admin), {}))["items"].empty());
  EXPECT_EQ(ok(app->list_companies(actor(admin), {{"q", "李总"}}))["items"].size(), 1u) << "search finds moved contacts";
  auto audit = ok(app->list_audit(actor(admin), {{"entity", "company"}, {"entity_id", std::to_string(keep)}}));
  bool merged = false;
  for (auto& e : audit["items"]) merged = merged || e["action"] == "merge";
  EXPECT_TRUE(merged);
  // The counters kept by triggers equal a recomputation from the raw rows.
  auto rows = [&](bool rebuild) {
    std::vector<std::string> out;
    auto st = store->write([&](Tx& tx) -> Status {
      if (rebuild) {
        tx.rebuild_rep_day_stats(org);
        tx.rebuild_view_counters(org);
      }
      for (auto& r : tx.conn().query("SELECT rep_id, day, visits, visits_new, effective_new, deals, signed_amount FROM "
                                     "rep_day_stats WHERE org_id = ? AND (visits <> 0 OR effective_new <> 0 OR deals <> 0) "
                                     "ORDER BY rep_id, day",
                                     {org})) {
        std::string line;
        for (size_t i = 0; i < r.cols.size(); i++) line += r.str(i) + "|";
        out.push_back(line);
      }
      for (auto& r : tx.conn().query("SELECT rep_id, day, source, industry, effective_n, signed_n FROM conversion_stats "
                                     "WHERE org_id = ? AND (effective_n <> 0 OR signed_n <> 0) ORDER BY rep_id, day, source, industry",
                                     {org})) {
        std::string line = "c|";
        for (size_t i = 0; i < r.cols.size(); i++) line += r.str(i) + "|";
        out.push_back(line);
      }
      for (auto& r : tx.conn().query("SELECT owner_id, hour, source, n FROM intake_stats WHERE org_id = ? AND n <> 0 "
                                     "ORDER BY owner_id, hour, source",
                                     {org})) {
        std::string line = "i|";
        for (size_t i = 0; i < r.cols.size(); i++) line += r.str(i) + "|";
        out.push_back(line);
      }
      return conflict("rollback", "compare only");
    });
    EXPECT_FALSE(st.ok());
    return out;
  };
  EXPECT_EQ(rows(false), rows(true));
}

TEST_P(Pool, TheMigrationFillsTheKeysOfStoredNames) {
  Id c = raw_company("迁移 测试（上海）有限公司", rep1);
  std::string key;
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    tx.conn().exec("UPDATE companies SET name_key = NULL WHERE org_id = ?", {org});
    migrations::after_sql(10, tx.conn());
    key = tx.conn().query_one("SELECT name_key FROM companies WHERE org_id = ? AND id = ?", {org, c})->str(0);
    return ok_status();
  }).ok());
  EXPECT_EQ(key, names::company_key("迁移测试(上海)"));
  EXPECT_EQ(key, "迁移测试上海");
}

}  // namespace
