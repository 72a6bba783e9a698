// io/xlsx.h: what the writer writes the reader reads back; hostile workbooks
// (zip bombs, entity tricks, huge string tables, broken zips) are clear 400s.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/xlsx.h"

namespace tj::io {
namespace {

std::filesystem::path temp_dir() {
  return std::filesystem::temp_directory_path() / ("tj-io-" + std::to_string(getpid()));
}

// The scratch folder goes when the test program ends, so runs leave nothing in /tmp.
struct RemoveTempDir {
  ~RemoveTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir(), ec);
  }
} remove_temp_dir;

std::string temp_path(const std::string& name) {
  auto dir = temp_dir();
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A zip holding the given entries, as bytes.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries, const std::string& name = "t.zip") {
  std::string path = temp_path(name);
  std::filesystem::remove(path);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  std::vector<std::string> keep;  // libzip reads the buffers at zip_close
  keep.reserve(entries.size());
  for (auto& [n, data] : entries) {
    keep.push_back(data);
    zip_source_t* s = zip_source_buffer(z, keep.back().data(), keep.back().size(), 0);
    EXPECT_GE(zip_file_add(z, n.c_str(), s, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  return slurp(path);
}

const char* kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const char* kRels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>)";

std::string sheet_xml(const std::string& rows) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
         rows + "</sheetData></worksheet>";
}

std::string workbook(const std::string& rows, const std::string& shared = "") {
  std::vector<std::pair<std::string, std::string>> e = {{"xl/workbook.xml", kWorkbook},
                                                        {"xl/_rels/workbook.xml.rels", kRels},
                                                        {"xl/worksheets/sheet1.xml", sheet_xml(rows)}};
  if (!shared.empty()) e.emplace_back("xl/sharedStrings.xml", shared);
  return make_zip(e);
}

TEST(IoXlsx, WriterOutputReadsBackExactly) {
  std::string path = temp_path("w.xlsx");
  auto w = XlsxWriter::create(path, "客户");
  ASSERT_TRUE(w.ok()) << w.error().message;
  auto& x = *w.value();
  x.header("公司名称");
  x.header("预算（元）");
  x.header("备注");
  x.header("编号");
  ASSERT_TRUE(x.end_row().ok());
  std::vector<std::string> texts = {"华为技术（深圳）有限公司", "=HYPERLINK(\"http://x\",\"点\")", "+86 138", "@竞品",
                                    "line1\nline2", "tab\there", "a\rb", "_x0041_ literal", "𠀀 rare", "'=x"};
  for (size_t i = 0; i < texts.size(); i++) {
    x.text(texts[i]);
    x.money_fen(int64_t(i) * 100001 + 5);
    x.empty();
    x.integer(int64_t(i) + 1);
    ASSERT_TRUE(x.end_row().ok());
  }
  ASSERT_TRUE(x.close().ok());
  XlsxInfo info;
  auto t = read_xlsx(slurp(path), {}, &info);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(info.sheet, "客户");
  ASSERT_EQ(t->rows(), texts.size() + 1);
  EXPECT_EQ(t->text(0, 0), "公司名称");
  EXPECT_EQ(t->text(0, 1), "预算（元）");
  for (size_t i = 0; i < texts.size(); i++) {
    size_t r = i + 1;
    EXPECT_EQ(t->text(r, 0), texts[i]) << i;
    EXPECT_EQ(t->kind(r, 0), CellKind::Text) << "a formula-like text is a string cell: " << texts[i];
    EXPECT_EQ(t->kind(r, 1), CellKind::Number);
    EXPECT_EQ(t->text(r, 2), "");
    EXPECT_EQ(t->text(r, 3), std::to_string(i + 1));
    EXPECT_EQ(t->kind(r, 3), CellKind::Number);
    EXPECT_EQ(t->source_row(r), r + 1);
  }
  EXPECT_EQ(t->text(1, 1), "0.05");
}

TEST(IoXlsx, SharedInlineRichAndPhoneticStrings) {
  std::string shared =
      R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">)"
      R"(<si><t>公司名称</t></si><si><r><t>华为</t></r><r><rPr><b/></rPr><t xml:space="preserve">技术 </t></r><rPh><t>ホアウェイ</t></rPh></si>)"
      R"(<si><t>a&amp;b &lt;c&gt; _x000D_x</t></si></sst>)";
  std::string rows =
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>行内</t></is></c></row>)"
      R"(<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>42</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c>)"
      R"(<c r="E3" t="str"><f>A1&amp;"x"</f><v>cached</v></c><c r="F3" t="s"><v>2</v></c></row>)"
      R"(<row r="4"><c r="A4" s="1"/></row>)";
  auto t = read_xlsx(workbook(rows, shared));
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->rows(), 2u) << "a row of empty (styled) cells is no row";
  EXPECT_EQ(t->text(0, 0), "公司名称");
  EXPECT_EQ(t->text(0, 1), "");
  EXPECT_EQ(t->text(0, 2), "行内");
  EXPECT_EQ(t->source_row(1), 3u);
  EXPECT_EQ(t->text(1, 0), "华为技术 ");
  EXPECT_EQ(t->text(1, 1), "42");
  EXPECT_EQ(t->text(1, 2), "TRUE");
  EXPECT_EQ(t->kind(1, 2), CellKind::Bool);
  EXPECT_EQ(t->text(1, 3), "#N/A");
  EXPECT_EQ(t->text(1, 4), "cached") << "formulas are never evaluated: the cached value is read";
  EXPECT_EQ(t->text(1, 5), "a&b <c> \rx");
}

TEST(IoXlsx, WorkbookWithoutRelationshipsFallsBackToSheet1) {
  auto z = make_zip({{"xl/workbook.xml", kWorkbook},
                     {"xl/worksheets/sheet1.xml", sheet_xml(R"(<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>)")}});
  auto t = read_xlsx(z);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->text(0, 0), "x");
  EXPECT_EQ(t->text(0, 1), "1");
}

void expect_rejected(const Result<Table>& t, const std::string& needle) {
  ASSERT_FALSE(t.ok()) << "should be refused: " << needle;
  EXPECT_EQ(t.error().kind, Err::BadRequest);
  EXPECT_NE(t.error().message.find(needle), std::string::npos) << t.error().message;
}

TEST(IoXlsx, ZipBombsAreRefused) {
  // 5 MiB of one character compresses about 1000:1.
  std::string big = sheet_xml("<row><c t=\"inlineStr\"><is><t>" + std::string(5 << 20, 'a') + "</t></is></c></row>");
  auto z = make_zip({{"xl/workbook.xml", kWorkbook}, {"xl/worksheets/sheet1.xml", big}});
  EXPECT_LT(z.size(), 100000u);
  expect_rejected(read_xlsx(z), "zip bomb");
  XlsxLimits L;
  L.max_ratio = 1000000;
  L.max_total_uncompressed = 1 << 20;
  expect_rejected(read_xlsx(z, L), "too large when uncompressed");
}

TEST(IoXlsx, EntitiesAndDoctypesAreRefused) {
  std::string laughs =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">)"
      R"(<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>)";
  expect_rejected(read_xlsx(make_zip({{"xl/workbook.xml", kWorkbook}, {"xl/worksheets/sheet1.xml", laughs}})), "DOCTYPE");
  std::string xxe =
      R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>)";
  expect_rejected(read_xlsx(make_zip({{"xl/workbook.xml", kWorkbook}, {"xl/worksheets/sheet1.xml", xxe}})), "DOCTYPE");
  std::string undeclared = sheet_xml(R"(<row><c t="inlineStr"><is><t>&nope;</t></is></c></row>)");
  expect_rejected(read_xlsx(make_zip({{"xl/workbook.xml", kWorkbook}, {"xl/worksheets/sheet1.xml", undeclared}})), "XML error");
}

TEST(IoXlsx, HugeSharedStringTablesAreRefused) {
  std::string sst = "<sst>";
  for (int i = 0; i < 50; i++) sst += "<si><t>s" + std::to_string(i) + "</t></si>";
  sst += "</sst>";
  XlsxLimits L;
  L.max_shared_strings = 10;
  expect_rejected(read_xlsx(workbook("<row><c t=\"s\"><v>0</v></c></row>", sst), L), "more than 10 strings");
  L = {};
  L.max_shared_bytes = 64;
  expect_rejected(read_xlsx(workbook("<row><c t=\"s\"><v>0</v></c></row>", sst), L), "larger than");
  // One shared string used many times costs each time it is used.
  std::string rows;
  for (int i = 1; i <= 200; i++) rows += "<row r=\"" + std::to_string(i) + "\"><c t=\"s\"><v>0</v></c></row>";
  L = {};
  L.max_text_bytes = 100;
  expect_rejected(read_xlsx(workbook(rows, "<sst><si><t>0123456789</t></si></sst>"), L), "100 bytes of text");
  expect_rejected(read_xlsx(workbook("<row><c t=\"s\"><v>7</v></c></row>", sst.substr(0, 5) + "</sst>")), "out of range");
}

TEST(IoXlsx, MalformedSheetsAndZipsAreRefused) {
  expect_rejected(read_xlsx(workbook(R"(<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>)")),
                  "rows out of order");
  expect_rejected(read_xlsx(workbook(R"(<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>)")), "cells out of order");
  XlsxLimits L;
  L.max_columns = 5;
  expect_rejected(read_xlsx(workbook(R"(<row r="1"><c r="Z1"><v>1</v></c></row>)"), L), "too many columns");
  L = {};
  L.max_depth = 8;
  std::string deep;
  for (int i = 0; i < 20; i++) deep += "<x>";
  expect_rejected(read_xlsx(workbook(deep), L), "nested too deeply");
  expect_rejected(read_xlsx(workbook("<row><c><v>1</v></row>")), "XML error");

  std::string good = workbook("<row><c><v>1</v></c></row>");
  expect_rejected(read_xlsx(good.substr(0, good.size() / 2)), "broken zip");
  for (size_t i = 0; i < good.size(); i += 7) {  // any flipped byte: an answer, never a crash
    std::string flipped = good;
    flipped[i] ^= 0x55;
    (void)read_xlsx(flipped);
  }
  expect_rejected(read_xlsx(make_zip({{"hello.txt", "hi"}})), "workbook.xml is missing");
  expect_rejected(read_xlsx("PK\x03\x04" + std::string(100, '\0')), "broken zip");
  expect_rejected(read_xlsx("not a zip"), "not a zip");
}

}  // namespace
}  // namespace tj::io
