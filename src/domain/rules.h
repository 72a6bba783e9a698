// The qualification rule at the heart of the method (SPEC §3), as pure functions.
// A visit updates a company's need / budget / payer-met facts; a new company
// becomes effective the first time all three hold; a deal makes it signed.
// Manual status changes are checked here; an illegal one returns Conflict.
#pragma once
#include "common/result.h"
#include "domain/entities.h"

namespace tj::rules {

// Applies a visit to its company (counts, last visit, facts, status).
// Sets visit.was_new and visit.made_effective. Precondition: the company is
// owned (not in the pool) and not deleted.
void apply_visit(Company& c, Visit& v);

// Applies a deal: status signed, signed_at set (first deal only).
void apply_deal(Company& c, const Deal& d, Instant now);

// The status a company's facts imply, ignoring nurture/dropped.
CompanyStatus derived_status(const Company& c);

struct StatusChange {
  CompanyStatus to;
  std::string nurture_reason, revisit_on, drop_reason;
};
// Validates and applies a manual status change (PATCH status). nurture_count is
// how many companies the owner already has in nurture; cap is the limit.
Status change_status(Company& c, const StatusChange& ch, int64_t nurture_count, int cap);

// Recomputes a company's visit-derived state from its remaining visits (after a
// visit was deleted), in the order they happened. Deals, ownership, nurture and
// drop state are kept. Updates each visit's was_new / made_effective.
void replay_visits(Company& c, std::vector<Visit>& visits_in_order);

// A rep claims a pool company.
Status claim(Company& c, Id rep_id);

}  // namespace tj::rules
