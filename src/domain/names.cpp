#include "domain/names.h"

#include "common/utf8.h"

#include <cstdint>
#include <vector>

namespace tj::names {

namespace {

// Spaces and punctuation: dropped from the key (ASCII ones are handled by the caller).
bool is_separator(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) ||      // Latin-1 spaces and punctuation (NBSP, «», ·, ...)
         cp == 0xD7 || cp == 0xF7 ||        // × ÷
         (cp >= 0x2000 && cp <= 0x206F) ||  // general punctuation: spaces, dashes, quotes, …
         (cp >= 0x3000 && cp <= 0x303F) ||  // CJK symbols and punctuation: 、。〈〉《》「」『』【】〔〕
         cp == 0x30FB ||                    // ・
         (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE6F) ||  // vertical, small forms
         (cp >= 0xFF5F && cp <= 0xFF65) ||  // ｟｠｡｢｣､･
         cp == 0xFEFF;                      // BOM / zero-width no-break space
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

// English legal forms at the end, as words (tokens lower-case, punctuation already split).
bool strip_english_form(std::vector<std::string>& words) {
  auto last_is = [&](size_t back, std::string_view w) {
    return words.size() > back && words[words.size() - 1 - back] == w;
  };
  if (words.size() < 2) return false;  // the name itself is never dropped
  if ((last_is(0, "ltd") || last_is(0, "limited")) && last_is(1, "co") && words.size() > 2) {
    words.resize(words.size() - 2);
    return true;
  }
  if (last_is(0, "ltd") || last_is(0, "limited") || last_is(0, "inc") || last_is(0, "corp") ||
      last_is(0, "incorporated") || last_is(0, "corporation")) {
    words.pop_back();
    return true;
  }
  return false;
}

}  // namespace

std::string company_key(std::string_view name) {
  // 1. Fold width and case; split into words at spaces and punctuation, remembering
  //    the ASCII word boundaries the English forms need.
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size();) {
    uint32_t cp = utf8::next(name, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z') cp += 32;
      bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
      if (!alnum) {
        if (!words.back().empty()) words.emplace_back();
        continue;
      }
      // An ASCII letter right after an ideograph starts a new word ("华为Inc" -> "华为", "inc").
      if (!words.back().empty() && static_cast<unsigned char>(words.back().back()) >= 0x80) words.emplace_back();
      words.back().push_back(char(cp));
      continue;
    }
    if (is_separator(cp) || cp == 0x3000) {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (!words.back().empty() && static_cast<unsigned char>(words.back().back()) < 0x80) words.emplace_back();
    utf8::put(words.back(), cp);
  }
  if (words.back().empty()) words.pop_back();
  // 2. English legal forms at the end (repeatedly: "Foo Inc. Co., Ltd.").
  while (strip_english_form(words)) {
  }
  std::string k;
  for (auto& w : words) k += w;
  // 3. Chinese legal forms: the long ones read as 有限公司 anywhere, then a trailing one dropped.
  static const std::string kShort = "有限公司";
  // (有限责任公司 first, so a mixed "股份有限责任公司" reads as 股份有限公司 and then as 有限公司)
  for (const std::string& longer : {std::string("有限责任公司"), std::string("股份有限公司")})
    for (size_t p = k.find(longer); p != std::string::npos; p = k.find(longer, p + kShort.size()))
      k.replace(p, longer.size(), kShort);
  if (ends_with(k, kShort) && k.size() > kShort.size()) k.resize(k.size() - kShort.size());
  return k;
}

}  // namespace tj::names
