// The store's bulk loader: rows written many at a time, for loads that make whole
// tables (tiejun demo) and the importer's multi-row INSERTs. On SQLite, multi-row
// prepared INSERTs (one cached statement per batch size); on PostgreSQL, COPY ...
// FROM STDIN, with the loaded tables' non-unique indexes and foreign keys dropped
// inside the loading transaction and made again at its end (DeferredIndexes).
#pragma once
#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "store/db.h"

namespace tj::pg {
class PgConn;
}

namespace tj::bulk {

// "(?,?,?),(?,?,?)": `rows` rows of n placeholders.
std::string values_list(size_t rows, size_t n);

// Accumulates rows and writes them in bulk: on SQLite as multi-row INSERTs (one
// cached statement per batch size), on PostgreSQL with COPY ... FROM STDIN (the
// rows are kept as COPY text and sent at flush() or every 16 MB). head is
// "INSERT INTO table(columns)"; each row() gives `cols` values.
class RowWriter {
 public:
  RowWriter(db::Conn& c, std::string head, int cols, int rows);
  template <class... V>
  void row(V&&... v) {
    (add(db::Value(std::forward<V>(v))), ...);
    end_row();
  }
  void flush();

 private:
  void add(db::Value x);
  void end_row();
  db::Conn& c_;
  pg::PgConn* pg_;  // PostgreSQL: COPY
  std::string head_, full_sql_;
  int cols_, rows_;
  std::vector<db::Value> buf_;
  std::string copy_;
  bool first_field_ = true;
};

// PostgreSQL bulk load: the non-unique indexes and the foreign keys of the
// loaded tables are dropped inside the loading transaction and made again at its
// end by restore() (one sort per index, one join per key: several times faster
// than keeping them up row by row during COPY, most of all the trigram GIN
// indexes). DDL is transactional, so a load that fails leaves the schema as it
// was. Nothing on SQLite.
class DeferredIndexes {
 public:
  DeferredIndexes(db::Conn& c, std::initializer_list<const char*> tables);
  void restore();

 private:
  db::Conn& c_;
  std::vector<std::string> restore_;
};

// A session set for a big load: SQLite gets a 256 MB page cache (the company
// indexes and the trigram index stay in memory while they grow; synchronous
// cannot change inside a transaction, and in WAL mode with synchronous=NORMAL a
// commit does not fsync anyway). PostgreSQL: nothing (the rows go in by COPY).
void prepare_load(db::Conn& c);

}  // namespace tj::bulk
