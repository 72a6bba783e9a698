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

#include "app/store.h"
#include "common/result.h"
#include "domain/entities.h"
#include "store/tx.h"

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
  Result<LoginResult> login(const json& body, const std::string& remote);
  Status logout(const Actor& a);
  Result<Actor> authenticate_session(const std::string& cookie_value);
  Result<Actor> authenticate_token(const std::string& token);
  Result<json> create_token(const Actor& a, const json& body);
  Result<json> me(const Actor& a);

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

  // targets, settings, daily rhythm, metrics, audit
  Result<json> put_target(const Actor& a, const json& body);
  Result<json> list_targets(const Actor& a);
  Result<json> get_settings(const Actor& a);
  Result<json> patch_settings(const Actor& a, const json& body);
  Result<json> put_note(const Actor& a, Tx::NoteKind k, const std::string& date, const json& body);
  Result<json> get_note(const Actor& a, Tx::NoteKind k, const std::string& date, const Query& q);
  Result<json> rep_metrics(const Actor& a, const Query& q);
  Result<json> list_audit(const Actor& a, const Query& q);

  // the method engine (method_views.cpp, rhythm_feed.cpp, people.cpp)
  Result<json> alerts(const Actor& a, const Query& q);
  Result<json> prospects(const Actor& a, const Query& q);
  Result<json> diagnosis(const Actor& a, const Query& q);
  Result<json> leaderboard(const Actor& a, const Query& q);
  Result<json> coaching(const Actor& a, const Query& q);
  Result<json> rhythm_status(const Actor& a, const Query& q);
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
  // Daily jobs for every organisation (pool release). Returns what was done.
  Result<json> run_jobs(bool force);

 private:
  Result<Actor> actor_for(Tx& tx, Id org, Id user_id);
  Store& store_;
  const Clock& clock_;
};

// Exposed for tests: the JSON form of entities (times in the org's zone).
json to_json(const Company& c, const std::string& tz);
json to_json(const User& u);

}  // namespace tj
