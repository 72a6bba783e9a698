// Typed queries of import and export: paging company names for matching,
// bulk inserts with the full-text triggers suspended (SQLite), and the
// contacts, visits and deals of a page of companies for exports.
#include "store/rows.h"
#include "store/tx.h"
#include "domain/names.h"
#include "store/bulk_loader.h"

#include <algorithm>

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

// The triggers that keep company_fts in step (0001_core.sql) and that an
// import would otherwise fire once a row.
const char* kFtsTriggers[] = {"companies_fts_ins", "contacts_fts_ins", "companies_fts_upd"};
// The lead-intake counter's insert trigger (0007_more_counters.sql): two upserts into
// intake_stats a company, about 1.2 s of a 1M-row load. import_companies counts the new
// companies by the trigger's key instead and end_bulk_import adds them, a few rows in all
// (a grouped upsert reading the new rows back took 1.7 s of a 1M-row load).
constexpr const char* kIntakeTrigger = "companies_intake_ins";
// Indexes of companies that a big load keeps up to date row by row instead of dropping and
// rebuilding (each rebuild is one more scan and sort of the whole table): an imported company
// is either not in them (partial indexes of what an import never sets: signed, effective) or
// enters at their end (ids and creation times grow). At 100,000 rows keeping them took 5% fewer
// instructions (docs/performance.md, "Session 11").
constexpr std::string_view kKeptDuringLoad[] = {"companies_org_signed",    "companies_prospect_refs",
                                                "companies_org_effective", "companies_org_effective_by",
                                                "companies_owned",         "companies_org_created"};

}  // namespace

std::vector<std::pair<Id, std::string>> Tx::company_names_after(Id org, Id after, int limit) {
  std::vector<std::pair<Id, std::string>> out;
  for (auto& r : c_.query("SELECT id, name FROM companies WHERE org_id = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ?",
                          {org, after, int64_t(limit)}))
    out.emplace_back(r.i64(0), r.str(1));
  return out;
}

Tx::BulkLoad Tx::begin_bulk_import(Id org) {
  BulkLoad b;
  b.org = org;
  if (c_.dialect() != db::Dialect::Sqlite) return b;
  std::vector<std::string> ddl;
  for (auto name : kFtsTriggers) {
    auto r = c_.query_one("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", {std::string(name)});
    if (!r || r->is_null(0)) return b;  // not the schema this was written for: leave the triggers alone
    ddl.push_back(r->str(0));
  }
  for (auto name : kFtsTriggers) c_.exec_script(std::string("DROP TRIGGER ") + name);
  if (auto r = c_.query_one("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                            {std::string(kIntakeTrigger)});
      r && !r->is_null(0)) {
    ddl.push_back(r->str(0));
    c_.exec_script(std::string("DROP TRIGGER ") + kIntakeTrigger);
    b.intake = true;
  }
  // A bigger page cache for the load keeps the growing tables and indexes in
  // memory instead of spilling them to the WAL and reading them back.
  b.cache_size = c_.scalar("PRAGMA cache_size");
  c_.exec_script("PRAGMA cache_size = -524288");
  // Helper threads for the sorts of CREATE INDEX (end_bulk_import).
  b.threads = c_.scalar("PRAGMA threads");
  c_.exec_script("PRAGMA threads = 4");
  // FTS5 writes its pending terms out each time they exceed `hashsize` (1 MiB
  // by default); a bigger one for the load means fewer segments to merge.
  auto hs = c_.query_one("SELECT v FROM company_fts_config WHERE k = 'hashsize'");
  b.fts_hashsize = hs && !hs->is_null(0) ? hs->i64(0) : 1048576;
  c_.exec("INSERT INTO company_fts(company_fts, rank) VALUES ('hashsize', ?)", {int64_t(128) << 20});
  b.fts = true;
  b.restore = std::move(ddl);
  return b;
}

void Tx::bulk_expect(BulkLoad& b, int64_t companies, int64_t contacts) {
  if (c_.dialect() != db::Dialect::Sqlite) return;
  auto maybe_drop = [&](const char* table, int64_t incoming) {
    if (incoming < 20000) return;
    int64_t have = c_.scalar(std::string("SELECT COUNT(*) FROM ") + table);
    // Rebuilding sorts every row once; growing seeks once per new row per index.
    if (incoming * 3 < have) return;
    auto rows = c_.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                         {std::string(table)});
    for (auto& r : rows) {
      if (std::find(std::begin(kKeptDuringLoad), std::end(kKeptDuringLoad), r.str(0)) != std::end(kKeptDuringLoad))
        continue;
      b.restore.push_back(r.str(1));
      c_.exec_script("DROP INDEX \"" + r.str(0) + "\"");
    }
  };
  maybe_drop("companies", companies);
  maybe_drop("contacts", contacts);
}

void Tx::end_bulk_import(const BulkLoad& b) {
  if (c_.dialect() != db::Dialect::Sqlite) return;
  // Indexes first: the search rows below read contacts by company.
  // A small cache from here on: SQLite's sorter hands sorted runs of about cache_size to its
  // helper threads (PRAGMA threads, set above) and merges them, where with the load's 512 MiB
  // cache a whole index sorted on this thread. At 1M rows the two indexes whose keys come in
  // random order took 0.95 s each instead of 1.4 s (docs/performance.md, "Session 12"); the
  // load's dirty pages are written out as the cache shrinks, earlier instead of at the commit.
  if (!b.restore.empty()) c_.exec_script("PRAGMA cache_size = -32768");
  for (auto& sql : b.restore)
    if (sql.rfind("CREATE INDEX", 0) == 0 || sql.rfind("CREATE UNIQUE INDEX", 0) == 0) c_.exec_script(sql);
  if (b.fts && b.first_company && b.next_company > b.first_company) {
    if (!b.new_contacts)  // none to look up: a lookup a company cost about 1 s of a 1M-row load
      c_.exec(
          "INSERT INTO company_fts(rowid, name, contacts) SELECT id, name, '' FROM companies WHERE id >= ? AND id < ? "
          "ORDER BY id",
          {b.first_company, b.next_company});
    else if (b.staged)
      c_.exec("INSERT INTO company_fts(rowid, name, contacts) SELECT c.id, c.name, COALESCE(s.names, '') FROM companies c "
              "LEFT JOIN temp.tj_import_contact_names s ON s.id = c.id WHERE c.id >= ? AND c.id < ? ORDER BY c.id",
              {b.first_company, b.next_company});
    else
      c_.exec("INSERT INTO company_fts(rowid, name, contacts) SELECT c.id, c.name, COALESCE((SELECT group_concat(t.name, "
              "' ') FROM contacts t WHERE t.org_id = c.org_id AND t.company_id = c.id), '') FROM companies c "
              "WHERE c.id >= ? AND c.id < ? ORDER BY c.id",
              {b.first_company, b.next_company});
  }
  if (b.staged) c_.exec_script("DROP TABLE IF EXISTS temp.tj_import_contact_names");
  if (b.fts && !b.fts_refresh.empty()) {
    std::string ids = "[";
    for (size_t i = 0; i < b.fts_refresh.size(); i++) ids += (i ? "," : "") + std::to_string(b.fts_refresh[i]);
    ids += "]";
    c_.exec("UPDATE company_fts SET contacts = (SELECT group_concat(t.name, ' ') FROM contacts t WHERE t.org_id = ? AND "
            "t.company_id = company_fts.rowid) WHERE rowid IN (SELECT value FROM json_each(?))",
            {b.org, ids});
  }
  if (b.fts) c_.exec("INSERT INTO company_fts(company_fts, rank) VALUES ('hashsize', ?)", {b.fts_hashsize});
  if (b.intake && !b.intake_new.empty()) {
    // What companies_intake_ins would have added, row by row, for each new company: its owner's row
    // (-1: the pool) and the all-owners row 0.
    std::map<std::tuple<Id, Id, int64_t, std::string>, int64_t> rows = b.intake_new;
    for (auto& [k, n] : b.intake_new) rows[{std::get<0>(k), 0, std::get<2>(k), std::get<3>(k)}] += n;
    for (auto& [k, n] : rows)
      c_.exec(
          "INSERT INTO intake_stats(org_id, owner_id, hour, source, n) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT(org_id, owner_id, hour, source) DO UPDATE SET n = n + excluded.n",
          {std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), n});
  }
  for (auto& sql : b.restore)
    if (!(sql.rfind("CREATE INDEX", 0) == 0 || sql.rfind("CREATE UNIQUE INDEX", 0) == 0)) c_.exec_script(sql);
  if (b.cache_size) c_.exec_script("PRAGMA cache_size = " + std::to_string(b.cache_size));
  if (b.fts) c_.exec_script("PRAGMA threads = " + std::to_string(b.threads));
}

// PostgreSQL: n new ids of `table`'s identity column, in one round trip (ascending).
std::vector<Id> Tx::sequence_ids(const char* table, size_t n) {
  std::vector<Id> ids;
  ids.reserve(n);
  for (auto& r : c_.query(std::string("SELECT nextval(pg_get_serial_sequence('") + table +
                              "', 'id')) FROM generate_series(1, ?)",
                          {int64_t(n)}))
    ids.push_back(r.i64(0));
  std::sort(ids.begin(), ids.end());
  return ids;
}

namespace {

// Inserts rows `batch` at a time, many a statement (one round trip a statement is what costs), each
// with the id `ids_for(n)` hands out for its batch; `cols` is "INSERT INTO t(col, ..." without the id
// column, `params` appends a row's `ncols` values.
template <class Row, class Ids, class Params>
void insert_batches(db::Conn& c, std::vector<Row>& rs, const std::string& cols, size_t ncols, size_t batch, Ids ids_for,
                    Params params) {
  for (size_t i = 0; i < rs.size(); i += batch) {
    size_t n = std::min(batch, rs.size() - i);
    std::vector<Id> ids = ids_for(n);
    V p;
    p.reserve(n * (ncols + 1));
    for (size_t k = i; k < i + n; k++) {
      rs[k].id = ids[k - i];
      params(rs[k], p);
      p.emplace_back(rs[k].id);
    }
    c.exec(cols + ", id) VALUES " + bulk::values_list(n, ncols + 1), p);
  }
}

// SQLite: the single writer numbers new rows itself, from `next` on (max(id) + 1, as SQLite would).
std::vector<Id> next_ids(Id& next, size_t n) {
  std::vector<Id> ids(n);
  for (auto& id : ids) id = next++;
  return ids;
}

}  // namespace

void Tx::import_companies(BulkLoad& b, std::vector<Company>& cs) {
  const std::string cols =
      "INSERT INTO companies(org_id, name, industry, industry_rank, region, budget_capacity, source, competitor, "
      "owner_id, status, created_at, updated_at, competitor_contract_end, name_key";
  auto params = [](const Company& c, V& p) {
    p.emplace_back(c.org_id);
    p.emplace_back(c.name);
    p.emplace_back(c.industry);
    p.push_back(db::val(c.industry_rank));
    p.emplace_back(c.region);
    p.push_back(db::val(c.budget_capacity));
    p.emplace_back(c.source);
    p.emplace_back(c.competitor);
    p.push_back(db::val(c.owner_id));
    p.emplace_back(std::string(to_string(c.status)));
    p.emplace_back(c.created_at);
    p.emplace_back(c.updated_at);
    p.push_back(db::val_or_null(c.competitor_contract_end));
    p.emplace_back(names::company_key(c.name));
  };
  if (c_.dialect() == db::Dialect::Sqlite) {
    if (!b.next_company) b.first_company = b.next_company = c_.scalar("SELECT COALESCE(MAX(id), 0) FROM companies") + 1;
    if (b.intake)  // companies_intake_ins is suspended: count what it would have (end_bulk_import adds them)
      for (auto& c : cs) b.intake_new[{c.org_id, c.owner_id ? *c.owner_id : -1, c.created_at / 3600, c.source}]++;
    insert_batches(
        c_, cs, cols, 14, 64, [&](size_t n) { return next_ids(b.next_company, n); }, params);
    return;
  }
  // PostgreSQL: many rows a statement there too (one INSERT ... RETURNING a row cost 2.5 ms a row,
  // 25 s for 10,000), ids from the identity sequence in one query a batch.
  bool analyze = false;
  insert_batches(
      c_, cs, cols, 14, 500,
      [&](size_t n) {
        std::vector<Id> ids = sequence_ids("companies", n);
        if (!b.analyzed) {
          // A table whose statistics say it is (nearly) empty, as in a new database, gets a plan for
          // the contacts' foreign-key check that scans the organisation's companies by an index on
          // org_id and filters on id: each batch of contacts then costs as much as every company
          // before it (20,000 rows: 37 ms a batch at first, 990 ms at the end, 49 s in all).
          // ANALYZE (after the first batch is in: it sees this transaction's own rows) sets the
          // statistics and invalidates the cached plan.
          b.analyzed = true;
          analyze = c_.scalar(
                        "SELECT CAST(GREATEST(reltuples, 0) AS BIGINT) FROM pg_class "
                        "WHERE oid = 'companies'::regclass") < 10000;
        }
        return ids;
      },
      params);
  if (analyze) c_.exec_script("ANALYZE companies");  // before the first contacts
}

void Tx::import_contacts(BulkLoad& b, std::vector<Contact>& cs) {
  const std::string cols = "INSERT INTO contacts(org_id, company_id, name, title, is_payer, style, phone, created_at";
  auto params = [](const Contact& c, V& p) {
    p.emplace_back(c.org_id);
    p.emplace_back(c.company_id);
    p.emplace_back(c.name);
    p.emplace_back(c.title);
    p.push_back(db::val(c.is_payer));
    p.emplace_back(c.style);
    p.emplace_back(c.phone);
    p.emplace_back(c.created_at);
  };
  if (c_.dialect() == db::Dialect::Sqlite) {
    if (!b.next_contact) b.next_contact = c_.scalar("SELECT COALESCE(MAX(id), 0) FROM contacts") + 1;
    for (auto& c : cs) b.new_contacts = b.new_contacts || (b.first_company && c.company_id >= b.first_company);
    insert_batches(
        c_, cs, cols, 8, 100, [&](size_t n) { return next_ids(b.next_contact, n); }, params);
    return;
  }
  insert_batches(
      c_, cs, cols, 8, 500, [&](size_t n) { return sequence_ids("contacts", n); }, params);
}

void Tx::stage_contact_names(BulkLoad& b, const std::vector<std::pair<Id, std::string>>& names) {
  if (c_.dialect() != db::Dialect::Sqlite || !b.fts || names.empty()) return;
  if (!b.staged) {
    c_.exec_script("DROP TABLE IF EXISTS temp.tj_import_contact_names; "
                   "CREATE TEMP TABLE tj_import_contact_names(id INTEGER PRIMARY KEY, names TEXT NOT NULL)");
    b.staged = true;
  }
  constexpr size_t kBatch = 200;
  for (size_t i = 0; i < names.size(); i += kBatch) {
    size_t n = std::min(kBatch, names.size() - i);
    V p;
    p.reserve(n * 2);
    for (size_t k = i; k < i + n; k++) {
      p.emplace_back(names[k].first);
      p.emplace_back(names[k].second);
    }
    c_.exec("INSERT INTO temp.tj_import_contact_names(id, names) VALUES " + bulk::values_list(n, 2), p);
  }
}

std::vector<Contact> Tx::contacts_of(Id org, const std::vector<Id>& companies) {
  std::vector<Contact> out;
  if (companies.empty()) return out;
  V p{org};
  for (auto id : companies) p.emplace_back(id);
  for (auto& r : c_.query("SELECT " + kContactCols + " FROM contacts WHERE org_id = ? AND company_id IN (" +
                              placeholders(companies.size()) + ") ORDER BY company_id, id",
                          p))
    out.push_back(contact_from(r));
  return out;
}

std::vector<Visit> Tx::visits_of(Id org, const std::vector<Id>& companies, const std::string& from,
                                 const std::string& to) {
  std::vector<Visit> out;
  if (companies.empty()) return out;
  V p{org};
  for (auto id : companies) p.emplace_back(id);
  std::string sql = std::string("SELECT ") + kVisitCols + " FROM visits WHERE org_id = ? AND company_id IN (" +
                    placeholders(companies.size()) + ")";
  if (!from.empty()) {
    sql += " AND day >= ?";
    p.emplace_back(from);
  }
  if (!to.empty()) {
    sql += " AND day <= ?";
    p.emplace_back(to);
  }
  sql += " ORDER BY company_id, at, id";
  for (auto& r : c_.query(sql, p)) out.push_back(visit_from(r));
  return out;
}

std::vector<Deal> Tx::deals_of(Id org, const std::vector<Id>& companies, const std::string& from,
                               const std::string& to) {
  std::vector<Deal> out;
  if (companies.empty()) return out;
  V p{org};
  for (auto id : companies) p.emplace_back(id);
  std::string sql = "SELECT " + kDealCols + " FROM deals WHERE org_id = ? AND company_id IN (" +
                    placeholders(companies.size()) + ")";
  if (!from.empty()) {
    sql += " AND signed_on >= ?";
    p.emplace_back(from);
  }
  if (!to.empty()) {
    sql += " AND signed_on <= ?";
    p.emplace_back(to);
  }
  sql += " ORDER BY company_id, signed_on, id";
  for (auto& r : c_.query(sql, p)) out.push_back(deal_from(r));
  return out;
}

}  // namespace tj
