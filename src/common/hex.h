// Hexadecimal digits: the one home for decoding them (percent escapes, OOXML
// _xHHHH_ escapes) and for writing bytes as lower-case hex.
#pragma once
#include <cstddef>
#include <string>

namespace tj::hex {

// The value of one hex digit (either case), or -1.
inline int digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline constexpr const char* kLower = "0123456789abcdef";

// Appends one byte as two lower-case hex digits.
inline void put_byte(std::string& out, unsigned char b) {
  out += kLower[b >> 4];
  out += kLower[b & 15];
}

// Lower-case hex of n bytes.
inline std::string encode(const unsigned char* p, size_t n) {
  std::string s;
  s.reserve(n * 2);
  for (size_t i = 0; i < n; i++) put_byte(s, p[i]);
  return s;
}

}  // namespace tj::hex
