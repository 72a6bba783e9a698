// Import of companies through the use case: the report, re-imports, empty
// cells, matching names, all-or-nothing and per-row, dry runs, scope, mapping,
// money units, XLSX, search and audit.
#include <iconv.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture.h"
#include "io/xlsx.h"

using namespace tj;
using namespace tj::testing;

namespace {

class Import : public OrgFixture {
 protected:
  enum class Lang { Zh, En };  // the caller's language: the reasons of rejected rows follow it
  Result<json> run(Id as, const std::string& file, App::ImportOptions o = {}, Lang lang = Lang::Zh) {
    Actor a = actor(as);
    a.zh = lang == Lang::Zh;
    return app->import_companies(a, file, o);
  }
  json imp(Id as, const std::string& file, App::ImportOptions o = {}, Lang lang = Lang::Zh) {
    return ok(run(as, file, o, lang));
  }
  App::ImportOptions per_row() {
    App::ImportOptions o;
    o.per_row = true;
    return o;
  }
  std::string uname(Id id) {
    std::string n;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      n = tx.get_user(org, id)->username;
      return ok_status();
    }).ok());
    return n;
  }
  std::vector<Company> all() {
    std::vector<Company> out;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      CompanyQuery q;
      q.org_id = org;
      q.scope.kind = Scope::All;
      q.limit = 100000;
      out = tx.list_companies(q);
      return ok_status();
    }).ok());
    return out;
  }
  std::optional<Company> named(const std::string& name) {
    for (auto& c : all())
      if (c.name == name) return c;
    return std::nullopt;
  }
  std::vector<Contact> contacts_of(Id company) {
    std::vector<Contact> out;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      out = tx.list_contacts(org, company);
      return ok_status();
    }).ok());
    return out;
  }
  int64_t scalar(const std::string& sql) {
    int64_t v = 0;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      v = tx.conn().scalar(sql);
      return ok_status();
    }).ok());
    return v;
  }
  std::vector<int64_t> reject_rows(const json& r) {
    std::vector<int64_t> out;
    for (auto& x : r["rejects"]) out.push_back(x["row"].get<int64_t>());
    return out;
  }
  // SQLite: the organisation's lead-intake counters, a line a row (owner -1 is the pool, 0 everyone),
  // after checking that they equal a recomputation from the companies (rebuild_view_counters).
  std::string intake_equal_to_rebuild() {
    auto rows = [&] {
      std::string out;
      EXPECT_TRUE(store
                      ->read([&](Tx& tx) -> Status {
                        for (auto& r : tx.conn().query(
                                 "SELECT owner_id, hour, source, n FROM intake_stats WHERE org_id = ? AND n <> 0 "
                                 "ORDER BY owner_id, hour, source",
                                 {org}))
                          out += r.str(0) + " " + r.str(1) + " " + r.str(2) + " " + r.str(3) + "\n";
                        return ok_status();
                      })
                      .ok());
      return out;
    };
    std::string kept = rows();
    EXPECT_TRUE(store
                    ->write([&](Tx& tx) -> Status {
                      tx.rebuild_view_counters(org);
                      return ok_status();
                    })
                    .ok());
    EXPECT_EQ(kept, rows());
    return kept;
  }
  std::string schema() {
    std::string s;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      const char* sql =
          on_postgres()
              ? "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                "ORDER BY 2"
              : "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index','trigger') ORDER BY name";
      for (auto& r : tx.conn().query(sql))
        s += r.str(0) + " " + r.str(1) + ": " + r.str(2) + "\n";
      return ok_status();
    }).ok());
    return s;
  }
};

const char* kHeader = "公司名称,行业,行业排名,地区,预算（元）,来源,竞品,负责人,联系人,职务,是否买单人,领导风格,电话\r\n";

TJ_ON_EACH_BACKEND(Import);

TEST_P(Import, CreatesCompaniesAndContactsWithAnExactReport) {
  std::string csv = std::string(kHeader) +
                    "华为技术有限公司,电子,1,深圳,\"1,200,000\",展会,思科,,任正非,总裁,是,老虎型,13800138000\r\n"
                    "中兴通讯股份有限公司,电子,2,深圳,50万,广告,,,,,,,\r\n"
                    "华为技术有限责任公司,,,,,,,,孟晚舟,CFO,否,,\r\n";
  json r = imp(admin, csv);
  EXPECT_EQ(r["rows"], 3);
  EXPECT_EQ(r["created"], 2);
  EXPECT_EQ(r["updated"], 1) << "the third row adds a contact to the first company";
  EXPECT_EQ(r["unchanged"], 0);
  EXPECT_EQ(r["rejected"], 0);
  EXPECT_EQ(r["applied"], true);
  EXPECT_EQ(r["companies_created"], 2);
  EXPECT_EQ(r["contacts_created"], 2);
  EXPECT_EQ(r["file"]["format"], "csv");
  EXPECT_EQ(r["file"]["encoding"], "utf-8");
  EXPECT_EQ(r["file"]["header_row"], 1);
  ASSERT_EQ(all().size(), 2u);
  auto h = named("华为技术有限公司");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->industry, "电子");
  EXPECT_EQ(h->industry_rank, 1);
  EXPECT_EQ(h->budget_capacity, 120000000) << "1,200,000 yuan in fen";
  EXPECT_EQ(h->source, "展会");
  EXPECT_EQ(h->competitor, "思科");
  EXPECT_EQ(h->owner_id, admin) << "no owner cell: the caller";
  EXPECT_EQ(h->status, CompanyStatus::Prospect);
  auto cs = contacts_of(h->id);
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].name, "任正非");
  EXPECT_TRUE(cs[0].is_payer);
  EXPECT_EQ(cs[0].style, "driver") << "老虎型 maps to the one style vocabulary (SPEC §3)";
  EXPECT_EQ(cs[1].name, "孟晚舟");
  EXPECT_FALSE(cs[1].is_payer);
  EXPECT_EQ(named("中兴通讯股份有限公司")->budget_capacity, 50000000) << "50万 yuan";
  EXPECT_TRUE(contacts_of(named("中兴通讯股份有限公司")->id).empty());
  EXPECT_EQ(r["row_ranges"]["created"], json({"2-3"}));
  EXPECT_EQ(r["row_ranges"]["updated"], json({"4"}));
}

TEST_P(Import, ReimportingTheSameFileChangesNothing) {
  std::string csv = std::string(kHeader) + "甲公司,制造,3,北京,100,广告,,,张三,经理,是,,1390000\r\n乙公司,零售,,上海,,,,,,,,,\r\n";
  imp(admin, csv);
  auto before = all();
  int64_t audit_before = scalar("SELECT COUNT(*) FROM audit_log");
  json r = imp(admin, csv);
  EXPECT_EQ(r["created"], 0);
  EXPECT_EQ(r["updated"], 0);
  EXPECT_EQ(r["unchanged"], 2);
  EXPECT_EQ(r["imported"], 2);
  auto after = all();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); i++) {
    EXPECT_EQ(after[i].version, before[i].version) << after[i].name;
    EXPECT_EQ(after[i].updated_at, before[i].updated_at);
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM contacts"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log"), audit_before + 1) << "only the import's own entry";
}

TEST_P(Import, EmptyCellsAndAbsentColumnsLeaveFieldsAsTheyWere) {
  Id c = company(rep1, "丙公司", {{"industry", "教育"}, {"region", "杭州"}, {"budget_capacity", 500000}, {"source", "转介绍"}});
  // No industry column at all; an empty region cell; a new budget.
  json r = imp(admin, "公司名称,地区,预算（元）\n丙公司,,9000\n");
  EXPECT_EQ(r["updated"], 1);
  auto x = named("丙公司");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->id, c);
  EXPECT_EQ(x->industry, "教育") << "absent column: untouched";
  EXPECT_EQ(x->region, "杭州") << "empty cell: untouched";
  EXPECT_EQ(x->budget_capacity, 900000);
  EXPECT_EQ(x->source, "转介绍");
  EXPECT_EQ(x->owner_id, rep1) << "no owner cell: the owner stays";
  ASSERT_EQ(r["updates"].size(), 1u);
  EXPECT_EQ(r["updates"][0]["changes"], json({"budget_capacity"}));
}

TEST_P(Import, AnEmptyCellNeverInheritsAnotherRowsValue) {
  // Under a merged 行业 cell Excel leaves the following rows empty.
  imp(admin, "公司名称,行业,地区\n丁公司,餐饮,成都\n戊公司,,\n己公司,,重庆\n");
  EXPECT_EQ(named("丁公司")->industry, "餐饮");
  EXPECT_EQ(named("戊公司")->industry, "");
  EXPECT_EQ(named("戊公司")->region, "");
  EXPECT_EQ(named("己公司")->industry, "");
  EXPECT_EQ(named("己公司")->region, "重庆");
}

TEST_P(Import, NamesMatchAcrossWidthSpacesAndLlcVariants) {
  Id c = company(rep1, "华夏科技（北京）有限责任公司");
  json r = imp(admin, "公司名称,行业\n华夏科技(北京)有限公司,软件\n 华夏科技 （北京） 有限公司 ,\nＡＢＣ贸易有限公司,零售\nabc贸易有限责任公司,\n");
  EXPECT_EQ(r["created"], 1);
  EXPECT_EQ(r["updated"], 1);
  EXPECT_EQ(r["unchanged"], 2);
  auto cs = all();
  ASSERT_EQ(cs.size(), 2u);
  auto x = named("华夏科技（北京）有限责任公司");
  ASSERT_TRUE(x) << "the stored name is kept (never renamed by an import)";
  EXPECT_EQ(x->id, c);
  EXPECT_EQ(x->industry, "软件");
  EXPECT_TRUE(named("ＡＢＣ贸易有限公司"));
}

TEST_P(Import, AllOrNothingWritesNothingWhenARowIsRejected) {
  std::string csv = "公司名称,行业排名,预算,是否买单人,联系人\n好公司,1,100,,\n坏排名,前十,,,\n坏预算,,面议,,\n坏买单人,,,不确定,李四\n,5,,,\n好公司二,2,,是,王五\n";
  json r = imp(admin, csv);
  EXPECT_EQ(r["applied"], false);
  EXPECT_EQ(r["rows"], 6);
  EXPECT_EQ(r["created"], 2);
  EXPECT_EQ(r["rejected"], 4);
  EXPECT_EQ(r["imported"], 0);
  EXPECT_EQ(reject_rows(r), (std::vector<int64_t>{3, 4, 5, 6}));
  // Reasons name the column as the file does (Chinese caller: the header alone).
  EXPECT_NE(r["rejects"][0]["reasons"][0].get<std::string>().find("行业排名"), std::string::npos);
  EXPECT_NE(r["rejects"][1]["reasons"][0].get<std::string>().find("面议"), std::string::npos);
  EXPECT_NE(r["rejects"][2]["reasons"][0].get<std::string>().find("是否买单人"), std::string::npos);
  EXPECT_NE(r["rejects"][3]["reasons"][0].get<std::string>().find("公司名称"), std::string::npos);
  EXPECT_TRUE(all().empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import%'"), 0);

  json p = imp(admin, csv, per_row());
  EXPECT_EQ(p["applied"], true);
  EXPECT_EQ(p["imported"].get<int64_t>() + p["rejected"].get<int64_t>(), p["rows"].get<int64_t>());
  EXPECT_EQ(p["imported"], 2);
  EXPECT_EQ(all().size(), 2u);
  EXPECT_EQ(contacts_of(named("好公司二")->id).size(), 1u);
}

TEST_P(Import, ADryRunReportsAndWritesNothing) {
  company(rep1, "已有公司", {{"industry", "制造"}});
  App::ImportOptions o;
  o.dry_run = true;
  json r = imp(admin, "公司名称,行业\n已有公司,零售\n新公司,教育\n新公司,教育\n", o);
  EXPECT_EQ(r["dry_run"], true);
  EXPECT_EQ(r["applied"], false);
  EXPECT_EQ(r["created"], 1);
  EXPECT_EQ(r["updated"], 1);
  EXPECT_EQ(r["unchanged"], 1);
  EXPECT_EQ(r["updates"][0]["company_id"], named("已有公司")->id);
  EXPECT_EQ(all().size(), 1u);
  EXPECT_EQ(named("已有公司")->industry, "制造");
}

TEST_P(Import, ARepImportsOnlyTheirOwnCompanies) {
  Id other = company(rep2, "别人的公司");
  Id pool = company(rep1, "公海公司");
  ASSERT_TRUE(app->patch_company(actor(admin), pool, {{"version", 1}, {"owner_id", nullptr}}).ok());
  // (Industries from the organisation's list: SPEC §3 refuses unknown ones.)
  std::string csv = "公司名称,负责人,行业\n自己的新公司,,零售\n别人的公司,,零售\n公海公司,,零售\n送给别人,rep2-" +
                    std::to_string(org) + ",零售\n写自己名字," + uname(rep1) + ",零售\n公海公司,,\n";
  json r = imp(rep1, csv, per_row(), Lang::En);
  EXPECT_EQ(r["created"], 2);
  EXPECT_EQ(r["unchanged"], 1) << "a pool row that changes nothing is fine";
  EXPECT_EQ(r["rejected"], 3);
  EXPECT_EQ(reject_rows(r), (std::vector<int64_t>{3, 4, 5}));
  std::string reasons = r["rejects"].dump();
  // SPEC §3 (revised, 撞单): a row of a company the importer may not write names its owner
  EXPECT_NE(reasons.find("is already a customer of rep2"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("claim it first"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("only their own"), std::string::npos) << reasons;
  // The same file for a Chinese-speaking rep: the same rows, the reasons in Chinese.
  json zh = imp(rep1, csv, per_row());
  EXPECT_EQ(reject_rows(zh), (std::vector<int64_t>{3, 4, 5}));
  std::string zh_reasons = zh["rejects"].dump();
  EXPECT_NE(zh_reasons.find("撞单：这家公司已是 rep2 的客户"), std::string::npos) << zh_reasons;
  EXPECT_NE(zh_reasons.find("请先认领"), std::string::npos) << zh_reasons;
  EXPECT_NE(zh_reasons.find("只能导入自己的客户"), std::string::npos) << zh_reasons;
  EXPECT_EQ(named("自己的新公司")->owner_id, rep1);
  EXPECT_EQ(named("写自己名字")->owner_id, rep1);
  EXPECT_EQ(named("别人的公司")->industry, "") << "untouched";
  EXPECT_EQ(named("别人的公司")->id, other);
  // --owner naming someone else is refused for a rep outright.
  App::ImportOptions o;
  o.owner = uname(rep2);
  auto bad = run(rep1, "公司名称\nX\n", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_field");
}

TEST_P(Import, AManagerAssignsWithinTheTeamAndFromThePool) {
  Id pool = company(rep1, "公海甲");
  ASSERT_TRUE(app->patch_company(actor(admin), pool, {{"version", 1}, {"owner_id", nullptr}}).ok());
  company(rep3, "二组的公司");
  std::string csv = "公司名称,负责人\n新甲," + uname(rep1) + "\n新乙,rep2\n新丙," + uname(rep3) + "\n公海甲," + uname(rep2) +
                    "\n二组的公司," + uname(rep1) + "\n";
  json r = imp(mgr, csv, per_row());
  EXPECT_EQ(r["created"], 2) << r.dump();  // 新甲 (rep1) and 新乙 (by display name rep2)
  EXPECT_EQ(r["updated"], 1);              // 公海甲 assigned to rep2
  EXPECT_EQ(r["rejected"], 2);             // rep3 is in another team; 二组的公司 is not visible
  EXPECT_EQ(named("新甲")->owner_id, rep1);
  EXPECT_EQ(named("新乙")->owner_id, rep2);
  EXPECT_EQ(named("公海甲")->owner_id, rep2);
  EXPECT_FALSE(named("新丙"));
  // The default owner for rows without one.
  App::ImportOptions o;
  o.owner = uname(rep2);
  imp(mgr, "公司名称\n新丁\n", o);
  EXPECT_EQ(named("新丁")->owner_id, rep2);
}

TEST_P(Import, ExplicitMappingReversedMappingAndLetters) {
  App::ImportOptions o;
  auto m = App::parse_mapping("客户全称=name, 对接人：contact_name,industry=所属板块,备注=ignore");
  ASSERT_TRUE(m.ok());
  o.mapping = m.value();
  json r = imp(admin, "客户全称,对接人,所属板块,备注,行业\n某某集团,赵六,能源,随便,应被忽略吗\n", o);
  EXPECT_EQ(r["created"], 1);
  auto c = named("某某集团");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->industry, "能源") << "the mapped column wins; the automatic 行业 is a duplicate";
  EXPECT_FALSE(r["warnings"].empty());
  EXPECT_EQ(contacts_of(c->id)[0].name, "赵六");
  // JSON mapping and a column letter.
  auto j = App::parse_mapping(R"({"B":"name","A":null})");
  ASSERT_TRUE(j.ok());
  o.mapping = j.value();
  imp(admin, "编号,客户\n1,字母公司\n", o);
  EXPECT_TRUE(named("字母公司"));
  // Errors: an unknown field, a column that is not there.
  o.mapping = App::parse_mapping("客户全称=nonsense").value();
  auto e1 = run(admin, "客户全称\nx\n", o);
  ASSERT_FALSE(e1.ok());
  EXPECT_EQ(e1.error().code, "invalid_mapping");
  o.mapping = App::parse_mapping("不存在=name").value();
  auto e2 = run(admin, "公司名称\nx\n", o);
  ASSERT_FALSE(e2.ok());
  EXPECT_EQ(e2.error().code, "invalid_mapping");
  EXPECT_FALSE(App::parse_mapping("oops").ok());
  EXPECT_FALSE(App::parse_mapping("{bad json").ok());
}

TEST_P(Import, NoNameColumnIsA400) {
  auto r = run(admin, "行业,地区\n通信,深圳\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "no_name_column");
}

TEST_P(Import, TitleRowsSemicolonsAndGbkAsExcelSavesThem) {
  std::string text = "2026年客户名单;;\r\n\r\n客户名称;城市;预算（万元）\r\n庚公司;西安;12.5\r\n";
  iconv_t cd = iconv_open("GBK", "UTF-8");
  std::string gbk(text.size() * 2, '\0');
  char* ip = text.data();
  size_t il = text.size();
  char* op = gbk.data();
  size_t ol = gbk.size();
  ASSERT_NE(iconv(cd, &ip, &il, &op, &ol), size_t(-1));
  iconv_close(cd);
  gbk.resize(gbk.size() - ol);
  json r = imp(admin, gbk);
  EXPECT_EQ(r["file"]["encoding"], "gb18030");
  EXPECT_EQ(r["file"]["delimiter"], ";");
  EXPECT_EQ(r["file"]["header_row"], 3);
  EXPECT_EQ(r["rows"], 1);
  auto c = named("庚公司");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->region, "西安");
  EXPECT_EQ(c->budget_capacity, 12500000) << "12.5万元 = 125000 yuan";
  EXPECT_EQ(r["row_ranges"]["created"], json({"4"}));
}

TEST_P(Import, XlsxFilesImportLikeCsv) {
  auto path = (std::filesystem::temp_directory_path() / ("tj-imp-" + std::to_string(getpid()) + ".xlsx")).string();
  {
    auto w = io::XlsxWriter::create(path, "客户");
    ASSERT_TRUE(w.ok());
    auto& x = *w.value();
    for (auto h : {"公司名称", "行业排名", "预算（元）", "是否买单人", "联系人", "电话"}) x.header(h);
    ASSERT_TRUE(x.end_row().ok());
    x.text("辛公司");
    x.integer(7);
    x.money_fen(1234567);
    x.text("Y");
    x.text("钱七");
    x.text("+86 139 0000 0000");
    ASSERT_TRUE(x.end_row().ok());
    ASSERT_TRUE(x.close().ok());
  }
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  json r = imp(admin, ss.str());
  EXPECT_EQ(r["file"]["format"], "xlsx");
  EXPECT_EQ(r["file"]["sheet"], "客户");
  EXPECT_EQ(r["created"], 1);
  auto c = named("辛公司");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->industry_rank, 7);
  EXPECT_EQ(c->budget_capacity, 1234567) << "a spreadsheet number back to the exact fen";
  auto cs = contacts_of(c->id);
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_TRUE(cs[0].is_payer);
  EXPECT_EQ(cs[0].phone, "+86 139 0000 0000");
  std::filesystem::remove(path);
}

TEST_P(Import, ImportedCompaniesAndContactsAreSearchable) {
  imp(admin, "公司名称,联系人\n星辰数字科技有限公司,欧阳娜娜\n");
  auto found = ok(app->list_companies(actor(admin), {{"q", "数字科技"}}));
  ASSERT_EQ(found["items"].size(), 1u);
  found = ok(app->list_companies(actor(admin), {{"q", "欧阳娜娜"}}));
  ASSERT_EQ(found["items"].size(), 1u) << "by contact name";
  // A new contact of an existing company is searchable too.
  imp(admin, "公司名称,联系人\n星辰数字科技有限公司,司马相如\n");
  found = ok(app->list_companies(actor(admin), {{"q", "司马相如"}}));
  EXPECT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM contacts"), 2);
}

TEST_P(Import, AuditEntriesRecordTheImportAndEveryChange) {
  Id c = company(rep1, "壬公司", {{"region", "旧"}});
  imp(admin, "公司名称,地区,联系人\n壬公司,新,周八\n癸公司,,\n");
  auto e = ok(app->list_audit(actor(admin), {{"entity", "company"}, {"limit", "50"}}));
  bool file = false, update = false;
  for (auto& x : e["items"]) {
    if (x["action"] == "import_file") {
      file = true;
      EXPECT_EQ(x["new"]["created"], 1);
      EXPECT_EQ(x["new"]["updated"], 1);
      EXPECT_EQ(x["new"]["created_company_ids"].size(), 1u);
    }
    if (x["action"] == "import" && x["entity_id"] == c) {
      update = true;
      EXPECT_EQ(x["old"]["region"], "旧");
      EXPECT_EQ(x["new"]["region"], "新");
    }
  }
  EXPECT_TRUE(file);
  EXPECT_TRUE(update);
  auto ce = ok(app->list_audit(actor(admin), {{"entity", "contact"}}));
  ASSERT_EQ(ce["items"].size(), 1u);
  EXPECT_EQ(ce["items"][0]["new"]["name"], "周八");
}

TEST_P(Import, ABigLoadRestoresEveryIndexAndTrigger) {
  std::string before = schema();
  const std::string all_intake = "SELECT COALESCE(SUM(n), 0) FROM intake_stats WHERE owner_id = 0";
  int64_t intake_before = on_postgres() ? 0 : scalar(all_intake);
  std::string csv = "公司名称,联系人\n";
  for (int i = 0; i < 20050; i++) csv += "批量公司" + std::to_string(i) + ",联系人" + std::to_string(i) + "\n";
  json r = imp(admin, csv);
  EXPECT_EQ(r["created"], 20050);
  EXPECT_EQ(schema(), before) << "indexes rebuilt and triggers restored unchanged";
  if (!on_postgres()) EXPECT_EQ(scalar("SELECT COUNT(*) FROM company_fts"), 20050);  // SQLite's search table
  EXPECT_EQ(ok(app->list_companies(actor(admin), {{"q", "批量公司19999"}}))["items"].size(), 1u);
  EXPECT_EQ(ok(app->list_companies(actor(admin), {{"q", "联系人777"}}))["items"].size(), 11u);  // 777, 7770-7779
  if (!on_postgres())
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      EXPECT_EQ(tx.conn().query("PRAGMA integrity_check").at(0).str(0), "ok");
      return ok_status();
    }).ok());
  if (!on_postgres()) {
    // The load suspends the lead-intake trigger and adds its companies to intake_stats at once:
    // the counters equal a recomputation from the companies (owner -1 is the pool, 0 everyone).
    EXPECT_EQ(scalar(all_intake) - intake_before, 20050) << "the load's companies are counted";
    intake_equal_to_rebuild();
  }
  // A rolled-back import leaves the schema as it was too.
  json bad = imp(admin, csv + "坏,\n,x\n");
  EXPECT_EQ(bad["applied"], false);
  EXPECT_EQ(schema(), before);
  // New companies after the load get fresh ids, and a normal insert still works.
  Id id = company(rep1, "之后的公司");
  EXPECT_GT(id, 20050);
}

// A big load without contacts (the search rows are filled without looking contacts up) and with
// several owners and sources (the intake counters are keyed on both), as an upload (batches of
// 10,000 rows) and as a local file (`tiejun import`: one transaction that drops and rebuilds the
// indexes and, on SQLite, writes through a rollback journal): searchable, the schema unchanged,
// the database back in WAL mode, and the counters equal a recomputation.
TEST_P(Import, ABigLoadWithoutContactsIsSearchableAndCounted) {
  std::string before = schema();
  const std::string owners[] = {"rep1-" + std::to_string(org), "rep2-" + std::to_string(org)};
  const char* sources[] = {"展会", "转介绍", "官网"};
  int64_t loaded = 0;
  for (bool local_file : {false, true}) {
    SCOPED_TRACE(local_file ? "local file" : "upload");
    const std::string prefix = local_file ? "本地文件公司" : "无联系人公司";
    std::string csv = "公司名称,负责人,来源\n";
    for (int i = 0; i < 20050; i++)
      csv += prefix + std::to_string(i) + "," + owners[i % 2] + "," + sources[i % 3] + "\n";
    App::ImportOptions o;
    o.large = local_file;
    json r = imp(admin, csv, o);
    ASSERT_EQ(r["created"], 20050) << r.dump();
    loaded += 20050;
    EXPECT_EQ(schema(), before) << "indexes rebuilt and triggers restored unchanged";
    EXPECT_EQ(ok(app->list_companies(actor(admin), {{"q", prefix + "12345"}}))["items"].size(), 1u);
    EXPECT_EQ(ok(app->list_companies(actor(admin), {{"q", prefix.substr(3) + "2004"}}))["items"].size(),
              11u);  // 2004, 20040-20049
    if (on_postgres()) continue;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM company_fts"), loaded);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM company_fts WHERE contacts <> ''"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM company_fts f JOIN companies c ON c.id = f.rowid WHERE f.name = c.name"),
              loaded);
    ASSERT_TRUE(store
                    ->read([&](Tx& tx) -> Status {
                      EXPECT_EQ(tx.conn().query("PRAGMA journal_mode").at(0).str(0), "wal");
                      EXPECT_EQ(tx.conn().query("PRAGMA integrity_check").at(0).str(0), "ok");
                      return ok_status();
                    })
                    .ok());
    std::string kept = intake_equal_to_rebuild();
    EXPECT_NE(kept.find(" 展会 "), std::string::npos) << kept;
  }
}

}  // namespace
