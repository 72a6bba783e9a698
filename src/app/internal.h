// Helpers shared by the use cases (not part of the public surface).
#pragma once
#include "app/app.h"
#include "app/fields.h"
#include "domain/rules.h"

namespace tj::method {
struct Fit;
}

namespace tj::detail {

// Writes one audit row in the caller's transaction.
void audit(Tx& tx, const Actor& a, Instant now, const std::string& action, const std::string& entity,
           std::optional<Id> id, const json& old_v, const json& new_v);

// Computes the scope of a user: admin -> All; manager/director -> the subtrees
// of the teams they manage (plus, for a director, the subtree of their own team);
// rep -> Self.
Scope scope_for(Tx& tx, const User& u);

// True if user `target` is within the actor's scope (self counts).
bool user_in_scope(Tx& tx, const Actor& a, const User& target);

// Loads a company the actor may see, or NotFound.
Result<Company> visible_company(Tx& tx, const Actor& a, Id id);
// Loads a company the actor may change: owned by the actor, or (manager and
// up) owned by someone in scope. Pool companies can only be claimed.
Result<Company> writable_company(Tx& tx, const Actor& a, Id id);

// Public-pool writes (issue 17, point 7): the pool is shared to claim, not to edit. Renaming,
// editing, assigning or deleting a pool company (no owner) is for the admin, or a director
// or manager whose scope covers every team of the organisation; anyone else gets 403
// pool_company (reps get 409 in_pool earlier: they claim first).
Status pool_write_allowed(Tx& tx, const Actor& a);

// The users a team-wide view covers (issue 17, point 6): the caller's scope — the admin
// every user, a manager or director their teams' subtrees, a rep their own team when
// `team_wide` else themselves — narrowed to the subtree of `team` if given. Naming a team
// never widens the scope: its subtree is intersected with it. A team outside the scope
// (other than the caller's own team, when `team_wide`) is 404.
Result<std::vector<User>> users_in_view(Tx& tx, const Actor& a, std::optional<Id> team, bool team_wide);

std::string org_tz(Tx& tx, Id org);
json opt_iso(const std::optional<Instant>& t, const std::string& tz);
json null_or(const std::optional<int64_t>& v);
json null_or_str(const std::string& s);
// A contact as the API shows it (companies.cpp).
json contact_json(const Contact& c);
// GET /companies/{id} as text: to_json(c) with "contacts" and, when given (the owner asks), "fit",
// written by JsonText (app/json_text.h), byte for byte what nlohmann would dump of the same object.
std::string company_text(const Company& c, const std::string& tz, const std::vector<Contact>& contacts,
                         const method::Fit* fit, bool zh);
// A target as the API and the audit log show it.
json target_json(const Target& t);

// Opaque keyset cursors.
std::string encode_cursor(const json& j);
std::optional<json> decode_cursor(const std::string& s);

// Query-string helpers: integers and dates with clear 400s.
Result<std::optional<int64_t>> q_int(const Query& q, const char* k, int64_t lo, int64_t hi);
Result<std::optional<std::string>> q_date(const Query& q, const char* k);
Status q_only(const Query& q, std::initializer_list<const char*> allowed);

Error stale(const std::string& what);

// The company filters the list (GET /api/companies) and the export share (companies.cpp):
// q (trimmed of ASCII blanks, NBSP and U+3000; at most 200 bytes), status, industry and
// owner_id ("none"/"pool" = unowned), in the actor's org and scope. Other keys are the
// caller's to check.
Result<CompanyQuery> company_filter(const Actor& a, const Query& q);
// In a transaction: an industry alias finds the companies of its industry.
void resolve_industry_alias(Tx& tx, const Actor& a, CompanyQuery& cq);

// Bookings (bookings.cpp), in the caller's write transaction: an accompanied visit just
// logged completes the matching scheduled booking (same rep, company and companion
// manager); a visit about to be deleted reopens the booking it completed.
std::optional<Id> complete_booking_for_visit(Tx& tx, const Actor& a, const Visit& v, Instant now);
void reopen_bookings_of_visit(Tx& tx, const Actor& a, Id visit_id, Instant now);

}  // namespace tj::detail
