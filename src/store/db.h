// The one database client interface (leveldb's Env, Drogon's DbClient): SQL text
// with '?' placeholders and typed values in, rows out. sqlite/ implements it
// today and postgres/ tomorrow; everything above speaks only this.
// What is an error here: a constraint violation (DbError::Constraint), a busy
// database (Busy), a full disk or read-only file (Full); each ends the request
// by exception and is mapped to a Result by Store::read/write. A syntax error
// is a bug (DbError::Other -> 500).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace tj::db {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

// Helpers to turn optionals into Values.
inline Value val(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(); }
inline Value val(const std::string& s) { return Value(s); }
inline Value val_or_null(const std::string& s) { return s.empty() ? Value() : Value(s); }
inline Value val(bool b) { return Value(int64_t(b ? 1 : 0)); }
inline Value val(const std::optional<bool>& b) { return b ? Value(int64_t(*b ? 1 : 0)) : Value(); }

class Row {
 public:
  std::vector<Value> cols;
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(cols.at(i)); }
  int64_t i64(size_t i) const;
  double f64(size_t i) const;
  std::string str(size_t i) const;  // NULL -> ""
  std::optional<int64_t> opt_i64(size_t i) const { return is_null(i) ? std::nullopt : std::optional(i64(i)); }
  bool b(size_t i) const { return !is_null(i) && i64(i) != 0; }
  std::optional<bool> opt_b(size_t i) const { return is_null(i) ? std::nullopt : std::optional(i64(i) != 0); }
};

struct DbError : std::runtime_error {
  enum Kind { Constraint, Busy, Full, Other } kind;
  DbError(Kind k, const std::string& m) : std::runtime_error(m), kind(k) {}
};

// The Result error a DbError ends a request with (both stores): 409 constraint,
// 503 busy or storage_unavailable, else 500 internal (logged, secrets redacted).
Error map_db_error(const DbError& e);

enum class Dialect { Sqlite, Postgres };

class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  virtual std::vector<Row> query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a statement; returns the number of rows changed.
  virtual int64_t exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;
  std::optional<Row> query_one(std::string_view sql, const std::vector<Value>& params = {}) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  int64_t scalar(std::string_view sql, const std::vector<Value>& params = {}) {
    auto r = query_one(sql, params);
    return (r && !r->is_null(0)) ? r->i64(0) : 0;
  }
};

}  // namespace tj::db
