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
#include "app/importer.h"
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
// A load of a trusted local file (the CLI) of at least this many rows is a bulk load
// (Store::write_bulk: on SQLite, through a rollback journal when nothing else has the database
// open, so its new pages are written once). Tx::bulk_expect rebuilds indexes from this size on.
constexpr size_t kBulkLoadRows = 20000;
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
    rs.reserve(parts.size());
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
  auto write = [&](const std::function<Status(Tx&)>& fn) {
    return o.large && data_rows >= kBulkLoadRows ? store_.write_bulk(fn) : store_.write(fn);
  };
  Status st = write([&](Tx& tx) -> Status {
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
