// Civil-date arithmetic and strict ISO 8601 parsing/formatting: pure, no I/O.
// Time zones are src/tz/zone.cpp (date/tz; docs/decisions/0004-time-zones-date-tz.md).
#include "domain/time.h"

#include <array>
#include <cstdio>

namespace tj {

namespace {

constexpr int64_t kSecPerDay = 86400;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_days(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos..pos+n); false if any is not a digit.
bool read_digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// Writes v as exactly `width` decimal digits (v >= 0, fits) at p; returns the end.
char* put_digits(char* p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = char('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

std::string format_offset(int off) {
  char sign = off < 0 ? '-' : '+';
  int a = off < 0 ? -off : off;
  char buf[16];
  char* p = buf;
  *p++ = sign;
  p = put_digits(p, a / 3600 % 100, 2);
  *p++ = ':';
  p = put_digits(p, a / 60 % 60, 2);
  if (a % 60 != 0) {
    *p++ = ':';
    p = put_digits(p, a % 60, 2);
  }
  return std::string(buf, p);
}

// "YYYY-MM-DDTHH:MM:SS" for local seconds `local` = day * 86400 + second of day. (Digits are
// written by hand: snprintf was most of formatting a time, which every answer does many times.)
std::string format_civil_time(int64_t day, int64_t sod) {
  CivilDate c = civil_from_days(day);
  if (c.y < 0 || c.y > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.y, c.m, c.d, static_cast<int>(sod / 3600),
                  static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
    return buf;
  }
  char buf[19];
  char* p = put_digits(buf, c.y, 4);
  *p++ = '-';
  p = put_digits(p, c.m, 2);
  *p++ = '-';
  p = put_digits(p, c.d, 2);
  *p++ = 'T';
  p = put_digits(p, sod / 3600, 2);
  *p++ = ':';
  p = put_digits(p, sod / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, sod % 60, 2);
  return std::string(buf, p);
}

}  // namespace

// ---------------------------------------------------------------------------
// Civil dates

int64_t days_from_civil(CivilDate c) {
  // Howard Hinnant's days_from_civil (public domain).
  int64_t y = static_cast<int64_t>(c.y) - (c.m <= 2 ? 1 : 0);
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;                                   // [0, 399]
  const int64_t mp = (c.m + 9) % 12;                                   // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + c.d - 1;                    // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t days) {
  // Howard Hinnant's civil_from_days (public domain).
  days += 719468;
  const int64_t era = floor_div(days, 146097);
  const int64_t doe = days - era * 146097;                                    // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), m, d};
}

int weekday(int64_t days) {
  // 1970-01-01 was a Thursday (ISO 4).
  return static_cast<int>(floor_mod(days + 3, 7)) + 1;
}

std::optional<CivilDate> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > month_days(y, m)) {
    return std::nullopt;
  }
  return CivilDate{y, m, d};
}

std::string format_date(CivilDate c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

std::optional<Instant> parse_iso8601(std::string_view s) {
  if (s.size() < 16) return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date) return std::nullopt;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  int hh = 0, mi = 0, ss = 0;
  if (!read_digits(s, 11, 2, hh) || s[13] != ':' || !read_digits(s, 14, 2, mi)) return std::nullopt;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!read_digits(s, pos + 1, 2, ss)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && is_digit(s[pos])) ++pos;
      if (pos == start || pos - start > 9) return std::nullopt;  // truncated, not rounded
    }
  }
  if (hh > 23 || mi > 59 || ss > 59) return std::nullopt;
  if (pos >= s.size()) return std::nullopt;  // the offset is mandatory
  int offset = 0;
  if (s[pos] == 'Z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!read_digits(s, pos + 1, 2, oh)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!read_digits(s, pos, 2, om)) return std::nullopt;
    pos += 2;
    if (oh > 23 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return days_from_civil(*date) * kSecPerDay + hh * 3600 + mi * 60 + ss - offset;
}

std::string format_iso8601_utc(Instant t) {
  return format_civil_time(floor_div(t, kSecPerDay), floor_mod(t, kSecPerDay)) + "Z";
}

// ---------------------------------------------------------------------------
// Helpers of local-time arithmetic (src/tz/zone.cpp)

int64_t day_of(Instant t) { return floor_div(t, kSecPerDay); }
int64_t second_of_day(Instant t) { return floor_mod(t, kSecPerDay); }
bool is_leap_year(int64_t y) { return is_leap(y); }
int days_in_month(int64_t y, int m) { return month_days(y, m); }
std::string format_local_time(int64_t day, int64_t sod, int offset) {
  return format_civil_time(day, sod) + format_offset(offset);
}

}  // namespace tj
