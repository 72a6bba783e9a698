// Import of companies (with one contact per row) from CSV or XLSX: the importer.
// The columns are mapped by import_columns.cpp, progress is reported through
// import_progress.cpp; the export is export.cpp.
//
// Import, in order: read the file (io::read_table: XLSX or CSV by content,
// encoding and delimiter detected); find the header row and map its columns
// to fields (Chinese or English names, or an explicit mapping); group the data
// rows by normalised company name (io::company_key), so a file naming a
// company twice, or a company already stored, never makes a duplicate; then
// apply the rows in file order to each company, deciding per row: created,
// updated, unchanged or rejected (with reasons). A dry run does this in a read
// transaction and writes nothing. A real run does it in one write transaction:
// all-or-nothing rolls everything back when any row is rejected; per-row
// writes the good rows, so imported + rejected = rows.
//
// Rules: an empty cell never changes a field (and never inherits another
// row's value); a column the file lacks is untouched; the name is the match
// key and is never renamed by an import; a company in the public pool must be
// claimed first (managers may assign it with an owner cell); a rep imports only
// their own companies; owner cells name a user by username or by a unique
// display name, within the caller's teams. Budgets: a bare number is yuan
// (预算, 预算（元）, budget_capacity); a header saying 万元 makes it 10,000 yuan,
// one saying 分/fen makes it fen; a cell may carry its own 元/万 suffix; the
// stored value is integer fen.
//
// Audit: one "import_file" entry per applied import (file, mode, counts and the
// ids of the companies and contacts it created, as ranges) and one "import"
// entry per existing company or contact it changed (old -> new).
//
// Speed (a million rows in seconds): rows are grouped by key hash without
// keeping the row text twice; a company on one row keeps no state; new
// companies are written after the check, in name order, many rows a
// statement, with the search triggers suspended and the search rows built in
// one statement, and big loads rebuild the indexes (Tx::begin_bulk_import).

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "app/import_columns.h"
#include "app/import_progress.h"
#include "app/internal.h"
#include "app/pool.h"
#include "app/vocab.h"
#include "common/utf8.h"
#include "io/sheet.h"
#include "io/text.h"

namespace tj {
using namespace detail;
using namespace imp;

namespace {

struct RowVals {
  std::string_view s[kFields];
  std::optional<std::string> contract_end;
  std::optional<int64_t> rank, budget;
  std::optional<bool> payer;
  std::optional<Id> owner;
  bool has(int f) const { return !s[f].empty(); }
};

struct OwnerRes {
  Id id = 0;
  std::string err;
};

std::string contact_key(std::string_view name) { return io::fold_width(name, true, true); }

json contact_json(const Contact& c) {
  return {{"id", c.id},         {"company_id", c.company_id}, {"name", c.name},   {"title", c.title},
          {"is_payer", c.is_payer}, {"style", c.style},       {"phone", c.phone}, {"version", c.version}};
}

enum class Outcome : uint8_t { None, Created, Updated, Unchanged, Rejected, Blank };

struct Group {
  Company c;
  bool existing = false;
  bool was_pool = false;  // an existing company in the public pool when the import started
  bool changed = false;   // existing: something to write
  bool contacts_loaded = false;
  std::vector<Contact> contacts;     // known contacts (loaded for existing companies) and new ones (id 0)
  std::vector<bool> contact_dirty;   // parallel to contacts: changed by this import
  Company original;                  // existing: as stored before the import
};

// Compact row ranges "2-9,12" for the report, capped.
class Ranges {
 public:
  void add(int64_t r) {
    if (!v_.empty() && v_.back().second + 1 == r) v_.back().second = r;
    else v_.emplace_back(r, r);
  }
  json to_json(size_t cap = 1000) const {
    json a = json::array();
    for (size_t i = 0; i < v_.size() && i < cap; i++)
      a.push_back(v_[i].first == v_[i].second ? std::to_string(v_[i].first)
                                              : std::to_string(v_[i].first) + "-" + std::to_string(v_[i].second));
    return a;
  }
  size_t size() const { return v_.size(); }

 private:
  std::vector<std::pair<int64_t, int64_t>> v_;
};

constexpr size_t kListCap = 1000;  // rejects and updates listed in a report

// One run over the rows, in a read (dry run) or write transaction.
class Importer {
 public:
  Importer(Tx& tx, const Actor& a, const io::Table& t, const Columns& cols, bool csv, const App::ImportOptions& o,
           Instant now, bool write)
      : tx_(tx), a_(a), t_(t), cols_(cols), csv_(csv), o_(o), now_(now), write_(write) {}

  Status run();
  json report;  // filled by run()
  bool any_rejected() const { return n_rejected_ > 0; }
  // Rows rejected as 撞单 (a company of the name the importer may not write): the existing
  // company and the name tried, for App::report_duplicate_attempt after the transaction.
  std::vector<std::pair<DuplicateHit, std::string>> duplicates;

 private:
  std::string_view cell(size_t r, int f) const {
    if (cols_.col[f] < 0) return {};
    std::string_view v = io::trim(t_.text(r, size_t(cols_.col[f])));
    if (csv_) v = io::trim(io::unneutralise(v));
    return v;
  }
  void parse_row(size_t r, RowVals& v, std::vector<std::string>& errs);
  OwnerRes resolve_owner(std::string_view s);
  Status load_existing();
  std::vector<Id> existing_ids(uint64_t key_hash);
  Result<Outcome> apply(Group& g, const RowVals& v, bool first, std::vector<std::string>& errs,
                        std::vector<std::string>& changes);
  Status finish_group(Group& g);
  void flush_new(std::vector<Group>& batch);
  void progress(int64_t done, int64_t total) {
    if (o_.progress) o_.progress("check", done, total);
  }
  void reject(uint32_t row, std::vector<std::string> reasons) {
    n_rejected_++;
    rejected_rows_.add(row);
    if (rejects_.size() < kListCap) rejects_.push_back({{"row", row}, {"reasons", reasons}});
  }

  Tx& tx_;
  const Actor& a_;
  const io::Table& t_;
  const Columns& cols_;
  bool csv_;
  const App::ImportOptions& o_;
  Instant now_;
  bool write_;
  std::string tz_;
  std::unordered_map<std::string, User> by_username_;
  std::unordered_map<std::string, std::vector<User>> by_display_;
  std::unordered_map<std::string, OwnerRes> owner_cache_;
  std::optional<Id> default_owner_;
  std::vector<method::Industry> industries_;  // the organisation's list: industry cells map to its names
  std::vector<std::pair<uint64_t, Id>> existing_;  // (hash of company_key, id), sorted
  Tx::BulkLoad bulk_;
  int64_t n_created_ = 0, n_updated_ = 0, n_unchanged_ = 0, n_rejected_ = 0, n_blank_ = 0;
  int64_t companies_created_ = 0, companies_updated_ = 0, contacts_created_ = 0, contacts_updated_ = 0;
  Ranges created_rows_, updated_rows_, unchanged_rows_, rejected_rows_, created_ids_, created_contact_ids_;
  json rejects_ = json::array(), updates_ = json::array();
};

OwnerRes Importer::resolve_owner(std::string_view s0) {
  std::string s(s0);
  auto it = owner_cache_.find(s);
  if (it != owner_cache_.end()) return it->second;
  OwnerRes r;
  const User* u = nullptr;
  // Enumeration (issue 17, point 12): the reasons never tell whether a name the caller may not
  // see exists or is deactivated. A rep owns only themselves: any other name gets one reason;
  // others resolve among the users in their scope only (by_username_ / by_display_ hold just
  // those), and an unknown name and one outside the scope get the same reason.
  if (a_.user.role == Role::Rep) {
    if (s == a_.user.username || s == a_.user.display_name) r.id = a_.user.id;
    else
      r.err = a_.zh ? "销售只能导入自己的客户（负责人只能写自己，不能写 " + quote_cell(s) + "）"
                    : "a rep imports only their own companies (the owner can only be you, not " + quote_cell(s) + ")";
    owner_cache_.emplace(s, r);
    return r;
  }
  if (auto iu = by_username_.find(s); iu != by_username_.end()) {
    u = &iu->second;
  } else if (auto id = by_display_.find(s); id != by_display_.end()) {
    if (id->second.size() > 1)
      r.err = a_.zh ? quote_cell(s) + " 是 " + std::to_string(id->second.size()) + " 个用户的名字；请写用户名"
                    : quote_cell(s) + " is the name of " + std::to_string(id->second.size()) + " users; use the username";
    else
      u = &id->second.front();
  } else {
    r.err = a_.zh ? "你的团队里没有用户 " + quote_cell(s) : "no user " + quote_cell(s) + " in your teams";
  }
  if (u) {
    if (!u->active) r.err = quote_cell(s) + (a_.zh ? " 已停用" : " is deactivated");
    else r.id = u->id;
  }
  owner_cache_.emplace(s, r);
  return r;
}

void Importer::parse_row(size_t r, RowVals& v, std::vector<std::string>& errs) {
  for (int f = 0; f < kFields; f++) v.s[f] = cell(r, f);
  // Reasons in the caller's language (Accept-Language), naming the column as the file does.
  auto label = [&](int f) {
    std::string h = cols_.header_of(f);
    if (a_.zh) return h.empty() ? std::string(kDefs[f].key) : h;
    return std::string(kDefs[f].key) + (h.empty() || h == kDefs[f].key ? "" : " (" + h + ")");
  };
  auto L = [&](const char* zh, const char* en) { return std::string(a_.zh ? zh : en); };
  if (!v.has(kName)) errs.push_back(label(kName) + L("：为空；每一行都要有公司名称", ": empty; every row needs the company name"));
  // Cell text is UTF-8 without NUL by now (io::read_table decodes and checks it).
  for (int f = 0; f < kFields; f++)
    if (v.s[f].size() > kDefs[f].max_chars && utf8::length(v.s[f]) > kDefs[f].max_chars)
      errs.push_back(label(f) + (a_.zh ? "：超过 " + std::to_string(kDefs[f].max_chars) + " 个字"
                                       : ": longer than " + std::to_string(kDefs[f].max_chars) + " characters"));
  if (v.has(kRank)) {
    v.rank = io::parse_integer(v.s[kRank]);
    if (!v.rank || *v.rank < 1 || *v.rank > 1000000) {
      errs.push_back(label(kRank) + L("：", ": ") + quote_cell(v.s[kRank]) +
                     L(" 不是 1 到 1000000 之间的整数", " is not a whole number from 1 to 1000000"));
      v.rank.reset();
    }
  }
  if (v.has(kBudget)) {
    std::string why;
    v.budget = io::parse_money(v.s[kBudget], cols_.budget_unit, why, int64_t(1e15));
    if (!v.budget) {
      if (a_.zh)  // io::parse_money explains in English; the same three reasons in Chinese
        why = why.rfind("is not an amount", 0) == 0 ? "不是金额（例如 12345.67、1,200、¥800 或 50万）"
              : why == "is out of range"            ? "超出范围"
              : why == "must not be negative"       ? "不能为负数"
                                                    : why;
      errs.push_back(label(kBudget) + L("：", ": ") + quote_cell(v.s[kBudget]) + " " + why);
    }
  }
  if (v.has(kContractEnd)) {
    v.contract_end = parse_sheet_date(v.s[kContractEnd]);
    if (!v.contract_end)
      errs.push_back(label(kContractEnd) + L("：", ": ") + quote_cell(v.s[kContractEnd]) +
                     L(" 不是日期（例如 2027-03-01）", " is not a date (e.g. 2027-03-01)"));
  }
  if (v.has(kCPayer)) {
    v.payer = io::parse_bool(v.s[kCPayer]);
    if (!v.payer)
      errs.push_back(label(kCPayer) + L("：", ": ") + quote_cell(v.s[kCPayer]) +
                     L(" 不是 是/否（Y/N、true/false、1/0）", " is not 是/否 (Y/N, true/false, 1/0)"));
  }
  if (v.has(kOwner)) {
    auto o = resolve_owner(v.s[kOwner]);
    if (!o.err.empty()) errs.push_back(label(kOwner) + L("：", ": ") + o.err);
    else v.owner = o.id;
  }
  if (v.has(kIndustry)) {  // a name of the organisation's list, or an alias of one (mapped)
    auto m = method::map_industry(industries_, v.s[kIndustry]);
    const std::string* name = nullptr;
    if (m)
      for (auto& i : industries_)
        if (i.name == *m) name = &i.name;
    if (name) v.s[kIndustry] = *name;
    else errs.push_back(label(kIndustry) + L("：", ": ") + unknown_industry_message(industries_, v.s[kIndustry], a_.zh));
  }
  if (v.has(kCStyle)) {  // one of the four styles; common older names (老虎型, decisive, ...) map to them
    auto st = method::legacy_style(v.s[kCStyle]);
    const std::string* key = nullptr;
    if (st)
      for (auto& k : method::style_keys())
        if (k == *st) key = &k;
    if (key) v.s[kCStyle] = *key;
    else
      errs.push_back(label(kCStyle) + L("：", ": ") + quote_cell(v.s[kCStyle]) +
                     L(" 不是 支配型、分析型、友善型、表现型 之一", " is not one of driver, analytical, amiable, expressive"));
  }
  if (!v.has(kCName) && (v.has(kCTitle) || v.has(kCPayer) || v.has(kCStyle) || v.has(kCPhone)) && cols_.col[kCName] >= 0)
    errs.push_back(label(kCName) + L("：为空，但这一行有联系人信息", ": empty, but the row has contact details"));
}

Status Importer::load_existing() {
  Id after = 0;
  for (;;) {
    auto page = tx_.company_names_after(a_.org(), after, 20000);
    for (auto& [id, name] : page) existing_.emplace_back(std::hash<std::string>{}(io::company_key(name)), id);
    if (page.size() < 20000) break;
    after = page.back().first;
  }
  std::sort(existing_.begin(), existing_.end());
  return ok_status();
}

std::vector<Id> Importer::existing_ids(uint64_t h) {
  std::vector<Id> out;
  auto it = std::lower_bound(existing_.begin(), existing_.end(), std::pair<uint64_t, Id>(h, 0));
  for (; it != existing_.end() && it->first == h; ++it) out.push_back(it->second);
  return out;
}

// Applies one row to a company. first: the row creates the company.
Result<Outcome> Importer::apply(Group& g, const RowVals& v, bool first, std::vector<std::string>& errs,
                                std::vector<std::string>& changes) {
  Company c = g.c;
  auto set_s = [&](int f, std::string& field) {
    if (v.has(f) && field != v.s[f]) {
      field.assign(v.s[f]);
      changes.push_back(kDefs[f].key);
    }
  };
  auto set_i = [&](int f, const std::optional<int64_t>& val, std::optional<int64_t>& field) {
    if (val && field != val) {
      field = val;
      changes.push_back(kDefs[f].key);
    }
  };
  if (first) c.name.assign(v.s[kName]);
  set_s(kIndustry, c.industry);
  set_i(kRank, v.rank, c.industry_rank);
  set_s(kRegion, c.region);
  set_i(kBudget, v.budget, c.budget_capacity);
  set_s(kSource, c.source);
  set_s(kCompetitor, c.competitor);
  if (v.contract_end && c.competitor_contract_end != *v.contract_end) {
    c.competitor_contract_end = *v.contract_end;
    changes.push_back(kDefs[kContractEnd].key);
  }
  if (first) {
    c.owner_id = v.owner ? v.owner : default_owner_;
  } else if (v.owner && c.owner_id != v.owner) {
    if (a_.user.role == Role::Rep) {
      errs.push_back(a_.zh ? "负责人：销售不能通过导入接手或转交客户（请从公海认领）"
                           : "owner: a rep cannot take or reassign a company by import (claim it from the public pool)");
      return Outcome::Rejected;
    }
    c.owner_id = v.owner;
    if (c.status == CompanyStatus::Dropped) c.status = rules::derived_status(c);
    changes.push_back("owner");
  }
  // The contact of the row.
  std::vector<Contact> contacts;
  std::vector<bool> dirty;
  bool contact_change = false;
  if (v.has(kCName)) {
    if (g.existing && !g.contacts_loaded) {
      g.contacts = tx_.list_contacts(a_.org(), c.id);
      g.contact_dirty.assign(g.contacts.size(), false);
      g.contacts_loaded = true;
    }
    contacts = g.contacts;
    dirty = g.contact_dirty;
    std::string key = contact_key(v.s[kCName]);
    size_t i = 0;
    while (i < contacts.size() && contact_key(contacts[i].name) != key) i++;
    if (i == contacts.size()) {
      Contact ct;
      ct.org_id = a_.org();
      ct.name.assign(v.s[kCName]);
      contacts.push_back(ct);
      dirty.push_back(true);
      changes.push_back("contact_added");
      contact_change = true;
    }
    Contact& ct = contacts[i];
    bool ch = false;
    auto cs = [&](int f, std::string& field) {
      if (v.has(f) && field != v.s[f]) {
        field.assign(v.s[f]);
        ch = true;
      }
    };
    cs(kCTitle, ct.title);
    cs(kCStyle, ct.style);
    cs(kCPhone, ct.phone);
    if (v.payer && ct.is_payer != *v.payer) {
      ct.is_payer = *v.payer;
      ch = true;
    }
    if (ch) {
      if (ct.id) changes.push_back("contact_updated");
      dirty[i] = true;
      contact_change = true;
    }
  }
  if (first) {
    g.c = std::move(c);
    if (contact_change) {
      g.contacts = std::move(contacts);
      g.contact_dirty = std::move(dirty);
    }
    g.changed = true;
    return Outcome::Created;
  }
  if (changes.empty()) return Outcome::Unchanged;
  if (g.existing && g.was_pool && !(v.owner && a_.user.role != Role::Rep)) {
    if (a_.zh)
      errs.push_back(std::string("这家公司在公海里：请先认领") + (a_.user.role != Role::Rep ? "，或指定负责人" : ""));
    else
      errs.push_back("the company is in the public pool (公海): claim it first" +
                     std::string(a_.user.role != Role::Rep ? ", or give it an owner" : ""));
    return Outcome::Rejected;
  }
  g.c = std::move(c);
  if (contact_change) {
    g.contacts = std::move(contacts);
    g.contact_dirty = std::move(dirty);
  }
  g.changed = true;
  return Outcome::Updated;
}

// Writes an existing company once its last row is applied.
Status Importer::finish_group(Group& g) {
  if (!write_ || !g.changed) return ok_status();
  int64_t ver = g.c.version;
  g.c.updated_at = now_;
  if (!tx_.update_company(g.c, ver)) return stale("the company");
  g.c.version = ver + 1;
  companies_updated_++;
  audit(tx_, a_, now_, "import", "company", g.c.id, to_json(g.original, tz_), to_json(g.c, tz_));
  std::vector<Contact> added;
  for (size_t i = 0; i < g.contacts.size(); i++) {
    Contact& ct = g.contacts[i];
    if (!g.contact_dirty[i]) continue;
    if (!ct.id) {
      ct.org_id = a_.org();
      ct.company_id = g.c.id;
      ct.created_at = now_;
      added.push_back(ct);
    } else {
      json old = contact_json(*tx_.get_contact(a_.org(), ct.id));
      if (!tx_.update_contact(ct, ct.version)) return stale("a contact");
      ct.version++;
      contacts_updated_++;
      audit(tx_, a_, now_, "import", "contact", ct.id, old, contact_json(ct));
    }
  }
  if (!added.empty()) {
    tx_.import_contacts(bulk_, added);
    for (auto& ct : added) {
      contacts_created_++;
      created_contact_ids_.add(ct.id);
      audit(tx_, a_, now_, "import", "contact", ct.id, nullptr, contact_json(ct));
    }
    if (bulk_.fts) bulk_.fts_refresh.push_back(g.c.id);
  }
  return ok_status();
}

// Writes a batch of new companies with their contacts and search rows.
void Importer::flush_new(std::vector<Group>& batch) {
  if (batch.empty()) return;
  std::vector<Company> cs;
  cs.reserve(batch.size());
  for (auto& g : batch) {
    g.c.org_id = a_.org();
    g.c.created_at = g.c.updated_at = now_;
    cs.push_back(std::move(g.c));
  }
  tx_.import_companies(bulk_, cs);
  std::vector<Contact> cts;
  std::vector<std::pair<Id, std::string>> names;
  for (size_t k = 0; k < batch.size(); k++) {
    std::string joined;
    for (auto& ct : batch[k].contacts) {
      ct.org_id = a_.org();
      ct.company_id = cs[k].id;
      ct.created_at = now_;
      if (!joined.empty()) joined.push_back(' ');
      joined += ct.name;
      cts.push_back(std::move(ct));
    }
    if (!joined.empty()) names.emplace_back(cs[k].id, std::move(joined));
    companies_created_++;
    created_ids_.add(cs[k].id);
  }
  tx_.import_contacts(bulk_, cts);
  tx_.stage_contact_names(bulk_, names);
  for (auto& ct : cts) {
    contacts_created_++;
    created_contact_ids_.add(ct.id);
  }
  batch.clear();
}

Status Importer::run() {
  tz_ = org_tz(tx_, a_.org());
  for (auto& u : tx_.list_users(a_.org())) {
    if (!user_in_scope(tx_, a_, u)) continue;  // names of people the caller may not see stay unknown
    by_display_[u.display_name].push_back(u);
    by_username_.emplace(u.username, u);
  }
  if (!o_.owner.empty()) {
    auto r = resolve_owner(o_.owner);
    if (!r.err.empty()) return field_error("owner", r.err);
    default_owner_ = r.id;
  } else {
    default_owner_ = a_.user.id;
  }
  industries_ = org_industries(tx_, a_.org());
  TRY(load_existing());

  // Group the data rows by company: rows with equal keys (hash, then the key itself).
  const size_t first = cols_.header_row + 1, n = t_.rows();
  const uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> group_of(n, kNone);
  std::vector<uint64_t> hash_of(n, 0);  // of each row's company key
  std::vector<uint32_t> last_row;  // per group: the table row of its last row
  {
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    keyed.reserve(n - std::min(n, first));
    for (size_t r = first; r < n; r++) {
      std::string_view name = cell(r, kName);
      if (name.empty()) continue;
      hash_of[r] = std::hash<std::string>{}(io::company_key(name));
      keyed.emplace_back(hash_of[r], uint32_t(r));
    }
    std::sort(keyed.begin(), keyed.end());
    // Within one hash, rows with the same key form a group (keys compared only on a hash tie).
    for (size_t i = 0; i < keyed.size();) {
      size_t j = i;
      while (j < keyed.size() && keyed[j].first == keyed[i].first) j++;
      if (j - i == 1) {
        group_of[keyed[i].second] = uint32_t(last_row.size());
        last_row.push_back(keyed[i].second);
      } else {
        std::vector<std::pair<std::string, uint32_t>> ks;
        for (size_t k = i; k < j; k++) ks.emplace_back(io::company_key(cell(keyed[k].second, kName)), keyed[k].second);
        std::stable_sort(ks.begin(), ks.end(), [](auto& x, auto& y) { return x.first < y.first; });
        for (size_t k = 0; k < ks.size();) {
          size_t m = k;
          uint32_t g = uint32_t(last_row.size());
          uint32_t last = 0;
          while (m < ks.size() && ks[m].first == ks[k].first) {
            group_of[ks[m].second] = g;
            last = std::max(last, ks[m].second);
            m++;
          }
          last_row.push_back(last);
          k = m;
        }
      }
      i = j;
    }
  }

  if (write_) bulk_ = tx_.begin_bulk_import(a_.org());
  std::unordered_map<uint32_t, Group> live;
  std::vector<bool> decided(last_row.size(), false);  // the group's first row has been seen
  std::vector<bool> dead(last_row.size(), false);     // the company cannot be imported (e.g. not yours)
  std::unordered_map<uint32_t, std::string> dead_why;
  std::vector<bool> accepted(n, false);  // rows created, updated or left unchanged
  std::vector<uint32_t> new_groups;      // groups that create a company
  int64_t data_rows = int64_t(n > first ? n - first : 0);
  int64_t done = 0;
  std::vector<std::string> errs, changes;
  RowVals v;
  for (size_t r = first; r < n; r++) {
    if (++done % 8192 == 0) progress(done, data_rows);
    uint32_t row = t_.source_row(r);
    if (t_.blank(r)) {
      n_blank_++;
      continue;
    }
    errs.clear();
    changes.clear();
    v = RowVals{};
    parse_row(r, v, errs);
    uint32_t gi = group_of[r];
    bool last = gi != kNone && last_row[gi] == r;
    Outcome out = Outcome::Rejected;
    if (gi != kNone && dead[gi]) {
      errs.insert(errs.begin(), dead_why[gi]);
    } else if (gi != kNone && errs.empty()) {
      auto it = live.find(gi);
      bool first_row = false;
      std::vector<Id> cands;
      if (it == live.end() && !decided[gi]) cands = existing_ids(hash_of[r]);
      if (it == live.end() && !decided[gi] && cands.empty() && last) {
        // The common case, a new company on one row: nothing to keep (the
        // write pass rebuilds it from the row).
        decided[gi] = true;
        out = Outcome::Created;
        new_groups.push_back(gi);
      } else if (it == live.end() && !decided[gi]) {
        decided[gi] = true;
        Group g;
        std::string key = io::company_key(v.s[kName]);
        std::vector<Company> visible;
        size_t invisible = 0;
        for (Id id : cands) {
          auto c = tx_.get_company(a_.org(), id);
          if (!c || io::company_key(c->name) != key) continue;  // a hash collision
          if (tx_.company_visible(*c, a_.scope, a_.org())) visible.push_back(*c);
          else invisible++;
        }
        if (visible.size() > 1) {
          std::string ids;
          for (auto& c : visible) ids += (ids.empty() ? "" : ", ") + std::to_string(c.id);
          dead[gi] = true;
          dead_why[gi] = a_.zh ? "名称对应 " + std::to_string(visible.size()) + " 家公司（编号 " + ids +
                                     "）；请先合并，或手工录入这一行"
                               : "the name matches " + std::to_string(visible.size()) + " companies (ids " + ids +
                                     "); merge them or import the row by hand";
        } else if (visible.empty() && invisible > 0) {
          // 撞单: the same reason as a create (duplicates.cpp), naming the owner only.
          dead[gi] = true;
          auto d = find_duplicate(tx_, a_, std::string(v.s[kName]), std::nullopt);
          dead_why[gi] = d ? duplicate_reason(a_, *d)
                           : (a_.zh ? "撞单：同名公司已存在" : "duplicate (撞单): a company of this name already exists");
          if (d && duplicates.size() < 100) duplicates.emplace_back(*d, std::string(v.s[kName]));
        } else if (visible.size() == 1) {
          g.existing = true;
          g.c = std::move(visible.front());
          g.was_pool = !g.c.owner_id;
          g.original = g.c;
        } else {
          first_row = true;
        }
        if (dead[gi]) {
          errs.push_back(dead_why[gi]);
        } else {
          it = live.emplace(gi, std::move(g)).first;
        }
      }
      if (errs.empty() && out != Outcome::Created) {
        Group& g = it->second;
        auto res = apply(g, v, first_row, errs, changes);
        if (!res.ok()) return res.take_error();
        out = *res;
      }
    }
    switch (out) {
      case Outcome::Created:
        n_created_++;
        created_rows_.add(row);
        break;
      case Outcome::Updated:
        n_updated_++;
        updated_rows_.add(row);
        if (updates_.size() < kListCap) {
          const Group& g = live.at(gi);
          json u = {{"row", row}, {"name", g.c.name}, {"changes", changes}};
          u["company_id"] = g.existing ? json(g.c.id) : json(nullptr);
          updates_.push_back(u);
        }
        break;
      case Outcome::Unchanged:
        n_unchanged_++;
        unchanged_rows_.add(row);
        break;
      default:
        reject(row, errs);
    }
    if (out == Outcome::Created || out == Outcome::Updated || out == Outcome::Unchanged) accepted[r] = true;
    if (last) {
      auto it = live.find(gi);
      if (it != live.end()) {
        // Existing companies are written now; new ones after the loop, in name order.
        if (!it->second.existing) new_groups.push_back(gi);
        else if (!(write_ && !o_.per_row && n_rejected_ > 0)) TRY(finish_group(it->second));
        live.erase(it);
      }
    }
  }
  progress(data_rows, data_rows);
  if (write_ && (o_.per_row || n_rejected_ == 0) && !new_groups.empty()) {
    // New companies in name order: every index of companies then grows at its
    // end instead of at random places, several times faster for big files.
    // Each is rebuilt from its accepted rows (kept in the table, not in memory).
    std::vector<uint32_t> start(last_row.size() + 1, 0), rows_of;
    for (size_t r = first; r < n; r++)
      if (accepted[r]) start[group_of[r] + 1]++;
    for (size_t g = 0; g < last_row.size(); g++) start[g + 1] += start[g];
    rows_of.resize(start.back());
    {
      std::vector<uint32_t> fill(start.begin(), start.end() - 1);
      for (size_t r = first; r < n; r++)
        if (accepted[r]) rows_of[fill[group_of[r]]++] = uint32_t(r);
    }
    {
      std::vector<std::pair<std::string_view, uint32_t>> by_name;
      by_name.reserve(new_groups.size());
      for (uint32_t gi : new_groups) by_name.emplace_back(cell(rows_of[start[gi]], kName), gi);
      std::sort(by_name.begin(), by_name.end());
      for (size_t i = 0; i < by_name.size(); i++) new_groups[i] = by_name[i].second;
    }
    tx_.bulk_expect(bulk_, int64_t(new_groups.size()), cols_.col[kCName] >= 0 ? int64_t(rows_of.size()) : 0);
    // A second thread rebuilds the companies from their rows while this one
    // writes the previous batch (the rows and the owner cache are only read).
    int64_t k = 0, total = int64_t(new_groups.size());
    constexpr size_t kBatch = 256;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::vector<Group>> ready;
    bool produced = false;
    std::atomic<bool> stop{false};
    std::optional<Error> build_error;
    std::thread builder([&] {
      std::vector<std::string> e2, c2;
      RowVals v2;
      std::vector<Group> batch;
      batch.reserve(kBatch);
      auto push = [&] {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return ready.size() < 4 || stop; });
        ready.push_back(std::move(batch));
        batch = {};
        batch.reserve(kBatch);
        cv.notify_all();
      };
      for (uint32_t gi : new_groups) {
        if (stop) break;
        batch.emplace_back();
        Group& g = batch.back();
        for (uint32_t i = start[gi]; i < start[gi + 1]; i++) {
          e2.clear();
          c2.clear();
          v2 = RowVals{};
          parse_row(rows_of[i], v2, e2);
          auto res = apply(g, v2, i == start[gi], e2, c2);
          if (!res.ok()) {
            std::lock_guard lk(mu);
            build_error = res.take_error();
            stop = true;
            break;
          }
        }
        if (batch.size() == kBatch) push();
      }
      if (!batch.empty() && !stop) push();
      std::lock_guard lk(mu);
      produced = true;
      cv.notify_all();
    });
    struct Join {  // the builder ends before this frame, even when a write throws
      std::thread& t;
      std::mutex& m;
      std::condition_variable& cv;
      std::atomic<bool>& stop;
      ~Join() {
        {
          std::lock_guard lk(m);
          stop = true;
        }
        cv.notify_all();
        if (t.joinable()) t.join();
      }
    } join{builder, mu, cv, stop};
    for (;;) {
      std::vector<Group> batch;
      {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return !ready.empty() || produced; });
        if (ready.empty()) break;
        batch = std::move(ready.front());
        ready.pop_front();
        cv.notify_all();
      }
      k += int64_t(batch.size());
      flush_new(batch);
      if (o_.progress) o_.progress("write", k, total);
    }
    if (build_error) return *build_error;
    if (o_.progress) o_.progress("write", total, total);
  }
  if (write_) {
    if (o_.progress) o_.progress("index", 0, 0);  // indexes and search rows of the new companies
    tx_.end_bulk_import(bulk_);
    if (o_.progress) o_.progress("commit", 0, 0);
  }
  int64_t rows = n_created_ + n_updated_ + n_unchanged_ + n_rejected_;
  bool applied = write_ && (o_.per_row || n_rejected_ == 0);
  report = {{"dry_run", !write_},
            {"mode", o_.per_row ? "per_row" : "all_or_nothing"},
            {"applied", applied},
            {"rows", rows},
            {"blank_rows", n_blank_},
            {"created", n_created_},
            {"updated", n_updated_},
            {"unchanged", n_unchanged_},
            {"rejected", n_rejected_},
            {"imported", applied ? n_created_ + n_updated_ + n_unchanged_ : 0},
            {"companies_created", applied ? companies_created_ : 0},
            {"companies_updated", applied ? companies_updated_ : 0},
            {"contacts_created", applied ? contacts_created_ : 0},
            {"contacts_updated", applied ? contacts_updated_ : 0},
            {"rejects", rejects_},
            {"rejects_truncated", n_rejected_ > int64_t(rejects_.size())},
            {"updates", updates_},
            {"updates_truncated", n_updated_ > int64_t(updates_.size())},
            {"row_ranges",
             {{"created", created_rows_.to_json()},
              {"updated", updated_rows_.to_json()},
              {"unchanged", unchanged_rows_.to_json()},
              {"rejected", rejected_rows_.to_json()}}}};
  if (applied) {
    json summary = {{"file", o_.filename},          {"mode", report["mode"]},         {"rows", rows},
                    {"created", n_created_},        {"updated", n_updated_},          {"unchanged", n_unchanged_},
                    {"rejected", n_rejected_},      {"companies_created", companies_created_},
                    {"companies_updated", companies_updated_}, {"contacts_created", contacts_created_},
                    {"contacts_updated", contacts_updated_},
                    {"created_company_ids", created_ids_.to_json(1000)},
                    {"created_contact_ids", created_contact_ids_.to_json(1000)},
                    {"id_ranges_truncated", created_ids_.size() > 1000 || created_contact_ids_.size() > 1000}};
    audit(tx_, a_, now_, "import_file", "company", std::nullopt, nullptr, summary);
  }
  return ok_status();
}

io::ReadLimits read_limits(bool large) {
  io::ReadLimits L;
  if (large) {  // a local file the operator chose
    L.xlsx.max_total_uncompressed = L.xlsx.max_entry_uncompressed = 3ull << 30;
    L.xlsx.max_shared_strings = 20000000;
    L.xlsx.max_shared_bytes = 1u << 30;
    L.xlsx.max_cells = 200000000;
    L.xlsx.max_text_bytes = 3u << 30;
  } else {  // an upload: what a request may cost the server is bounded
    L.csv.max_bytes = 256u << 20;
    L.csv.max_rows = 1100000;
    L.xlsx.max_cells = 4000000;
    L.xlsx.max_text_bytes = 128u << 20;
  }
  return L;
}

}  // namespace

Result<App::ImportOptions> App::import_options(const Query& q) {
  TRY(q_only(q, {"dry_run", "mode", "mapping", "owner", "filename", "progress_id"}));
  ImportOptions o;
  if (auto it = q.find("progress_id"); it != q.end()) {
    if (!imp::valid_progress_id(it->second))
      return field_error("progress_id", "must be 8 to 64 letters, digits, '-' or '_'");
    o.progress_id = it->second;
  }
  if (auto it = q.find("dry_run"); it != q.end()) {
    if (it->second == "true" || it->second == "1") o.dry_run = true;
    else if (it->second == "false" || it->second == "0" || it->second.empty()) o.dry_run = false;
    else return field_error("dry_run", "must be true or false");
  }
  if (auto it = q.find("mode"); it != q.end() && !it->second.empty()) {
    if (it->second == "per_row") o.per_row = true;
    else if (it->second != "all_or_nothing") return field_error("mode", "must be all_or_nothing or per_row");
  }
  if (auto it = q.find("mapping"); it != q.end()) {
    TRY_ASSIGN(o.mapping, parse_mapping(it->second));
  }
  if (auto it = q.find("owner"); it != q.end()) o.owner = std::string(io::trim(it->second));
  if (auto it = q.find("filename"); it != q.end()) {
    if (it->second.size() > 255) return field_error("filename", "is too long");
    o.filename = it->second;
  }
  return o;
}

namespace {

// ---------------------------------------------------------------- big uploads in batches

// An upload of more than kBatchRows data rows is written in batches (issue 17
// point 14): one write transaction per batch of about kBatchRows rows, so the
// single SQLite writer is free between batches and other users' writes get in.
// A batch holds whole companies (rows are dealt to batches by their company
// key), so each company's rows are still applied together and in file order.
// All-or-nothing is kept by checking the whole file first (a dry run in a read
// transaction): a file with any rejected row writes nothing. What a batched
// all-or-nothing import cannot promise is atomicity across batches: if the
// server stops mid-way, or a batch is refused because the data changed between
// the check and that batch, the batches already written stay (the report says
// "partial": true with the rows written; importing the same file again
// completes it without duplicates, companies being matched by name). The CLI
// (`tiejun import`, a trusted local file) and PostgreSQL (no single writer) keep
// one transaction.
constexpr size_t kBatchRows = 10000;
// Per user, for uploads (issue 17 point 14): one big (batched) import at a time,
// and at most kRowsPerHour rows imported per rolling hour.
constexpr int64_t kRowsPerHour = 3000000;

// Parses "12" or "3-9" as written by Ranges::to_json.
std::pair<int64_t, int64_t> parse_range(const std::string& s) {
  auto d = s.find('-');
  if (d == std::string::npos) return {std::stoll(s), std::stoll(s)};
  return {std::stoll(s.substr(0, d)), std::stoll(s.substr(d + 1))};
}

json merge_ranges(const std::vector<json>& parts, size_t cap = 1000) {
  std::vector<std::pair<int64_t, int64_t>> v;
  for (auto& p : parts)
    for (auto& x : p) v.push_back(parse_range(x.get<std::string>()));
  std::sort(v.begin(), v.end());
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (auto& x : v) {
    if (!merged.empty() && merged.back().second + 1 >= x.first) merged.back().second = std::max(merged.back().second, x.second);
    else merged.push_back(x);
  }
  json a = json::array();
  for (size_t i = 0; i < merged.size() && i < cap; i++)
    a.push_back(merged[i].first == merged[i].second ? std::to_string(merged[i].first)
                                                    : std::to_string(merged[i].first) + "-" + std::to_string(merged[i].second));
  return a;
}

// One report for the batches written (see Importer::run for the fields).
json merge_reports(const std::vector<json>& parts, size_t batches, bool per_row) {
  json r = parts.front();
  for (const char* k : {"rows", "blank_rows", "created", "updated", "unchanged", "rejected", "imported",
                        "companies_created", "companies_updated", "contacts_created", "contacts_updated"}) {
    int64_t sum = 0;
    for (auto& p : parts) sum += p.value(k, int64_t(0));
    r[k] = sum;
  }
  for (const char* k : {"rejects", "updates"}) {
    json all = json::array();
    for (auto& p : parts)
      for (auto& x : p[k]) all.push_back(x);
    if (std::string(k) == "rejects")
      std::stable_sort(all.begin(), all.end(), [](const json& a, const json& b) { return a["row"] < b["row"]; });
    if (all.size() > kListCap) all.erase(all.begin() + kListCap, all.end());
    r[k] = all;
  }
  r["rejects_truncated"] = r["rejected"].get<int64_t>() > int64_t(r["rejects"].size());
  r["updates_truncated"] = r["updated"].get<int64_t>() > int64_t(r["updates"].size());
  for (const char* k : {"created", "updated", "unchanged", "rejected"}) {
    std::vector<json> rs;
    for (auto& p : parts) rs.push_back(p["row_ranges"][k]);
    r["row_ranges"][k] = merge_ranges(rs);
  }
  bool all_applied = parts.size() == batches;
  for (auto& p : parts) all_applied = all_applied && p.value("applied", false);
  r["applied"] = all_applied || (per_row && parts.size() == batches);
  r["batches"] = batches;
  r["batches_written"] = int64_t(std::count_if(parts.begin(), parts.end(), [](const json& p) { return p.value("applied", false); }));
  r["partial"] = !r["applied"].get<bool>() && r["batches_written"].get<int64_t>() > 0;
  return r;
}

// The header rows of t and the data rows of batch b (rows dealt by company key).
io::Table batch_table(const io::Table& t, const Columns& cols, const std::vector<uint32_t>& batch_of, uint32_t b) {
  io::Table out;
  auto copy = [&](size_t r) {
    out.begin_row(t.source_row(r));
    for (size_t c = 0; c < t.cols(r); c++) out.add_cell(t.text(r, c), t.kind(r, c));
  };
  for (size_t r = 0; r <= cols.header_row && r < t.rows(); r++) copy(r);
  for (size_t r = cols.header_row + 1; r < t.rows(); r++)
    if (batch_of[r] == b) copy(r);
  return out;
}

}  // namespace

// Per-user import limits for uploads, in this process (see kRowsPerHour).
struct ImportQuota {
  std::mutex mu;
  std::unordered_map<Id, std::deque<std::pair<int64_t, int64_t>>> rows;  // user -> (time, rows), oldest first
  std::unordered_map<Id, int> big;                                       // user -> big imports under way
};
std::shared_ptr<ImportQuota> App::new_import_quota() { return std::make_shared<ImportQuota>(); }

Result<json> App::import_companies(const Actor& a, std::string_view file, const ImportOptions& o) {
  if (!o.progress_id.empty()) {  // followed by GET /imports/progress: the same import, reporting to the board
    auto entry = imports_->start(imp::board_key(a, o.progress_id));
    ImportOptions followed = o;
    followed.progress_id.clear();
    followed.progress = [entry, prev = o.progress](const char* phase, int64_t done, int64_t total) {
      entry->set(phase, done, total);
      if (prev) prev(phase, done, total);
    };
    auto r = import_companies(a, file, followed);
    entry->finish(r.ok() ? "done" : "failed");
    return r;
  }
  if (o.progress) o.progress("read", 0, 0);
  io::ReadInfo info;
  auto tr = io::read_table(file, read_limits(o.large), &info);
  if (!tr.ok()) return tr.take_error();
  const io::Table& t = tr.value();
  TRY_ASSIGN(Columns cols, map_columns(t, o.mapping));
  bool csv = info.format == "csv";
  auto now = clock_.now();
  json report;
  auto finish = [&](json r) {
    r["file"] = {{"name", o.filename},
                 {"format", info.format},
                 {"encoding", info.encoding},
                 {"delimiter", csv ? json(std::string(1, info.delimiter)) : json(nullptr)},
                 {"sheet", csv ? json(nullptr) : json(info.sheet)},
                 {"header_row", t.source_row(cols.header_row)}};
    r["columns"] = cols.report;
    r["warnings"] = cols.warnings;
    return r;
  };
  if (o.dry_run) {
    TRY(store_.read([&](Tx& tx) -> Status {
      Importer im(tx, a, t, cols, csv, o, now, false);
      TRY(im.run());
      report = std::move(im.report);
      return ok_status();
    }));
    return finish(std::move(report));
  }
  // All-or-nothing with rejected rows rolls back by returning this marker.
  const std::string kRolledBack = "import_rolled_back";
  const size_t data_rows = t.rows() > cols.header_row + 1 ? t.rows() - cols.header_row - 1 : 0;
  // The per-user limits of uploads (dry runs are not counted: they write nothing).
  struct BigSlot {
    ImportQuota* q = nullptr;
    Id user = 0;
    ~BigSlot() {
      if (!q) return;
      std::lock_guard lk(q->mu);
      if (--q->big[user] <= 0) q->big.erase(user);
    }
  } big_slot;
  if (!o.large) {
    ImportQuota& q = *import_quota_;
    std::lock_guard lk(q.mu);
    auto& mine = q.rows[a.user.id];
    while (!mine.empty() && mine.front().first <= now - 3600) mine.pop_front();
    int64_t used = 0;
    for (auto& [t0, n] : mine) used += n;
    if (used + int64_t(data_rows) > kRowsPerHour)
      return Error{Err::TooMany, "import_rate_limited",
                   "at most " + std::to_string(kRowsPerHour) + " rows may be imported per user per hour (" +
                       std::to_string(used) + " in the last hour); try again later"};
    if (data_rows > kBatchRows && q.big[a.user.id] >= 1)
      return Error{Err::TooMany, "import_in_progress",
                   "one import of more than " + std::to_string(kBatchRows) + " rows at a time per user; wait for it to end"};
    mine.emplace_back(now, int64_t(data_rows));
    if (data_rows > kBatchRows) {
      ++q.big[a.user.id];
      big_slot.q = &q;
      big_slot.user = a.user.id;
    }
  }
  // Batches on SQLite only: it has one writer, which a big import would hold; PostgreSQL's
  // writers do not wait for each other, so there the import stays one transaction.
  std::vector<std::pair<DuplicateHit, std::string>> duplicates;  // 撞单 rows: their owners are told after the write
  const bool batched = !o.large && data_rows > kBatchRows && store_.describe().rfind("sqlite:", 0) == 0;
  if (batched) {
    // Checked first, whole: an all-or-nothing file with a rejected row writes nothing.
    if (!o.per_row) {
      bool rejected = false;
      TRY(store_.read([&](Tx& tx) -> Status {
        Importer im(tx, a, t, cols, csv, o, now, false);
        TRY(im.run());
        report = std::move(im.report);
        rejected = im.any_rejected();
        if (rejected) duplicates = std::move(im.duplicates);
        return ok_status();
      }));
      if (rejected) {
        for (auto& [d, name] : duplicates) (void)report_duplicate_attempt(a, d, name, "import");  // the owners are told
        report["dry_run"] = false;
        report["applied"] = false;
        report["imported"] = 0;
        for (const char* k : {"companies_created", "companies_updated", "contacts_created", "contacts_updated"}) report[k] = 0;
        if (o.progress) o.progress("done", 0, 0);
        return finish(std::move(report));
      }
    }
    const uint32_t batches = uint32_t((data_rows + kBatchRows - 1) / kBatchRows);
    std::vector<uint32_t> batch_of(t.rows(), 0);
    for (size_t r = cols.header_row + 1; r < t.rows(); r++) {
      std::string_view name = cols.col[kName] < 0 ? std::string_view() : io::trim(t.text(r, size_t(cols.col[kName])));
      if (csv) name = io::trim(io::unneutralise(name));
      batch_of[r] = name.empty() ? uint32_t(r % batches)
                                 : uint32_t(std::hash<std::string>{}(io::company_key(name)) % batches);
    }
    std::vector<json> parts;
    for (uint32_t b = 0; b < batches; b++) {
      io::Table bt = batch_table(t, cols, batch_of, b);  // built outside the write: others get the writer
      json part;
      std::vector<std::pair<DuplicateHit, std::string>> batch_dups;
      Status bs = ok_status();
      // A batch that meets a busy database (PostgreSQL: a serialization failure against other
      // writers after PgStore's own retries) is tried again a few times before the import stops.
      for (int attempt = 0;; attempt++) {
        bs = store_.write([&](Tx& tx) -> Status {
          Importer im(tx, a, bt, cols, csv, o, now, true);
          TRY(im.run());
          part = std::move(im.report);
          batch_dups = std::move(im.duplicates);
          if (!o.per_row && im.any_rejected()) return Error{Err::Conflict, kRolledBack, ""};
          return ok_status();
        });
        if (bs.ok() || bs.error().code != "busy" || attempt >= 4) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
      }
      if (!bs.ok() && bs.error().code != kRolledBack) {
        if (parts.empty()) return bs.take_error();
        break;  // the batches written stay; the report says partial
      }
      for (auto& d : batch_dups) duplicates.push_back(std::move(d));
      part["applied"] = bs.ok() && part.value("applied", false);
      parts.push_back(std::move(part));
      if (!bs.ok()) break;
      std::this_thread::yield();
    }
    if (o.progress) o.progress("done", 0, 0);
    for (auto& [d, name] : duplicates) (void)report_duplicate_attempt(a, d, name, "import");  // the owners are told
    return finish(merge_reports(parts, batches, o.per_row));
  }
  Status st = store_.write([&](Tx& tx) -> Status {
    Importer im(tx, a, t, cols, csv, o, now, true);
    TRY(im.run());
    report = std::move(im.report);
    duplicates = std::move(im.duplicates);
    if (!o.per_row && im.any_rejected()) return Error{Err::Conflict, kRolledBack, ""};
    return ok_status();
  });
  if (o.progress) o.progress("done", 0, 0);
  if (!st.ok() && st.error().code != kRolledBack) return st.take_error();
  for (auto& [d, name] : duplicates) (void)report_duplicate_attempt(a, d, name, "import");  // the owners are told
  return finish(std::move(report));
}

Result<Actor> App::cli_actor(const std::string& username) {
  Actor a;
  TRY(store_.read([&](Tx& tx) -> Status {
    std::optional<User> u;
    if (!username.empty()) {
      u = tx.find_user_by_username(username);
      if (!u) return bad_request("no_such_user", "no user " + username);
    } else {
      auto orgs = tx.list_orgs();
      if (orgs.empty()) return bad_request("no_org", "the database has no organisation yet: run tiejun init first");
      if (orgs.size() > 1)
        return bad_request("several_orgs", "the database holds several organisations: name the user to act as with --as USERNAME");
      for (auto& x : tx.list_users(orgs.front().id))
        if (x.role == Role::Admin && x.active) {
          u = x;
          break;
        }
      if (!u) return bad_request("no_admin", "the organisation has no active admin: name a user with --as USERNAME");
    }
    if (!u->active) return bad_request("inactive_user", username + " is deactivated");
    a.user = *u;
    a.scope = scope_for(tx, a.user);
    return ok_status();
  }));
  return a;
}

}  // namespace tj
