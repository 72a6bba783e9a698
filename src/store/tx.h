// Tx: the typed queries of Tiejun over one db::Conn inside one transaction.
// Every function takes the organisation id and filters by it: a row of another
// organisation is never returned or changed. Updates check `version` and
// return false when it is stale (the caller answers 409). SQL is portable
// between SQLite and PostgreSQL ('?' placeholders, row values, RETURNING);
// the few differences (text search) switch on conn.dialect().
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "store/db.h"

namespace tj {

// Which owners' records a caller may read. Pool companies (no owner) are
// visible to everyone in the organisation.
struct Scope {
  enum Kind { All, Teams, Self } kind = Self;
  Id user_id = 0;
  std::vector<Id> team_ids;  // for Teams: every team in the caller's subtrees
};

struct CompanyQuery {
  Id org_id = 0;
  Scope scope;
  std::string q;                  // substring of company or contact name
  std::optional<std::string> status, industry;
  std::optional<Id> owner_id;     // 0 means "unowned" (the pool)
  std::string sort = "name";      // validated by the caller against kCompanySorts
  bool desc = false;
  std::optional<db::Value> after_value;  // keyset cursor
  std::optional<Id> after_id;
  int limit = 20;
};
// Sort keys a client may ask for; anything else is a 400 before SQL is built.
bool is_company_sort(const std::string& key);

class Tx {
 public:
  explicit Tx(db::Conn& c) : c_(c) {}
  db::Conn& conn() { return c_; }

  // organisations and settings
  Id insert_org(const std::string& name, Instant now);
  std::optional<Org> get_org(Id org);
  std::vector<Org> list_orgs();
  Settings get_settings(Id org);
  bool update_settings(const Settings& s, int64_t expected_version);

  // teams
  Id insert_team(const Team& t);
  std::optional<Team> get_team(Id org, Id id);
  bool update_team(const Team& t, int64_t expected_version);
  std::vector<Team> list_teams(Id org);
  // Every team id under (and including) the given roots.
  std::vector<Id> team_subtree(Id org, const std::vector<Id>& roots);

  // users
  Id insert_user(const User& u);
  std::optional<User> get_user(Id org, Id id);
  std::optional<User> find_user_by_username(const std::string& username);
  bool update_user(const User& u, int64_t expected_version);
  std::vector<User> list_users(Id org);
  std::vector<User> list_users_in_teams(Id org, const std::vector<Id>& team_ids);

  // sessions, tokens, login throttling
  void insert_session(const Session& s);
  std::optional<Session> get_session(const std::string& id_hash);
  void touch_session(const std::string& id_hash, Instant now);
  void delete_session(const std::string& id_hash);
  void delete_sessions_of(Id org, Id user, const std::string& except_hash = "");
  Id insert_token(Id org, Id user, const std::string& name, const std::string& hash, Instant now);
  std::optional<std::pair<Id, Id>> find_token(const std::string& hash);  // (org, user)
  void delete_tokens_of(Id org, Id user);
  int64_t count_login_failures(const std::string& username, Instant since);
  void add_login_failure(const std::string& username, Instant now);
  void clear_login_failures(const std::string& username);

  // companies
  Id insert_company(const Company& c);
  std::optional<Company> get_company(Id org, Id id);
  bool update_company(const Company& c, int64_t expected_version);  // bumps version
  std::vector<Company> list_companies(const CompanyQuery& q);
  int64_t count_nurture(Id org, Id owner);
  bool company_visible(const Company& c, const Scope& s, Id org);

  // contacts, visits, deals
  Id insert_contact(const Contact& c);
  std::optional<Contact> get_contact(Id org, Id id);
  bool update_contact(const Contact& c, int64_t expected_version);
  std::vector<Contact> list_contacts(Id org, Id company);
  Id insert_visit(const Visit& v);
  std::vector<Visit> list_visits(Id org, Id company, int limit);
  Id insert_deal(const Deal& d);
  std::vector<Deal> list_deals(Id org, Id company);

  // targets, plans and reviews
  std::optional<Target> get_target(Id org, const std::string& scope, Id scope_id, const std::string& metric,
                                   const std::string& period);
  Id upsert_target(const Target& t, std::optional<int64_t> old_value);
  std::vector<Target> list_targets(Id org);
  enum class NoteKind { Plan, Review };
  std::optional<DayNote> get_note(NoteKind k, Id org, Id rep, const std::string& day);
  // Inserts (expected_version 0) or updates; false when the version is stale.
  bool put_note(NoteKind k, const DayNote& n, int64_t expected_version);

  // audit
  void insert_audit(const AuditEntry& a);
  std::vector<AuditEntry> list_audit(Id org, const std::string& entity, std::optional<Id> entity_id, int limit);

  // metrics over local days [from, to]; rep filter optional (one rep -> indexed)
  std::vector<RepMetrics> rep_metrics(Id org, const std::string& from, const std::string& to,
                                      std::optional<Id> only_rep);

 private:
  db::Conn& c_;
};

}  // namespace tj
