// UTF-8 helpers, the one home for them: decoding and encoding code points,
// strict validation, counting characters and cutting at a character boundary.
// Header-only and dependency-free (common is below every other layer).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tj::utf8 {

// A continuation byte (10xxxxxx): never the start of a character.
inline bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Decodes one code point at s[i] and advances i. Lenient: an invalid or
// truncated sequence yields its lead byte alone, as a code point of that value.
inline uint32_t next(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (size_t k = 1; k < len; k++) {
    unsigned char t = static_cast<unsigned char>(s[i + k]);
    if (!is_continuation(t)) {  // not a continuation byte: take the lead byte alone
      len = 1;
      cp = c;
      break;
    }
    cp = (cp << 6) | (t & 0x3Fu);
  }
  i += len;
  return cp;
}

// Appends the UTF-8 encoding of cp.
inline void put(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

// Strict: well-formed UTF-8 with no overlong form, surrogate or code point above
// U+10FFFF. NUL is a valid character here (callers that refuse it say so).
inline bool valid(std::string_view s) {
  size_t i = 0, n = s.size();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    // ASCII fast path, 8 bytes at a time
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || i + len > n) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
      unsigned char cc = p[i + k];
      if (!is_continuation(cc)) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// Characters (bytes that start one) in s.
inline size_t length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if (!is_continuation(c)) n++;
  return n;
}

// The largest n' <= n at which s may be cut without splitting a character.
inline size_t floor_boundary(std::string_view s, size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && is_continuation(static_cast<unsigned char>(s[n]))) n--;
  return n;
}

// Bytes taken by the first `chars` characters of s (all of s if it has fewer).
inline size_t prefix_bytes(std::string_view s, size_t chars) {
  size_t i = 0, c = 0;
  for (; i < s.size(); i++)
    if (!is_continuation(static_cast<unsigned char>(s[i])) && ++c > chars) break;
  return i;
}

// s cut to at most max_bytes at a character boundary, with "…" appended when cut.
inline std::string cut_bytes(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  return std::string(s.substr(0, floor_boundary(s, max_bytes))) + "…";
}

}  // namespace tj::utf8
