// The server's one i18n mechanism: user-visible text by message key, each key with
// its zh-CN and English text (as web/src/strings.ts does for the UI), {name}
// placeholders filled from arguments. Code picks a language only through these
// functions: no inline zh-or-English literals (a text stored in both languages, as a
// verdict's message_zh/message_en, is picked with pick()). Each layer keeps its own catalogue of keys
// (method/method.cpp: the verdicts; app/messages.cpp: the app's texts) and reads it
// through i18n::text.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tj::i18n {

struct Text {
  std::string zh, en;
};
using Catalog = std::map<std::string, Text, std::less<>>;
using Args = std::vector<std::pair<std::string, std::string>>;

// Replaces each {name} of the template s with its argument, in one pass: text an
// argument brings in (a company called "{owner}") is never read as a placeholder.
// A {name} with no argument stays as it is.
inline std::string fill(const std::string& s, const Args& args) {
  if (args.empty()) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '{') {
      size_t close = s.find('}', i + 1);
      if (close != std::string::npos) {
        std::string_view name(s.data() + i + 1, close - i - 1);
        const std::string* value = nullptr;
        for (auto& [k, v] : args)
          if (k == name) {
            value = &v;
            break;
          }
        if (value) {
          out += *value;
          i = close + 1;
          continue;
        }
      }
    }
    out += s[i++];
  }
  return out;
}

// The text of key in the caller's language, or nullptr when the catalogue has no such key
// (for lookups by a code that may be unknown: an alert kind, a style key).
inline const std::string* find(const Catalog& c, std::string_view key, bool zh) {
  auto it = c.find(key);
  if (it == c.end()) return nullptr;
  return zh ? &it->second.zh : &it->second.en;
}

// The text of key in the caller's language (zh-CN or English), placeholders filled;
// an unknown key comes back as itself (a bug a test shows, never a crash).
inline std::string text(const Catalog& c, std::string_view key, bool zh, const Args& args = {}) {
  const std::string* t = find(c, key, zh);
  return fill(t ? *t : std::string(key), args);
}

// One of a text already held in both languages (a stored notification's stage_zh /
// stage_en, a verdict's message_zh / message_en): the caller's.
inline const std::string& pick(bool zh, const std::string& zh_text, const std::string& en_text) {
  return zh ? zh_text : en_text;
}

}  // namespace tj::i18n
