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
Result<std::unique_ptr<Store>> open_store(const std::string& url, int readers, const std::vector<std::string>& replicas);

}  // namespace tj
