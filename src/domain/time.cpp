// Civil-date arithmetic, strict ISO 8601 parsing/formatting and a small TZif
// (RFC 8536) reader with POSIX TZ footer rules. libstdc++ 12 has no chrono
// tzdb, so zones are read directly from /usr/share/zoneinfo.
#include "domain/time.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <unordered_map>

namespace tj {

namespace {

constexpr int64_t kSecPerDay = 86400;
constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";
constexpr size_t kMaxZoneNameLen = 64;
constexpr size_t kMaxTzifBytes = 1 << 20;     // real files are a few KiB
constexpr int kMaxAbsOffset = 26 * 3600;        // sanity bound for UT offsets
// Instants beyond +-kInstantClamp (~317,000 years) are clamped before calendar
// arithmetic so that years stay within int and nothing overflows.
constexpr Instant kInstantClamp = 10'000'000'000'000LL;
constexpr int64_t kDayClamp = kInstantClamp / kSecPerDay;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

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

std::string format_offset(int off) {
  char sign = off < 0 ? '-' : '+';
  int a = off < 0 ? -off : off;
  char buf[16];
  if (a % 60 != 0) {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", sign, a / 3600, a / 60 % 60, a % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, a / 3600, a / 60 % 60);
  }
  return buf;
}

// "YYYY-MM-DDTHH:MM:SS" for local seconds `local` = day * 86400 + second of day.
std::string format_civil_time(int64_t day, int64_t sod) {
  CivilDate c = civil_from_days(day);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.y, c.m, c.d,
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60));
  return buf;
}

bool valid_zone_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxZoneNameLen) return false;
  if (name.front() == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    if (!(is_alpha(c) || is_digit(c) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  }
  return true;
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
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
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
// POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0"), used after the last transition.

struct TimeZone::PosixRule {
  struct DateRule {
    enum Kind { kJulian1, kJulian0, kMonthWeekDay } kind = kMonthWeekDay;
    int n = 0;              // Jn (1..365, no Feb 29) or n (0..365)
    int m = 0, w = 0, d = 0;  // Mm.w.d
    int time = 2 * 3600;    // local seconds after midnight, may be negative or > 24h
  };

  int std_offset = 0;  // seconds east of UTC
  int dst_offset = 0;
  bool has_dst = false;
  DateRule start, end;

  struct Change { Instant at; bool to_dst; };

  // Parses a POSIX TZ string; nullptr when malformed.
  static std::shared_ptr<PosixRule> parse(std::string_view s) {
    auto r = std::make_shared<PosixRule>();
    size_t pos = 0;
    int v = 0;
    if (!parse_name(s, pos) || !parse_hms(s, pos, 24, true, v)) return nullptr;
    r->std_offset = -v;  // POSIX offsets are positive west of Greenwich
    if (std::abs(r->std_offset) > kMaxAbsOffset) return nullptr;
    if (pos == s.size()) return r;
    if (!parse_name(s, pos)) return nullptr;
    r->has_dst = true;
    r->dst_offset = r->std_offset + 3600;
    if (pos < s.size() && s[pos] != ',') {
      if (!parse_hms(s, pos, 24, true, v)) return nullptr;
      r->dst_offset = -v;
    }
    if (std::abs(r->dst_offset) > kMaxAbsOffset) return nullptr;
    if (pos == s.size()) {
      // No rule given: POSIX leaves it implementation-defined; use the US rule.
      r->start = DateRule{DateRule::kMonthWeekDay, 0, 3, 2, 0, 2 * 3600};
      r->end = DateRule{DateRule::kMonthWeekDay, 0, 11, 1, 0, 2 * 3600};
      return r;
    }
    if (s[pos] != ',' || !parse_date_rule(s, ++pos, r->start)) return nullptr;
    if (pos >= s.size() || s[pos] != ',' || !parse_date_rule(s, ++pos, r->end)) return nullptr;
    if (pos != s.size()) return nullptr;
    return r;
  }

  int offset_at(Instant t) const {
    if (!has_dst) return std_offset;
    t = std::clamp(t, -kInstantClamp, kInstantClamp);
    const int y = civil_from_days(floor_div(t, kSecPerDay)).y;
    std::vector<Change> changes;
    for (int yy = y - 1; yy <= y + 1; ++yy) changes_in_year(yy, changes);
    std::sort(changes.begin(), changes.end(), change_less);
    bool dst = false;
    bool found = false;
    for (const Change& c : changes) {
      if (c.at > t) break;
      dst = c.to_dst;
      found = true;
    }
    if (!found) dst = !changes.front().to_dst;
    return dst ? dst_offset : std_offset;
  }

  // The two transitions (DST start and end) of year y, as UTC instants.
  void changes_in_year(int y, std::vector<Change>& out) const {
    if (!has_dst) return;
    // The start time is given in standard local time, the end time in DST local time.
    out.push_back({rule_day(start, y) * kSecPerDay + start.time - std_offset, true});
    out.push_back({rule_day(end, y) * kSecPerDay + end.time - dst_offset, false});
  }

  // Ties sort "end" before "start", which makes year-round DST strings such as
  // "EST5EDT,0/0,J365/25" come out as permanently DST.
  static bool change_less(const Change& a, const Change& b) {
    return a.at != b.at ? a.at < b.at : (!a.to_dst && b.to_dst);
  }

 private:
  static int64_t rule_day(const DateRule& r, int y) {
    const int64_t jan1 = days_from_civil({y, 1, 1});
    switch (r.kind) {
      case DateRule::kJulian1:  // Feb 29 is never counted
        return jan1 + (r.n - 1) + ((is_leap(y) && r.n >= 60) ? 1 : 0);
      case DateRule::kJulian0:
        return jan1 + r.n;
      case DateRule::kMonthWeekDay: {
        const int64_t first = days_from_civil({y, r.m, 1});
        const int wd_first = static_cast<int>(floor_mod(first + 4, 7));  // Sunday = 0
        int day = 1 + (r.d - wd_first + 7) % 7 + (r.w - 1) * 7;
        if (day > days_in_month(y, r.m)) day -= 7;  // w == 5 means "last"
        return first + day - 1;
      }
    }
    return jan1;
  }

  static bool parse_name(std::string_view s, size_t& pos) {
    if (pos < s.size() && s[pos] == '<') {
      size_t end = s.find('>', pos + 1);
      if (end == std::string_view::npos || end == pos + 1) return false;
      for (size_t i = pos + 1; i < end; ++i) {
        char c = s[i];
        if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-')) return false;
      }
      pos = end + 1;
      return true;
    }
    size_t start = pos;
    while (pos < s.size() && is_alpha(s[pos])) ++pos;
    return pos - start >= 3;
  }

  // [+-]hh[:mm[:ss]] with hh <= max_hours.
  static bool parse_hms(std::string_view s, size_t& pos, int max_hours, bool allow_sign, int& out) {
    int sign = 1;
    if (allow_sign && pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      if (s[pos] == '-') sign = -1;
      ++pos;
    }
    auto num = [&](int max_digits, int& v) {
      size_t start = pos;
      v = 0;
      while (pos < s.size() && is_digit(s[pos]) && pos - start < static_cast<size_t>(max_digits)) {
        v = v * 10 + (s[pos++] - '0');
      }
      return pos > start;
    };
    int h = 0, m = 0, sec = 0;
    if (!num(3, h) || h > max_hours) return false;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!num(2, m) || m > 59) return false;
      if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!num(2, sec) || sec > 59) return false;
      }
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  static bool parse_int(std::string_view s, size_t& pos, int max, int& out) {
    size_t start = pos;
    int v = 0;
    while (pos < s.size() && is_digit(s[pos]) && pos - start < 3) v = v * 10 + (s[pos++] - '0');
    if (pos == start || v > max) return false;
    out = v;
    return true;
  }

  static bool parse_date_rule(std::string_view s, size_t& pos, DateRule& r) {
    if (pos >= s.size()) return false;
    if (s[pos] == 'M') {
      ++pos;
      r.kind = DateRule::kMonthWeekDay;
      if (!parse_int(s, pos, 12, r.m) || r.m < 1) return false;
      if (pos >= s.size() || s[pos++] != '.') return false;
      if (!parse_int(s, pos, 5, r.w) || r.w < 1) return false;
      if (pos >= s.size() || s[pos++] != '.') return false;
      if (!parse_int(s, pos, 6, r.d)) return false;
    } else if (s[pos] == 'J') {
      ++pos;
      r.kind = DateRule::kJulian1;
      if (!parse_int(s, pos, 365, r.n) || r.n < 1) return false;
    } else {
      r.kind = DateRule::kJulian0;
      if (!parse_int(s, pos, 365, r.n)) return false;
    }
    r.time = 2 * 3600;
    if (pos < s.size() && s[pos] == '/') {
      ++pos;
      // RFC 8536 extends the POSIX time to -167..167 hours.
      if (!parse_hms(s, pos, 167, true, r.time)) return false;
    }
    return true;
  }
};

// ---------------------------------------------------------------------------
// TZif reader

struct TimeZoneLoader {
  struct Reader {
    const std::string& buf;
    size_t pos = 0;
    bool ok = true;
    bool need(size_t n) {
      if (!ok || buf.size() - pos < n) ok = false;
      return ok;
    }
    uint64_t be(size_t n) {
      if (!need(n)) return 0;
      uint64_t v = 0;
      for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(buf[pos + i]);
      pos += n;
      return v;
    }
    void skip(uint64_t n) {
      if (n > buf.size() - pos) ok = false;
      if (ok) pos += n;
    }
  };

  struct Header {
    int version = 0;
    uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
  };

  static bool read_header(Reader& r, Header& h) {
    if (!r.need(44) || r.buf.compare(r.pos, 4, "TZif") != 0) return false;
    const char v = r.buf[r.pos + 4];
    if (v == '\0') h.version = 1;
    else if (v >= '2' && v <= '9') h.version = v - '0';
    else return false;
    r.pos += 20;
    h.isutcnt = r.be(4);
    h.isstdcnt = r.be(4);
    h.leapcnt = r.be(4);
    h.timecnt = r.be(4);
    h.typecnt = r.be(4);
    h.charcnt = r.be(4);
    if (!r.ok || h.typecnt == 0 || h.typecnt > 256 || h.timecnt > 100000 || h.leapcnt > 10000 ||
        (h.isutcnt != 0 && h.isutcnt != h.typecnt) || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt)) {
      return false;
    }
    return true;
  }

  static size_t block_size(const Header& h, size_t time_size) {
    return h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt +
           h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt;
  }

  static std::shared_ptr<TimeZone> parse(const std::string& name, const std::string& buf) {
    Reader r{buf};
    Header h;
    if (!read_header(r, h)) return nullptr;
    size_t time_size = 4;
    if (h.version >= 2) {
      r.skip(block_size(h, 4));  // skip the v1 (32-bit) block
      if (!r.ok || !read_header(r, h) || h.version < 2) return nullptr;
      time_size = 8;
    }
    if (!r.need(block_size(h, time_size))) return nullptr;

    auto tz = std::make_shared<TimeZone>();
    tz->name_ = name;
    std::vector<int64_t> times(h.timecnt);
    for (auto& t : times) {
      const uint64_t raw = r.be(time_size);
      t = time_size == 4 ? static_cast<int64_t>(static_cast<int32_t>(raw)) : static_cast<int64_t>(raw);
    }
    std::vector<uint8_t> idx(h.timecnt);
    for (auto& i : idx) i = static_cast<uint8_t>(r.be(1));
    std::vector<int> offsets(h.typecnt);
    for (auto& off : offsets) {
      const int64_t utoff = static_cast<int32_t>(static_cast<uint32_t>(r.be(4)));
      const uint64_t isdst = r.be(1);
      const uint64_t desig = r.be(1);
      if (utoff < -kMaxAbsOffset || utoff > kMaxAbsOffset || isdst > 1 ||
          (desig >= h.charcnt && h.charcnt > 0)) {
        return nullptr;
      }
      off = static_cast<int>(utoff);
    }
    // Designations, leap-second records and the std/ut indicators are not needed.
    r.skip(h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
    if (!r.ok) return nullptr;

    tz->initial_offset_ = offsets[0];  // RFC 8536: type 0 applies before the first transition
    tz->transitions_.reserve(h.timecnt);
    for (size_t i = 0; i < h.timecnt; ++i) {
      if (idx[i] >= h.typecnt) return nullptr;
      if (i > 0 && times[i] <= times[i - 1]) return nullptr;
      tz->transitions_.push_back({times[i], offsets[idx[i]]});
    }

    if (h.version >= 2) {
      // Footer: "\n<POSIX TZ string>\n" (the string may be empty).
      if (r.pos >= buf.size() || buf[r.pos] != '\n') return nullptr;
      const size_t end = buf.find('\n', r.pos + 1);
      if (end == std::string::npos) return nullptr;
      const std::string_view footer(buf.data() + r.pos + 1, end - r.pos - 1);
      if (!footer.empty()) {
        tz->footer_ = TimeZone::PosixRule::parse(footer);
        if (!tz->footer_) return nullptr;
      }
    }
    return tz;
  }

  static bool footer_applies(const TimeZone& tz, Instant t) {
    return tz.footer_ && (tz.transitions_.empty() || t >= tz.transitions_.back().at);
  }

  // Instants in (a, b] at which the offset may change, ascending.
  static std::vector<Instant> changes_in(const TimeZone& tz, Instant a, Instant b) {
    std::vector<Instant> out;
    const auto& tr = tz.transitions_;
    auto it = std::upper_bound(tr.begin(), tr.end(), a,
                               [](Instant v, const TimeZone::Transition& x) { return v < x.at; });
    for (; it != tr.end() && it->at <= b; ++it) out.push_back(it->at);
    if (tz.footer_ && tz.footer_->has_dst) {
      const Instant lo = tr.empty() ? a : std::max(a, tr.back().at);
      if (lo < b) {
        std::vector<TimeZone::PosixRule::Change> ch;
        const int y0 = civil_from_days(floor_div(lo, kSecPerDay)).y;
        const int y1 = civil_from_days(floor_div(b, kSecPerDay)).y;
        for (int y = y0 - 1; y <= y1 + 1; ++y) tz.footer_->changes_in_year(y, ch);
        for (const auto& c : ch) {
          if (c.at > lo && c.at <= b) out.push_back(c.at);
        }
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
};

// ---------------------------------------------------------------------------
// TimeZone

std::shared_ptr<const TimeZone> TimeZone::load(const std::string& name) {
  if (!valid_zone_name(name)) return nullptr;
  std::ifstream in(kZoneInfoDir + name, std::ios::binary);
  if (!in) return nullptr;
  std::string buf;
  char chunk[4096];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    buf.append(chunk, static_cast<size_t>(in.gcount()));
    if (buf.size() > kMaxTzifBytes) return nullptr;
  }
  if (in.bad()) return nullptr;
  return TimeZoneLoader::parse(name, buf);
}

std::shared_ptr<const TimeZone> TimeZone::get(const std::string& name) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const TimeZone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  auto tz = load(name);
  // Failures are not cached: names may come from user input, so the cache
  // holds only real zones and stays bounded by the tz database.
  if (tz) cache.emplace(name, tz);
  return tz;
}

int TimeZone::offset_at(Instant t) const {
  if (TimeZoneLoader::footer_applies(*this, t)) return footer_->offset_at(t);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t,
                             [](Instant v, const Transition& x) { return v < x.at; });
  if (it == transitions_.begin()) return initial_offset_;
  return std::prev(it)->offset;
}

int64_t TimeZone::local_day(Instant t) const {
  // Split into day and second-of-day first so that t + offset cannot overflow.
  const int64_t sod = floor_mod(t, kSecPerDay) + offset_at(t);
  return floor_div(t, kSecPerDay) + floor_div(sod, kSecPerDay);
}

std::string TimeZone::format_local(Instant t) const {
  const int off = offset_at(t);
  const int64_t sod = floor_mod(t, kSecPerDay) + off;
  const int64_t day = floor_div(t, kSecPerDay) + floor_div(sod, kSecPerDay);
  return format_civil_time(day, floor_mod(sod, kSecPerDay)) + format_offset(off);
}

Instant TimeZone::start_of_local_day(int64_t day) const {
  day = std::clamp(day, -kDayClamp, kDayClamp);
  const Instant midnight = day * kSecPerDay;  // local midnight, as if the offset were 0
  // Offsets are bounded by +-26h, so the answer lies inside this window. Walk
  // the constant-offset segments in order and return the first instant whose
  // local time is >= midnight: either midnight itself (L - offset) or, when a
  // gap swallows midnight, the transition that ends the gap.
  const Instant a = midnight - 2 * kSecPerDay;
  const Instant b = midnight + 2 * kSecPerDay;
  const std::vector<Instant> changes = TimeZoneLoader::changes_in(*this, a, b);
  Instant seg_start = a;
  int off = offset_at(a);
  for (size_t i = 0; i <= changes.size(); ++i) {
    const Instant seg_end = i < changes.size() ? changes[i] : b + 1;
    if (seg_start + off >= midnight) return seg_start;
    if (midnight - off < seg_end) return midnight - off;
    if (i < changes.size()) {
      seg_start = changes[i];
      off = offset_at(seg_start);
    }
  }
  return midnight - off;  // unreachable with sane offsets
}

}  // namespace tj
