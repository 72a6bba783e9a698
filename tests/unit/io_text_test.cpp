// io/text.h: decoding, names, neutralisation, money.
#include <gtest/gtest.h>
#include <iconv.h>

#include "common/money.h"
#include "io/text.h"

namespace tj::io {
namespace {

std::string to_encoding(const std::string& utf8, const char* enc) {
  iconv_t cd = iconv_open(enc, "UTF-8");
  std::string out(utf8.size() * 4 + 8, '\0');
  char* ip = const_cast<char*>(utf8.data());
  size_t il = utf8.size();
  char* op = out.data();
  size_t ol = out.size();
  EXPECT_NE(iconv(cd, &ip, &il, &op, &ol), size_t(-1));
  iconv_close(cd);
  out.resize(out.size() - ol);
  return out;
}

TEST(IoText, DecodesUtf8Bom16AndGbk) {
  std::string text = "公司名称,行业\r\n华为技术有限公司,通信\r\n";
  auto d = decode_text(text);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->encoding, "utf-8");
  EXPECT_EQ(d->text, text);

  std::string with_bom = "\xEF\xBB\xBF" + text;  // the result points into its input
  auto b = decode_text(with_bom);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->encoding, "utf-8-bom");
  EXPECT_EQ(b->text, text);

  std::string gbk = to_encoding(text, "GBK");
  ASSERT_NE(gbk, text);
  auto g = decode_text(gbk);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->encoding, "gb18030");
  EXPECT_EQ(g->text, text);

  // GB18030 four-byte characters (beyond GBK) also come through.
  std::string rare = "𠀀公司,𡃁\n";
  auto r = decode_text(to_encoding(rare, "GB18030"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, rare);

  std::string u16 = "\xFF\xFE" + to_encoding(text, "UTF-16LE");
  auto u = decode_text(u16);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->encoding, "utf-16le");
  EXPECT_EQ(u->text, text);

  // A moved Decoded still points at its own text.
  Decoded moved = std::move(g.value());
  EXPECT_EQ(moved.text, text);
}

TEST(IoText, BadBytesAreA400WithTheLine) {
  std::string bad = "a,b\nc,d\n\x81\x20zz\n";  // 0x81 0x20 is not GB18030 either
  auto d = decode_text(bad);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, "invalid_encoding");
  EXPECT_NE(d.error().message.find("line 3"), std::string::npos) << d.error().message;
  auto b = decode_text("\xEF\xBB\xBF" "ok\n\xFF\xFE\xFD\n");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("line 2"), std::string::npos) << b.error().message;
}

TEST(IoText, CompanyKeyIgnoresWidthSpacesAndLlcVariants) {
  EXPECT_EQ(company_key("华为技术（深圳）有限责任公司"), company_key("华为技术(深圳)有限公司"));
  EXPECT_EQ(company_key(" 华为 技术 有限公司 "), company_key("华为技术有限公司"));
  EXPECT_EQ(company_key("ＡＢＣ科技有限公司"), company_key("abc科技有限公司"));
  EXPECT_EQ(company_key("ABC\xE3\x80\x80科技"), company_key("abc科技"));  // ideographic space
  // SPEC §3 (revised): the legal forms 有限公司 / 有限责任公司 / 股份有限公司 are all ignored
  EXPECT_EQ(company_key("华为技术有限公司"), company_key("华为技术股份有限公司"));
  EXPECT_NE(company_key("华为"), company_key("华为技术"));
  EXPECT_EQ(fold_width("Ｔｅｌ：１３８", false, false), "Tel:138");
}

TEST(IoText, TrimHandlesCjkAndNbspSpaces) {
  EXPECT_EQ(trim("  abc \t"), "abc");
  EXPECT_EQ(trim("\xE3\x80\x80公司\xC2\xA0"), "公司");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \xE3\x80\x80 "), "");
  EXPECT_EQ(trim("中"), "中");
}

TEST(IoText, NeutralisingRoundTripsEveryText) {
  for (std::string s : {"=1+2", "+86 138", "-5", "@竞品", "\tx", "\rx", "'=x", "''=x", "'", "''", "'abc", "abc", "",
                        "=", "华为", "'+", "a=b", "'\t", "\n=1"}) {
    std::string n = neutralise(s);
    EXPECT_EQ(unneutralise(n), s) << s;
    bool danger = !n.empty() && (n[0] == '=' || n[0] == '+' || n[0] == '-' || n[0] == '@' || n[0] == '\t' || n[0] == '\r');
    EXPECT_FALSE(danger) << "still dangerous: " << n;
  }
  EXPECT_EQ(neutralise("=1+2"), "'=1+2");
  EXPECT_EQ(neutralise("abc"), "abc");
  EXPECT_EQ(neutralise("'=x"), "''=x");
}

TEST(IoText, MoneyIsParsedExactlyToFen) {
  std::string why;
  auto m = [&](const char* s, int64_t unit = 100) { return parse_money(s, unit, why, int64_t(1e15)); };
  EXPECT_EQ(m("12345.67"), 1234567);
  EXPECT_EQ(m("12345"), 1234500);
  EXPECT_EQ(m("1,200,000"), 120000000);
  EXPECT_EQ(m("1,234.5"), 123450);
  EXPECT_EQ(m("￥800"), 80000);
  EXPECT_EQ(m("¥ 800"), 80000);
  EXPECT_EQ(m("50万"), 50000000);
  EXPECT_EQ(m("3.5万元"), 3500000);
  EXPECT_EQ(m("1200元"), 120000);
  EXPECT_EQ(m("1.2E+5"), 12000000);
  EXPECT_EQ(m("0.125"), 13);          // rounded half up to the fen
  EXPECT_EQ(m("0.124"), 12);
  EXPECT_EQ(m("12345.670000000001"), 1234567);  // a double's noise from a spreadsheet
  EXPECT_EQ(m("5", 1000000), 5000000);           // a header in 万元
  EXPECT_EQ(m("5", 1), 5);                       // a header in 分
  EXPECT_EQ(m("5元", 1000000), 500);             // the cell's unit wins
  EXPECT_EQ(m("0"), 0);
  for (auto bad : {"面议", "", "1,2", "12,3456", "1.2.3", "abc", "5万万", "1e", "--5", "10000000000000000"})
    EXPECT_FALSE(m(bad).has_value()) << bad;
  EXPECT_FALSE(m("-5").has_value());
  EXPECT_EQ(why, "must not be negative");
  EXPECT_EQ(money::fen_to_yuan(1234567), "12345.67");
  EXPECT_EQ(money::fen_to_yuan(5), "0.05");
  EXPECT_EQ(money::fen_to_yuan(0), "0.00");
  EXPECT_EQ(money::fen_to_yuan(-150), "-1.50");
  // fen -> yuan text -> fen is the identity
  for (int64_t f : {int64_t(0), int64_t(1), int64_t(99), int64_t(100), int64_t(123456789), int64_t(999999999999999)})
    EXPECT_EQ(m(money::fen_to_yuan(f).c_str()), f);
}

TEST(IoText, IntegersAndBooleans) {
  EXPECT_EQ(parse_integer("3"), 3);
  EXPECT_EQ(parse_integer(" 3.0 "), 3);
  EXPECT_FALSE(parse_integer("3.5").has_value());
  EXPECT_FALSE(parse_integer("前十").has_value());
  EXPECT_FALSE(parse_integer("-1").has_value());
  for (auto y : {"是", "Y", "yes", "TRUE", "1", "√", "ｙ"}) EXPECT_EQ(parse_bool(y), true) << y;
  for (auto n : {"否", "n", "No", "false", "0", "×"}) EXPECT_EQ(parse_bool(n), false) << n;
  EXPECT_FALSE(parse_bool("不确定").has_value());
  EXPECT_FALSE(parse_bool("").has_value());
}


}  // namespace
}  // namespace tj::io

namespace tj::io {
namespace {

// Issue 17, point 11: a formula start hidden behind what a spreadsheet strips, and the
// full-width forms, are neutralised too; the round trip still holds.
TEST(IoText, NeutralisesFullWidthAndInvisiblePrefixedFormulas) {
  const std::vector<std::string> hostile = {
      "\xEF\xBC\x9D" "1+2",                     // ＝1+2
      "\xEF\xBC\x8B" "86",                      // ＋86
      "\xEF\xBC\x8D" "5",                       // －5
      "\xEF\xBC\xA0" "SUM(A1)",                 // ＠SUM(A1)
      "\xE3\x80\x80=1+2",                       // U+3000 then =
      "\xC2\xA0=1+2",                           // NBSP then =
      "\xE2\x80\x8B=HYPERLINK(\"x\")",          // ZWSP then =
      "\xEF\xBB\xBF=1+2",                       // BOM then =
      " =1+2",                                  // a space then =
      "  \t@x",                                 // spaces then tab
      "\xE2\x80\x83\xE3\x80\x80\xEF\xBC\x9D" "1",  // em space, U+3000, ＝
      "'\xE3\x80\x80=x",                        // apostrophe, U+3000, =
      "\r=1", "\t=1", "\n=1"};
  for (auto& s : hostile) {
    EXPECT_TRUE(needs_neutralising(s)) << s;
    std::string n = neutralise(s);
    EXPECT_EQ(n, "'" + s) << s;
    EXPECT_EQ(unneutralise(n), s) << s;
  }
  for (std::string s : {"华为", "a=b", "\xE3\x80\x80公司", " abc", "\xC2\xA0x", "1+2", "\xEF\xBC\x9E" "x" /* ＞ */, ""}) {
    EXPECT_FALSE(needs_neutralising(s)) << s;
    EXPECT_EQ(neutralise(s), s);
    EXPECT_EQ(unneutralise(s), s);
  }
}

}  // namespace
}  // namespace tj::io
