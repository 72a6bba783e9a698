// The acceptance case of import and export: a real-looking 10,000-row GBK CSV
// as Chinese Excel saves it (bench/import/gen_companies.py) imports with
// exactly the report the generator predicts; re-importing changes nothing; the
// XLSX export reads back with every Chinese string intact and formula-like
// cells as plain strings; the CSV export neutralises them; and both exports
// import back as "unchanged".
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/utf8.h"
#include "fixture.h"
#include "io/sheet.h"
#include "io/text.h"

using namespace tj;
using namespace tj::testing;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class Gbk10k : public OrgFixture {
 protected:
  void SetUp() override {
    OrgFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    fs::path script = fs::path(__FILE__).parent_path() / ".." / ".." / "bench" / "import" / "gen_companies.py";
    if (!fs::exists(script) || std::system("python3 --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs python3";
    dir = fs::temp_directory_path() / ("tj-gbk-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::string owners = "rep1-" + std::to_string(org) + ",rep2-" + std::to_string(org) + ",rep3-" + std::to_string(org);
    std::string cmd = "python3 '" + script.string() + "' --rows 10000 --encoding gbk --owners " + owners + " --out '" +
                      (dir / "c.csv").string() + "' --expect '" + (dir / "e.json").string() + "' 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    file = slurp(dir / "c.csv");
    expect = json::parse(slurp(dir / "e.json"));
  }
  void TearDown() override {
    if (!dir.empty()) fs::remove_all(dir);
  }
  int64_t count(const char* table) {
    int64_t n = 0;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      n = tx.conn().scalar(std::string("SELECT COUNT(*) FROM ") + table + " WHERE org_id = ?", {org});
      return ok_status();
    }).ok());
    return n;
  }
  void expect_report(const json& r) {
    for (auto k : {"rows", "blank_rows", "created", "updated", "unchanged", "rejected"})
      EXPECT_EQ(r[k], expect[k]) << k;
    std::vector<int64_t> rows;
    for (auto& x : r["rejects"]) rows.push_back(x["row"].get<int64_t>());
    EXPECT_EQ(json(rows), expect["rejected_rows"]);
  }
  fs::path dir;
  std::string file;
  json expect;
};

TJ_ON_EACH_BACKEND(Gbk10k);

TEST_P(Gbk10k, ImportsExactlyReimportsNothingAndExportsIntact) {
  ASSERT_EQ(expect["rows"], 10000);
  // The file really is GBK, as Chinese Excel writes it.
  EXPECT_FALSE(utf8::valid(file));
  // Dry run: the exact report, nothing written.
  App::ImportOptions dry;
  dry.dry_run = true;
  json d = ok(app->import_companies(actor(admin), file, dry));
  EXPECT_EQ(d["file"]["encoding"], "gb18030");
  expect_report(d);
  EXPECT_EQ(count("companies"), 0);
  // All or nothing: the bad rows stop it.
  json all = ok(app->import_companies(actor(admin), file, {}));
  expect_report(all);
  EXPECT_EQ(all["applied"], false);
  EXPECT_EQ(count("companies"), 0);
  // Per row: the good rows go in, imported + rejected = rows.
  App::ImportOptions pr;
  pr.per_row = true;
  json r = ok(app->import_companies(actor(admin), file, pr));
  expect_report(r);
  EXPECT_EQ(r["imported"].get<int64_t>() + r["rejected"].get<int64_t>(), r["rows"].get<int64_t>());
  EXPECT_EQ(count("companies"), expect["companies"].get<int64_t>());
  EXPECT_EQ(count("contacts"), expect["contacts"].get<int64_t>());
  EXPECT_EQ(r["companies_created"], expect["companies"]);
  EXPECT_EQ(r["contacts_created"], expect["contacts"]);
  // Re-import: nothing changes.
  json again = ok(app->import_companies(actor(admin), file, pr));
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["updated"], 0);
  EXPECT_EQ(again["unchanged"].get<int64_t>(), expect["rows"].get<int64_t>() - expect["rejected"].get<int64_t>());
  EXPECT_EQ(count("companies"), expect["companies"].get<int64_t>());
  EXPECT_EQ(count("contacts"), expect["contacts"].get<int64_t>());

  // Every stored name, and the formula-like texts, as they were.
  std::set<std::string> names;
  std::set<std::string> competitors;
  ASSERT_TRUE(store->read([&](Tx& tx) -> Status {
    for (auto& row : tx.conn().query("SELECT name, competitor FROM companies WHERE org_id = ?", {org})) {
      names.insert(row.str(0));
      competitors.insert(row.str(1));
    }
    return ok_status();
  }).ok());
  EXPECT_TRUE(competitors.count("=1+2")) << "the generator's formula-like competitor";
  EXPECT_TRUE(competitors.count("+友商A"));
  EXPECT_TRUE(competitors.count("@竞品群"));

  auto x = app->export_download(actor(admin), "companies", {{"format", "xlsx"}});
  ASSERT_TRUE(x.ok()) << x.error().message;
  io::ReadInfo info;
  auto t = io::read_table(x->body, {}, &info);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(info.format, "xlsx");
  ASSERT_EQ(t->rows(), names.size() + 1);
  ASSERT_EQ(t->text(0, 1), "公司名称");
  ASSERT_EQ(t->text(0, 7), "竞品");
  std::set<std::string> sheet_names;
  for (size_t row = 1; row < t->rows(); row++) {
    sheet_names.insert(std::string(t->text(row, 1)));
    auto comp = t->text(row, 7);
    EXPECT_EQ(t->kind(row, 7), io::CellKind::Text);
    EXPECT_TRUE(comp.empty() || competitors.count(std::string(comp))) << comp;
  }
  EXPECT_EQ(sheet_names, names) << "every Chinese name intact";

  auto c = app->export_download(actor(admin), "companies", {{"format", "csv"}});
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->body.find(",'=1+2,"), std::string::npos);
  EXPECT_EQ(c->body.find(",=1+2,"), std::string::npos);
  EXPECT_EQ(c->body.find(",+友商A,"), std::string::npos);

  // Both exports import back as unchanged.
  for (auto* body : {&x->body, &c->body}) {
    json back = ok(app->import_companies(actor(admin), *body, dry));
    EXPECT_EQ(back["rows"].get<int64_t>(), int64_t(names.size()));
    EXPECT_EQ(back["unchanged"], back["rows"]) << back["rejects"].dump();
  }
  auto contacts = app->export_download(actor(admin), "contacts", {{"format", "xlsx"}});
  ASSERT_TRUE(contacts.ok());
  json back = ok(app->import_companies(actor(admin), contacts->body, dry));
  EXPECT_EQ(back["rows"], expect["contacts"]);
  EXPECT_EQ(back["unchanged"], back["rows"]);
}

}  // namespace
