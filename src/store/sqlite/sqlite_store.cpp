// SQLite backend: db::Conn over the C API with a per-connection statement
// cache, and a Store with one writer connection (BEGIN IMMEDIATE) and a pool of
// reader connections (WAL lets them read while the writer writes).
//
// Memory and disk stay flat under sustained load (issue 7, the soak of
// bench/load/run.sh): each connection's page cache is capped (kReaderCacheKiB,
// kWriterCacheKiB; the kernel's page cache holds the rest of the file), and
// the WAL is reset once it passes kWalResetBytes. With readers always
// overlapping, SQLite's passive auto-checkpoint copies pages back but can never
// restart the WAL, which then grows without bound; so the writer, after such a
// commit, runs a TRUNCATE checkpoint that waits at most kWalResetWaitMs for the
// readers of the moment (new readers do not hold it up) and retries later if
// a long read is still running.
#include <sqlite3.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "common/deadline.h"
#include "store/store.h"
#include "store/backends.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/stats.h"
#include "store/tx.h"

namespace tj {
namespace {

constexpr int kReaderCacheKiB = 8 * 1024;   // per reader connection
constexpr int kWriterCacheKiB = 16 * 1024;  // the writer
constexpr int64_t kWalResetBytes = 64LL << 20;
constexpr int kWalResetWaitMs = 500;
constexpr int kBusyTimeoutMs = 5000;
// Reads go through a shared memory map of the file rather than pread copies into each
// connection's page cache: the computed views touch many more pages than a capped cache
// holds. Mapped pages are the kernel's file cache (reclaimable, shared by all connections),
// not the process's own memory.
constexpr int64_t kMmapBytes = 1LL << 40;
// The request's deadline (common/deadline.h) is checked every kProgressOps virtual-machine
// steps (a few microseconds of work): a query past it, or whose client hung up, stops with
// SQLITE_INTERRUPT and the request answers 503 `timeout`.
constexpr int kProgressOps = 4000;

int deadline_progress(void*) {
  auto* d = deadline::current();
  return d && d->expired() ? 1 : 0;
}

// A statement the progress handler stopped (SQLITE_INTERRUPT): the request's deadline passed.
struct Interrupted : db::DbError {
  explicit Interrupted(const std::string& m) : db::DbError(db::DbError::Other, m) {}
};

class SqliteConn final : public db::Conn {
 public:
  explicit SqliteConn(const std::string& path, bool readonly) {
    int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw db::DbError(db::DbError::Other, "cannot open " + path + ": " + m);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);  // first, before anything can meet a lock
    sqlite3_progress_handler(db_, kProgressOps, deadline_progress, nullptr);
    if (!readonly) exec_script("PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=" + std::to_string(kWalResetBytes));
    exec_script("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" +
                std::to_string(readonly ? kReaderCacheKiB : kWriterCacheKiB) + "; PRAGMA mmap_size=" + std::to_string(kMmapBytes));
  }
  ~SqliteConn() override {
    for (auto& [k, s] : cache_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }
  db::Dialect dialect() const override { return db::Dialect::Sqlite; }
  sqlite3* raw() { return db_; }

  std::vector<db::Row> query(std::string_view sql, const std::vector<db::Value>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    std::vector<db::Row> rows;
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, st);
      int n = sqlite3_column_count(st);
      db::Row row;
      row.cols.reserve(n);
      for (int i = 0; i < n; i++) {
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_INTEGER: row.cols.emplace_back(int64_t(sqlite3_column_int64(st, i))); break;
          case SQLITE_FLOAT: row.cols.emplace_back(sqlite3_column_double(st, i)); break;
          case SQLITE_NULL: row.cols.emplace_back(std::monostate{}); break;
          default: {
            auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
            row.cols.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(st, i)));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);  // text was bound in place (prepare): no pointer outlives this call
    return rows;
  }
  int64_t exec(std::string_view sql, const std::vector<db::Value>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(rc, st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);  // text was bound in place (prepare): no pointer outlives this call
    return sqlite3_changes64(db_);
  }
  void exec_script(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string m = err ? err : "error";
      sqlite3_free(err);
      if ((rc & 0xff) == SQLITE_INTERRUPT) throw Interrupted(m);
      throw db::DbError(kind_of(rc), m);
    }
  }

 private:
  static db::DbError::Kind kind_of(int rc) {
    switch (rc & 0xff) {
      case SQLITE_CONSTRAINT: return db::DbError::Constraint;
      case SQLITE_BUSY:
      case SQLITE_LOCKED: return db::DbError::Busy;
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_READONLY: return db::DbError::Full;
      default: return db::DbError::Other;
    }
  }
  [[noreturn]] void fail(int rc, sqlite3_stmt* st) {
    std::string m = sqlite3_errmsg(db_);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if ((rc & 0xff) == SQLITE_INTERRUPT) throw Interrupted(m);
    throw db::DbError(kind_of(rc), m);
  }
  sqlite3_stmt* prepare(std::string_view sql, const std::vector<db::Value>& params) {
    sqlite3_stmt* st;
    auto it = cache_.find(sql);  // no std::string made for a statement already prepared
    if (it != cache_.end()) {
      st = it->second;
      sqlite3_clear_bindings(st);
    } else {
      if (sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
        throw db::DbError(db::DbError::Other, std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql));
      if (cache_.size() > 512) {
        for (auto& [k, s] : cache_) sqlite3_finalize(s);
        cache_.clear();
      }
      cache_.emplace(std::string(sql), st);
    }
    if (int(params.size()) != sqlite3_bind_parameter_count(st))
      throw db::DbError(db::DbError::Other, "parameter count mismatch in: " + std::string(sql));
    for (size_t i = 0; i < params.size(); i++) {
      int idx = int(i) + 1;
      const auto& v = params[i];
      if (auto p = std::get_if<int64_t>(&v)) sqlite3_bind_int64(st, idx, *p);
      else if (auto p = std::get_if<double>(&v)) sqlite3_bind_double(st, idx, *p);
      // In place, not copied (SQLITE_STATIC): the caller's values outlive the statement's use,
      // and query(), exec() and fail() clear the bindings before they return.
      else if (auto p = std::get_if<std::string>(&v))
        sqlite3_bind_text(st, idx, p->data(), int(p->size()), SQLITE_STATIC);
      else sqlite3_bind_null(st, idx);
    }
    return st;
  }

  sqlite3* db_ = nullptr;
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

// db::map_db_error, and a statement the deadline stopped (Interrupted) is 503 `timeout`.
Error map_sqlite_error(const db::DbError& e) {
  if (dynamic_cast<const Interrupted*>(&e)) return deadline_error();
  return db::map_db_error(e);
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, int readers) : path_(std::move(path)), writer_(path_, false), readers_(readers) {
    for (int i = 0; i < readers; i++) idle_readers_.push_back(std::make_unique<SqliteConn>(path_, true));
    store_stats::readers_size += readers_;
  }
  ~SqliteStore() override { store_stats::readers_size -= readers_; }

  Status read(const std::function<Status(Tx&)>& fn) override {
    if (auto* d = deadline::current(); d && d->expired()) return deadline_error();
    std::unique_ptr<SqliteConn> c;
    {
      std::unique_lock lk(rmu_);
      if (idle_readers_.empty() && missing_readers_ > 0) {  // not reopened after a bulk load (write_bulk)
        try {
          idle_readers_.push_back(std::make_unique<SqliteConn>(path_, true));
          missing_readers_--;
        } catch (const db::DbError& e) {
          return map_sqlite_error(e);
        }
      }
      rcv_.wait(lk, [&] { return !idle_readers_.empty(); });
      c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    store_stats::readers_in_use++;
    Status st = ok_status();
    try {
      store_stats::note_begin(store_stats::TxKind::Read);
      c->exec("BEGIN", {});
      Tx tx(*c);
      st = fn(tx);
      deadline::Suspend s;
      c->exec("COMMIT", {});
    } catch (const db::DbError& e) {
      try {
        deadline::Suspend s;
        c->exec("ROLLBACK", {});
      } catch (...) {}
      st = map_sqlite_error(e);
    } catch (...) {  // a bug above: never leak the connection or its transaction
      try {
        deadline::Suspend s;
        c->exec("ROLLBACK", {});
      } catch (...) {}
      spdlog::error("read transaction ended by an unexpected exception");
      st = Error{Err::Internal, "internal", "internal error"};
    }
    store_stats::readers_in_use--;
    {
      std::lock_guard lk(rmu_);
      idle_readers_.push_back(std::move(c));
    }
    rcv_.notify_one();
    return st;
  }

  Status write(const std::function<Status(Tx&)>& fn) override {
    auto* d = deadline::current();
    if (d && d->expired()) return deadline_error();
    // The single writer: a request waits for it no longer than its deadline (a visit behind a big
    // import's write phase answers 503 `timeout` at its deadline instead of waiting for the import).
    std::unique_lock lk(wmu_, std::defer_lock);
    if (!d) {
      lk.lock();
    } else if (!lk.try_lock_until(d->at())) {
      return deadline_error();
    }
    return run_write(fn, Journal::Wal);
  }

  Status write_bulk(const std::function<Status(Tx&)>& fn) override {
    std::unique_lock lk(wmu_);
    // This store's readers are closed for the load (an open connection, even idle, keeps the
    // database in WAL mode); when one is in use, the load goes through the WAL as usual.
    std::vector<std::unique_ptr<SqliteConn>> readers;
    {
      std::lock_guard rl(rmu_);
      if (idle_readers_.size() == size_t(readers_)) readers.swap(idle_readers_);
    }
    if (readers.size() != size_t(readers_)) return run_write(fn, Journal::Wal);
    readers.clear();
    Journal j = Journal::Wal;
    sqlite3* db = writer_.raw();
    sqlite3_busy_timeout(db, 0);  // another process has it open: do not wait for it, use the WAL
    try {
      if (writer_.query("PRAGMA journal_mode=DELETE", {}).at(0).str(0) == "delete") j = Journal::Rollback;
    } catch (const db::DbError& e) {
      spdlog::info("sqlite: a bulk load through the WAL (the database is open elsewhere: {})", e.what());
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    Status st = run_write(fn, j);
    if (j == Journal::Rollback) {
      try {
        writer_.exec_script("PRAGMA synchronous=NORMAL");
        if (writer_.query("PRAGMA journal_mode=WAL", {}).at(0).str(0) != "wal")
          throw db::DbError(db::DbError::Other, "still in rollback mode");
      } catch (const db::DbError& e) {
        // Not lost: every open of the database (SqliteConn) asks for WAL mode again.
        spdlog::warn("sqlite: the database is not back in WAL mode after a bulk load yet: {}", e.what());
      }
    }
    {
      std::lock_guard rl(rmu_);
      for (int i = 0; i < readers_; i++) {
        try {
          idle_readers_.push_back(std::make_unique<SqliteConn>(path_, true));
        } catch (const db::DbError& e) {
          missing_readers_++;  // read() opens it when it needs it
          spdlog::warn("sqlite: a reader not reopened after a bulk load yet: {}", e.what());
        }
      }
    }
    rcv_.notify_all();
    return st;
  }

 private:
  enum class Journal { Wal, Rollback };

  // One write transaction on the writer, wmu_ held. Rollback: a bulk load that has the database
  // to itself (write_bulk) and writes through a synced rollback journal.
  Status run_write(const std::function<Status(Tx&)>& fn, Journal journal) {
    try {
      store_stats::note_begin(store_stats::TxKind::Write);
      if (journal == Journal::Rollback) writer_.exec_script("PRAGMA synchronous=FULL");
      writer_.exec(journal == Journal::Rollback ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE", {});
    } catch (const db::DbError& e) {
      return map_sqlite_error(e);
    }
    try {
      Tx tx(writer_);
      Status st = Store::before_write(tx);  // an Idempotency-Key, in the same transaction
      if (st.ok()) st = fn(tx);
      deadline::Suspend s;  // COMMIT (or ROLLBACK) runs to its end
      if (st.ok()) {
        writer_.exec("COMMIT", {});
        Store::after_commit();
        store_stats::note_committed();
        if (journal == Journal::Wal) maybe_reset_wal();
      } else {
        writer_.exec("ROLLBACK", {});
      }
      return st;
    } catch (const db::DbError& e) {
      try {
        deadline::Suspend s;
        writer_.exec("ROLLBACK", {});
      } catch (...) {}
      return map_sqlite_error(e);
    } catch (...) {  // a bug above: never leave the writer inside a transaction
      try {
        deadline::Suspend s;
        writer_.exec("ROLLBACK", {});
      } catch (...) {}
      spdlog::error("write transaction ended by an unexpected exception");
      return Error{Err::Internal, "internal", "internal error"};
    }
  }

 public:
  Result<int> schema_version() override {
    std::lock_guard lk(wmu_);
    try {
      writer_.exec_script("CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      return int(writer_.scalar("SELECT COALESCE(MAX(number),0) FROM schema_migrations"));
    } catch (const db::DbError& e) {
      return map_sqlite_error(e);
    }
  }

  Result<int> migrate() override {
    TRY_ASSIGN(int current, schema_version());
    int applied = 0;
    std::lock_guard lk(wmu_);
    for (const auto* m = migrations::kSqlite; m->name; ++m) {
      if (m->number <= current) continue;
      try {
        writer_.exec("BEGIN IMMEDIATE", {});
        writer_.exec_script(m->sql);
        migrations::after_sql(m->number, writer_);
        writer_.exec("INSERT INTO schema_migrations(number, name, applied_at) VALUES (?,?,strftime('%s','now'))",
                     {int64_t(m->number), std::string(m->name)});
        writer_.exec("COMMIT", {});
        applied++;
        spdlog::info("migration {} applied", m->name);
      } catch (const db::DbError& e) {
        try {
          deadline::Suspend s;
          writer_.exec("ROLLBACK", {});
        } catch (...) {}
        return Error{Err::Internal, "migration_failed", std::string("migration ") + m->name + " failed: " + e.what()};
      }
    }
    return applied;
  }

  Status backup(const std::string& dest) override {
    sqlite3* out = nullptr;
    if (sqlite3_open(dest.c_str(), &out) != SQLITE_OK) {
      sqlite3_close(out);
      return bad_request("backup_failed", "cannot open backup destination " + dest);
    }
    std::lock_guard lk(wmu_);  // a consistent snapshot; writers wait (the copy is fast)
    sqlite3_backup* b = sqlite3_backup_init(out, "main", writer_.raw(), "main");
    if (!b) {
      std::string m = sqlite3_errmsg(out);
      sqlite3_close(out);
      return bad_request("backup_failed", m);
    }
    int rc;
    while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    }
    sqlite3_backup_finish(b);
    rc = sqlite3_errcode(out);
    sqlite3_close(out);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) return Error{Err::Unavailable, "backup_failed", "backup failed"};
    return ok_status();
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  // After a commit, under wmu_: resets the WAL when it has grown past
  // kWalResetBytes (see the top of the file). Never fails the write.
  void maybe_reset_wal() {
    struct stat sb;
    if (::stat(wal_path_.c_str(), &sb) != 0 || sb.st_size < kWalResetBytes) return;
    auto now = std::chrono::steady_clock::now();
    if (now < next_wal_reset_) return;
    sqlite3* db = writer_.raw();
    sqlite3_busy_timeout(db, kWalResetWaitMs);
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    if (rc == SQLITE_OK) {
      spdlog::info("sqlite: WAL of {} MB checkpointed and truncated", sb.st_size >> 20);
      next_wal_reset_ = {};
    } else {
      // A long read still uses the WAL: its frames were copied back as far as
      // possible; try again a little later rather than after every commit.
      spdlog::info("sqlite: WAL of {} MB not reset yet ({}), retrying in 2 s", sb.st_size >> 20, sqlite3_errstr(rc));
      next_wal_reset_ = now + std::chrono::seconds(2);
    }
  }

  std::string path_;
  std::string wal_path_ = path_ + "-wal";
  std::chrono::steady_clock::time_point next_wal_reset_{};
  std::timed_mutex wmu_;
  SqliteConn writer_;
  const int readers_;
  std::mutex rmu_;
  std::condition_variable rcv_;
  std::vector<std::unique_ptr<SqliteConn>> idle_readers_;
  int missing_readers_ = 0;  // readers write_bulk could not reopen (under rmu_)
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, int readers) {
  if (path.empty()) return bad_request("bad_db_url", "empty database path");
  try {
    // The writer creates the file and sets WAL before readers open it read-only.
    auto s = std::make_unique<SqliteStore>(path, readers < 1 ? 1 : readers);
    return std::unique_ptr<Store>(std::move(s));
  } catch (const db::DbError& e) {
    return bad_request("db_open_failed", e.what());
  }
}

}  // namespace tj
