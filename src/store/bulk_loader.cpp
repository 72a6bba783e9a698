#include "store/bulk_loader.h"

#include <cstring>

#include "store/postgres/pg.h"

namespace tj::bulk {

std::string values_list(size_t rows, size_t n) {
  std::string one = "(";
  for (size_t i = 0; i < n; i++) one += i ? ",?" : "?";
  one += ")";
  std::string s;
  s.reserve(rows * (one.size() + 1));
  for (size_t r = 0; r < rows; r++) {
    if (r) s += ',';
    s += one;
  }
  return s;
}

RowWriter::RowWriter(db::Conn& c, std::string head, int cols, int rows)
    : c_(c), pg_(dynamic_cast<pg::PgConn*>(&c)), head_(std::move(head)), cols_(cols), rows_(rows) {
  if (!pg_) buf_.reserve(size_t(cols) * rows);
}

void RowWriter::add(db::Value x) {
  if (pg_) {
    if (!first_field_) copy_ += '\t';
    first_field_ = false;
    pg::PgConn::append_copy_field(copy_, x);
    return;
  }
  buf_.push_back(std::move(x));
}

void RowWriter::end_row() {
  if (pg_) {
    copy_ += '\n';
    first_field_ = true;
    if (copy_.size() >= (16u << 20)) flush();
    return;
  }
  if (buf_.size() == size_t(cols_) * rows_) flush();
}

void RowWriter::flush() {
  if (pg_) {
    if (copy_.empty()) return;
    // head_ is "INSERT INTO table(columns)"
    std::string sql = "COPY " + head_.substr(std::strlen("INSERT INTO ")) + " FROM STDIN";
    pg_->copy_in(sql, [&](std::string& buf) {
      buf.swap(copy_);
      return false;
    });
    copy_.clear();
    return;
  }
  if (buf_.empty()) return;
  int n = int(buf_.size() / cols_);
  if (n == rows_ && !full_sql_.empty()) {
    c_.exec(full_sql_, buf_);
  } else {
    std::string sql = head_ + " VALUES " + values_list(size_t(n), size_t(cols_));
    if (n == rows_) full_sql_ = sql;
    c_.exec(sql, buf_);
  }
  buf_.clear();
}

DeferredIndexes::DeferredIndexes(db::Conn& c, std::initializer_list<const char*> tables) : c_(c) {
  if (c.dialect() != db::Dialect::Postgres) return;
  c_.exec_script("SET LOCAL maintenance_work_mem = '256MB'");
  for (const char* t : tables) {
    std::string table = t;
    for (auto& r : c_.query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(?) "
                            "AND contype = 'f' ORDER BY conname",
                            {table})) {
      c_.exec_script("ALTER TABLE " + table + " DROP CONSTRAINT \"" + r.str(0) + "\"");
      restore_.push_back("ALTER TABLE " + table + " ADD CONSTRAINT \"" + r.str(0) + "\" " + r.str(1));
    }
    for (auto& r : c_.query("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = "
                            "x.indexrelid WHERE x.indrelid = to_regclass(?) AND NOT x.indisunique AND NOT x.indisprimary "
                            "ORDER BY i.relname",
                            {table})) {
      c_.exec_script("DROP INDEX \"" + r.str(0) + "\"");
      restore_.insert(restore_.begin(), r.str(1));  // indexes first, then the keys
    }
  }
}

void DeferredIndexes::restore() {
  for (auto& sql : restore_) c_.exec_script(sql);
  restore_.clear();
}

void prepare_load(db::Conn& c) {
  if (c.dialect() == db::Dialect::Sqlite) c.exec_script("PRAGMA cache_size=-262144");  // 256 MB
}

}  // namespace tj::bulk
