// common/utf8.h, common/hex.h, common/money.h: the one home of these helpers.
#include <gtest/gtest.h>

#include "common/hex.h"
#include "common/money.h"
#include "common/utf8.h"

namespace tj {
namespace {

TEST(Utf8, Valid) {
  EXPECT_TRUE(utf8::valid("abc 中文 𠀀"));
  EXPECT_TRUE(utf8::valid(""));
  EXPECT_TRUE(utf8::valid(std::string_view("a\0b", 3)));  // NUL is a character; callers refuse it
  EXPECT_TRUE(utf8::valid("an ASCII run longer than eight bytes, then 中"));
  EXPECT_FALSE(utf8::valid("\xC0\x80"));              // overlong
  EXPECT_FALSE(utf8::valid("\xE0\x80\xAF"));          // overlong, 3 bytes
  EXPECT_FALSE(utf8::valid("\xED\xA0\x80"));          // surrogate
  EXPECT_FALSE(utf8::valid("\xF4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(utf8::valid("\xE4\xB8"));              // truncated
  EXPECT_FALSE(utf8::valid("abcdefgh\x80"));          // a lone continuation after the fast path
  EXPECT_FALSE(utf8::valid("\xFF"));
}

TEST(Utf8, LengthAndCuts) {
  EXPECT_EQ(utf8::length("中文ab"), 4u);
  EXPECT_EQ(utf8::length(""), 0u);
  EXPECT_EQ(utf8::length("𠀀"), 1u);
  std::string s = "ab中文";  // a b then two 3-byte characters
  EXPECT_EQ(utf8::floor_boundary(s, 3), 2u);
  EXPECT_EQ(utf8::floor_boundary(s, 5), 5u);
  EXPECT_EQ(utf8::floor_boundary(s, 99), s.size());
  EXPECT_EQ(utf8::prefix_bytes(s, 3), 5u);
  EXPECT_EQ(utf8::prefix_bytes(s, 0), 0u);
  EXPECT_EQ(utf8::prefix_bytes(s, 10), s.size());
  EXPECT_EQ(utf8::cut_bytes(s, 5), "ab中…");
  EXPECT_EQ(utf8::cut_bytes(s, 4), "ab…");  // never half a character
  EXPECT_EQ(utf8::cut_bytes(s, 3), "ab…");
  EXPECT_EQ(utf8::cut_bytes(s, 8), s);  // fits: no ellipsis
}

TEST(Utf8, DecodeEncodeRoundTrip) {
  for (uint32_t cp : {0x41u, 0x7Fu, 0x80u, 0xA0u, 0x7FFu, 0x800u, 0x3000u, 0xFFFFu, 0x10000u, 0x20000u, 0x10FFFFu}) {
    std::string s;
    utf8::put(s, cp);
    EXPECT_TRUE(utf8::valid(s)) << cp;
    size_t i = 0;
    EXPECT_EQ(utf8::next(s, i), cp);
    EXPECT_EQ(i, s.size());
  }
  // lenient: an invalid or truncated sequence yields its lead byte alone
  std::string bad = "\xE4\x41";
  size_t i = 0;
  EXPECT_EQ(utf8::next(bad, i), 0xE4u);
  EXPECT_EQ(i, 1u);
  EXPECT_EQ(utf8::next(bad, i), 0x41u);
  std::string cut = "\xE4\xB8";
  i = 0;
  EXPECT_EQ(utf8::next(cut, i), 0xE4u);
  EXPECT_EQ(i, 1u);
}

TEST(Hex, DigitsAndEncode) {
  EXPECT_EQ(hex::digit('0'), 0);
  EXPECT_EQ(hex::digit('9'), 9);
  EXPECT_EQ(hex::digit('a'), 10);
  EXPECT_EQ(hex::digit('F'), 15);
  for (char c : {'g', 'G', ' ', '%', '\0', '/', ':', '@', '`'}) EXPECT_EQ(hex::digit(c), -1) << int(c);
  const unsigned char b[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(hex::encode(b, sizeof b), "000fa5ff");
  std::string s;
  hex::put_byte(s, 0x1f);
  EXPECT_EQ(s, "1f");
  // every byte survives encode -> digit pairs
  for (int v = 0; v < 256; v++) {
    std::string h;
    hex::put_byte(h, static_cast<unsigned char>(v));
    EXPECT_EQ(hex::digit(h[0]) * 16 + hex::digit(h[1]), v);
  }
}

TEST(Money, FenToYuan) {
  EXPECT_EQ(money::fen_to_yuan(1234567), "12345.67");
  EXPECT_EQ(money::fen_to_yuan(5), "0.05");
  EXPECT_EQ(money::fen_to_yuan(0), "0.00");
  EXPECT_EQ(money::fen_to_yuan(-150), "-1.50");
  EXPECT_EQ(money::fen_to_yuan(INT64_MIN), "-92233720368547758.08");
  EXPECT_EQ(money::fen_to_yuan(INT64_MAX), "92233720368547758.07");
}

TEST(Money, YuanGrouped) {
  EXPECT_EQ(money::yuan_grouped(0), "0");
  EXPECT_EQ(money::yuan_grouped(99), "0");  // whole yuan, toward zero
  EXPECT_EQ(money::yuan_grouped(100000), "1,000");
  EXPECT_EQ(money::yuan_grouped(123456700), "1,234,567");
  EXPECT_EQ(money::yuan_grouped(12345600), "123,456");
  EXPECT_EQ(money::yuan_grouped(-12345600), "-123,456");
  EXPECT_EQ(money::yuan_grouped(-100000), "-1,000");
}

}  // namespace
}  // namespace tj

#include "common/i18n.h"

namespace tj {
namespace {

TEST(I18n, TextByKeyInTheCallersLanguage) {
  const i18n::Catalog c = {{"hello", {"你好，{name}！", "Hello, {name}!"}}, {"plain", {"是", "yes"}}};
  EXPECT_EQ(i18n::text(c, "hello", true, {{"name", "王伟"}}), "你好，王伟！");
  EXPECT_EQ(i18n::text(c, "hello", false, {{"name", "Wang"}}), "Hello, Wang!");
  EXPECT_EQ(i18n::text(c, "plain", false), "yes");
  EXPECT_EQ(i18n::text(c, "missing_key", true), "missing_key");  // a bug a test shows, not a crash
}

TEST(I18n, FillIsOnePassAndLeavesUnknownPlaceholders) {
  EXPECT_EQ(i18n::fill("{a} and {b}", {{"a", "{b}"}, {"b", "B"}}), "{b} and B");  // an argument is never re-read
  EXPECT_EQ(i18n::fill("{a}{a}", {{"a", "x"}}), "xx");
  EXPECT_EQ(i18n::fill("{unknown} {a", {{"a", "x"}}), "{unknown} {a");
  EXPECT_EQ(i18n::fill("no placeholders", {}), "no placeholders");
}

}  // namespace
}  // namespace tj
