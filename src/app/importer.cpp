// Import, part two: the importer (importer.h). The rules are in import.cpp's header.
#include "app/importer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "app/pool.h"
#include "app/vocab.h"
#include "common/utf8.h"
#include "io/text.h"
#include "app/messages.h"

namespace tj::imp {
using namespace detail;

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
      r.err = tr("import.rep_owner_only", a_.zh, {{"cell", quote_cell(s)}});
    owner_cache_.emplace(s, r);
    return r;
  }
  if (auto iu = by_username_.find(s); iu != by_username_.end()) {
    u = &iu->second;
  } else if (auto id = by_display_.find(s); id != by_display_.end()) {
    if (id->second.size() > 1)
      r.err = tr("import.owner_ambiguous", a_.zh, {{"cell", quote_cell(s)}, {"n", std::to_string(id->second.size())}});
    else
      u = &id->second.front();
  } else {
    r.err = tr("import.owner_unknown", a_.zh, {{"cell", quote_cell(s)}});
  }
  if (u) {
    if (!u->active) r.err = tr("import.owner_inactive", a_.zh, {{"cell", quote_cell(s)}});
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
  auto cell_error = [&](const char* key, int f, const std::string& quoted = {}) {
    return tr(key, a_.zh, {{"label", label(f)}, {"cell", quoted}});
  };
  auto reason = [&](int f, const std::string& r) {
    return tr("import.reason", a_.zh, {{"label", label(f)}, {"reason", r}});
  };
  if (!v.has(kName)) errs.push_back(cell_error("import.name_empty", kName));
  // Cell text is UTF-8 without NUL by now (io::read_table decodes and checks it).
  for (int f = 0; f < kFields; f++)
    if (v.s[f].size() > kDefs[f].max_chars && utf8::length(v.s[f]) > kDefs[f].max_chars)
      errs.push_back(tr("import.too_long", a_.zh, {{"label", label(f)}, {"max", std::to_string(kDefs[f].max_chars)}}));
  if (v.has(kRank)) {
    v.rank = io::parse_integer(v.s[kRank]);
    if (!v.rank || *v.rank < 1 || *v.rank > 1000000) {
      errs.push_back(cell_error("import.bad_rank", kRank, quote_cell(v.s[kRank])));
      v.rank.reset();
    }
  }
  if (v.has(kBudget)) {
    std::string why;
    v.budget = io::parse_money(v.s[kBudget], cols_.budget_unit, why, int64_t(1e15));
    if (!v.budget) {
      if (a_.zh)  // io::parse_money explains in English; the same three reasons in Chinese
        why = why.rfind("is not an amount", 0) == 0 ? tr("import.money.not_amount", true)
              : why == "is out of range"            ? tr("import.money.out_of_range", true)
              : why == "must not be negative"       ? tr("import.money.negative", true)
                                                    : why;
      errs.push_back(reason(kBudget, quote_cell(v.s[kBudget]) + " " + why));
    }
  }
  if (v.has(kContractEnd)) {
    v.contract_end = parse_sheet_date(v.s[kContractEnd]);
    if (!v.contract_end) errs.push_back(cell_error("import.bad_date", kContractEnd, quote_cell(v.s[kContractEnd])));
  }
  if (v.has(kCPayer)) {
    v.payer = io::parse_bool(v.s[kCPayer]);
    if (!v.payer) errs.push_back(cell_error("import.bad_bool", kCPayer, quote_cell(v.s[kCPayer])));
  }
  if (v.has(kOwner)) {
    auto o = resolve_owner(v.s[kOwner]);
    if (!o.err.empty()) errs.push_back(reason(kOwner, o.err));
    else v.owner = o.id;
  }
  if (v.has(kIndustry)) {  // a name of the organisation's list, or an alias of one (mapped)
    auto m = method::map_industry(industries_, v.s[kIndustry]);
    const std::string* name = nullptr;
    if (m)
      for (auto& i : industries_)
        if (i.name == *m) name = &i.name;
    if (name) v.s[kIndustry] = *name;
    else errs.push_back(reason(kIndustry, unknown_industry_message(industries_, v.s[kIndustry], a_.zh)));
  }
  if (v.has(kCStyle)) {  // one of the four styles; common older names (老虎型, decisive, ...) map to them
    auto st = method::legacy_style(v.s[kCStyle]);
    const std::string* key = nullptr;
    if (st)
      for (auto& k : method::style_keys())
        if (k == *st) key = &k;
    if (key) v.s[kCStyle] = *key;
    else errs.push_back(cell_error("import.bad_style", kCStyle, quote_cell(v.s[kCStyle])));
  }
  if (!v.has(kCName) && (v.has(kCTitle) || v.has(kCPayer) || v.has(kCStyle) || v.has(kCPhone)) && cols_.col[kCName] >= 0)
    errs.push_back(cell_error("import.contact_name_empty", kCName));
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
      errs.push_back(tr("import.rep_cannot_reassign", a_.zh));
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
    errs.push_back(tr(a_.user.role != Role::Rep ? "import.in_pool_or_owner" : "import.in_pool", a_.zh));
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

// The phases of one run: prepare (users, owner, industries, the stored companies),
// group the rows by company, check every row in file order (existing companies are
// written as their last row passes), write the new companies, report.
Status Importer::run() {
  TRY(prepare());
  group_rows();
  if (write_) bulk_ = tx_.begin_bulk_import(a_.org());
  TRY(check_rows());
  progress(data_rows_, data_rows_);
  TRY(write_new());
  if (write_) {
    if (o_.progress) o_.progress("index", 0, 0);  // indexes and search rows of the new companies
    tx_.end_bulk_import(bulk_);
    if (o_.progress) o_.progress("commit", 0, 0);
  }
  make_report();
  return ok_status();
}

// Phase 1: whom owner cells may name, the default owner, the industry list and the
// stored companies (by key hash).
Status Importer::prepare() {
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
  first_ = cols_.header_row + 1;
  n_ = t_.rows();
  data_rows_ = int64_t(n_ > first_ ? n_ - first_ : 0);
  return ok_status();
}

// Phase 2: group the data rows by company: rows with equal keys (hash, then the key itself).
void Importer::group_rows() {
  const size_t first = first_, n = n_;
  group_of_.assign(n, kNone);
  hash_of_.assign(n, 0);
  last_row_.clear();
  auto& group_of = group_of_;
  auto& hash_of = hash_of_;
  auto& last_row = last_row_;
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
}

// Phase 3: every row in file order: parse, decide (created, updated, unchanged or
// rejected) and apply to its company; an existing company is written after its last row.
Status Importer::check_rows() {
  const size_t first = first_, n = n_;
  const auto& group_of = group_of_;
  const auto& hash_of = hash_of_;
  const auto& last_row = last_row_;
  std::unordered_map<uint32_t, Group> live;
  std::vector<bool> decided(last_row.size(), false);  // the group's first row has been seen
  std::vector<bool> dead(last_row.size(), false);     // the company cannot be imported (e.g. not yours)
  std::unordered_map<uint32_t, std::string> dead_why;
  accepted_.assign(n, false);
  new_groups_.clear();
  auto& accepted = accepted_;
  auto& new_groups = new_groups_;
  int64_t data_rows = data_rows_;
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
          dead_why[gi] = tr("import.name_matches_several", a_.zh, {{"n", std::to_string(visible.size())}, {"ids", ids}});
        } else if (visible.empty() && invisible > 0) {
          // 撞单: the same reason as a create (duplicates.cpp), naming the owner only.
          dead[gi] = true;
          auto d = find_duplicate(tx_, a_, std::string(v.s[kName]), std::nullopt);
          dead_why[gi] = d ? duplicate_reason(a_, *d)
                           : tr("duplicate.exists", a_.zh);
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
  return ok_status();
}

// Phase 4: the new companies, in name order, rebuilt from their accepted rows by a
// second thread while this one writes the previous batch.
Status Importer::write_new() {
  if (!(write_ && (o_.per_row || n_rejected_ == 0) && !new_groups_.empty())) return ok_status();
  const size_t first = first_, n = n_;
  const auto& group_of = group_of_;
  const auto& last_row = last_row_;
  const auto& accepted = accepted_;
  auto& new_groups = new_groups_;
  {
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
  return ok_status();
}

// Phase 5: the report, and the "import_file" audit entry of an applied import.
void Importer::make_report() {
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
}

}  // namespace tj::imp
