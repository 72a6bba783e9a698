#include "common/redact.h"

#include <array>

namespace tj {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

constexpr std::array<std::string_view, 8> kSecretKeys = {"password", "passwd", "pwd", "secret", "token", "key",
                                                         "sslpassword", "access_token"};

// Length of the secret key ending right before text[eq] ('='), or 0 when the
// word before '=' is not one of kSecretKeys.
size_t secret_key_before(std::string_view text, size_t eq) {
  size_t b = eq;
  while (b > 0 && text[b - 1] == ' ') --b;  // conninfo allows "password = x"
  size_t e = b;
  while (b > 0 && is_key_char(text[b - 1])) --b;
  if (b == e) return 0;
  std::string key;
  for (size_t i = b; i < e; ++i) key += lower(text[i]);
  for (auto k : kSecretKeys)
    if (key == k) return e - b;
  return 0;
}

}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // scheme://user:password@host -> scheme://user:***@host
    if (text.compare(i, 3, "://") == 0) {
      out.append("://");
      i += 3;
      size_t end = i;
      while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '?' && text[end] != '#' &&
             text[end] != '"' && text[end] != '\'')
        ++end;
      std::string_view authority = text.substr(i, end - i);
      size_t at = authority.rfind('@');
      if (at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        size_t colon = userinfo.find(':');
        if (colon != std::string_view::npos) {
          out.append(userinfo.substr(0, colon));
          out.append(":***");
        } else {
          out.append(userinfo);
        }
        out.append(authority.substr(at));
      } else {
        out.append(authority);
      }
      i = end;
      continue;
    }
    // key=value with a secret key -> key=***
    if (text[i] == '=' && secret_key_before(text, i) > 0) {
      out += '=';
      ++i;
      while (i < text.size() && text[i] == ' ') out += text[i++];
      if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        char q = text[i];
        size_t j = i + 1;
        while (j < text.size() && text[j] != q) {
          if (text[j] == '\\' && j + 1 < text.size()) ++j;
          ++j;
        }
        out += q;
        out += "***";
        if (j < text.size()) out += q;
        i = j < text.size() ? j + 1 : j;
      } else {
        while (i < text.size() && text[i] != ' ' && text[i] != '&' && text[i] != ';' && text[i] != ',') ++i;
        out += "***";
      }
      continue;
    }
    out += text[i++];
  }
  return out;
}

}  // namespace tj
