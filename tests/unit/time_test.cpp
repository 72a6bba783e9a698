#include "domain/time.h"
#include "tz/zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace tj {
namespace {

Instant T(const char* s) {
  auto t = parse_iso8601(s);
  EXPECT_TRUE(t.has_value()) << s;
  return t.value_or(0);
}

int64_t D(const char* s) {
  auto d = parse_date(s);
  EXPECT_TRUE(d.has_value()) << s;
  return d ? days_from_civil(*d) : 0;
}

std::shared_ptr<const TimeZone> Zone(const std::string& name) {
  auto tz = TimeZone::load(name);
  EXPECT_NE(tz, nullptr) << name;
  return tz;
}

// ---------------------------------------------------------------------------
// Civil dates

TEST(CivilDate, DaysFromCivilKnownValues) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({1900, 1, 1}), -25567);
  EXPECT_EQ(civil_from_days(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(civil_from_days(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(civil_from_days(11017), (CivilDate{2000, 3, 1}));
}

TEST(CivilDate, RoundTripEveryDay1900To2200) {
  int64_t prev = days_from_civil({1899, 12, 31});
  for (int y = 1900; y <= 2200; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        std::string s = format_date({y, m, d});
        auto parsed = parse_date(s);
        if (!parsed) continue;  // 2026-02-30 and friends
        int64_t days = days_from_civil(*parsed);
        ASSERT_EQ(days, prev + 1) << s;
        ASSERT_EQ(civil_from_days(days), (CivilDate{y, m, d})) << s;
        prev = days;
      }
    }
  }
  EXPECT_EQ(prev, days_from_civil({2200, 12, 31}));
}

TEST(CivilDate, Weekday) {
  EXPECT_EQ(weekday(0), 4);                 // 1970-01-01 Thursday
  EXPECT_EQ(weekday(D("2024-01-01")), 1);   // Monday
  EXPECT_EQ(weekday(D("2026-11-27")), 5);   // Friday
  EXPECT_EQ(weekday(D("2026-11-29")), 7);   // Sunday
  EXPECT_EQ(weekday(D("1900-01-01")), 1);   // Monday
  EXPECT_EQ(weekday(-1), 3);                // 1969-12-31 Wednesday
}

TEST(ParseDate, AcceptsValidDates) {
  EXPECT_EQ(parse_date("2026-11-27"), (CivilDate{2026, 11, 27}));
  EXPECT_EQ(parse_date("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(parse_date("2000-02-29"), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(parse_date("1900-01-01"), (CivilDate{1900, 1, 1}));
  EXPECT_EQ(parse_date("2200-12-31"), (CivilDate{2200, 12, 31}));
}

TEST(ParseDate, RejectsInvalidDates) {
  for (const char* s : {"2100-02-29", "2026-02-29", "1900-02-29", "2026-02-30", "2026-04-31",
                        "2026-2-3", "2026-02-3", "2026-02-03x", " 2026-02-03", "2026-02-03 ",
                        "1899-12-31", "2201-01-01", "2026-13-01", "2026-00-10", "2026-01-00",
                        "2026/01/01", "+026-01-01", "2026-0a-01", "", "20260203",
                        "2026-02-03T00:00Z"}) {
    EXPECT_FALSE(parse_date(s).has_value()) << s;
  }
}

TEST(FormatDate, ZeroPads) {
  EXPECT_EQ(format_date({2026, 2, 3}), "2026-02-03");
  EXPECT_EQ(format_date({1900, 12, 31}), "1900-12-31");
}

// ---------------------------------------------------------------------------
// ISO 8601

TEST(Iso8601, ParsesOffsetsAndSeparators) {
  const Instant expect = days_from_civil({2026, 11, 27}) * 86400 + 1 * 3600 + 2 * 60 + 3;
  EXPECT_EQ(parse_iso8601("2026-11-27T01:02:03Z"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-27 01:02:03Z"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:02:03+08:00"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:02:03+0800"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-26T20:02:03-05:00"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-26T19:17:03-0545"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-27T01:02:03.999Z"), expect);  // truncated
  EXPECT_EQ(parse_iso8601("2026-11-27T01:02:03.5+00:00"), expect);
  EXPECT_EQ(parse_iso8601("2026-11-27T01:02Z"), expect - 3);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:02+08:00"), expect - 3);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601("1969-12-31T23:59:59Z"), -1);
}

TEST(Iso8601, RejectsMalformed) {
  for (const char* s :
       {"2026-11-27T01:02:03", "2026-11-27T01:02", "2026-11-27", "2026-11-27T", "",
        "2026-11-27t01:02:03Z", "2026-11-27T1:02:03Z", "2026-11-27T01:2:03Z",
        "2026-11-27T24:00:00Z", "2026-11-27T01:60:00Z", "2026-11-27T01:02:60Z",
        "2026-11-27T01:02:03.Z", "2026-11-27T01:02:03+08", "2026-11-27T01:02:03+8:00",
        "2026-11-27T01:02:03+08:0", "2026-11-27T01:02:03+08:60", "2026-11-27T01:02:03+24:00",
        "2026-11-27T01:02:03Zx", "2026-11-27T01:02:03+08:00 ", "2026-11-27T01:02:03z",
        "2026-02-30T01:02:03Z", "2026-2-27T01:02:03Z", "2026-11-27T01:02:03 Z",
        "2026-11-27T01:02:03.1234567890Z", "2026-11-27T01:02.5Z", "2026-11-27T01:02:03UTC"}) {
    EXPECT_FALSE(parse_iso8601(s).has_value()) << s;
  }
}

TEST(Iso8601, FormatUtc) {
  EXPECT_EQ(format_iso8601_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_iso8601_utc(T("2026-11-27T09:02:03+08:00")), "2026-11-27T01:02:03Z");
}

TEST(Iso8601, RoundTrips) {
  for (const char* s : {"2026-11-27T01:02:03Z", "2024-02-29T23:59:59Z", "1900-01-01T00:00:00Z",
                        "2200-12-31T23:59:59Z", "1969-12-31T23:59:59Z"}) {
    EXPECT_EQ(format_iso8601_utc(T(s)), s);
  }
  std::mt19937_64 rng(7);
  const Instant lo = T("1900-01-02T00:00:00Z"), hi = T("2200-12-30T00:00:00Z");
  auto ny = Zone("America/New_York");
  auto sh = Zone("Asia/Shanghai");
  auto ktm = Zone("Asia/Kathmandu");
  ASSERT_TRUE(ny && sh && ktm);
  for (int i = 0; i < 20000; ++i) {
    const Instant t = lo + static_cast<Instant>(rng() % static_cast<uint64_t>(hi - lo));
    ASSERT_EQ(parse_iso8601(format_iso8601_utc(t)), t);
    // Modern offsets are whole minutes, so local renderings parse back too.
    if (t >= T("1950-01-01T00:00:00Z")) {
      ASSERT_EQ(parse_iso8601(ny->format_local(t)), t) << ny->format_local(t);
      ASSERT_EQ(parse_iso8601(sh->format_local(t)), t) << sh->format_local(t);
      ASSERT_EQ(parse_iso8601(ktm->format_local(t)), t) << ktm->format_local(t);
    }
  }
}

// ---------------------------------------------------------------------------
// Time zones

TEST(TimeZone, Shanghai) {
  auto tz = Zone("Asia/Shanghai");
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->name(), "Asia/Shanghai");
  EXPECT_EQ(tz->offset_at(T("2026-11-27T12:00:00Z")), 8 * 3600);
  EXPECT_EQ(tz->format_local(T("2026-11-27T01:02:03Z")), "2026-11-27T09:02:03+08:00");
  // A visit at 23:30 local is that day; at 00:30 local it is the next day.
  EXPECT_EQ(tz->local_date(T("2026-11-27T23:30:00+08:00")), "2026-11-27");
  EXPECT_EQ(tz->local_date(T("2026-11-27T15:30:00Z")), "2026-11-27");
  EXPECT_EQ(tz->local_date(T("2026-11-28T00:30:00+08:00")), "2026-11-28");
  EXPECT_EQ(tz->local_date(T("2026-11-27T16:30:00Z")), "2026-11-28");
  EXPECT_EQ(tz->local_day(T("2026-11-27T23:30:00+08:00")), D("2026-11-27"));
  EXPECT_EQ(tz->start_of_local_day(D("2026-11-27")), T("2026-11-26T16:00:00Z"));
  EXPECT_EQ(tz->local_day(tz->start_of_local_day(D("2026-11-27")) - 1), D("2026-11-26"));
  // China observed DST 1986-1991.
  EXPECT_EQ(tz->offset_at(T("1988-07-01T00:00:00Z")), 9 * 3600);
}

TEST(TimeZone, Utc) {
  for (const char* name : {"UTC", "Etc/UTC"}) {
    auto tz = Zone(name);
    ASSERT_TRUE(tz);
    for (Instant t : {T("1900-01-01T00:00:00Z"), T("2026-11-27T23:59:59Z"), T("2199-06-30T12:00:00Z")}) {
      EXPECT_EQ(tz->offset_at(t), 0);
    }
    EXPECT_EQ(tz->format_local(T("2026-11-27T01:02:03Z")), "2026-11-27T01:02:03+00:00");
    EXPECT_EQ(tz->start_of_local_day(D("2026-11-27")), D("2026-11-27") * 86400);
    EXPECT_EQ(tz->local_date(T("2026-11-27T23:59:59Z")), "2026-11-27");
  }
}

TEST(TimeZone, FixedOffsetFooterOnlyZone) {
  auto tz = Zone("Etc/GMT+5");  // POSIX sign convention: 5 hours *west*
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->offset_at(T("2026-01-01T00:00:00Z")), -5 * 3600);
  EXPECT_EQ(tz->format_local(T("2026-01-01T00:00:00Z")), "2025-12-31T19:00:00-05:00");
}

TEST(TimeZone, NewYorkSpringForward) {
  auto tz = Zone("America/New_York");
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->offset_at(T("2026-03-08T06:59:59Z")), -5 * 3600);
  EXPECT_EQ(tz->offset_at(T("2026-03-08T07:00:00Z")), -4 * 3600);
  EXPECT_EQ(tz->format_local(T("2026-03-08T06:59:59Z")), "2026-03-08T01:59:59-05:00");
  EXPECT_EQ(tz->format_local(T("2026-03-08T07:00:00Z")), "2026-03-08T03:00:00-04:00");
  const Instant start = tz->start_of_local_day(D("2026-03-08"));
  const Instant next = tz->start_of_local_day(D("2026-03-09"));
  EXPECT_EQ(start, T("2026-03-08T00:00:00-05:00"));
  EXPECT_EQ(next, T("2026-03-09T00:00:00-04:00"));
  EXPECT_EQ(next - start, 23 * 3600);
}

TEST(TimeZone, NewYorkFallBack) {
  auto tz = Zone("America/New_York");
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->offset_at(T("2026-11-01T05:59:59Z")), -4 * 3600);
  EXPECT_EQ(tz->offset_at(T("2026-11-01T06:00:00Z")), -5 * 3600);
  // 01:30 happens twice.
  EXPECT_EQ(tz->format_local(T("2026-11-01T05:30:00Z")), "2026-11-01T01:30:00-04:00");
  EXPECT_EQ(tz->format_local(T("2026-11-01T06:30:00Z")), "2026-11-01T01:30:00-05:00");
  EXPECT_EQ(tz->local_date(T("2026-11-01T03:30:00Z")), "2026-10-31");
  EXPECT_EQ(tz->local_date(T("2026-11-01T04:30:00Z")), "2026-11-01");
  const Instant start = tz->start_of_local_day(D("2026-11-01"));
  const Instant next = tz->start_of_local_day(D("2026-11-02"));
  EXPECT_EQ(start, T("2026-11-01T04:00:00Z"));
  EXPECT_EQ(next, T("2026-11-02T05:00:00Z"));
  EXPECT_EQ(next - start, 25 * 3600);
}

TEST(TimeZone, SaoPauloMidnightGap) {
  auto tz = Zone("America/Sao_Paulo");
  ASSERT_TRUE(tz);
  // DST began 2018-11-04: 00:00 local jumped to 01:00, so midnight never happened.
  const Instant start = tz->start_of_local_day(D("2018-11-04"));
  EXPECT_EQ(start, T("2018-11-04T03:00:00Z"));
  EXPECT_EQ(tz->format_local(start), "2018-11-04T01:00:00-02:00");
  EXPECT_EQ(tz->format_local(start - 1), "2018-11-03T23:59:59-03:00");
  EXPECT_EQ(tz->local_date(start), "2018-11-04");
  EXPECT_EQ(tz->local_date(start - 1), "2018-11-03");
  EXPECT_EQ(tz->start_of_local_day(D("2018-11-05")) - start, 23 * 3600);
  // DST ended 2019-02-17 00:00 -02 -> 2019-02-16 23:00 -03: the 16th lasted 25 hours.
  const Instant s16 = tz->start_of_local_day(D("2019-02-16"));
  const Instant s17 = tz->start_of_local_day(D("2019-02-17"));
  EXPECT_EQ(s16, T("2019-02-16T00:00:00-02:00"));
  EXPECT_EQ(s17, T("2019-02-17T00:00:00-03:00"));
  EXPECT_EQ(s17 - s16, 25 * 3600);
  EXPECT_EQ(tz->local_date(T("2019-02-17T02:30:00Z")), "2019-02-16");  // second 23:30
  // Brazil abolished DST in 2019.
  EXPECT_EQ(tz->offset_at(T("2026-01-15T12:00:00Z")), -3 * 3600);
  EXPECT_EQ(tz->offset_at(T("2150-01-15T12:00:00Z")), -3 * 3600);
}

TEST(TimeZone, London) {
  auto tz = Zone("Europe/London");
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->offset_at(T("2026-03-29T00:59:59Z")), 0);
  EXPECT_EQ(tz->offset_at(T("2026-03-29T01:00:00Z")), 3600);
  EXPECT_EQ(tz->format_local(T("2026-03-29T01:00:00Z")), "2026-03-29T02:00:00+01:00");
  EXPECT_EQ(tz->offset_at(T("2026-10-25T00:59:59Z")), 3600);
  EXPECT_EQ(tz->offset_at(T("2026-10-25T01:00:00Z")), 0);
  EXPECT_EQ(tz->start_of_local_day(D("2026-07-01")), T("2026-06-30T23:00:00Z"));
  EXPECT_EQ(tz->local_date(T("2026-06-30T23:30:00Z")), "2026-07-01");
  EXPECT_EQ(tz->start_of_local_day(D("2026-12-01")), T("2026-12-01T00:00:00Z"));
}

TEST(TimeZone, FarFutureUsesFooterRule) {
  auto ny = Zone("America/New_York");  // EST5EDT,M3.2.0,M11.1.0
  ASSERT_TRUE(ny);
  EXPECT_EQ(ny->offset_at(T("2100-03-14T06:59:59Z")), -5 * 3600);
  EXPECT_EQ(ny->offset_at(T("2100-03-14T07:00:00Z")), -4 * 3600);
  EXPECT_EQ(ny->offset_at(T("2100-11-07T05:59:59Z")), -4 * 3600);
  EXPECT_EQ(ny->offset_at(T("2100-11-07T06:00:00Z")), -5 * 3600);
  EXPECT_EQ(ny->offset_at(T("2200-07-01T12:00:00Z")), -4 * 3600);
  EXPECT_EQ(ny->offset_at(T("2200-01-15T12:00:00Z")), -5 * 3600);
  EXPECT_EQ(ny->start_of_local_day(D("2100-11-07")), T("2100-11-07T04:00:00Z"));
  EXPECT_EQ(ny->start_of_local_day(D("2100-11-08")), T("2100-11-08T05:00:00Z"));

  auto paris = Zone("Europe/Paris");  // CET-1CEST,M3.5.0,M10.5.0/3
  ASSERT_TRUE(paris);
  EXPECT_EQ(paris->offset_at(T("2100-03-28T00:59:59Z")), 3600);
  EXPECT_EQ(paris->offset_at(T("2100-03-28T01:00:00Z")), 7200);
  EXPECT_EQ(paris->format_local(T("2100-03-28T01:00:00Z")), "2100-03-28T03:00:00+02:00");
  EXPECT_EQ(paris->offset_at(T("2100-10-31T00:59:59Z")), 7200);
  EXPECT_EQ(paris->offset_at(T("2100-10-31T01:00:00Z")), 3600);

  auto sydney = Zone("Australia/Sydney");  // southern hemisphere: DST spans new year
  ASSERT_TRUE(sydney);
  EXPECT_EQ(sydney->offset_at(T("2150-01-01T00:00:00Z")), 11 * 3600);
  EXPECT_EQ(sydney->offset_at(T("2150-07-01T00:00:00Z")), 10 * 3600);
  EXPECT_EQ(sydney->local_date(T("2150-12-31T13:30:00Z")), "2151-01-01");

  auto nuuk = Zone("America/Nuuk");  // <-02>2<-01>,M3.5.0/-1,M10.5.0/0 (negative time)
  ASSERT_TRUE(nuuk);
  EXPECT_EQ(nuuk->offset_at(T("2100-03-28T00:59:59Z")), -2 * 3600);
  EXPECT_EQ(nuuk->offset_at(T("2100-03-28T01:00:00Z")), -1 * 3600);
  EXPECT_EQ(nuuk->offset_at(T("2100-10-31T00:59:59Z")), -1 * 3600);
  EXPECT_EQ(nuuk->offset_at(T("2100-10-31T01:00:00Z")), -2 * 3600);

  auto ktm = Zone("Asia/Kathmandu");  // <+0545>-5:45
  ASSERT_TRUE(ktm);
  EXPECT_EQ(ktm->format_local(T("2150-01-01T00:00:00Z")), "2150-01-01T05:45:00+05:45");
  EXPECT_EQ(ktm->start_of_local_day(D("2150-01-01")), T("2149-12-31T18:15:00Z"));

  auto sh = Zone("Asia/Shanghai");  // CST-8
  ASSERT_TRUE(sh);
  EXPECT_EQ(sh->format_local(T("2200-12-31T16:00:00Z")), "2201-01-01T00:00:00+08:00");
}

TEST(TimeZone, SkippedDay) {
  // Samoa skipped 2011-12-30 entirely (-10 -> +14): the day has zero length.
  auto tz = Zone("Pacific/Apia");
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->local_date(T("2011-12-30T09:59:59Z")), "2011-12-29");
  EXPECT_EQ(tz->local_date(T("2011-12-30T10:00:00Z")), "2011-12-31");
  EXPECT_EQ(tz->start_of_local_day(D("2011-12-30")), T("2011-12-30T10:00:00Z"));
  EXPECT_EQ(tz->start_of_local_day(D("2011-12-31")), T("2011-12-30T10:00:00Z"));
}

TEST(TimeZone, StartOfLocalDayIsFirstInstantOfDay) {
  for (const char* name : {"America/New_York", "America/Sao_Paulo", "Europe/London",
                           "Asia/Shanghai", "Australia/Lord_Howe", "America/Havana"}) {
    auto tz = Zone(name);
    ASSERT_TRUE(tz);
    for (int64_t d = D("1970-01-01"); d <= D("2100-12-31"); d += 1) {
      const Instant s = tz->start_of_local_day(d);
      ASSERT_EQ(tz->local_day(s), d) << name << " " << format_date(civil_from_days(d));
      ASSERT_LT(tz->local_day(s - 1), d) << name << " " << format_date(civil_from_days(d));
    }
  }
}

// glibc reads the same TZif files, so its localtime_r is an independent oracle.
TEST(TimeZone, MatchesGlibcLocaltime) {
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz ? old_tz : "";
  std::mt19937_64 rng(11);
  const Instant lo = T("1900-01-01T00:00:00Z"), hi = T("2200-12-31T00:00:00Z");
  for (const char* name : {"America/New_York", "America/Sao_Paulo", "Europe/London",
                           "Asia/Shanghai", "Australia/Sydney", "Asia/Kathmandu", "America/Nuuk",
                           "Africa/Casablanca", "Pacific/Apia", "Asia/Tehran", "UTC"}) {
    auto tz = Zone(name);
    ASSERT_TRUE(tz);
    setenv("TZ", (std::string(":") + name).c_str(), 1);
    tzset();
    for (int i = 0; i < 20000; ++i) {
      const Instant t = lo + static_cast<Instant>(rng() % static_cast<uint64_t>(hi - lo));
      const time_t tt = static_cast<time_t>(t);
      struct tm tm {};
      ASSERT_NE(localtime_r(&tt, &tm), nullptr);
      ASSERT_EQ(tz->offset_at(t), tm.tm_gmtoff) << name << " " << format_iso8601_utc(t);
    }
  }
  if (old_tz) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
}

TEST(TimeZone, RejectsInvalidNames) {
  for (const char* name :
       {"../etc/passwd", "", "Nope/Nowhere", "/etc/passwd", "Asia/../UTC", "..", "Asia",
        "zone.tab", "tzdata.zi", "UTC ", "Asia/Shanghai\n", "Asia\\Shanghai", "~root",
        "Europe/London;rm", "asia/shanghai"}) {
    EXPECT_EQ(TimeZone::load(name), nullptr) << name;
    EXPECT_EQ(TimeZone::get(name), nullptr) << name;
  }
  EXPECT_EQ(TimeZone::load(std::string("UTC\0x", 5)), nullptr);
  EXPECT_EQ(TimeZone::load(std::string(65, 'A')), nullptr);
}

TEST(TimeZone, GetCachesAndIsThreadSafe) {
  auto a = TimeZone::get("Europe/London");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(TimeZone::get("Europe/London"), a);
  EXPECT_EQ(TimeZone::get("Nope/Nowhere"), nullptr);

  const std::vector<std::string> names = {"Asia/Tokyo", "America/Chicago", "Europe/Berlin",
                                          "Asia/Kolkata"};
  std::vector<std::vector<const TimeZone*>> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) {
        for (const auto& n : names) seen[i].push_back(TimeZone::get(n).get());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < seen.size(); ++i) {
    for (size_t k = 0; k < seen[i].size(); ++k) {
      ASSERT_NE(seen[i][k], nullptr);
      ASSERT_EQ(seen[i][k], seen[0][k]);
    }
  }
}

}  // namespace
}  // namespace tj
