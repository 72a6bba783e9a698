// The server's one i18n mechanism: user-visible text by message key, each key with
// its zh-CN and English text (as web/src/strings.ts does for the UI), {name}
// placeholders filled from arguments. Each layer keeps its own catalogue of keys
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

// The text of key in the caller's language (zh-CN or English), placeholders filled;
// an unknown key comes back as itself (a bug a test shows, never a crash).
inline std::string text(const Catalog& c, std::string_view key, bool zh, const Args& args = {}) {
  auto it = c.find(key);
  if (it == c.end()) return fill(std::string(key), args);
  return fill(zh ? it->second.zh : it->second.en, args);
}

}  // namespace tj::i18n
