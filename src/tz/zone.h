// Time zones: instants to local civil time by the system's IANA tz database, through Howard
// Hinnant's date/tz library (date::locate_zone; Debian's build reads /usr/share/zoneinfo).
// The lookup is I/O, so it lives here, above the pure domain layer (docs/decisions/
// 0004-time-zones-date-tz.md). Unknown zone names are an error, not UTC.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "domain/time.h"

namespace date {
class time_zone;
}

namespace tj {

class TimeZone {
 public:
  // Loads a zone by IANA name ("Asia/Shanghai", "UTC", "America/New_York").
  // Returns nullptr for unknown or malformed names (no path traversal: names are validated).
  static std::shared_ptr<const TimeZone> load(const std::string& name);
  // Cached process-wide; thread-safe.
  static std::shared_ptr<const TimeZone> get(const std::string& name);

  const std::string& name() const { return name_; }
  int offset_at(Instant t) const;      // seconds east of UTC at instant t
  int64_t local_day(Instant t) const;  // day number of t's local date
  std::string local_date(Instant t) const { return format_date(civil_from_days(local_day(t))); }
  std::string format_local(Instant t) const;  // "2026-11-27T09:02:03+08:00"
  // The UTC instant at which local day `day` starts (00:00 local, or the first
  // valid local time that day when a DST gap swallows midnight).
  Instant start_of_local_day(int64_t day) const;

  struct PosixRule;  // the TZif footer rule (zone.cpp)

 private:
  // Instants in (a, b] at which the offset may change, ascending.
  std::vector<Instant> changes_in(Instant a, Instant b) const;
  bool footer_applies(Instant t) const { return footer_ && t >= last_transition_; }

  std::string name_;
  const date::time_zone* zone_ = nullptr;    // owned by date's tz database, lives for the process
  Instant last_transition_ = 0;              // the start of the zone's last listed offset
  std::shared_ptr<const PosixRule> footer_;  // the rule after it, when the file has one
};

}  // namespace tj
