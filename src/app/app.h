// The application: Tiejun's use cases with access control, over a Store and a
// Clock. Input is a parsed JSON body or query map; output is the JSON the API
// returns. Every use case takes the calling Actor and scopes every read and
// write to the actor's organisation and role; records out of scope are
// "not found". Errors are Results; the HTTP layer maps them to statuses.
#pragma once
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.h"
#include "common/result.h"
#include "domain/entities.h"
#include "store/tx.h"
#include "tz/zone.h"  // TimeZone: the org's local days

namespace tj {

using json = nlohmann::json;
using Query = std::map<std::string, std::string>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};
class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

struct Actor {
  User user;
  Scope scope;
  bool via_token = false;
  std::string session_hash;  // empty for token callers
  std::string csrf_token;
  bool zh = true;  // answer verdicts in Chinese (default) or English (Accept-Language: en)
  Id org() const { return user.org_id; }
};

struct LoginResult {
  json body;              // {"user":..., "csrf_token":...}
  std::string cookie;     // the raw session id for the Set-Cookie header
  int max_age_s = 0;
};

namespace detail {
struct DuplicateHit;
}

class App {
 public:
  App(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  Store& store() { return store_; }
  const Clock& clock() const { return clock_; }

  // setup (CLI)
  Result<Id> init_org(const std::string& org_name, const std::string& admin_user, const std::string& password);
  static std::string hash_password(const std::string& password);
  static bool verify_password(const std::string& hash, const std::string& password);

  // authentication
  // A session cookie the browser still carried (old_cookie) is ended at login.
  // Throttled per account (10 failures per 15 minutes) and per client address
  // (set_login_limits; 60 by default), both race-free within this process: the
  // attempts under way count as failures until they are known (issue 17 point 3).
  Result<LoginResult> login(const json& body, const std::string& remote, const std::string& old_cookie = "");
  // Failed logins allowed per client address per 15 minutes before 429.
  void set_login_limits(int failures_per_address);
  Status logout(const Actor& a);
  Result<Actor> authenticate_session(const std::string& cookie_value);
  Result<Actor> authenticate_token(const std::string& token);
  Result<json> create_token(const Actor& a, const json& body);
  Result<json> me(const Actor& a);
  // Self-service password change (current_password, new_password): clears a forced
  // change, ends the user's other sessions, keeps this one and the bearer tokens.
  Result<json> change_own_password(const Actor& a, const json& body);
  // Bearer tokens by id: each user lists and revokes their own; an admin those of the org.
  Result<json> list_tokens(const Actor& a, const Query& q);
  Status delete_token(const Actor& a, Id id);

  // teams and users
  Result<json> list_teams(const Actor& a);
  Result<json> create_team(const Actor& a, const json& body);
  Result<json> patch_team(const Actor& a, Id id, const json& body);
  Result<json> list_users(const Actor& a, const Query& q);
  Result<json> get_user(const Actor& a, Id id);
  Result<json> create_user(const Actor& a, const json& body);
  Result<json> patch_user(const Actor& a, Id id, const json& body);

  // companies and their records
  Result<json> list_companies(const Actor& a, const Query& q);
  Result<json> get_company(const Actor& a, Id id);
  // The same answer as JSON text, written without building a json object (the route's answer).
  Result<std::string> get_company_text(const Actor& a, Id id);
  Result<json> create_company(const Actor& a, const json& body);
  Result<json> patch_company(const Actor& a, Id id, const json& body);
  Status delete_company(const Actor& a, Id id);
  Result<json> claim_company(const Actor& a, Id id);
  Result<json> list_contacts(const Actor& a, Id company);
  Result<json> create_contact(const Actor& a, Id company, const json& body);
  Result<json> patch_contact(const Actor& a, Id id, const json& body);
  Result<json> list_company_visits(const Actor& a, Id company, const Query& q);
  Result<json> create_visit(const Actor& a, const json& body);
  Status delete_visit(const Actor& a, Id id);
  Result<json> list_company_deals(const Actor& a, Id company);
  Result<json> create_deal(const Actor& a, const json& body);
  // duplicate names 撞单 (duplicates.cpp): 查重, the admin's list of existing duplicates, merge
  Result<json> check_company_name(const Actor& a, const Query& q);
  Result<json> list_duplicates(const Actor& a, const Query& q);
  Result<json> merge_companies(const Actor& a, Id id, const json& body);

  // targets, settings, daily rhythm, metrics, audit
  Result<json> put_target(const Actor& a, const json& body);
  Result<json> list_targets(const Actor& a);
  // Targets against results (树目标 → 拿结果): per visible target its actual, attainment and pace.
  Result<json> targets_progress(const Actor& a, const Query& q);
  Result<json> get_settings(const Actor& a);
  Result<json> patch_settings(const Actor& a, const json& body);
  Result<json> put_note(const Actor& a, Tx::NoteKind k, const std::string& date, const json& body);
  Result<json> get_note(const Actor& a, Tx::NoteKind k, const std::string& date, const Query& q);
  Result<json> rep_metrics(const Actor& a, const Query& q);
  Result<json> list_audit(const Actor& a, const Query& q);

  // the method engine (method_views.cpp, rhythm_feed.cpp, people.cpp)
  Result<json> alerts(const Actor& a, const Query& q);
  Result<json> prospects(const Actor& a, const Query& q);
  // The rep's Today page in one answer (today_view.cpp): GET /api/v1/views/today.
  Result<json> today_view(const Actor& a, const Query& q);
  // A customer's page in one answer (companies.cpp): GET /api/v1/views/company/{id}.
  Result<json> company_view(const Actor& a, Id id, const Query& q);
  Result<json> diagnosis(const Actor& a, const Query& q);
  Result<json> leaderboard(const Actor& a, const Query& q);
  Result<json> coaching(const Actor& a, const Query& q);
  Result<json> rhythm_status(const Actor& a, const Query& q);
  // The manager's Team page in one answer (team_view.cpp): board, trend, month, targets, teams.
  Result<json> team_view(const Actor& a, const Query& q);
  Result<json> feed(const Actor& a, const Query& q);
  Result<json> comment(const Actor& a, const std::string& kind, Id id, const json& body);
  Result<json> like(const Actor& a, const std::string& kind, Id id);
  Result<json> discovery(const Actor& a, const Query& q);
  Result<json> conversion(const Actor& a, const Query& q);
  Result<json> fit(const Actor& a, Id company);
  Result<json> add_values(const Actor& a, const json& body);
  Result<json> list_values(const Actor& a, const Query& q);
  Result<json> add_training(const Actor& a, const json& body);
  Result<json> list_training(const Actor& a, const Query& q);
  Result<json> talent(const Actor& a, const Query& q);
  // accompanied-visit bookings 陪访预约 (bookings.cpp)
  Result<json> list_bookings(const Actor& a, const Query& q);
  Result<json> get_booking(const Actor& a, Id id);
  Result<json> create_booking(const Actor& a, const json& body);
  Result<json> patch_booking(const Actor& a, Id id, const json& body);
  Status cancel_booking(const Actor& a, Id id);
  // GET /readyz: the database answers and every known migration is applied; else 503
  // (database_unavailable, migrations_pending). health.cpp.
  Result<json> readiness();
  static int latest_migration();
  // Daily jobs for every organisation (pool release). Returns what was done.
  Result<json> run_jobs(bool force);

  // notifications (notify_api.cpp, notify_jobs.cpp; SPEC §7): the caller's own
  // notifications (the bell); channels and deliveries (admins); nudges (managers);
  // the scheduled reminders due at an instant, for every organisation.
  Result<json> list_notifications(const Actor& a, const Query& q);
  Status read_notifications(const Actor& a, const json& body);
  Result<json> list_channels(const Actor& a, const Query& q);
  Result<json> create_channel(const Actor& a, const json& body);
  Result<json> patch_channel(const Actor& a, Id id, const json& body);
  Status delete_channel(const Actor& a, Id id);
  Result<json> list_deliveries(const Actor& a, const Query& q);
  Result<json> retry_delivery(const Actor& a, Id id);
  Result<json> nudge(const Actor& a, const json& body);
  Result<json> run_reminders(Instant at);
  // ---- end notifications ----

  // import / export (import_columns.cpp, import.cpp, import_progress.cpp, export.cpp)
  struct ImportOptions {
    bool dry_run = false;
    bool per_row = false;  // false: all or nothing
    std::vector<std::pair<std::string, std::string>> mapping;  // file column (header or letter) -> field
    std::string owner;     // username owning new companies that have no owner cell; empty: the caller
    std::string filename;  // for the report and the audit log
    bool large = false;    // a trusted local file (CLI): higher size limits
    std::function<void(const char* phase, int64_t done, int64_t total)> progress;
    std::string progress_id;  // the client's name for this import: GET /imports/progress?id= follows it
  };
  // dry_run, mode (all_or_nothing|per_row), mapping (JSON object or "k:v,k:v"), owner, filename.
  static Result<ImportOptions> import_options(const Query& q);
  static Result<std::vector<std::pair<std::string, std::string>>> parse_mapping(const std::string& spec);
  // Companies (and one contact per row) from CSV or XLSX bytes; the report of rows
  // created / updated / unchanged / rejected. Nothing is written on a dry run.
  Result<json> import_companies(const Actor& a, std::string_view file, const ImportOptions& o);
  // The phase and rows done of the caller's own import named by ?id= (its progress_id),
  // while it runs and for a while after; 404 for an id the caller never started.
  Result<json> import_progress(const Actor& a, const Query& q);
  struct ExportFile {
    std::string body, content_type, filename;
    int64_t rows = 0;
  };
  // kind: companies | contacts | visits | deals; q: format=csv|xlsx and the list filters.
  Result<json> export_to_path(const Actor& a, const std::string& kind, const Query& q, const std::string& path);
  Result<ExportFile> export_download(const Actor& a, const std::string& kind, const Query& q);
  // Whom the CLI acts as: the user named, else the admin of the only organisation.
  Result<Actor> cli_actor(const std::string& username);
  // ---- end import / export ----

 private:
  Result<Actor> actor_for(Tx& tx, Id org, Id user_id);
  // Records a refused duplicate's attempt in its own transaction (the refused write rolled back).
  Status report_duplicate_attempt(const Actor& a, const detail::DuplicateHit& d, const std::string& attempted_name,
                                  const char* via);
  Store& store_;
  const Clock& clock_;
  std::shared_ptr<struct ImportBoard> imports_ = new_import_board();
  static std::shared_ptr<ImportBoard> new_import_board();
  std::shared_ptr<struct LoginGate> login_gate_ = new_login_gate();
  std::shared_ptr<struct ImportQuota> import_quota_ = new_import_quota();
  static std::shared_ptr<ImportQuota> new_import_quota();
  static std::shared_ptr<LoginGate> new_login_gate();
};

// Exposed for tests: the JSON form of entities (times in the org's zone).
json to_json(const Company& c, const std::string& tz);
json to_json(const User& u);

}  // namespace tj
