#include "app/duplicate_hook.h"

#include "app/notify.h"

namespace tj::detail {

void on_duplicate_attempt(Tx& tx, const Actor& attempted_by, const Company& company, const std::string& attempted_name,
                          const char* via, Instant now) {
  audit(tx, attempted_by, now, "duplicate_attempt", "company", company.id, nullptr,
        json{{"attempted_name", attempted_name},
             {"attempted_by", attempted_by.user.id},
             {"attempted_by_name", attempted_by.user.display_name},
             {"owner_id", company.owner_id ? json(*company.owner_id) : json(nullptr)},
             {"via", via}});
  // The owner's bell and the team's channels taking duplicate_attempt (SPEC §7).
  notify::notify_duplicate_attempt(tx, attempted_by.org(), company, attempted_by.user, now);
}

}  // namespace tj::detail
