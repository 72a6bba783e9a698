// Fields: strict reading of a JSON request body. Unknown keys are a 400, as
// are wrong types, out-of-range numbers, over-long or invalid-UTF-8 strings.
// Each getter returns a Result so a use case stops at the first bad field.
#pragma once
#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include "app/app.h"

namespace tj {

bool valid_utf8(std::string_view s);

class Fields {
 public:
  static Result<Fields> of(const json& body, std::initializer_list<const char*> allowed);
  bool has(const char* k) const { return j_.contains(k) && !j_.at(k).is_null(); }
  bool present(const char* k) const { return j_.contains(k); }  // including explicit null
  Result<std::string> str(const char* k, bool required, size_t max_len = 200) const;
  Result<std::optional<std::string>> opt_str(const char* k, size_t max_len = 200) const;
  Result<std::optional<int64_t>> opt_int(const char* k, int64_t lo, int64_t hi) const;
  Result<int64_t> integer(const char* k, int64_t lo, int64_t hi) const;
  Result<std::optional<bool>> opt_bool(const char* k) const;
  Result<std::optional<std::string>> opt_date(const char* k) const;  // YYYY-MM-DD
  const json& raw() const { return j_; }

 private:
  explicit Fields(const json& j) : j_(j) {}
  const json& j_;
};

Error field_error(const std::string& field, const std::string& what);

}  // namespace tj
