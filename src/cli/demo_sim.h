// `tiejun demo`, the simulation: the seeded PRNG, the rep archetypes, the plan of
// the organisation and the Demo class whose stages simulate the history in memory
// (demo_sim.cpp) and write it (demo_write.cpp). demo.cpp runs the stages.
#pragma once
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


namespace tj::cli::demo_impl {

namespace dd = demo_data;
using json = nlohmann::json;

inline constexpr const char* kPassword = "tiejun-demo";
inline constexpr const char* kOrgName = "铁军演示公司";
constexpr int kHistoryDays = 182;              // six months of daily visits
constexpr int kCompaniesPerScale = 12000;
constexpr int kTeamsPerScale = 4;
constexpr int kRepsPerTeam = 6;
constexpr Fen kMinOrder = 1000000;  // the settings' default min_order_value: 10,000 yuan

// ---------- a seeded PRNG: xoshiro256** over splitmix64 ----------

inline uint64_t splitmix64(uint64_t& x) {
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

inline uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

inline std::string chinese_number(int n) {  // 1..99 -> 一..九十九; larger -> digits
  static const char* d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) return std::to_string(n);
  if (n < 10) return d[n];
  std::string s = n / 10 == 1 ? "" : d[n / 10];
  s += "十";
  if (n % 10) s += d[n % 10];
  return s;
}

inline std::string person_name(Rng& r) { return std::string(r.pick(dd::kSurnames)) + r.pick(dd::kGiven); }

// The demo password as an argon2id string (same parameters as App::hash_password),
// with the salt drawn from the seed so that the same seed gives the same bytes.
// Checked with App::verify_password; falls back to App::hash_password.
inline std::string demo_password_hash(uint64_t seed) {
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

inline int8_t untri(const std::optional<bool>& b) { return b ? int8_t(*b) : int8_t(-1); }

inline db::Value opt(const std::optional<int64_t>& v) { return v ? db::Value(*v) : db::Value(); }
inline db::Value str_or_null(const std::string& s) { return s.empty() ? db::Value() : db::Value(s); }

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

// A stage timed on stderr (unless quiet).
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

}  // namespace tj::cli::demo_impl
