#include "store/db.h"

#include <spdlog/spdlog.h>

#include "common/redact.h"

#include <charconv>

namespace tj::db {

int64_t Row::i64(size_t i) const {
  const auto& v = cols.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    int64_t x = 0;
    std::from_chars(p->data(), p->data() + p->size(), x);
    return x;
  }
  return 0;
}
double Row::f64(size_t i) const {
  const auto& v = cols.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}
std::string Row::str(size_t i) const {
  const auto& v = cols.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

Error map_db_error(const DbError& e) {
  switch (e.kind) {
    case DbError::Constraint: return conflict("constraint", "the change conflicts with existing data");
    case DbError::Busy: return {Err::Unavailable, "busy", "the database is busy; retry"};
    case DbError::Full:
      return {Err::Unavailable, "storage_unavailable", "storage is full or unavailable; the change was not saved"};
    default:
      spdlog::error("database error: {}", redact_secrets(e.what()));
      return {Err::Internal, "internal", "internal error"};
  }
}

}  // namespace tj::db
