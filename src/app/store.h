// Store: the one storage interface the application sees. A Store hands out
// transactions (Tx, the typed queries of store/tx.h) over a db::Conn. read()
// runs on a pooled reader; write() runs on the single writer inside
// BEGIN IMMEDIATE ... COMMIT, rolled back when the function returns an error
// or a DbError is thrown. Database failures become Results here:
// Constraint -> 409, Busy/Full -> 503, Other -> 500.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace tj {

class Tx;

class Store {
 public:
  virtual ~Store() = default;
  virtual Status read(const std::function<Status(Tx&)>& fn) = 0;
  virtual Status write(const std::function<Status(Tx&)>& fn) = 0;
  // Applies pending numbered migrations, each in its own transaction. Returns the number applied.
  virtual Result<int> migrate() = 0;
  virtual Result<int> schema_version() = 0;
  virtual Status backup(const std::string& dest_path) = 0;
  virtual std::string describe() const = 0;  // e.g. "sqlite:/path/tiejun.db"
};

// Opens "sqlite:PATH" (or a bare path). postgresql:// URLs arrive with the PostgreSQL backend.
Result<std::unique_ptr<Store>> open_store(const std::string& url, int readers = 4);

}  // namespace tj
