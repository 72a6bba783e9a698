// Store: the one storage interface the application sees. A Store hands out
// transactions (Tx, the typed queries of store/tx.h) over a db::Conn. read()
// runs on a pooled reader; write() runs on the single writer inside
// BEGIN IMMEDIATE ... COMMIT (SQLite) or in a SERIALIZABLE transaction retried
// on serialization failure (PostgreSQL: fn may run more than once, so it must
// only assign what it captures), rolled back when the function returns an
// error or a DbError is thrown. Database failures become Results here:
// Constraint -> 409, Busy/Full -> 503, Other -> 500.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include "common/result.h"

namespace tj {

class Tx;

class Store {
 public:
  virtual ~Store() = default;
  virtual Status read(const std::function<Status(Tx&)>& fn) = 0;
  virtual Status write(const std::function<Status(Tx&)>& fn) = 0;
  // A write transaction for a big load by a command-line tool (`tiejun import`): as write(), but
  // SQLite, when no other connection has the database open, takes the database for itself (BEGIN
  // EXCLUSIVE; this store's own readers are closed until it ends) and writes through a rollback
  // journal (synchronous=FULL) instead of the WAL. The load's new pages are then written once,
  // where the WAL writes them twice (to the WAL, then to the database at the checkpoint). When
  // it returns the database is in WAL mode again; a crash in between leaves a hot journal that
  // the next open rolls back. When another connection has the database open (a running server),
  // it is write() as usual. Not for a serving process: other readers wait for the whole load.
  // Default: write().
  virtual Status write_bulk(const std::function<Status(Tx&)>& fn) { return write(fn); }
  // Reads of the computed views (metrics, alerts, prospects, diagnosis,
  // leaderboards): a backend with read replicas may serve them from one, unless
  // the acting user (ActingAs) wrote something the replica has not replayed yet
  // (read-your-writes); then the primary serves them. Default: read().
  virtual Status read_replica(const std::function<Status(Tx&)>& fn) { return read(fn); }
  // Names the user a request acts for, on this thread, for the duration of the
  // scope (set once per request after authentication). write() remembers what
  // that user wrote so read_replica() can honour read-your-writes for them;
  // without it, read_replica() waits for every write of this process instead.
  class ActingAs {
   public:
    explicit ActingAs(int64_t user_id) : prev_(current_) { current_ = user_id; }
    ~ActingAs() { current_ = prev_; }
    ActingAs(const ActingAs&) = delete;
    ActingAs& operator=(const ActingAs&) = delete;
    static int64_t current() { return current_; }  // 0: nobody named
   private:
    int64_t prev_;
    static inline thread_local int64_t current_ = 0;
  };
  // An Idempotency-Key honoured on this thread for the duration of the scope (src/http/api.cpp
  // opens one around a create that carries the header). The first write transaction of the
  // request that commits also inserts the (user, key) row, in that same transaction
  // (before_write, from each backend's write(); PostgreSQL runs it again on a retry): the
  // create and its key commit together or not at all. When another request with the key
  // committed first, the insert finds its row: the transaction is rolled back and
  // `conflict` is set (the caller then answers with that request's answer).
  class IdempotencyScope {
   public:
    IdempotencyScope(int64_t org_id, int64_t user_id, std::string key, std::string request_hash, int64_t now,
                     int64_t since)
        : org_id(org_id), user_id(user_id), key(std::move(key)), request_hash(std::move(request_hash)), now(now),
          since(since), prev_(current_) {
      current_ = this;
    }
    ~IdempotencyScope() { current_ = prev_; }
    IdempotencyScope(const IdempotencyScope&) = delete;
    IdempotencyScope& operator=(const IdempotencyScope&) = delete;
    static IdempotencyScope* current() { return current_; }
    const int64_t org_id, user_id;
    const std::string key, request_hash;
    const int64_t now, since;
    bool claimed = false;   // the row committed with a write of this request
    bool conflict = false;  // another request's row was there first
   private:
    IdempotencyScope* prev_;
    static inline thread_local IdempotencyScope* current_ = nullptr;
  };
  // Called by the backends' write() at the start of each transaction (may fail the
  // transaction: another request holds the key) and after each commit.
  static Status before_write(Tx& tx);
  static void after_commit();
  // Applies pending numbered migrations, each in its own transaction. Returns the number applied.
  virtual Result<int> migrate() = 0;
  virtual Result<int> schema_version() = 0;
  virtual Status backup(const std::string& dest_path) = 0;
  virtual std::string describe() const = 0;  // e.g. "sqlite:/path/tiejun.db"
};

// Opens "sqlite:PATH" (or a bare path) or "postgresql://user@host:port/db"
// (also "postgres://"; any libpq URI). replicas: PostgreSQL streaming replicas of
// that database for read_replica() (PostgreSQL only). src/store/open_store.cpp.
Result<std::unique_ptr<Store>> open_store(const std::string& url, int readers = 4);
Result<std::unique_ptr<Store>> open_store(const std::string& url, int readers,
                                          const std::vector<std::string>& replicas);

}  // namespace tj
