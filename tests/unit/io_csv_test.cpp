// io/csv.h: reading what Excel and WPS write, writing what Excel reads.
#include <gtest/gtest.h>

#include <sstream>

#include "io/csv.h"
#include "io/sheet.h"
#include "io/text.h"

namespace tj::io {
namespace {

std::vector<std::vector<std::string>> cells(const Table& t) {
  std::vector<std::vector<std::string>> out;
  for (size_t r = 0; r < t.rows(); r++) {
    out.emplace_back();
    for (size_t c = 0; c < t.cols(r); c++) out.back().emplace_back(t.text(r, c));
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(IoCsv, SniffsTheDelimiterExcelUsed) {
  EXPECT_EQ(sniff_delimiter("a,b,c\n1,2,3\n"), ',');
  EXPECT_EQ(sniff_delimiter("a;b;c\n1;2,5;3\n"), ';');  // German/French Excel
  EXPECT_EQ(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), '\t');
  EXPECT_EQ(sniff_delimiter("a|b\n1|2\n"), '|');
  EXPECT_EQ(sniff_delimiter("\"x;y\",b\n\"1;2\",3\n"), ',');  // delimiters inside quotes do not count
  EXPECT_EQ(sniff_delimiter("name\nA\n"), ',');                // one column: comma
}

TEST(IoCsv, QuotedFieldsNewlinesAndDoubledQuotes) {
  std::string text = "公司名称,备注\r\n\"华为,技术\",\"第一行\r\n第二行\"\r\n\"说\"\"好\"\"的\",x\r\n";
  CsvInfo info;
  auto t = read_csv(text, 0, {}, &info);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(info.delimiter, ',');
  EXPECT_EQ(cells(*t), (Rows{{"公司名称", "备注"}, {"华为,技术", "第一行\r\n第二行"}, {"说\"好\"的", "x"}}));
  EXPECT_EQ(t->source_row(1), 2u);
  EXPECT_EQ(t->source_row(2), 3u);  // a record is one row even across lines
}

TEST(IoCsv, LineEndingsAndTrailingDelimiter) {
  for (std::string nl : {"\n", "\r\n", "\r"}) {
    auto t = read_csv("a,b" + nl + "1," + nl + "2,3", ',');
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(cells(*t), (Rows{{"a", "b"}, {"1", ""}, {"2", "3"}})) << int(nl[0]);
  }
  auto t = read_csv("a,b\n1,2,\n", ',');
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(cells(*t), (Rows{{"a", "b"}, {"1", "2", ""}}));
}

TEST(IoCsv, ExcelSepLine) {
  CsvInfo info;
  auto t = read_csv("sep=;\r\na;b\r\n1;2\r\n", 0, {}, &info);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(info.sep_line);
  EXPECT_EQ(info.delimiter, ';');
  EXPECT_EQ(cells(*t), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(IoCsv, TextAfterAClosingQuoteIsKeptAsExcelDoes) {
  auto t = read_csv("\"ab\"cd,e\n", ',');
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(cells(*t), (Rows{{"abcd", "e"}}));
  auto u = read_csv("a\"b,c\n", ',');  // a quote inside an unquoted field is a character
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(cells(*u), (Rows{{"a\"b", "c"}}));
}

TEST(IoCsv, BadFilesAreClear400s) {
  auto t = read_csv("a,b\n1,\"open\n2,3\n", ',');
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "invalid_csv");
  EXPECT_NE(t.error().message.find("line 2"), std::string::npos) << t.error().message;

  auto z = read_csv(std::string("a,b\n1,\0x\n", 9), ',');
  ASSERT_FALSE(z.ok());
  EXPECT_NE(z.error().message.find("NUL"), std::string::npos);

  CsvLimits L;
  L.max_columns = 3;
  auto c = read_csv("a,b,c,d\n", ',', L);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("columns"), std::string::npos);

  L = {};
  L.max_field_bytes = 10;
  auto f = read_csv("\"" + std::string(20, 'x') + "\"\n", ',', L);
  ASSERT_FALSE(f.ok());
  auto g = read_csv(std::string(20, 'x') + "\n", ',', L);
  ASSERT_FALSE(g.ok());

  L = {};
  L.max_rows = 2;
  EXPECT_FALSE(read_csv("a\nb\nc\n", ',', L).ok());
  L.max_bytes = 4;
  auto big = read_csv("a,b,c\n", ',', L);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, Err::TooLarge);
}

TEST(IoCsv, WriterQuotesNeutralisesAndRoundTrips) {
  std::vector<std::string> texts = {"华为", "a,b", "say \"hi\"", "line1\r\nline2", "=1+2", "+86 138", "-", "@x",
                                    "'=x", "", "普通文本"};
  std::ostringstream out;
  CsvWriter w(out);
  for (auto& s : texts) w.text(s);
  w.number(-5);
  w.number("12345.67");
  w.end_row();
  std::string csv = out.str();
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  EXPECT_NE(csv.find(",'=1+2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",-5,12345.67\r\n"), std::string::npos) << "numbers stay numbers: " << csv;
  EXPECT_EQ(csv.find(",=1"), std::string::npos);

  auto d = decode_text(csv);
  ASSERT_TRUE(d.ok());
  auto t = read_csv(d->text);
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->rows(), 1u);
  ASSERT_EQ(t->cols(0), texts.size() + 2);
  for (size_t i = 0; i < texts.size(); i++) EXPECT_EQ(unneutralise(t->text(0, i)), texts[i]) << i;
  EXPECT_EQ(t->text(0, texts.size()), "-5");
}

TEST(IoCsv, ReadTableTellsCsvFromXlsxByContent) {
  ReadInfo info;
  auto t = read_table("公司名称;行业\n华为;通信\n", {}, &info);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(info.format, "csv");
  EXPECT_EQ(info.delimiter, ';');
  EXPECT_EQ(t->rows(), 2u);
  EXPECT_FALSE(read_table("", {}, &info).ok());
  auto x = read_table("PK\x03\x04garbage", {}, &info);
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.error().code, "invalid_xlsx");
  auto o = read_table(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "old xls", {}, &info);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, "unsupported_file");
}

}  // namespace
}  // namespace tj::io

namespace tj::io {
namespace {

// Issue 17, point 11: every delimiter a spreadsheet or the importer may split on is quoted
// (; is Excel's list separator in many locales), and the neutralised texts read back.
TEST(IoCsv, WriterQuotesEveryDelimiterAndNeutralisesHiddenFormulas) {
  std::vector<std::string> texts = {"a;b", "a\tb", "a|b", "a,b", "x\ry", "x\ny", "say \"hi\"", "plain",
                                    "\xEF\xBC\x9D" "1+2", "\xE3\x80\x80=1+2", "\xC2\xA0=1", "\xE2\x80\x8B@x",
                                    "\xEF\xBB\xBF-1", " =cmd", "=A1;B1", "\xEF\xBC\x8B" "86;138"};
  std::ostringstream out;
  CsvWriter w(out);
  for (auto& s : texts) w.text(s);
  w.end_row();
  std::string csv = out.str().substr(3);
  // each of the first seven cells is quoted, and the plain one is not
  EXPECT_EQ(csv.rfind("\"a;b\",\"a\tb\",\"a|b\",\"a,b\",\"x\ry\",\"x\ny\",\"say \"\"hi\"\"\",plain,", 0), 0u) << csv;
  EXPECT_NE(csv.find(",'\xEF\xBC\x9D" "1+2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'\xE3\x80\x80=1+2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",\"'=A1;B1\","), std::string::npos) << csv;
  // whatever delimiter a reader picks, no cell starts a formula: every cell of every split
  for (char d : {',', ';', '\t', '|'}) {
    auto t = read_csv(csv, d);
    ASSERT_TRUE(t.ok()) << d;
    for (size_t c = 0; c < t->cols(0); c++) {
      std::string cell(t->text(0, c));
      if (cell.empty()) continue;
      EXPECT_FALSE(cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@') << int(d) << ": " << cell;
    }
  }
  // and with the comma it was written with, every text reads back exactly
  auto t = read_csv(csv, ',');
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->cols(0), texts.size());
  for (size_t i = 0; i < texts.size(); i++) EXPECT_EQ(unneutralise(t->text(0, i)), texts[i]) << i;
}

}  // namespace
}  // namespace tj::io
