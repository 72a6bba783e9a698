// Time in Tiejun: instants are UTC Unix seconds (int64); calendar days are
// "YYYY-MM-DD" strings or day numbers (days since 1970-01-01). A TimeZone maps
// instants to local civil time using the system's IANA tz database
// (/usr/share/zoneinfo, TZif files). Unknown zone names are an error, not UTC.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tj {

using Instant = int64_t;  // seconds since the Unix epoch, UTC

struct CivilDate {
  int y = 1970, m = 1, d = 1;
  auto operator<=>(const CivilDate&) const = default;
};

int64_t days_from_civil(CivilDate c);        // 1970-01-01 -> 0
CivilDate civil_from_days(int64_t days);
int weekday(int64_t days);                   // ISO: Monday=1 .. Sunday=7
std::optional<CivilDate> parse_date(std::string_view s);   // strict "YYYY-MM-DD", validates the day
std::string format_date(CivilDate c);
// Strict ISO 8601 date-time with an offset ("Z" or "+08:00"); fractional seconds are truncated.
std::optional<Instant> parse_iso8601(std::string_view s);
std::string format_iso8601_utc(Instant t);   // "2026-11-27T01:02:03Z"

class TimeZone {
 public:
  // Loads a zone by IANA name ("Asia/Shanghai", "UTC", "America/New_York").
  // Returns nullptr for unknown or malformed names (no path traversal: names are validated).
  static std::shared_ptr<const TimeZone> load(const std::string& name);
  // Cached process-wide; thread-safe.
  static std::shared_ptr<const TimeZone> get(const std::string& name);

  const std::string& name() const { return name_; }
  int offset_at(Instant t) const;                 // seconds east of UTC at instant t
  int64_t local_day(Instant t) const;             // day number of t's local date
  std::string local_date(Instant t) const { return format_date(civil_from_days(local_day(t))); }
  std::string format_local(Instant t) const;      // "2026-11-27T09:02:03+08:00"
  // The UTC instant at which local day `day` starts (00:00 local, or the first
  // valid local time that day when a DST gap swallows midnight).
  Instant start_of_local_day(int64_t day) const;

 private:
  std::string name_;
  struct Transition { int64_t at; int offset; };
  std::vector<Transition> transitions_;  // sorted by at
  int initial_offset_ = 0;
  // POSIX TZ footer rule for instants after the last transition (e.g. "CST-8" or "EST5EDT,M3.2.0,M11.1.0").
  struct PosixRule;
  std::shared_ptr<PosixRule> footer_;
  friend struct TimeZoneLoader;
};

}  // namespace tj
