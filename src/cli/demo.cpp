// `tiejun demo`: a realistic demo organisation, generated deterministically from
// a seed (same seed + same --as-of -> the same database content, byte for byte
// apart from schema_migrations.applied_at).
//
// Shape at --scale 1: a director over a root team with 4 sales teams (a manager
// and 6 reps each: a benchmark star, solid reps, one who spends too much time on
// existing customers (80/20), one time-sinker, new hires, weak ones), an admin,
// 12,000 companies with Chinese names in 10 industries (ranked inside their
// industry, budget capacity falling with rank), 6 months of working-day visits
// (~21,000) following the method, ~2,300 deals, nurture and public-pool
// companies, accompanied visits with coaching stages, team quotas with a few rep
// overrides (and one quota lowered by 取中间值), values assessments, training
// records, and morning plans / evening shares for the last days. The history ends
// on the morning of --as-of (visits that day stop at noon).
//
// --scale N multiplies teams, reps, companies and visits by N: 24N reps,
// 12,000N companies, ~21,000N visits. Scale 42 has 1,008 reps, scale 84 has
// 1,008,000 companies, scale 480 has ~10,000,000 visits. --companies M sets the
// number of companies apart from the reps (--scale 42 --companies 1000000: 1,008
// reps among a million companies); visits follow the reps, not the companies.
//
// How: the history is simulated in memory, day by day and rep by rep, on
// tj::Company objects through tj::rules (apply_visit, apply_deal, change_status,
// claim) -- the same rules the app applies -- so company facts, statuses,
// effective_at/day/by, visit counts and visit.was_new/made_effective agree
// exactly with what the app would have recorded. The nightly pool release is
// simulated as App::run_jobs does it (and recorded in job_runs). Everything is
// then written through the store's writer connection in large transactions:
// multi-row prepared INSERTs on SQLite, COPY on PostgreSQL (any --db works:
// sqlite:FILE or a postgresql:// URL naming an empty database; on PostgreSQL
// each big table is loaded in one transaction with its indexes and foreign keys
// made after the rows, the identity sequences are moved past the explicit ids
// and the tables analysed). Not generated: per-visit/per-deal audit rows (only
// the set-up and the targets are audited), sessions, tokens, comments and likes.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <unordered_set>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/demo_data.h"
#include "domain/rules.h"
#include "domain/names.h"
#include "store/postgres/pg.h"
#include "store/tx.h"

namespace tj::cli {
namespace {

namespace dd = demo_data;
using json = nlohmann::json;

constexpr const char* kPassword = "tiejun-demo";
constexpr const char* kOrgName = "铁军演示公司";
constexpr int kHistoryDays = 182;              // six months of daily visits
constexpr int kCompaniesPerScale = 12000;
constexpr int kTeamsPerScale = 4;
constexpr int kRepsPerTeam = 6;
constexpr Fen kMinOrder = 1000000;  // the settings' default min_order_value: 10,000 yuan

// ---------- a seeded PRNG: xoshiro256** over splitmix64 ----------

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& v : s_) v = splitmix64(seed);
  }
  uint64_t next() {
    uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  uint64_t below(uint64_t n) { return n ? uint64_t((unsigned __int128)next() * n >> 64) : 0; }
  int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(below(uint64_t(hi - lo + 1))); }  // inclusive
  double real() { return double(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * real(); }
  bool chance(double p) { return real() < p; }
  double normal() {
    double u1 = double((next() >> 11) + 1) * 0x1.0p-53, u2 = real();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <class T, size_t N>
  const T& pick(const T (&a)[N]) { return a[below(N)]; }
  size_t weighted(const double* w, size_t n) {
    double total = 0;
    for (size_t i = 0; i < n; i++) total += w[i];
    double x = real() * total;
    for (size_t i = 0; i < n; i++) {
      if (x < w[i]) return i;
      x -= w[i];
    }
    return n - 1;
  }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; i--) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string chinese_number(int n) {  // 1..99 -> 一..九十九; larger -> digits
  static const char* d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) return std::to_string(n);
  if (n < 10) return d[n];
  std::string s = n / 10 == 1 ? "" : d[n / 10];
  s += "十";
  if (n % 10) s += d[n % 10];
  return s;
}

std::string person_name(Rng& r) { return std::string(r.pick(dd::kSurnames)) + r.pick(dd::kGiven); }

// The demo password as an argon2id string (same parameters as App::hash_password),
// with the salt drawn from the seed so that the same seed gives the same bytes.
// Checked with App::verify_password; falls back to App::hash_password.
std::string demo_password_hash(uint64_t seed) {
  unsigned char salt[crypto_pwhash_SALTBYTES], out[32];
  Rng r(seed ^ 0x5A17ULL);
  for (auto& b : salt) b = static_cast<unsigned char>(r.next() >> 56);
  if (sodium_init() < 0 ||
      crypto_pwhash(out, sizeof out, kPassword, std::strlen(kPassword), salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return App::hash_password(kPassword);
  auto b64 = [](const unsigned char* p, size_t n) {
    std::string s(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING), '\0');
    sodium_bin2base64(s.data(), s.size(), p, n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    s.resize(std::strlen(s.c_str()));
    return s;
  };
  std::string h = "$argon2id$v=19$m=" + std::to_string(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024) +
                  ",t=" + std::to_string(crypto_pwhash_OPSLIMIT_INTERACTIVE) + ",p=1$" + b64(salt, sizeof salt) + "$" +
                  b64(out, sizeof out);
  return App::verify_password(h, kPassword) ? h : App::hash_password(kPassword);
}

// ---------- rep archetypes: who does what with their day ----------

enum Arch : uint8_t { Star, Solid, Poor8020, TimeSink, NewHire, Weak };
struct ArchParams {
  double visits;     // visits a working day
  double existing;   // share of visits spent on signed customers (80/20)
  double stale;      // share of new-customer slots spent revisiting stale unsigned companies (time sinks)
  double payer;      // how well they reach the payer
  double close;      // how well they close an effective customer
  double calls;      // share of phone calls
  double diligence;  // chance they follow up when the method says so
};
constexpr ArchParams kArch[] = {
    /* Star     */ {9.5, 0.12, 0.04, 1.35, 1.25, 0.28, 0.9},
    /* Solid    */ {8.2, 0.16, 0.08, 1.0, 1.0, 0.32, 0.75},
    /* Poor8020 */ {7.8, 0.48, 0.08, 1.0, 0.95, 0.35, 0.7},
    /* TimeSink */ {7.8, 0.15, 0.40, 0.6, 0.7, 0.30, 0.95},
    /* NewHire  */ {6.2, 0.05, 0.10, 0.75, 0.75, 0.35, 0.8},
    /* Weak     */ {6.5, 0.18, 0.12, 0.8, 0.8, 0.40, 0.6},
};
// Four team make-ups, so teams differ (a strong one, a weak one).
constexpr Arch kTeamTemplates[4][kRepsPerTeam] = {
    {Star, Solid, Solid, Poor8020, TimeSink, NewHire},
    {Solid, Solid, Weak, TimeSink, NewHire, Solid},
    {Star, Star, Solid, Poor8020, Solid, Weak},
    {Solid, Weak, Weak, TimeSink, NewHire, NewHire},  // the team whose quota gets lowered (取中间值)
};

enum Next : uint8_t { kNone, kFollowUp, kSignMeeting, kNurtureRevisit };

struct CoSim {  // hidden truth and simulation state of one company
  uint8_t area = 0, city = 0, source = 4, payer_style = 0;
  bool touched = false, need_true = false, budget_true = false, need_known = false, budget_known = false;
  uint8_t next = kNone;
  float payer_access = 0.4f, close_prop = 0.6f;
  int32_t next_day = 0;
  int32_t pos = -1;          // index in the owner's pipeline
  int32_t dropped_day = 0;
};

struct RepSim {
  size_t user = 0;  // index into Demo::users_
  size_t team = 0;
  Arch arch = Solid;
  ArchParams p{};
  int style = 0;
  int64_t start_day = 0;  // first working day in the history (hire date for new hires)
  int eff_quota_override = 0, visits_quota_override = 0;
  std::vector<uint32_t> pipeline, customers;
  int nurture = 0, stage = 0, below = 0, on = 0, acc_days = 0, eff_today = 0;
};

struct VRec {  // one visit, compact (millions of them live in memory)
  Instant at;
  uint32_t co, rep, companion;  // rep/companion: user index (+1 for companion; 0 = none)
  uint16_t dur;                 // 0 = not logged
  uint8_t kind, stage;
  int8_t met, need, budget;     // -1 = not reported
  uint8_t flags;                // 1 was_new, 2 made_effective
  uint8_t interest, attraction, concerns, notes;
};
struct DRec {
  Instant at;
  uint32_t co, rep;
  Fen amount;
};

struct UserPlan {
  User u;
  Arch arch = Solid;
  size_t team = SIZE_MAX;
};
struct TeamPlan {
  Team t;
  size_t area = 0;
  int tmpl = 0;
  size_t manager = 0;  // user index
  std::vector<size_t> reps;
};

int8_t untri(const std::optional<bool>& b) { return b ? int8_t(*b) : int8_t(-1); }

// Accumulates rows and writes them in bulk: on SQLite as multi-row INSERTs (one
// cached statement per batch size), on PostgreSQL with COPY ... FROM STDIN (the
// rows are kept as COPY text and sent at flush() or every 16 MB).
class Inserter {
 public:
  Inserter(db::Conn& c, std::string head, int cols, int rows)
      : c_(c), pg_(dynamic_cast<pg::PgConn*>(&c)), head_(std::move(head)), cols_(cols), rows_(rows) {
    if (!pg_) buf_.reserve(size_t(cols) * rows);
  }
  template <class... V>
  void row(V&&... v) {
    if (pg_) {
      bool first = true;
      auto field = [&](db::Value x) {
        if (!first) copy_ += '\t';
        first = false;
        pg::PgConn::append_copy_field(copy_, x);
      };
      (field(db::Value(std::forward<V>(v))), ...);
      copy_ += '\n';
      if (copy_.size() >= (16u << 20)) flush();
      return;
    }
    (buf_.emplace_back(std::forward<V>(v)), ...);
    if (buf_.size() == size_t(cols_) * rows_) flush();
  }
  void flush() {
    if (pg_) {
      if (copy_.empty()) return;
      // head_ is "INSERT INTO table(columns)"
      std::string sql = "COPY " + head_.substr(std::strlen("INSERT INTO ")) + " FROM STDIN";
      pg_->copy_in(sql, [&](std::string& buf) {
        buf.swap(copy_);
        return false;
      });
      copy_.clear();
      return;
    }
    if (buf_.empty()) return;
    int n = int(buf_.size() / cols_);
    if (n == rows_ && !full_sql_.empty()) {
      c_.exec(full_sql_, buf_);
    } else {
      std::string sql = sql_for(n);
      if (n == rows_) full_sql_ = sql;
      c_.exec(sql, buf_);
    }
    buf_.clear();
  }

 private:
  std::string sql_for(int n) {
    std::string one = "(";
    for (int i = 0; i < cols_; i++) one += i ? ",?" : "?";
    one += ")";
    std::string sql = head_ + " VALUES ";
    for (int i = 0; i < n; i++) {
      if (i) sql += ",";
      sql += one;
    }
    return sql;
  }
  db::Conn& c_;
  pg::PgConn* pg_;  // PostgreSQL: COPY
  std::string head_, full_sql_;
  int cols_, rows_;
  std::vector<db::Value> buf_;
  std::string copy_;
};

// PostgreSQL bulk load: the non-unique indexes and the foreign keys of the
// loaded tables are dropped inside the loading transaction and made again at its
// end (one sort per index, one join per key: several times faster than keeping
// them up row by row during COPY, most of all the trigram GIN indexes). DDL is
// transactional, so a load that fails leaves the schema as it was. Nothing on
// SQLite.
class PgDeferredIndexes {
 public:
  PgDeferredIndexes(db::Conn& c, std::initializer_list<const char*> tables) : c_(c) {
    if (c.dialect() != db::Dialect::Postgres) return;
    c_.exec_script("SET LOCAL maintenance_work_mem = '256MB'");
    for (const char* t : tables) {
      std::string table = t;
      for (auto& r : c_.query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(?) "
                              "AND contype = 'f' ORDER BY conname",
                              {table})) {
        c_.exec_script("ALTER TABLE " + table + " DROP CONSTRAINT \"" + r.str(0) + "\"");
        restore_.push_back("ALTER TABLE " + table + " ADD CONSTRAINT \"" + r.str(0) + "\" " + r.str(1));
      }
      for (auto& r : c_.query("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = "
                              "x.indexrelid WHERE x.indrelid = to_regclass(?) AND NOT x.indisunique AND NOT x.indisprimary "
                              "ORDER BY i.relname",
                              {table})) {
        c_.exec_script("DROP INDEX \"" + r.str(0) + "\"");
        restore_.insert(restore_.begin(), r.str(1));  // indexes first, then the keys
      }
    }
  }
  void restore() {
    for (auto& sql : restore_) c_.exec_script(sql);
    restore_.clear();
  }

 private:
  db::Conn& c_;
  std::vector<std::string> restore_;
};

db::Value opt(const std::optional<int64_t>& v) { return v ? db::Value(*v) : db::Value(); }
db::Value str_or_null(const std::string& s) { return s.empty() ? db::Value() : db::Value(s); }

class Demo {
 public:
  Demo(const DemoArgs& a, int64_t as_of_day) : a_(a), rng_(a.seed), as_of_(as_of_day) {
    tz_ = TimeZone::get("Asia/Shanghai");
    start_ = as_of_ - kHistoryDays;
    org_day_ = as_of_ - 420;
    recent_from_ = as_of_ - 28;
    lowered_day_ = as_of_ - 22;
    while (!working(lowered_day_)) lowered_day_++;
  }

  int run(Store& store);

 private:
  // time
  bool working(int64_t d) const { return weekday(d) <= 5; }
  Instant at_local(int64_t d, int64_t secs) const { return tz_->start_of_local_day(d) + secs; }
  std::string date(int64_t d) const { return format_date(civil_from_days(d)); }
  int64_t day_of(Instant t) const { return tz_->local_day(t); }

  // stages
  void plan_org();
  Status write_org(Tx& tx, const std::string& hash);
  void make_companies();
  void prehistory();
  void simulate();
  void finish_companies();
  void write_all(Store& store);

  // simulation pieces
  uint32_t pop_lead(size_t area, int64_t d);
  void touch(uint32_t co, int64_t d);
  void own(RepSim& r, uint32_t co);
  void leave_pipeline(RepSim& r, uint32_t co);
  void rep_day(RepSim& r, int64_t d, bool accompanied, size_t manager);
  void after_visit(RepSim& r, uint32_t co, int64_t d, Instant end, bool signing_meeting);
  void decide(RepSim& r, uint32_t co, int64_t d, Instant end, bool signing_meeting);
  void sign(RepSim& r, uint32_t co, Instant at);
  void drop(RepSim& r, uint32_t co, int64_t d, Instant at, const std::string& reason);
  bool nurture(RepSim& r, uint32_t co, int64_t d, Instant at);
  int eff_quota(const RepSim& r, int64_t d) const;
  Fen deal_amount(const Company& c, double share);
  Id uid(size_t user) const { return users_[user].u.id; }
  double fit(const RepSim& r, uint32_t co) const { return sims_[co].payer_style == r.style ? 1.3 : 0.9; }
  void record(const RepSim& r, const Visit& v, uint32_t co, size_t companion, uint8_t ir, uint8_t at, uint8_t cn,
              uint8_t nt);

  const DemoArgs& a_;
  Rng rng_;
  std::shared_ptr<const TimeZone> tz_;
  int64_t as_of_, start_, org_day_, recent_from_, lowered_day_;
  Id org_ = 0;
  std::vector<UserPlan> users_;
  std::vector<TeamPlan> teams_;  // [0] is the director's root team
  std::vector<RepSim> reps_;
  std::vector<Company> cos_;
  std::vector<CoSim> sims_;
  std::vector<std::vector<uint32_t>> queues_;  // untouched leads per area
  std::vector<uint32_t> pool_;                 // dropped companies, claimable
  std::vector<VRec> visits_;
  std::vector<DRec> deals_;
  std::vector<size_t> industry_size_;
  std::vector<std::pair<int64_t, int64_t>> jobs_;  // (day, companies released) of the nightly pool-release job
};

// ---------- the organisation ----------

void Demo::plan_org() {
  int S = a_.scale;
  auto add_user = [&](const std::string& username, Role role, const std::string& hire, Arch arch) {
    UserPlan p;
    p.u.username = username;
    p.u.display_name = person_name(rng_);
    p.u.role = role;
    p.u.hire_date = hire;
    p.u.selling_style = role == Role::Rep ? dd::kStyles[rng_.below(4)] : "";
    p.arch = arch;
    users_.push_back(p);
    return users_.size() - 1;
  };
  size_t admin = add_user("admin", Role::Admin, date(org_day_ - 200), Solid);
  users_[admin].u.display_name = "系统管理员";
  size_t director = add_user("director", Role::Director, date(org_day_ - rng_.range(300, 900)), Solid);
  TeamPlan root;
  root.t.name = "销售中心";
  root.manager = director;
  teams_.push_back(root);
  users_[director].team = 0;
  int nteams = kTeamsPerScale * S;
  std::vector<int> per_area(dd::kTeamAreas, 0);
  int rep_no = 0;
  for (int i = 0; i < nteams; i++) {
    TeamPlan tp;
    tp.area = size_t(i) % dd::kTeamAreas;
    tp.tmpl = i % 4;
    tp.t.name = std::string(dd::kAreas[tp.area]) + chinese_number(++per_area[tp.area]) + "组";
    tp.manager = add_user("manager" + std::to_string(i + 1), Role::Manager, date(org_day_ - rng_.range(100, 1200)), Solid);
    users_[tp.manager].team = teams_.size();
    Arch archs[kRepsPerTeam];
    std::copy(std::begin(kTeamTemplates[tp.tmpl]), std::end(kTeamTemplates[tp.tmpl]), archs);
    for (int k = kRepsPerTeam - 1; k > 0; k--) std::swap(archs[k], archs[rng_.below(uint64_t(k) + 1)]);
    for (int k = 0; k < kRepsPerTeam; k++) {
      int64_t hire = archs[k] == NewHire ? as_of_ - rng_.range(35, 85) : as_of_ - rng_.range(200, 1500);
      size_t u = add_user("rep" + std::to_string(++rep_no), Role::Rep, date(hire), archs[k]);
      users_[u].team = teams_.size();
      tp.reps.push_back(u);
    }
    teams_.push_back(tp);
  }
  for (auto& up : users_) {
    auto hd = parse_date(up.u.hire_date);
    int64_t hday = hd ? days_from_civil(*hd) : org_day_;
    up.u.created_at = at_local(std::max(hday, org_day_), 10 * 3600 + rng_.range(0, 7200));
  }
  // Reps' simulation parameters: archetype with a little personal variation.
  for (size_t t = 1; t < teams_.size(); t++) {
    for (size_t u : teams_[t].reps) {
      RepSim r;
      r.user = u;
      r.team = t;
      r.arch = users_[u].arch;
      r.p = kArch[r.arch];
      double j = rng_.uniform(0.9, 1.1);
      r.p.visits *= j;
      r.p.payer *= rng_.uniform(0.9, 1.1);
      r.p.close *= rng_.uniform(0.9, 1.1);
      r.p.existing *= rng_.uniform(0.85, 1.15);
      for (int s = 0; s < 4; s++)
        if (users_[u].u.selling_style == dd::kStyles[s]) r.style = s;
      int64_t hire = days_from_civil(*parse_date(users_[u].u.hire_date));
      r.start_day = std::max(start_, hire);
      if (r.arch == NewHire) {
        r.eff_quota_override = 1;
        r.visits_quota_override = 4;
      }
      reps_.push_back(std::move(r));
    }
  }
  // The benchmark rep of the first team gets a stretch target.
  for (auto& r : reps_)
    if (r.arch == Star) {
      r.eff_quota_override = 3;
      r.visits_quota_override = 6;
      break;
    }
}

Status Demo::write_org(Tx& tx, const std::string& hash) {
  Instant org_at = at_local(org_day_, 9 * 3600);
  org_ = tx.insert_org(kOrgName, org_at);
  for (auto& t : teams_) {
    t.t.org_id = org_;
    t.t.created_at = org_at + 600;
    if (&t != &teams_[0]) t.t.parent_id = teams_[0].t.id;
    t.t.id = tx.insert_team(t.t);
  }
  for (auto& up : users_) {
    up.u.org_id = org_;
    up.u.password_hash = hash;
    if (up.team != SIZE_MAX) up.u.team_id = teams_[up.team].t.id;
    up.u.id = tx.insert_user(up.u);
  }
  for (auto& t : teams_) {
    t.t.manager_id = uid(t.manager);
    tx.conn().exec("UPDATE teams SET manager_id = ? WHERE org_id = ? AND id = ?", {*t.t.manager_id, org_, t.t.id});
  }
  // The audit trail of the set-up, by the admin.
  Id admin = users_[0].u.id;
  auto audit = [&](Instant at, const char* action, const char* entity, Id id, const json& old_v, const json& new_v) {
    AuditEntry e;
    e.org_id = org_;
    e.at = at;
    e.user_id = admin;
    e.action = action;
    e.entity = entity;
    e.entity_id = id;
    e.old_json = old_v.is_null() ? "" : old_v.dump();
    e.new_json = new_v.is_null() ? "" : new_v.dump();
    tx.insert_audit(e);
  };
  audit(org_at, "create", "org", org_, nullptr, json{{"name", kOrgName}});
  for (auto& up : users_) audit(std::max(up.u.created_at, org_at), "create", "user", up.u.id, nullptr, to_json(up.u));
  for (auto& t : teams_)
    audit(t.t.created_at, "create", "team", t.t.id, nullptr,
          json{{"id", t.t.id}, {"name", t.t.name}, {"parent_id", t.t.parent_id ? json(*t.t.parent_id) : json(nullptr)},
               {"manager_id", *t.t.manager_id}, {"version", 1}});
  return ok_status();
}

// ---------- companies ----------

void Demo::make_companies() {
  size_t n = a_.companies > 0 ? size_t(a_.companies) : size_t(kCompaniesPerScale) * size_t(a_.scale);
  cos_.resize(n);
  sims_.resize(n);
  // Areas: where the teams are, plus a share nobody works (pool prospects).
  std::vector<double> area_w(dd::count(dd::kAreas), 0.0);
  for (size_t t = 1; t < teams_.size(); t++) area_w[teams_[t].area] += 10.0;
  double extra = double(teams_.size() - 1) * 0.35;
  for (auto& w : area_w) w += extra;
  double ind_w[dd::count(dd::kIndustries)];
  for (size_t i = 0; i < dd::count(dd::kIndustries); i++) ind_w[i] = dd::kIndustries[i].weight;
  std::vector<std::vector<uint32_t>> by_ind(dd::count(dd::kIndustries));
  std::vector<uint8_t> ind_of(n);
  for (size_t i = 0; i < n; i++) {
    ind_of[i] = uint8_t(rng_.weighted(ind_w, dd::count(dd::kIndustries)));
    by_ind[ind_of[i]].push_back(uint32_t(i));
    sims_[i].area = uint8_t(rng_.weighted(area_w.data(), area_w.size()));
    sims_[i].city = uint8_t(rng_.below(12));
  }
  industry_size_.resize(by_ind.size());
  for (size_t k = 0; k < by_ind.size(); k++) {
    rng_.shuffle(by_ind[k]);
    industry_size_[k] = by_ind[k].size();
    for (size_t r = 0; r < by_ind[k].size(); r++) cos_[by_ind[k][r]].industry_rank = int64_t(r + 1);
  }
  std::unordered_set<uint64_t> names;
  names.reserve(n * 2);
  for (size_t i = 0; i < n; i++) {
    Company& c = cos_[i];
    CoSim& s = sims_[i];
    const auto& ind = dd::kIndustries[ind_of[i]];
    double q = double(*c.industry_rank) / double(industry_size_[ind_of[i]]);  // 0 = the top of the industry
    c.industry = ind.name;
    c.region = dd::kAreas[s.area];
    if (rng_.chance(0.9)) {
      double yuan = std::pow(10.0, 6.8 - 2.6 * std::sqrt(q) + 0.2 * rng_.normal());
      int64_t k = std::max<int64_t>(1, std::llround(yuan / 1000.0));  // whole thousands of yuan
      c.budget_capacity = k * 1000 * 100;
    }
    std::string city = dd::kAreaCities[s.area][s.city];
    for (int attempt = 0;; attempt++) {
      std::string root;
      do root = std::string(rng_.pick(dd::kRoot1)) + rng_.pick(dd::kRoot2);
      while (root.substr(0, 3) == root.substr(3));
      std::string word = ind.words[rng_.below(6)];
      std::string suffix = q < 0.02 ? (rng_.chance(0.5) ? "集团股份有限公司" : "集团有限公司") : ind.suffixes[rng_.below(3)];
      std::string name = rng_.chance(0.12) ? root + word + "（" + city + "）" + suffix : city + root + word + suffix;
      if (attempt >= 30) name += "（" + std::to_string(i) + "）";
      if (names.insert(fnv1a(tj::names::company_key(name))).second) {  // unique after normalisation (撞单)
        c.name = std::move(name);
        break;
      }
    }
    // Hidden truth is drawn when a rep first touches the company (the lead mix changes over time).
    s.payer_access = float(std::clamp(0.4 + 0.26 * q + rng_.uniform(-0.1, 0.1), 0.15, 0.8));
    s.close_prop = float(rng_.uniform(0.4, 0.85));
    s.payer_style = uint8_t(rng_.below(4));
  }
  queues_.assign(dd::count(dd::kAreas), {});
  for (size_t i = 0; i < n; i++) queues_[sims_[i].area].push_back(uint32_t(i));
  for (auto& q : queues_) rng_.shuffle(q);
}

// The source and the facts of a lead, decided when it is first worked.
void Demo::touch(uint32_t co, int64_t d) {
  CoSim& s = sims_[co];
  Company& c = cos_[co];
  if (s.touched) return;
  s.touched = true;
  s.source = uint8_t(rng_.weighted(d >= recent_from_ ? dd::kSourceWeightsRecent : dd::kSourceWeights, 5));
  c.source = dd::kSources[s.source];
  if (s.source == 2 || rng_.chance(0.15)) c.competitor = rng_.pick(dd::kCompetitors);
  s.need_true = rng_.chance(dd::kSourceNeed[s.source]);
  s.budget_true = c.budget_capacity ? (*c.budget_capacity >= kMinOrder && rng_.chance(0.85)) : rng_.chance(0.6);
}

uint32_t Demo::pop_lead(size_t area, int64_t d) {
  auto* q = &queues_[area];
  if (q->empty()) {  // this area is worked out: take a lead from the fullest other queue
    size_t best = 0;
    for (size_t k = 0; k < queues_.size(); k++)
      if (queues_[k].size() > queues_[best].size()) best = k;
    q = &queues_[best];
    if (q->size() < 50) return UINT32_MAX;  // keep a few pool prospects untouched
  }
  uint32_t co = q->back();
  q->pop_back();
  touch(co, d);
  return co;
}

void Demo::own(RepSim& r, uint32_t co) {
  cos_[co].owner_id = uid(r.user);
  sims_[co].pos = int32_t(r.pipeline.size());
  sims_[co].next = kNone;
  r.pipeline.push_back(co);
}

void Demo::leave_pipeline(RepSim& r, uint32_t co) {
  int32_t p = sims_[co].pos;
  if (p < 0) return;
  uint32_t last = r.pipeline.back();
  r.pipeline[size_t(p)] = last;
  sims_[last].pos = p;
  r.pipeline.pop_back();
  sims_[co].pos = -1;
  sims_[co].next = kNone;
}

Fen Demo::deal_amount(const Company& c, double share) {
  double cap = c.budget_capacity ? double(*c.budget_capacity) / 100.0 : 200000.0;  // yuan
  double yuan = cap * share;
  if (cap >= 50000) yuan = std::clamp(yuan, 50000.0, 2000000.0);
  else yuan = std::clamp(yuan, 10000.0, cap);
  return std::llround(yuan / 1000.0) * 1000 * 100;
}

void Demo::record(const RepSim& r, const Visit& v, uint32_t co, size_t companion, uint8_t ir, uint8_t at, uint8_t cn,
                  uint8_t nt) {
  VRec x{};
  x.at = v.at;
  x.co = co;
  x.rep = uint32_t(r.user);
  x.companion = companion == SIZE_MAX ? 0 : uint32_t(companion + 1);
  x.dur = v.duration_min ? uint16_t(*v.duration_min) : 0;
  x.kind = uint8_t(v.kind);
  x.stage = v.coaching_stage ? uint8_t(*v.coaching_stage) : 0;
  x.met = untri(v.met_payer);
  x.need = untri(v.need);
  x.budget = untri(v.budget);
  x.flags = uint8_t((v.was_new ? 1 : 0) | (v.made_effective ? 2 : 0));
  x.interest = ir;
  x.attraction = at;
  x.concerns = cn;
  x.notes = nt;
  visits_.push_back(x);
}

void Demo::sign(RepSim& r, uint32_t co, Instant at) {
  Company& c = cos_[co];
  bool was_nurture = c.status == CompanyStatus::Nurture;
  Deal d;
  d.company_id = co;
  d.rep_id = *c.owner_id;
  d.amount = deal_amount(c, rng_.uniform(0.25, 0.8));
  d.signed_on = tz_->local_date(at);
  rules::apply_deal(c, d, at);
  c.version++;
  c.updated_at = at;
  deals_.push_back({at, co, uint32_t(r.user), d.amount});
  if (was_nurture) r.nurture--;
  leave_pipeline(r, co);
  r.customers.push_back(co);
}

void Demo::drop(RepSim& r, uint32_t co, int64_t d, Instant at, const std::string& reason) {
  Company& c = cos_[co];
  bool was_nurture = c.status == CompanyStatus::Nurture;
  if (!rules::change_status(c, {CompanyStatus::Dropped, "", "", reason}, r.nurture, 5).ok()) return;
  c.version++;
  c.updated_at = at;
  if (was_nurture) r.nurture--;
  leave_pipeline(r, co);
  sims_[co].dropped_day = int32_t(d);
  pool_.push_back(co);
}

bool Demo::nurture(RepSim& r, uint32_t co, int64_t d, Instant at) {
  Company& c = cos_[co];
  bool already = c.status == CompanyStatus::Nurture;
  int64_t back = d + rng_.range(14, 60);
  const char* reason = rng_.pick(dd::kNurtureReasons);
  if (!rules::change_status(c, {CompanyStatus::Nurture, reason, date(back), ""}, r.nurture, 5).ok()) return false;
  c.version++;
  c.updated_at = at;
  if (!already) r.nurture++;
  CoSim& s = sims_[co];
  s.next = kNurtureRevisit;
  // Diligent reps come back on the day; others let it slide (nurture_due alerts).
  s.next_day = int32_t(rng_.chance(r.p.diligence) ? back + rng_.range(0, 2) : back + rng_.range(3, 20));
  return true;
}

int Demo::eff_quota(const RepSim& r, int64_t d) const {
  if (r.eff_quota_override) return r.eff_quota_override;
  return (teams_[r.team].tmpl == 3 && d >= lowered_day_) ? 1 : 2;
}

// What the method says to do after a visit to an unsigned company.
void Demo::after_visit(RepSim& r, uint32_t co, int64_t d, Instant end, bool signing_meeting) {
  decide(r, co, d, end, signing_meeting);
  // A parked company always has a date to come back; without one it is dropped.
  const Company& c = cos_[co];
  if (c.owner_id && c.status == CompanyStatus::Nurture && sims_[co].next == kNone) {
    if (!rng_.chance(0.6) || !nurture(r, co, d, end)) drop(r, co, d, end, dd::kDropReasons[4]);
  }
}

void Demo::decide(RepSim& r, uint32_t co, int64_t d, Instant end, bool signing_meeting) {
  Company& c = cos_[co];
  CoSim& s = sims_[co];
  if (c.signed_at || !c.owner_id) return;
  s.next = kNone;
  if (c.effective_at) {  // effective: sign, or drop; only a few are parked
    if (signing_meeting && rng_.chance(0.85)) return sign(r, co, end + 1800);
    if (!signing_meeting && rng_.chance(s.close_prop * r.p.close * fit(r, co))) {
      if (rng_.chance(0.4)) return sign(r, co, end + 1800);
      s.next = kSignMeeting;
      s.next_day = int32_t(d + rng_.range(1, 6));
      return;
    }
    double x = rng_.real();
    if (x < 0.4 && nurture(r, co, d, end)) return;
    if (x < 0.65) return drop(r, co, d, end, rng_.chance(0.5) ? dd::kDropReasons[5] : dd::kDropReasons[2]);
    return;  // lingers: "sign or drop" material
  }
  if (s.need_known && !s.need_true) {
    if (rng_.chance(0.65 * r.p.diligence + 0.1)) drop(r, co, d, end, dd::kDropReasons[0]);
    return;
  }
  if (s.budget_known && !s.budget_true) {
    double x = rng_.real();
    if (x < 0.5) drop(r, co, d, end, dd::kDropReasons[1]);
    else if (x < 0.65) nurture(r, co, d, end);
    return;
  }
  if (!c.payer_met || !s.budget_known || !s.need_known) {
    if (!c.payer_met && c.visit_count >= 4 && r.arch != TimeSink && rng_.chance(0.4)) return drop(r, co, d, end, dd::kDropReasons[3]);
    if (rng_.chance(r.p.diligence * (s.need_known ? 1.0 : 0.5))) {
      s.next = kFollowUp;
      s.next_day = int32_t(d + rng_.range(2, 9));
      return;
    }
  }
  // No next step: a decisive rep drops it now; the others let it lie until the
  // 30-day rule sends it to the pool.
  if (r.arch != TimeSink && rng_.chance(0.5 * r.p.diligence)) drop(r, co, d, end, dd::kDropReasons[6]);
}

void Demo::rep_day(RepSim& r, int64_t d, bool accompanied, size_t manager) {
  bool today = d == as_of_;  // the history ends this morning
  double mean = r.p.visits;
  int64_t tenure = d - r.start_day;
  double ramp = r.arch == NewHire ? std::min(1.0, 0.6 + double(tenure) / 75.0) : 1.0;
  int n = int(std::lround(mean * ramp + 1.2 * rng_.normal()));
  n = std::clamp(n, 2, 12);
  if (today) n = std::max(1, n / 2);
  int64_t limit = today ? 12 * 3600 : 20 * 3600;
  int64_t t = 9 * 3600 + rng_.range(0, 40) * 60;
  int acc_left = accompanied ? int(rng_.range(1, 3)) : 0;
  // Follow-ups that are due, oldest first.
  std::vector<std::pair<int32_t, uint32_t>> due;
  for (uint32_t co : r.pipeline)
    if (sims_[co].next != kNone && sims_[co].next_day <= d) due.push_back({sims_[co].next_day, co});
  std::sort(due.begin(), due.end());
  size_t due_i = 0;
  std::unordered_set<uint32_t> seen;  // one visit per company a day
  for (int slot = 0; slot < n && t < limit; slot++) {
    uint32_t co = UINT32_MAX;
    bool existing = false, stale = false;
    uint8_t planned = kNone;
    if (due_i < due.size() && slot < (n * 6 + 9) / 10) {
      co = due[due_i++].second;
      planned = sims_[co].next;
    } else if (!r.customers.empty() && rng_.chance(r.p.existing)) {
      co = r.customers[rng_.below(r.customers.size())];
      existing = true;
    } else if (!r.pipeline.empty() && rng_.chance(r.p.stale)) {
      for (int k = 0; k < 3 && co == UINT32_MAX; k++) {
        uint32_t x = r.pipeline[rng_.below(r.pipeline.size())];
        if (sims_[x].next == kNone && cos_[x].status != CompanyStatus::Nurture) co = x;
      }
      stale = co != UINT32_MAX;
    }
    if (co == UINT32_MAX) {  // a new lead: mostly fresh, sometimes fished out of the public pool
      if (!pool_.empty() && rng_.chance(0.06)) {
        for (int k = 0; k < 4 && co == UINT32_MAX; k++) {
          size_t i = rng_.below(pool_.size());
          uint32_t x = pool_[i];
          if (cos_[x].owner_id) {  // claimed meanwhile
            pool_[i] = pool_.back();
            pool_.pop_back();
            if (pool_.empty()) break;
            continue;
          }
          if (sims_[x].dropped_day + 14 > d) continue;
          pool_[i] = pool_.back();
          pool_.pop_back();
          Company& c = cos_[x];
          if (!rules::claim(c, uid(r.user)).ok()) continue;
          c.version++;
          c.updated_at = at_local(d, t);
          co = x;
          sims_[co].pos = -1;
          own(r, co);
        }
      }
      if (co == UINT32_MAX) {
        co = pop_lead(teams_[r.team].area, d);
        if (co != UINT32_MAX) {
          own(r, co);
          cos_[co].version++;  // assigned to the rep
        }
      }
      if (co == UINT32_MAX && !r.customers.empty()) {
        co = r.customers[rng_.below(r.customers.size())];
        existing = true;
      }
      if (co == UINT32_MAX) break;
    }
    if (!seen.insert(co).second) continue;
    Company& c = cos_[co];
    CoSim& s = sims_[co];
    Visit v;
    v.org_id = org_;
    v.company_id = co;
    v.rep_id = uid(r.user);
    v.at = at_local(d, t);
    v.day = tz_->local_date(v.at);
    size_t companion = SIZE_MAX;
    bool is_new = c.is_new();
    if (acc_left > 0 && is_new) {
      v.kind = VisitKind::Accompanied;
      acc_left--;
      companion = manager;
      v.companion_id = uid(manager);
      v.coaching_stage = r.stage ? r.stage : int(rng_.range(3, 4));
    } else if (rng_.chance(existing ? (r.arch == Poor8020 ? 0.15 : 0.5) : r.p.calls)) {  // 80/20 misses are long visits
      v.kind = VisitKind::Call;
    }
    int64_t dur = v.kind == VisitKind::Call ? rng_.range(5, 20)
                  : v.kind == VisitKind::Accompanied ? rng_.range(45, 120)
                                                     : rng_.range(30, 100);
    if (rng_.chance(0.85)) v.duration_min = dur;
    uint8_t ir = 0, at = 0, cn = 0, nt = 0;
    if (is_new) {
      double p = s.payer_access * r.p.payer;
      if (r.arch == NewHire) p *= std::min(1.0, 0.75 + double(tenure) / 240.0);
      if (v.kind == VisitKind::Call) p *= 0.45;
      if (v.kind == VisitKind::Accompanied) p *= 1.5;
      if (stale) p *= 0.5;  // the same contact again, no way to the boss
      bool met = rng_.chance(std::min(p, 0.95));
      if (v.kind != VisitKind::Call || rng_.chance(0.7)) v.met_payer = met;
      if (!s.need_known && rng_.chance(stale ? 0.3 : 0.8)) {
        v.need = s.need_true;
        s.need_known = true;
        if (s.need_true) ir = uint8_t(dd::kInterestBySource[s.source][rng_.below(2)]);
      }
      if (!s.budget_known && rng_.chance((met || c.payer_met) ? 0.85 : 0.2)) {
        v.budget = s.budget_true;
        s.budget_known = true;
      }
      if (s.need_true && s.need_known && rng_.chance(0.45)) at = uint8_t(1 + rng_.below(dd::count(dd::kAttraction) - 1));
      if (s.need_true && s.need_known && rng_.chance(0.35)) cn = uint8_t(1 + rng_.below(dd::count(dd::kConcerns) - 1));
      if (rng_.chance(0.75)) {
        if (v.kind == VisitKind::Accompanied) nt = 10;
        else if (planned == kSignMeeting) nt = 7;
        else if (v.kind == VisitKind::Call) nt = 6;
        else if (met) nt = 2;
        else if (c.visit_count >= 2) nt = rng_.chance(0.5) ? 11 : 12;
        else nt = c.visit_count == 0 ? uint8_t(rng_.chance(0.5) ? 1 : 3) : uint8_t(rng_.chance(0.5) ? 4 : 5);
      }
    } else if (rng_.chance(0.6)) {
      static constexpr uint8_t kExisting[] = {8, 9, 13};
      nt = rng_.pick(kExisting);
    }
    v.interest_reason = dd::kInterest[ir];
    v.attraction = dd::kAttraction[at];
    v.concerns = dd::kConcerns[cn];
    v.notes = dd::kNotes[nt];
    v.created_at = v.at + (v.duration_min ? *v.duration_min : 30) * 60;
    bool was_nurture = c.status == CompanyStatus::Nurture;
    rules::apply_visit(c, v);
    c.version++;
    c.updated_at = v.created_at;
    if (was_nurture && c.status != CompanyStatus::Nurture) r.nurture--;
    if (v.made_effective) r.eff_today++;
    record(r, v, co, companion, ir, at, cn, nt);
    Instant end = v.at + dur * 60;
    if (is_new) after_visit(r, co, d, end, planned == kSignMeeting);
    else if (rng_.chance(0.02)) {  // an existing customer buys more
      Deal dl;
      dl.amount = deal_amount(c, rng_.uniform(0.08, 0.3));
      deals_.push_back({end + 1800, co, uint32_t(r.user), dl.amount});
      rules::apply_deal(c, dl, end + 1800);
      c.version++;
      c.updated_at = end + 1800;
    }
    int64_t gap = v.kind == VisitKind::Call ? rng_.range(3, 10) : rng_.range(15, 45);
    t += (dur + gap) * 60;
  }
}

// Existing customers that veterans signed before the six months.
void Demo::prehistory() {
  for (auto& r : reps_) {
    if (r.arch == NewHire) continue;
    int64_t hire = days_from_civil(*parse_date(users_[r.user].u.hire_date));
    int64_t lo = std::max(hire + 25, org_day_ + 20), hi = start_ - 3;
    if (lo >= hi) continue;
    int k = int(rng_.range(5, 9) + (hi - lo) / 40);
    if (r.arch == Poor8020) k = k * 8 / 5;
    for (int i = 0; i < k; i++) {
      int64_t sd = rng_.range(lo, hi);
      while (!working(sd)) sd--;
      int64_t fd = sd - rng_.range(2, 20);
      while (!working(fd)) fd--;
      uint32_t co = pop_lead(teams_[r.team].area, fd);
      if (co == UINT32_MAX) break;
      CoSim& s = sims_[co];
      Company& c = cos_[co];
      s.need_true = s.need_known = s.budget_true = s.budget_known = true;
      if (!c.budget_capacity || *c.budget_capacity < kMinOrder) c.budget_capacity = kMinOrder * 20;
      own(r, co);
      for (int j = 0; j < 2; j++) {
        int64_t d = j ? sd : fd;
        Visit v;
        v.org_id = org_;
        v.company_id = co;
        v.rep_id = uid(r.user);
        v.at = at_local(d, 9 * 3600 + rng_.range(0, 8 * 60) * 60);
        v.day = tz_->local_date(v.at);
        v.kind = VisitKind::Visit;
        v.duration_min = rng_.range(30, 90);
        v.met_payer = j == 1;
        uint8_t ir = 0, nt = j ? 7 : 1;
        if (j == 0) {
          v.need = true;
          ir = uint8_t(dd::kInterestBySource[s.source][rng_.below(2)]);
        } else {
          v.budget = true;
        }
        v.interest_reason = dd::kInterest[ir];
        v.notes = dd::kNotes[nt];
        v.created_at = v.at + *v.duration_min * 60;
        rules::apply_visit(c, v);
        c.version++;
        c.updated_at = v.created_at;
        record(r, v, co, SIZE_MAX, ir, 0, 0, nt);
        if (j == 1) sign(r, co, v.at + *v.duration_min * 60 + 1800);
      }
    }
  }
}

void Demo::simulate() {
  for (int64_t d = start_; d <= as_of_; d++) {
    if (!working(d)) continue;
    // 02:00, the app's pool-release job: an owned, unsigned company (prospect,
    // contacted or effective) with no visit for 30 days loses its owner and keeps
    // its status; the reason goes into drop_reason (App::run_jobs does the same).
    Instant job_at = at_local(d, 2 * 3600), cutoff = job_at - 30 * 86400;
    int64_t released = 0;
    for (auto& r : reps_) {
      for (size_t i = 0; i < r.pipeline.size();) {
        uint32_t co = r.pipeline[i];
        Company& c = cos_[co];
        if (c.status != CompanyStatus::Nurture && c.last_visit_at && *c.last_visit_at < cutoff) {
          c.owner_id.reset();
          c.drop_reason = dd::kReleaseReason;
          c.version++;
          c.updated_at = job_at;
          leave_pipeline(r, co);  // moves another company into slot i
          sims_[co].dropped_day = int32_t(d);
          pool_.push_back(co);
          released++;
          continue;
        }
        i++;
      }
    }
    jobs_.push_back({d, released});  // job_runs: so the server does not run today's job again
    // Each manager picks the rep to accompany today: coaching first, then new hires.
    std::vector<size_t> acc(teams_.size(), SIZE_MAX);
    size_t first = 0;
    for (size_t t = 1; t < teams_.size(); t++) {
      size_t n = kRepsPerTeam;
      if (!rng_.chance(0.8)) {
        first += n;
        continue;
      }
      int best = -1;
      std::vector<size_t> cands;
      for (size_t k = first; k < first + n; k++) {
        RepSim& r = reps_[k];
        if (r.start_day > d) continue;
        int prio = r.stage ? 3 : r.arch == NewHire ? 2 : 1;
        if (prio > best) {
          best = prio;
          cands.clear();
        }
        if (prio == best) cands.push_back(k);
      }
      if (!cands.empty()) acc[t] = cands[rng_.below(cands.size())];
      first += n;
    }
    for (size_t k = 0; k < reps_.size(); k++) {
      RepSim& r = reps_[k];
      if (r.start_day > d) continue;
      r.eff_today = 0;
      bool with_manager = acc[r.team] == k;
      rep_day(r, d, with_manager, teams_[r.team].manager);
      if (d == as_of_) continue;
      // The coaching loop: 3 days below quota -> coaching; 3 days on quota -> out.
      if (r.eff_today >= eff_quota(r, d)) {
        r.on++;
        r.below = 0;
      } else {
        r.below++;
        r.on = 0;
      }
      if (!r.stage && r.below >= 3) {
        r.stage = 1;
        r.acc_days = 0;
      } else if (r.stage && r.on >= 3) {
        r.stage = 0;
      }
      if (with_manager && r.stage && ++r.acc_days >= 2 && r.stage < 4) {
        r.stage++;
        r.acc_days = 0;
        r.p.payer *= 1.02;  // the coaching works, a little
      }
    }
  }
}

void Demo::finish_companies() {
  // Fresh leads handed to each rep over the last month, not visited yet (about
  // as many as a rep opens in two weeks, so lead intake does not dip at the end).
  for (auto& r : reps_) {
    int k = int(rng_.range(25, 45));
    for (int i = 0; i < k; i++) {
      uint32_t co = pop_lead(teams_[r.team].area, as_of_);
      if (co == UINT32_MAX) break;
      Company& c = cos_[co];
      c.owner_id = uid(r.user);
      c.created_at = c.updated_at = at_local(as_of_ - rng_.range(0, 27), 8 * 3600 + rng_.range(0, 3600));
    }
  }
  Instant org_at = at_local(org_day_, 9 * 3600);
  Instant now_ish = at_local(as_of_, 8 * 3600);
  for (size_t i = 0; i < cos_.size(); i++) {
    Company& c = cos_[i];
    c.org_id = org_;
    if (!sims_[i].touched) touch(uint32_t(i), org_day_);
    if (c.created_at) continue;
    if (c.first_visit_at) {
      c.created_at = std::max(org_at + 3600, *c.first_visit_at - rng_.range(1, 30) * 86400 - rng_.range(0, 8 * 3600));
    } else {  // a pool prospect: imported at some point
      c.created_at = org_at + 3600 + int64_t(rng_.below(uint64_t(now_ish - org_at - 3600)));
      c.updated_at = c.created_at;
    }
    if (c.updated_at < c.created_at) c.updated_at = c.created_at;
  }
}

// ---------- writing ----------

struct Phase {
  Phase(const char* n, bool q) : name(n), quiet(q) {}
  const char* name;
  bool quiet;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  ~Phase() {
    if (quiet) return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "  %-28s %7.2f s\n", name, s);
  }
};

void Demo::write_all(Store& store) {
  bool quiet = a_.scale < 5 && !std::getenv("TIEJUN_DEMO_VERBOSE");
  // Ids: companies by creation time, as if they had been entered one by one.
  std::vector<uint32_t> order(cos_.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = uint32_t(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return cos_[x].created_at < cos_[y].created_at; });
  Id co_base = 0, ct_base = 0, v_base = 0, d_base = 0;
  bool pg = false;  // PostgreSQL: each table in one transaction, by COPY, indexes made at the end
  auto st = store.read([&](Tx& tx) -> Status {
    pg = tx.conn().dialect() == db::Dialect::Postgres;
    co_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM companies");
    ct_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM contacts");
    v_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM visits");
    d_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM deals");
    return ok_status();
  });
  if (!st.ok()) throw std::runtime_error(st.error().message);
  std::vector<Id> id_of(cos_.size());
  for (size_t k = 0; k < order.size(); k++) id_of[order[k]] = co_base + Id(k) + 1;
  auto must = [](const Status& s) {
    if (!s.ok()) throw std::runtime_error(s.error().message);
  };
  auto begin_bulk = [](Tx& tx) {
    // SQLite: synchronous cannot change inside a transaction (and in WAL mode with
    // synchronous=NORMAL a commit does not fsync anyway); a big page cache keeps the
    // company indexes and the trigram index in memory while they grow.
    // PostgreSQL: the rows go in by COPY; nothing to set.
    if (tx.conn().dialect() == db::Dialect::Sqlite) tx.conn().exec_script("PRAGMA cache_size=-262144");  // 256 MB
  };

  {
    Phase ph{"companies + contacts", quiet};
    const size_t chunk = pg ? std::max<size_t>(order.size(), 1) : 20000;
    Id contact_id = ct_base;
    for (size_t from = 0; from < order.size(); from += chunk) {
      size_t to = std::min(order.size(), from + chunk);
      must(store.write([&](Tx& tx) -> Status {
        begin_bulk(tx);
        PgDeferredIndexes deferred(tx.conn(), {"companies", "contacts"});
        auto& cn = tx.conn();
        std::vector<std::pair<Id, std::string>> fts;  // company id -> contact names
        {
          Inserter ins(cn,
                       "INSERT INTO companies(id, org_id, name, industry, industry_rank, region, budget_capacity, source, "
                       "competitor, owner_id, status, need, budget, payer_met, effective_at, effective_day, effective_by, "
                       "signed_at, first_visit_at, last_visit_at, visit_count, interest_reason, attraction, concerns, "
                       "nurture_reason, revisit_on, drop_reason, version, created_at, updated_at, name_key)",
                       31, 40);
          for (size_t k = from; k < to; k++) {
            const Company& c = cos_[order[k]];
            ins.row(id_of[order[k]], org_, c.name, c.industry, opt(c.industry_rank), c.region, opt(c.budget_capacity),
                    c.source, c.competitor, opt(c.owner_id), std::string(to_string(c.status)), int64_t(c.need),
                    int64_t(c.budget), int64_t(c.payer_met), opt(c.effective_at), str_or_null(c.effective_day),
                    opt(c.effective_by), opt(c.signed_at), opt(c.first_visit_at), opt(c.last_visit_at), c.visit_count,
                    c.interest_reason, c.attraction, c.concerns, str_or_null(c.nurture_reason),
                    str_or_null(c.revisit_on), str_or_null(c.drop_reason), c.version, c.created_at, c.updated_at,
                    names::company_key(c.name));
          }
          ins.flush();
        }
        // SQLite's search table (company_fts, kept by triggers); PostgreSQL searches
        // the names through trigram indexes and has no such table.
        const bool fts_table = cn.dialect() == db::Dialect::Sqlite;
        if (fts_table)
          cn.exec("DELETE FROM company_fts WHERE rowid >= ? AND rowid <= ?", {id_of[order[from]], id_of[order[to - 1]]});
        {
          // The contacts FTS trigger recomputes the company's contact names with a
          // subquery that scans every contact (contacts has no index on company_id
          // alone), so with the chunk's company_fts rows removed it is a no-op and
          // the rows are written back below with name and contact names at once.
          Inserter ins(cn, "INSERT INTO contacts(id, org_id, company_id, name, title, is_payer, style, phone, created_at)", 9, 100);
          for (size_t k = from; k < to; k++) {
            uint32_t i = order[k];
            const Company& c = cos_[i];
            uint64_t sd = a_.seed ^ (0xC0DE000000000000ULL + i);
            Rng r(splitmix64(sd));
            int n = c.visit_count == 0 ? (r.chance(0.6) ? 1 : 2) : c.visit_count >= 2 ? int(r.range(2, 3)) : int(r.range(1, 2));
            bool payer_known = c.payer_met || c.signed_at;
            std::string names;
            for (int j = 0; j < n; j++) {
              std::string name = person_name(r);
              bool payer = payer_known && j == 0;
              std::string title = payer ? (c.industry == "互联网" && r.chance(0.4) ? "CEO" : r.pick(dd::kPayerTitles))
                                        : r.pick(dd::kOtherTitles);
              std::string style = payer ? dd::kStyles[sims_[i].payer_style] : dd::kStyles[r.below(4)];
              char phone[16];
              std::snprintf(phone, sizeof phone, "%s****%04d", r.pick(dd::kMobilePrefixes), int(r.below(10000)));
              Instant at = (j == 0 || !c.first_visit_at) ? c.created_at : *c.first_visit_at;
              ins.row(++contact_id, org_, id_of[i], name, title, int64_t(payer), style, std::string(phone), at);
              if (!names.empty()) names += ' ';
              names += name;
            }
            if (fts_table) fts.emplace_back(id_of[i], std::move(names));
          }
          ins.flush();
        }
        if (fts_table) {
          Inserter ins(cn, "INSERT INTO company_fts(rowid, name, contacts)", 3, 200);
          for (size_t k = from; k < to; k++) ins.row(id_of[order[k]], cos_[order[k]].name, std::move(fts[k - from].second));
          ins.flush();
        }
        deferred.restore();
        return ok_status();
      }));
      if (!quiet) std::fprintf(stderr, "\r  companies %zu/%zu", to, order.size());
    }
    if (!quiet) std::fprintf(stderr, "\n");
  }
  {
    Phase ph{"visits", quiet};
    const size_t chunk = pg ? std::max<size_t>(visits_.size(), 1) : 100000;
    for (size_t from = 0; from < visits_.size(); from += chunk) {
      size_t to = std::min(visits_.size(), from + chunk);
      must(store.write([&](Tx& tx) -> Status {
        begin_bulk(tx);
        PgDeferredIndexes deferred(tx.conn(), {"visits"});
        Inserter ins(tx.conn(),
                     "INSERT INTO visits(id, org_id, company_id, rep_id, at, day, kind, duration_min, was_new, met_payer, "
                     "need, budget, made_effective, companion_id, coaching_stage, interest_reason, attraction, concerns, "
                     "notes, created_at)",
                     20, 60);
        for (size_t k = from; k < to; k++) {
          const VRec& v = visits_[k];
          auto b = [](int8_t x) { return x < 0 ? db::Value() : db::Value(int64_t(x)); };
          ins.row(v_base + Id(k) + 1, org_, id_of[v.co], uid(v.rep), v.at, tz_->local_date(v.at),
                  std::string(to_string(VisitKind(v.kind))), v.dur ? db::Value(int64_t(v.dur)) : db::Value(),
                  int64_t(v.flags & 1), b(v.met), b(v.need), b(v.budget), int64_t((v.flags >> 1) & 1),
                  v.companion ? db::Value(uid(v.companion - 1)) : db::Value(),
                  v.stage ? db::Value(int64_t(v.stage)) : db::Value(), std::string(dd::kInterest[v.interest]),
                  std::string(dd::kAttraction[v.attraction]), std::string(dd::kConcerns[v.concerns]),
                  std::string(dd::kNotes[v.notes]), v.at + int64_t(v.dur ? v.dur : 30) * 60);
        }
        ins.flush();
        deferred.restore();
        return ok_status();
      }));
      if (!quiet) std::fprintf(stderr, "\r  visits %zu/%zu", to, visits_.size());
    }
    if (!quiet) std::fprintf(stderr, "\n");
  }
  {
    Phase ph{"deals, targets, notes", quiet};
    must(store.write([&](Tx& tx) -> Status {
      begin_bulk(tx);
      {
        Inserter ins(tx.conn(), "INSERT INTO deals(id, org_id, company_id, rep_id, amount, signed_on, created_at)", 7, 200);
        for (size_t k = 0; k < deals_.size(); k++) {
          const DRec& d = deals_[k];
          ins.row(d_base + Id(k) + 1, org_, id_of[d.co], uid(d.rep), d.amount, tz_->local_date(d.at), d.at);
        }
        ins.flush();
      }
      // Targets: team day quotas set by the director at the start; rep overrides by managers.
      auto audit_target = [&](const Target& t, const std::optional<Target>& old, Id by) {
        auto tj = [](const Target& x) {
          return json{{"id", x.id},         {"scope", x.scope}, {"scope_id", x.scope_id}, {"metric", x.metric},
                      {"period", x.period}, {"value", x.value}, {"reason", x.reason},     {"set_by", x.set_by ? json(*x.set_by) : json(nullptr)},
                      {"version", x.version}};
        };
        AuditEntry e;
        e.org_id = org_;
        e.at = t.updated_at;
        e.user_id = by;
        e.action = old ? "update" : "create";
        e.entity = "target";
        e.entity_id = t.id;
        e.old_json = old ? tj(*old).dump() : "";
        e.new_json = tj(t).dump();
        tx.insert_audit(e);
      };
      auto put = [&](const std::string& scope, Id scope_id, const std::string& metric, const std::string& period,
                     int64_t value, const std::string& reason, Id by, Instant at) {
        auto old = tx.get_target(org_, scope, scope_id, metric, period);
        Target t = old.value_or(Target{});
        t.org_id = org_;
        t.scope = scope;
        t.scope_id = scope_id;
        t.metric = metric;
        t.period = period;
        t.value = value;
        t.reason = reason;
        t.set_by = by;
        t.updated_at = at;
        t.id = tx.upsert_target(t, old ? std::optional<int64_t>(old->value) : std::nullopt);
        if (old) t.version++;
        audit_target(t, old, by);
      };
      Id director = uid(teams_[0].manager);
      Instant set_at = at_local(start_ - 3, 9 * 3600);
      // Monthly signed amount per team: 15% above what the team really signs in a month.
      std::vector<Fen> team_signed(teams_.size(), 0);
      for (auto& d : deals_)
        if (day_of(d.at) >= start_) team_signed[users_[d.rep].team] += d.amount;
      for (size_t t = 1; t < teams_.size(); t++) {
        Id tid = teams_[t].t.id;
        put("team", tid, "visits_new", "day", 5, "公司标准：每人每天5个新客户拜访", director, set_at);
        put("team", tid, "effective_new", "day", 2, "公司标准：每人每天2个有效新客户", director, set_at);
        Fen monthly = Fen(double(team_signed[t]) / 6.0 * 1.15);
        monthly = std::max<Fen>(100000000, (monthly + 9999999) / 10000000 * 10000000);  // whole 100,000 yuan, >= 1M yuan
        put("team", tid, "signed_amount", "month", monthly, "按上半年实际签约额上浮15%", director, set_at);
        if (teams_[t].tmpl == 3)
          put("team", tid, "effective_new", "day", 1,
              "取中间值：近20个工作日多数人的中位数只有1个，先降到1个，保证人人能完成", uid(teams_[t].manager),
              at_local(lowered_day_, 8 * 3600 + 1800));
      }
      for (auto& r : reps_) {
        if (!r.eff_quota_override) continue;
        Id by = uid(teams_[r.team].manager);
        int64_t from = std::max(start_ - 2, r.start_day);
        bool newbie = r.arch == NewHire;
        put("rep", uid(r.user), "visits_new", "day", r.visits_quota_override,
            newbie ? "新人前三个月：先把拜访量做起来" : "业绩标杆：挑战更高目标", by, at_local(from, 9 * 3600 + 600));
        put("rep", uid(r.user), "effective_new", "day", r.eff_quota_override,
            newbie ? "新人前三个月：有效客户目标减半" : "业绩标杆：挑战更高目标", by, at_local(from, 9 * 3600 + 600));
      }
      {
        Inserter ins(tx.conn(), "INSERT INTO job_runs(org_id, job, day, result, at)", 5, 200);
        for (auto& [d, n] : jobs_)
          ins.row(org_, std::string("pool_release"), date(d), json{{"released", n}}.dump(), at_local(d, 2 * 3600));
        ins.flush();
      }
      // Values assessments (the six values, 1-5) by each rep's manager, last quarter and
      // this one; a rep's values depend on who they are (stars and time-sinkers score
      // high, wild dogs and dogs low), so the talent matrix has all its corners.
      {
        Inserter ins(tx.conn(),
                     "INSERT INTO values_assessments(org_id, user_id, assessor_id, period, customer_first, teamwork, "
                     "embrace_change, integrity, passion, dedication, comment, created_at)",
                     12, 100);
        CivilDate ac = civil_from_days(as_of_);
        int q = (ac.m - 1) / 3 + 1, py = q == 1 ? ac.y - 1 : ac.y, pq = q == 1 ? 4 : q - 1;
        int64_t prev_end = days_from_civil({ac.y, (q - 1) * 3 + 1, 1}) - 1;  // the day before this quarter
        struct P {
          std::string period;
          int64_t day;
        };
        P periods[] = {{std::to_string(py) + "-Q" + std::to_string(pq), prev_end},
                       {std::to_string(ac.y) + "-Q" + std::to_string(q), as_of_ - 7}};
        static constexpr double kMean[] = {4.5, 3.7, 2.5, 4.3, 3.8, 2.4};  // by Arch
        Rng vr(a_.seed ^ 0x7A1E5ULL);
        for (auto& p : periods) {
          int64_t d = p.day;
          while (!working(d)) d--;
          for (auto& r : reps_) {
            if (r.start_day > d) continue;
            int64_t sc[6];
            for (auto& x : sc) x = std::clamp<int64_t>(std::lround(kMean[r.arch] + 0.55 * vr.normal()), 1, 5);
            std::string comment = dd::kValuesComments[vr.below(dd::count(dd::kValuesComments))];
            ins.row(org_, uid(r.user), uid(teams_[r.team].manager), p.period, sc[0], sc[1], sc[2], sc[3], sc[4], sc[5],
                    comment, at_local(d, 17 * 3600 + vr.range(0, 3600)));
          }
        }
        ins.flush();
      }
      // Training: each team every other Wednesday; new hires start with onboarding.
      {
        Inserter ins(tx.conn(),
                     "INSERT INTO training_records(org_id, user_id, kind, title, day, hours, notes, created_by, created_at)",
                     9, 100);
        for (size_t t = 1; t < teams_.size(); t++) {
          Id by = uid(teams_[t].manager);
          int topic = int(t);
          for (int64_t d = start_; d < as_of_; d++) {
            if (weekday(d) != 3 || (d / 7) % 2 != int64_t(t % 2)) continue;
            const char* const* tr = dd::kTrainings[topic++ % dd::count(dd::kTrainings)];
            for (size_t u : teams_[t].reps) {
              int64_t hire = days_from_civil(*parse_date(users_[u].u.hire_date));
              if (hire > d) continue;
              ins.row(org_, uid(u), std::string(tr[0]), std::string(tr[1]), date(d), 1.5, std::string(""), by,
                      at_local(d, 18 * 3600));
            }
          }
          for (size_t u : teams_[t].reps) {
            int64_t hire = days_from_civil(*parse_date(users_[u].u.hire_date));
            if (hire < start_) continue;
            int64_t d = hire;
            while (!working(d)) d++;
            ins.row(org_, uid(u), std::string("values"), std::string("新人入职培训：六脉神剑与销售铁军方法"), date(d), 8.0,
                    std::string("入职第一天"), by, at_local(d, 18 * 3600));
            d++;
            while (!working(d)) d++;
            ins.row(org_, uid(u), std::string("skills"), std::string("产品演示与拜访记录实操"), date(d), 4.0, std::string(""),
                    by, at_local(d, 18 * 3600));
          }
        }
        ins.flush();
      }
      // Morning plans for the last three working days (today included), evening
      // shares for the three before today.
      std::vector<int64_t> days;
      for (int64_t d = as_of_; days.size() < 4 && d > start_; d--)
        if (working(d)) days.push_back(d);
      struct DayLog {
        std::vector<uint32_t> cos;
        int eff = 0;
        std::vector<std::pair<uint32_t, Fen>> deals;
      };
      std::map<std::pair<size_t, int64_t>, DayLog> logs;  // (user, day)
      int64_t from_day = days.empty() ? as_of_ : days.back();
      for (size_t k = visits_.size(); k-- > 0;) {
        const VRec& v = visits_[k];
        int64_t d = day_of(v.at);
        if (d < from_day) break;
        auto& l = logs[{v.rep, d}];
        l.cos.insert(l.cos.begin(), v.co);
        if (v.flags & 2) l.eff++;
      }
      for (auto& d : deals_)
        if (day_of(d.at) >= from_day) logs[{d.rep, day_of(d.at)}].deals.push_back({d.co, d.amount});
      Rng nr(a_.seed ^ 0x9A15ULL);
      for (auto& r : reps_) {
        for (size_t di = 0; di < days.size(); di++) {
          int64_t d = days[di];
          if (d < r.start_day) continue;
          auto it = logs.find({r.user, d});
          if (it == logs.end()) continue;
          DayLog& l = it->second;
          if (di < 3 && nr.chance(0.85)) {
            json ids = json::array();
            for (size_t i = 0; i < l.cos.size() && i < 8; i++) ids.push_back(id_of[l.cos[i]]);
            int planned = int(l.cos.size()) + (d == as_of_ ? int(nr.range(2, 4)) : int(nr.range(0, 1)));
            std::string goal = nr.pick(dd::kGoals);
            goal.replace(goal.find("{n}"), 3, std::to_string(planned));
            json body = {{"company_ids", ids}, {"goal", goal}, {"visits_planned", planned}, {"notes", ""}};
            DayNote n{0, org_, uid(r.user), date(d), body.dump(), 1, at_local(d, 8 * 3600 + 1800 + nr.range(0, 1800))};
            tx.put_note(Tx::NoteKind::Plan, n, 0);
          }
          if (di >= 1 && nr.chance(0.75)) {
            std::string wins;
            if (!l.deals.empty()) {
              wins = "签下" + cos_[l.deals[0].first].name + "，金额" + std::to_string(l.deals[0].second / 1000000) + "万";
            } else if (l.eff) {
              wins = "新增" + std::to_string(l.eff) + "个有效新客户";
            } else {
              wins = "拜访了" + std::to_string(l.cos.size()) + "家，还没有有效客户";
            }
            std::string help;
            if (!l.cos.empty() && nr.chance(0.35)) help = "希望主管明天陪访" + cos_[l.cos.back()].name;
            json body = {{"wins", wins}, {"problems", nr.pick(dd::kProblems)}, {"help_wanted", help}, {"notes", ""}};
            DayNote n{0, org_, uid(r.user), date(d), body.dump(), 1, at_local(d, 19 * 3600 + nr.range(0, 3600))};
            tx.put_note(Tx::NoteKind::Review, n, 0);
          }
        }
      }
      return ok_status();
    }));
  }
  // PostgreSQL: the identity sequences continue after the ids given explicitly
  // above (the next company created in the app gets MAX(id) + 1, as on SQLite),
  // and fresh planner statistics for the bulk-loaded tables.
  bool on_pg = false;
  must(store.write([&](Tx& tx) -> Status {
    tx.rebuild_rep_day_stats(org_);  // the views' per-(rep, day) counters, in one statement after the bulk load
    tx.rebuild_view_counters(org_);  // discovery, conversion and intake counters (migration 0007), likewise
    auto& cn = tx.conn();
    if (cn.dialect() != db::Dialect::Postgres) return ok_status();
    on_pg = true;
    for (const char* t : {"companies", "contacts", "visits", "deals"})
      cn.query(std::string("SELECT setval(pg_get_serial_sequence(?, 'id'), m) FROM (SELECT MAX(id) AS m FROM ") + t +
                   ") x WHERE m IS NOT NULL",
               {std::string(t)});
    return ok_status();
  }));
  if (on_pg) {
    // Planner statistics for the fresh tables. (Not on SQLite: its queries are written for
    // the planner without statistics, and sqlite_stat1 alone, which knows no NULL share,
    // steers the scoped company list to the owner index for the public pool.)
    Phase ph{"analyze", quiet};
    must(store.write([&](Tx& tx) -> Status {
      tx.conn().exec_script("ANALYZE");
      return ok_status();
    }));
  }
}

int Demo::run(Store& store) {
  auto t0 = std::chrono::steady_clock::now();
  bool quiet = a_.scale < 5 && !std::getenv("TIEJUN_DEMO_VERBOSE");
  plan_org();
  std::string hash = demo_password_hash(a_.seed);  // once (argon2id, ~90 ms); every demo user shares it
  auto st = store.write([&](Tx& tx) { return write_org(tx, hash); });
  if (!st.ok()) {
    std::cerr << "tiejun demo: " << st.error().message << "\n";
    return 1;
  }
  {
    Phase ph{"simulate history", quiet};
    make_companies();
    prehistory();
    simulate();
    finish_companies();
  }
  try {
    write_all(store);
  } catch (const std::exception& e) {
    std::cerr << "tiejun demo: writing failed: " << e.what() << "\n";
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::map<std::string, size_t> by_status;
  size_t pool = 0;
  for (auto& c : cos_) {
    by_status[to_string(c.status)]++;
    if (!c.owner_id) pool++;
  }
  Fen signed_total = 0;
  for (auto& d : deals_) signed_total += d.amount;
  std::cout << "Demo organisation \"" << kOrgName << "\" written to " << store.describe() << " in " << std::fixed
            << std::setprecision(1) << secs << " s (scale " << a_.scale << ", seed " << a_.seed << ", as of "
            << date(as_of_) << ")\n";
  std::cout << "  " << teams_.size() - 1 << " sales teams, " << reps_.size() << " reps, " << cos_.size()
            << " companies (";
  bool first = true;
  for (auto& [k, v] : by_status) {
    std::cout << (first ? "" : ", ") << k << " " << v;
    first = false;
  }
  std::cout << "; " << pool << " in the public pool), " << visits_.size() << " visits, " << deals_.size()
            << " deals worth " << signed_total / 100 / 10000 << "万 yuan\n";
  return 0;
}

}  // namespace

int demo(const DemoArgs& a) {
  std::string url = a.db.empty() ? "sqlite:tiejun-demo.db" : a.db;
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  auto tz = TimeZone::get("Asia/Shanghai");
  if (!tz) {
    std::cerr << "tiejun demo: the time zone database (tzdata) is missing\n";
    return 1;
  }
  int64_t today = tz->local_day(SystemClock().now());
  int64_t as_of = today;
  if (!a.as_of.empty()) {
    auto d = parse_date(a.as_of);
    if (!d) {
      std::cerr << "tiejun demo: --as-of must be a date YYYY-MM-DD\n";
      return 2;
    }
    as_of = days_from_civil(*d);
    if (as_of > today) std::cerr << "tiejun demo: note: --as-of " << a.as_of << " is in the future; so is part of the history\n";
  }
  bool is_file = !pg::is_postgres_url(url);
  std::error_code ec;
  if (!is_file) {
    // PostgreSQL: the demo goes into an empty database (created beforehand, e.g.
    // createdb); --force deletes SQLite files only, never a server's data.
    auto st = open_store(url, 1);
    if (!st.ok()) {
      std::cerr << "tiejun demo: " << st.error().message << "\n";
      return 1;
    }
    auto m = st.value()->migrate();
    if (!m.ok()) {
      std::cerr << "tiejun demo: " << m.error().message << "\n";
      return 1;
    }
    size_t orgs = 0;
    auto r = st.value()->read([&](Tx& tx) -> Status {
      orgs = tx.list_orgs().size();
      return ok_status();
    });
    if (!r.ok() || orgs > 0) {
      std::cerr << "tiejun demo: " << st.value()->describe() << " already holds "
                << (orgs ? "an organisation" : "data") << "; the demo needs an empty database (drop and create it"
                << (a.force ? ": --force deletes SQLite files only" : "") << ")\n";
      return 1;
    }
  } else if (std::filesystem::exists(path, ec)) {
    if (a.force) {
      for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    } else {
      auto st = open_store(url, 1);
      if (!st.ok()) {
        std::cerr << "tiejun demo: " << st.error().message << "\n";
        return 1;
      }
      auto m = st.value()->migrate();
      size_t orgs = 0;
      auto r = st.value()->read([&](Tx& tx) -> Status {
        orgs = tx.list_orgs().size();
        return ok_status();
      });
      if (!m.ok() || !r.ok() || orgs > 0) {
        std::cerr << "tiejun demo: " << path << " already holds " << (orgs ? "an organisation" : "data")
                  << "; pass --force to delete it and create the demo afresh\n";
        return 1;
      }
    }
  }
  {
    auto st = open_store(url, 1);
    if (!st.ok()) {
      std::cerr << "tiejun demo: " << st.error().message << "\n";
      return 1;
    }
    auto store = std::move(st.value());
    auto m = store->migrate();
    if (!m.ok()) {
      std::cerr << "tiejun demo: " << m.error().message << "\n";
      return 1;
    }
    Demo demo(a, as_of);
    int rc = demo.run(*store);
    if (rc) return rc;
  }
  std::string shown_url = "http://" + a.listen + "/";
  std::cout << "Demo ready: log in as rep1 / " << kPassword << " (rep), manager1 / " << kPassword
            << " (manager), director / " << kPassword << " (director), admin / " << kPassword << " (admin)\n";
  if (!a.serve) {
    std::cout << "Serve it with: tiejun serve --db " << url << " --listen " << a.listen << "   then open " << shown_url
              << "\n";
    return 0;
  }
  ServeArgs sa;
  sa.db = url;
  sa.listen = a.listen;
  return serve(sa);
}

}  // namespace tj::cli
