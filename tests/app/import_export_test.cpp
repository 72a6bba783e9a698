// Export of companies, contacts, visits and deals: CSV for Excel, XLSX read
// back with our own reader, neutralised formulas, scope, filters, audit, and
// export-then-import giving back the same text.
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include "fixture.h"
#include "io/csv.h"
#include "io/sheet.h"
#include "io/text.h"

using namespace tj;
using namespace tj::testing;

namespace {

class Export : public OrgFixture {
 protected:
  App::ExportFile get(Id as, const std::string& kind, Query q) {
    auto r = app->export_download(actor(as), kind, q);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : App::ExportFile{};
  }
  io::Table table(const std::string& body) {
    auto t = io::read_table(body);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return t.ok() ? std::move(t.value()) : io::Table{};
  }
  // Column index by header text.
  size_t col(const io::Table& t, std::string_view header) {
    for (size_t c = 0; c < t.cols(0); c++)
      if (t.text(0, c) == header) return c;
    ADD_FAILURE() << "no column " << header;
    return 0;
  }
  void seed() {
    a = company(rep1, "公式公司", {{"competitor", "=1+2"}, {"industry", "制造"}, {"budget_capacity", 1234567}, {"industry_rank", 3}});
    b = company(rep1, "逗号,引号\"公司\"", {{"source", "+友商"}, {"region", "@北京"}});
    c = company(rep2, "别人的公司", {{"industry", "制造"}});
    ok(app->create_contact(actor(rep1), a, {{"name", "张三"}, {"phone", "+86 138 0000 0000"}, {"is_payer", true}, {"title", "-总经理-"}}));
    ok(app->create_contact(actor(rep1), a, {{"name", "李四"}, {"title", "采购"}}));
  }
  Id a = 0, b = 0, c = 0;
};

TJ_ON_EACH_BACKEND(Export);

TEST_P(Export, CsvHasBomCrlfAndNeutralisedCellsWhileNumbersStayNumbers) {
  seed();
  auto f = get(admin, "companies", {{"format", "csv"}});
  EXPECT_EQ(f.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(f.rows, 3);
  ASSERT_GT(f.body.size(), 3u);
  EXPECT_EQ(f.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(f.body.find("\r\n"), std::string::npos);
  EXPECT_EQ(f.body.find("\n", 0) - 1, f.body.find("\r\n"));
  EXPECT_NE(f.body.find(",'=1+2,"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find(",'+友商,"), std::string::npos);
  EXPECT_NE(f.body.find(",'@北京,"), std::string::npos);
  EXPECT_NE(f.body.find(",3,"), std::string::npos) << "the rank is a plain number";
  EXPECT_NE(f.body.find(",12345.67,"), std::string::npos) << "money in yuan, exactly";
  EXPECT_NE(f.body.find("\"逗号,引号\"\"公司\"\"\""), std::string::npos);
  // No cell of the file starts with a formula character.
  auto t = table(f.body);
  for (size_t r = 0; r < t.rows(); r++)
    for (size_t k = 0; k < t.cols(r); k++) {
      auto v = t.text(r, k);
      if (!v.empty() && t.kind(r, k) == io::CellKind::Text)
        EXPECT_FALSE(v[0] == '=' || v[0] == '+' || v[0] == '@' || v[0] == '\t' || v[0] == '\r' ||
                     (v[0] == '-' && v.size() > 1 && !(v[1] >= '0' && v[1] <= '9')))
            << v;
    }
  EXPECT_EQ(t.text(0, 0), "编号");
  EXPECT_EQ(t.text(0, 1), "公司名称");
}

TEST_P(Export, XlsxOpensWithEveryChineseStringIntactAndNoFormula) {
  seed();
  auto f = get(admin, "companies", {{"format", "xlsx"}});
  EXPECT_EQ(f.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(f.filename.substr(f.filename.size() - 5), ".xlsx");
  auto t = table(f.body);
  ASSERT_EQ(t.rows(), 4u);
  size_t name = col(t, "公司名称"), comp = col(t, "竞品"), budget = col(t, "预算（元）"), rank = col(t, "行业排名");
  std::set<std::string> names;
  for (size_t r = 1; r < t.rows(); r++) names.insert(std::string(t.text(r, name)));
  EXPECT_EQ(names, (std::set<std::string>{"公式公司", "逗号,引号\"公司\"", "别人的公司"}));
  for (size_t r = 1; r < t.rows(); r++) {
    if (t.text(r, name) != "公式公司") continue;
    EXPECT_EQ(t.text(r, comp), "=1+2") << "the text itself, as a string cell";
    EXPECT_EQ(t.kind(r, comp), io::CellKind::Text);
    EXPECT_EQ(t.kind(r, budget), io::CellKind::Number);
    EXPECT_EQ(t.kind(r, rank), io::CellKind::Number);
    EXPECT_EQ(t.text(r, rank), "3");
    std::string why;
    EXPECT_EQ(io::parse_money(t.text(r, budget), 100, why, int64_t(1e15)), 1234567);
  }
  EXPECT_NE(f.body.find("xl/worksheets/sheet1.xml"), std::string::npos);
}

TEST_P(Export, ExportThenImportGivesBackTheSameText) {
  seed();
  for (auto format : {"csv", "xlsx"}) {
    for (auto kind : {"companies", "contacts"}) {
      auto f = get(admin, kind, {{"format", format}});
      App::ImportOptions o;
      o.dry_run = true;
      auto r = ok(app->import_companies(actor(admin), f.body, o));
      EXPECT_EQ(r["created"], 0) << format << " " << kind << " " << r.dump();
      EXPECT_EQ(r["updated"], 0) << format << " " << kind << " " << r.dump();
      EXPECT_EQ(r["rejected"], 0) << format << " " << kind << " " << r.dump();
      EXPECT_EQ(r["unchanged"], r["rows"]);
    }
  }
  // And into an empty organisation the text arrives unchanged.
  auto f = get(admin, "contacts", {{"format", "csv"}});
  Id org2 = 0, admin2 = 0;
  ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
    org2 = tx.insert_org("另一家", 1);
    User u;
    u.org_id = org2;
    u.username = "admin-other";
    u.display_name = "admin";
    u.password_hash = "x";
    u.role = Role::Admin;
    u.created_at = 1;
    admin2 = tx.insert_user(u);
    return ok_status();
  }).ok());
  Actor a2;
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    a2.user = *tx.get_user(org2, admin2);
    a2.scope = detail::scope_for(tx, a2.user);
    return ok_status();
  }).ok());
  auto r = ok(app->import_companies(a2, f.body, {}));
  EXPECT_EQ(r["created"], 1);
  EXPECT_EQ(r["updated"], 1) << "the second contact row of the same company";
  auto list = ok(app->list_companies(a2, {{"q", "公式公司"}}));
  ASSERT_EQ(list["items"].size(), 1u);
  auto detail = ok(app->get_company(a2, list["items"][0]["id"].get<Id>()));
  ASSERT_EQ(detail["contacts"].size(), 2u);
  EXPECT_EQ(detail["contacts"][0]["phone"], "+86 138 0000 0000");
  EXPECT_EQ(detail["contacts"][0]["title"], "-总经理-");
  EXPECT_EQ(detail["contacts"][0]["is_payer"], true);
}

// The list and the export read their filters through one function (company_filter):
// the same query finds the same companies, with NBSP and U+3000 around q trimmed by both.
TEST_P(Export, ListAndExportShareTheirFilters) {
  seed();
  for (const Query& q : std::vector<Query>{{{"q", "\u00A0公式\u3000"}},
                                           {{"q", " \t公式 "}},
                                           {{"q", "\u3000\u3000"}},
                                           {{"industry", "制造"}},
                                           {{"industry", "制造"}, {"owner_id", std::to_string(rep1)}},
                                           {{"q", "公司"}, {"owner_id", "none"}}}) {
    std::string what = q.begin()->first + "=" + q.begin()->second;
    auto list = ok(app->list_companies(actor(admin), q));
    auto t = table(get(admin, "companies", q).body);
    std::set<std::string> listed, exported;
    for (auto& c : list["items"]) listed.insert(c["name"].get<std::string>());
    for (size_t r = 1; r < t.rows(); r++) exported.insert(std::string(t.text(r, 1)));
    EXPECT_EQ(listed, exported) << what;
  }
  auto list = ok(app->list_companies(actor(admin), {{"q", "\u00A0公式\u3000"}}));
  ASSERT_EQ(list["items"].size(), 1u) << "NBSP and U+3000 around q are trimmed";
  EXPECT_EQ(list["items"][0]["name"], "公式公司");
  EXPECT_EQ(ok(app->list_companies(actor(admin), {{"q", "\u3000"}}))["items"].size(), 3u) << "a blank q filters nothing";
  EXPECT_FALSE(app->list_companies(actor(admin), {{"status", "nonsense"}}).ok());
  EXPECT_FALSE(app->export_download(actor(admin), "companies", {{"status", "nonsense"}}).ok());
}

TEST_P(Export, ScopedFilteredAndAudited) {
  seed();
  Id pool = company(rep1, "公海的公司");
  ASSERT_TRUE(app->patch_company(actor(admin), pool, {{"version", 1}, {"owner_id", nullptr}}).ok());
  auto t = table(get(rep1, "companies", {{"format", "csv"}}).body);
  std::set<std::string> names;
  for (size_t r = 1; r < t.rows(); r++) names.insert(std::string(t.text(r, 1)));
  EXPECT_EQ(names, (std::set<std::string>{"公式公司", "逗号,引号\"公司\"", "公海的公司"})) << "own and pool, not rep2's";
  EXPECT_EQ(get(mgr2, "companies", {}).rows, 1) << "team two sees the pool only";
  EXPECT_EQ(get(admin, "companies", {{"industry", "制造"}}).rows, 2);
  EXPECT_EQ(get(admin, "companies", {{"q", "公式"}}).rows, 1);
  EXPECT_EQ(get(admin, "companies", {{"owner_id", std::to_string(rep2)}}).rows, 1);
  EXPECT_EQ(get(admin, "companies", {{"owner_id", "pool"}}).rows, 1);
  EXPECT_EQ(get(admin, "companies", {{"status", "signed"}}).rows, 0);
  EXPECT_EQ(get(rep2, "contacts", {}).rows, 0);
  EXPECT_EQ(get(rep1, "contacts", {}).rows, 2);
  auto audit = ok(app->list_audit(actor(admin), {{"entity", "companies"}}));
  ASSERT_FALSE(audit["items"].empty());
  EXPECT_EQ(audit["items"][0]["action"], "export");
  EXPECT_EQ(audit["items"][0]["new"]["rows"], 0);
  EXPECT_EQ(audit["items"][0]["new"]["filters"]["status"], "signed");
}

TEST_P(Export, VisitsAndDeals) {
  seed();
  visit(rep1, a, "2026-11-20T10:00:00+08:00", {{"met_payer", true}, {"need", true}, {"notes", "=cmd|' /C calc'!A0"}});
  clock.t = at("2026-11-27T12:00:00+08:00");
  ok(app->create_deal(actor(rep1), {{"company_id", a}, {"amount", 88888801}, {"signed_on", "2026-11-25"}}));
  auto v = get(admin, "visits", {{"format", "csv"}});
  EXPECT_EQ(v.rows, 1);
  EXPECT_NE(v.body.find("'=cmd|"), std::string::npos);
  EXPECT_NE(v.body.find("2026-11-20 10:00"), std::string::npos) << "local time, Asia/Shanghai";
  auto d = get(admin, "deals", {{"format", "csv"}});
  EXPECT_EQ(d.rows, 1);
  EXPECT_NE(d.body.find(",888888.01,"), std::string::npos) << d.body;
  EXPECT_EQ(get(admin, "deals", {{"from", "2026-11-26"}}).rows, 0);
  EXPECT_EQ(get(admin, "visits", {{"to", "2026-11-19"}}).rows, 0);
  auto x = table(get(admin, "deals", {{"format", "xlsx"}}).body);
  ASSERT_EQ(x.rows(), 2u);
  EXPECT_EQ(x.text(1, col(x, "金额（元）")), "888888.01");
}

TEST_P(Export, EnglishHeadersAndBadParameters) {
  seed();
  Actor en = actor(admin);
  en.zh = false;
  auto f = app->export_download(en, "companies", {{"format", "csv"}});
  ASSERT_TRUE(f.ok());
  EXPECT_NE(f->body.find("id,name,industry,industry_rank"), std::string::npos);
  EXPECT_NE(f->body.find(",prospect,"), std::string::npos);
  auto bad = app->export_download(actor(admin), "companies", {{"format", "pdf"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, Err::BadRequest);
  auto kind = app->export_download(actor(admin), "users", {});
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().kind, Err::NotFound);
  auto range = app->export_download(actor(admin), "companies", {{"from", "2026-01-01"}});
  ASSERT_FALSE(range.ok());
  auto unknown = app->export_download(actor(admin), "companies", {{"nope", "1"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_parameter");
}

}  // namespace
