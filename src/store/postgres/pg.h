// PostgreSQL backend through libpq: db::Conn over one connection (with '?'
// placeholders rewritten to $n and a per-connection prepared statement cache),
// and the Store (pg_store.cpp) with a connection pool, SERIALIZABLE writes
// retried on serialization failures, REPEATABLE READ read-only reads, and
// optional streaming replicas for the computed views.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/store.h"
#include "store/db.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace tj::pg {

// A DbError that keeps PostgreSQL's SQLSTATE (e.g. "40001").
struct PgError : db::DbError {
  std::string sqlstate;
  PgError(Kind k, const std::string& m, std::string state) : db::DbError(k, m), sqlstate(std::move(state)) {}
  bool retryable() const { return sqlstate == "40001" || sqlstate == "40P01"; }
  // The server went away or cannot take writes: see server_gone().
  bool server_gone() const;
};

// True for the SQLSTATEs that mean "this connection's server is gone or is no
// longer the primary": a lost connection (class 08), a server shutting down or
// restarting (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect
// now) and 25006 (read-only transaction: a server demoted by a failover). The
// store resets such a connection and retries the transaction when nothing has
// been committed (pg_store.cpp).
bool server_gone(const std::string& sqlstate);

// The same server URL naming another database: replaces the path of a
// postgresql:// URI (single or multi-host: postgresql://h1:5432,h2:5432/db?...),
// keeping the user, the hosts and the query; sets dbname= in a key=value
// connection string. Used by the tests that create one database per test.
std::string with_database(const std::string& url, const std::string& dbname);

// Maps a SQLSTATE to the kinds of db.h: 23xxx Constraint; 40001, 40P01, 55P03
// and lost connections (08xxx, 57P0x) Busy; 53xxx and 25006 (read-only) Full.
db::DbError::Kind kind_of_sqlstate(const std::string& state);

// '?' placeholders outside quotes, identifiers, comments and dollar quotes
// become $1, $2, ...; returns the number of placeholders in *n.
std::string translate_placeholders(std::string_view sql, int* n = nullptr);

class PgConn final : public db::Conn {
 public:
  // url: any libpq connection string or URI (postgresql://user@host:port/db),
  // including multi-host URIs (postgresql://h1:5432,h2:5432/db?target_session_attrs=read-write).
  // Unless the URL (or PGCONNECT_TIMEOUT) says otherwise, a connection attempt
  // gives up after kDefaultConnectTimeout seconds per host and TCP keepalives
  // detect a peer that vanished, so no request hangs on an unreachable server.
  explicit PgConn(const std::string& url);
  static constexpr int kDefaultConnectTimeout = 5;
  ~PgConn() override;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  db::Dialect dialect() const override { return db::Dialect::Postgres; }
  std::vector<db::Row> query(std::string_view sql, const std::vector<db::Value>& params = {}) override;
  int64_t exec(std::string_view sql, const std::vector<db::Value>& params = {}) override;
  void exec_script(std::string_view sql) override;

  // COPY ... FROM STDIN: sends the text-format data produced by `more` (called
  // until it returns false; each call appends to the buffer) and returns the
  // number of rows copied.
  int64_t copy_in(std::string_view copy_sql, const std::function<bool(std::string& buf)>& more);

  bool healthy() const;     // connection usable and idle (no transaction open)
  bool broken() const;      // connection lost
  void reconnect();         // drops the statement cache too
  void close();             // drops the connection: broken() from now on
  PGconn* raw() { return c_; }
  std::string describe() const;  // postgresql://user@host:port/db (no password)

  // COPY text format: one field, escaped (\N for NULL).
  static void append_copy_field(std::string& out, const db::Value& v);

 private:
  PGresult* run(std::string_view sql, const std::vector<db::Value>& params);
  [[noreturn]] void fail(PGresult* r, std::string_view sql);
  void connect();

  std::string url_;
  PGconn* c_ = nullptr;
  struct Prepared {
    std::string name;
    int nparams;
  };
  std::unordered_map<std::string, Prepared> cache_;  // by SQL text + parameter types
  int next_stmt_ = 0;
};

bool is_postgres_url(const std::string& url);

// The PostgreSQL Store. readers: pool size is readers + 2.
std::unique_ptr<Store> make_store(const std::string& url, int readers, const std::vector<std::string>& replicas);

// Canonical text of a value for checksums (tiejun copy): \N, integers in
// decimal, reals with 17 significant digits, text as is.
std::string canonical(const db::Value& v);

}  // namespace tj::pg
