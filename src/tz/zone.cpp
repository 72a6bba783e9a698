// TimeZone through date/tz (docs/decisions/0004-time-zones-date-tz.md). date::locate_zone
// finds the zone in the system tz database and its transitions answer every instant up to the
// last one the file lists (2037 for most zones in Debian's tzdata). Debian's date 3.0.1 in
// its OS-database mode ignores the TZif footer after that (it would keep New York on EST
// in the summer of 2100), and its Posix::time_zone (date/ptz.h) does not compile as C++20
// with libstdc++ 12, puts "M3.2.0" of 2100 on March 7 and refuses the negative rule times
// of RFC 8536 ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", America/Nuuk). So the footer's POSIX
// rule is read here, from the last line of the same file, and evaluated by PosixRule below.
#include "tz/zone.h"

#include <date/tz.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace tj {

namespace {

constexpr int64_t kSecPerDay = 86400;
constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";  // where Debian's date/tz reads too
constexpr size_t kMaxZoneNameLen = 64;
constexpr size_t kMaxTzifBytes = 1 << 20;  // real files are a few KiB
constexpr int kMaxAbsOffset = 26 * 3600;   // sanity bound for UT offsets
// Instants beyond +-kInstantClamp (~317,000 years) are clamped before calendar
// arithmetic so that years stay within int and nothing overflows.
constexpr Instant kInstantClamp = 10'000'000'000'000LL;
constexpr int64_t kDayClamp = kInstantClamp / kSecPerDay;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// IANA names only: no absolute path, no "..", no file name with a dot (zone.tab, tzdata.zi).
bool valid_zone_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxZoneNameLen) return false;
  if (name.front() == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    if (!(is_alpha(c) || is_digit(c) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  }
  return true;
}

// The TZif footer: the last line of a version 2+ file, "\n<POSIX TZ string>\n" (may be empty).
std::optional<std::string> read_footer(const std::string& name) {
  std::ifstream in(kZoneInfoDir + name, std::ios::binary);
  if (!in) return std::nullopt;
  std::string buf;
  char chunk[4096];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    buf.append(chunk, static_cast<size_t>(in.gcount()));
    if (buf.size() > kMaxTzifBytes) return std::nullopt;
  }
  if (in.bad() || buf.size() < 5 || buf.compare(0, 4, "TZif") != 0) return std::nullopt;
  if (buf[4] == '\0' || buf.back() != '\n') return std::string();  // version 1: no footer
  const size_t nl = buf.rfind('\n', buf.size() - 2);
  if (nl == std::string::npos) return std::nullopt;
  return buf.substr(nl + 1, buf.size() - nl - 2);
}

}  // namespace

// ---------------------------------------------------------------------------
// POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0"), used after the last transition.

struct TimeZone::PosixRule {
  struct DateRule {
    enum Kind { kJulian1, kJulian0, kMonthWeekDay } kind = kMonthWeekDay;
    int n = 0;                // Jn (1..365, no Feb 29) or n (0..365)
    int m = 0, w = 0, d = 0;  // Mm.w.d
    int time = 2 * 3600;      // local seconds after midnight, may be negative or > 24h
  };

  int std_offset = 0;  // seconds east of UTC
  int dst_offset = 0;
  bool has_dst = false;
  DateRule start, end;

  struct Change {
    Instant at;
    bool to_dst;
  };

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
    const int y = civil_from_days(day_of(t)).y;
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
        return jan1 + (r.n - 1) + ((is_leap_year(y) && r.n >= 60) ? 1 : 0);
      case DateRule::kJulian0: return jan1 + r.n;
      case DateRule::kMonthWeekDay: {
        const int64_t first = days_from_civil({y, r.m, 1});
        const int wd_first = static_cast<int>(((first + 4) % 7 + 7) % 7);  // Sunday = 0
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
// TimeZone

std::shared_ptr<const TimeZone> TimeZone::load(const std::string& name) {
  if (!valid_zone_name(name)) return nullptr;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(name);
  } catch (const std::exception&) {  // not in the database (date throws std::runtime_error)
    return nullptr;
  }
  auto footer = read_footer(name);
  if (!footer) return nullptr;
  auto tz = std::make_shared<TimeZone>();
  tz->name_ = name;
  tz->zone_ = zone;
  if (!footer->empty()) {
    tz->footer_ = PosixRule::parse(*footer);
    if (!tz->footer_) return nullptr;
  }
  // The last listed offset: the segment that reaches the end of time.
  const auto last = zone->get_info(date::sys_seconds{std::chrono::seconds{kInstantClamp}});
  tz->last_transition_ = last.begin.time_since_epoch().count();
  return tz;
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
  t = std::clamp(t, -kInstantClamp, kInstantClamp);
  if (footer_applies(t)) return footer_->offset_at(t);
  return static_cast<int>(zone_->get_info(date::sys_seconds{std::chrono::seconds{t}}).offset.count());
}

std::vector<Instant> TimeZone::changes_in(Instant a, Instant b) const {
  std::vector<Instant> out;
  // the listed transitions, from date/tz
  Instant t = a;
  while (t < b && !footer_applies(t)) {
    const auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{t}});
    const Instant end = info.end.time_since_epoch().count();
    if (end > b || end <= t) break;
    out.push_back(end);
    t = end;
  }
  // then the footer's rule
  if (footer_ && footer_->has_dst) {
    const Instant lo = std::max(a, last_transition_);
    if (lo < b) {
      std::vector<PosixRule::Change> ch;
      const int y0 = civil_from_days(day_of(lo)).y;
      const int y1 = civil_from_days(day_of(b)).y;
      for (int y = y0 - 1; y <= y1 + 1; ++y) footer_->changes_in_year(y, ch);
      for (const auto& c : ch) {
        if (c.at > lo && c.at <= b) out.push_back(c.at);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int64_t TimeZone::local_day(Instant t) const {
  // Split into day and second-of-day first so that t + offset cannot overflow.
  const int64_t sod = second_of_day(t) + offset_at(t);
  return day_of(t) + day_of(sod);
}

std::string TimeZone::format_local(Instant t) const {
  const int off = offset_at(t);
  const int64_t sod = second_of_day(t) + off;
  return format_local_time(day_of(t) + day_of(sod), second_of_day(sod), off);
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
  const std::vector<Instant> changes = changes_in(a, b);
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
