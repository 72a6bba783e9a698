// The vocabularies end to end on both backends (SPEC §3, issue 12): the managed
// industry list (settings, aliases mapped on write and in the prospect rule,
// unknown industries refused with the nearest names, merges), the one style
// vocabulary with fit on a rep's prospects and pipeline, diagnosis messages that
// cite the failing measure, and migration 0011 mapping data stored before.
#include "fixture.h"
#include "store/migrations.h"

using namespace tj;
using namespace tj::testing;

namespace {
class Vocabulary : public OrgFixture {
 protected:
  Actor en(Id user) {
    Actor a = actor(user);
    a.zh = false;
    return a;
  }
  std::string err(Result<json> r) { return r.ok() ? "ok" : r.error().code; }
  std::string msg(Result<json> r) { return r.ok() ? "" : r.error().message; }
};
TJ_ON_EACH_BACKEND(Vocabulary);
}  // namespace

TEST_P(Vocabulary, ANewOrganisationStartsWithTheStandardList) {
  auto s = ok(app->get_settings(actor(admin)));
  ASSERT_TRUE(s["industries"].is_array());
  EXPECT_GE(s["industries"].size(), 21u);
  bool found = false;
  for (auto& i : s["industries"])
    if (i["name"] == "制造") {
      found = true;
      EXPECT_NE(std::find(i["aliases"].begin(), i["aliases"].end(), json("制造业")), i["aliases"].end());
    }
  EXPECT_TRUE(found);
  EXPECT_TRUE(s["vocabulary_report"].empty()) << "a new organisation has nothing to report";
  EXPECT_FALSE(ok(app->get_settings(actor(rep1))).contains("vocabulary_report")) << "the report is for admins";
}

TEST_P(Vocabulary, AliasesAreMappedOnCreateAndPatch) {
  auto c = ok(app->create_company(actor(rep1), {{"name", "甲公司"}, {"industry", "制造业"}}));
  EXPECT_EQ(c["industry"], "制造");
  auto p = ok(app->patch_company(actor(rep1), c["id"].get<Id>(), {{"version", c["version"]}, {"industry", "IT"}}));
  EXPECT_EQ(p["industry"], "互联网");
  p = ok(app->patch_company(actor(rep1), c["id"].get<Id>(), {{"version", p["version"]}, {"industry", ""}}));
  EXPECT_EQ(p["industry"], "") << "empty is allowed";
  // The list filter finds a company by an alias of its industry too.
  ok(app->create_company(actor(rep1), {{"name", "乙公司"}, {"industry", "Manufacturing"}}));
  auto l = ok(app->list_companies(actor(rep1), {{"industry", "制造业"}}));
  ASSERT_EQ(l["items"].size(), 1u);
  EXPECT_EQ(l["items"][0]["name"], "乙公司");
}

TEST_P(Vocabulary, AnUnknownIndustryIsA400ListingTheNearest) {
  auto r = app->create_company(actor(rep1), {{"name", "丙公司"}, {"industry", "智能制造"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::BadRequest);
  EXPECT_EQ(r.error().code, "unknown_industry");
  EXPECT_NE(r.error().message.find("制造"), std::string::npos) << r.error().message;
  auto c = ok(app->create_company(actor(rep1), {{"name", "丁公司"}}));
  auto p = app->patch_company(actor(rep1), c["id"].get<Id>(), {{"version", c["version"]}, {"industry", "房地"}});
  EXPECT_EQ(err(p), "unknown_industry");
  EXPECT_NE(msg(p).find("房地产"), std::string::npos) << msg(p);
}

TEST_P(Vocabulary, RankAdjacentProspectsMatchAfterMapping) {
  // The signed reference is 制造 #3; the candidate was written as 制造业 #4 (before: no match).
  auto ref = ok(app->create_company(actor(rep1), {{"name", "参照公司"}, {"industry", "制造"}, {"industry_rank", 3}}));
  ok(app->create_deal(actor(rep1), {{"company_id", ref["id"]}, {"amount", 2000000}, {"signed_on", "2026-11-20"}}));
  auto cand = ok(app->create_company(
      actor(rep1), {{"name", "候选公司"}, {"industry", "制造业"}, {"industry_rank", 4}, {"budget_capacity", 5000000}}));
  auto p = ok(app->prospects(actor(rep1), {{"as_of", "2026-11-27"}}));
  ASSERT_EQ(p["items"].size(), 1u) << p.dump();
  EXPECT_EQ(p["items"][0]["company_id"], cand["id"]);
  EXPECT_EQ(p["items"][0]["reference_company_id"], ref["id"]);
}

TEST_P(Vocabulary, AdminEditsTheListAndMergesByAlias) {
  auto s = ok(app->get_settings(actor(admin)));
  json list = s["industries"];
  list.push_back({{"name", "通信"}, {"aliases", {"电信", "Telecom"}}});
  EXPECT_EQ(app->patch_settings(actor(rep1), {{"industries", list}}).error().kind, Err::Forbidden);
  auto after = ok(app->patch_settings(actor(admin), {{"industries", list}}));
  EXPECT_EQ(after["industries"].size(), list.size());
  auto c = ok(app->create_company(actor(rep1), {{"name", "戊公司"}, {"industry", "telecom"}}));
  EXPECT_EQ(c["industry"], "通信");
  // Bad lists are 400s.
  json dup = list;
  dup.push_back({{"name", "制造"}, {"aliases", json::array()}});
  EXPECT_EQ(err(app->patch_settings(actor(admin), {{"industries", dup}})), "invalid_industries");
  json alias_clash = list;
  alias_clash.push_back({{"name", "其他"}, {"aliases", {"IT"}}});
  EXPECT_EQ(err(app->patch_settings(actor(admin), {{"industries", alias_clash}})), "invalid_industries");
  EXPECT_EQ(err(app->patch_settings(actor(admin), {{"industries", "制造"}})), "invalid_field");
  EXPECT_EQ(err(app->patch_settings(actor(admin), {{"industries", {{{"name", "x"}, {"aliases", {1}}}}}})), "invalid_field");
  EXPECT_EQ(err(app->patch_settings(actor(admin), {{"industries", {{{"name", "x"}, {"color", "red"}}}}})), "invalid_field");
  // Removing 通信 while a company carries it: 409, unless it becomes an alias of another name.
  json without = s["industries"];
  EXPECT_EQ(err(app->patch_settings(actor(admin), {{"industries", without}})), "industry_in_use");
  for (auto& i : without)
    if (i["name"] == "电子") i["aliases"].push_back("通信");
  ok(app->patch_settings(actor(admin), {{"industries", without}}));
  EXPECT_EQ(ok(app->get_company(actor(rep1), c["id"].get<Id>()))["industry"], "电子") << "merged into 电子";
  EXPECT_EQ(ok(app->create_company(actor(rep1), {{"name", "己公司"}, {"industry", "通信"}}))["industry"], "电子");
}

TEST_P(Vocabulary, OneStyleVocabulary) {
  auto u = app->create_user(actor(admin), {{"username", "newrep"}, {"password", "password123"}, {"role", "rep"},
                                           {"team_id", team}, {"selling_style", "decisive"}});
  EXPECT_EQ(err(u), "unknown_style");
  auto ok_u = ok(app->create_user(actor(admin), {{"username", "newrep"}, {"password", "password123"}, {"role", "rep"},
                                                 {"team_id", team}, {"selling_style", "支配型"}}));
  EXPECT_EQ(ok_u["selling_style"], "driver");
  EXPECT_EQ(err(app->patch_user(actor(rep1), rep1, {{"selling_style", "顾问式"}})), "unknown_style");
  EXPECT_EQ(ok(app->patch_user(actor(rep1), rep1, {{"selling_style", "analytical"}}))["selling_style"], "analytical");
  EXPECT_EQ(ok(app->patch_user(actor(rep1), rep1, {{"selling_style", ""}}))["selling_style"], "");
  Id co = company(rep1, "风格公司");
  EXPECT_EQ(err(app->create_contact(actor(rep1), co, {{"name", "张总"}, {"style", "decisive"}})), "unknown_style");
  auto ct = ok(app->create_contact(actor(rep1), co, {{"name", "张总"}, {"style", "友善型"}}));
  EXPECT_EQ(ct["style"], "amiable");
  EXPECT_EQ(err(app->patch_contact(actor(rep1), ct["id"].get<Id>(), {{"style", "calm"}})), "unknown_style");
}

TEST_P(Vocabulary, FitShowsOnTheRepsProspectsAndPipeline) {
  ok(app->patch_user(actor(rep1), rep1, {{"selling_style", "driver"}}));
  auto ref = ok(app->create_company(actor(rep1), {{"name", "参照公司"}, {"industry", "制造"}, {"industry_rank", 3}}));
  ok(app->create_deal(actor(rep1), {{"company_id", ref["id"]}, {"amount", 2000000}, {"signed_on", "2026-11-20"}}));
  auto same = ok(app->create_company(
      actor(rep1), {{"name", "同风格公司"}, {"industry", "制造"}, {"industry_rank", 4}, {"budget_capacity", 5000000}}));
  auto other = ok(app->create_company(
      actor(rep1), {{"name", "异风格公司"}, {"industry", "制造"}, {"industry_rank", 2}, {"budget_capacity", 5000000}}));
  ok(app->create_contact(actor(rep1), same["id"].get<Id>(), {{"name", "王总"}, {"is_payer", true}, {"style", "driver"}}));
  ok(app->create_contact(actor(rep1), other["id"].get<Id>(), {{"name", "李总"}, {"is_payer", true}, {"style", "amiable"}}));
  auto p = ok(app->prospects(actor(rep1), {{"as_of", "2026-11-27"}}));
  ASSERT_EQ(p["items"].size(), 2u);
  for (auto& i : p["items"]) {
    ASSERT_TRUE(i.contains("fit")) << i.dump();
    bool codes_fit = std::find(i["reason_codes"].begin(), i["reason_codes"].end(), json("style_fit")) != i["reason_codes"].end();
    if (i["company_id"] == same["id"]) {
      EXPECT_EQ(i["fit"]["level"], "good");
      EXPECT_EQ(i["fit"]["payer_style"], "driver");
      EXPECT_EQ(i["fit"]["payer_style_name"], "支配型");
      EXPECT_TRUE(codes_fit) << "the seed's direction: a buyer of the rep's own style is named as a reason";
    } else {
      EXPECT_EQ(i["fit"]["level"], "fair");
      EXPECT_FALSE(codes_fit);
    }
  }
  // The pipeline: the owner's list and detail carry fit; someone else's view does not.
  auto l = ok(app->list_companies(actor(rep1), {{"q", "风格公司"}}));
  ASSERT_EQ(l["items"].size(), 2u);
  for (auto& i : l["items"]) EXPECT_TRUE(i.contains("fit")) << i.dump();
  EXPECT_EQ(ok(app->get_company(actor(rep1), same["id"].get<Id>()))["fit"]["level"], "good");
  EXPECT_FALSE(ok(app->get_company(actor(mgr), same["id"].get<Id>())).contains("fit"));
  // The best-fitting rep for the company speaks the same vocabulary.
  auto f = ok(app->fit(actor(mgr), same["id"].get<Id>()));
  EXPECT_EQ(f["payer_style"], "driver");
  EXPECT_NE(f["message"].get<std::string>().find("支配型"), std::string::npos) << f["message"];
}

// The rep's record by payer style is cached between writes (app/vocab.cpp, FitCache): a read
// right after a write that changes the record sees the change, never the cached numbers.
TEST_P(Vocabulary, FitRecordFollowsEveryWrite) {
  ok(app->patch_user(actor(rep1), rep1, {{"selling_style", "driver"}}));
  auto target = ok(app->create_company(actor(rep1), {{"name", "目标公司"}, {"industry", "制造"}}));
  ok(app->create_contact(actor(rep1), target["id"].get<Id>(),
                         {{"name", "王总"}, {"is_payer", true}, {"style", "driver"}}));
  auto fit = [&] { return ok(app->get_company(actor(rep1), target["id"].get<Id>()))["fit"]; };
  const json before = fit();
  EXPECT_EQ(fit(), before) << "a second read (from the cache) gives the same";
  // Another driver-style buyer signs with rep1: the record by style changes.
  auto won = ok(app->create_company(actor(rep1), {{"name", "成交公司"}, {"industry", "制造"}}));
  ok(app->create_contact(actor(rep1), won["id"].get<Id>(),
                         {{"name", "赵总"}, {"is_payer", true}, {"style", "driver"}}));
  ok(app->create_visit(actor(rep1),
                       {{"company_id", won["id"]}, {"need", true}, {"budget", true}, {"met_payer", true}}));
  EXPECT_EQ(fit()["trials"].get<int64_t>(), before["trials"].get<int64_t>() + 1) << "made effective: one more trial";
  ok(app->create_deal(actor(rep1), {{"company_id", won["id"]}, {"amount", 1000000}, {"signed_on", "2026-11-20"}}));
  const json after = fit();
  EXPECT_NE(after, before) << "the read after the signing sees the new record: " << after.dump();
  EXPECT_EQ(after["wins"].get<int64_t>(), before["wins"].get<int64_t>() + 1) << after.dump();
}

TEST_P(Vocabulary, DiagnosisCitesTheFailingMeasure) {
  // Previous 30 days: 10 new companies, 1 effective (10%). Last 30 days: 4, 2 effective (50%).
  // Intake fell (10 -> 4); the effective count rose (1 -> 2) and the rate rose.
  auto make = [&](const char* created, int n, int effective, const char* prefix) {
    clock.t = at(created);
    for (int i = 0; i < n; i++) {
      Id c = company(rep1, std::string(prefix) + std::to_string(i));
      if (i < effective) visit(rep1, c, created, {{"need", true}, {"budget", true}, {"met_payer", true}});
    }
  };
  make("2026-10-12T10:00:00+08:00", 10, 1, "旧");
  make("2026-11-16T10:00:00+08:00", 4, 2, "新");
  clock.t = at("2026-11-27T12:00:00+08:00");
  auto d = ok(app->diagnosis(en(admin), {{"as_of", "2026-11-27"}}));
  auto& s = d["source"];
  EXPECT_EQ(s["intake"], 4);
  EXPECT_EQ(s["previous_intake"], 10);
  EXPECT_TRUE(s["failing"].get<bool>());
  EXPECT_EQ(s["failing_measures"], json({"intake"}));
  std::string m = s["message"];
  EXPECT_NE(m.find("lead intake fell from 10 to 4"), std::string::npos) << m;
  EXPECT_NE(m.find("effective rate rose"), std::string::npos) << m;
  EXPECT_EQ(m.find("effective new customers"), std::string::npos) << "the effective count did not fail: " << m;
  EXPECT_EQ(m.find("50%"), std::string::npos) << m;
  std::string zh = ok(app->diagnosis(actor(admin), {{"as_of", "2026-11-27"}}))["source"]["message"];
  EXPECT_NE(zh.find("线索进量从 10 降到 4"), std::string::npos) << zh;
  EXPECT_EQ(zh.find("有效新客户"), std::string::npos) << zh;
  EXPECT_EQ(d["first_failing"], "source");
  EXPECT_EQ(d["message"], s["message"]);
}

TEST_P(Vocabulary, ImportMapsAliasesAndRejectsUnknownIndustriesAndStyles) {
  App::ImportOptions o;
  o.per_row = true;
  std::string csv =
      "公司名称,行业,联系人,领导风格\n"
      "甲制造有限公司,制造业,王总,老虎型\n"      // alias and an older style name: mapped
      "乙科技有限公司,IT,李总,分析型\n"          // alias; the Chinese style name
      "丙通信有限公司,通信设备,,\n"              // unknown industry: the row's reason names the nearest
      "丁贸易有限公司,零售,赵总,顾问式\n";       // unknown style: rejected
  auto r = ok(app->import_companies(actor(admin), csv, o));
  EXPECT_EQ(r["created"], 2) << r.dump();
  EXPECT_EQ(r["rejected"], 2) << r.dump();
  std::map<int64_t, std::string> why;
  for (auto& x : r["rejects"]) why[x["row"].get<int64_t>()] = x["reasons"].dump();
  EXPECT_NE(why[4].find("未知行业「通信设备」"), std::string::npos) << why[4];
  EXPECT_NE(why[5].find("顾问式"), std::string::npos) << why[5];
  auto l = ok(app->list_companies(actor(admin), {{"q", "制造有限"}}));
  ASSERT_EQ(l["items"].size(), 1u);
  EXPECT_EQ(l["items"][0]["industry"], "制造");
  auto d = ok(app->get_company(actor(admin), l["items"][0]["id"].get<Id>()));
  EXPECT_EQ(d["contacts"][0]["style"], "driver");
  l = ok(app->list_companies(actor(admin), {{"q", "乙科技"}}));
  ASSERT_EQ(l["items"].size(), 1u);
  EXPECT_EQ(l["items"][0]["industry"], "互联网");
}

// Migration 0011 on data stored before it: industries mapped or added (and reported),
// styles mapped or cleared (and reported).
TEST_P(Vocabulary, Migration0011MapsStoredValues) {
  Id c1 = company(rep1, "旧一"), c2 = company(rep1, "旧二"), c3 = company(rep1, "旧三");
  Id ct = 0;
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    auto& cn = tx.conn();
    cn.exec("UPDATE companies SET industry = '制造业' WHERE id = ?", {c1});
    cn.exec("UPDATE companies SET industry = 'it' WHERE id = ?", {c2});
    cn.exec("UPDATE companies SET industry = '光电' WHERE id = ?", {c3});
    cn.exec("UPDATE users SET selling_style = 'decisive' WHERE id = ?", {rep1});
    cn.exec("UPDATE users SET selling_style = '顾问式' WHERE id = ?", {rep2});
    Contact k;
    k.org_id = org;
    k.company_id = c1;
    k.name = "赵总";
    k.style = "analytic";
    k.created_at = 1;
    ct = tx.insert_contact(k);
    // Back to the state before 0011, then 0011 again.
    cn.exec_script("DROP INDEX companies_org_effective_by; DROP TABLE industries; DROP TABLE vocabulary_report;");
    const char* sql = nullptr;
    for (auto* m = on_postgres() ? migrations::kPostgres : migrations::kSqlite; m->name; ++m)
      if (m->number == 11) sql = m->sql;
    EXPECT_TRUE(sql);
    if (sql) cn.exec_script(sql);
    return ok_status();
  }).ok());
  auto co = [&](Id id) { return ok(app->get_company(actor(admin), id))["industry"].get<std::string>(); };
  EXPECT_EQ(co(c1), "制造");
  EXPECT_EQ(co(c2), "互联网");
  EXPECT_EQ(co(c3), "光电") << "kept, and added to the list";
  auto s = ok(app->get_settings(actor(admin)));
  bool added = false;
  for (auto& i : s["industries"]) added = added || i["name"] == "光电";
  EXPECT_TRUE(added);
  EXPECT_EQ(ok(app->get_user(actor(admin), rep1))["selling_style"], "driver");
  EXPECT_EQ(ok(app->get_user(actor(admin), rep2))["selling_style"], "");
  EXPECT_EQ(ok(app->list_contacts(actor(admin), c1))["items"][0]["style"], "analytical");
  std::map<std::string, json> rep;
  for (auto& r : s["vocabulary_report"]) rep[r["field"].get<std::string>() + ":" + r["value"].get<std::string>()] = r;
  EXPECT_EQ(rep["industry:制造业"]["action"], "mapped");
  EXPECT_EQ(rep["industry:制造业"]["mapped_to"], "制造");
  EXPECT_EQ(rep["industry:光电"]["action"], "added");
  EXPECT_EQ(rep["selling_style:decisive"]["mapped_to"], "driver");
  EXPECT_EQ(rep["selling_style:顾问式"]["action"], "cleared");
  EXPECT_EQ(rep["contact_style:analytic"]["mapped_to"], "analytical");
  EXPECT_EQ(rep["industry:制造业"]["count"], 1);
  // The old value still works as input: 制造业 is an alias.
  EXPECT_EQ(ok(app->create_company(actor(rep1), {{"name", "新一"}, {"industry", "制造业"}}))["industry"], "制造");
}
