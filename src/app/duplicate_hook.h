// What happens when someone tries to create, rename into, import or claim into a company
// another rep owns (撞单, SPEC §3 and §7 `duplicate_attempt`): the ONE place the attempt is
// recorded. Today: an audit entry `duplicate_attempt` on the existing company (its owner and
// their managers see it in GET /api/v1/audit); notifications extend this function.
#pragma once
#include "app/internal.h"

namespace tj::detail {

// In the caller's write transaction. `company`: the existing company (owned, not by the
// actor); `attempted_name`: the name the actor tried; `via`: "create", "rename", "import" or "claim".
void on_duplicate_attempt(Tx& tx, const Actor& attempted_by, const Company& company, const std::string& attempted_name,
                          const char* via, Instant now);

}  // namespace tj::detail
