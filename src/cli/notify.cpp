// tiejun jobs remind --at INSTANT: the scheduled notifications (SPEC §7) due at
// that instant, as `tiejun serve` sends them every minute. Each runs once a day
// per organisation whatever the instant, so a replay cannot send twice.
#include <iostream>

#include "app/app.h"
#include "cli/commands.h"

namespace tj::cli {

int jobs_remind(const std::string& db, const std::string& at) {
  Instant t = 0;
  SystemClock clock;
  if (at.empty()) {
    t = clock.now();
  } else {
    auto p = parse_iso8601(at);
    if (!p) {
      std::cerr << "tiejun: --at must be ISO 8601, e.g. 2026-12-07T09:31:00+08:00\n";
      return 2;
    }
    t = *p;
  }
  auto store = open_migrated(db);
  if (!store) return 1;
  App app(*store, clock);
  return print_answer(app.run_reminders(t));
}

}  // namespace tj::cli
