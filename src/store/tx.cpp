#include "store/tx.h"
#include "store/counters.h"
#include "store/rows.h"
#include "domain/names.h"
#include "method/params.h"
#include "method/vocab.h"
#include "store/tx_vocab.h"
#include "store/snapshot_cache.h"
#include "common/utf8.h"

#include <map>
#include <set>
#include <nlohmann/json.hpp>

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

// Sort key -> SQL expression (NULLs mapped so keyset paging is total).
const std::map<std::string, std::string>& sort_exprs() {
  static const std::map<std::string, std::string> m = {
      {"name", "name"},
      {"created_at", "created_at"},
      {"updated_at", "updated_at"},
      {"industry_rank", "COALESCE(industry_rank, 1000000000)"},
      {"budget_capacity", "COALESCE(budget_capacity, -1)"},
      {"last_visit_at", "COALESCE(last_visit_at, 0)"},
      {"visit_count", "visit_count"},
      {"status", "status"},
  };
  return m;
}

// Appends the scope filter for companies, by owner.
void scope_clause(const Scope& s, Id org, std::string& sql, V& p) {
  switch (s.kind) {
    case Scope::All: return;
    case Scope::Self:
      sql += " AND (owner_id IS NULL OR owner_id = ?)";
      p.emplace_back(s.user_id);
      return;
    case Scope::Teams:
      sql += " AND (owner_id IS NULL OR owner_id = ?";
      p.emplace_back(s.user_id);
      if (!s.team_ids.empty()) {
        sql += " OR owner_id IN (SELECT id FROM users WHERE org_id = ? AND team_id IN (" +
               placeholders(s.team_ids.size()) + "))";
        p.emplace_back(org);
        for (auto t : s.team_ids) p.emplace_back(t);
      }
      sql += ")";
      return;
  }
}

std::string like_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

// PostgreSQL compares a cursor value only with a value of the sort key's type
// (SQLite orders every integer before every text): coerce a client's cursor
// value so a mismatched one pages as SQLite would instead of failing.
db::Value pg_cursor_value(const std::string& sort, const db::Value& v) {
  bool text_key = sort == "name" || sort == "status";
  if (text_key) {
    if (auto i = std::get_if<int64_t>(&v)) return Value(std::to_string(*i));
    return v;
  }
  if (auto s = std::get_if<std::string>(&v)) {
    // every integer sorts before any text in SQLite: nothing after it ascending, everything descending
    (void)s;
    return Value(int64_t(INT64_MAX));
  }
  return v;
}

}  // namespace

bool is_company_sort(const std::string& key) { return sort_exprs().count(key) > 0; }

// ---------- organisations and settings ----------

Id Tx::insert_org(const std::string& name, Instant now) {
  Id id = c_.query_one("INSERT INTO orgs(name, created_at) VALUES (?, ?) RETURNING id", {name, now})->i64(0);
  c_.exec("INSERT INTO settings(org_id) VALUES (?)", {id});
  std::vector<vocab_store::IndustryRow> industries;  // a new organisation starts with the standard list (SPEC §3)
  for (auto& i : method::standard_industries()) industries.emplace_back(i.name, i.aliases);
  vocab_store::replace_industries(*this, id, industries);
  return id;
}

std::optional<Org> Tx::get_org(Id org) {
  auto r = c_.query_one("SELECT id, name, created_at FROM orgs WHERE id = ?", {org});
  if (!r) return std::nullopt;
  return Org{r->i64(0), r->str(1), r->i64(2)};
}

std::vector<Org> Tx::list_orgs() {
  std::vector<Org> out;
  for (auto& r : c_.query("SELECT id, name, created_at FROM orgs ORDER BY id")) out.push_back({r.i64(0), r.str(1), r.i64(2)});
  return out;
}

// The method's numbers are read and written by the one table of src/method/params.h
// (its names are the columns); the rest by name.
namespace {
struct SettingsKey {
  const void* conn;
  Id org;
  bool operator==(const SettingsKey&) const = default;
};
struct SettingsKeyHash {
  size_t operator()(const SettingsKey& k) const {
    return std::hash<const void*>()(k.conn) ^ (std::hash<Id>()(k.org) * 31);
  }
};
// Nearly every request reads its organisation's settings (the time zone at least): perf showed
// 5% of a one-company read in this one query. Cached by SnapshotCache's rule (a write this
// process commits is seen at once; another process's within a second).
SnapshotCache<SettingsKey, Settings, SettingsKeyHash>& settings_cache() {
  static SnapshotCache<SettingsKey, Settings, SettingsKeyHash> c(std::chrono::seconds(1), 1024);
  return c;
}
}  // namespace

Settings Tx::get_settings(Id org) {
  return settings_cache().get_or_read(SettingsKey{&c_, org}, [&] { return read_settings(org); });
}

Settings Tx::read_settings(Id org) {
  Settings s;
  s.org_id = org;
  const auto& specs = method::param_specs();
  std::string sql = "SELECT timezone, session_idle_minutes, working_days, holidays, version";
  for (auto& p : specs) sql += std::string(", ") + p.name;
  sql += " FROM settings WHERE org_id = ?";
  auto r = c_.query_one(sql, {org});
  if (!r) return s;
  s.timezone = r->str(0);
  s.session_idle_minutes = int(r->i64(1));
  s.working_days = r->str(2);
  auto h = nlohmann::json::parse(r->str(3), nullptr, false);
  if (h.is_array())
    for (auto& d : h)
      if (d.is_string()) s.holidays.push_back(d.get<std::string>());
  s.version = r->i64(4);
  size_t i = 5;
  for (auto& p : specs) {
    switch (p.kind) {
      case method::ParamKind::Int: s.*std::get<int Settings::*>(p.member) = int(r->i64(i)); break;
      case method::ParamKind::Money: s.*std::get<Fen Settings::*>(p.member) = r->i64(i); break;
      case method::ParamKind::Share: s.*std::get<double Settings::*>(p.member) = r->f64(i); break;
      case method::ParamKind::Bool: s.*std::get<bool Settings::*>(p.member) = r->b(i); break;
      case method::ParamKind::ClockTime: s.*std::get<std::string Settings::*>(p.member) = r->str(i); break;
    }
    i++;
  }
  return s;
}

bool Tx::update_settings(const Settings& s, int64_t expected_version) {
  nlohmann::json h = s.holidays;
  std::string sql = "UPDATE settings SET timezone=?, session_idle_minutes=?, working_days=?, holidays=?";
  std::vector<db::Value> args = {s.timezone, int64_t(s.session_idle_minutes), s.working_days, h.dump()};
  for (auto& p : method::param_specs()) {
    sql += std::string(", ") + p.name + "=?";
    auto v = method::get_param(s, p);
    if (auto* i = std::get_if<int64_t>(&v)) args.push_back(*i);
    else if (auto* d = std::get_if<double>(&v)) args.push_back(*d);
    else if (auto* b = std::get_if<bool>(&v)) args.push_back(int64_t(*b ? 1 : 0));
    else args.push_back(std::get<std::string>(v));
  }
  sql += ", version=version+1 WHERE org_id=? AND version=?";
  args.push_back(s.org_id);
  args.push_back(expected_version);
  return c_.exec(sql, args) == 1;
}

// ---------- teams ----------

Id Tx::insert_team(const Team& t) {
  return c_
      .query_one("INSERT INTO teams(org_id, name, parent_id, manager_id, created_at) VALUES (?,?,?,?,?) RETURNING id",
                 {t.org_id, t.name, db::val(t.parent_id), db::val(t.manager_id), t.created_at})
      ->i64(0);
}

std::optional<Team> Tx::get_team(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kTeamCols + " FROM teams WHERE org_id = ? AND id = ?", {org, id});
  if (!r) return std::nullopt;
  return team_from(*r);
}

bool Tx::update_team(const Team& t, int64_t expected_version) {
  return c_.exec("UPDATE teams SET name=?, parent_id=?, manager_id=?, version=version+1 WHERE org_id=? AND id=? AND version=?",
                 {t.name, db::val(t.parent_id), db::val(t.manager_id), t.org_id, t.id, expected_version}) == 1;
}

std::vector<Team> Tx::list_teams(Id org) {
  std::vector<Team> out;
  for (auto& r : c_.query(std::string("SELECT ") + kTeamCols + " FROM teams WHERE org_id = ? ORDER BY id", {org}))
    out.push_back(team_from(r));
  return out;
}

std::vector<Id> Tx::team_subtree(Id org, const std::vector<Id>& roots) {
  std::vector<Id> out;
  if (roots.empty()) return out;
  // Iterative walk; team trees are small. Guards against cycles.
  std::vector<Id> frontier = roots;
  std::vector<Team> all = list_teams(org);
  std::vector<bool> seen;
  std::map<Id, bool> in;
  for (auto r : roots)
    if (!in[r]) { in[r] = true; out.push_back(r); }
  while (!frontier.empty()) {
    std::vector<Id> next;
    for (auto& t : all)
      if (t.parent_id)
        for (auto f : frontier)
          if (*t.parent_id == f && !in[t.id]) {
            in[t.id] = true;
            out.push_back(t.id);
            next.push_back(t.id);
          }
    frontier = std::move(next);
  }
  return out;
}

// ---------- users ----------

Id Tx::insert_user(const User& u) {
  return c_
      .query_one(
          "INSERT INTO users(org_id, username, display_name, password_hash, role, team_id, hire_date, selling_style, "
          "active, created_at, must_change_password) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
          {u.org_id, u.username, u.display_name, u.password_hash, std::string(to_string(u.role)), db::val(u.team_id),
           db::val_or_null(u.hire_date), u.selling_style, db::val(u.active), u.created_at,
           db::val(u.must_change_password)})
      ->i64(0);
}

std::optional<User> Tx::get_user(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kUserCols + " FROM users WHERE org_id = ? AND id = ?", {org, id});
  if (!r) return std::nullopt;
  return user_from(*r);
}

std::optional<User> Tx::find_user_by_username(const std::string& username) {
  auto r = c_.query_one(std::string("SELECT ") + kUserCols + " FROM users WHERE username = ?", {username});
  if (!r) return std::nullopt;
  return user_from(*r);
}

bool Tx::update_user(const User& u, int64_t expected_version) {
  return c_.exec(
             "UPDATE users SET display_name=?, password_hash=?, role=?, team_id=?, hire_date=?, selling_style=?, "
             "active=?, must_change_password=?, version=version+1 WHERE org_id=? AND id=? AND version=?",
             {u.display_name, u.password_hash, std::string(to_string(u.role)), db::val(u.team_id),
              db::val_or_null(u.hire_date), u.selling_style, db::val(u.active), db::val(u.must_change_password),
              u.org_id, u.id, expected_version}) == 1;
}

std::vector<User> Tx::list_users(Id org) {
  std::vector<User> out;
  for (auto& r : c_.query(std::string("SELECT ") + kUserCols + " FROM users WHERE org_id = ? ORDER BY id", {org}))
    out.push_back(user_from(r));
  return out;
}

std::vector<User> Tx::list_users_in_teams(Id org, const std::vector<Id>& team_ids) {
  std::vector<User> out;
  if (team_ids.empty()) return out;
  V p{org};
  for (auto t : team_ids) p.emplace_back(t);
  for (auto& r : c_.query(std::string("SELECT ") + kUserCols + " FROM users WHERE org_id = ? AND team_id IN (" +
                              placeholders(team_ids.size()) + ") ORDER BY id",
                          p))
    out.push_back(user_from(r));
  return out;
}

// ---------- sessions, tokens, throttling ----------

void Tx::insert_session(const Session& s) {
  c_.exec("INSERT INTO sessions(id_hash, org_id, user_id, csrf_token, created_at, last_seen) VALUES (?,?,?,?,?,?)",
          {s.id_hash, s.org_id, s.user_id, s.csrf_token, s.created_at, s.last_seen});
}
std::optional<Session> Tx::get_session(const std::string& h) {
  auto r = c_.query_one("SELECT id_hash, org_id, user_id, csrf_token, created_at, last_seen FROM sessions WHERE id_hash = ?", {h});
  if (!r) return std::nullopt;
  return Session{r->str(0), r->i64(1), r->i64(2), r->str(3), r->i64(4), r->i64(5)};
}
void Tx::touch_session(const std::string& h, Instant now) {
  c_.exec("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", {now, h});
}
void Tx::delete_session(const std::string& h) { c_.exec("DELETE FROM sessions WHERE id_hash = ?", {h}); }
void Tx::delete_sessions_of(Id org, Id user, const std::string& except) {
  c_.exec("DELETE FROM sessions WHERE org_id = ? AND user_id = ? AND id_hash <> ?", {org, user, except});
}
Id Tx::insert_token(Id org, Id user, const std::string& name, const std::string& hash, Instant now) {
  return c_.query_one("INSERT INTO api_tokens(org_id, user_id, name, token_hash, created_at) VALUES (?,?,?,?,?) RETURNING id",
                      {org, user, name, hash, now})
      ->i64(0);
}
std::optional<std::pair<Id, Id>> Tx::find_token(const std::string& hash) {
  auto r = c_.query_one("SELECT org_id, user_id FROM api_tokens WHERE token_hash = ?", {hash});
  if (!r) return std::nullopt;
  return std::pair{r->i64(0), r->i64(1)};
}
std::vector<Tx::TokenInfo> Tx::list_tokens(Id org, std::optional<Id> user) {
  std::vector<TokenInfo> out;
  std::string sql = "SELECT id, user_id, name, created_at, last_used FROM api_tokens WHERE org_id = ?";
  V p{org};
  if (user) {
    sql += " AND user_id = ?";
    p.emplace_back(*user);
  }
  for (auto& r : c_.query(sql + " ORDER BY id", p))
    out.push_back({r.i64(0), org, r.i64(1), r.str(2), r.i64(3), r.opt_i64(4)});
  return out;
}
std::optional<Tx::TokenInfo> Tx::get_token(Id org, Id id) {
  auto r = c_.query_one("SELECT id, user_id, name, created_at, last_used FROM api_tokens WHERE org_id = ? AND id = ?",
                        {org, id});
  if (!r) return std::nullopt;
  return TokenInfo{r->i64(0), org, r->i64(1), r->str(2), r->i64(3), r->opt_i64(4)};
}
void Tx::delete_token(Id org, Id id) { c_.exec("DELETE FROM api_tokens WHERE org_id = ? AND id = ?", {org, id}); }
void Tx::delete_tokens_of(Id org, Id user) {
  c_.exec("DELETE FROM api_tokens WHERE org_id = ? AND user_id = ?", {org, user});
}
int64_t Tx::count_login_failures(const std::string& username, Instant since) {
  return c_.scalar("SELECT COUNT(*) FROM login_failures WHERE username = ? AND at >= ?", {username, since});
}
void Tx::add_login_failure(const std::string& username, Instant now) {
  c_.exec("INSERT INTO login_failures(username, at) VALUES (?, ?)", {username, now});
  c_.exec("DELETE FROM login_failures WHERE at < ?", {now - 86400});
}
void Tx::clear_login_failures(const std::string& username) {
  c_.exec("DELETE FROM login_failures WHERE username = ?", {username});
}

// ---------- companies ----------

Id Tx::insert_company(const Company& c) {
  Id id = c_
      .query_one(
          "INSERT INTO companies(org_id, name, industry, industry_rank, region, budget_capacity, source, competitor, "
          "owner_id, status, need, budget, payer_met, effective_at, effective_day, effective_by, signed_at, "
          "first_visit_at, last_visit_at, visit_count, interest_reason, attraction, concerns, nurture_reason, "
          "revisit_on, drop_reason, version, created_at, updated_at, competitor_contract_end, address, lat, lng) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?,?) RETURNING id",
          {c.org_id, c.name, c.industry, db::val(c.industry_rank), c.region, db::val(c.budget_capacity), c.source,
           c.competitor, db::val(c.owner_id), std::string(to_string(c.status)), db::val(c.need), db::val(c.budget),
           db::val(c.payer_met), db::val(c.effective_at), db::val_or_null(c.effective_day), db::val(c.effective_by),
           db::val(c.signed_at), db::val(c.first_visit_at), db::val(c.last_visit_at), c.visit_count,
           c.interest_reason, c.attraction, c.concerns, db::val_or_null(c.nurture_reason),
           db::val_or_null(c.revisit_on), db::val_or_null(c.drop_reason), c.created_at, c.updated_at,
           db::val_or_null(c.competitor_contract_end), c.address, c.lat ? Value(*c.lat) : Value(),
           c.lng ? Value(*c.lng) : Value()})
      ->i64(0);
  set_name_key(c.org_id, id, c.name);
  return id;
}

void Tx::set_name_key(Id org, Id id, const std::string& name) {
  std::string key = names::company_key(name);
  c_.exec("UPDATE companies SET name_key = ? WHERE org_id = ? AND id = ? AND (name_key IS NULL OR name_key <> ?)",
          {key, org, id, key});
}

std::optional<Company> Tx::get_company(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kCompanyCols + " FROM companies WHERE org_id = ? AND id = ? AND deleted = 0",
                        {org, id});
  if (!r) return std::nullopt;
  return company_from(*r);
}

int Tx::applied_migration() { return int(c_.scalar("SELECT COALESCE(MAX(number),0) FROM schema_migrations")); }

void Tx::soft_delete_company(Id org, Id id, Instant now) {
  c_.exec("UPDATE companies SET deleted = 1, version = version + 1, updated_at = ? WHERE org_id = ? AND id = ?",
          {now, org, id});
}

bool Tx::update_company(const Company& c, int64_t expected_version) {
  return c_.exec(
             "UPDATE companies SET name=?, industry=?, industry_rank=?, region=?, budget_capacity=?, source=?, "
             "competitor=?, owner_id=?, status=?, need=?, budget=?, payer_met=?, effective_at=?, effective_day=?, "
             "effective_by=?, signed_at=?, first_visit_at=?, last_visit_at=?, visit_count=?, interest_reason=?, "
             "attraction=?, concerns=?, nurture_reason=?, revisit_on=?, drop_reason=?, updated_at=?, "
             "competitor_contract_end=?, address=?, lat=?, lng=?, version=version+1 "
             "WHERE org_id=? AND id=? AND version=? AND deleted=0",
             {c.name, c.industry, db::val(c.industry_rank), c.region, db::val(c.budget_capacity), c.source,
              c.competitor, db::val(c.owner_id), std::string(to_string(c.status)), db::val(c.need), db::val(c.budget),
              db::val(c.payer_met), db::val(c.effective_at), db::val_or_null(c.effective_day), db::val(c.effective_by),
              db::val(c.signed_at), db::val(c.first_visit_at), db::val(c.last_visit_at), c.visit_count,
              c.interest_reason, c.attraction, c.concerns, db::val_or_null(c.nurture_reason),
              db::val_or_null(c.revisit_on), db::val_or_null(c.drop_reason), c.updated_at,
              db::val_or_null(c.competitor_contract_end), c.address, c.lat ? Value(*c.lat) : Value(),
              c.lng ? Value(*c.lng) : Value(), c.org_id, c.id, expected_version}) == 1 &&
         (set_name_key(c.org_id, c.id, c.name), true);
}

// Contains-search picks its plan by the size of the match (the index tells it cheaply):
// up to kSmallMatch companies are looked up by id and sorted (a rare term no longer walks
// the name index over every company against an empty list); more, and the list walks the
// sort order and stops with the page, testing each row (a frequent term fills a page
// after a few rows). nullopt: the match is large, or nothing can tell cheaply (one character
// on PostgreSQL).
constexpr size_t kSmallMatch = 2000;

namespace {
// An FTS5 phrase: the text in double quotes, its own quotes doubled.
std::string fts_phrase(const std::string& text) {
  std::string phrase = "\"";
  for (char ch : text) phrase += (ch == '"') ? std::string("\"\"") : std::string(1, ch);
  return phrase + "\"";
}

std::string ascii_lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
  return s;
}

// Every spelling of s with its ASCII letters in either case (at most 4 for two characters).
std::vector<std::string> ascii_case_variants(const std::string& s) {
  std::vector<std::string> out{s};
  for (size_t i = 0; i < s.size(); i++) {
    char ch = s[i];
    bool upper = ch >= 'A' && ch <= 'Z', lower = ch >= 'a' && ch <= 'z';
    if (!upper && !lower) continue;
    size_t n = out.size();
    for (size_t k = 0; k < n; k++) {
      std::string v = out[k];
      v[i] = char(upper ? ch - 'A' + 'a' : ch - 'a' + 'A');
      out.push_back(std::move(v));
    }
  }
  return out;
}

// True when the FTS index's case folding of every character of s is LIKE's: ASCII, or a script
// without case (CJK, kana, hangul, CJK and fullwidth punctuation). Elsewhere (Ä, Ω, fullwidth
// Latin) the trigram tokenizer folds case where LIKE does not, so those terms keep the scan.
bool two_char_indexable(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = utf8::next(s, i);
    bool ok = cp < 0x80 || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
              (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
              (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
    if (!ok) return false;
  }
  return true;
}

std::optional<std::vector<Id>> search_ids(db::Conn& c_, Id org, const std::string& text) {
  const size_t len = utf8::length(text);
  std::set<Id> ids;
  if (c_.dialect() == db::Dialect::Postgres) {
    if (len < 2) return std::nullopt;
    // Three characters or more: the pg_trgm GIN indexes; two: the bigram GIN indexes (0016).
    std::string pat = "%" + like_escape(text) + "%";
    std::string gram = len >= 3 ? "" : " AND tj_bigrams(name) @> ARRAY[lower(?::text)]";
    for (const char* sql : {"SELECT id FROM companies WHERE org_id = ? AND deleted = 0 AND name ILIKE ? ESCAPE '\\'",
                            "SELECT DISTINCT company_id FROM contacts WHERE org_id = ? AND name ILIKE ? ESCAPE '\\'"}) {
      V p{org, pat};
      if (!gram.empty()) p.emplace_back(text);
      p.emplace_back(int64_t(kSmallMatch + 1));
      auto rows = c_.query(std::string(sql) + gram + " LIMIT ?", p);
      if (rows.size() > kSmallMatch) return std::nullopt;
      for (auto& r : rows) ids.insert(r.i64(0));
    }
  } else if (len == 2 && two_char_indexable(text)) {
    // Two characters: wherever they occur but at the very end of a name or of the contacts'
    // names, a third character follows, so they start a trigram of the FTS index, and fts5vocab
    // lists those trigrams in order (a range read of the index's terms, with each one's count
    // of rows). The ends are the name-tail indexes of 0021. A term no company has: 372 ms of
    // scanning at a million companies before, a few index reads now.
    std::string lo = ascii_lower(text);
    c_.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.company_fts_terms USING fts5vocab(main, company_fts, row)");
    std::vector<std::string> terms;
    int64_t rows_with = 0;
    for (auto& r : c_.query("SELECT term, doc FROM temp.company_fts_terms WHERE term >= ? AND term < ?",
                            {lo, lo + "\xF4\x8F\xBF\xBF"})) {  // lo followed by any character (U+10FFFF the last)
      terms.push_back(r.str(0));
      rows_with += r.i64(1);
      if (rows_with > int64_t(kSmallMatch)) return std::nullopt;  // counts every organisation's rows, as below
    }
    for (size_t i = 0; i < terms.size(); i += 64) {
      std::string match;
      for (size_t j = i; j < std::min(terms.size(), i + 64); j++) match += (j > i ? " OR " : "") + fts_phrase(terms[j]);
      for (auto& r : c_.query("SELECT rowid FROM company_fts WHERE company_fts MATCH ?", {match})) ids.insert(r.i64(0));
    }
    // The ends, in each ASCII case (LIKE's case-insensitivity): substr(name, -2) is the indexed expression.
    V p{org};
    std::string in;
    for (auto& variant : ascii_case_variants(text)) {
      in += in.empty() ? "?" : ",?";
      p.emplace_back(variant);
    }
    p.emplace_back(int64_t(kSmallMatch + 1));
    // (Named: without statistics SQLite prefers a covering index on org_id and computes substr for every row.)
    for (const char* sql :
         {"SELECT id FROM companies INDEXED BY companies_name_tail WHERE org_id = ? AND substr(name, -2) IN (",
          "SELECT DISTINCT company_id FROM contacts INDEXED BY contacts_name_tail WHERE org_id = ? AND substr(name, "
          "-2) IN ("}) {
      auto rows = c_.query(std::string(sql) + in + ") LIMIT ?", p);
      if (rows.size() > kSmallMatch) return std::nullopt;
      for (auto& r : rows) ids.insert(r.i64(0));
    }
  } else if (len < 3) {
    // One character, or two with a letter that has case outside ASCII: no trigram. Scan the search rows' own text
    // (names and contact names, one row per company), stopping at the cap: 0.4 s CPU for a term no company has at a
    // million companies, against 4.7 s for the name walk with a contacts probe per row.
    std::string pat = "%" + like_escape(text) + "%";
    auto rows = c_.query("SELECT rowid FROM company_fts WHERE name LIKE ? ESCAPE '\\' OR contacts LIKE ? ESCAPE '\\' LIMIT ?",
                         {pat, pat, int64_t(kSmallMatch + 1)});
    if (rows.size() > kSmallMatch) return std::nullopt;
    for (auto& r : rows) ids.insert(r.i64(0));
  } else {
    // The trigram FTS holds every organisation's rows: the cap counts them all.
    auto rows = c_.query("SELECT rowid FROM company_fts WHERE company_fts MATCH ? LIMIT ?",
                         {fts_phrase(text), int64_t(kSmallMatch + 1)});
    if (rows.size() > kSmallMatch) return std::nullopt;
    for (auto& r : rows) ids.insert(r.i64(0));
  }
  if (ids.size() > kSmallMatch) return std::nullopt;
  return std::vector<Id>(ids.begin(), ids.end());
}
}  // namespace

std::vector<Company> Tx::list_companies(const CompanyQuery& q) {
  const bool pg = c_.dialect() == db::Dialect::Postgres;
  std::optional<std::vector<Id>> small;
  if (!q.q.empty()) {
    small = search_ids(c_, q.org_id, q.q);
    if (small && small->empty()) return {};
  }
  // A small match: the rows by id, then sorted. On SQLite NOT INDEXED keeps the planner
  // from walking the name index instead (the rowid lookups of the IN list remain).
  std::string sql = std::string("SELECT ") + kCompanyCols + " FROM companies" + (small && !pg ? " NOT INDEXED" : "") +
                    " WHERE org_id = ? AND deleted = 0";
  V p{q.org_id};
  scope_clause(q.scope, q.org_id, sql, p);
  if (q.status) {
    sql += " AND status = ?";
    p.emplace_back(*q.status);
  }
  if (q.industry) {
    sql += " AND industry = ?";
    p.emplace_back(*q.industry);
  }
  if (q.owner_id) {
    if (*q.owner_id == 0) sql += " AND owner_id IS NULL";
    else {
      sql += " AND owner_id = ?";
      p.emplace_back(*q.owner_id);
    }
  }
  if (small) {
    // Ids read from the database a moment ago, written as integer literals.
    sql += " AND id IN (";
    for (size_t i = 0; i < small->size(); i++) sql += (i ? "," : "") + std::to_string((*small)[i]);
    sql += ")";
  } else if (!q.q.empty()) {
    std::string pat = "%" + like_escape(q.q) + "%";
    if (pg) {
      // A large match (or one character): walk the sort order and test each row. `name || ''`
      // is not the indexed expression, so the planner does not build the trigram bitmap of
      // every match first; the contacts are probed by (org_id, company_id). (OFFSET 0 keeps that
      // probe per row: without it the planner may hash the subquery instead, reading all 1.6M
      // contacts with ILIKE before the first row: 248 ms for `科技`, 7 ms with the probe.)
      sql +=
          " AND ((name || '') ILIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM contacts t WHERE t.org_id = "
          "companies.org_id "
          "AND t.company_id = companies.id AND t.name ILIKE ? ESCAPE '\\' OFFSET 0))";
      p.emplace_back(pat);
      p.emplace_back(pat);
    } else if (utf8::length(q.q) >= 3) {
      sql += " AND id IN (SELECT rowid FROM company_fts WHERE company_fts MATCH ?)";
      p.emplace_back(fts_phrase(q.q));
    } else {
      // Trigrams cannot match one or two characters: scan names with LIKE.
      // A correlated EXISTS probes each candidate's contacts by (org_id, company_id)
      // instead of scanning every contact of the organisation.
      sql += " AND (name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM contacts t WHERE t.org_id = companies.org_id AND "
             "t.company_id = companies.id AND t.name LIKE ? ESCAPE '\\'))";
      p.emplace_back(pat);
      p.emplace_back(pat);
    }
  }
  const std::string& expr = sort_exprs().at(q.sort);
  if (q.after_id && q.after_value) {
    sql += " AND (" + expr + ", id) " + (q.desc ? "<" : ">") + " (?, ?)";
    db::Value after = *q.after_value;
    if (c_.dialect() == db::Dialect::Postgres) after = pg_cursor_value(q.sort, after);
    p.push_back(after);
    p.emplace_back(*q.after_id);
  }
  sql += " ORDER BY " + expr + (q.desc ? " DESC" : "") + ", id" + (q.desc ? " DESC" : "") + " LIMIT ?";
  p.emplace_back(int64_t(q.limit));
  std::vector<Company> out;
  for (auto& r : c_.query(sql, p)) out.push_back(company_from(r));
  return out;
}

int64_t Tx::count_nurture(Id org, Id owner) {
  return c_.scalar("SELECT COUNT(*) FROM companies WHERE org_id = ? AND owner_id = ? AND status = 'nurture' AND deleted = 0",
                   {org, owner});
}

// ---------- contacts, visits, deals ----------

Id Tx::insert_contact(const Contact& c) {
  return c_
      .query_one("INSERT INTO contacts(org_id, company_id, name, title, is_payer, style, phone, created_at) "
                 "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                 {c.org_id, c.company_id, c.name, c.title, db::val(c.is_payer), c.style, c.phone, c.created_at})
      ->i64(0);
}
std::optional<Contact> Tx::get_contact(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kContactCols + " FROM contacts WHERE org_id = ? AND id = ?", {org, id});
  if (!r) return std::nullopt;
  return contact_from(*r);
}
bool Tx::update_contact(const Contact& c, int64_t expected_version) {
  return c_.exec("UPDATE contacts SET name=?, title=?, is_payer=?, style=?, phone=?, version=version+1 "
                 "WHERE org_id=? AND id=? AND version=?",
                 {c.name, c.title, db::val(c.is_payer), c.style, c.phone, c.org_id, c.id, expected_version}) == 1;
}
std::vector<Contact> Tx::list_contacts(Id org, Id company) {
  std::vector<Contact> out;
  for (auto& r : c_.query(std::string("SELECT ") + kContactCols + " FROM contacts WHERE org_id = ? AND company_id = ? ORDER BY id",
                          {org, company}))
    out.push_back(contact_from(r));
  return out;
}

std::vector<Contact> Tx::phone_contacts(Id org, const std::vector<Id>& companies) {
  std::vector<Contact> out;
  if (companies.empty()) return out;
  V p{org};
  for (Id id : companies) p.push_back(id);
  for (auto& r : c_.query(std::string("SELECT ") + kContactCols + " FROM contacts WHERE org_id = ? AND company_id IN (" +
                              placeholders(companies.size()) + ") AND phone <> '' ORDER BY company_id, is_payer DESC, id",
                          p))
    out.push_back(contact_from(r));
  return out;
}

Id Tx::insert_visit(const Visit& v) {
  return c_
      .query_one(
          "INSERT INTO visits(org_id, company_id, rep_id, at, day, kind, duration_min, was_new, met_payer, need, budget, "
          "made_effective, companion_id, coaching_stage, interest_reason, attraction, concerns, notes, created_at, lat, lng) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
          {v.org_id, v.company_id, v.rep_id, v.at, v.day, std::string(to_string(v.kind)), db::val(v.duration_min),
           db::val(v.was_new), db::val(v.met_payer), db::val(v.need), db::val(v.budget), db::val(v.made_effective),
           db::val(v.companion_id), db::val(v.coaching_stage), v.interest_reason, v.attraction, v.concerns, v.notes,
           v.created_at, v.lat ? Value(*v.lat) : Value(), v.lng ? Value(*v.lng) : Value()})
      ->i64(0);
}
std::vector<Visit> Tx::list_visits(Id org, Id company, int limit) {
  std::vector<Visit> out;
  for (auto& r : c_.query(std::string("SELECT ") + kVisitCols +
                              " FROM visits WHERE org_id = ? AND company_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                          {org, company, int64_t(limit)}))
    out.push_back(visit_from(r));
  return out;
}
std::optional<Visit> Tx::get_visit(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kVisitCols + " FROM visits WHERE org_id = ? AND id = ?", {org, id});
  if (!r) return std::nullopt;
  return visit_from(*r);
}
void Tx::delete_visit(Id org, Id id) { c_.exec("DELETE FROM visits WHERE org_id = ? AND id = ?", {org, id}); }
std::vector<Visit> Tx::company_visits_in_order(Id org, Id company) {
  std::vector<Visit> out;
  for (auto& r : c_.query(std::string("SELECT ") + kVisitCols +
                              " FROM visits WHERE org_id = ? AND company_id = ? ORDER BY at, id",
                          {org, company}))
    out.push_back(visit_from(r));
  return out;
}
void Tx::set_visit_flags(Id org, Id id, bool was_new, bool made_effective) {
  c_.exec("UPDATE visits SET was_new = ?, made_effective = ? WHERE org_id = ? AND id = ?",
          {db::val(was_new), db::val(made_effective), org, id});
}

Id Tx::insert_deal(const Deal& d) {
  return c_
      .query_one("INSERT INTO deals(org_id, company_id, rep_id, amount, signed_on, created_at, notes) VALUES (?,?,?,?,?,?,?) "
                 "RETURNING id",
                 {d.org_id, d.company_id, d.rep_id, d.amount, d.signed_on, d.created_at, d.notes})
      ->i64(0);
}
std::vector<Deal> Tx::list_deals(Id org, Id company) {
  std::vector<Deal> out;
  for (auto& r : c_.query("SELECT id, org_id, company_id, rep_id, amount, signed_on, created_at, notes FROM deals "
                          "WHERE org_id = ? AND company_id = ? ORDER BY signed_on DESC, id DESC",
                          {org, company}))
    out.push_back(Deal{r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.str(5), r.i64(6), r.str(7)});
  return out;
}

// ---------- targets, notes ----------

std::optional<Target> Tx::get_target(Id org, const std::string& scope, Id scope_id, const std::string& metric,
                                     const std::string& period) {
  auto r = c_.query_one(
      "SELECT " + kTargetCols + " FROM targets WHERE org_id = ? AND scope = ? AND scope_id = ? AND metric = ? AND period = ?",
      {org, scope, scope_id, metric, period});
  if (!r) return std::nullopt;
  return target_from(*r);
}

Id Tx::upsert_target(const Target& t, std::optional<int64_t> old_value) {
  Id id;
  if (t.id) {
    c_.exec("UPDATE targets SET value=?, reason=?, set_by=?, updated_at=?, version=version+1 WHERE org_id=? AND id=?",
            {t.value, t.reason, db::val(t.set_by), t.updated_at, t.org_id, t.id});
    id = t.id;
  } else {
    id = c_.query_one("INSERT INTO targets(org_id, scope, scope_id, metric, period, value, reason, set_by, updated_at) "
                      "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                      {t.org_id, t.scope, t.scope_id, t.metric, t.period, t.value, t.reason, db::val(t.set_by),
                       t.updated_at})
             ->i64(0);
  }
  c_.exec("INSERT INTO target_history(org_id, target_id, old_value, new_value, reason, set_by, at) VALUES (?,?,?,?,?,?,?)",
          {t.org_id, id, db::val(old_value), t.value, t.reason, db::val(t.set_by), t.updated_at});
  return id;
}

std::vector<Target> Tx::list_targets(Id org) {
  std::vector<Target> out;
  for (auto& r : c_.query("SELECT " + kTargetCols + " FROM targets WHERE org_id = ? ORDER BY id",
                          {org}))
    out.push_back(target_from(r));
  return out;
}

std::vector<Tx::TargetChange> Tx::target_history(Id org) {
  std::vector<TargetChange> out;
  for (auto& r : c_.query("SELECT target_id, old_value, new_value, reason, set_by, at FROM target_history WHERE org_id = ? "
                          "ORDER BY id DESC",
                          {org}))
    out.push_back({r.i64(0), r.opt_i64(1), r.i64(2), r.str(3), r.opt_i64(4), r.i64(5)});
  return out;
}

std::optional<DayNote> Tx::get_note(NoteKind k, Id org, Id rep, const std::string& day) {
  std::string sql = std::string("SELECT id, org_id, rep_id, day, body, version, updated_at FROM ") +
                    (k == NoteKind::Plan ? "plans" : "reviews") + " WHERE org_id = ? AND rep_id = ? AND day = ?";
  auto r = c_.query_one(sql, {org, rep, day});
  if (!r) return std::nullopt;
  return DayNote{r->i64(0), r->i64(1), r->i64(2), r->str(3), r->str(4), r->i64(5), r->i64(6)};
}

bool Tx::put_note(NoteKind k, const DayNote& n, int64_t expected_version) {
  std::string table = k == NoteKind::Plan ? "plans" : "reviews";
  if (expected_version == 0) {
    c_.exec("INSERT INTO " + table + "(org_id, rep_id, day, body, updated_at) VALUES (?,?,?,?,?)",
            {n.org_id, n.rep_id, n.day, n.body_json, n.updated_at});
    return true;
  }
  return c_.exec("UPDATE " + table +
                     " SET body=?, updated_at=?, version=version+1 WHERE org_id=? AND rep_id=? AND day=? AND version=?",
                 {n.body_json, n.updated_at, n.org_id, n.rep_id, n.day, expected_version}) == 1;
}

// ---------- audit ----------

void Tx::insert_audit(const AuditEntry& a) {
  c_.exec("INSERT INTO audit_log(org_id, at, user_id, action, entity, entity_id, old_json, new_json) VALUES (?,?,?,?,?,?,?,?)",
          {a.org_id, a.at, db::val(a.user_id), a.action, a.entity, db::val(a.entity_id), db::val_or_null(a.old_json),
           db::val_or_null(a.new_json)});
}

std::vector<AuditEntry> Tx::list_audit(Id org, const std::string& entity, std::optional<Id> entity_id, int limit) {
  std::string sql = "SELECT id, org_id, at, user_id, action, entity, entity_id, old_json, new_json FROM audit_log WHERE org_id = ?";
  V p{org};
  if (!entity.empty()) {
    sql += " AND entity = ?";
    p.emplace_back(entity);
  }
  if (entity_id) {
    sql += " AND entity_id = ?";
    p.emplace_back(*entity_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.emplace_back(int64_t(limit));
  std::vector<AuditEntry> out;
  for (auto& r : c_.query(sql, p))
    out.push_back(AuditEntry{r.i64(0), r.i64(1), r.i64(2), r.opt_i64(3), r.str(4), r.str(5), r.opt_i64(6), r.str(7), r.str(8)});
  return out;
}

// ---------- metrics ----------

std::vector<RepMetrics> Tx::rep_metrics(Id org, const std::string& from, const std::string& to, std::optional<Id> only_rep) {
  std::map<Id, RepMetrics> m;
  auto get = [&](Id rep) -> RepMetrics& {
    auto& r = m[rep];
    r.rep_id = rep;
    return r;
  };
  // The per-(rep, day) counters of migration 0005: reps x days rows, not visits.
  std::string rep_filter = only_rep ? " AND rep_id = ?" : "";
  V p{org, from, to};
  if (only_rep) p.emplace_back(*only_rep);
  // The day range of the covering index rep_day_stats_day, named on SQLite: without statistics
  // SQLite would walk the primary key (rep, day) for its GROUP BY order, i.e. every day of
  // the whole history.
  std::string table = c_.dialect() != db::Dialect::Sqlite ? counter_rows(c_, "rep_day_stats")
                      : only_rep                          ? "rep_day_stats"
                                                          : "rep_day_stats INDEXED BY rep_day_stats_day";
  for (auto& r : c_.query("SELECT rep_id, SUM(visits), SUM(visits_new), SUM(minutes_total), SUM(minutes_new), "
                          "SUM(effective_new), SUM(deals), SUM(signed_amount), SUM(reached_new), SUM(calls_unlogged), SUM(calls_unlogged_new), "
                          "SUM(meets_unlogged), SUM(meets_unlogged_new) FROM " + table + " WHERE org_id = ? AND "
                          "day >= ? AND day <= ?" + rep_filter + " GROUP BY rep_id",
                          p)) {
    if (r.i64(1) == 0 && r.i64(5) == 0 && r.i64(6) == 0) continue;  // counters back at zero
    auto& x = get(r.i64(0));
    x.visits = r.i64(1);
    x.visits_new = r.i64(2);
    x.minutes.logged_total = r.i64(3);
    x.minutes.logged_new = r.i64(4);
    x.minutes.calls_unlogged = r.i64(9);
    x.minutes.calls_unlogged_new = r.i64(10);
    x.minutes.meets_unlogged = r.i64(11);
    x.minutes.meets_unlogged_new = r.i64(12);
    x.effective_new = r.i64(5);
    x.deals = r.i64(6);
    x.signed_amount = r.i64(7);
    x.reached_new = r.i64(8);
  }
  std::vector<RepMetrics> out;
  out.reserve(m.size());
  for (auto& [k, v] : m) out.push_back(v);
  return out;
}

bool Tx::company_visible(const Company& c, const Scope& s, Id org) {
  if (c.org_id != org) return false;
  if (!c.owner_id) return true;
  switch (s.kind) {
    case Scope::All: return true;
    case Scope::Self: return *c.owner_id == s.user_id;
    case Scope::Teams: {
      if (*c.owner_id == s.user_id) return true;
      auto u = get_user(org, *c.owner_id);
      if (!u || !u->team_id) return false;
      for (auto t : s.team_ids)
        if (t == *u->team_id) return true;
      return false;
    }
  }
  return false;
}

}  // namespace tj
