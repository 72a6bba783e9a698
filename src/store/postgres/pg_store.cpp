// The PostgreSQL Store: a pool of readers+2 connections to the primary, reads
// in REPEATABLE READ READ ONLY transactions, writes in SERIALIZABLE ones retried
// (up to 5 times) when PostgreSQL reports a serialization failure or a deadlock,
// numbered migrations guarded by an advisory lock, and optional streaming
// replicas that serve read_replica() unless the acting user's last write has not
// been replayed there yet (read-your-writes, compared by WAL position).
// Failover (docs/scaling.md): with a multi-host URL and
// target_session_attrs=read-write a new connection goes to whichever server is
// the primary; a connection whose server went away is reopened, a write that
// lost it before COMMIT runs again, one that lost it during COMMIT answers 503.
#include <spdlog/spdlog.h>

#include "common/deadline.h"
#include "common/redact.h"
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <string_view>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "store/isolation.h"
#include "store/migrations.h"
#include "store/postgres/pg.h"
#include "store/stats.h"
#include "store/tx.h"

namespace tj::pg {

namespace {

using Clock = std::chrono::steady_clock;

// Key of the advisory lock that serialises migrations across processes ("tiejun").
constexpr int64_t kMigrateLock = 0x7469656a756eLL;

bool connection_error(const db::DbError& e) {
  auto p = dynamic_cast<const PgError*>(&e);
  return p && (p->sqlstate.rfind("08", 0) == 0 || p->sqlstate.rfind("57P", 0) == 0);
}

// The server is gone or no longer takes writes (pg::server_gone): lost
// connections, shutdowns, and 25006 from a primary demoted by a failover.
bool server_gone(const db::DbError& e) {
  auto p = dynamic_cast<const PgError*>(&e);
  return p && p->server_gone();
}

// What a client sees while no primary can be reached (a failover, a restart):
// 503 `unavailable`, retry later.
Error unavailable() {
  return {Err::Unavailable, "unavailable", "the database cannot be reached (failover or restart in progress); retry"};
}

// 57014 query_canceled: the statement_timeout set from the request's deadline, or a cancel
// because its client hung up (common/deadline.h).
bool is_timeout(const db::DbError& e) {
  auto* pe = dynamic_cast<const PgError*>(&e);
  return pe && pe->sqlstate == "57014";
}

// A timeout is 503 timeout; a lost server is 503 unavailable; the rest as both stores map them
// (db::map_db_error).
Error map_pg_error(const db::DbError& e) {
  if (is_timeout(e)) return deadline_error();
  if (server_gone(e)) return unavailable();
  return db::map_db_error(e);
}

// "16/B374D848" -> 0x16B374D848; 0 for NULL or garbage.
uint64_t parse_lsn(const std::string& s) {
  auto slash = s.find('/');
  if (slash == std::string::npos) return 0;
  char* end = nullptr;
  uint64_t hi = std::strtoull(s.c_str(), &end, 16);
  uint64_t lo = std::strtoull(s.c_str() + slash + 1, &end, 16);
  return (hi << 32) | (lo & 0xffffffffULL);
}

void rollback_quietly(PgConn& c) {
  deadline::Suspend unbounded;  // a ROLLBACK after a timeout must still run
  try {
    if (!c.broken()) c.exec_script("ROLLBACK");
  } catch (...) {
  }
}

// A fixed-size pool of connections to one server, opened on demand.
class Pool {
 public:
  Pool(std::string url, int size) : url_(std::move(url)), size_(size < 1 ? 1 : size) {
    store_stats::readers_size += size_;
  }
  ~Pool() { store_stats::readers_size -= size_; }

  std::unique_ptr<PgConn> acquire() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      store_stats::readers_in_use++;
      return c;
    }
    open_++;
    store_stats::readers_in_use++;
    lk.unlock();
    try {
      return std::make_unique<PgConn>(url_);
    } catch (...) {
      store_stats::readers_in_use--;
      lk.lock();
      open_--;
      lk.unlock();
      cv_.notify_one();
      throw;
    }
  }

  void release(std::unique_ptr<PgConn> c) {
    store_stats::readers_in_use--;
    if (c && !c->healthy()) {
      rollback_quietly(*c);
      if (!c->healthy()) c.reset();  // lost or stuck: the next acquire opens a new one
    }
    {
      std::lock_guard lk(mu_);
      if (c) idle_.push_back(std::move(c));
      else open_--;
    }
    cv_.notify_one();
  }

  const std::string& url() const { return url_; }

 private:
  std::string url_;
  int size_;
  int open_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
};

// A connection borrowed from a pool for one transaction; given back (rolled
// back if still in a transaction) whatever happens.
class Lease {
 public:
  explicit Lease(Pool& p) : pool_(p), c_(p.acquire()) {}
  ~Lease() { pool_.release(std::move(c_)); }
  PgConn& operator*() { return *c_; }
  PgConn* operator->() { return c_.get(); }

 private:
  Pool& pool_;
  std::unique_ptr<PgConn> c_;
};

struct Replica {
  explicit Replica(const std::string& url, int size) : pool(url, size) {}
  Pool pool;
  std::atomic<int64_t> down_until{0};  // steady-clock ms; skipped while down
};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

class PgStore final : public Store {
 public:
  PgStore(const std::string& url, int readers, const std::vector<std::string>& replicas)
      : primary_(url, readers + 2) {
    {
      Lease l(primary_);  // fail now, at startup, if the server cannot be reached
      describe_ = l->describe();
      auto v = l->query_one("SHOW server_version_num");
      if (v && v->i64(0) < 130000)
        throw PgError(db::DbError::Other, "PostgreSQL 13 or newer is required (found " + v->str(0) + ")", "");
    }
    for (auto& r : replicas) replicas_.push_back(std::make_unique<Replica>(r, readers + 2));
  }

  Status read(const std::function<Status(Tx&)>& fn) override { return read_on(primary_, fn, 0, nullptr); }

  Status read_replica(const std::function<Status(Tx&)>& fn) override {
    if (replicas_.empty()) return read(fn);
    uint64_t need = needed_lsn(ActingAs::current());
    size_t n = replicas_.size();
    size_t start = next_replica_.fetch_add(1) % n;
    for (size_t k = 0; k < n; k++) {
      auto& r = *replicas_[(start + k) % n];
      if (r.down_until.load() > now_ms()) continue;
      bool fallback = false;
      Status st = read_on(r.pool, fn, need, &fallback);
      if (!fallback) {
        replica_reads_++;
        return st;
      }
    }
    primary_fallbacks_++;
    return read(fn);
  }

  Status write(const std::function<Status(Tx&)>& fn) override {
    // Serialization failures and deadlocks are retried with jittered
    // exponential backoff for up to kRetryBudget (at least kRetries times): 50
    // writers on one hot row must all get through, not answer 503 (issue 7).
    constexpr int kRetries = 5;
    constexpr auto kRetryBudget = std::chrono::seconds(3);
    // A transaction whose server went away before COMMIT (lost connection,
    // shutdown, or 25006 from a primary demoted by a failover) committed
    // nothing: it runs again on a new connection, which a multi-host URL with
    // target_session_attrs=read-write opens to whichever server is the primary
    // now. While none is, the connection attempt fails (bounded by
    // connect_timeout) and the request answers 503 `unavailable`.
    constexpr int kReconnects = 2;
    thread_local std::minstd_rand rng(std::random_device{}());
    const auto started = std::chrono::steady_clock::now();
    int reconnects = 0;
    for (int attempt = 0;; attempt++) {
      std::optional<Lease> l;
      try {
        l.emplace(primary_);
        // A row-guarded write (store/isolation.h: logging a visit) runs at REPEATABLE READ,
        // every other write at SERIALIZABLE; both retry serialization failures below.
        begin(**l, RowGuardedWrite::active() ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN ISOLATION LEVEL SERIALIZABLE");
      } catch (const db::DbError& e) {
        if (l && server_gone(e)) (*l)->close();
        return map_pg_error(e);
      }
      PgConn& c = **l;
      bool committing = false;
      try {
        Tx tx(c);
        Status st = Store::before_write(tx);  // an Idempotency-Key, in the same transaction
        if (st.ok()) st = fn(tx);
        if (!st.ok()) {
          c.exec_script("ROLLBACK");
          return st;
        }
        committing = true;
        deadline::Suspend unbounded;  // a COMMIT is never cut off half-way
        c.exec_script("COMMIT");
        Store::after_commit();
        store_stats::note_committed();
        if (!replicas_.empty()) note_write(c);
        return st;
      } catch (const PgError& e) {
        if (committing && e.server_gone()) {
          // COMMIT was sent and its answer never came: the change may or may
          // not be saved. Never report it as done, never run it again here:
          // 503, and the client (who can check) decides.
          c.close();
          spdlog::warn("the connection was lost during COMMIT ({}): outcome unknown, answered 503", e.sqlstate);
          return Error{Err::Unavailable, "unavailable",
                       "the connection to the database was lost while saving: the change may or may not have been "
                       "saved; check before retrying"};
        }
        rollback_quietly(c);
        // In a request, the retries go on while its deadline leaves a second (a hot row under a loaded
        // machine needed more than 3 s: one 503 `busy` in 5,000 visits from 50 writers on one company).
        const deadline::Deadline* dl = deadline::current();
        const bool time_left =
            std::chrono::steady_clock::now() - started < kRetryBudget || (dl && dl->remaining_ms() > 1000);
        if (e.retryable() && (attempt < kRetries || time_left)) {
          spdlog::debug("write retried after {} ({})", e.sqlstate, redact_secrets(e.what()));
          l.reset();  // give the connection back while waiting
          int cap = 2 << std::min(attempt, 5);  // 2, 4, ... 64 ms
          std::this_thread::sleep_for(std::chrono::milliseconds(1 + cap / 2 + int(rng() % cap)));
          continue;
        }
        if (e.server_gone()) {
          c.close();  // the pool opens a new connection in its place
          if (reconnects < kReconnects) {
            reconnects++;
            spdlog::warn("write retried on a new connection after {} ({})", e.sqlstate, e.what());
            l.reset();
            continue;
          }
        }
        return map_pg_error(e);
      } catch (const db::DbError& e) {
        rollback_quietly(c);
        return map_pg_error(e);
      } catch (...) {  // a bug above: never leave the connection inside a transaction
        rollback_quietly(c);
        spdlog::error("write transaction ended by an unexpected exception");
        return Error{Err::Internal, "internal", "internal error"};
      }
    }
  }

  Result<int> schema_version() override {
    try {
      Lease l(primary_);
      return current_version(*l);
    } catch (const db::DbError& e) {
      return map_pg_error(e);
    }
  }

  Result<int> migrate() override {
    int applied = 0;
    try {
      Lease l(primary_);
      PgConn& c = *l;
      for (const auto* m = migrations::kPostgres; m->name; ++m) {
        try {
          c.exec_script("BEGIN");
          // Two processes starting at once: the second waits here, then sees the migration applied.
          c.query("SELECT pg_advisory_xact_lock(?)", {kMigrateLock});
          c.exec_script(
              "CREATE TABLE IF NOT EXISTS schema_migrations (number BIGINT PRIMARY KEY, name TEXT NOT NULL, "
              "applied_at BIGINT NOT NULL)");
          if (c.scalar("SELECT COUNT(*) FROM schema_migrations WHERE number = ?", {int64_t(m->number)}) > 0) {
            c.exec_script("COMMIT");
            continue;
          }
          c.exec_script(m->sql);
          migrations::after_sql(m->number, c);
          c.exec("INSERT INTO schema_migrations(number, name, applied_at) VALUES (?, ?, "
                 "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT))",
                 {int64_t(m->number), std::string(m->name)});
          c.exec_script("COMMIT");
          applied++;
          spdlog::info("migration {} applied", m->name);
        } catch (const db::DbError& e) {
          rollback_quietly(c);
          return Error{Err::Internal, "migration_failed", std::string("migration ") + m->name + " failed: " + e.what()};
        }
      }
    } catch (const db::DbError& e) {
      return map_pg_error(e);
    }
    return applied;
  }

  Status backup(const std::string& dest) override {
    // pg_dump's custom format, restorable with pg_restore. Run without a shell.
    std::string url = primary_.url();
    pid_t pid = fork();
    if (pid < 0) return Error{Err::Unavailable, "backup_failed", "cannot start pg_dump"};
    if (pid == 0) {
      const char* argv[] = {"pg_dump", "--format=custom", "--no-owner", "--file", dest.c_str(), "--dbname", url.c_str(),
                            nullptr};
      execvp("pg_dump", const_cast<char* const*>(argv));
      execv("/usr/lib/postgresql/15/bin/pg_dump", const_cast<char* const*>(argv));
      _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
      return bad_request("backup_unsupported",
                         "pg_dump was not found; back up a PostgreSQL database with pg_dump --format=custom");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return Error{Err::Unavailable, "backup_failed", "pg_dump failed (see its message above)"};
    return ok_status();
  }

  std::string describe() const override {
    if (replicas_.empty()) return describe_;
    return describe_ + " (+" + std::to_string(replicas_.size()) + " replica" + (replicas_.size() > 1 ? "s" : "") + ")";
  }

 private:
  // BEGIN, and for a request the rest of its deadline as the transaction's statement_timeout
  // (in the same round trip): a query past it is stopped by the server (57014 -> 503 timeout).
  static void begin(PgConn& c, const char* begin_sql) {
    store_stats::note_begin(std::string_view(begin_sql).find("READ ONLY") != std::string_view::npos
                                ? store_stats::TxKind::Read
                                : store_stats::TxKind::Write);
    std::string sql = begin_sql;
    if (auto* d = deadline::current()) {
      int64_t ms = d->remaining_ms();
      if (ms <= 0) throw PgError(db::DbError::Other, "the request's deadline passed", "57014");
      sql += "; SET LOCAL statement_timeout = " + std::to_string(ms);
    }
    try {
      c.exec_script(sql);
    } catch (const db::DbError& e) {
      // An idle connection the server closed (restart, idle timeout) fails on
      // first use; nothing has run yet, so reconnect once and begin again.
      if (!connection_error(e)) throw;
      c.reconnect();
      c.exec_script(sql);
    }
  }

  // One read-only transaction on a connection of `pool`. With `fallback` set
  // (a replica), a replica that is unreachable, not caught up to `need`, or
  // cancels the read for recovery sets *fallback and the caller reads the primary.
  Status read_on(Pool& pool, const std::function<Status(Tx&)>& fn, uint64_t need, bool* fallback) {
    std::optional<Lease> l;
    try {
      l.emplace(pool);
      begin(**l, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    } catch (const db::DbError& e) {
      if (fallback && !is_timeout(e)) {
        mark_down(pool, e);
        *fallback = true;
        return ok_status();
      }
      return map_pg_error(e);
    }
    PgConn& c = **l;
    try {
      if (fallback && need > 0) {
        auto r = c.query_one("SELECT CAST(pg_last_wal_replay_lsn() AS TEXT)");
        // NULL: not a standby (it is the primary itself), hence up to date.
        if (r && !r->is_null(0) && parse_lsn(r->str(0)) < need) {
          c.exec_script("ROLLBACK");
          *fallback = true;
          return ok_status();
        }
      }
      Tx tx(c);
      Status st = fn(tx);
      deadline::Suspend unbounded;
      c.exec_script("COMMIT");
      return st;
    } catch (const db::DbError& e) {
      rollback_quietly(c);
      if (fallback && (e.kind == db::DbError::Busy || connection_error(e))) {
        // a lost replica, or a read cancelled by a conflict with recovery: use the primary
        if (connection_error(e)) mark_down(pool, e);
        *fallback = true;
        return ok_status();
      }
      return map_pg_error(e);
    } catch (...) {  // a bug above: never leave the connection inside a transaction
      rollback_quietly(c);
      spdlog::error("read transaction ended by an unexpected exception");
      return Error{Err::Internal, "internal", "internal error"};
    }
  }

  void mark_down(Pool& pool, const db::DbError& e) {
    for (auto& r : replicas_)
      if (&r->pool == &pool) {
        if (r->down_until.load() <= now_ms()) spdlog::warn("replica {} unavailable for 5 s: {}", redact_secrets(pool.url()), redact_secrets(e.what()));
        r->down_until = now_ms() + 5000;
      }
  }

  static int current_version(PgConn& c) {
    auto t = c.query_one("SELECT CAST(to_regclass('schema_migrations') AS TEXT)");
    if (!t || t->is_null(0)) return 0;
    return int(c.scalar("SELECT COALESCE(MAX(number), 0) FROM schema_migrations"));
  }

  // Remembers how far the WAL was when this write committed: for everyone
  // (reads with nobody named) and for the acting user.
  void note_write(PgConn& c) {
    uint64_t lsn = 0;
    try {
      auto r = c.query_one("SELECT CAST(pg_current_wal_insert_lsn() AS TEXT)");
      if (r) lsn = parse_lsn(r->str(0));
    } catch (const db::DbError& e) {
      spdlog::warn("cannot read the WAL position: {}", redact_secrets(e.what()));
      lsn = UINT64_MAX;  // unknown: send reads to the primary until a later write succeeds
    }
    uint64_t prev = global_lsn_.load();
    while (lsn > prev && !global_lsn_.compare_exchange_weak(prev, lsn)) {
    }
    int64_t user = ActingAs::current();
    if (!user) return;
    std::lock_guard lk(wmu_);
    auto now = Clock::now();
    if (last_write_.size() > 4096)
      for (auto it = last_write_.begin(); it != last_write_.end();)
        it = (now - it->second.second > std::chrono::minutes(10)) ? last_write_.erase(it) : std::next(it);
    last_write_[user] = {lsn, now};
  }

  uint64_t needed_lsn(int64_t user) {
    if (!user) return global_lsn_.load();
    std::lock_guard lk(wmu_);
    auto it = last_write_.find(user);
    return it == last_write_.end() ? 0 : it->second.first;
  }

  Pool primary_;
  std::string describe_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::atomic<size_t> next_replica_{0};
  std::atomic<uint64_t> global_lsn_{0};
  std::mutex wmu_;
  std::unordered_map<int64_t, std::pair<uint64_t, Clock::time_point>> last_write_;
  std::atomic<int64_t> replica_reads_{0}, primary_fallbacks_{0};
};

}  // namespace

std::unique_ptr<Store> make_store(const std::string& url, int readers, const std::vector<std::string>& replicas) {
  return std::make_unique<PgStore>(url, readers < 1 ? 1 : readers, replicas);
}

}  // namespace tj::pg
