// Tx: the typed queries of Tiejun over one db::Conn inside one transaction.
// Every function takes the organisation id and filters by it: a row of another
// organisation is never returned or changed. Updates check `version` and
// return false when it is stale (the caller answers 409). SQL is portable
// between SQLite and PostgreSQL ('?' placeholders, row values, RETURNING);
// the few differences (text search) switch on conn.dialect().
#pragma once
#include <array>
#include <map>
#include <tuple>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "store/db.h"

namespace tj {

using json_row_t = db::Row;  // rows handed to the app as they are

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
// Per-rep, per-local-day counts (quota, coaching, leaderboards).
struct DailyCount {
  Id rep_id = 0;
  std::string day;
  // visits_new: distinct new companies the rep met in person that day (visit, accompanied);
  // reached_new: distinct new companies reached by any kind, calls too. Facts only: which
  // one is the day's new-customer visits is method::visits_new_of's to say.
  int64_t visits = 0, visits_new = 0, effective_new = 0, deals = 0, reached_new = 0;
  Fen signed_amount = 0;
  VisitMinutes minutes;  // the 80/20 split's facts
};
// Prospect recommendation (tx_prospects.cpp). A candidate as the ranking walks it: only
// what the score needs; names and the rest are loaded for the winners alone.
struct ProspectCandidate {
  Id id = 0;
  std::string industry;
  int64_t rank = 0;
  Fen budget = 0;
  bool competitor = false;   // competitor <> ''
  bool payer_known = false;  // payer_met, or a contact with is_payer = 1
};
struct ProspectRef {  // a signed customer that prospects are found around
  Id id = 0;
  int64_t rank = 0;
  Fen order = 0;  // its largest deal (0 without deals)
};
// A company with its visit counts up to a day (alerts): visits and payer visits up to `to`,
// visits in [from, to] (all reps, and by the view's reps), its first visit day.
// A place in the team feed's order: day desc, time desc, shares before deals, id desc.
struct FeedKey {
  static constexpr int kReview = 0, kDeal = 1;
  std::string day;
  Instant at = 0;
  int kind = kReview;
  Id id = 0;
};
struct FeedDeal {
  Deal deal;
  std::string company_name;
};
enum class AlertKind { TimeSink, SignOrDrop, FindPayer, NotEffective, NurtureDue, Harvest };
struct AlertRange {
  std::string month_from, to;   // local days: the time-sink window's first day, as_of
  Instant unsigned_after = 0;   // not signed by this instant (the end of as_of)
  // The rule's numbers, bound as parameters (method::Params): time sink (a) first visited on or
  // before first_by with >= min_visits in [month_from, to]; sign or drop >= min_visits payer
  // visits; not effective / find payer >= min_visits visits; harvest: contract end in
  // [to, harvest_to].
  std::string first_by, harvest_to;
  int64_t min_visits = 2;
};
struct AlertCompany {
  Company company;
  int64_t visits = 0, payer_visits = 0, visits_in_range = 0;
  std::string first_day;
};
struct CommentRow {
  Id id = 0, user_id = 0, target_id = 0;
  std::string target_kind, body;
  Instant created_at = 0;
};

// An accompanied-visit booking 陪访预约 (tx_bookings.cpp): a manager's appointment with a rep
// at a company; status scheduled -> done (visit_id: the logged accompanied visit) or cancelled.
struct Booking {
  Id id = 0, org_id = 0, rep_id = 0, manager_id = 0, company_id = 0;
  Instant at = 0;
  std::string day;  // local date of `at` in the org's zone
  int64_t stage = 1;
  std::string note, status = "scheduled";
  std::optional<Id> visit_id;
  std::optional<Instant> done_at;
  Id created_by = 0;
  int64_t version = 1;
  Instant created_at = 0, updated_at = 0;
};
// A booking with the names and the company's owner (for the caller's visibility check).
struct BookingRow {
  Booking b;
  std::string rep_name, manager_name, company_name;
  std::optional<Id> company_owner, owner_team;
  bool company_deleted = false;
};
struct BookingQuery {
  Id org_id = 0;
  // Visibility: bookings of reps in these teams, or with these reps / this manager.
  bool all = false;
  std::vector<Id> team_ids, rep_ids;
  std::optional<Id> manager_id;
  std::optional<Id> only_rep;          // filter: one rep
  std::vector<std::string> statuses;   // empty: any
  std::optional<Instant> from, to;     // at in [from, to)
  std::optional<Instant> after_at;     // keyset cursor (at, id)
  std::optional<Id> after_id;
  int limit = 50;
};

// Sort keys a client may ask for; anything else is a 400 before SQL is built.
bool is_company_sort(const std::string& key);

class Tx {
 public:
  explicit Tx(db::Conn& c) : c_(c) {}
  db::Conn& conn() { return c_; }
  // The highest migration number applied (schema_migrations), read in this transaction.
  int applied_migration();

  // organisations and settings
  Id insert_org(const std::string& name, Instant now);
  std::optional<Org> get_org(Id org);
  std::vector<Org> list_orgs();
  // The organisation's settings; served from a SnapshotCache (store/snapshot_cache.h) inside a
  // read transaction no commit has overtaken, so nearly every request skips the query.
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
  // Bearer tokens by their public id (never the hash): a user's own, or (no user) the org's.
  struct TokenInfo {
    Id id = 0, org_id = 0, user_id = 0;
    std::string name;
    Instant created_at = 0;
    std::optional<Instant> last_used;
  };
  std::vector<TokenInfo> list_tokens(Id org, std::optional<Id> user);
  std::optional<TokenInfo> get_token(Id org, Id id);
  void delete_token(Id org, Id id);
  int64_t count_login_failures(const std::string& username, Instant since);
  void add_login_failure(const std::string& username, Instant now);
  void clear_login_failures(const std::string& username);

  // companies
  Id insert_company(const Company& c);
  std::optional<Company> get_company(Id org, Id id);
  bool update_company(const Company& c, int64_t expected_version);  // bumps version
  // Soft delete: deleted = 1, version + 1, updated_at = now (the row and its history stay).
  void soft_delete_company(Id org, Id id, Instant now);
  std::vector<Company> list_companies(const CompanyQuery& q);
  int64_t count_nurture(Id org, Id owner);
  bool company_visible(const Company& c, const Scope& s, Id org);

  // contacts, visits, deals
  Id insert_contact(const Contact& c);
  std::optional<Contact> get_contact(Id org, Id id);
  bool update_contact(const Contact& c, int64_t expected_version);
  std::vector<Contact> list_contacts(Id org, Id company);
  // The contacts with a phone of these companies, by company, the payer first (tap-to-call on lists).
  std::vector<Contact> phone_contacts(Id org, const std::vector<Id>& companies);
  Id insert_visit(const Visit& v);
  std::vector<Visit> list_visits(Id org, Id company, int limit);
  std::optional<Visit> get_visit(Id org, Id id);
  void delete_visit(Id org, Id id);
  // All visits of a company in the order they happened (for replaying the rule).
  std::vector<Visit> company_visits_in_order(Id org, Id company);
  void set_visit_flags(Id org, Id id, bool was_new, bool made_effective);
  Id insert_deal(const Deal& d);
  std::vector<Deal> list_deals(Id org, Id company);

  // targets, plans and reviews
  std::optional<Target> get_target(Id org, const std::string& scope, Id scope_id, const std::string& metric,
                                   const std::string& period);
  Id upsert_target(const Target& t, std::optional<int64_t> old_value);
  std::vector<Target> list_targets(Id org);
  struct TargetChange {
    Id target_id = 0;
    std::optional<int64_t> old_value;
    int64_t new_value = 0;
    std::string reason;
    std::optional<Id> set_by;
    Instant at = 0;
  };
  std::vector<TargetChange> target_history(Id org);
  enum class NoteKind { Plan, Review };
  std::optional<DayNote> get_note(NoteKind k, Id org, Id rep, const std::string& day);
  // Inserts (expected_version 0) or updates; false when the version is stale.
  bool put_note(NoteKind k, const DayNote& n, int64_t expected_version);

  // audit
  void insert_audit(const AuditEntry& a);
  std::vector<AuditEntry> list_audit(Id org, const std::string& entity, std::optional<Id> entity_id, int limit);

  // ---- method engine (tx_method.cpp) ----
  // Which counters daily_counts reads: every one, or only what on-quota needs (visits_new,
  // reached_new, effective_new; the rest stay 0), a third of the columns for the views that
  // read every rep of an organisation over weeks (coaching: 46,000 rows at 1,008 reps). The
  // Quota rows come in no particular order; All in (rep_id, day) order.
  // Each rep's effective new customers over local days [from, to], summed (reps with none are absent).
  std::unordered_map<Id, int64_t> effective_new_sums(Id org, const std::string& from, const std::string& to,
                                                     const std::vector<Id>& reps);
  enum class DailyFields { All, Quota };
  std::vector<DailyCount> daily_counts(Id org, const std::string& from, const std::string& to,
                                       const std::vector<Id>& reps, DailyFields fields = DailyFields::All);
  // ---- prospects (tx_prospects.cpp) ----
  // One page of prospect candidates in (budget_capacity DESC, id) order after the key
  // `after` (budget, id), from the companies using a competitor or from the others
  // (migration 0008's two partial indexes): not deleted, industry and rank set, not signed
  // by `signed_by`, not dropped, free or owned by `rep`, budget_capacity >= min_budget.
  std::vector<ProspectCandidate> prospect_candidates_page(Id org, bool competitor, Id rep, Fen min_budget,
                                                          Instant signed_by, std::optional<std::pair<Fen, Id>> after,
                                                          int limit);
  // Signed customers (signed_at <= signed_by, not deleted) of an industry at the given
  // ranks, with their largest deal, in id order.
  std::vector<ProspectRef> prospect_refs_at(Id org, const std::string& industry, const std::vector<int64_t>& ranks,
                                            Instant signed_by);
  // Full rows of some companies (deleted or not), in id order.
  std::vector<Company> companies_by_ids(Id org, const std::vector<Id>& ids);
  // Harvest: companies whose competitor contract ends in [from, to] (local days), not deleted,
  // not dropped, not signed by `signed_by`, free or owned by `rep`; by end day, then id.
  std::vector<Company> harvest_candidates(Id org, Id rep, const std::string& from, const std::string& to,
                                          Instant signed_by, int limit);
  // Alerts (tx_alerts.cpp): one page of one company alert kind, companies owned by `reps`
  // with id > `after`, in id order, at most `limit`; N = r.min_visits. Time sinks: not dropped,
  // unsigned at unsigned_after, first visited on or before first_by, >= N visits in
  // [month_from, to] by `reps` (visits_in_range counts every rep's, first_day). Sign or drop:
  // active status (prospect, contacted, effective), >= N visits now, unsigned, >= N payer
  // visits up to `to` (payer_visits). Find payer / not effective: active, unsigned, >= N visits
  // up to `to` (visits), payer not met / payer met but need or budget missing. Nurture due:
  // revisit_on <= to. Harvest: not dropped, unsigned, competitor_contract_end in [to, harvest_to].
  std::vector<AlertCompany> alert_companies(Id org, AlertKind kind, const std::vector<Id>& reps, const AlertRange& r,
                                            Id after, int limit);
  // rep_day_stats (migration 0005) is kept by triggers; this recomputes an organisation's
  // rows from visits, deals and companies in one statement (after bulk loads). Returns rows.
  int64_t rebuild_rep_day_stats(Id org);
  // Companies owned by someone whose pool clock (the latest of the last visit and the claim or
  // assignment, else the creation; tx_pool.cpp) started before `before`, not signed and not
  // nurtured: released to the pool by the daily job.
  std::vector<Company> stale_owned(Id org, Instant before, int limit);
  // Idempotency-Key (tx_idempotency.cpp, migration 0015): the (user, key) row of a create.
  struct IdempotencyRow {
    std::string request_hash;
    std::optional<int64_t> status;  // empty: the create committed, its answer not written yet
    std::string body;
    Instant created_at = 0;
  };
  // The row of (user, key) written at or after `since`, if any.
  std::optional<IdempotencyRow> get_idempotency_key(Id user, const std::string& key, Instant since);
  // Inserts the row (no answer yet), replacing one older than `since`; false when a live row
  // for (user, key) exists (another request with the key committed first).
  bool claim_idempotency_key(Id org, Id user, const std::string& key, const std::string& request_hash, Instant now,
                             Instant since);
  void finish_idempotency_key(Id user, const std::string& key, int64_t status, const std::string& body);
  int64_t prune_idempotency_keys(Instant before);  // rows deleted
  bool job_ran(Id org, const std::string& job, const std::string& day);
  void record_job(Id org, const std::string& job, const std::string& day, const std::string& result, Instant now);
  // Accompanied visits of reps in [from, to]: (rep_id, companion_id, day, coaching_stage).
  std::vector<Visit> accompanied_visits(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to);
  // Comments and likes on reviews and deals.
  Id insert_comment(Id org, const std::string& kind, Id target, Id user, const std::string& body, Instant now);
  std::vector<CommentRow> comments_on(Id org, const std::string& kind, const std::vector<Id>& targets);
  bool toggle_like(Id org, const std::string& kind, Id target, Id user, Instant now);  // true if now liked
  std::vector<std::pair<Id, int64_t>> like_counts(Id org, const std::string& kind, const std::vector<Id>& targets);
  std::vector<Id> liked_by(Id org, const std::string& kind, const std::vector<Id>& targets, Id user);
  // The team feed (tx_feed.cpp): shares and deals of `reps` in [from, to], newest first, strictly
  // after `after` in the feed's order, at most `limit` of each.
  std::vector<DayNote> feed_reviews(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to,
                                    const std::optional<FeedKey>& after, int limit);
  std::vector<FeedDeal> feed_deals(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to,
                                   const std::optional<FeedKey>& after, int limit);
  std::vector<DayNote> reviews_between(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to);
  std::vector<DayNote> plans_between(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to);
  std::optional<DayNote> get_review_by_id(Id org, Id id);
  std::optional<Deal> get_deal(Id org, Id id);
  // Lead intake by source: companies created in [from, to] (instants) and those that became effective.
  struct SourceRow {
    std::string source;
    int64_t intake = 0, effective = 0;
  };
  // Fit: per (rep, payer style) counts of effective companies and of those signed.
  struct FitRow {
    Id rep_id = 0;
    std::string style;
    int64_t trials = 0, wins = 0;
  };
  std::vector<FitRow> fit_rows(Id org);
  std::string payer_style(Id org, Id company);
  // People
  Id insert_values(Id org, Id user, Id assessor, const std::string& period, const std::array<int64_t, 6>& scores,
                   const std::string& comment, Instant now);
  std::vector<std::pair<Id, double>> latest_values(Id org);  // user -> average of the six in the latest assessment
  std::vector<json_row_t> list_values(Id org, Id user);
  Id insert_training(Id org, Id user, const std::string& kind, const std::string& title, const std::string& day,
                     double hours, const std::string& notes, Id by, Instant now);
  std::vector<json_row_t> list_training(Id org, const std::vector<Id>& users);

  // metrics over local days [from, to]; rep filter optional (one rep -> indexed)
  std::vector<RepMetrics> rep_metrics(Id org, const std::string& from, const std::string& to,
                                      std::optional<Id> only_rep);

  // ---- view counters (tx_counters.cpp, migration 0007) ----
  // discovery_stats, conversion_stats and intake_stats, kept by triggers like rep_day_stats.
  // Each reads the reps' rows or the organisation's total minus every other user's rows,
  // whichever is fewer: the same answers as the raw-row reference queries of the tests
  // (tests/store/reference_queries.h) for any set of reps, in rows of reps x days (or of days, organisation-wide).
  struct DiscoveryCount {
    int field = 0;  // 0: visits with any discovery text (text ""); 1 interest reason, 2 attraction, 3 concerns
    std::string text;
    int64_t n = 0;
  };
  // Non-zero counts of the reps' visits in [from, to], by (field, text).
  std::vector<DiscoveryCount> discovery_counts(Id org, const std::vector<Id>& reps, const std::string& from,
                                               const std::string& to);
  struct ConversionCount {
    Id rep_id = 0;  // conversion_by_rep
    std::string source, industry;  // conversion_counts
    int64_t effective = 0, signed_ = 0;
  };
  // Companies made effective by the reps in [from, to] by (source, industry), non-zero, ordered.
  std::vector<ConversionCount> conversion_counts(Id org, const std::vector<Id>& reps, const std::string& from,
                                                 const std::string& to);
  // The same per rep (reps with none are left out), by rep id.
  std::vector<ConversionCount> conversion_by_rep(Id org, const std::vector<Id>& reps, const std::string& from,
                                                 const std::string& to);
  // Lead intake by source from the counters (whole UTC hours of the creation window; part-hours from companies).
  std::vector<SourceRow> source_counts(Id org, const std::vector<Id>& reps, Instant created_from, Instant created_to,
                                       const std::string& eff_from, const std::string& eff_to);
  // Recomputes the organisation's rows of the three tables from visits and companies (after bulk loads).
  int64_t rebuild_view_counters(Id org);
  // ---- end view counters ----

  // ---- accompanied-visit bookings (tx_bookings.cpp) ----
  Id insert_booking(const Booking& b);
  std::optional<BookingRow> get_booking(Id org, Id id);
  bool update_booking(const Booking& b, int64_t expected_version);  // bumps version
  std::vector<BookingRow> list_bookings(const BookingQuery& q);
  // The scheduled booking of (rep, company, manager) with `at` in [from, to] nearest to `near`.
  std::optional<Booking> match_booking(Id org, Id rep, Id company, Id manager, Instant from, Instant to, Instant near);
  std::vector<Booking> bookings_of_visit(Id org, Id visit);
  // ---- end bookings ----

  // ---- the public pool and duplicate names (tx_pool.cpp, migration 0010) ----
  // Writes companies.name_key = names::company_key(name) (insert_company and update_company
  // call it; bulk inserts write the column themselves).
  void set_name_key(Id org, Id id, const std::string& name);
  // Live companies whose name_key is `key`, in id order, at most `limit`.
  std::vector<Company> companies_by_name_key(Id org, const std::string& key, int limit);
  // The pool facts of a company (kept by migration 0010's trigger on every owner change).
  struct PoolFacts {
    std::optional<Instant> owned_at;  // when the current owner got it (nullopt: since creation)
    std::optional<Id> lost_by;        // the last rep who dropped it or lost it to the pool
    std::optional<Instant> lost_at;
  };
  PoolFacts pool_facts(Id org, Id company);
  void insert_claim(Id org, Id rep, Id company, Instant at);
  // The rep's claims with at in [from, to).
  int64_t count_claims(Id org, Id rep, Instant from, Instant to);
  // Live, unsigned companies the rep owns.
  int64_t count_owned_unsigned(Id org, Id rep);
  // Companies owned by `reps`, unsigned, active (prospect, contacted, effective), whose pool
  // clock (the latest of the last visit and owned_at, else created_at) started before
  // `clock_before`, with id > after, in id order: (company, clock start).
  std::vector<std::pair<Company, Instant>> pool_release_due(Id org, const std::vector<Id>& reps, Instant clock_before,
                                                            Id after, int limit);
  // name_keys held by more than one live company, in key order after `after`, at most `limit`.
  std::vector<std::string> duplicate_name_keys(Id org, const std::string& after, int limit);
  // Moves the contacts, visits, deals and bookings of company `from` to `to` (a merge).
  void move_company_children(Id org, Id from, Id to);
  // ---- end pool and duplicates ----

  // ---- import / export (tx_import.cpp) ----
  // The organisation's live companies, a page at a time in id order (id > after):
  // (id, name), for matching imported rows by normalised name.
  std::vector<std::pair<Id, std::string>> company_names_after(Id org, Id after, int limit);
  // A bulk load of companies and contacts in the caller's transaction.
  // SQLite: the full-text triggers on INSERT into companies and contacts and on
  // UPDATE of a company's name are suspended (company names must not change
  // until end_bulk_import); end_bulk_import then indexes the new companies for
  // search in one statement (FTS5 flushes its index at every statement, so one
  // row a statement is ten times slower), refreshes the contacts of the
  // companies listed in fts_refresh, and restores the triggers unchanged. The
  // lead-intake trigger (intake_stats, two upserts a company) is suspended too:
  // end_bulk_import counts the new companies in one grouped upsert, so new
  // companies must not be updated or deleted before it. A failed transaction
  // rolls all of it back. No-op on PostgreSQL.
  struct BulkLoad {
    bool fts = false;
    Id org = 0;
    std::vector<std::string> restore;       // DDL of what was suspended or dropped
    Id first_company = 0, next_company = 0;  // SQLite: ids handed out here (0: none yet)
    Id next_contact = 0;
    int64_t cache_size = 0, threads = 0, fts_hashsize = 0;  // SQLite: settings to restore
    std::vector<Id> fts_refresh;             // existing companies given new contacts
    bool staged = false;                     // new companies' contact names kept in a temporary table
    bool analyzed = false;                   // PostgreSQL: companies' statistics looked at (import_companies)
    bool intake = false;                     // SQLite: companies_intake_ins suspended (counted at the end)
    // SQLite, with `intake`: the new companies by what companies_intake_ins keys them on (organisation,
    // owner or -1 for the pool, UTC hour of creation, source), counted by import_companies.
    std::map<std::tuple<Id, Id, int64_t, std::string>, int64_t> intake_new;
    bool new_contacts = false;  // SQLite: some contact of a new company was inserted
  };
  BulkLoad begin_bulk_import(Id org);
  // Told how many rows are about to be inserted, SQLite drops the indexes of
  // companies (or contacts) when rebuilding them afterwards is cheaper than
  // growing them row by row (a big load into a small table); end_bulk_import
  // recreates them. Call after the transaction's last read that needs them.
  void bulk_expect(BulkLoad& b, int64_t companies, int64_t contacts);
  void end_bulk_import(const BulkLoad& b);
  // Inserts with only the columns an import sets (the rest take their
  // defaults); ids are set on return. On SQLite the single writer numbers the
  // rows itself (max(id) + 1, as SQLite would) and writes many rows a
  // statement: RETURNING and one statement a row cost as much as the insert.
  // Every insert of companies and contacts between begin_bulk_import and
  // end_bulk_import goes through these.
  void import_companies(BulkLoad& b, std::vector<Company>& cs);
  void import_contacts(BulkLoad& b, std::vector<Contact>& cs);
  // The contact names (joined by spaces) of new companies, for their search
  // rows: reading them back from contacts while FTS5 builds costs more than
  // the whole insert.
  void stage_contact_names(BulkLoad& b, const std::vector<std::pair<Id, std::string>>& names);
  // Export: the contacts, visits and deals of some companies (at most 500 ids a
  // call), visits and deals optionally within local days [from, to].
  std::vector<Contact> contacts_of(Id org, const std::vector<Id>& companies);
  std::vector<Visit> visits_of(Id org, const std::vector<Id>& companies, const std::string& from, const std::string& to);
  std::vector<Deal> deals_of(Id org, const std::vector<Id>& companies, const std::string& from, const std::string& to);
  // ---- end import / export ----

 private:
  Settings read_settings(Id org);
  // PostgreSQL: n new ids of `table`'s identity column in one round trip, ascending (tx_import.cpp).
  std::vector<Id> sequence_ids(const char* table, size_t n);
  db::Conn& c_;
};

}  // namespace tj
