// Money is integer fen (1 yuan = 100 fen). The one home for writing it as text.
#pragma once
#include <cstdint>
#include <string>

namespace tj::money {

// Exact yuan with two decimals: 1234567 -> "12345.67", -150 -> "-1.50".
inline std::string fen_to_yuan(int64_t fen) {
  bool neg = fen < 0;
  uint64_t a = neg ? uint64_t(-(fen + 1)) + 1 : uint64_t(fen);
  std::string s = std::to_string(a / 100);
  unsigned r = unsigned(a % 100);
  s.push_back('.');
  s.push_back(char('0' + r / 10));
  s.push_back(char('0' + r % 10));
  return neg ? "-" + s : s;
}

// Whole yuan (fen / 100, toward zero) grouped by thousands: 123456700 -> "1,234,567".
inline std::string yuan_grouped(int64_t fen) {
  std::string s = std::to_string(fen / 100);
  std::string out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (n && n % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    n++;
  }
  return out;
}

}  // namespace tj::money
