// Time in Tiejun: instants are UTC Unix seconds (int64); calendar days are
// "YYYY-MM-DD" strings or day numbers (days since 1970-01-01). Pure arithmetic only:
// the time zones (TimeZone, the system's IANA tz database through date/tz) are in
// src/tz/zone.h, above this layer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Pure helpers of local-time arithmetic (the zone lookup itself is I/O: src/tz/zone.h).
int64_t day_of(Instant t);         // floor(t / 86400): the UTC day number of t
int64_t second_of_day(Instant t);  // t - day_of(t) * 86400, in [0, 86400)
bool is_leap_year(int64_t y);
int days_in_month(int64_t y, int m);
// "YYYY-MM-DDTHH:MM:SS+hh:mm" for local day `day`, second of day `sod` and offset `offset`
// (seconds east of UTC; "+hh:mm:ss" when the offset has seconds).
std::string format_local_time(int64_t day, int64_t sod, int offset);

}  // namespace tj
