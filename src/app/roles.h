// The use cases that only a role and up may call, each with its minimum role and the
// message of its 403. The route table (http/api.cpp) declares the rule on each of these
// routes, so the server refuses a lower role before the use case runs; the use case
// checks the same rule (the App is also called without HTTP: the CLI, the tests).
// A refusal that depends on the record (a rep may read a booking but only its manager
// changes it) is not a rule of this list: the use case decides it after reading the row.
#pragma once
#include "common/result.h"
#include "domain/entities.h"

namespace tj {

struct RoleRule {
  Role min;             // this role and the roles above it (Rep < Manager < Director < Admin)
  const char* refusal;  // the 403's message (code "forbidden") for a lower role
};

inline bool allows(const RoleRule& r, Role role) { return role >= r.min; }
// The rule's 403 (code "forbidden", its message).
inline Error refusal(const RoleRule& r) { return forbidden("forbidden", r.refusal); }

namespace roles {
inline constexpr RoleRule kCreateTeam{Role::Director, "only a director or an admin can create teams"};
inline constexpr RoleRule kChangeTeam{Role::Director, "only a director or an admin can change teams"};
inline constexpr RoleRule kCreateUser{Role::Manager, "reps cannot create users"};
inline constexpr RoleRule kChangeSettings{Role::Admin, "only an admin can change settings"};
inline constexpr RoleRule kSetTarget{Role::Manager, "reps cannot set targets"};
inline constexpr RoleRule kValues{Role::Manager, "values assessments are made by managers"};
inline constexpr RoleRule kTraining{Role::Manager, "training records are kept by managers"};
inline constexpr RoleRule kTalent{Role::Manager, "the talent matrix is for managers"};
inline constexpr RoleRule kTeamView{Role::Manager, "the team view is for managers, directors and admins"};
inline constexpr RoleRule kDiagnosis{Role::Manager, "diagnosis is for managers and directors"};
inline constexpr RoleRule kNudge{Role::Manager, "nudges are sent by managers"};
inline constexpr RoleRule kBook{Role::Manager, "accompanied visits are booked by managers"};
inline constexpr RoleRule kListDuplicates{Role::Admin, "only an admin lists and merges duplicates"};
inline constexpr RoleRule kMerge{Role::Admin, "only an admin merges companies"};
inline constexpr RoleRule kChannels{Role::Admin, "only admins manage channels and deliveries"};
}  // namespace roles

}  // namespace tj
