// The store's row mappers and column lists, in one module (rows.cpp). Each table's
// columns are named once, in an X-macro list: the SQL column list and the indexes
// the mapper reads (company_col::visit_count, ...) are both made from it, so they
// cannot drift apart. A query that selects more columns after a list reads them at
// <table>_col::count + i.
#pragma once
#include <cstddef>
#include <string>

#include "domain/entities.h"
#include "store/db.h"

#define TJ_COMPANY_COLUMNS(X)                                                                                         \
  X(id) X(org_id) X(name) X(industry) X(industry_rank) X(region) X(budget_capacity) X(source) X(competitor)          \
  X(owner_id) X(status) X(need) X(budget) X(payer_met) X(effective_at) X(effective_day) X(effective_by) X(signed_at) \
  X(first_visit_at) X(last_visit_at) X(visit_count) X(interest_reason) X(attraction) X(concerns) X(nurture_reason)    \
  X(revisit_on) X(drop_reason) X(version) X(created_at) X(updated_at) X(competitor_contract_end)          \
  X(address) X(lat) X(lng)
#define TJ_CONTACT_COLUMNS(X) \
  X(id) X(org_id) X(company_id) X(name) X(title) X(is_payer) X(style) X(phone) X(version) X(created_at)
#define TJ_VISIT_COLUMNS(X)                                                                                             \
  X(id) X(org_id) X(company_id) X(rep_id) X(at) X(day) X(kind) X(duration_min) X(was_new) X(met_payer) X(need)         \
  X(budget) X(made_effective) X(companion_id) X(coaching_stage) X(interest_reason) X(attraction) X(concerns) X(notes) \
  X(created_at) X(lat) X(lng)
#define TJ_USER_COLUMNS(X)                                                                                     \
  X(id) X(org_id) X(username) X(display_name) X(password_hash) X(role) X(team_id) X(hire_date) X(selling_style) \
  X(active) X(version) X(created_at) X(must_change_password)
#define TJ_TEAM_COLUMNS(X) X(id) X(org_id) X(name) X(parent_id) X(manager_id) X(version) X(created_at)
#define TJ_TARGET_COLUMNS(X) \
  X(id) X(org_id) X(scope) X(scope_id) X(metric) X(period) X(value) X(reason) X(set_by) X(updated_at) X(version)
#define TJ_DEAL_COLUMNS(X) X(id) X(org_id) X(company_id) X(rep_id) X(amount) X(signed_on) X(created_at) X(notes)
// (clang-format does not settle on one layout for these lists)
// clang-format off
#define TJ_BOOKING_COLUMNS(X)                                                                                    \
  X(id) X(org_id) X(rep_id) X(manager_id) X(company_id) X(at) X(day) X(stage) X(note) X(status) X(visit_id) \
  X(done_at) X(created_by) X(version) X(created_at) X(updated_at)
#define TJ_NOTIFICATION_COLUMNS(X) X(id) X(org_id) X(user_id) X(kind) X(params) X(link) X(created_at) X(read_at)
#define TJ_CHANNEL_COLUMNS(X) \
  X(id) X(org_id) X(team_id) X(kind) X(name) X(url) X(secret) X(events) X(active) X(version) X(created_at) X(updated_at)
#define TJ_DELIVERY_COLUMNS(X)                                                                                      \
  X(id) X(org_id) X(channel_id) X(event_id) X(event) X(payload) X(status) X(last_error) X(attempts) X(next_attempt_at) \
  X(window_start) X(created_at) X(sent_at)
// clang-format on

#define TJ_COLUMN_INDEX(n) n,
namespace tj {
namespace company_col { enum : size_t { TJ_COMPANY_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace contact_col { enum : size_t { TJ_CONTACT_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace visit_col { enum : size_t { TJ_VISIT_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace user_col { enum : size_t { TJ_USER_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace team_col { enum : size_t { TJ_TEAM_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace target_col { enum : size_t { TJ_TARGET_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace deal_col { enum : size_t { TJ_DEAL_COLUMNS(TJ_COLUMN_INDEX) count }; }
namespace booking_col {
enum : size_t { TJ_BOOKING_COLUMNS(TJ_COLUMN_INDEX) count };
}
namespace notification_col {
enum : size_t { TJ_NOTIFICATION_COLUMNS(TJ_COLUMN_INDEX) count };
}
namespace channel_col {
enum : size_t { TJ_CHANNEL_COLUMNS(TJ_COLUMN_INDEX) count };
}
namespace delivery_col {
enum : size_t { TJ_DELIVERY_COLUMNS(TJ_COLUMN_INDEX) count };
}
#undef TJ_COLUMN_INDEX

// The column lists ("id, org_id, ..."); the C variants name the table `c` ("c.id, c.org_id, ...").
extern const std::string kCompanyCols, kCompanyColsC, kContactCols, kVisitCols, kUserCols, kTeamCols, kTargetCols,
    kDealCols;
// Bookings (named `b`: "b.id, b.org_id, ..."), notifications, channels and deliveries (their
// mappers live with their queries: tx_bookings.cpp, tx_notify.cpp, reading these indexes).
extern const std::string kBookingColsB, kNotificationCols, kChannelCols, kDeliveryCols;
// How many columns kCompanyCols holds: a query that selects more after them reads those
// at kCompanyColCount + i, never at a number written out.
inline constexpr int kCompanyColCount = int(company_col::count);

Company company_from(const db::Row& r);
Contact contact_from(const db::Row& r);
Visit visit_from(const db::Row& r);
User user_from(const db::Row& r);
Team team_from(const db::Row& r);
Target target_from(const db::Row& r);
Deal deal_from(const db::Row& r);

// "?,?,…,?" with n placeholders (IN lists, multi-row VALUES); n = 0 gives "".
std::string placeholders(size_t n);
// The public pool clock's start for a company row `c` (SQL, tx_pool.cpp): the latest of its
// last visit and owned_at (its claim or assignment; NULL: its creation).
const char* pool_clock_start_sql();
}  // namespace tj
