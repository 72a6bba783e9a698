// Import, part two: the importer, one run over a file's rows in a read (dry run) or
// write transaction (importer.cpp); App::import_companies (import.cpp) runs it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/import_columns.h"
#include "app/internal.h"
#include "app/pool.h"
#include "io/sheet.h"
#include "io/text.h"
#include "method/vocab.h"

namespace tj::imp {
using detail::DuplicateHit;

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

inline std::string contact_key(std::string_view name) { return io::fold_width(name, true, true); }

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
  // The phases of run(), in order.
  Status prepare();
  void group_rows();
  Status check_rows();
  Status write_new();
  void make_report();
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
  // The plan the phases share: the data rows [first_, n_) of the table, each row's
  // group (kNone: no name) and key hash, each group's last row, the rows accepted
  // and the groups that create a company.
  static constexpr uint32_t kNone = UINT32_MAX;
  size_t first_ = 0, n_ = 0;
  int64_t data_rows_ = 0;
  std::vector<uint32_t> group_of_;
  std::vector<uint64_t> hash_of_;
  std::vector<uint32_t> last_row_;
  std::vector<bool> accepted_;
  std::vector<uint32_t> new_groups_;
};

}  // namespace tj::imp
